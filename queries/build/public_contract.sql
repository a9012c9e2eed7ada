-- The public extract's own data contract (wardgaps/publish.py runs it before the file is renamed
-- into place): what the disclosure rules promise, checked on the file as published. Each section
-- starts with a "-- rule:" line and holds one query returning the rows that break it. The audit in
-- the test suite checks the rest against the full extract (complements, differencing, solving).

-- rule: release_info: a public extract with its data version, the full version it was made from and the code
select 'missing' as problem
where
    (
        select count(*)
        from release_info
        where
            (key = 'extract' and value = 'public')
            or (key in ('data_version', 'made_from', 'made_by') and length(value) = 10)
    ) != 4;

-- rule: observations: key (indicator_id, geo_code, vintage, period) unique
select
    indicator_id,
    geo_code,
    vintage,
    period,
    count(*) as n
from observations
group by indicator_id, geo_code, vintage, period
having count(*) > 1;

-- rule: observations: no count shown below 10, every count a multiple of 5
select
    o.indicator_id,
    o.geo_code,
    o.period,
    o.value,
    o.numerator,
    o.denominator
from observations as o
inner join indicators as i on o.indicator_id = i.indicator_id
where
    (i.unit = 'count' and (o.value < 10 or o.value % 5 != 0))
    or o.numerator < 10
    or o.numerator % 5 != 0
    or o.denominator < 10
    or o.denominator % 5 != 0;

-- rule: observations: a rate shown with its counts is the rate of its rounded counts (to 0.05)
select
    o.indicator_id,
    o.geo_code,
    o.period,
    o.value,
    o.numerator,
    o.denominator
from observations as o
inner join indicators as i on o.indicator_id = i.indicator_id
where
    i.unit in ('%', 'rate_per_1000')
    and o.numerator is not null
    and o.denominator > 0
    and abs(o.value - (case i.unit when '%' then 100 else 1000 end) * o.numerator / o.denominator) > 0.05 + 1e-9;

-- rule: observations: a hidden figure carries no value, numerator or interval; a count no interval
select
    o.indicator_id,
    o.geo_code,
    o.period,
    o.status
from observations as o
inner join indicators as i on o.indicator_id = i.indicator_id
where
    (
        o.status = 'suppressed'
        and (
            o.value is not null or o.numerator is not null or o.lower_95 is not null or o.upper_95 is not null
            or o.lower_998 is not null or o.upper_998 is not null
        )
    )
    or (i.unit = 'count' and (o.lower_95 is not null or o.lower_998 is not null));

-- rule: observations: a ward hidden on one ward set is hidden on every ward set of its period
select
    h.indicator_id,
    h.period,
    h.geo_code,
    o.vintage
from observations as h
inner join geographies as g on h.geo_code = g.geo_code and h.vintage = g.vintage and g.geo_type = 'ward'
inner join observations as o
    on
        h.indicator_id = o.indicator_id
        and h.period = o.period
        and h.geo_code = o.geo_code
        and h.vintage != o.vintage
where h.status = 'suppressed' and o.status != 'suppressed';

-- rule: ward_figures: a hidden ward has no rank or label
select
    authority_code,
    indicator_id,
    period,
    vintage,
    geo_code
from ward_figures
where
    suppressed
    and (
        rank is not null or rank_region is not null or rank_country is not null
        or vs_authority is not null or vs_region is not null or vs_country is not null
    );

-- rule: gap_measures: a withheld gap has no range, ratio, highest, lowest or slope index
select
    authority_code,
    indicator_id,
    period,
    vintage
from gap_measures
where
    withheld
    and (
        range is not null or ratio is not null or highest_code is not null or lowest_code is not null
        or sii is not null
    );

-- rule: similar wards: no z-score (it would give the exact share back), distances to two decimals
select
    geo_code,
    characteristic,
    z
from ward_characteristics
where z is not null
union all
select
    geo_code,
    cast(rank as varchar) as neighbour,
    distance
from similar_wards
where abs(distance - round(distance, 2)) > 1e-12;

-- rule: the weight sets are not published: crosswalks hold best-fit lookups only (every weight 1)
select
    'crosswalks' as tbl,
    weight_basis
from crosswalks
where weight != 1
union all
select
    'apportionments' as tbl,
    weight_basis
from apportionments;
