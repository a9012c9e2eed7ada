-- rule: gap_measures: a withheld gap has no range, ratio, highest, lowest or slope index
-- Returns: the rows that break the rule (none when it holds).
select
    authority_code,
    indicator_id,
    period,
    vintage
from gap_measures
where
    withheld
    and (
        range is not null or ratio is not null or highest_code is not null or lowest_code is not null
        or sii is not null
    );
