"""A small extract built in code for the analysis and disclosure unit tests (issue 10 §6).

``build_fixture(path)`` writes a DuckDB file with the REAL schema and views (``queries/build/``
read through the build's own loader, so the fixture cannot drift from them) and a handful of
hand-written rows: two small authorities, their London and England rows, ten May-2022 wards with
square outlines, a rate with numerators, denominators and Wilson intervals over two financial
years, a rate over five years (for recent trends), a count with cells below 10, a population,
an IMD score in three editions and an authority-only rate. The rows are TEST DATA, not statistics:
they live here only, chosen so the expected results can be worked out by hand (see
``tests/test_analysis_fixture.py``).

Tests use it through the ``fixture_db`` fixture of ``tests/fixture_plugin.py``
(``pytest_plugins = ["tests.fixture_plugin"]``), which points ``WARDGAPS_DB`` at the file.
"""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pandas as pd

from tests.fixture_areas import more_geographies, more_observations, similar_authority_rows
from wardgaps import tables, versions, views
from wardgaps.build import add_intervals
from wardgaps.ingest.sql import sql_file

VINTAGE = 2024
AUTHORITY = "E09999901"
AUTHORITY_NAME = "Fixture authority"
AUTHORITY_B = "E09999902"
AUTHORITY_B_NAME = "Fixture second authority"
LONDON = "E12000007"
ENGLAND = "E92000001"

RATE = "child_poverty_ahc_dwp"  # %, higher is worse, Wilson intervals, FYE 2023 and FYE 2025
TREND = "out_of_work_benefit_rate"  # %, higher is worse, five years 2018-2022 (recent trends)
COUNT = "uc_households"  # count, neutral, one period ("Feb 2025"), cells below 10
AUTHORITY_ONLY = "child_poverty_ahc_ecp"  # %, published for authorities only

# code, name, authority (one row per May-2022 ward; the square of ward i sits i steps east)
WARDS = [
    ("E05999901", "Alder", AUTHORITY),
    ("E05999902", "Birch", AUTHORITY),
    ("E05999903", "Cedar", AUTHORITY),
    ("E05999904", "Damson", AUTHORITY),
    ("E05999905", "Elm", AUTHORITY),
    ("E05999906", "Fir", AUTHORITY),
    ("E05999907", "Hazel", AUTHORITY),
    ("E05999908", "Ivy", AUTHORITY_B),
    ("E05999909", "Juniper", AUTHORITY_B),
    ("E05999910", "Laurel", AUTHORITY_B),
]
CODE = {name: code for code, name, _ in WARDS}

# The rate: area -> (numerator, denominator, value, lower_95, upper_95, lower_998, upper_998),
# the limits Wilson's to 4 decimals as the build stores them; None = published as suppressed.
RATE_ROWS = {
    ("FYE 2023", "2022-04-01"): {
        "Alder": (60, 200, 30.0, 24.0747, 36.6791, 21.0864, 40.7365),
        "Birch": (52, 208, 25.0, 19.6047, 31.3019, 16.9591, 35.2357),
        "Cedar": (41, 205, 20.0, 15.0988, 26.0048, 12.7914, 29.8792),
        "Damson": (32, 200, 16.0, 11.5674, 21.7141, 9.5714, 25.5275),
        "Elm": (12, 100, 12.0, 6.9994, 19.8121, 5.1624, 25.4626),
        "Fir": (6, 100, 6.0, 2.7786, 12.4768, 1.8433, 17.8277),
        "Hazel": (36, 150, 24.0, 17.8693, 31.4291, 14.9924, 36.1200),
        "Ivy": (45, 150, 30.0, 23.2408, 37.7580, 19.9221, 42.4720),
        "Juniper": (35, 175, 20.0, 14.7467, 26.5421, 12.3219, 30.7828),
        "Laurel": (20, 200, 10.0, 6.5670, 14.9406, 5.1642, 18.4815),
        AUTHORITY: (239, 1163, 20.5503, 18.3268, 22.9677, 17.1357, 24.4446),
        AUTHORITY_B: (100, 525, 19.0476, 15.9182, 22.6267, 14.3231, 24.8781),
        LONDON: (22000, 100000, 22.0, 21.7443, 22.2578, 21.5979, 22.4075),
        ENGLAND: (150000, 1000000, 15.0, 14.9301, 15.0701, 14.8900, 15.1107),
    },
    ("FYE 2025", "2024-04-01"): {
        "Alder": (250, 500, 50.0, 45.6341, 54.3659, 43.1551, 56.8449),
        "Birch": (200, 500, 40.0, 35.7979, 44.3546, 33.4782, 46.8966),
        "Cedar": (150, 500, 30.0, 26.1482, 34.1568, 24.0902, 36.6595),
        "Damson": (100, 500, 20.0, 16.7285, 23.7289, 15.0575, 26.0670),
        "Elm": None,
        "Fir": (50, 500, 10.0, 7.6678, 12.9422, 6.5748, 14.9244),
        "Hazel": (225, 500, 45.0, 40.6940, 49.3823, 38.2825, 51.9050),
        "Ivy": (150, 300, 50.0, 44.3780, 55.6220, 41.2179, 58.7821),
        "Juniper": (90, 300, 30.0, 25.0940, 35.4118, 22.5445, 38.6895),
        "Laurel": (30, 300, 10.0, 7.0948, 13.9166, 5.8222, 16.6458),
        AUTHORITY: (990, 3100, 31.9355, 30.3175, 33.5982, 29.4067, 34.5752),
        AUTHORITY_B: (270, 900, 30.0, 27.0963, 33.0737, 25.5097, 34.9102),
        LONDON: (28000, 100000, 28.0, 27.7226, 28.2791, 27.5633, 28.4409),
        ENGLAND: (200000, 1000000, 20.0, 19.9217, 20.0785, 19.8767, 20.1239),
    },
}

# The count (households on UC, "Feb 2025"): Damson 8 and Ivy 9 are below 10.
COUNT_ROWS = {
    "Alder": 120,
    "Birch": 87,
    "Cedar": 43,
    "Damson": 8,
    "Elm": 14,
    "Fir": 230,
    "Hazel": 61,
    "Ivy": 9,
    "Juniper": 300,
    "Laurel": 55,
    AUTHORITY: 563,
    AUTHORITY_B: 364,
    LONDON: 927,
    ENGLAND: 98766,
}

POPULATION_ROWS = {
    "Alder": 1003,
    "Birch": 1498,
    "Cedar": 1202,
    "Damson": 997,
    "Elm": 1100,
    "Fir": 1301,
    "Hazel": 899,
    "Ivy": 1000,
    "Juniper": 1200,
    "Laurel": 1400,
    AUTHORITY: 8000,
    AUTHORITY_B: 3600,
    LONDON: 8800000,
    ENGLAND: 57000000,
}

# IMD score by edition (higher = more deprived); the order of Alder and Birch swaps in 2025.
IMD_ROWS = {
    "2015": {"Alder": 41, "Birch": 34, "Cedar": 31, "Damson": 24, "Elm": 19, "Fir": 16, "Hazel": 33},
    "2019": {"Alder": 40, "Birch": 35, "Cedar": 30, "Damson": 25, "Elm": 20, "Fir": 15, "Hazel": 32},
    "2025": {"Alder": 36, "Birch": 38, "Cedar": 29, "Damson": 26, "Elm": 21, "Fir": 14, "Hazel": 31},
}
IMD_ROWS_B = {
    "2015": {"Ivy": 32, "Juniper": 21, "Laurel": 10},
    "2019": {"Ivy": 33, "Juniper": 22, "Laurel": 11},
    "2025": {"Ivy": 34, "Juniper": 23, "Laurel": 12},
}

# The five-year rate: numerators out of 1000 in every ward and year (2018 ... 2022). Alder rises
# 10% -> 30%, Fir falls 30% -> 10%, every other ward stays put; each authority's total stays 20%.
TREND_ROWS = {
    "Alder": [100, 150, 200, 250, 300],
    "Birch": [180] * 5,
    "Cedar": [190] * 5,
    "Damson": [200] * 5,
    "Elm": [210] * 5,
    "Fir": [300, 250, 200, 150, 100],
    "Hazel": [220] * 5,
    "Ivy": [150] * 5,
    "Juniper": [250] * 5,
    "Laurel": [200] * 5,
}
TREND_TOTALS = {AUTHORITY: (1400, 7000), AUTHORITY_B: (600, 3000), LONDON: (20000, 100000), ENGLAND: (180000, 1000000)}
TREND_YEARS = ["2018", "2019", "2020", "2021", "2022"]

CAVEAT = (
    "Test data for the fixture extract. Fixture authority's Elm ward has no figure for FYE 2025 (withheld by the "
    "publisher). Rates are rounded"
)


def _source(source_id: str, title: str) -> dict:
    return {
        "source_id": source_id,
        "publisher": "Fixture publisher (test data)",
        "title": title,
        "url": "https://example.org/fixture",
        "licence": "Open Government Licence v3.0",
        "attribution": "Test data",
        "release_date": "2025-03",
        "next_release": "2026-03",
        "raw_files": json.dumps([{"file": f"fixture/{source_id}.csv", "sha256": "0" * 64}]),
    }


SOURCES = [
    _source("fixture_dwp", "Fixture rate (test data)"),
    _source("fixture_atlas", "Fixture five-year rate (test data)"),
    _source("fixture_ecp", "Fixture authority-only rate (test data)"),
    _source("fixture_uc", "Fixture count (test data)"),
    _source("fixture_census", "Fixture population (test data)"),
    _source("iod2015", "Fixture IMD 2015 (test data)"),
    _source("iod2019", "Fixture IMD 2019 (test data)"),
    _source("iod2025", "Fixture IMD 2025 (test data)"),
]


def _indicator(indicator_id: str, short: str, theme: str, unit: str, polarity: str, source: str, **kw) -> dict:
    return {
        "indicator_id": indicator_id,
        "title": f"{short} (fixture)",
        "short_title": short,
        "theme": theme,
        "unit": unit,
        "polarity": polarity,
        "definition": f"Fixture {short.lower()}: test data only.",
        "numerator_label": kw.get("numerator_label", ""),
        "denominator_label": kw.get("denominator_label", ""),
        "ci_method": kw.get("ci_method", "none"),
        "source_id": source,
        "native_geography": kw.get("native_geography", "ward 2022"),
        "caveats": kw.get("caveats", ""),
    }


INDICATORS = [
    _indicator(
        RATE,
        "Child poverty AHC (DWP)",
        "child_poverty",
        "%",
        "higher_is_worse",
        "fixture_dwp",
        numerator_label="Children in low income",
        denominator_label="Children",
        ci_method="wilson",
        caveats=CAVEAT,
    ),
    _indicator(
        TREND,
        "Out-of-work benefit claimants",
        "poverty",
        "%",
        "higher_is_worse",
        "fixture_atlas",
        numerator_label="Claimants",
        denominator_label="Residents aged 16-64",
        ci_method="wilson",
    ),
    _indicator(
        AUTHORITY_ONLY,
        "Child poverty AHC (ECP)",
        "child_poverty",
        "%",
        "higher_is_worse",
        "fixture_ecp",
        native_geography="authority",
    ),
    _indicator(COUNT, "Households on UC (count)", "poverty", "count", "neutral", "fixture_uc"),
    _indicator("population", "Population", "population", "count", "neutral", "fixture_census"),
    _indicator("imd_score", "IMD score", "poverty", "score", "higher_is_worse", "iod2019", native_geography="lsoa"),
]


def _square(i: int) -> tuple[str, float, float]:
    """A 0.01-degree square, the i-th east of -0.2 at 51.5 (GeoJSON, EPSG:4326), and its centre."""
    x0, y0, d = round(-0.2 + 0.01 * i, 4), 51.5, 0.01
    ring = [[x0, y0], [x0 + d, y0], [x0 + d, y0 + d], [x0, y0 + d], [x0, y0]]
    ring = [[round(x, 4), round(y, 4)] for x, y in ring]
    return json.dumps({"type": "Polygon", "coordinates": [ring]}), round(x0 + d / 2, 4), round(y0 + d / 2, 4)


def _geographies() -> tuple[list[dict], list[dict]]:
    geos = [
        {"geo_code": AUTHORITY, "geo_name": AUTHORITY_NAME, "geo_type": "authority", "authority_code": AUTHORITY},
        {"geo_code": AUTHORITY_B, "geo_name": AUTHORITY_B_NAME, "geo_type": "authority", "authority_code": AUTHORITY_B},
        {"geo_code": LONDON, "geo_name": "London", "geo_type": "region", "authority_code": None},
        {"geo_code": ENGLAND, "geo_name": "England", "geo_type": "country", "authority_code": None},
    ]
    bounds = []
    for i, (code, name, authority) in enumerate(WARDS):
        geos.append({"geo_code": code, "geo_name": name, "geo_type": "ward", "authority_code": authority})
        geojson, lon, lat = _square(i)
        bounds.append({"geo_code": code, "geojson": geojson, "area_ha": 77.0, "label_lon": lon, "label_lat": lat})
    # each authority's outline: the rectangle its wards' squares make (places are placed by them)
    for authority, first, n in ((AUTHORITY, 0, 7), (AUTHORITY_B, 7, 3)):
        x0, y0 = round(-0.2 + 0.01 * first, 4), 51.5
        ring = [[x0, y0], [x0 + 0.01 * n, y0], [x0 + 0.01 * n, y0 + 0.01], [x0, y0 + 0.01], [x0, y0]]
        geojson = json.dumps({"type": "Polygon", "coordinates": [[[round(x, 4), round(y, 4)] for x, y in ring]]})
        lon, lat = round(x0 + 0.005, 4), round(y0 + 0.005, 4)
        bounds.append(
            {"geo_code": authority, "geojson": geojson, "area_ha": 77.0 * n, "label_lon": lon, "label_lat": lat}
        )
    for g in geos:
        g["vintage"] = VINTAGE
        # every fixture area is in London, England (the region and country rows hold themselves)
        g["region_code"] = None if g["geo_type"] == "country" else LONDON
        g["country_code"] = ENGLAND
    for b in bounds:
        b["vintage"] = VINTAGE
    more = more_geographies(VINTAGE, LONDON, ENGLAND, AUTHORITY)  # tests/fixture_areas.py
    return geos + more[0], bounds + more[1]


def _obs(indicator_id: str, area: str, period: str, start: str, source: str, **kw) -> dict:
    row = {
        "indicator_id": indicator_id,
        "geo_code": CODE.get(area, area),
        "vintage": VINTAGE,
        "period": period,
        "period_start": pd.Timestamp(start),
        "method": "published",
        "status": "final",
        "fit_quality": None,
        "source_id": source,
    }
    for col in ("value", "numerator", "denominator", "lower_95", "upper_95", "lower_998", "upper_998"):
        row[col] = kw.get(col)
    row.update({k: v for k, v in kw.items() if k in ("method", "status")})
    return row


def _observations() -> list[dict]:
    rows = []
    for (period, start), areas in RATE_ROWS.items():
        for area, r in areas.items():
            if r is None:
                rows.append(_obs(RATE, area, period, start, "fixture_dwp", status="suppressed"))
                continue
            num, den, value, lo, hi, lo2, hi2 = r
            rows.append(
                _obs(
                    RATE,
                    area,
                    period,
                    start,
                    "fixture_dwp",
                    value=value,
                    numerator=num,
                    denominator=den,
                    lower_95=lo,
                    upper_95=hi,
                    lower_998=lo2,
                    upper_998=hi2,
                )
            )
    for area, n in COUNT_ROWS.items():
        rows.append(_obs(COUNT, area, "Feb 2025", "2025-02-01", "fixture_uc", value=n, numerator=n))
    for area, n in POPULATION_ROWS.items():
        method = "aggregated" if area in CODE else "published"
        rows.append(
            _obs("population", area, "2021", "2021-03-21", "fixture_census", value=n, numerator=n, method=method)
        )
    for edition in ("2015", "2019", "2025"):
        for area, score in {**IMD_ROWS[edition], **IMD_ROWS_B[edition]}.items():
            rows.append(
                _obs("imd_score", area, edition, f"{edition}-01-01", f"iod{edition}", value=score, method="aggregated")
            )
    # the authority-only rate's publisher names its years "2023/24": stored in the one form, "FYE 2024"
    for period, start, values in (
        ("FYE 2024", "2023-04-01", ((AUTHORITY, 35.5), (AUTHORITY_B, 31.0), (LONDON, 33.0))),
        ("FYE 2025", "2024-04-01", ((AUTHORITY, 36.5), (AUTHORITY_B, 32.0), (LONDON, 34.0))),
    ):
        for area, value in values:
            rows.append(_obs(AUTHORITY_ONLY, area, period, start, "fixture_ecp", value=value, status="estimate"))
    trend = []
    for i, year in enumerate(TREND_YEARS):
        areas = {**{w: (nums[i], 1000) for w, nums in TREND_ROWS.items()}, **TREND_TOTALS}
        for area, (num, den) in areas.items():
            value = round(100 * num / den, 4)
            trend.append(
                _obs(TREND, area, year, f"{year}-01-01", "fixture_atlas", value=value, numerator=num, denominator=den)
            )
    # Wilson limits as the build works them out (its own function), for the five-year rate only
    trend = add_intervals(pd.DataFrame(trend), pd.DataFrame(INDICATORS)).to_dict("records")
    return rows + trend + more_observations(_obs, COUNT)


def _insert(con: duckdb.DuckDBPyConnection, table: str, rows: list[dict]) -> None:
    """Append rows to a table of the real schema, columns matched by name (any missing is an error)."""
    cols = con.table(table).columns
    df = pd.DataFrame(rows)
    missing = sorted(set(cols) - set(df.columns))
    if missing:
        raise ValueError(f"{table}: fixture rows lack column {missing[0]}")
    con.from_df(df[cols]).insert_into(table)


def build_fixture(path: Path | str) -> Path:
    """Write the fixture extract at ``path``: real schema and views, hand-written rows."""
    path = Path(path)
    geos, bounds = _geographies()
    con = duckdb.connect(str(path))
    try:
        con.execute(tables.ddl())
        _insert(con, "sources", SOURCES)
        _insert(con, "indicators", INDICATORS)
        _insert(con, "geographies", geos)
        _insert(con, "boundaries", bounds)
        _insert(con, "observations", _observations())
        # crosswalks and apportionments stay empty: no fixture figure is apportioned
        _insert(con, "similar_authorities", similar_authority_rows(VINTAGE, AUTHORITY, AUTHORITY_B))
        con.execute(sql_file("views"))
        views.write(con, views.compute(con))  # the per-authority views, as the build makes them
        versions.stamp_release(con, "full")
        con.execute(sql_file("flush"))
    finally:
        con.close()
    return path
