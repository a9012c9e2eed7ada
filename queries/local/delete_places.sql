-- Removes the places of one kind, or every place when $kind is null, from the local layer (a
-- temporary copy of it).
-- Returns: nothing.
-- Parameters: $kind (null for all).
delete from places
where $kind is null or kind = $kind;
