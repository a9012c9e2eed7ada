-- Returns: the source of an authority's own figures for one indicator (the source of most of
--   its rows; ties by source id), so a view with no ward figures cites what it shows.
-- One row, or none when the authority has no figure of its own.
-- Parameters: $authority_code, $indicator_id.
select source_id
from observation_areas
where
    indicator_id = $indicator_id
    and geo_code = $authority_code
    and geo_type = 'authority'
group by source_id
order by count(*) desc, source_id
limit 1
