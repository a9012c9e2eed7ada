-- Publishes or unpublishes the places of one kind, or every place when $kind is null, in the local
-- layer (a temporary copy of it).
-- Returns: nothing.
-- Parameters: $kind (null for all), $published.
update places
set published = $published
where $kind is null or kind = $kind;
