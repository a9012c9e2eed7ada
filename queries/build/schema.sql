-- The extract's tables (DESIGN.md §2), created empty by the build before any row is written.
-- Every table has a key, checked unique (and not null) by the data contract (contract.sql) rather
-- than declared: DuckDB's key indexes would be most of the file (35 of 43 MB before the national
-- build), and the extract is read-only once built.

create table sources (
    source_id varchar not null,
    publisher varchar,
    title varchar,
    url varchar,
    licence varchar,
    attribution varchar,
    release_date varchar,
    next_release varchar,
    raw_files varchar
);

create table indicators (
    indicator_id varchar not null,
    title varchar,
    short_title varchar,
    theme varchar,
    unit varchar,
    polarity varchar,
    definition varchar,
    numerator_label varchar,
    denominator_label varchar,
    ci_method varchar,
    source_id varchar,
    native_geography varchar,
    caveats varchar
);

create table geographies (
    geo_code varchar not null,
    geo_name varchar,
    geo_type varchar,
    vintage integer not null,
    authority_code varchar,
    region_code varchar,
    country_code varchar
);

create table boundaries (
    geo_code varchar not null,
    vintage integer not null,
    geojson varchar,
    area_ha double,
    label_lon double,
    label_lat double
);

create table observations (
    indicator_id varchar not null,
    geo_code varchar not null,
    vintage integer not null,
    period varchar not null,
    period_start date,
    value double,
    numerator double,
    denominator double,
    lower_95 double,
    upper_95 double,
    lower_998 double,
    upper_998 double,
    method varchar,
    fit_quality double,
    status varchar,
    source_id varchar
);

-- One row per from-area, to-area and weight set: the same pair of areas can carry several
-- weight sets (e.g. the GLA shares of different years), told apart by weight_basis.
-- to-area value = sum of weight * from-area value, for every set.
create table crosswalks (
    from_code varchar not null,
    from_vintage integer not null,
    to_code varchar not null,
    to_vintage integer not null,
    weight double,
    weight_basis varchar not null
);

-- Which weight set made each apportioned series: the contract re-applies it to the stored
-- from-area rows of the same indicator and period.
create table apportionments (
    indicator_id varchar not null,
    period varchar not null,
    from_vintage integer not null,
    to_vintage integer not null,
    weight_basis varchar not null
);

-- Similar wards (wardgaps/ingest/similar.py): the structural characteristics wards are matched
-- on, one row each, with the app indicator each repeats (left out of the comparison).
create table characteristics (
    characteristic varchar not null,
    label varchar,
    unit varchar,
    transform varchar,
    source_table varchar,
    indicator_id varchar,
    why varchar,
    position integer
);

-- One row per current ward and characteristic: the value (a share in %, or residents per
-- hectare), its numerator and denominator, and its z-score across every ward with them all.
create table ward_characteristics (
    geo_code varchar not null,
    vintage integer not null,
    characteristic varchar not null,
    value double,
    numerator double,
    denominator double,
    z double
);

-- One row per ward and neighbour: the 10 nearest wards in other authorities by standardised
-- Euclidean distance on the z-scores (rank 1 = nearest; ties broken by ward code).
create table similar_wards (
    geo_code varchar not null,
    vintage integer not null,
    rank integer not null,
    neighbour_code varchar not null,
    distance double
);

-- Per-authority views (wardgaps/views), worked out once by the build (and, on the figures shown,
-- by the publish step) so that no page computes them per request.

-- One row per authority, indicator, period, ward set and ward of that authority (wards with no
-- figure kept): what is worked out from the ward's figure (in observations, joined by the named
-- queries): its rank in the authority (1 = highest), region and country and how many figures
-- each has, the comparators' figures and the Fingertips significance label against each, and
-- the population and deprivation score (with its IMD edition) that weight and order the gaps.
create table ward_figures (
    authority_code varchar not null,
    indicator_id varchar not null,
    period varchar not null,
    vintage integer not null,
    geo_code varchar not null,
    population double,
    deprivation double,
    deprivation_period varchar,
    suppressed boolean,
    rank integer,
    n_authority integer,
    rank_region integer,
    n_region integer,
    rank_country integer,
    n_country integer,
    authority_value double,
    region_value double,
    country_value double,
    vs_authority varchar,
    vs_region varchar,
    vs_country varchar
);

-- One row per authority, indicator, period and ward set: range, highest/lowest ratio and the
-- slope and relative indices of inequality (95% limits), or why not (sii_note, withheld).
create table gap_measures (
    authority_code varchar not null,
    indicator_id varchar not null,
    period varchar not null,
    vintage integer not null,
    period_start date,
    measured boolean,
    n integer,
    highest_code varchar,
    highest double,
    lowest_code varchar,
    lowest double,
    range double,
    ratio double,
    sii double,
    rii double,
    sii_intercept double,
    sii_lower_95 double,
    sii_upper_95 double,
    rii_lower_95 double,
    rii_upper_95 double,
    sii_note varchar,
    withheld boolean,
    deprivation_edition varchar
);

-- One row per authority, indicator and ward set: whether the slope index gap widened between the
-- first and last periods that have one.
create table gap_trends (
    authority_code varchar not null,
    indicator_id varchar not null,
    vintage integer not null,
    periods integer,
    change varchar
);

-- One row per authority, indicator, period, ward set and deprivation quintile (1 = most deprived
-- fifth of the authority's wards): the population-weighted mean of the wards in it.
create table deprivation_quintiles (
    authority_code varchar not null,
    indicator_id varchar not null,
    period varchar not null,
    vintage integer not null,
    quintile integer not null,
    wards integer,
    value double
);

-- One row per ward series (authority, indicator, ward set, ward): Fingertips' recent-trend
-- marker over the last five periods, why, and whether the change is better or worse.
create table trend_markers (
    authority_code varchar not null,
    indicator_id varchar not null,
    vintage integer not null,
    geo_code varchar not null,
    geo_name varchar,
    marker varchar,
    reason varchar,
    judged varchar
);

-- One row per fact about this extract: its data version (a hash of its figures, the one
-- permalinks carry), which kind it is (full, or public: made by the publish step) and, for a
-- public extract, the full extract's data version it was made from and whether the council's
-- local data was published with it.
create table release_info (
    key varchar not null,
    value varchar
);
