-- Returns: a content digest of every indicator and period in the extract: md5 over its
--   observations as text, in key order (geo_code, vintage), so the same figures give the same
--   digest whatever file holds them (DuckDB files are not byte-for-byte reproducible). The data
--   version in permalinks is a hash of these digests (wardgaps/provenance.py).
-- One row per: indicator and period.
-- Parameters: none.
select
    indicator_id,
    period,
    count(*) as observations,
    left(
        md5(
            string_agg(
                cast((
                    geo_code, vintage, period_start, value, numerator, denominator, lower_95, upper_95,
                    lower_998, upper_998, method, fit_quality, status, source_id
                ) as varchar),
                chr(10)
                order by geo_code, vintage
            )
        ),
        12
    ) as digest
from observations
group by indicator_id, period
order by indicator_id, period
