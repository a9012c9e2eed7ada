-- Returns: how many authority rows the geographies hold (a release fact's measure).
-- One row.
-- Parameters: none.
select count(*) as n
from geographies
where geo_type = 'authority';
