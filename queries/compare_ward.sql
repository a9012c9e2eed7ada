-- Returns: one current ward's figures for every indicator and period it has one (shown or
--   hidden), with the interval, whether it is hidden, its own authority's and its country's
--   figures for the same period and the Fingertips significance label against each (the
--   per-authority views: in the public view, those of the figures shown), for the Compare page.
-- One row per: indicator and period with a figure for the ward.
-- Parameters: $ward_code, $vintage.
select
    f.indicator_id,
    i.short_title,
    i.theme,
    i.unit,
    i.polarity,
    f.period,
    o.period_start,
    o.value,
    o.lower_95,
    o.upper_95,
    o.status,
    o.source_id,
    f.suppressed,
    f.authority_code,
    f.authority_value,
    f.country_value,
    f.vs_authority,
    f.vs_country
from ward_figures as f
inner join observations as o
    on
        f.indicator_id = o.indicator_id
        and f.geo_code = o.geo_code
        and f.vintage = o.vintage
        and f.period = o.period
inner join indicators as i on f.indicator_id = i.indicator_id
where f.geo_code = $ward_code and f.vintage = $vintage and (o.value is not null or f.suppressed)
order by i.theme, f.indicator_id, o.period_start
