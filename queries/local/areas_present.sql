-- Returns: whether the attached local layer holds area sets (older local files do not), to tell
--   whether its areas' figures can be worked out on a cursor (queries/local/overlay_areas.sql).
-- One row.
-- Parameters: none.
select count(*) > 0 as present
from duckdb_tables()
where database_name = 'local_layer' and table_name = 'area_wards'
