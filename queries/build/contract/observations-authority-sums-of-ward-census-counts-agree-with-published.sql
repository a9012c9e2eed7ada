-- rule: observations: authority sums of ward Census counts agree with published authority totals (0.1%, categories 1%)
-- (the best-fit lookup puts every LSOA in a ward of its own authority, so ward sums are whole
-- authorities; ONS perturbs each geography's table, hence the tolerances of the LSOA rule above)
-- Returns: the rows that break the rule (none when it holds).
with ward as (
    select
        o.indicator_id,
        g.authority_code,
        sum(o.numerator) as num,
        sum(o.denominator) as den
    from observations as o
    inner join geographies as g on o.geo_code = g.geo_code and o.vintage = g.vintage
    where g.geo_type = 'ward' and o.source_id = 'census2021' and o.vintage = 2024
    group by o.indicator_id, g.authority_code
)

select
    b.indicator_id,
    b.geo_code,
    b.numerator,
    w.num,
    b.denominator,
    w.den
from observations as b
inner join ward as w on b.indicator_id = w.indicator_id and b.geo_code = w.authority_code
where
    b.source_id = 'census2021'
    and b.method = 'published'
    and (
        abs(b.numerator - w.num) > 0.01 * b.numerator
        or abs(coalesce(b.denominator, 0) - coalesce(w.den, 0)) > greatest(0.001 * coalesce(b.denominator, 0), 30)
    );
