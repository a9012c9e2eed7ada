-- What the publish step (wardgaps/publish.py) reads from the full extract. Each section starts
-- with an "-- input:" line naming it. Sources, indicators, geographies, outlines and the
-- similar-wards characteristics' definitions are published as they are; observations and the
-- similar-wards figures go through the disclosure rules. Of the crosswalks only the best-fit
-- lookups are published (which LSOA lies in which ward: ONS's own lookups, every weight 1); the
-- population weight sets and the apportionments are not: the public extract holds figures, not
-- the weights they were made with.

-- input: release
-- One row per fact the full extract records about itself (its data version).
select
    key,
    value
from release_info
order by key;

-- input: observations
-- One row per observation, with its area's type, authority, region and country and the
-- indicator's unit: what the disclosure rules need to decide each cell.
-- every observation column, as stored
select
    o.*,  -- noqa: AM04
    g.geo_type,
    g.authority_code,
    g.region_code,
    g.country_code,
    i.unit
from observations as o
inner join geographies as g on o.geo_code = g.geo_code and o.vintage = g.vintage
inner join indicators as i on o.indicator_id = i.indicator_id
order by o.indicator_id, o.geo_code, o.vintage, o.period;

-- input: ward_characteristics
-- One row per ward and similar-wards characteristic, with the characteristic's unit and the
-- app indicator it repeats (if any), and the ward's authority, region and country.
-- every column, as stored
select
    v.*,  -- noqa: AM04
    c.unit,
    c.indicator_id,
    g.authority_code,
    g.region_code,
    g.country_code
from ward_characteristics as v
inner join characteristics as c on v.characteristic = c.characteristic
inner join geographies as g on v.geo_code = g.geo_code and v.vintage = g.vintage
order by v.geo_code, v.vintage, v.characteristic;

-- input: similar_wards
-- published as it is
select *  -- noqa: AM04
from similar_wards
order by geo_code, vintage, rank;

-- input: similar_authorities
-- published as it is (distances to two decimals)
select *  -- noqa: AM04
from similar_authorities
order by geo_code, vintage, rank;

-- input: sources
-- published as it is
select *  -- noqa: AM04
from sources
order by source_id;

-- input: indicators
-- published as it is
select *  -- noqa: AM04
from indicators
order by indicator_id;

-- input: geographies
-- published as it is
select *  -- noqa: AM04
from geographies
order by geo_code, vintage;

-- input: boundaries
-- published as it is
select *  -- noqa: AM04
from boundaries
order by geo_code, vintage;

-- input: characteristics
-- published as it is
select *  -- noqa: AM04
from characteristics
order by characteristic;

-- input: crosswalks
-- The best-fit lookups: weight sets whose every weight is 1 (whole areas).
select c.*  -- noqa: AM04
from crosswalks as c
where
    c.weight_basis in (
        select w.weight_basis
        from crosswalks as w
        group by w.weight_basis
        having min(w.weight) = 1 and max(w.weight) = 1
    )
order by c.from_code, c.from_vintage, c.to_code, c.to_vintage, c.weight_basis;
