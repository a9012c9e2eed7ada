-- The council's local items in a public extract (published with --with-local), in a schema named
-- as the local layer the full view attaches (local_layer), so the same named queries read them:
-- the indicators' provenance, their observations as disclosed, and the council's places.
create schema local_layer;

create table local_layer.local_indicators as
select *  -- noqa: AM04
from local_indicators_rows;

create table local_layer.local_observations as
select o.*  -- noqa: AM04
from observations as o
where o.indicator_id in (select r.indicator_id from local_indicators_rows as r);

create table local_layer.places as
select *  -- noqa: AM04
from local_places_rows;
