"""Similar wards (issue 14): the neighbour table is deterministic and recomputable from the
extract, no ward's neighbour is in its own authority, and the page shows real values for
Islington and Manchester, with bad input handled.

The extract is the one the app reads (``data/wardgaps.duckdb`` or ``WARDGAPS_DB``), rebuilt with
this code. The independent recomputation uses plain pandas/numpy on the stored characteristics,
not the build's functions.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from tests.test_pages import app, frames, texts
from wardgaps import analysis, config, text
from wardgaps.db import connect
from wardgaps.ingest import similar

pytestmark = pytest.mark.national

FINSBURY_PARK, ISLINGTON = "E05013703", "E09000019"
ANCOATS, MANCHESTER = "E05011350", "E08000003"
CITY, ALDGATE = "E09000001", "E05009289"  # the City of London: Aldgate receives no LSOA 2021
HARINGTON, SEFTON, BISHOPSTON = "E05000940", "E08000014", "W05001039"  # Bishopston: 6 overcrowded households


@pytest.fixture(scope="module")
def tables() -> dict[str, pd.DataFrame]:
    con = connect(config.db_path())  # the app's settings: DuckDB allows one configuration per file and process
    try:
        cur = con.cursor()  # a cursor of its own: the connection's set-up statements leave no result to finish
        return {
            t: cur.table(t).df() for t in ("characteristics", "ward_characteristics", "similar_wards", "geographies")
        }
    finally:
        con.close()


def _authority(tables: dict[str, pd.DataFrame]) -> pd.Series:
    g = tables["geographies"]
    return g[(g["geo_type"] == "ward") & (g["vintage"] == 2024)].set_index("geo_code")["authority_code"]


# --- the table ----------------------------------------------------------------------------------
def test_neighbour_table_is_deterministic(tables):
    """Built twice from the same stored characteristics (once with the rows shuffled): identical,
    and identical to the stored table."""
    z = tables["ward_characteristics"][["geo_code", "characteristic", "z"]]
    la = _authority(tables)
    first = similar.neighbours(z, la)
    again = similar.neighbours(z.sample(frac=1, random_state=7), la.sample(frac=1, random_state=3))
    pd.testing.assert_frame_equal(first, again)
    stored = tables["similar_wards"].sort_values(["geo_code", "rank"]).reset_index(drop=True)
    pd.testing.assert_frame_equal(first.astype(stored.dtypes.to_dict()), stored, check_exact=False, atol=1e-9)


def test_standardising_twice_gives_the_same_z(tables):
    v = tables["ward_characteristics"][["geo_code", "characteristic", "value"]]
    a = similar.standardise(v).sort_values(["geo_code", "characteristic"]).reset_index(drop=True)
    b = similar.standardise(v.iloc[::-1]).sort_values(["geo_code", "characteristic"]).reset_index(drop=True)
    pd.testing.assert_frame_equal(a, b)


def _recompute(tables: dict[str, pd.DataFrame], ward: str) -> pd.DataFrame:
    """The ward's 10 nearest wards in other authorities, from the stored values only: each
    characteristic (log first where the extract says so) standardised with the population
    standard deviation, then the standardised Euclidean distance, ties by ward code."""
    c = tables["characteristics"].set_index("characteristic")
    wide = tables["ward_characteristics"].pivot(index="geo_code", columns="characteristic", values="value")
    for col in wide.columns:
        if c.loc[col, "transform"] == "log":
            wide[col] = np.log(wide[col])
    z = (wide - wide.mean()) / wide.std(ddof=0)
    dist = np.sqrt(((z - z.loc[ward]) ** 2).sum(axis=1))
    la = _authority(tables)
    cand = pd.DataFrame({"distance": dist.round(6)})
    cand = cand[la.reindex(cand.index) != la[ward]]
    return cand.rename_axis("geo_code").reset_index().sort_values(["distance", "geo_code"]).head(10)


@pytest.mark.parametrize("ward", [FINSBURY_PARK, ANCOATS])
def test_one_wards_top_10_recomputed_independently(tables, ward):
    mine = _recompute(tables, ward)
    stored = tables["similar_wards"]
    stored = stored[stored["geo_code"] == ward].sort_values("rank")
    assert list(stored["rank"]) == list(range(1, 11))
    assert list(stored["neighbour_code"]) == list(mine["geo_code"])
    np.testing.assert_allclose(stored["distance"], mine["distance"], atol=2e-6)


def test_no_neighbour_in_the_same_authority_and_every_matched_ward_has_ten(tables):
    la = _authority(tables)
    s = tables["similar_wards"]
    assert not (la.reindex(s["geo_code"]).to_numpy() == la.reindex(s["neighbour_code"]).to_numpy()).any()
    assert (s["geo_code"] != s["neighbour_code"]).all()
    matched = set(tables["ward_characteristics"]["geo_code"])
    assert set(s["geo_code"]) == matched
    assert s.groupby("geo_code").size().eq(10).all()
    assert ALDGATE not in matched  # no LSOA: no characteristics, no neighbours


def test_characteristics_are_not_outcomes(tables, full_reader):
    """The page's outcomes never include an indicator the wards were matched on."""
    repeated = set(tables["characteristics"]["indicator_id"].dropna())
    assert repeated == {
        "owner_occupied_households",
        "social_rented_households",
        "private_rented_households",
        "flats_share",
    }
    s, _ = analysis.similar_outcomes(full_reader, ANCOATS)
    assert not repeated & set(s["indicator_id"])
    assert {"child_poverty_ahc_dwp", "overcrowded_households", "households_deprived_any_dimension"} <= set(
        s["indicator_id"]
    )
    assert not (s["unit"] == "count").any()


def test_ties_are_broken_by_ward_code():
    # three wards at the same distance from W1, in another authority each
    z = pd.DataFrame(
        [
            (w, c.characteristic, val)
            for w, val in (("W1", 0.0), ("W4", 1.0), ("W2", 1.0), ("W3", -1.0))
            for c in similar.CHARACTERISTICS
        ],
        columns=["geo_code", "characteristic", "z"],
    )
    la = pd.Series({"W1": "A", "W2": "B", "W3": "C", "W4": "D"})
    n = similar.neighbours(z, la, k=3)
    assert list(n[n["geo_code"] == "W1"]["neighbour_code"]) == ["W2", "W3", "W4"]


# --- analysis -----------------------------------------------------------------------------------
def test_outcomes_against_neighbours_use_their_figures(full_reader):
    s, figs = analysis.similar_outcomes(full_reader, ANCOATS)
    cp = s.set_index("indicator_id").loc["child_poverty_ahc_dwp"]
    assert cp["period"] == "FYE 2025" and cp["value"] == 36.2
    others = figs[(figs["indicator_id"] == "child_poverty_ahc_dwp") & (figs["rank"] > 0)]
    assert cp["n_neighbours"] == others["value"].notna().sum() == 10
    expected = np.average(others["value"], weights=others["denominator"])
    assert cp["neighbours_mean"] == pytest.approx(expected)
    assert cp["neighbours_min"] == others["value"].min() and cp["neighbours_max"] == others["value"].max()
    lo, hi = cp["lower_95"], cp["upper_95"]
    want = "similar" if lo <= expected <= hi else ("higher" if expected < lo else "lower")
    assert cp["direction"] == want


def test_public_outcomes_are_the_disclosed_cells(public_reader):
    """Every ward's figure in public is its cell in its own authority's disclosed table: value,
    hidden or not, and the 95% interval where the published figure has one."""
    _, figs = analysis.similar_outcomes(public_reader, HARINGTON)
    for r in figs.itertuples():
        t = analysis.ward_table(public_reader, r.authority_code, r.indicator_id, r.period, 2024).set_index("geo_code")
        if r.geo_code not in t.index:  # no figure at all in its authority (an English index for a Welsh ward)
            assert pd.isna(r.value) and not r.suppressed, (r.geo_code, r.indicator_id)
            continue
        cell = t.loc[r.geo_code]
        assert r.suppressed == cell["suppressed"], (r.geo_code, r.indicator_id)
        assert (pd.isna(r.value) and pd.isna(cell["value"])) or r.value == cell["value"], (r.geo_code, r.indicator_id)
        if not pd.isna(r.lower_95):
            assert (r.lower_95, r.upper_95) == (cell["lower_95"], cell["upper_95"])


# --- the page -----------------------------------------------------------------------------------
def _neighbour_table(at) -> pd.DataFrame:
    return next(f for f in frames(at) if "Rank (1 = most similar)" in f.columns)


def _outcome_table(at) -> pd.DataFrame:
    return next(f for f in frames(at) if "Compared with similar wards" in f.columns)


@pytest.mark.parametrize(
    ("code", "ward", "name", "authority", "child_poverty"),
    [
        (ISLINGTON, FINSBURY_PARK, "Finsbury Park", "Islington", "46.0%"),
        (MANCHESTER, ANCOATS, "Ancoats & Beswick", "Manchester", "36.2%"),
    ],
)
def test_page_shows_the_ward_and_its_ten_similar_wards(code, ward, name, authority, child_poverty, full_reader):
    at = app("similar", authority=code, ward=ward)
    assert at.title[0].value == f"Similar wards: {name}"
    t = _neighbour_table(at)
    assert len(t) == 11 and t["Ward"].iloc[0] == name and t["Local authority"].iloc[0] == authority
    near = t.iloc[1:]
    assert list(near["Rank (1 = most similar)"]) == [str(i) for i in range(1, 11)]
    assert near["Local authority"].notna().all() and not (near["Local authority"] == authority).any()
    assert near["Distance"].is_monotonic_increasing and (near["Distance"] > 0).all()
    stored = analysis.similar_wards(full_reader, ward)[0]
    assert list(near["Ward"]) == list(stored["geo_name"].iloc[1:])
    o = _outcome_table(at).set_index("Indicator")
    cp = o.loc["Child poverty AHC (DWP)"]
    assert cp[name] == child_poverty and cp["Period"] == "FYE 2025 (2024/25)"
    assert cp["Similar wards with a figure"] == 10
    assert cp["Compared with similar wards"] in {"Similar", "Worse (higher)", "Better (lower)"}
    words = texts(at)
    assert f"{name}'s most similar ward is {near['Ward'].iloc[0]}" in words
    assert "Against its 10 similar wards" in words
    assert len(at.get("plotly_chart")) == 2  # the map and the chosen indicator's chart


def test_ancoats_child_poverty_is_similar_to_its_neighbours(full_reader):
    """Ancoats & Beswick's 36.2% (95% CI 34.0% to 38.4%) holds its similar wards' weighted mean."""
    at = app("similar", authority=MANCHESTER, ward=ANCOATS)
    cp = _outcome_table(at).set_index("Indicator").loc["Child poverty AHC (DWP)"]
    s = analysis.similar_outcomes(full_reader, ANCOATS)[0].set_index("indicator_id").loc["child_poverty_ahc_dwp"]
    assert cp["95% interval"] == "34.0% to 38.4%"
    assert cp["Similar wards (weighted mean)"] == f"{s['neighbours_mean']:.1f}%"
    assert cp["Compared with similar wards"] == "Similar"


def test_unknown_ward_falls_back_with_a_notice():
    at = app("similar", authority=ISLINGTON, ward="E05999999")
    assert "Ward E05999999 is not one of this local authority's wards" in texts(at)
    assert at.title[0].value == "Similar wards: Arsenal"  # the first ward, the default
    at = app("similar", authority=ISLINGTON, ward="<script>")
    assert "That ward code is not valid" in texts(at)


def test_a_ward_without_census_figures_has_no_neighbours_and_says_why():
    at = app("similar", authority=CITY, ward=ALDGATE)
    words = texts(at)
    assert "Aldgate has no similar wards" in words
    assert "no Census 2021 neighbourhood (LSOA) lies in it" in words
    assert not any("Rank (1 = most similar)" in f.columns for f in frames(at))


def test_page_runs_in_the_public_view(public_view, public_reader):
    at = app("similar", authority=MANCHESTER, ward=ANCOATS)
    cp = _outcome_table(at).set_index("Indicator").loc["Child poverty AHC (DWP)"]
    # the public figure is the rate of the rounded counts (DWP's 36.2%)
    cell = analysis.ward_table(public_reader, MANCHESTER, "child_poverty_ahc_dwp", "FYE 2025", 2024)
    cell = cell.set_index("geo_code").loc[ANCOATS]
    assert cp["Ancoats & Beswick"] == f"{100 * cell['numerator'] / cell['denominator']:.1f}%" == "36.1%"


def test_public_page_hides_a_neighbours_small_count(monkeypatch, full_reader, public_reader):
    """Harington's most similar ward, Bishopston (Swansea), has fewer than 10 overcrowded
    households: in the public view its figure is hidden in the comparison, the chart and its table."""
    raw = analysis.similar_outcomes(full_reader, HARINGTON)[1]
    raw = raw[(raw["indicator_id"] == "overcrowded_households") & (raw["geo_code"] == BISHOPSTON)].iloc[0]
    assert raw["numerator"] < 10  # the premise, from the extract
    s, figs = analysis.similar_outcomes(public_reader, HARINGTON)
    cell = figs[(figs["indicator_id"] == "overcrowded_households") & (figs["geo_code"] == BISHOPSTON)].iloc[0]
    assert cell["suppressed"] and pd.isna(cell["value"])
    row = s.set_index("indicator_id").loc["overcrowded_households"]
    assert row["n_neighbours"] < 10
    monkeypatch.setenv("WARDGAPS_PUBLIC", "1")
    monkeypatch.setenv("WARDGAPS_PUBLIC_DB", str(public_reader.path))
    at = app("similar", authority=SEFTON, ward=HARINGTON, indicator="overcrowded_households")
    chart_table = next(f for f in frames(at) if "Value (%)" in f.columns)
    assert "Bishopston" not in set(chart_table["Ward"])
    shown = text.fmt(raw["value"], "%")
    assert not any(f"Bishopston ({shown})" in t for t in texts(at).split("\n"))


def test_public_characteristics_are_the_disclosed_cells(full_reader, public_reader):
    """Meols (Sefton)'s 10th similar ward, Hailsham North, has fewer than 10 social-rented
    households: in public its share is hidden, as on every other page (its own authority's cell)."""
    meols, hailsham = "E05000945", "E05011641"
    label = "Social rented (% of households)"
    raw = analysis.similar_wards(full_reader, meols)[1]
    raw = raw[(raw["geo_code"] == hailsham) & (raw["characteristic"] == "social_rented")].iloc[0]
    assert raw["numerator"] < 10  # the premise, from the extract
    wards, chars = analysis.similar_wards(public_reader, meols)
    row = wards.set_index("geo_code").loc[hailsham]
    assert pd.isna(row[label])
    cell = analysis.ward_table(public_reader, row["authority_code"], "social_rented_households", "2021", 2024)
    assert cell.set_index("geo_code").loc[hailsham, "suppressed"]
    # every other shown share is its ward's disclosed cell
    for r in wards.itertuples():
        t = analysis.ward_table(public_reader, r.authority_code, "social_rented_households", "2021", 2024)
        v = t.set_index("geo_code").loc[r.geo_code, "value"]
        got = wards.set_index("geo_code").loc[r.geo_code, label]
        assert (pd.isna(v) and pd.isna(got)) or v == got
