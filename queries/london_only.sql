-- Returns: whether an indicator's ward figures are all London's (a London-only source).
-- One row.
-- Parameters: $indicator_id.
select coalesce(bool_and(authority_code like 'E09%'), false) as london_only
from ward_observations
where indicator_id = $indicator_id
