-- Returns: the extract's data version as the build or the publish step recorded it.
-- One row (none in an extract that records no version).
-- Parameters: none.
select value as data_version
from release_info
where key = 'data_version'
