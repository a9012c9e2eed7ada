-- What the publish step reads from the council's local layer when asked to publish it (python -m
-- wardgaps publish --with-local), on a connection where it is attached as local_layer and overlaid
-- (queries/local/overlay.sql): its published indicators' provenance and its published places (an
-- item is published with python -m wardgaps set-published; a layer made before the flag has none).
-- Its observations, indicators and sources come with the extract's through the overlay, and are
-- disclosed with them; the publish step drops those of the indicators not published.
-- Each section starts with an "-- input:" line naming it.

-- input: local_indicators
-- One row per published local indicator: its metadata and the provenance of the file it came from.
select *  -- noqa: AM04
from local_layer.local_indicators as i  -- noqa: AL05
where  -- noqa: RF02
    coalesce(json_extract(to_json(i), '$.published')::boolean, false)
order by indicator_id;

-- input: local_places
-- One row per published place of the council's own (none in a local file without places).
select *  -- noqa: AM04
from local_layer.places as p  -- noqa: AL05
where  -- noqa: RF02
    coalesce(json_extract(to_json(p), '$.published')::boolean, false)
order by place_id;
