-- Removes one local indicator's metadata from the local layer (a temporary copy of it).
-- Returns: nothing.
-- Parameters: $indicator_id.
delete from local_indicators
where indicator_id = $indicator_id;
