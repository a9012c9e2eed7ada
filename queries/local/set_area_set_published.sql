-- Publishes or unpublishes one area set in the local layer (a temporary copy of it).
-- Returns: nothing.
-- Parameters: $set_name, $published.
update area_sets
set published = $published
where set_name = $set_name;
