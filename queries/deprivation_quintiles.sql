-- Returns: an indicator by authority-local deprivation quintile of wards (1 = the most deprived
--   fifth by the wards' IMD score): how many wards, and their population-weighted mean.
-- One row per: quintile (none for counts, Indices of Deprivation measures, or too few wards).
-- Parameters: $authority_code, $indicator_id, $period, $vintage.
select
    quintile,
    wards,
    value
from deprivation_quintiles
where
    authority_code = $authority_code
    and indicator_id = $indicator_id
    and period = $period
    and vintage = $vintage
order by quintile
