-- Returns: the data version of the full extract a public extract was made from.
-- One row (none in a full extract).
-- Parameters: none.
select value as made_from
from release_info
where key = 'made_from'
