-- Returns: every ward of an authority (one ward set) for one indicator and period: its figure
--   (value, counts, intervals, method, status, fit quality, source), whether it is hidden, its
--   rank (1 = highest) in the authority, region and country with how many figures each has,
--   the authority's, region's and country's figures and the Fingertips significance label
--   against each, and the population and deprivation score (with its IMD edition) that weight
--   and order the gap measures. Worked out at build time (publish time for the public extract).
-- One row per: ward of the authority (wards with no figure are kept, value null).
-- Parameters: $authority_code, $indicator_id, $period, $vintage.
select
    f.geo_code,
    g.geo_name,
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
    o.source_id,
    f.population,
    f.deprivation,
    f.deprivation_period,
    f.suppressed,
    f.rank,
    f.n_authority,
    f.rank_region,
    f.n_region,
    f.rank_country,
    f.n_country,
    f.authority_value,
    f.region_value,
    f.country_value,
    f.vs_authority,
    f.vs_region,
    f.vs_country
from ward_figures as f
inner join geographies as g on f.geo_code = g.geo_code and f.vintage = g.vintage
left join observations as o
    on
        f.indicator_id = o.indicator_id
        and f.geo_code = o.geo_code
        and f.vintage = o.vintage
        and f.period = o.period
where
    f.authority_code = $authority_code
    and f.indicator_id = $indicator_id
    and f.period = $period
    and f.vintage = $vintage
order by f.geo_code
