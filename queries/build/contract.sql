-- The data contract every page and test relies on (DESIGN.md §2). Each section starts with a
-- "-- rule:" line naming the rule and holds one query that returns the rows breaking it: an
-- empty result means the rule holds. wardgaps/check.py runs every section, in order.

-- rule: sources: key (source_id) unique
select
    source_id,
    count(*) as n
from sources
group by source_id
having count(*) > 1;

-- rule: indicators: key (indicator_id) unique
select
    indicator_id,
    count(*) as n
from indicators
group by indicator_id
having count(*) > 1;

-- rule: geographies: key (geo_code, vintage) unique
select
    geo_code,
    vintage,
    count(*) as n
from geographies
group by geo_code, vintage
having count(*) > 1;

-- rule: boundaries: key (geo_code, vintage) unique
select
    geo_code,
    vintage,
    count(*) as n
from boundaries
group by geo_code, vintage
having count(*) > 1;

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

-- rule: crosswalks: key (from_code, from_vintage, to_code, to_vintage, weight_basis) unique
select
    from_code,
    from_vintage,
    to_code,
    to_vintage,
    weight_basis,
    count(*) as n
from crosswalks
group by from_code, from_vintage, to_code, to_vintage, weight_basis
having count(*) > 1;

-- rule: apportionments: key (indicator_id, period, to_vintage, weight_basis) unique
select
    indicator_id,
    period,
    to_vintage,
    weight_basis,
    count(*) as n
from apportionments
group by indicator_id, period, to_vintage, weight_basis
having count(*) > 1;

-- rule: key columns not null
select
    'sources' as tbl,
    source_id as row_key
from sources
where source_id is null
union all
select
    'indicators' as tbl,
    indicator_id as row_key
from indicators
where indicator_id is null
union all
select
    'geographies' as tbl,
    geo_code as row_key
from geographies
where geo_code is null or vintage is null
union all
select
    'boundaries' as tbl,
    geo_code as row_key
from boundaries
where geo_code is null or vintage is null
union all
select
    'observations' as tbl,
    geo_code as row_key
from observations
where indicator_id is null or geo_code is null or vintage is null or period is null
union all
select
    'crosswalks' as tbl,
    from_code as row_key
from crosswalks
where
    from_code is null or from_vintage is null or to_code is null or to_vintage is null
    or weight_basis is null or weight is null
union all
select
    'apportionments' as tbl,
    indicator_id as row_key
from apportionments
where indicator_id is null or period is null or to_vintage is null or weight_basis is null;

-- rule: observations: geo_code present in geographies for its vintage
select distinct
    o.geo_code,
    o.vintage
from observations as o
anti join geographies as g on o.geo_code = g.geo_code and o.vintage = g.vintage;

-- rule: observations: indicator registered
select distinct o.indicator_id
from observations as o
anti join indicators as i on o.indicator_id = i.indicator_id;

-- rule: observations: source registered
select distinct o.source_id
from observations as o
anti join sources as s on o.source_id = s.source_id;

-- rule: geographies: every ward and LSOA has a boundary (LSOA 2011 outside London: none in the mirror)
select
    g.geo_code,
    g.vintage
from geographies as g
anti join boundaries as b on g.geo_code = b.geo_code and g.vintage = b.vintage
where
    g.geo_type = 'ward'
    or (g.geo_type = 'lsoa' and (g.vintage != 2011 or g.authority_code like 'E09%'));

-- rule: observations: percentages within 0-100
select
    o.indicator_id,
    o.geo_code,
    o.period,
    o.value
from observations as o
inner join indicators as i on o.indicator_id = i.indicator_id
where i.unit = '%' and (o.value < 0 or o.value > 100);

-- rule: observations: a share's numerator is not larger than its denominator
select
    o.indicator_id,
    o.geo_code,
    o.vintage,
    o.period,
    o.numerator,
    o.denominator
from observations as o
inner join indicators as i on o.indicator_id = i.indicator_id
where i.unit = '%' and o.numerator > o.denominator;

-- rule: observations: counts, numerators and denominators not negative
select
    o.indicator_id,
    o.geo_code,
    o.period,
    o.value
from observations as o
inner join indicators as i on o.indicator_id = i.indicator_id
where
    (i.unit in ('count', '£') and o.value < 0)
    or o.numerator < 0
    or o.denominator < 0;

-- rule: observations: lower_95 <= value <= upper_95 and lower_998 <= value <= upper_998
select
    indicator_id,
    geo_code,
    period,
    value,
    lower_95,
    upper_95
from observations
where
    value < lower_95 - 1e-9
    or value > upper_95 + 1e-9
    or value < lower_998 - 1e-9
    or value > upper_998 + 1e-9
    or lower_998 > lower_95
    or upper_998 < upper_95;

-- rule: observations: method, status and fit_quality valid
select
    indicator_id,
    geo_code,
    period,
    method,
    status,
    fit_quality
from observations
where
    method not in ('published', 'aggregated', 'apportioned')
    or status not in ('final', 'provisional', 'estimate', 'suppressed')
    or (method = 'apportioned' and (fit_quality is null or fit_quality < 0 or fit_quality > 1))
    or (value is null and status != 'suppressed');

-- rule: observations: an apportioned figure is an estimate (or suppressed, with no value)
select
    indicator_id,
    geo_code,
    vintage,
    period,
    status,
    value
from observations
where
    method = 'apportioned'
    and not (status = 'estimate' or (status = 'suppressed' and value is null));

-- rule: observations: every apportioned series names its stored weight set
select distinct
    o.indicator_id,
    o.period,
    o.vintage
from observations as o
anti join apportionments as a
    on o.indicator_id = a.indicator_id and o.period = a.period and o.vintage = a.to_vintage
where o.method = 'apportioned';

-- rule: apportionments: every weight set named is stored in crosswalks
select
    a.indicator_id,
    a.period,
    a.weight_basis
from apportionments as a
anti join crosswalks as c
    on
        a.weight_basis = c.weight_basis
        and a.from_vintage = c.from_vintage
        and a.to_vintage = c.to_vintage;

-- rule: observations: the stored weights re-applied to the stored inputs give every apportioned value
-- (to-area value = sum of weight * from-area value of the same indicator and period; within the
-- rounding the value was stored with: 0.5 for counts, 0.00005 for scores and percentages)
with recomputed as (
    select
        a.indicator_id,
        a.period,
        a.to_vintage,
        c.to_code,
        sum(c.weight * i.value) as recomputed_value,
        count(*) as pieces,
        count(i.value) as pieces_with_value
    from apportionments as a
    inner join crosswalks as c
        on
            a.weight_basis = c.weight_basis
            and a.from_vintage = c.from_vintage
            and a.to_vintage = c.to_vintage
    left join observations as i
        on
            a.indicator_id = i.indicator_id
            and a.period = i.period
            and c.from_code = i.geo_code
            and c.from_vintage = i.vintage
    group by a.indicator_id, a.period, a.to_vintage, c.to_code
)

select
    o.indicator_id,
    o.geo_code,
    o.period,
    o.value,
    r.recomputed_value
from observations as o
inner join indicators as d on o.indicator_id = d.indicator_id
left join recomputed as r
    on
        o.indicator_id = r.indicator_id
        and o.period = r.period
        and o.vintage = r.to_vintage
        and o.geo_code = r.to_code
where
    o.method = 'apportioned'
    and o.value is not null
    and (
        r.recomputed_value is null
        or r.pieces_with_value < r.pieces
        or abs(o.value - r.recomputed_value) > (case when d.unit = 'count' then 0.5 else 0.00005 end) + 1e-6
    );

-- rule: geographies: codes valid for their type
select
    geo_code,
    geo_type
from geographies
where not (
    (geo_type = 'ward' and regexp_full_match(geo_code, '[EW]05[0-9]{6}'))
    or (geo_type = 'lsoa' and regexp_full_match(geo_code, '[EW]01[0-9]{6}'))
    or (geo_type = 'msoa' and regexp_full_match(geo_code, 'E02[0-9]{6}'))
    or (geo_type = 'authority' and regexp_full_match(geo_code, '(E0[6-9]|W06)[0-9]{6}'))
    or (geo_type = 'region' and regexp_full_match(geo_code, 'E12[0-9]{6}'))
    or (geo_type = 'country' and geo_code in ('E92000001', 'W92000004'))
);

-- rule: geographies: Islington has 17 wards in 2024 and 16 in 2014 and 2018; Manchester 32, Cardiff 28
with expected (authority_code, vintage, wards) as (
    values
    ('E09000019', 2024, 17),
    ('E09000019', 2014, 16),
    ('E09000019', 2018, 16),
    ('E08000003', 2024, 32),
    ('W06000015', 2024, 28)
)

select
    e.authority_code,
    e.vintage,
    e.wards as expected_wards,
    count(g.geo_code) as wards
from expected as e
left join geographies as g
    on e.authority_code = g.authority_code and e.vintage = g.vintage and g.geo_type = 'ward'
group by e.authority_code, e.vintage, e.wards
having count(g.geo_code) != e.wards;

-- rule: observations: every London borough ward present for each current ward-level indicator and period
-- (but Wales' own index, which covers Welsh wards only)
with ind as (
    select distinct
        o.indicator_id,
        o.period
    from observations as o
    inner join geographies as g on o.geo_code = g.geo_code and o.vintage = g.vintage
    inner join indicators as i on o.indicator_id = i.indicator_id
    where g.geo_type = 'ward' and o.vintage = 2024 and i.source_id not like 'wimd%'
),

wards as (
    select geo_code
    from geographies
    where
        geo_type = 'ward' and vintage = 2024
        and authority_code like 'E09%' and authority_code != 'E09000001'
)

select
    ind.indicator_id,
    ind.period,
    wards.geo_code
from ind
cross join wards
anti join observations as o
    on
        ind.indicator_id = o.indicator_id
        and ind.period = o.period
        and wards.geo_code = o.geo_code
        and o.vintage = 2024;

-- rule: observations: published authority Census totals agree with summed LSOAs within 0.1% (categories 1%)
-- (ONS perturbs every table at every geography, so they differ a little: totals such as all
-- households within 0.1%, the smaller category counts within 1%; in the smallest authorities the
-- noise of many LSOAs can pass 0.1% of the total, so totals may also differ by up to 30, e.g.
-- Rutland's households in TS054: 16,691 published, 16,715 summed)
with lsoa as (
    select
        o.indicator_id,
        g.authority_code,
        sum(o.numerator) as num,
        sum(o.denominator) as den
    from observations as o
    inner join geographies as g on o.geo_code = g.geo_code and o.vintage = g.vintage
    where g.geo_type = 'lsoa' and o.source_id = 'census2021'
    group by o.indicator_id, g.authority_code
)

select
    b.indicator_id,
    b.geo_code,
    b.numerator,
    l.num,
    b.denominator,
    l.den
from observations as b
inner join lsoa as l on b.indicator_id = l.indicator_id and b.geo_code = l.authority_code
where
    b.source_id = 'census2021'
    and b.method = 'published'
    and (
        abs(b.numerator - l.num) > 0.01 * b.numerator
        or abs(coalesce(b.denominator, 0) - coalesce(l.den, 0)) > greatest(0.001 * coalesce(b.denominator, 0), 30)
    );

-- rule: geographies: the current ward set is every England and Wales ward of May 2024 (7,579 in 318 authorities)
with n as (
    select
        count(*) filter (where geo_type = 'ward') as wards,
        count(distinct authority_code) filter (where geo_type = 'ward') as authorities,
        count(*) filter (where geo_type = 'authority') as authority_rows
    from geographies
    where vintage = 2024
)

select *
from n
where wards != 7579 or authorities != 318 or authority_rows != 318;

-- rule: geographies: every current ward and authority names its region and country, and they exist
select
    g.geo_code,
    g.geo_type,
    g.region_code,
    g.country_code
from geographies as g
left join geographies as r
    on g.region_code = r.geo_code and r.vintage = 2024 and r.geo_type in ('region', 'country')
left join geographies as c
    on g.country_code = c.geo_code and c.vintage = 2024 and c.geo_type = 'country'
where
    g.vintage = 2024 and g.geo_type in ('ward', 'authority')
    and (r.geo_code is null or c.geo_code is null);

-- rule: observations: authority sums of ward Census counts agree with published authority totals (0.1%, categories 1%)
-- (the best-fit lookup puts every LSOA in a ward of its own authority, so ward sums are whole
-- authorities; ONS perturbs each geography's table, hence the tolerances of the LSOA rule above)
with ward as (
    select
        o.indicator_id,
        g.authority_code,
        sum(o.numerator) as num,
        sum(o.denominator) as den
    from observations as o
    inner join geographies as g on o.geo_code = g.geo_code and o.vintage = g.vintage
    where g.geo_type = 'ward' and o.source_id = 'census2021' and o.vintage = 2024
    group by o.indicator_id, g.authority_code
)

select
    b.indicator_id,
    b.geo_code,
    b.numerator,
    w.num,
    b.denominator,
    w.den
from observations as b
inner join ward as w on b.indicator_id = w.indicator_id and b.geo_code = w.authority_code
where
    b.source_id = 'census2021'
    and b.method = 'published'
    and (
        abs(b.numerator - w.num) > 0.01 * b.numerator
        or abs(coalesce(b.denominator, 0) - coalesce(w.den, 0)) > greatest(0.001 * coalesce(b.denominator, 0), 30)
    );

-- rule: observations: Stat-Xplore's authority series cover every authority of England and Wales in every period
select
    o.indicator_id,
    o.period,
    count(distinct o.geo_code) as authorities
from observations as o
inner join geographies as g on o.geo_code = g.geo_code and o.vintage = g.vintage
where o.source_id in ('dwp_statxplore', 'dwp_statxplore_uc') and g.geo_type = 'authority'
group by o.indicator_id, o.period
having count(distinct o.geo_code) != 318;

-- rule: observations: Stat-Xplore's region and country totals are the sums of their authorities' counts
with auth as (
    select
        o.indicator_id,
        o.period,
        g.region_code,
        g.country_code,
        o.value
    from observations as o
    inner join geographies as g on o.geo_code = g.geo_code and o.vintage = g.vintage
    where o.source_id in ('dwp_statxplore', 'dwp_statxplore_uc') and g.geo_type = 'authority'
),

total as (
    select
        t.indicator_id,
        t.period,
        t.geo_code,
        t.value,
        sum(a.value) as summed,
        count(*) - count(a.value) as unpublished
    from observations as t
    inner join geographies as g on t.geo_code = g.geo_code and t.vintage = g.vintage
    inner join auth as a
        on
            t.indicator_id = a.indicator_id and t.period = a.period
            and t.geo_code in (a.region_code, a.country_code)
    where t.source_id in ('dwp_statxplore', 'dwp_statxplore_uc') and g.geo_type in ('region', 'country')
    group by t.indicator_id, t.period, t.geo_code, t.value
)

select *
from total
where unpublished > 0 or abs(value - summed) > 1e-6;

-- rule: similar wards: keys unique and not null (characteristics; ward x characteristic; ward x rank; ward x neighbour)
select
    'characteristics' as tbl,
    characteristic as row_key
from characteristics
group by characteristic
having count(*) > 1 or characteristic is null
union all
select
    'ward_characteristics' as tbl,
    geo_code || ' ' || characteristic as row_key
from ward_characteristics
group by geo_code, vintage, characteristic
having count(*) > 1 or geo_code is null or vintage is null or characteristic is null
union all
select
    'similar_wards' as tbl,
    geo_code || ' ' || rank as row_key
from similar_wards
group by geo_code, vintage, rank
having count(*) > 1 or geo_code is null or vintage is null or rank is null
union all
select
    'similar_wards' as tbl,
    geo_code || ' ' || neighbour_code as row_key
from similar_wards
group by geo_code, vintage, neighbour_code
having count(*) > 1 or neighbour_code is null;

-- rule: similar wards: characteristics are current wards', registered, all present for each ward, values valid
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

-- rule: similar wards: every z-score is the stored value standardised across all wards (log where stated)
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

-- rule: similar wards: every ward with characteristics has 10 neighbours ranked 1-10, and no other ward has any
with n as (
    select
        geo_code,
        vintage,
        count(*) as neighbours,
        min(rank) as first_rank,
        max(rank) as last_rank
    from similar_wards
    group by geo_code, vintage
),

matched as (
    select distinct
        geo_code,
        vintage
    from ward_characteristics
)

select
    n.neighbours,
    n.first_rank,
    n.last_rank,
    coalesce(m.geo_code, n.geo_code) as geo_code
from matched as m
full outer join n on m.geo_code = n.geo_code and m.vintage = n.vintage
where
    m.geo_code is null or n.geo_code is null
    or n.neighbours != 10 or n.first_rank != 1 or n.last_rank != 10;

-- rule: similar wards: a neighbour is a ward with characteristics in another authority, never itself
with matched as (
    select distinct geo_code
    from ward_characteristics
)

select
    s.geo_code,
    s.neighbour_code,
    a.authority_code,
    b.authority_code as neighbour_authority
from similar_wards as s
left join geographies as a on s.geo_code = a.geo_code and s.vintage = a.vintage and a.geo_type = 'ward'
left join geographies as b on s.neighbour_code = b.geo_code and s.vintage = b.vintage and b.geo_type = 'ward'
left join matched as c on s.neighbour_code = c.geo_code
where
    s.neighbour_code = s.geo_code or a.authority_code is null or b.authority_code is null
    or a.authority_code = b.authority_code or c.geo_code is null;

-- rule: similar wards: distance is the standardised Euclidean distance of the z-scores, ranked (ties by code)
with d as (
    select
        s.geo_code,
        s.vintage,
        s.rank,
        s.neighbour_code,
        s.distance,
        sqrt(sum((a.z - b.z) * (a.z - b.z))) as distance_again
    from similar_wards as s
    inner join ward_characteristics as a on s.geo_code = a.geo_code and s.vintage = a.vintage
    inner join ward_characteristics as b
        on s.neighbour_code = b.geo_code and s.vintage = b.vintage and a.characteristic = b.characteristic
    group by s.geo_code, s.vintage, s.rank, s.neighbour_code, s.distance
),

o as (
    select
        *,
        lead(distance) over (partition by geo_code, vintage order by rank) as next_distance,
        lead(neighbour_code) over (partition by geo_code, vintage order by rank) as next_code
    from d
)

select
    geo_code,
    rank,
    neighbour_code,
    distance,
    distance_again,
    next_distance
from o
where
    abs(distance - distance_again) > 0.000002
    or next_distance < distance
    or (next_distance = distance and next_code < neighbour_code);

-- rule: views: keys unique (ward figures; gap measures; gap trends; quintiles; trend markers)
select
    'ward_figures' as tbl,
    authority_code || '|' || indicator_id || '|' || period || '|' || vintage || '|' || geo_code as k
from ward_figures
group by authority_code, indicator_id, period, vintage, geo_code
having count(*) > 1
union all
select
    'gap_measures' as tbl,
    authority_code || '|' || indicator_id || '|' || period || '|' || vintage as k
from gap_measures
group by authority_code, indicator_id, period, vintage
having count(*) > 1
union all
select
    'gap_trends' as tbl,
    authority_code || '|' || indicator_id || '|' || vintage as k
from gap_trends
group by authority_code, indicator_id, vintage
having count(*) > 1
union all
select
    'deprivation_quintiles' as tbl,
    authority_code || '|' || indicator_id || '|' || period || '|' || vintage || '|' || quintile as k
from deprivation_quintiles
group by authority_code, indicator_id, period, vintage, quintile
having count(*) > 1
union all
select
    'trend_markers' as tbl,
    authority_code || '|' || indicator_id || '|' || vintage || '|' || geo_code as k
from trend_markers
group by authority_code, indicator_id, vintage, geo_code
having count(*) > 1;

-- rule: views: every ward figure has its ward table row, and every ward table its gap measures
select
    o.indicator_id,
    o.geo_code,
    o.vintage,
    o.period
from ward_observations as o
left join ward_figures as f
    on
        o.indicator_id = f.indicator_id
        and o.geo_code = f.geo_code
        and o.vintage = f.vintage
        and o.period = f.period
        and o.authority_code = f.authority_code
where f.geo_code is null
union all
select distinct
    f.indicator_id,
    f.authority_code as geo_code,
    f.vintage,
    f.period
from ward_figures as f
left join gap_measures as g
    on
        f.authority_code = g.authority_code
        and f.indicator_id = g.indicator_id
        and f.period = g.period
        and f.vintage = g.vintage
where g.authority_code is null;

-- rule: views: a ward's rank is its place among the authority's figures (1 = highest)
select
    f.authority_code,
    f.indicator_id,
    f.period,
    f.vintage,
    f.geo_code,
    f.rank
from ward_figures as f
inner join observations as o
    on
        f.indicator_id = o.indicator_id
        and f.geo_code = o.geo_code
        and f.vintage = o.vintage
        and f.period = o.period
where
    f.rank is distinct from (
        select 1 + count(*)
        from ward_figures as g
        inner join observations as p
            on
                g.indicator_id = p.indicator_id
                and g.geo_code = p.geo_code
                and g.vintage = p.vintage
                and g.period = p.period
        where
            g.authority_code = f.authority_code
            and g.indicator_id = f.indicator_id
            and g.period = f.period
            and g.vintage = f.vintage
            and p.value > o.value
    )
    and o.value is not null;
