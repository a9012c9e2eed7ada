"""The public view's disclosure gate, attacked.

Every (borough, indicator, period) in the real extract that holds a count below 10 is checked
through every analysis the pages and packs use; a set of them (the review's cases and the worst
of each indicator) is rendered page by page through the entry point in public mode, and
everything shown is read back: text, metrics and their help, table cells, chart data and hover,
and download bytes. A property test attacks the gate itself on random ward tables.
"""

from __future__ import annotations

import io
import json
import re

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as hs
from streamlit.testing.v1 import AppTest

from tests.conftest import ROOT
from wardgaps import analysis, charts, disclosure, text
from wardgaps.analysis.wards import disclosed_region
from wardgaps.db import query

SMALL = query("small_cells")
COMBOS = SMALL[["borough_code", "indicator_id", "period", "vintage"]].drop_duplicates().itertuples(index=False)
COMBOS = [tuple(c) for c in COMBOS]
# Every London set (as before the national build) and, outside London, the first ten authorities
# of each indicator (by code): the heavy analyses below run for these. Every set in the country
# goes through the ward table itself (test_every_small_cell_hidden_in_its_ward_table).
_OUTSIDE = pd.DataFrame([c for c in COMBOS if not c[0].startswith("E09")], columns=["b", "i", "p", "v"])
ATTACKED = [c for c in COMBOS if c[0].startswith("E09")] + [
    tuple(r) for r in _OUTSIDE.sort_values(["i", "b", "p"]).groupby("i").head(10).itertuples(index=False)
]


def _raw_count(row: pd.Series, unit: str) -> float:
    return row["value"] if unit == "count" else row["numerator"]


# --- the gate itself ---------------------------------------------------------------------------
@settings(max_examples=300, deadline=None)
@given(
    counts=hs.lists(hs.integers(min_value=0, max_value=3000), min_size=2, max_size=30),
    unit=hs.sampled_from(["count", "%"]),
)
def test_gate_property(counts, unit):
    n = len(counts)
    num = pd.Series(counts, dtype=float)
    den = num + 50
    df = pd.DataFrame(
        {
            "geo_code": [f"W{i:02d}" for i in range(n)],
            "value": num if unit == "count" else 100 * num / den,
            "numerator": num,
            "denominator": den,
            "lower_95": 0.0,
            "upper_95": 1.0,
            "status": "final",
            "vs_borough": "worse",
        }
    )
    df["rank"] = df["value"].rank(ascending=False, method="min")
    out = disclosure.cells(df, unit)
    hidden = out["suppressed"]
    # every small cell is hidden; a hidden cell carries nothing
    assert hidden[num < 10].all()
    assert out.loc[hidden, ["value", "numerator", "lower_95", "upper_95", "rank"]].isna().all().all()
    assert out.loc[hidden, "vs_borough"].isna().all()
    assert (out.loc[hidden, "status"] == "suppressed").all()
    # no single small cell can be recovered by differencing: none hidden, or several holding ≥ 10
    if hidden.any():
        assert hidden.sum() >= 2 or hidden.sum() == n
        assert num[hidden].sum() >= 10 or hidden.all()
    # shown counts are rounded to 5 and at least 10
    shown = out.loc[~hidden, "numerator"]
    assert (shown >= 10).all() and (shown % 5 == 0).all()
    if unit == "count":
        assert (out.loc[~hidden, "value"] % 5 == 0).all()
        assert out["lower_95"].isna().all()  # no interval that would undo the rounding
    # ranks are over the shown figures only
    expect = out.loc[~hidden, "value"].rank(ascending=False, method="min")
    assert out.loc[~hidden, "rank"].equals(expect)


def test_rules_are_stated_in_plain_words():
    assert "below 10" in disclosure.RULES_TEXT and "nearest 5" in disclosure.RULES_TEXT
    assert "subtraction" in disclosure.RULES_TEXT and "rank" in disclosure.RULES_TEXT


# --- every small cell in the extract, through every analysis -------------------------------
def test_extract_has_small_cells_to_attack():
    # the review's cases are among them: Camden UC Nov 2017 (Frognal 7), Harrow UC Nov 2015
    assert ("E09000007", "uc_households", "November 2017", 2024) in COMBOS
    assert ("E09000015", "uc_households", "November 2015", 2024) in COMBOS
    frognal = SMALL[(SMALL["geo_name"] == "Frognal") & (SMALL["period"] == "November 2017")]
    assert frognal["value"].iloc[0] < 10


def test_every_small_cell_hidden_in_its_ward_table():
    """All 1,200-odd sets of England and Wales with a small cell: each is hidden in public. Read
    from each country's disclosed wards (every authority its own set of cells: the same cells its
    ward table hides, which the attacked sets below check one by one)."""
    by_set = SMALL.groupby(["indicator_id", "period", "vintage"])
    assert SMALL.groupby(["borough_code", "indicator_id", "period", "vintage"]).ngroups > 1000
    for (ind, period, vintage), small in by_set:
        shown: set[str] = set()
        for country in ("E92000001", "W92000004"):
            d = disclosed_region(ind, period, int(vintage), country)
            shown |= set(d.loc[~d["suppressed"], "geo_code"])
        # hidden, or not in the table at all (a count with no published rate, e.g. Bryher's 6 children)
        assert not set(small["geo_code"]) & shown, (ind, period, vintage)


@pytest.mark.parametrize("combo", ATTACKED, ids=["-".join(map(str, c)) for c in ATTACKED])
def test_small_cells_hidden_in_every_analysis(combo):
    borough, ind, period, vintage = combo
    meta = analysis.indicator_meta(ind)
    unit = meta["unit"]
    raw = analysis.ward_table(borough, ind, period, vintage).set_index("geo_code")
    pub = analysis.ward_table(borough, ind, period, vintage, public=True).set_index("geo_code")
    small = set(
        SMALL[
            (SMALL["borough_code"] == borough)
            & (SMALL["indicator_id"] == ind)
            & (SMALL["period"] == period)
            & (SMALL["vintage"] == vintage)
        ]["geo_code"]
    )
    hidden = set(pub.index[pub["suppressed"]])
    assert small <= hidden
    # differencing the borough total against the others recovers no single small count
    with_count = set(raw.index[raw[_count_col(unit)].notna()])
    assert len(hidden) >= 2 or hidden == with_count
    assert sum(_raw_count(raw.loc[c], unit) for c in hidden) >= 10 or hidden == with_count
    for col in ("value", "numerator", "lower_95", "upper_95", "lower_998", "upper_998", "rank"):
        assert pub.loc[sorted(hidden), col].isna().all(), col
    for col in [c for c in pub.columns if c.startswith("vs_")]:
        assert pub.loc[sorted(hidden), col].isna().all(), col

    r = analysis.borough_gaps(borough, ind, period, vintage, public=True)
    raw_vals = raw["value"].dropna()
    if raw_vals.empty:
        assert r is None or r.gaps is None
    elif raw_vals.idxmax() in hidden or raw_vals.idxmin() in hidden:
        assert r is None or r.gaps is None or r.withheld == disclosure.WITHHELD_EXTREME
    elif r is not None and r.gaps is not None:
        assert r.gaps.highest_code not in hidden and r.gaps.lowest_code not in hidden

    trends = analysis.ward_trends(borough, ind, vintage, public=True).set_index("geo_code")
    for code in hidden & set(trends.index):
        assert trends.loc[code, "marker"] in ("Cannot be calculated", "Not tested")  # "Not tested": a count

    region, _, country, _ = analysis.region_of(borough)
    for area in {region, country}:
        wide = analysis.context_table(ind, period, vintage, area, public=True).set_index("geo_code")
        assert wide.loc[sorted(hidden & set(wide.index)), ["value", "rank"]].isna().all().all()
        # the Context page hides exactly the cells the authority's pages hide (no page shows a cell another hides)
        mine = wide[wide["borough_code"] == borough]
        assert set(mine.index[mine["suppressed"]]) == hidden & set(mine.index)

    dl = analysis.download_view(borough, ind, period, vintage, public=True).set_index("geo_code")
    assert dl.loc[sorted(hidden), ["value", "numerator", "rank"]].isna().all().all()


def _count_col(unit: str) -> str:
    return "value" if unit == "count" else "numerator"


def test_profile_hides_what_the_map_hides():
    # every ward's latest figure on the profile is its cell from the disclosed borough table
    latest = SMALL[SMALL["vintage"] == 2024]
    # The review's boroughs (Camden, Harrow), the London borough and the authority outside London
    # with the most small cells, and Wales's: a public profile reads every indicator's table of its
    # authority (about 50 of them), so each authority costs seconds cold
    n = latest.groupby("borough_code").size().sort_values(ascending=False, kind="stable")
    picks = {"E09000007", "E09000015"}
    picks.add(next(b for b in n.index if b.startswith("E09") and b not in picks))
    picks.add(next(b for b in n.index if b.startswith("E0") and not b.startswith("E09")))
    picks.add(next(b for b in n.index if b.startswith("W")))
    latest = latest[latest["borough_code"].isin(picks)]
    checked = 0
    for (borough, ind), g in latest.groupby(["borough_code", "indicator_id"]):
        newest = analysis.periods(borough, ind)
        newest = newest[newest["vintage"] == 2024]["period"].iloc[0]
        g = g[g["period"] == newest]
        for code in g["geo_code"].head(2):
            p = analysis.ward_profile(code, public=True).set_index("indicator_id")
            if ind not in p.index:
                continue  # the publisher gives no figure at all (e.g. DWP's City of London wards)
            assert bool(p.loc[ind, "suppressed"]) and pd.isna(p.loc[ind, "value"])
            assert p.loc[ind, "rank_in_borough"] == "not ranked" and p.loc[ind, "rank_in_region"] == "not ranked"
            assert p.loc[ind, "rank_in_country"] == "not ranked"
            checked += 1
    assert checked >= 10


# --- the review's cases, and the worst of each indicator, as the public sees them -------------
def _attack_set() -> list[tuple]:
    picks = {
        ("E09000007", "uc_households", "November 2017", 2024),
        ("E09000015", "uc_households", "November 2015", 2024),
    }
    counts = SMALL.groupby(["borough_code", "indicator_id", "period", "vintage"]).size().reset_index(name="n")
    for _, g in counts.groupby("indicator_id"):
        top = g.sort_values(["n", "borough_code", "period"], ascending=[False, True, True]).iloc[0]
        picks.add((top["borough_code"], top["indicator_id"], top["period"], int(top["vintage"])))
    return sorted(picks)


PAGES = ["overview", "map", "gaps", "trends", "profile", "context", "methods"]


DOWNLOADS: dict[str, bytes] = {}


@pytest.fixture(scope="module")
def record_downloads():
    """Keep the bytes of every download button AppTest renders (its media store is thrown away
    after each run), by file id, so a test reads what a reader would download."""
    from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage

    original = MemoryMediaFileStorage.load_and_get_id

    def load_and_get_id(self, path_or_data, mimetype, kind, filename=None):
        file_id = original(self, path_or_data, mimetype, kind, filename)
        if isinstance(path_or_data, bytes):
            DOWNLOADS[file_id] = path_or_data
        return file_id

    mp = pytest.MonkeyPatch()
    mp.setattr(MemoryMediaFileStorage, "load_and_get_id", load_and_get_id)
    yield DOWNLOADS
    mp.undo()


def _download(at: AppTest, label: str) -> bytes:
    for b in at.get("download_button"):
        if b.proto.label == label:
            return DOWNLOADS[b.proto.url.rsplit("/", 1)[-1].split(".")[0]]
    raise AssertionError(f"no download button {label!r}")


def _shown(at: AppTest) -> tuple[str, list[pd.DataFrame], list[dict], list[bytes]]:
    """Everything a reader sees: words (text, captions, notices, metrics and their help), table
    cells, chart specs (data and hover) and the bytes of every download offered."""
    parts = [m.value for m in at.markdown] + [c.value for c in at.caption] + [i.value for i in at.info]
    parts += [t.value for t in at.title] + [e.value for e in at.error]
    parts += [f"{m.label} {m.value} {m.help or ''}" for m in at.metric]
    words = re.sub(r"\\(.)", r"\1", "\n".join(parts))
    frames = [d.value for d in at.dataframe]
    charts = [json.loads(c.proto.spec) for c in at.get("plotly_chart")]
    # a download made only when clicked (the XLSX) has no bytes yet: it is built from the same
    # disclosed frame as the CSV beside it (analysis.download_view)
    downloads = [
        DOWNLOADS[b.proto.url.rsplit("/", 1)[-1].split(".")[0]] for b in at.get("download_button") if b.proto.url
    ]
    return words, frames, charts, downloads


@pytest.fixture(scope="module")
def public_env():
    mp = pytest.MonkeyPatch()
    mp.setenv("WARDGAPS_PUBLIC", "1")
    yield
    mp.undo()


@pytest.mark.parametrize("combo", _attack_set(), ids=lambda c: "-".join(map(str, c)))
def test_public_pages_show_no_small_count(combo, public_env, record_downloads):
    borough, ind, period, vintage = combo
    unit = analysis.indicator_meta(ind)["unit"]
    raw = analysis.ward_table(borough, ind, period, vintage).set_index("geo_code")
    pub = analysis.ward_table(borough, ind, period, vintage, public=True).set_index("geo_code")
    hidden = pub.index[pub["suppressed"]]
    names = {raw.loc[c, "geo_name"]: _raw_count(raw.loc[c], unit) for c in hidden}
    values = {raw.loc[c, "geo_name"]: raw.loc[c, "value"] for c in hidden}
    for page in PAGES:
        at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=120)
        at.query_params.update(borough=borough, indicator=ind, period=period)
        if page in ("map", "profile") and len(hidden):
            at.query_params["ward"] = hidden[0]  # the reader looks at a hidden ward itself
        at.run()
        if page != "overview":
            at.switch_page(f"pages/{page}.py").run()
        assert not at.exception, at.exception
        assert not at.error, [e.value for e in at.error]
        assert at.selectbox(key="w_period").value == period
        words, frames, charts, downloads = _shown(at)
        tables = [pd.read_csv(io.BytesIO(b)) for b in downloads if b[:2] != b"PK"]  # CSVs (XLSX is a zip)
        frames = frames + [t.rename(columns={"geo_name": "Ward", "value": "Value"}) for t in tables]
        for name, count in names.items():
            shown_count = text.fmt(count, "count")
            shown_value = text.fmt(values[name], unit)
            for sentence in re.split(r"(?<=[.;:])\s", words):
                if name in sentence:
                    assert f"({shown_count})" not in sentence and f"({shown_value})" not in sentence, sentence
                    assert not re.search(rf"{re.escape(name)}\W+(is|count is)\s+{re.escape(shown_value)}", sentence)
            for f in frames:
                if "Ward" in f.columns:
                    rows = f[f["Ward"] == name]
                    if "Local authority" in f.columns:  # a region's table: ward names recur (two Southwicks)
                        rows = rows[rows["Local authority"] == analysis.boroughs()[borough]]
                    vcols = [c for c in f.columns if c.startswith("Value") or c.startswith("Rank") or "CI" in c]
                    assert rows[vcols].isna().all().all(), (page, name, rows[vcols])
            for spec in charts:
                for trace in spec.get("data", []):
                    hover = trace.get("text") or []
                    hover = [hover] if isinstance(hover, str) else hover
                    for h in hover:
                        if isinstance(h, str) and name in h:
                            assert shown_value not in h.split(name, 1)[1].split("<b>")[0] or "not shown" in h, h
                    ys = trace.get("y") or []
                    if isinstance(ys, list) and name in ys:
                        xs = trace.get("x") or []
                        assert not xs or pd.isna(xs[ys.index(name)]) or xs[ys.index(name)] != values[name]
        vals = raw["value"].dropna()
        if page == "gaps" and pub["value"].isna().all():
            assert "No ward figures are shown for this period" in words
        elif page == "gaps" and analysis.borough_gaps(borough, ind, period, vintage, public=True).gaps is None:
            assert "Not enough ward figures to measure the gap." in words
        elif page == "gaps" and len(vals) and (vals.idxmax() in hidden or vals.idxmin() in hidden):
            metrics = {m.label: m.value for m in at.metric}
            assert metrics["Range"] == "not shown" and metrics["Highest / lowest"] == "not shown"
            assert disclosure.WITHHELD_EXTREME in words


def test_public_downloads_hide_small_counts(public_env, record_downloads):
    borough, ind, period, _ = ("E09000007", "uc_households", "November 2017", 2024)
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=120)
    at.query_params.update(borough=borough, indicator=ind, period=period)
    at.run()
    at.switch_page("pages/methods.py").run()
    assert not at.exception, at.exception
    csv = _download(at, "Current view (CSV)")
    d = pd.read_csv(io.BytesIO(csv)).set_index("geo_name")
    assert np.isnan(d.loc["Frognal", "value"]) and d.loc["Frognal", "status"] == "suppressed"
    assert d.loc["Haverstock", "value"] == 110  # 109, rounded to the nearest 5
    assert "rank" in d and np.isnan(d.loc["Frognal", "rank"])
    labels = [b.label for b in at.get("download_button")]
    assert "Whole extract: observations (CSV)" not in labels
    assert "Counts below 10 are not shown" in "\n".join(m.value for m in at.markdown)


# --- both pack formats, as a director would send them ---------------------------------------
def _pptx_everything(data: bytes) -> tuple[str, list[tuple[list, list]], list[list]]:
    """Every word on every slide, every chart's categories and values, and every row of the
    workbook embedded in each chart (what 'Edit data' in PowerPoint opens)."""
    import openpyxl
    from pptx import Presentation

    prs = Presentation(io.BytesIO(data))
    words, series, workbook_rows = [], [], []
    for slide in prs.slides:
        for shape in slide.shapes:
            if shape.has_text_frame:
                words.append(shape.text_frame.text)
            if getattr(shape, "has_table", False) and shape.has_table:
                words += [c.text for row in shape.table.rows for c in row.cells]
            if getattr(shape, "has_chart", False) and shape.has_chart:
                chart = shape.chart
                cats = list(chart.plots[0].categories) if chart.plots else []
                for plot in chart.plots:
                    for s in plot.series:
                        series.append((cats, list(s.values)))
                wb = openpyxl.load_workbook(io.BytesIO(chart.part.chart_workbook.xlsx_part.blob), data_only=True)
                for ws in wb.worksheets:
                    workbook_rows += [list(r) for r in ws.iter_rows(values_only=True)]
    return "\n".join(words), series, workbook_rows


def _pdf_words(data: bytes, tmp_path) -> str:
    import subprocess

    pdf = tmp_path / "pack.pdf"
    pdf.write_bytes(data)
    return subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout


@pytest.mark.parametrize("combo", [("E09000007", "uc_households", "November 2017", 2024)], ids=["camden-uc-2017"])
def test_public_indicator_pack_shows_no_small_count(combo, tmp_path, public_env):
    from wardgaps import briefing

    borough, ind, period, vintage = combo
    unit = analysis.indicator_meta(ind)["unit"]
    raw = analysis.ward_table(borough, ind, period, vintage).set_index("geo_code")
    pub = analysis.ward_table(borough, ind, period, vintage, public=True).set_index("geo_code")
    hidden = {raw.loc[c, "geo_name"]: raw.loc[c, "value"] for c in pub.index[pub["suppressed"]]}
    assert "Frognal" in hidden and hidden["Frognal"] < 10
    pack = briefing.make_pack(borough, indicator=ind, period=period, public=True)
    words, series, rows = _pptx_everything(briefing.render(pack, "pptx"))
    pdf = _pdf_words(briefing.render(pack, "pdf"), tmp_path)
    assert "not shown" in (words + pdf).lower() or "suppressed" in (words + pdf).lower()
    assert "Counts below 10 are not shown" in words and "Counts below 10 are not shown" in " ".join(pdf.split())
    for name, value in hidden.items():
        shown = text.fmt(value, unit)
        for line in (words + "\n" + pdf).splitlines():
            if name in line:
                assert not re.search(rf"{re.escape(name)}\W+\(?{re.escape(shown)}\)?(\D|$)", line), line
        for cats, values in series:
            if name in cats:
                v = values[cats.index(name)]
                assert v is None or v != value, (name, v)
        for row in rows:
            if name in row:
                assert value not in [x for x in row if isinstance(x, int | float)], row
    # the gap between the extremes is withheld, as on the page
    assert "102" not in " ".join(pdf.split()) and disclosure.WITHHELD_EXTREME.split(",")[0] in " ".join(
        (words + " " + pdf).split()
    )


# --- leaks found in review: exact intervals, and the same ward on two sets of boundaries ------
@pytest.mark.parametrize("ind", ["overcrowded_households", "households_deprived_any_dimension"])
def test_public_intervals_say_nothing_beyond_the_rounded_counts(ind):
    """Islington, Census 2021: an exact interval would give the exact counts back (review: 17 of 17
    wards recovered). In public every interval is Wilson on the rounded counts shown, to one
    decimal, and the rate is to one decimal, so nothing more than the rounded counts is shown."""
    from wardgaps.stats import wilson_interval

    full = analysis.ward_table("E09000019", ind, "2021", 2024).set_index("geo_code")
    pub = analysis.ward_table("E09000019", ind, "2021", 2024, public=True).set_index("geo_code")
    shown = pub[~pub["suppressed"]]
    assert len(shown) == 17
    lo, hi = wilson_interval(shown["numerator"], shown["denominator"], 0.95)
    assert (shown["lower_95"].to_numpy() == np.round(lo, 1)).all()
    assert (shown["upper_95"].to_numpy() == np.round(hi, 1)).all()
    assert (shown["value"] == full.loc[shown.index, "value"].round(1)).all()
    assert (shown["numerator"] % 5 == 0).all() and (shown["denominator"] % 5 == 0).all()
    # and the full view's exact interval is not what the public sees
    assert (shown["lower_95"] != full.loc[shown.index, "lower_95"]).any()


def _periods_on_several_ward_sets() -> list[tuple]:
    out = []
    for borough, ind, period in (
        SMALL[["borough_code", "indicator_id", "period"]].drop_duplicates().itertuples(index=False)
    ):
        p = analysis.periods(borough, ind)
        vintages = sorted(set(p.loc[p["period"] == period, "vintage"]))
        if len(vintages) > 1:
            out.append((borough, ind, period, tuple(vintages)))
    return out


def test_a_ward_hidden_on_one_set_of_boundaries_is_hidden_on_all():
    """Croydon IMD 2019 on 2018 and May-2022 wards (shared codes): differencing one set against
    the other must not recover a cell hidden on either."""
    cases = _periods_on_several_ward_sets()
    assert ("E09000008", "imd_most_deprived_20pct", "2019", (2014, 2018, 2024)) in cases
    for borough, ind, period, vintages in cases:
        tables = {v: analysis.ward_table(borough, ind, period, v, public=True) for v in vintages}
        hidden = set().union(*(set(t.loc[t["suppressed"], "geo_code"]) for t in tables.values()))
        for v, t in tables.items():
            both = t[t["geo_code"].isin(hidden)]
            assert both["suppressed"].all() and both["value"].isna().all(), (borough, ind, period, v)


def test_public_map_legend_names_hidden_wards_as_hidden():
    t = analysis.ward_table("E09000007", "uc_households", "November 2017", 2024, public=True)
    b = analysis.ward_boundaries("E09000007", 2024)
    fig = charts.choropleth(b, t, value_label="UC households", unit="count", polarity="neutral")
    hidden = [tr for tr in fig.data if tr.name == "not shown (small numbers)"]
    assert len(hidden) == 1 and "Frognal" in hidden[0].text and "Hampstead Town" in hidden[0].text
    assert "no figure" not in [tr.name for tr in fig.data]
