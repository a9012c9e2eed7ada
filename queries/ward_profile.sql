-- Returns: one ward across every indicator on its own vintage, latest period of each: value,
--   interval, method, status, rank in its authority, the authority's, region's and country's
--   figures for the same period (a Welsh ward: Wales as both), and the previous period's value.
-- One row per: indicator with a figure for the ward.
-- Parameters: $ward_code, $vintage.
with ward as (
    select
        geo_code,
        borough_code,
        region_code,
        country_code
    from geographies
    where geo_code = $ward_code and vintage = $vintage and geo_type = 'ward'
),

ranked as (
    select
        o.indicator_id,
        o.period,
        o.period_start,
        o.geo_code,
        o.value,
        o.lower_95,
        o.upper_95,
        o.method,
        o.status,
        o.source_id,
        o.borough_code,
        rank() over (partition by o.indicator_id, o.period, o.borough_code order by o.value desc) as rank_borough,
        count(o.value) over (partition by o.indicator_id, o.period, o.borough_code) as n_borough
    from ward_observations as o
    where
        o.vintage = $vintage and o.value is not null
        and o.borough_code = (select w.borough_code from ward as w)
),

mine as (
    select
        r.*,
        w.region_code,
        w.country_code,
        -- the previous period from the same source only: a new edition or a different
        -- source (IoD 2019 vs 2025, mid-year estimates vs Census) is not comparable
        lag(r.value) over (partition by r.indicator_id, r.source_id order by r.period_start) as previous_value,
        lag(r.period) over (partition by r.indicator_id, r.source_id order by r.period_start) as previous_period
    from ranked as r
    inner join ward as w on r.geo_code = w.geo_code
    qualify row_number() over (partition by r.indicator_id order by r.period_start desc) = 1
),

areas as (
    select
        geo_code,
        indicator_id,
        period,
        value
    from observation_areas
    where geo_type in ('region', 'country')
)

select
    m.indicator_id,
    i.short_title,
    i.theme,
    i.unit,
    i.polarity,
    m.period,
    m.borough_code,
    m.value,
    m.lower_95,
    m.upper_95,
    m.method,
    m.status,
    m.source_id,
    m.rank_borough,
    m.n_borough,
    m.previous_period,
    m.previous_value,
    b.value as borough_value,
    l.value as region_value,
    e.value as country_value
from mine as m
inner join indicators as i on m.indicator_id = i.indicator_id
left join observations as b
    on m.indicator_id = b.indicator_id and m.period = b.period and m.borough_code = b.geo_code
left join areas as l
    on m.indicator_id = l.indicator_id and m.period = l.period and m.region_code = l.geo_code
left join areas as e
    on m.indicator_id = e.indicator_id and m.period = e.period and m.country_code = e.geo_code
order by i.theme, i.indicator_id
