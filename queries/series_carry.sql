-- Returns: how each series reaches its ward set (the geography change log): per indicator,
--   source, ward set and method, the periods, the ward figures, the weight sets that apportioned
--   them, and the distribution of their fit quality (apportioned figures only; 1 = every
--   contributing block lies wholly in the ward).
-- One row per: indicator, source, ward set (vintage) and method of its ward figures.
-- Parameters: none.
with ward_figures as (
    select
        o.indicator_id,
        o.source_id,
        o.vintage,
        o.method,
        o.period,
        o.period_start,
        o.geo_code,
        o.fit_quality
    from observations as o
    inner join geographies as g on o.geo_code = g.geo_code and o.vintage = g.vintage
    where g.geo_type = 'ward'
),

reached as (
    select distinct
        c.to_code,
        c.to_vintage,
        c.weight_basis
    from crosswalks as c
),

bases as (
    select
        w.indicator_id,
        w.source_id,
        w.vintage,
        string_agg(distinct a.weight_basis, '; ' order by a.weight_basis) as weight_basis
    from ward_figures as w
    inner join apportionments as a
        on w.indicator_id = a.indicator_id and w.period = a.period and w.vintage = a.to_vintage
    inner join reached as r
        on w.geo_code = r.to_code and w.vintage = r.to_vintage and a.weight_basis = r.weight_basis
    where w.method = 'apportioned'
    group by w.indicator_id, w.source_id, w.vintage
)

select
    w.indicator_id,
    w.source_id,
    w.vintage,
    w.method,
    b.weight_basis,
    arg_min(w.period, w.period_start) as first_period,
    arg_max(w.period, w.period_start) as last_period,
    count(distinct w.period) as periods,
    count(*) as ward_figures,
    count(distinct w.geo_code) as wards,
    min(w.fit_quality) as fit_min,
    quantile_cont(w.fit_quality, 0.1) as fit_p10,
    median(w.fit_quality) as fit_median,
    avg(case when w.fit_quality >= 0.9999 then 1.0 when w.fit_quality is not null then 0.0 end) as fit_whole_share
from ward_figures as w
left join bases as b
    on
        w.indicator_id = b.indicator_id
        and w.source_id = b.source_id
        and w.vintage = b.vintage
        and w.method = 'apportioned'
group by w.indicator_id, w.source_id, w.vintage, w.method, b.weight_basis
order by w.indicator_id asc, w.vintage desc, w.method asc, w.source_id asc
