-- Returns: where the ward figures of one indicator in an authority come from, on one ward set:
--   each method (published, aggregated, apportioned) and source with the periods it covers, so a
--   page can say which series a line comes from.
-- One row per: method and source.
-- Parameters: $authority_code, $indicator_id, $vintage.
select
    o.method,
    o.source_id,
    s.title as source_title,
    arg_min(o.period, o.period_start) as first_period,
    arg_max(o.period, o.period_start) as last_period,
    min(o.period_start) as first_start,
    count(distinct o.period) as periods,
    count(distinct o.geo_code) as wards
from ward_observations as o
left join sources as s on o.source_id = s.source_id
where
    o.indicator_id = $indicator_id
    and o.vintage = $vintage
    and o.authority_code = $authority_code
group by o.method, o.source_id, s.title
order by first_start, o.method
