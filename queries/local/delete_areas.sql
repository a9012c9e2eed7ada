-- Removes one area set and its wards from the local layer (a temporary copy of it).
-- Returns: nothing.
-- Parameters: $set_name.
delete from area_wards
where set_name = $set_name;

delete from area_sets
where set_name = $set_name;
