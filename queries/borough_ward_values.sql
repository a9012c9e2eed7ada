-- Returns: every ward of a borough (one ward vintage) with its value for one indicator and
--   period: intervals, method, status, fit quality, source, and the ward's population and
--   deprivation score (the IMD edition of the period's time, on the same ward vintage; where a
--   ward has no score in that edition, e.g. IMD 2019 outside London, the latest edition that
--   has one, named in deprivation_period) that weight and order the SII.
-- One row per: ward (wards with no figure are kept, value null).
-- Parameters: $borough_code, $indicator_id, $period, $vintage, $imd_period (IMD edition).
with wards as (
    select
        geo_code,
        geo_name
    from geographies
    where geo_type = 'ward' and vintage = $vintage and borough_code = $borough_code
),

pop as (
    select
        geo_code,
        value as population
    from observations
    where indicator_id = 'population' and vintage = $vintage and value is not null
    qualify row_number() over (partition by geo_code order by period_start desc) = 1
),

dep as (
    select
        geo_code,
        value as deprivation,
        period as deprivation_period
    from observations
    where indicator_id = 'imd_score' and vintage = $vintage and value is not null
    qualify row_number() over (partition by geo_code order by (period = $imd_period) desc, period desc) = 1
)

select
    w.geo_code,
    w.geo_name,
    o.value,
    o.numerator,
    o.denominator,
    o.lower_95,
    o.upper_95,
    o.lower_998,
    o.upper_998,
    o.method,
    o.status,
    o.fit_quality,
    o.source_id,
    p.population,
    d.deprivation,
    d.deprivation_period
from wards as w
left join observations as o
    on
        w.geo_code = o.geo_code
        and o.vintage = $vintage
        and o.indicator_id = $indicator_id
        and o.period = $period
left join pop as p on w.geo_code = p.geo_code
left join dep as d on w.geo_code = d.geo_code
order by w.geo_code
