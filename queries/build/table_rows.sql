-- Every row of each extract table as text, sorted: wardgaps/check.py hashes them to compare two
-- extracts (order-independent). Each section starts with a "-- table:" line naming the table.

-- table: sources
select cast(sources as varchar) as r
from sources
order by r;

-- table: indicators
select cast(indicators as varchar) as r
from indicators
order by r;

-- table: geographies
select cast(geographies as varchar) as r
from geographies
order by r;

-- table: boundaries
select cast(boundaries as varchar) as r
from boundaries
order by r;

-- table: observations
select cast(observations as varchar) as r
from observations
order by r;

-- table: crosswalks
select cast(crosswalks as varchar) as r
from crosswalks
order by r;

-- table: apportionments
select cast(apportionments as varchar) as r
from apportionments
order by r;

-- table: characteristics
select cast(characteristics as varchar) as r
from characteristics
order by r;

-- table: ward_characteristics
select cast(ward_characteristics as varchar) as r
from ward_characteristics
order by r;

-- table: similar_wards
select cast(similar_wards as varchar) as r
from similar_wards
order by r;
