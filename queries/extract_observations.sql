-- Returns: the whole observations table with area names and types, for the full-extract CSV.
-- One row per: indicator, area, vintage and period.
-- Parameters: none.
select
    o.indicator_id,
    o.geo_code,
    g.geo_name,
    g.geo_type,
    o.vintage,
    g.borough_code,
    o.period,
    o.value,
    o.numerator,
    o.denominator,
    o.lower_95,
    o.upper_95,
    o.lower_998,
    o.upper_998,
    o.method,
    o.fit_quality,
    o.status,
    o.source_id
from observations as o
inner join geographies as g on o.geo_code = g.geo_code and o.vintage = g.vintage
order by o.indicator_id, o.geo_code, o.vintage, o.period
