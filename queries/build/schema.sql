-- The extract's tables (DESIGN.md §2), created empty by the build before any row is written.
-- Every table has a primary key; the data contract (contract.sql) checks the rest.

create table sources (
    source_id varchar primary key,
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
    indicator_id varchar primary key,
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
    primary key (geo_code, vintage)
);

create table boundaries (
    geo_code varchar not null,
    vintage integer not null,
    geojson varchar,
    area_ha double,
    label_lon double,
    label_lat double,
    primary key (geo_code, vintage)
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
    source_id varchar,
    primary key (indicator_id, geo_code, vintage, period)
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
    weight_basis varchar not null,
    primary key (from_code, from_vintage, to_code, to_vintage, weight_basis)
);

-- Which weight set made each apportioned series: the contract re-applies it to the stored
-- from-area rows of the same indicator and period.
create table apportionments (
    indicator_id varchar not null,
    period varchar not null,
    from_vintage integer not null,
    to_vintage integer not null,
    weight_basis varchar not null,
    primary key (indicator_id, period, to_vintage)
);
