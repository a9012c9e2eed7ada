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
select
    o.*,
    g.geo_type,
    g.borough_code,
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
select
    v.*,
    c.unit,
    c.indicator_id,
    g.borough_code,
    g.region_code,
    g.country_code
from ward_characteristics as v
inner join characteristics as c on v.characteristic = c.characteristic
inner join geographies as g on v.geo_code = g.geo_code and v.vintage = g.vintage
order by v.geo_code, v.vintage, v.characteristic;

-- input: similar_wards
select *
from similar_wards
order by geo_code, vintage, rank;

-- input: sources
select *
from sources
order by source_id;

-- input: indicators
select *
from indicators
order by indicator_id;

-- input: geographies
select *
from geographies
order by geo_code, vintage;

-- input: boundaries
select *
from boundaries
order by geo_code, vintage;

-- input: characteristics
select *
from characteristics
order by characteristic;

-- input: crosswalks
-- The best-fit lookups: weight sets whose every weight is 1 (whole areas).
select *
from crosswalks
where weight_basis in (
    select weight_basis
    from crosswalks
    group by weight_basis
    having min(weight) = 1 and max(weight) = 1
)
order by from_code, from_vintage, to_code, to_vintage, weight_basis;
