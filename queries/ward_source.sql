-- Returns: the source of most of an authority's ward figures for one indicator (ties by source
--   id), so a view cites the series its ward lines come from (DWP Stat-Xplore's MSOAs outside
--   London, the GLA's 2018 wards in London).
-- One row, or none when the authority has no ward figures.
-- Parameters: $authority_code, $indicator_id.
select source_id
from ward_observations
where
    indicator_id = $indicator_id
    and authority_code = $authority_code
group by source_id
order by count(*) desc, source_id asc
limit 1
