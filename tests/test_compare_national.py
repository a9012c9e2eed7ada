"""Comparison on the national extract: the Compare page with real wards of two authorities
(Islington and Liverpool), checked against the extract's own figures; the similar-authorities
table deterministic, equal to a fresh build's and recomputed independently (numpy and scipy, not
the build's code) for two authorities; the similar-authorities comparator checked against the
neighbours' counts, in the officer and the public view.

The similar_authorities table is made by the build: these tests read it from the committed extract
once that is rebuilt with it."""

from __future__ import annotations

from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pytest
from scipy.spatial.distance import cdist

from tests.conftest import COMMITTED
from tests.test_pages import app
from wardgaps import analysis, db, stats, text
from wardgaps.ingest import similar

pytestmark = pytest.mark.national

ISLINGTON, LIVERPOOL = "E09000019", "E08000012"
FINSBURY_PARK, ANFIELD = "E05013703", "E05015279"


def _read(path: Path | db.Reader, sql: str, params: dict | None = None) -> pd.DataFrame:
    """Rows of ``sql`` on the extract, through the app's own connection settings (the pages under
    test hold the same file open)."""
    r = path if isinstance(path, db.Reader) else db.Reader(path)
    try:
        with r.cursor() as cur:
            return cur.execute(sql, params or {}).df()
    except duckdb.ConnectionException:
        # another test on this worker holds the fresh build open with DuckDB's default settings,
        # and DuckDB allows one configuration per file in a process: read it with those
        with duckdb.connect(str(path), read_only=True) as con:
            return con.execute(sql, params or {}).df()


# --- the Compare page -----------------------------------------------------------------------------
def _expected_cell(path: Path, ward: str, indicator: str, period: str, authority: str, country: str) -> str:
    f = _read(
        path,
        """select o.value, o.lower_95, o.upper_95, f.vs_authority, f.vs_country
           from ward_figures as f
           inner join observations as o using (indicator_id, geo_code, vintage, period)
           where f.geo_code = $w and f.indicator_id = $i and f.period = $p and f.vintage = 2024""",
        {"w": ward, "i": indicator, "p": period},
    ).iloc[0]
    out = f"{f['value']:.1f}% ({f['lower_95']:.1f}% to {f['upper_95']:.1f}%)"
    for label, name in ((f["vs_authority"], authority), (f["vs_country"], country)):
        if label == "similar":
            out += f"; similar to {name}"
        elif label in ("worse", "better"):
            out += f"; {'▲' if label == 'worse' else '▼'} significantly {label} than {name}"
    return out


def test_compare_page_islington_and_liverpool_wards():
    at = app("compare", wards=f"{FINSBURY_PARK},{ANFIELD}", theme="child_poverty")
    wide = at.dataframe[0].value.set_index("Indicator")
    row = wide.loc["Child poverty AHC (DWP)"]
    assert row["Period"] == "FYE 2025 (2024/25)"
    fp = _expected_cell(COMMITTED, FINSBURY_PARK, "child_poverty_ahc_dwp", "FYE 2025", "Islington", "England")
    an = _expected_cell(COMMITTED, ANFIELD, "child_poverty_ahc_dwp", "FYE 2025", "Liverpool", "England")
    assert row["Finsbury Park (Islington)"] == fp
    assert row["Anfield (Liverpool)"] == an
    assert fp.startswith("46.0% (44.0% to 48.0%); ▲ significantly worse than Islington")  # as the map shows it
    assert [c.value for c in at.code] == [f"/compare?wards={FINSBURY_PARK},{ANFIELD}&theme=child_poverty"]


# --- similar authorities: the table ----------------------------------------------------------------
def _table(path: Path) -> pd.DataFrame:
    return _read(path, "select * from similar_authorities order by geo_code, rank")


def recompute(path: Path, authority: str) -> pd.DataFrame:
    """An authority's 10 nearest others worked out here, from the extract's ward numerators and
    denominators: sums per authority, shares (x100) or residents per hectare (log), z-scores
    (population SD) across authorities, Euclidean distances (scipy), nearest first, ties by code."""
    w = _read(
        path,
        """select w.authority_code, c.characteristic, c.numerator, c.denominator, k.unit, k.transform
           from ward_characteristics as c
           inner join current_wards as w on c.geo_code = w.geo_code
           inner join characteristics as k on c.characteristic = k.characteristic""",
    )
    s = w.groupby(["authority_code", "characteristic", "unit", "transform"], as_index=False)[
        ["numerator", "denominator"]
    ].sum()
    s["x"] = np.round(np.where(s["unit"].eq("%"), 100.0, 1.0) * s["numerator"] / s["denominator"], 4)
    s.loc[s["transform"].eq("log"), "x"] = np.log(s.loc[s["transform"].eq("log"), "x"])
    x = s.pivot(index="authority_code", columns="characteristic", values="x").sort_index()
    z = np.round((x - x.mean()) / x.std(ddof=0), 6)
    d = np.round(cdist(z.loc[[authority]].to_numpy(), z.to_numpy())[0], 6)
    out = pd.DataFrame({"neighbour_code": z.index, "distance": d})
    out = out[out["neighbour_code"] != authority].sort_values(["distance", "neighbour_code"]).head(10)
    return out.reset_index(drop=True)


@pytest.mark.parametrize("authority", [ISLINGTON, LIVERPOOL])
def test_similar_authorities_recomputed_independently(authority):
    check_recomputed(COMMITTED, authority)


def check_recomputed(path: Path, authority: str) -> None:
    got = _table(path)
    got = got[got["geo_code"].eq(authority)].reset_index(drop=True)
    want = recompute(path, authority)
    assert list(got["rank"]) == list(range(1, 11))
    assert list(got["neighbour_code"]) == list(want["neighbour_code"])
    assert np.allclose(got["distance"], want["distance"], atol=2e-6)


def test_similar_authorities_of_islington_and_liverpool():
    names = analysis.authority_names(analysis.Reader(COMMITTED))
    near = _table(COMMITTED)
    isl = [names[c] for c in near[near["geo_code"].eq(ISLINGTON)]["neighbour_code"]]
    assert isl[:4] == ["Southwark", "Lambeth", "Camden", "Hackney"]
    assert near["geo_code"].nunique() == 318 and len(near) == 3180


def test_similar_authorities_equal_a_rebuild_and_are_deterministic(built):
    committed, fresh = _table(COMMITTED), _table(built)
    pd.testing.assert_frame_equal(committed, fresh)
    # the build's function again, on the rows shuffled: the same table
    wc = _read(built, "select * from ward_characteristics").sample(frac=1, random_state=7)
    wards = _read(built, "select geo_code, authority_code from current_wards").set_index("geo_code")["authority_code"]
    again = similar.similar_authorities(wc, wards).sort_values(["geo_code", "rank"]).reset_index(drop=True)
    pd.testing.assert_frame_equal(again[fresh.columns].astype(fresh.dtypes.to_dict()), fresh, check_exact=False)


# --- similar authorities: the comparator -----------------------------------------------------------
def _group_rate(path: Path | db.Reader, authority: str, indicator: str, period: str) -> tuple[float, float, int]:
    d = _read(
        path,
        """select o.numerator, o.denominator from similar_authorities as s
           inner join observations as o on s.neighbour_code = o.geo_code
           where s.geo_code = $a and o.indicator_id = $i and o.period = $p and o.value is not null""",
        {"a": authority, "i": indicator, "p": period},
    )
    return float(d["numerator"].sum()), float(d["denominator"].sum()), len(d)


@pytest.mark.parametrize("view", ["full", "public"])
def test_similar_authorities_comparator_is_the_rate_of_their_counts(view, full_reader, request):
    r = full_reader if view == "full" else request.getfixturevalue("public_reader")
    comp = analysis.comparators(r, LIVERPOOL, "child_poverty_ahc_dwp", "FYE 2025", similar=True)
    s = comp.set_index("geo_type").loc["similar"]
    num, den, n = _group_rate(r, LIVERPOOL, "child_poverty_ahc_dwp", "FYE 2025")
    assert n == 10 and s["method"] == "rate of their summed counts"
    assert s["value"] == round(100 * num / den, 4)
    lo, hi = stats.wilson_interval([num], [den])
    assert (s["lower_95"], s["upper_95"]) == (round(lo[0], 4), round(hi[0], 4))
    assert text.fmt(s["value"], "%").endswith("%")
