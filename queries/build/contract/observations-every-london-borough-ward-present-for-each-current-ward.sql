-- rule: observations: every London borough ward present for each current ward-level indicator and period
-- Returns: the rows that break the rule (none when it holds).
-- Wales' own index is left out: it covers Welsh wards only.
with ind as (
    select distinct
        o.indicator_id,
        o.period
    from observations as o
    inner join geographies as g on o.geo_code = g.geo_code and o.vintage = g.vintage
    inner join indicators as i on o.indicator_id = i.indicator_id
    where g.geo_type = 'ward' and o.vintage = 2024 and i.source_id not like 'wimd%'
),

wards as (
    select geo_code
    from geographies
    where
        geo_type = 'ward' and vintage = 2024
        and authority_code like 'E09%' and authority_code != 'E09000001'
)

select
    ind.indicator_id,
    ind.period,
    wards.geo_code
from ind
cross join wards
anti join observations as o
    on
        ind.indicator_id = o.indicator_id
        and ind.period = o.period
        and wards.geo_code = o.geo_code
        and o.vintage = 2024;
