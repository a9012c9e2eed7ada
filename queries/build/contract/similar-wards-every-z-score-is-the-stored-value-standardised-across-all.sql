-- rule: similar wards: every z-score is the stored value standardised across all wards (log where stated)
-- Returns: the rows that break the rule (none when it holds).
with t as (
    select
        w.geo_code,
        w.characteristic,
        w.z,
        case when c.transform = 'log' then ln(w.value) else w.value end as x
    from ward_characteristics as w
    inner join characteristics as c on w.characteristic = c.characteristic
),

s as (
    select
        *,
        (x - avg(x) over (partition by characteristic))
        / stddev_pop(x) over (partition by characteristic) as z_again
    from t
)

select
    geo_code,
    characteristic,
    z,
    z_again
from s
where abs(z - z_again) > 0.000001;
