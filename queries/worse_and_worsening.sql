-- Returns: the wards of an authority that are significantly worse than the authority or the
--   country in the latest period of an indicator and have a significant worsening recent trend
--   on the same ward set (series of at least five periods only).
-- One row per: indicator, ward set and ward.
-- Parameters: $authority_code.
with periods as (
    select
        indicator_id,
        vintage,
        period,
        period_start,
        count(*) over (partition by indicator_id, vintage) as n_periods
    from (
        select distinct
            o.indicator_id,
            o.vintage,
            o.period,
            o.period_start
        from ward_observations as o
        where o.authority_code = $authority_code
    ) as distinct_periods
    qualify row_number() over (partition by indicator_id, vintage order by period_start desc) = 1
)

select
    p.indicator_id,
    i.short_title as indicator,
    p.vintage,
    p.period,
    f.geo_code,
    g.geo_name,
    o.value,
    m.marker
from periods as p
inner join indicators as i on p.indicator_id = i.indicator_id
inner join ward_figures as f
    on
        p.indicator_id = f.indicator_id
        and p.vintage = f.vintage
        and p.period = f.period
        and f.authority_code = $authority_code
inner join geographies as g on f.geo_code = g.geo_code and f.vintage = g.vintage
inner join observations as o
    on
        f.indicator_id = o.indicator_id
        and f.geo_code = o.geo_code
        and f.vintage = o.vintage
        and f.period = o.period
inner join trend_markers as m
    on
        f.authority_code = m.authority_code
        and f.indicator_id = m.indicator_id
        and f.vintage = m.vintage
        and f.geo_code = m.geo_code
where
    p.n_periods >= 5
    and (f.vs_authority = 'worse' or f.vs_country = 'worse')
    and m.judged = 'worse'
order by p.indicator_id, p.vintage, f.geo_code
