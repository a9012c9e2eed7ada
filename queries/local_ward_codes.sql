-- Returns: every ward code of the extract on every ward vintage, with its authority, for
--   checking the council's own ward data (python -m wardgaps add) against the current ward set.
-- One row per: ward and vintage.
-- Parameters: none.
select
    geo_code,
    vintage,
    authority_code
from geographies
where geo_type = 'ward'
order by geo_code, vintage
