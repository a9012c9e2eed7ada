-- The extract's per-authority views plus the local indicators' own rows (worked out in the app's
-- process when the local layer is opened, wardgaps/db.py, and registered on each cursor as
-- local_<table>), under the views' own names, as temporary views of one cursor: every named query
-- reads a local indicator's ranks, labels and gaps as it reads an official one's.
-- Returns: nothing (creates temp views ward_figures, gap_measures, gap_trends,
--   deprivation_quintiles, trend_markers).
-- Parameters: none.
create or replace temp view ward_figures as
select * from query_table(getvariable('wardgaps_extract') || '.main.ward_figures')  -- noqa: AM04
union all by name
select * from local_ward_figures;  -- noqa: AM04

create or replace temp view gap_measures as
select * from query_table(getvariable('wardgaps_extract') || '.main.gap_measures')  -- noqa: AM04
union all by name
select * from local_gap_measures;  -- noqa: AM04

create or replace temp view gap_trends as
select * from query_table(getvariable('wardgaps_extract') || '.main.gap_trends')  -- noqa: AM04
union all by name
select * from local_gap_trends;  -- noqa: AM04

create or replace temp view deprivation_quintiles as
select * from query_table(getvariable('wardgaps_extract') || '.main.deprivation_quintiles')  -- noqa: AM04
union all by name
select * from local_deprivation_quintiles;  -- noqa: AM04

create or replace temp view trend_markers as
select * from query_table(getvariable('wardgaps_extract') || '.main.trend_markers')  -- noqa: AM04
union all by name
select * from local_trend_markers;  -- noqa: AM04
