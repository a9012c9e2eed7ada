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

-- table: ward_figures
select cast(ward_figures as varchar) as r
from ward_figures
order by r;

-- table: gap_measures
select cast(gap_measures as varchar) as r
from gap_measures
order by r;

-- table: gap_trends
select cast(gap_trends as varchar) as r
from gap_trends
order by r;

-- table: deprivation_quintiles
select cast(deprivation_quintiles as varchar) as r
from deprivation_quintiles
order by r;

-- table: trend_markers
select cast(trend_markers as varchar) as r
from trend_markers
order by r;

-- table: release_info
select cast(release_info as varchar) as r
from release_info
order by r;
