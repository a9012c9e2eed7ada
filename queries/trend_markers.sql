-- Returns: Fingertips' recent-trend marker (last five periods) for each ward of an authority on
--   one ward set, why, and whether the change is judged better or worse.
-- One row per: ward with figures.
-- Parameters: $authority_code, $indicator_id, $vintage.
select
    geo_code,
    geo_name,
    marker,
    reason,
    judged
from trend_markers
where authority_code = $authority_code and indicator_id = $indicator_id and vintage = $vintage
order by geo_code
