"""The public view's disclosure, attacked.

The public extract is the only data the public view holds, so it is attacked whole: every cell
of every table against the full extract it was made from (:mod:`tests.audit`), and the audit is
shown to catch the leaks the old per-request rules let through. The review's cases and the named
ones (Exton, Hay, Portsoken, Dalston) are then rendered page by page through the entry point in
the public view, and everything shown is read back: text, metrics and their help, table cells,
chart data and hover, download bytes and both pack formats. A property test attacks the rules
themselves on random sets of cells.
"""

from __future__ import annotations

import io
import json
import re
import shutil

import duckdb
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as hs
from streamlit.testing.v1 import AppTest

from tests import audit as audit_module
from tests.audit import audit, solvable
from tests.conftest import COMMITTED, ROOT
from tests.downloads import Downloads
from wardgaps import analysis, charts, db, disclosure, text

RUTLAND, EXTON = "E06000017", "E05012635"
POWYS, HAY = "W06000023", "W05001135"
CITY, PORTSOKEN = "E09000001", "E05009308"
HACKNEY, DALSTON = "E09000012", "E05009370"
CP = "child_poverty_ahc_dwp"
# (authority, indicator, period, ward set): the review's cases and the named ones
CASES = [
    ("E09000007", "uc_households", "November 2017", 2024),  # Camden: Frognal 7
    ("E09000015", "uc_households", "November 2015", 2024),  # Harrow
    (CITY, "flats_share", "2021", 2024),  # Portsoken: 99.6% of 480 left 2 households not in flats
    (HACKNEY, "imd_most_deprived_20pct", "2019", 2024),  # Dalston: hidden on another ward set
]


# --- the rules themselves ---------------------------------------------------------------------
@settings(max_examples=300, deadline=None)
@given(
    counts=hs.lists(hs.integers(min_value=0, max_value=3000), min_size=2, max_size=30),
    extra=hs.lists(hs.integers(min_value=0, max_value=60), min_size=30, max_size=30),
    unit=hs.sampled_from(["count", "%"]),
)
def test_rules_property(counts, extra, unit):
    n = len(counts)
    num = pd.Series(counts, dtype=float)
    den = num + pd.Series(extra[:n], dtype=float)  # complements from 0 to 60
    df = pd.DataFrame(
        {
            "geo_code": [f"W{i:02d}" for i in range(n)],
            "geo_type": "ward",
            "authority_code": "B",
            "region_code": "R",
            "country_code": "C",
            "indicator_id": "x",
            "period": "2024",
            "vintage": 2024,
            "unit": unit,
            "value": num if unit == "count" else (100 * num / den).where(den > 0),
            "numerator": num if unit == "%" else np.nan,
            "denominator": den if unit == "%" else np.nan,
            "lower_95": 0.0 if unit == "%" else np.nan,
            "upper_95": 1.0 if unit == "%" else np.nan,
            "lower_998": np.nan,
            "upper_998": np.nan,
            "status": "final",
        }
    )
    hidden = disclosure.suppress(df)
    out = disclosure.apply(df, hidden)
    small = (num < 10) | ((den - num < 10) if unit == "%" else False)
    assert hidden[small].all()  # every small count and small complement is hidden
    assert out.loc[hidden, ["value", "numerator", "lower_95", "upper_95"]].isna().all().all()
    assert (out.loc[hidden, "status"] == "suppressed").all()
    # no single small count can be recovered by differencing: none hidden, or several holding >= 10
    if hidden.any() and not hidden.all():
        assert hidden.sum() >= 2 and num[hidden].sum() >= 10
        if unit == "%" and (den - num)[hidden].lt(10).any():
            assert (den - num)[hidden].sum() >= 10
    shown = out[~hidden]
    if unit == "count":
        assert (shown["value"] >= 10).all() and (shown["value"] % 5 == 0).all()
        assert out["lower_95"].isna().all()  # no interval that would undo the rounding
    else:
        assert (shown["numerator"] >= 10).all() and (shown["numerator"] % 5 == 0).all()
        # a rate shown is its rounded counts' rate, so it tells nothing the counts do not
        assert np.allclose(shown["value"], (100 * shown["numerator"] / shown["denominator"]).round(1))
        assert solvable(shown, 100.0).isna().all()


def test_rules_are_stated_in_plain_words():
    assert "below 10" in disclosure.RULES_TEXT and "nearest 5" in disclosure.RULES_TEXT
    assert "subtraction" in disclosure.RULES_TEXT and "rank" in disclosure.RULES_TEXT
    assert "rounded counts" in disclosure.RULES_TEXT and "another set of ward boundaries" not in disclosure.RULES_TEXT
    assert "every other set for the same period" in disclosure.RULES_TEXT


# --- the whole artefact ---------------------------------------------------------------------------
def test_the_public_extract_passes_the_audit(public_extract):
    findings = audit(COMMITTED, public_extract)
    assert {k: len(v) for k, v in findings.items()} == dict.fromkeys(findings, 0), {
        k: v.head(3).to_dict("records") for k, v in findings.items() if len(v)
    }


def test_the_audit_catches_what_the_old_rules_let_through(public_extract, tmp_path):
    """The rules before the publish step showed a rate as published beside its rounded counts,
    and a share whatever its complement: put those back into a copy of the artefact and the
    audit finds the review's leaks (Exton 21, Hay 93, Portsoken's 2 households not in flats)."""
    old = tmp_path / "old.duckdb"
    shutil.copyfile(public_extract, old)
    src = duckdb.connect(str(COMMITTED), read_only=True, config=dict(db.SETTINGS))
    rows = src.execute(audit_module.OBS).df()
    src.close()
    # published rates (to one decimal) beside the rounded counts, as the old public view showed them
    rates = rows[rows["indicator_id"].isin([CP, "flats_share"]) & rows["numerator"].notna()]
    rates = rates.assign(value=rates["value"].round(1))[["indicator_id", "geo_code", "vintage", "period", "value"]]
    con = duckdb.connect(str(old))
    con.register("old_rates", rates)
    con.execute(
        "update observations as o set value = r.value from old_rates as r where o.indicator_id = r.indicator_id "
        "and o.geo_code = r.geo_code and o.vintage = r.vintage and o.period = r.period and o.numerator is not null"
    )
    # Portsoken's flats share as the old rules showed it (its numerator was not below 10)
    con.execute(
        "update observations set value = 99.6, numerator = 475, status = 'final' "
        "where indicator_id = 'flats_share' and geo_code = ? and period = '2021'",
        [PORTSOKEN],
    )
    con.close()
    found = audit(COMMITTED, old)
    solved = found["solvable"].set_index(["geo_code", "period"])["solved"]
    assert solved[(EXTON, "FYE 2024")] == 21 and solved[(HAY, "FYE 2024")] == 93
    assert len(solved) > 1000  # thousands of ward figures across the country
    assert PORTSOKEN in set(found["complements"]["geo_code"])


def test_named_cases_as_published(public_reader, full_reader):
    exton = analysis.ward_table(public_reader, RUTLAND, CP, "FYE 2024", 2024).set_index("geo_code").loc[EXTON]
    assert (exton["value"], exton["numerator"], exton["denominator"]) == (12.1, 20.0, 165.0)
    assert (exton["lower_95"], exton["upper_95"]) == (8.0, 18.0)  # Wilson on 20 of 165
    assert (
        full_reader is not None
        and analysis.ward_table(full_reader, RUTLAND, CP, "FYE 2024", 2024)
        .set_index("geo_code")
        .loc[EXTON, "numerator"]
        == 21
    )
    hay = analysis.ward_table(public_reader, POWYS, CP, "FYE 2024", 2024).set_index("geo_code").loc[HAY]
    assert (hay["value"], hay["numerator"], hay["denominator"]) == (42.2, 95.0, 225.0)
    flats = analysis.ward_table(public_reader, CITY, "flats_share", "2021", 2024).set_index("geo_code")
    assert flats.loc[PORTSOKEN, "suppressed"] and pd.isna(flats.loc[PORTSOKEN, "value"])
    assert pd.isna(flats.loc[PORTSOKEN, "numerator"])


def test_similar_wards_age_shares_cannot_be_inverted(public_reader):
    """Portsoken's children aged 0-14: 132, shown as 130 on the Profile. Its share on Similar wards
    is the share of the rounded counts, so it cannot give 132 back."""
    wards, chars = analysis.similar_wards(public_reader, PORTSOKEN)
    kids = chars[(chars["geo_code"] == PORTSOKEN) & (chars["characteristic"] == "age_0_14")].iloc[0]
    assert kids["numerator"] == 130 and kids["denominator"] % 5 == 0
    assert kids["value"] == round(100 * 130 / kids["denominator"], 1)
    assert chars["z"].isna().all()  # no z-score: it would give the exact share back
    profile = analysis.ward_profile(public_reader, PORTSOKEN).set_index("indicator_id")
    assert profile.loc["children_0_14", "value"] == 130
    assert solvable(chars[chars["unit"].eq("%")].dropna(subset=["value", "numerator"]), 100.0, False).isna().all()


def test_a_ward_hidden_on_one_set_of_boundaries_is_hidden_on_every_page(public_reader):
    """Hackney, Dalston, IMD most-deprived 20% 2019: hidden on another ward set, so hidden on the
    current wards, on Trends and in the ward series packs draw from."""
    on = {}
    for v in (2014, 2018, 2024):
        t = analysis.ward_table(public_reader, HACKNEY, "imd_most_deprived_20pct", "2019", v).set_index("geo_code")
        if DALSTON in t.index:
            on[v] = bool(t.loc[DALSTON, "suppressed"])
    assert on and all(on.values()), on
    s = analysis.ward_series(public_reader, HACKNEY, "imd_most_deprived_20pct", 2024)
    dalston = s[(s["geo_code"] == DALSTON) & (s["period"] == "2019")]
    assert dalston["suppressed"].all() and dalston["value"].isna().all()


def test_publisher_suppressed_figures_stay_hidden_with_their_counts(public_reader):
    # DWP publishes a child count for some City of London wards but suppresses their rate: in
    # public neither is shown
    t = analysis.ward_table(public_reader, CITY, CP, "FYE 2025", 2024).set_index("geo_code")
    assert t.loc[PORTSOKEN, "suppressed"] and pd.isna(t.loc[PORTSOKEN, "numerator"])


# --- the pages, as the public sees them -------------------------------------------------------
PAGES = ["overview", "map", "gaps", "trends", "profile", "context", "methods"]


def _download(at: AppTest, downloads: Downloads, label: str) -> bytes:
    for b in at.get("download_button"):
        if b.proto.label == label:
            return downloads.of(b)
    raise AssertionError(f"no download button {label!r}")


def _shown(at: AppTest, downloads: Downloads) -> tuple[str, list[pd.DataFrame], list[dict], list[bytes]]:
    """Everything a reader sees: words (text, captions, notices, metrics and their help), table
    cells, chart specs (data and hover) and the bytes of every download offered."""
    parts = [m.value for m in at.markdown] + [c.value for c in at.caption] + [i.value for i in at.info]
    parts += [t.value for t in at.title] + [e.value for e in at.error]
    parts += [f"{m.label} {m.value} {m.help or ''}" for m in at.metric]
    words = re.sub(r"\\(.)", r"\1", "\n".join(parts))
    frames = [d.value for d in at.dataframe]
    specs = [json.loads(c.proto.spec) for c in at.get("plotly_chart")]
    offered = [downloads.of(b) for b in at.get("download_button") if b.proto.url]
    return words, frames, specs, offered


def _exact(full_reader, authority: str, ind: str, period: str, vintage: int, hidden: list[str]) -> dict:
    """{ward name: (exact count, exact value)} of the hidden cells, from the full extract."""
    unit = analysis.indicator_meta(full_reader, ind)["unit"]
    raw = analysis.ward_table(full_reader, authority, ind, period, vintage).set_index("geo_code")
    return {
        raw.loc[c, "geo_name"]: (
            raw.loc[c, "value"] if unit == "count" else raw.loc[c, "numerator"],
            raw.loc[c, "value"],
        )
        for c in hidden
    }


@pytest.mark.parametrize("case", CASES, ids=lambda c: "-".join(map(str, c)))
def test_public_pages_show_no_hidden_figure(case, public_view, public_reader, full_reader, downloads):
    authority, ind, period, vintage = case
    unit = analysis.indicator_meta(public_reader, ind)["unit"]
    pub = analysis.ward_table(public_reader, authority, ind, period, vintage).set_index("geo_code")
    hidden = list(pub.index[pub["suppressed"]])
    assert hidden, "every case has a hidden ward"
    exact = _exact(full_reader, authority, ind, period, vintage, hidden)
    for page in PAGES:
        at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=120)
        at.query_params.update(authority=authority, indicator=ind, period=period)
        if page in ("map", "profile"):
            at.query_params["ward"] = hidden[0]  # the reader looks at a hidden ward itself
        at.run()
        if page != "overview":
            at.switch_page(f"pages/{page}.py").run()
        assert not at.exception, at.exception
        assert not at.error, [e.value for e in at.error]
        words, frames, specs, offered = _shown(at, downloads)
        tables = [pd.read_csv(io.BytesIO(b)) for b in offered if b[:2] not in (b"PK", b"\x1f\x8b")]
        frames = frames + [t.rename(columns={"geo_name": "Ward", "value": "Value"}) for t in tables]
        assert "nan" not in re.findall(r"\bnan\b", words), page
        for name, (count, value) in exact.items():
            shown_count, shown_value = text.fmt(count, "count"), text.fmt(value, unit)
            for sentence in re.split(r"(?<=[.;:])\s", words):
                if name in sentence:
                    assert f"({shown_count})" not in sentence and f"({shown_value})" not in sentence, sentence
                    assert not re.search(rf"{re.escape(name)}\W+(is|count is)\s+{re.escape(shown_value)}", sentence)
            for f in frames:
                if "Ward" in f.columns:
                    rows = f[f["Ward"] == name]
                    if "Local authority" in f.columns:  # a region's table: ward names recur (two Southwicks)
                        rows = rows[rows["Local authority"] == analysis.authority_names(public_reader)[authority]]
                    cols = [c for c in f.columns if c.startswith("Value") or c.startswith("Rank") or "CI" in c]
                    assert rows[cols].isna().all().all(), (page, name, rows[cols])
            for spec in specs:
                for trace in spec.get("data", []):
                    hover = trace.get("text") or []
                    for h in [hover] if isinstance(hover, str) else hover:
                        if isinstance(h, str) and name in h:
                            assert shown_value not in h.split(name, 1)[1].split("<b>")[0] or "not shown" in h, h
                    ys = trace.get("y") or []
                    if isinstance(ys, list) and name in ys:
                        xs = trace.get("x") or []
                        assert not xs or pd.isna(xs[ys.index(name)]) or xs[ys.index(name)] != value


@pytest.mark.parametrize(
    "authority, ward, name, shown, exact",
    [(RUTLAND, EXTON, "Exton", "12.1%", "12.7%"), (POWYS, HAY, "Hay", "42.2%", "41.2%")],
)
def test_public_pages_show_rates_of_the_rounded_counts(public_view, downloads, authority, ward, name, shown, exact):
    """Exton and Hay, FYE 2024: the map, its table and its downloads show the rate of the rounded
    counts, never the published rate that gave the exact count back."""
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=120)
    at.query_params.update(authority=authority, indicator=CP, period="FYE 2024", ward=ward)
    at.run()
    at.switch_page("pages/map.py").run()
    assert not at.exception and not at.error
    words, frames, specs, offered = _shown(at, downloads)
    table = frames[0].set_index("Ward")
    assert table.loc[name, "Value (%)"] == float(shown[:-1])
    assert f"{name} is {shown}" in words and exact not in words
    assert exact not in json.dumps(specs)
    tables = [pd.read_csv(io.BytesIO(b)) for b in offered if b[:2] not in (b"PK", b"\x1f\x8b")]
    assert tables, "the map offers its table as CSV"
    values = [float(v) for t in tables for v in t.loc[t["Ward code"] == ward, "Value (%)"]]
    assert values == [float(shown[:-1])], (name, values)


def test_public_downloads_hide_small_counts(public_view, downloads):
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=120)
    at.query_params.update(authority="E09000007", indicator="uc_households", period="November 2017")
    at.run()
    at.switch_page("pages/methods.py").run()
    assert not at.exception, at.exception
    d = pd.read_csv(io.BytesIO(_download(at, downloads, "Current view (CSV)"))).set_index("geo_name")
    assert np.isnan(d.loc["Frognal", "value"]) and d.loc["Frognal", "status"] == "suppressed"
    assert d.loc["Haverstock", "value"] == 110  # 109, rounded to the nearest 5
    assert "rank" in d and np.isnan(d.loc["Frognal", "rank"])
    # the whole extract offered here is the public one
    assert "Whole extract: observations (CSV)" in [b.label for b in at.get("download_button")]
    assert "Counts below 10 are not shown" in "\n".join(m.value for m in at.markdown)


def test_public_whole_extract_download_is_the_public_extract(public_reader):
    import gzip

    from wardgaps.ui import exports

    data = exports._extract_csv.__wrapped__(public_reader.version, True, public_reader)
    cols = ["indicator_id", "geo_code", "period", "value", "numerator"]
    d = pd.read_csv(io.BytesIO(gzip.decompress(data)), usecols=cols, dtype={"period": str})
    exton = d[(d["geo_code"] == EXTON) & (d["indicator_id"] == CP) & (d["period"] == "FYE 2024")].iloc[0]
    assert (exton["value"], exton["numerator"]) == (12.1, 20)


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


def test_public_indicator_pack_shows_no_small_count(tmp_path, public_reader, full_reader):
    from wardgaps import briefing

    authority, ind, period, vintage = ("E09000007", "uc_households", "November 2017", 2024)
    pub = analysis.ward_table(public_reader, authority, ind, period, vintage).set_index("geo_code")
    hidden = {
        n: v
        for n, (_, v) in _exact(
            full_reader, authority, ind, period, vintage, list(pub.index[pub["suppressed"]])
        ).items()
    }
    assert "Frognal" in hidden and hidden["Frognal"] < 10
    pack = briefing.make_pack(public_reader, authority, indicator=ind, period=period)
    words, series, rows = _pptx_everything(briefing.render(pack, "pptx"))
    pdf = _pdf_words(briefing.render(pack, "pdf"), tmp_path)
    assert "not shown" in (words + pdf).lower() or "suppressed" in (words + pdf).lower()
    assert "Counts below 10 are not shown" in words and "Counts below 10 are not shown" in " ".join(pdf.split())
    assert not re.search(r"\bnan\b", words + pdf)
    for name, value in hidden.items():
        shown = text.fmt(value, "count")
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
    assert disclosure.WITHHELD_EXTREME.split(",")[0] in " ".join((words + " " + pdf).split())


def test_public_ward_pack_says_no_nan(tmp_path, public_reader):
    """A public ward pack whose earlier figures are hidden names the period, never "nan"."""
    from wardgaps import briefing

    pack = briefing.make_pack(public_reader, CITY, ward=PORTSOKEN)
    words, _, _ = _pptx_everything(briefing.render(pack, "pptx"))
    pdf = _pdf_words(briefing.render(pack, "pdf"), tmp_path)
    assert not re.search(r"\bnan\b", words + pdf, re.IGNORECASE)


def test_public_intervals_say_nothing_beyond_the_rounded_counts(public_reader, full_reader):
    """Islington, Census 2021: an exact interval would give the exact counts back (review: 17 of 17
    wards recovered). In public every rate and interval is that of the rounded counts shown."""
    from wardgaps.stats import wilson_interval

    for ind in ("overcrowded_households", "households_deprived_any_dimension"):
        full = analysis.ward_table(full_reader, "E09000019", ind, "2021", 2024).set_index("geo_code")
        shown = analysis.ward_table(public_reader, "E09000019", ind, "2021", 2024).set_index("geo_code")
        assert len(shown) == 17 and not shown["suppressed"].any()
        lo, hi = wilson_interval(shown["numerator"], shown["denominator"], 0.95)
        assert (shown["lower_95"].to_numpy() == np.round(lo, 1)).all()
        assert (shown["upper_95"].to_numpy() == np.round(hi, 1)).all()
        assert np.allclose(shown["value"], (100 * shown["numerator"] / shown["denominator"]).round(1))
        assert (shown["numerator"] % 5 == 0).all() and (shown["denominator"] % 5 == 0).all()
        assert (shown["lower_95"] != full.loc[shown.index, "lower_95"]).any()


def test_public_map_legend_names_hidden_wards_as_hidden(public_reader):
    t = analysis.ward_table(public_reader, "E09000007", "uc_households", "November 2017", 2024)
    b = analysis.ward_boundaries(public_reader, "E09000007", 2024)
    fig = charts.choropleth(b, t, value_label="UC households", unit="count", polarity="neutral")
    hidden = [tr for tr in fig.data if tr.name == disclosure.NOT_SHOWN]
    assert len(hidden) == 1 and "Frognal" in hidden[0].text and "Hampstead Town" in hidden[0].text
    assert "no figure" not in [tr.name for tr in fig.data]
