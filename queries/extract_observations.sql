-- Returns: the whole observations table with area names and types, for the full-extract CSV: every
--   column of observation_areas, in its order, less the authority's name, the region, the country
--   and the period's start.
-- One row per: indicator, area, vintage and period.
-- Parameters: none.
select * exclude (authority_name, region_code, country_code, period_start)  -- noqa: AM04
from observation_areas
order by indicator_id, geo_code, vintage, period
