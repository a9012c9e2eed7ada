-- Returns: the local layer's indicators (the council's own ward data) with their provenance:
--   source, licence, date, file name and sha256, when added, and the rows, wards, periods and
--   authorities they cover, and whether it is published (a layer made before the flag: not).
--   Runs only when a local layer is attached.
-- One row per: local indicator.
-- Parameters: none.
with cover as (
    select
        o.indicator_id,
        count(*) as observations,
        count(distinct o.geo_code) as wards,
        string_agg(distinct o.period, ', ' order by o.period) as periods,
        string_agg(distinct g.authority_code, ', ' order by g.authority_code) as authority_codes,
        string_agg(distinct b.geo_name, ', ' order by b.geo_name) as authorities
    from local_layer.local_observations as o
    left join geographies as g on o.geo_code = g.geo_code and o.vintage = g.vintage
    left join geographies as b on g.authority_code = b.geo_code and b.geo_type = 'authority'
    group by o.indicator_id
)

select
    i.indicator_id,
    i.title,
    i.short_title,
    i.theme,
    i.unit,
    i.polarity,
    i.source,
    i.licence,
    i.date,
    i.url,
    i.file_name,
    i.sha256,
    i.added_at,
    i.ward_vintage,
    c.observations,
    c.wards,
    c.periods,
    c.authority_codes,
    c.authorities,
    coalesce(json_extract(to_json(i), '$.published')::boolean, false) as published  -- noqa: RF02
from local_layer.local_indicators as i
left join cover as c on i.indicator_id = c.indicator_id
order by i.indicator_id
