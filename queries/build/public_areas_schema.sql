-- The council's published area sets in a public extract (published with --with-local; only sets
-- marked published), in the local_layer schema as the full view reads them, and their figures as
-- disclosed (area_observations, also under its own name in the main schema, as the named queries
-- read it in the officer view). Runs after queries/build/public_local_schema.sql.
create table local_layer.area_sets as
select *  -- noqa: AM04
from area_sets_rows;

create table local_layer.area_wards as
select *  -- noqa: AM04
from area_wards_rows;

create table local_layer.area_observations as
select *  -- noqa: AM04
from area_observations_rows;

create view area_observations as
select *  -- noqa: AM04
from local_layer.area_observations;
