-- Returns: one ward across every indicator on one ward set, latest period of each that has a
--   figure for it (shown or hidden): value, interval, method, status, whether it is hidden, its
--   rank in its authority, region and country with how many figures each has, the authority's,
--   region's and country's figures for the same period, and the previous period's value from the
--   same source (a new edition or another source is not comparable) and whether it is hidden;
--   all_tied: every ward of the authority with a figure shown has the same one (all rank 1).
-- One row per: indicator with a figure for the ward.
-- Parameters: $ward_code, $vintage.
with mine as (
    select
        o.indicator_id,
        o.period,
        o.period_start,
        o.value,
        o.lower_95,
        o.upper_95,
        o.method,
        o.status,
        o.source_id,
        f.authority_code,
        f.suppressed,
        f.rank as rank_authority,
        f.n_authority,
        f.rank_region,
        f.n_region,
        f.rank_country,
        f.n_country,
        f.authority_value,
        f.region_value,
        f.country_value,
        lag(o.value) over by_source as previous_value,
        lag(o.period) over by_source as previous_period,
        lag(f.suppressed) over by_source as previous_suppressed
    from ward_figures as f
    inner join observations as o
        on
            f.indicator_id = o.indicator_id
            and f.geo_code = o.geo_code
            and f.vintage = o.vintage
            and f.period = o.period
    where f.geo_code = $ward_code and f.vintage = $vintage and (o.value is not null or f.suppressed)
    window by_source as (partition by o.indicator_id, o.source_id order by o.period_start)
    qualify row_number() over (partition by o.indicator_id order by o.period_start desc) = 1
),

firsts as (
    select
        f.indicator_id,
        f.period,
        count(*) as n_first
    from ward_figures as f
    inner join mine as m
        on
            f.authority_code = m.authority_code
            and f.indicator_id = m.indicator_id
            and f.period = m.period
    where f.vintage = $vintage and f.rank = 1
    group by f.indicator_id, f.period
)

select
    m.indicator_id,
    i.short_title,
    i.theme,
    i.unit,
    i.polarity,
    m.period,
    m.authority_code,
    m.value,
    m.lower_95,
    m.upper_95,
    m.method,
    m.status,
    m.source_id,
    m.suppressed,
    m.rank_authority,
    m.n_authority,
    m.rank_region,
    m.n_region,
    m.rank_country,
    m.n_country,
    m.previous_period,
    m.previous_value,
    m.authority_value,
    m.region_value,
    m.country_value,
    coalesce(m.previous_suppressed, false) as previous_suppressed,
    coalesce(m.n_authority > 1 and t.n_first = m.n_authority, false) as all_tied
from mine as m
inner join indicators as i on m.indicator_id = i.indicator_id
left join firsts as t on m.indicator_id = t.indicator_id and m.period = t.period
order by i.theme, i.indicator_id
