-- The local layer's places table (the council's own places, e.g. the community hubs it runs),
-- created by `python -m wardgaps add-places` in a new or an older local file (and the published
-- flag added to an older one's: a place is not published until `set-published --places` says so).
-- Returns: nothing.
-- Parameters: none.
create table if not exists places (
    place_id integer primary key,
    name varchar not null,
    kind varchar not null,
    lon double not null,
    lat double not null,
    authority_code varchar not null,
    file_name varchar not null,
    file_sha256 varchar not null,
    added_at timestamp not null,
    published boolean not null default false
);

alter table places add column if not exists published boolean default false;
