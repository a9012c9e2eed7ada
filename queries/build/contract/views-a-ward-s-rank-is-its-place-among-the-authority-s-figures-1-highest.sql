-- rule: views: a ward's rank is its place among the authority's figures (1 = highest)
-- Returns: the rows that break the rule (none when it holds).
select
    f.authority_code,
    f.indicator_id,
    f.period,
    f.vintage,
    f.geo_code,
    f.rank
from ward_figures as f
inner join observations as o
    on
        f.indicator_id = o.indicator_id
        and f.geo_code = o.geo_code
        and f.vintage = o.vintage
        and f.period = o.period
where
    f.rank is distinct from (
        select 1 + count(*)
        from ward_figures as g
        inner join observations as p
            on
                g.indicator_id = p.indicator_id
                and g.geo_code = p.geo_code
                and g.vintage = p.vintage
                and g.period = p.period
        where
            g.authority_code = f.authority_code
            and g.indicator_id = f.indicator_id
            and g.period = f.period
            and g.vintage = f.vintage
            and p.value > o.value
    )
    and o.value is not null;
