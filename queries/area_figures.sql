-- Returns: the figures of one area set's areas in one authority for one indicator and period
--   (worked out from their wards' figures: queries/local/overlay_areas.sql in the officer view; the
--   published, disclosed figures in the public extract), with how the indicator is carried to areas
--   (carry_rule), how many wards each area has and how many have a figure, the area's population and its
--   deprivation score, and the authority's own figure to compare with. Runs only when the local
--   layer (or the public extract) holds area sets.
-- One row per: area of the set in the authority (areas with no figure kept, value null).
-- Parameters: $set_name, $authority_code, $indicator_id, $period.
select
    a.area_name,
    a.carry_rule,
    a.unit,
    a.n_wards,
    a.n_figures,
    a.population,
    a.deprivation,
    a.deprivation_period,
    a.value,
    a.numerator,
    a.denominator,
    a.lower_95,
    a.upper_95,
    a.lower_998,
    a.upper_998,
    a.status,
    a.suppressed,
    t.value as authority_value
from area_observations as a
left join observations as t
    on
        a.authority_code = t.geo_code
        and a.indicator_id = t.indicator_id
        and a.period = t.period
        and t.vintage = (select c.vintage from current_vintage as c)
where
    a.set_name = $set_name
    and a.authority_code = $authority_code
    and a.indicator_id = $indicator_id
    and a.period = $period
order by a.area_name
