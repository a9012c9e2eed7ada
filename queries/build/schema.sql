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
    borough_code varchar,
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
