-- Returns: the next free place id in the local layer's places table (a temporary copy of it).
-- One row.
-- Parameters: none.
select coalesce(max(place_id), 0) + 1 as next_id
from places
