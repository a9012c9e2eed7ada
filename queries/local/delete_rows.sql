-- Removes one local indicator's rows from the local layer (a temporary copy of it).
-- Returns: nothing.
-- Parameters: $indicator_id.
delete from local_observations
where indicator_id = $indicator_id;
