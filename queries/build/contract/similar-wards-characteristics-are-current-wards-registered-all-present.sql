-- rule: similar wards: characteristics are current wards', registered, all present for each ward, values valid
-- Returns: the rows that break the rule (none when it holds).
with counts as (
    select
        geo_code,
        vintage,
        count(*) as n
    from ward_characteristics
    group by geo_code, vintage
)

select
    w.geo_code,
    w.characteristic,
    'not a current ward' as problem
from ward_characteristics as w
anti join geographies as g on w.geo_code = g.geo_code and w.vintage = g.vintage and g.geo_type = 'ward'
union all
select
    w.geo_code,
    w.characteristic,
    'characteristic not registered' as problem
from ward_characteristics as w
anti join characteristics as c on w.characteristic = c.characteristic
union all
select
    geo_code,
    cast(n as varchar) as characteristic,
    'not every characteristic' as problem
from counts
where n != (select count(*) from characteristics)
union all
select
    w.geo_code,
    w.characteristic,
    'value invalid' as problem
from ward_characteristics as w
inner join characteristics as c on w.characteristic = c.characteristic
where
    w.value is null or w.z is null or w.value < 0 or (c.unit = '%' and w.value > 100)
    or (c.unit = '%' and w.numerator > w.denominator)
    or abs(w.value - (case when c.unit = '%' then 100 else 1 end) * w.numerator / w.denominator) > 0.0001;
