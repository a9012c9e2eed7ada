-- The local layer's tables (the council's own ward data), created empty by
-- `python -m wardgaps add` in a new local file. local_indicators mirrors the extract's
-- indicators table plus the provenance of the file each indicator came from;
-- local_observations mirrors its observations table. An indicator is not published (does not reach
-- the public extract) until `python -m wardgaps set-published ID` says so.
-- Returns: nothing.
-- Parameters: none.
create table local_indicators (
    indicator_id varchar primary key,
    title varchar not null,
    short_title varchar,
    theme varchar not null,
    unit varchar not null,
    polarity varchar not null,
    definition varchar,
    numerator_label varchar,
    denominator_label varchar,
    ci_method varchar,
    source_id varchar not null,
    native_geography varchar,
    caveats varchar,
    source varchar not null,
    licence varchar not null,
    date varchar not null,
    attribution varchar,
    url varchar,
    file_name varchar not null,
    sha256 varchar not null,
    added_at timestamp not null,
    ward_vintage integer not null,
    rows_added integer not null,
    published boolean not null default false
);

create table local_observations (
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
