-- rule: observations: published authority Census totals agree with summed LSOAs within 0.1% (categories 1%)
-- (ONS perturbs every table at every geography, so they differ a little: totals such as all
-- households within 0.1%, the smaller category counts within 1%; in the smallest authorities the
-- noise of many LSOAs can pass 0.1% of the total, so totals may also differ by up to 30, e.g.
-- Rutland's households in TS054: 16,691 published, 16,715 summed)
-- Returns: the rows that break the rule (none when it holds).
with lsoa as (
    select
        o.indicator_id,
        g.authority_code,
        sum(o.numerator) as num,
        sum(o.denominator) as den
    from observations as o
    inner join geographies as g on o.geo_code = g.geo_code and o.vintage = g.vintage
    where g.geo_type = 'lsoa' and o.source_id = 'census2021'
    group by o.indicator_id, g.authority_code
)

select
    b.indicator_id,
    b.geo_code,
    b.numerator,
    l.num,
    b.denominator,
    l.den
from observations as b
inner join lsoa as l on b.indicator_id = l.indicator_id and b.geo_code = l.authority_code
where
    b.source_id = 'census2021'
    and b.method = 'published'
    and (
        abs(b.numerator - l.num) > 0.01 * b.numerator
        or abs(coalesce(b.denominator, 0) - coalesce(l.den, 0)) > greatest(0.001 * coalesce(b.denominator, 0), 30)
    );
