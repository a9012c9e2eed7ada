-- Returns: whether this database instance's configuration is already locked, and whether the
--   local layer is attached to it (a second connection to an open file shares its instance).
-- One row.
-- Parameters: none.
select
    current_setting('lock_configuration') as is_locked,
    count(*) filter (where database_name = 'local_layer') > 0 as has_local
from duckdb_databases()
