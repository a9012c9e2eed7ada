-- The official tables plus the local layer's rows, under the tables' own names, as temporary
-- views of one cursor: every named query (and the extract's own views, which read these names)
-- sees local indicators as it sees official ones; their titles say "(local data)" wherever they
-- are shown, and "(local data, not published)" while they are not published. The extract's
-- tables are named through its catalogue (query_table), so a view never reads itself.
-- Returns: nothing (creates temp views indicators, sources, observations).
-- Parameters: none.
set variable wardgaps_extract = current_database();

create or replace temp view indicators as
-- an item not yet published says so wherever its title is shown (a layer made before the flag
-- has no published column: it is read through the row's JSON, and its items are not published)
with li as (
    select
        i.*,  -- noqa: AM04
        coalesce(json_extract(to_json(i), '$.published')::boolean, false) as is_published  -- noqa: RF02
    from local_layer.local_indicators as i
)

select * from query_table(getvariable('wardgaps_extract') || '.main.indicators')  -- noqa: AM04
union all by name
select
    indicator_id,
    title || if(is_published, ' (local data)', ' (local data, not published)') as title,
    short_title || if(is_published, ' (local data)', ' (local data, not published)') as short_title,
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
from li;

create or replace temp view sources as
with li as (
    select
        i.*,  -- noqa: AM04
        coalesce(json_extract(to_json(i), '$.published')::boolean, false) as is_published  -- noqa: RF02
    from local_layer.local_indicators as i
)

select * from query_table(getvariable('wardgaps_extract') || '.main.sources')  -- noqa: AM04
union all by name
select
    source_id,
    source as publisher,
    if(is_published, 'Local data: ', 'Local data (not published): ') || title as title,
    coalesce(url, 'file ' || file_name) as url,
    licence,
    coalesce(attribution, source)
    || '. Local data: file ' || file_name || ', sha256 ' || left(sha256, 12)
    || ', added ' || strftime(added_at, '%Y-%m-%d %H:%M') || ' UTC' as attribution,
    date as release_date,
    'not scheduled (local data)' as next_release,
    json_array(json_object('file', file_name, 'sha256', sha256))::varchar as raw_files
from li;

create or replace temp view observations as
select * from query_table(getvariable('wardgaps_extract') || '.main.observations')  -- noqa: AM04
union all by name
select * from local_layer.local_observations;
