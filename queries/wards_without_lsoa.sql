-- Returns: the current (May-2024) wards that ONS's best-fit lookup assigns no 2021 LSOA to (so
--   they have no Census 2021 or Indices of Deprivation figure), counted by authority, most first.
-- One row per: authority with such a ward.
-- Parameters: none.
select
    g.authority_code,
    b.geo_name as authority_name,
    count(*) as wards
from current_wards as g
inner join geographies as b on g.authority_code = b.geo_code and b.geo_type = 'authority' and g.vintage = b.vintage
where
    not exists (
        select 1
        from crosswalks as c
        where
            c.to_code = g.geo_code and c.from_vintage = 2021 and c.to_vintage = g.vintage
            and c.weight_basis = 'ONS best fit (whole LSOAs)'
    )
group by g.authority_code, b.geo_name
order by wards desc, b.geo_name asc
