-- Returns: a short content digest (3 hex digits) of each indicator's figures in each authority,
--   its own and those of every area in it (wards of every set, LSOAs, MSOAs), over the given
--   indicator-periods only (so a period added elsewhere does not change it). Recorded with a
--   release so a later one can say in which authorities figures were revised without the old
--   extract (wardgaps/releases.py).
-- One row per: indicator and authority.
-- Parameters: $keys (the 'indicator|period' keys to digest).
select
    o.indicator_id,
    case when g.geo_type = 'authority' then g.geo_code else g.authority_code end as authority_code,
    left(
        md5(
            string_agg(
                cast((
                    o.geo_code, o.vintage, o.period, o.period_start, o.value, o.numerator, o.denominator, o.status
                ) as varchar),
                chr(10)
                order by o.geo_code, o.vintage, o.period
            )
        ),
        3
    ) as digest
from observations as o
inner join geographies as g on o.geo_code = g.geo_code and o.vintage = g.vintage
where
    list_contains($keys, o.indicator_id || '|' || o.period)
    and (g.geo_type = 'authority' or g.authority_code is not null)
group by all
order by o.indicator_id, authority_code
