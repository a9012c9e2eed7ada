-- The figures of the council's own areas (the local layer's area sets), worked out from their wards'
-- figures on the current ward set, as a temporary view of one cursor (after overlay.sql and
-- overlay_views.sql, so local indicators are carried too). How an indicator is carried to areas
-- follows its kind in the registry (data/indicators.yaml):
--   rate: a percentage or rate per 1,000 that carries its counts (Wilson intervals, or a numerator
--     and a denominator named): the summed numerators over the summed denominators;
--   sum: a count: the wards' counts summed;
--   weighted_mean: a score: the mean of the wards' scores weighted by their population;
--   none: anything else (a rate or share published without its counts, such as a share of LSOAs;
--     distances, ratios, medians): not carried, value null.
-- An area has a figure only when every one of its wards has one (a sum of some of its wards would
-- be too low). Its population is its wards' summed; its deprivation score (which orders areas for
-- the slope index) their population-weighted mean.
-- Returns: nothing (creates temp view area_observations).
-- Parameters: none.
create or replace temp view area_observations as
with members as (
    select
        a.set_name,
        a.area_name,
        a.ward_code,
        a.authority_code,
        count(*) over (partition by a.set_name, a.area_name) as n_wards
    from local_layer.area_wards as a
),

rules as (
    select
        indicator_id,
        unit,
        case
            when unit = 'count' then 'sum'
            when unit = 'score' then 'weighted_mean'
            when
                unit in ('%', 'rate_per_1000')
                and (
                    ci_method = 'wilson'
                    or (coalesce(numerator_label, '') != '' and coalesce(denominator_label, '') != '')
                )
                then 'rate'
            else 'none'
        end as carry_rule
    from indicators
),

ward_rows as (
    select
        m.set_name,
        m.area_name,
        m.authority_code,
        m.n_wards,
        f.indicator_id,
        f.period,
        f.population,
        f.deprivation,
        f.deprivation_period,
        o.period_start,
        o.value,
        o.numerator,
        o.denominator,
        o.status
    from members as m
    inner join ward_figures as f on m.ward_code = f.geo_code and m.authority_code = f.authority_code
    inner join current_vintage as c on f.vintage = c.vintage
    left join observations as o
        on
            f.indicator_id = o.indicator_id
            and f.geo_code = o.geo_code
            and f.vintage = o.vintage
            and f.period = o.period
),

sums as (
    select
        w.set_name,
        w.area_name,
        w.authority_code,
        w.indicator_id,
        w.period,
        r.unit,
        r.carry_rule,
        max(w.period_start) as period_start,
        any_value(w.n_wards) as n_wards,
        count(*) as n_rows,
        count(w.value) as n_figures,
        count(w.numerator) as n_numerators,
        count(w.denominator) as n_denominators,
        count(w.population) as n_populations,
        sum(w.value) as value_sum,
        sum(w.numerator) as numerator_sum,
        sum(w.denominator) as denominator_sum,
        sum(w.population) as population,
        sum(w.value * w.population) / sum(w.population) as weighted_value,
        sum(w.deprivation * w.population) filter (where w.deprivation is not null)
        / sum(w.population) filter (where w.deprivation is not null) as deprivation,
        mode(w.deprivation_period) as deprivation_period,
        bool_or(w.status = 'provisional') as provisional
    from ward_rows as w
    inner join rules as r on w.indicator_id = r.indicator_id
    group by all
)

select
    set_name,
    area_name,
    authority_code,
    indicator_id,
    period,
    period_start,
    unit,
    carry_rule,
    n_wards,
    n_figures,
    population,
    deprivation,
    deprivation_period,
    false as suppressed,
    -- intervals are worked out from the sums by the analysis (wardgaps.stats, as for wards); the
    -- public extract stores them from its rounded sums, and which areas it hides
    null::double as lower_95,
    null::double as upper_95,
    null::double as lower_998,
    null::double as upper_998,
    case
        when n_figures < n_wards or n_rows < n_wards then null
        when carry_rule = 'sum' then value_sum
        when carry_rule = 'weighted_mean' and n_populations = n_wards then weighted_value
        when carry_rule = 'rate' and n_numerators = n_wards and n_denominators = n_wards and denominator_sum > 0
            then (case when unit = '%' then 100.0 else 1000.0 end) * numerator_sum / denominator_sum
    end as value,  -- noqa: RF04
    case
        when carry_rule = 'rate' and n_figures = n_wards and n_numerators = n_wards and n_denominators = n_wards
            then numerator_sum
    end as numerator,
    case
        when carry_rule = 'rate' and n_figures = n_wards and n_numerators = n_wards and n_denominators = n_wards
            then denominator_sum
    end as denominator,
    case when provisional then 'provisional' else 'final' end as status
from sums
