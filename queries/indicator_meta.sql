-- Returns: one indicator's metadata with its source's publisher, landing page, licence,
--   attribution, release and next release.
-- One row per: indicator (one row, or none for an unknown id).
-- Parameters: $indicator_id.
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
    i.source_id,
    i.native_geography,
    i.caveats,
    s.publisher,
    s.title as source_title,
    s.url,
    s.licence,
    s.attribution,
    s.release_date,
    s.next_release
from indicators as i
inner join sources as s on i.source_id = s.source_id
where i.indicator_id = $indicator_id
