-- rule: apportionments: every weight set named is stored in crosswalks
-- Returns: the rows that break the rule (none when it holds).
select
    a.indicator_id,
    a.period,
    a.weight_basis
from apportionments as a
anti join crosswalks as c
    on
        a.weight_basis = c.weight_basis
        and a.from_vintage = c.from_vintage
        and a.to_vintage = c.to_vintage;
