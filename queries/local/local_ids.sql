-- Returns: the ids of the council's own indicators in the attached local layer.
-- One row per: local indicator.
-- Parameters: none.
select indicator_id
from local_layer.local_indicators
order by indicator_id;
