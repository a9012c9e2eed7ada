-- Returns: every ward of a region or country (one ward set) with a figure (shown or hidden) for
--   one indicator and period, its authority, and its rank there (1 = highest, among the
--   figures shown).
-- One row per: ward with a figure.
-- Parameters: $area_code (a region, or England or Wales), $indicator_id, $period, $vintage.
select
    f.geo_code,
    g.geo_name,
    f.authority_code,
    b.geo_name as authority_name,
    o.value,
    o.method,
    o.status,
    f.suppressed,
    case when g.region_code = $area_code then f.rank_region else f.rank_country end as rank
from ward_figures as f
inner join geographies as g on f.geo_code = g.geo_code and f.vintage = g.vintage
inner join geographies as b on f.authority_code = b.geo_code and b.geo_type = 'authority'
inner join observations as o
    on
        f.indicator_id = o.indicator_id
        and f.geo_code = o.geo_code
        and f.vintage = o.vintage
        and f.period = o.period
where
    f.indicator_id = $indicator_id
    and f.period = $period
    and f.vintage = $vintage
    and $area_code in (g.region_code, g.country_code)
    and (o.value is not null or f.suppressed)
order by o.value, f.geo_code
