-- rule: observations: the stored weights re-applied to the stored inputs give every apportioned value
-- (to-area value = sum of weight * from-area value of the same indicator and period; within the
-- rounding the value was stored with: 0.5 for counts, 0.00005 for scores and percentages)
-- Returns: the rows that break the rule (none when it holds).
with recomputed as (
    select
        a.indicator_id,
        a.period,
        a.to_vintage,
        c.to_code,
        sum(c.weight * i.value) as recomputed_value,
        count(*) as pieces,
        count(i.value) as pieces_with_value
    from apportionments as a
    inner join crosswalks as c
        on
            a.weight_basis = c.weight_basis
            and a.from_vintage = c.from_vintage
            and a.to_vintage = c.to_vintage
    left join observations as i
        on
            a.indicator_id = i.indicator_id
            and a.period = i.period
            and c.from_code = i.geo_code
            and c.from_vintage = i.vintage
    group by a.indicator_id, a.period, a.to_vintage, c.to_code
)

select
    o.indicator_id,
    o.geo_code,
    o.period,
    o.value,
    r.recomputed_value
from observations as o
inner join indicators as d on o.indicator_id = d.indicator_id
left join recomputed as r
    on
        o.indicator_id = r.indicator_id
        and o.period = r.period
        and o.vintage = r.to_vintage
        and o.geo_code = r.to_code
where
    o.method = 'apportioned'
    and o.value is not null
    and (
        r.recomputed_value is null
        or r.pieces_with_value < r.pieces
        or abs(o.value - r.recomputed_value) > (case when d.unit = 'count' then 0.5 else 0.00005 end) + 1e-6
    );
