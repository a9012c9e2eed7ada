-- What the publish step reads from the council's local layer when asked to publish it (python -m
-- wardgaps publish --with-local), on a connection where it is attached as local_layer and overlaid
-- (queries/local/overlay.sql): its indicators' provenance and its places. Its observations,
-- indicators and sources come with the extract's through the overlay, and are disclosed with them.
-- Each section starts with an "-- input:" line naming it.

-- input: local_indicators
-- One row per local indicator: its metadata and the provenance of the file it came from.
select *  -- noqa: AM04
from local_layer.local_indicators
order by indicator_id;

-- input: local_places
-- One row per place of the council's own (none in a local file without places).
select *  -- noqa: AM04
from local_layer.places
order by place_id;
