-- What the publish step reads of the council's area sets when it publishes the local layer (python
-- -m wardgaps publish --with-local), on a connection where the layer is attached as local_layer and
-- overlaid with its areas' figures (queries/local/overlay_areas.sql): only the sets marked published
-- (add-areas --published). Each section starts with an "-- input:" line naming it.

-- input: area_sets
-- One row per published area set, with the provenance of its file.
select *  -- noqa: AM04
from local_layer.area_sets
where published
order by set_name;

-- input: area_wards
-- One row per ward of an area of a published set.
select a.*  -- noqa: AM04
from local_layer.area_wards as a
inner join local_layer.area_sets as s on a.set_name = s.set_name
where s.published
order by a.set_name, a.ward_code;

-- input: area_observations
-- One row per area of a published set, indicator and period: its figures summed from its wards'
-- (undisclosed: the publish step applies the rules to them).
select o.*  -- noqa: AM04
from area_observations as o
inner join local_layer.area_sets as s on o.set_name = s.set_name
where s.published
order by o.set_name, o.authority_code, o.indicator_id, o.period, o.area_name;
