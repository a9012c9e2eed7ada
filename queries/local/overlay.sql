-- The official tables plus the local layer's rows, under the tables' own names, as temporary
-- views of one cursor: every named query (and the extract's own views, which read these names)
-- sees local indicators as it sees official ones; their titles say "(local data)" wherever they
-- are shown. The extract's tables are named through its catalogue (query_table), so a view never
-- reads itself.
-- Returns: nothing (creates temp views indicators, sources, observations).
-- Parameters: none.
set variable wardgaps_extract = current_database();

create or replace temp view indicators as
select * from query_table(getvariable('wardgaps_extract') || '.main.indicators')  -- noqa: AM04
union all by name
select
    indicator_id,
    title || ' (local data)' as title,
    short_title || ' (local data)' as short_title,
    theme,
    unit,
    polarity,
    definition,
    numerator_label,
    denominator_label,
    ci_method,
    source_id,
    native_geography,
    caveats
from local_layer.local_indicators;

create or replace temp view sources as
select * from query_table(getvariable('wardgaps_extract') || '.main.sources')  -- noqa: AM04
union all by name
select
    source_id,
    source as publisher,
    'Local data: ' || title as title,
    coalesce(url, 'file ' || file_name) as url,
    licence,
    coalesce(attribution, source)
    || '. Local data: file ' || file_name || ', sha256 ' || left(sha256, 12)
    || ', added ' || strftime(added_at, '%Y-%m-%d %H:%M') || ' UTC' as attribution,
    date as release_date,
    'not scheduled (local data)' as next_release,
    json_array(json_object('file', file_name, 'sha256', sha256))::varchar as raw_files
from local_layer.local_indicators;

create or replace temp view observations as
select * from query_table(getvariable('wardgaps_extract') || '.main.observations')  -- noqa: AM04
union all by name
select * from local_layer.local_observations;
