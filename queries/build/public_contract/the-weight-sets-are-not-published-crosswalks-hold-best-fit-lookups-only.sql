-- rule: the weight sets are not published: crosswalks hold best-fit lookups only (every weight 1)
-- Returns: the rows that break the rule (none when it holds).
select
    'crosswalks' as tbl,
    weight_basis
from crosswalks
where weight != 1
union all
select
    'apportionments' as tbl,
    weight_basis
from apportionments;
