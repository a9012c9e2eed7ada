-- Returns: every indicator's metadata (definition, unit, polarity, method, caveats) with its
--   source's publisher, licence, attribution and dates: the Data and methods page's catalogue,
--   and the metadata of one indicator (picked in Python) for every other view.
-- One row per: indicator.
-- Parameters: none.
select
    i.indicator_id,
    i.title,
    i.short_title,
    i.theme,
    i.unit,
    i.polarity,
    i.definition,
    i.numerator_label,
    i.denominator_label,
    i.ci_method,
    i.native_geography,
    i.caveats,
    i.source_id,
    s.publisher,
    s.title as source_title,
    s.licence,
    s.attribution,
    s.release_date,
    s.next_release,
    s.url
from indicators as i
inner join sources as s on i.source_id = s.source_id
order by i.theme, i.indicator_id
