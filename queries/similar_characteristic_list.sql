-- Returns: the characteristics similar wards are matched on: label, unit, transform before
--   standardising, Census table, the app indicator each repeats (left out of the comparison)
--   and why it is there.
-- One row per: characteristic, in display order.
-- Parameters: none.
select
    characteristic,
    label,
    unit,
    transform,
    source_table,
    indicator_id,
    why,
    position
from characteristics
order by position
