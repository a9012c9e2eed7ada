-- What the per-authority views (wardgaps/views) are made from, read from the extract being
-- built or published. Each section starts with an "-- input:" line naming it.

-- input: indicators
-- One row per indicator: what decides how it is ranked, judged and measured.
select
    indicator_id,
    unit,
    polarity,
    source_id
from indicators
order by indicator_id;

-- input: wards
-- One row per ward of every ward set, with its authority, region and country.
select
    geo_code,
    geo_name,
    vintage,
    authority_code,
    region_code,
    country_code
from geographies
where geo_type = 'ward'
order by geo_code, vintage;

-- input: ward_observations
-- One row per ward observation (every ward set).
select
    o.indicator_id,
    o.geo_code,
    o.vintage,
    o.period,
    o.period_start,
    o.value,
    o.numerator,
    o.denominator,
    o.lower_95,
    o.upper_95,
    o.lower_998,
    o.upper_998,
    o.method,
    o.status,
    o.fit_quality,
    o.source_id
from observations as o
inner join geographies as g on o.geo_code = g.geo_code and o.vintage = g.vintage
where g.geo_type = 'ward'
order by o.indicator_id, o.geo_code, o.vintage, o.period;

-- input: totals
-- One row per authority, region and country figure: the comparators of their wards.
select
    o.geo_code,
    g.geo_type,
    o.indicator_id,
    o.period,
    o.value
from observations as o
inner join geographies as g on o.geo_code = g.geo_code and o.vintage = g.vintage
where g.geo_type in ('authority', 'region', 'country')
order by o.indicator_id, o.period, o.geo_code;
