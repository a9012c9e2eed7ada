-- Removes one area set's wards from the local layer (a temporary copy of it); its row in
-- area_sets goes with queries/local/delete_area_set.sql.
-- Returns: nothing.
-- Parameters: $set_name.
delete from area_wards
where set_name = $set_name;
