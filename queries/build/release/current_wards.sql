-- Returns: how many wards the current ward set has (a release fact's measure).
-- One row.
-- Parameters: none.
select count(*) as n
from current_wards;
