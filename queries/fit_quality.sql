-- Returns: how well the building blocks fit the wards, by indicator: the number of
--   apportioned ward figures and their fit quality (min, median, mean).
-- One row per: indicator with apportioned figures.
-- Parameters: none.
select
    indicator_id,
    count(*) as apportioned_rows,
    min(fit_quality) as fit_min,
    median(fit_quality) as fit_median,
    avg(fit_quality) as fit_mean
from observations
where method = 'apportioned'
group by indicator_id
order by indicator_id
