-- Returns: the Census 2021 characteristics wards are matched on, for a ward and its 10 most
--   similar wards: value (a share in %, or residents per hectare), numerator, denominator and
--   z-score, with each characteristic's label, unit and the app indicator it repeats, and that
--   indicator's stored value (as every other page shows it: two decimals).
-- One row per: ward (the chosen one and its neighbours) and characteristic.
-- Parameters: $ward_code, $vintage.
with wards as (
    select $ward_code as geo_code
    union all
    select neighbour_code as geo_code
    from similar_wards
    where geo_code = $ward_code and vintage = $vintage
)

select
    w.geo_code,
    g.authority_code,
    g.country_code,
    c.characteristic,
    c.label,
    c.unit,
    c.indicator_id,
    c.position,
    v.value,
    v.numerator,
    v.denominator,
    v.z,
    o.value as indicator_value
from wards as w
inner join ward_characteristics as v on w.geo_code = v.geo_code and v.vintage = $vintage
inner join characteristics as c on v.characteristic = c.characteristic
inner join geographies as g on w.geo_code = g.geo_code and g.vintage = $vintage and g.geo_type = 'ward'
left join observations as o
    on
        c.indicator_id = o.indicator_id
        and w.geo_code = o.geo_code
        and o.vintage = $vintage
        and o.period = '2021'
order by w.geo_code, c.position
