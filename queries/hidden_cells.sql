-- Returns: every ward figure the extract holds hidden (status suppressed): in the public extract,
--   what the disclosure rules hid (and what publishers suppressed). Counts of cells, not people.
-- One row per: indicator with a hidden ward figure.
-- Parameters: none.
select
    indicator_id,
    count(*) as ward_figures
from ward_observations
where status = 'suppressed'
group by indicator_id
order by indicator_id
