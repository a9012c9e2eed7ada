-- rule: ward_figures: a hidden ward has no rank or label
-- Returns: the rows that break the rule (none when it holds).
select
    authority_code,
    indicator_id,
    period,
    vintage,
    geo_code
from ward_figures
where
    suppressed
    and (
        rank is not null or rank_region is not null or rank_country is not null
        or vs_authority is not null or vs_region is not null or vs_country is not null
    );
