-- The local layer's area sets (the council's own areas: each a named group of current wards of one
-- authority, e.g. the wards a community hub serves), created by `python -m wardgaps add-areas` in a
-- new or an older local file. area_sets: one row per set, with whether it may be published and the
-- provenance of its file; area_wards: one row per ward of an area (a ward in at most one area of a set).
-- Returns: nothing.
-- Parameters: none.
create table if not exists area_sets (
    set_name varchar primary key,
    published boolean not null,
    areas integer not null,
    wards integer not null,
    file_name varchar not null,
    file_sha256 varchar not null,
    added_at timestamp not null
);

create table if not exists area_wards (
    set_name varchar not null,
    area_name varchar not null,
    ward_code varchar not null,
    authority_code varchar not null,
    primary key (set_name, ward_code)
);
