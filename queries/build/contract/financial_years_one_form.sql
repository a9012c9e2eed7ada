-- rule: observations: a financial year is stored in one form, "FYE 2015" (never "2014/15")
-- Publishers name the same year both ways (DWP "FYE 2015", End Child Poverty and the Ward Atlas
-- "2014/15"); the adapters store the first, and the pages show both ("FYE 2015 (2014/15)").
select distinct
    indicator_id,
    period
from observations
where regexp_full_match(period, '[0-9]{4}/[0-9]{2}');
