-- rule: views: every ward figure has its ward table row, and every ward table its gap measures
-- Returns: the rows that break the rule (none when it holds).
select
    o.indicator_id,
    o.geo_code,
    o.vintage,
    o.period
from ward_observations as o
left join ward_figures as f
    on
        o.indicator_id = f.indicator_id
        and o.geo_code = f.geo_code
        and o.vintage = f.vintage
        and o.period = f.period
        and o.authority_code = f.authority_code
where f.geo_code is null
union all
select distinct
    f.indicator_id,
    f.authority_code as geo_code,
    f.vintage,
    f.period
from ward_figures as f
left join gap_measures as g
    on
        f.authority_code = g.authority_code
        and f.indicator_id = g.indicator_id
        and f.period = g.period
        and f.vintage = g.vintage
where g.authority_code is null;
