-- Publishes or unpublishes one local indicator in the local layer (a temporary copy of it).
-- Returns: nothing.
-- Parameters: $indicator_id, $published.
update local_indicators
set published = $published
where indicator_id = $indicator_id;
