-- Returns: how many authorities the current wards lie in (a release fact's measure).
-- One row.
-- Parameters: none.
select count(distinct authority_code) as n
from current_wards;
