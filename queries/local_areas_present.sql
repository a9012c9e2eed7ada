-- Returns: whether the local layer holds area sets (older local files do not): the attached local
--   layer of the full view, or the local_layer schema of a public extract they were published in.
-- One row.
-- Parameters: none.
select count(*) > 0 as present
from duckdb_tables()
where
    (database_name = 'local_layer' or (schema_name = 'local_layer' and database_name = current_database()))
    and table_name = 'area_wards'
