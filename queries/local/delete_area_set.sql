-- Removes one area set's row from the local layer (a temporary copy of it), after its wards
-- (queries/local/delete_areas.sql).
-- Returns: nothing.
-- Parameters: $set_name.
delete from area_sets
where set_name = $set_name;
