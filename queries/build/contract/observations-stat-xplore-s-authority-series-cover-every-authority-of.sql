-- rule: observations: Stat-Xplore's authority series cover every authority of England and Wales in every period
-- (every authority: as many as the geographies hold; how many this release has is a release fact,
-- data/release_facts.yaml)
-- Returns: the rows that break the rule (none when it holds).
select
    o.indicator_id,
    o.period,
    count(distinct o.geo_code) as authorities
from observations as o
inner join geographies as g on o.geo_code = g.geo_code and o.vintage = g.vintage
where o.source_id in ('dwp_statxplore', 'dwp_statxplore_uc') and g.geo_type = 'authority'
group by o.indicator_id, o.period
having count(distinct o.geo_code) != (
    select count(*)
    from geographies as a
    where a.geo_type = 'authority'
);
