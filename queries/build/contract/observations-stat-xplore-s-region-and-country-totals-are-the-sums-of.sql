-- rule: observations: Stat-Xplore's region and country totals are the sums of their authorities' counts
-- Returns: the rows that break the rule (none when it holds).
-- Counts only: a rate's region is its summed count over its summed children.
with auth as (
    select
        o.indicator_id,
        o.period,
        g.region_code,
        g.country_code,
        o.value
    from observations as o
    inner join geographies as g on o.geo_code = g.geo_code and o.vintage = g.vintage
    inner join indicators as i on o.indicator_id = i.indicator_id
    where
        o.source_id in ('dwp_statxplore', 'dwp_statxplore_uc') and g.geo_type = 'authority'
        and i.unit = 'count'
),

total as (
    select
        t.indicator_id,
        t.period,
        t.geo_code,
        t.value,
        sum(a.value) as summed,
        count(*) - count(a.value) as unpublished
    from observations as t
    inner join geographies as g on t.geo_code = g.geo_code and t.vintage = g.vintage
    inner join auth as a
        on
            t.indicator_id = a.indicator_id and t.period = a.period
            and t.geo_code in (a.region_code, a.country_code)
    where t.source_id in ('dwp_statxplore', 'dwp_statxplore_uc') and g.geo_type in ('region', 'country')
    group by t.indicator_id, t.period, t.geo_code, t.value
)

select *
from total
where unpublished > 0 or abs(value - summed) > 1e-6;
