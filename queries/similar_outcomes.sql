-- Returns: every outcome indicator a ward is compared on with its similar wards, at the ward's
--   latest period: the figures of the ward and of its 10 most similar wards (value, interval,
--   numerator, denominator, status) and each ward's population (weights). Outcomes are the
--   rates and scores with ward figures, less counts (they measure ward size) and the
--   indicators the wards were matched on (characteristics.indicator_id).
-- One row per: indicator and ward (the chosen one and its neighbours; a ward with no figure
--   for the period has a row with a null value).
-- Parameters: $ward_code, $vintage, $population_indicator (the population the wards are weighted by).
with wards as (
    select
        $ward_code as geo_code,
        0 as rank
    union all
    select
        neighbour_code as geo_code,
        rank
    from similar_wards
    where geo_code = $ward_code and vintage = $vintage
),

matched as (
    select indicator_id
    from characteristics
    where indicator_id is not null
),

latest as (
    select
        o.indicator_id,
        o.period,
        o.period_start
    from observations as o
    inner join indicators as i on o.indicator_id = i.indicator_id
    where
        o.geo_code = $ward_code and o.vintage = $vintage and i.unit != 'count'
        and o.indicator_id not in (select m.indicator_id from matched as m)
    qualify row_number() over (partition by o.indicator_id order by o.period_start desc) = 1
),

pop as (
    select
        geo_code,
        value as population
    from observations
    where indicator_id = $population_indicator and vintage = $vintage and value is not null
    qualify row_number() over (partition by geo_code order by period_start desc) = 1
)

select
    l.indicator_id,
    i.short_title,
    i.title,
    i.theme,
    i.unit,
    i.polarity,
    l.period,
    w.rank,
    w.geo_code,
    g.geo_name,
    g.authority_code,
    g.country_code,
    o.value,
    o.numerator,
    o.denominator,
    o.lower_95,
    o.upper_95,
    o.lower_998,
    o.upper_998,
    o.method,
    o.status,
    p.population,
    coalesce(o.source_id, i.source_id) as source_id
from latest as l
cross join wards as w
inner join indicators as i on l.indicator_id = i.indicator_id
inner join geographies as g on w.geo_code = g.geo_code and g.vintage = $vintage and g.geo_type = 'ward'
left join observations as o
    on
        l.indicator_id = o.indicator_id
        and l.period = o.period
        and w.geo_code = o.geo_code
        and o.vintage = $vintage
left join pop as p on w.geo_code = p.geo_code
order by i.theme, l.indicator_id, w.rank
