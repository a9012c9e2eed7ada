-- Returns: the authority's longest ward series: the indicator and ward set with the most periods
--   that have a ward figure, with its first and last period (ties: the latest ending, then the
--   indicator's id).
-- One row per: indicator and ward set (the longest first; the page takes the first).
-- Parameters: $authority_code.
select
    o.indicator_id,
    i.short_title,
    o.vintage,
    count(distinct o.period) as periods,
    arg_min(o.period, o.period_start) as first_period,
    arg_max(o.period, o.period_start) as last_period,
    max(o.period_start) as last_start
from ward_observations as o
inner join indicators as i on o.indicator_id = i.indicator_id
where o.authority_code = $authority_code and o.value is not null
group by o.indicator_id, i.short_title, o.vintage
order by periods desc, last_start desc, o.indicator_id asc
