"""The data contract every page and test relies on, run against an extract."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import duckdb
import pandas as pd

TABLES = ["sources", "indicators", "geographies", "boundaries", "observations", "crosswalks"]
KEYS = {
    "sources": ["source_id"],
    "indicators": ["indicator_id"],
    "geographies": ["geo_code", "vintage"],
    "boundaries": ["geo_code", "vintage"],
    "observations": ["indicator_id", "geo_code", "vintage", "period"],
    "crosswalks": ["from_code", "from_vintage", "to_code", "to_vintage"],
}
ISLINGTON = "E09000019"
CITY = "E09000001"
# (borough, vintage, expected number of wards)
EXPECTED_WARDS = [(ISLINGTON, 2022, 17), (ISLINGTON, 2014, 16), (ISLINGTON, 2018, 16)]
# Published borough Census totals vs summed LSOAs: ONS perturbs every table at every geography,
# so they differ a little: totals (all households, all residents) within 0.1%; the smaller
# category counts within 1%.


# Fixed statements, one per table of the allow-list above (no name ever comes from input).
HASH_SQL = {t: "select cast(t as varchar) as r from " + t + " as t order by r" for t in TABLES}


@dataclass
class Failure:
    rule: str
    rows: pd.DataFrame

    def summary(self) -> str:
        return f"{self.rule} ({len(self.rows)} rows)"


# (rule, sql returning the failing rows). All SQL here is fixed text: nothing is interpolated.
RULES: list[tuple[str, str]] = [
    *[
        (
            f"{t}: key ({', '.join(k)}) unique",
            f"select {', '.join(k)}, count(*) as n from {t} group by all having count(*) > 1",
        )
        for t, k in KEYS.items()
    ],
    *[
        (
            f"{t}: key columns not null",
            f"select * from {t} where " + " or ".join(f"{c} is null" for c in k),
        )
        for t, k in KEYS.items()
    ],
    (
        "observations: geo_code present in geographies for its vintage",
        """select distinct o.geo_code, o.vintage from observations o
           anti join geographies g on g.geo_code = o.geo_code and g.vintage = o.vintage""",
    ),
    (
        "observations: indicator registered",
        "select distinct indicator_id from observations anti join indicators using (indicator_id)",
    ),
    (
        "observations: source registered",
        "select distinct source_id from observations anti join sources using (source_id)",
    ),
    (
        "geographies: every ward and LSOA has a boundary",
        """select g.geo_code, g.vintage from geographies g
           anti join boundaries b on b.geo_code = g.geo_code and b.vintage = g.vintage
           where g.geo_type in ('ward', 'lsoa')""",
    ),
    (
        "observations: percentages within 0-100",
        """select o.indicator_id, o.geo_code, o.period, o.value from observations o
           join indicators i using (indicator_id)
           where i.unit = '%' and (o.value < 0 or o.value > 100)""",
    ),
    (
        "observations: counts, numerators and denominators not negative",
        """select o.indicator_id, o.geo_code, o.period, o.value from observations o
           join indicators i using (indicator_id)
           where (i.unit in ('count', '£') and o.value < 0) or o.numerator < 0 or o.denominator < 0""",
    ),
    (
        "observations: lower_95 <= value <= upper_95 and lower_998 <= value <= upper_998",
        """select indicator_id, geo_code, period, value, lower_95, upper_95 from observations
           where value < lower_95 - 1e-9 or value > upper_95 + 1e-9
              or value < lower_998 - 1e-9 or value > upper_998 + 1e-9
              or lower_998 > lower_95 or upper_998 < upper_95""",
    ),
    (
        "observations: method, status and fit_quality valid",
        """select indicator_id, geo_code, period, method, status, fit_quality from observations
           where method not in ('published', 'aggregated', 'apportioned')
              or status not in ('final', 'provisional', 'estimate', 'suppressed')
              or (method = 'apportioned' and (fit_quality is null or fit_quality < 0 or fit_quality > 1))
              or (value is null and status <> 'suppressed')""",
    ),
    (
        "geographies: codes valid for their type",
        """select geo_code, geo_type from geographies where not (
              (geo_type = 'ward' and regexp_full_match(geo_code, 'E05[0-9]{6}'))
           or (geo_type = 'lsoa' and regexp_full_match(geo_code, 'E01[0-9]{6}'))
           or (geo_type = 'borough' and regexp_full_match(geo_code, 'E09[0-9]{6}'))
           or (geo_type = 'region' and geo_code = 'E12000007')
           or (geo_type = 'country' and geo_code = 'E92000001'))""",
    ),
    (
        "observations: every London borough ward present for each 2022 ward-level indicator and period",
        """with ind as (
               select distinct o.indicator_id, o.period from observations o
               join geographies g on g.geo_code = o.geo_code and g.vintage = o.vintage
               where g.geo_type = 'ward' and o.vintage = 2022),
           wards as (select geo_code from geographies
                     where geo_type = 'ward' and vintage = 2022 and borough_code <> 'E09000001')
           select ind.indicator_id, ind.period, wards.geo_code from ind cross join wards
           anti join observations o on o.indicator_id = ind.indicator_id and o.period = ind.period
                and o.geo_code = wards.geo_code and o.vintage = 2022""",
    ),
    (
        "observations: published borough Census totals agree with summed LSOAs within 0.1% (categories 1%)",
        """with lsoa as (
               select o.indicator_id, g.borough_code, sum(o.numerator) as num, sum(o.denominator) as den
               from observations o join geographies g on g.geo_code = o.geo_code and g.vintage = o.vintage
               where g.geo_type = 'lsoa' and o.source_id = 'census2021' group by all)
           select b.indicator_id, b.geo_code, b.numerator, l.num, b.denominator, l.den
           from observations b join lsoa l on l.indicator_id = b.indicator_id and l.borough_code = b.geo_code
           where b.source_id = 'census2021' and b.method = 'published'
             and (abs(b.numerator - l.num) > 0.01 * b.numerator
                  or abs(coalesce(b.denominator, 0) - coalesce(l.den, 0)) > 0.001 * coalesce(b.denominator, 0))""",
    ),
]


def run_checks(con: duckdb.DuckDBPyConnection) -> list[Failure]:
    """Run every rule; return the failing ones with their rows."""
    failures = []
    for rule, sql in RULES:
        rows = con.execute(sql).df()
        if len(rows):
            failures.append(Failure(rule, rows))
    for borough, vintage, n in EXPECTED_WARDS:
        got = con.execute(
            "select count(*) from geographies where geo_type = 'ward' and borough_code = $b and vintage = $v",
            {"b": borough, "v": vintage},
        ).fetchone()[0]
        if got != n:
            failures.append(
                Failure(
                    f"geographies: {borough} has {n} wards in {vintage}",
                    pd.DataFrame([{"borough_code": borough, "vintage": vintage, "wards": got, "expected": n}]),
                )
            )
    return failures


def table_hashes(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """An order-independent content hash per table (md5 of its rows, sorted as text)."""
    out = {}
    for t in TABLES:
        rows = con.execute(HASH_SQL[t]).fetchall()
        h = hashlib.sha256()
        for (r,) in rows:
            h.update(r.encode())
            h.update(b"\n")
        out[t] = h.hexdigest()[:16]
    return out
