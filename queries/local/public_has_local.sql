-- Returns: whether a public extract holds the council's local items (published with --with-local).
-- One row.
-- Parameters: none.
select count(*) > 0 as present
from duckdb_tables()
where database_name = current_database() and schema_name = 'local_layer' and table_name = 'local_indicators';
