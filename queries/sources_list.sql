-- Returns: every source with publisher, landing page, licence, attribution, release dates and
--   the raw files (with checksums) the build read.
-- One row per: source.
-- Parameters: none.
select
    source_id,
    publisher,
    title,
    url,
    licence,
    attribution,
    release_date,
    next_release,
    raw_files
from sources
order by source_id
