-- Returns: the tables of the database a connection reads (to tell an extract's kind and age).
-- One row per: table.
-- Parameters: none.
select table_name
from duckdb_tables()
where database_name = current_database()
order by table_name;
