-- Returns: what the extract records about itself: its data version, which kind it is (full or
--   public) and, for a public extract, the full extract's version it was made from and the code
--   that made it (made_by).
-- One row per: fact.
-- Parameters: none.
select
    key,
    value
from release_info
order by key
