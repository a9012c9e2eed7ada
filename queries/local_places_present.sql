-- Returns: whether the attached local layer holds a places table (older local files do not).
-- One row.
-- Parameters: none.
select count(*) > 0 as present
from duckdb_tables()
where database_name = 'local_layer' and table_name = 'places'
