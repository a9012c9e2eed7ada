-- Returns: the figures of an authority's similar authorities for one indicator over every period
--   (a hidden figure: status suppressed, no value), with their numerators and denominators, from
--   which the page's "similar authorities" comparator is made.
-- One row per: similar authority and period.
-- Parameters: $authority_code, $indicator_id.
select
    s.rank,
    o.geo_code,
    o.geo_name,
    o.period,
    o.period_start,
    o.value,
    o.numerator,
    o.denominator,
    o.status
from similar_authorities as s
inner join observation_areas as o on s.neighbour_code = o.geo_code and o.geo_type = 'authority'
where s.geo_code = $authority_code and o.indicator_id = $indicator_id
order by o.period_start, s.rank
