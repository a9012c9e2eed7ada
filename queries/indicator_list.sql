-- Returns: every indicator with its theme, unit, polarity, source and the periods it has.
-- One row per: indicator.
-- Parameters: none.
select
    i.indicator_id,
    i.title,
    i.short_title,
    i.theme,
    i.unit,
    i.polarity,
    i.native_geography,
    s.publisher,
    s.licence,
    (
        select string_agg(distinct o.period, ', ' order by o.period)
        from observations as o
        where o.indicator_id = i.indicator_id
    ) as periods
from indicators as i
inner join sources as s on i.source_id = s.source_id
order by i.theme, i.indicator_id
