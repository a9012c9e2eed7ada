"""Ward Gaps' statistics against the reference packages' own test cases (../shared/peer-tests)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from tests.conftest import ROOT
from wardgaps import stats

PEER = ROOT.parent / "shared" / "peer-tests"


@pytest.fixture(scope="module")
def peer() -> Path:
    if not PEER.is_dir():
        pytest.fail(f"peer tests not found at {PEER}")
    return PEER


# --- Wilson ---------------------------------------------------------------------------------
def test_wilson_reference_rows(peer):
    bw = pd.read_excel(peer / "testdata_Byars_Wilson.xlsx", sheet_name="testdata_B_W")
    w = bw[bw["method"] == "Wilson"]
    assert len(w) == 6
    for _, r in w.iterrows():
        conf = float(r["confidence"].rstrip("%"))  # percent form, as the reference tests pass it
        lo, hi = stats.wilson_interval([r["x"]], [r["n"]], conf, multiplier=1)
        assert lo[0] == pytest.approx(r["lowercl"], abs=1e-6)
        assert hi[0] == pytest.approx(r["uppercl"], abs=1e-6)


def test_proportion_reference_rows(peer):
    p = pd.read_excel(peer / "testdata_Proportion.xlsx", sheet_name="testdata_Prop")
    for _, r in p.iterrows():
        for conf, lo_col, hi_col in ((0.95, "lower95_0cl", "upper95_0cl"), (0.998, "lower99_8cl", "upper99_8cl")):
            lo, hi = stats.wilson_interval([r["Numerator"]], [r["Denominator"]], conf, r["multiplier"])
            if pd.isna(r[lo_col]):
                assert np.isnan(lo[0]) and np.isnan(hi[0])
            else:
                assert lo[0] == pytest.approx(r[lo_col], rel=1e-9)
                assert hi[0] == pytest.approx(r[hi_col], rel=1e-9)


def test_wilson_hand_case():
    lo, hi = stats.wilson_interval([65], [100], 0.95)
    assert (round(lo[0], 1), round(hi[0], 1)) == (55.3, 73.6)


# --- significance against a comparator ------------------------------------------------------
def test_funnel_significance_303_areas(peer):
    f = pd.read_csv(peer / "testdata_funnel_prop_inputs.csv")
    assert len(f) == 303
    comparator = f["numerator"].sum() / f["denominator"].sum()
    assert comparator == pytest.approx(0.80642448, abs=1e-8)
    got = [_funnel_label(n, d, comparator) for n, d in zip(f["numerator"], f["denominator"], strict=True)]
    assert got == f["significance"].tolist()


def _funnel_label(numerator: float, denominator: float, comparator: float) -> str:
    """The reference funnel label from the app's own significance rule (``stats.compare`` on
    Wilson limits at 95% and 99.8%): the rule every ward comparison uses."""
    at = {}
    for level in (0.95, 0.998):
        lo, hi = stats.wilson_interval([numerator], [denominator], level, 1)
        at[level] = stats.compare(lo[0], hi[0], comparator)
    for level, tag in ((0.998, "0.001"), (0.95, "0.025")):
        if at[level] == "higher":
            return f"High ({tag})"
        if at[level] == "lower":
            return f"Low ({tag})"
    return "Not significant"


def test_compare_and_judge():
    assert stats.compare(43.98, 48.03, 33.4) == "higher"
    assert stats.compare(18.4, 21.9, 33.4) == "lower"
    assert stats.compare(30.0, 36.0, 33.4) == "similar"
    assert stats.compare(None, None, 33.4) is None
    assert stats.judge("higher", "higher_is_worse") == "worse"
    assert stats.judge("higher", "higher_is_better") == "better"
    assert stats.judge("higher", "neutral") == "higher"


# --- quantiles ------------------------------------------------------------------------------
@pytest.mark.filterwarnings("ignore:One or more groups had too few small areas")  # expected: those rows are NA
def test_quantile_reference_rows(peer):
    """Deciles within region (IndSexReg), septiles nationally (IndSex), and quartiles over the whole
    ungrouped "None" set with the default inversion, as the reference tests call them. The
    BadPolarity rows mix polarities within a group, which the reference refuses."""
    q = pd.read_excel(peer / "testdata_Quantiles.xlsx", keep_default_na=False)
    q = q[q["Test"] != "BadPolarity"]
    checked = 0
    for gset, n, keys in (
        ("IndSexReg", 10, ["IndSexRef", "ParentCode"]),
        ("IndSex", 7, ["IndSexRef"]),
        ("None", 4, None),
    ):
        part = q[q["GroupSet"] == gset]
        groups = part.groupby(keys) if keys else [("all", part)]
        for key, g in groups:
            invert = str(g["Polarity"].iloc[0]) in ("RAG - Low is good", "True") if keys else True
            got = stats.quantiles(pd.to_numeric(g["Value"], errors="coerce"), n, invert=invert)
            expected = pd.to_numeric(g["QuantileInGrp"], errors="coerce")
            assert np.array_equal(got.to_numpy(dtype=float), expected.to_numpy(dtype=float), equal_nan=True), key
            checked += len(g)
    assert checked == len(q) == 982


# --- SII / RII ------------------------------------------------------------------------------
# (input RecordNo range, value_type, se source, options, expected RecordNos, compare rii, levels)
SCENARIOS = [
    (1, (1, 20), 0, "se", {}, (1, 11), True, [0.95]),
    (2, (1, 20), 0, "cl", {}, (1, 11), True, [0.95]),
    (3, (1, 20), 0, "cl", {}, (246, 256), True, [0.95]),
    (4, (1, 10), 0, "cl", {}, (1,), True, [0.95]),
    (5, (21, 40), 0, "cl", {}, (21, 31), True, [0.99]),
    (6, (21, 40), 0, "se", {}, (21, 31), True, [0.99]),
    (7, (226, 245), 0, "se", {}, (226, 236), True, [0.95, 0.99]),
    (8, (41, 60), 0, "se", {}, (41, 51), True, [0.95]),
    (9, (61, 70), 0, "se", {}, (61, 66), False, [0.95]),
    (10, (71, 90), 1, "se", {}, (71, 81), True, [0.95]),
    (11, (71, 90), 1, "cl", {}, (71, 81), True, [0.95]),
    (12, (71, 90), 1, "cl", {}, (266, 276), True, [0.95]),
    (13, (306, 325), 1, "cl", {"transform": True}, (306, 316), True, [0.95]),
    (14, (386, 405), 1, "cl", {"transform": True, "multiplier": -1}, (386, 396), True, [0.95]),
    (15, (406, 425), 1, "cl", {"transform": True}, (406, 416), True, [0.98]),
    (16, (366, 385), 1, "cl", {"transform": True}, (366, 376), True, [0.95, 0.98]),
    (17, (426, 445), 1, "cl", {"transform": True}, (426, 436), False, [0.95]),
    (18, (91, 110), 2, "se", {}, (91, 101), True, [0.95]),
    (19, (91, 110), 2, "cl", {}, (91, 101), True, [0.95]),
    (20, (91, 110), 2, "x", {}, (91, 101), True, [0.95]),
    (21, (91, 110), 1, "cl", {}, (286, 296), True, [0.95]),
    (22, (111, 130), 2, "cl", {"multiplier": 100}, (111, 121), True, [0.95]),
    (23, (111, 130), 2, "cl", {"multiplier": 100}, (111, 121), False, [0.95]),
    (24, (131, 150), 2, "cl", {"multiplier": -100}, (131, 141), True, [0.95]),
    (25, (131, 150), 2, "cl", {"multiplier": -100}, (131, 141), False, [0.95]),
    (26, (326, 345), 2, "cl", {"transform": True}, (326, 336), True, [0.95]),
    (27, (346, 365), 2, "cl", {"transform": True, "multiplier": -1}, (346, 356), True, [0.95]),
    (28, (466, 485), 2, "cl", {"transform": True}, (466, 476), True, [0.98]),
    (29, (486, 505), 2, "cl", {"transform": True}, (486, 496), True, [0.95, 0.98]),
    (30, (446, 465), 2, "cl", {"transform": True}, (446, 456), False, [0.95]),
]


@pytest.fixture(scope="module")
def sii_data(peer) -> pd.DataFrame:
    return pd.read_excel(peer / "testdata_SII.xlsx").set_index("RecordNo")


def mean_rel_diff(actual: list[float], expected: list[float]) -> float:
    """waldo's rule (testthat 3e): mean |a − e| / mean |e| over the elements that differ."""
    a, e = np.asarray(actual), np.asarray(expected)
    diff = a != e
    if not diff.any():
        return 0.0
    return float(np.mean(np.abs(a[diff] - e[diff])) / np.mean(np.abs(e[diff])))


@pytest.mark.parametrize("case", SCENARIOS, ids=lambda c: f"scenario{c[0]}")
def test_sii_reference_scenarios(sii_data, case):
    _, (first, last), vtype, se_src, opts, expected_rows, with_rii, levels = case
    data = sii_data.loc[first:last]
    points, limits, exp_limits = [], {}, {}
    for (area, *_), g in data.groupby(["Area", "Grouping1", "Grouping2"], sort=False):
        kw = dict(value_type=vtype, confidence=levels, repetitions=100_000, rng=5, **opts)
        if se_src == "se":
            kw["se"] = g["StandardError"]
        else:
            kw["lower"], kw["upper"] = g["LowerCL"], g["UpperCL"]
        value = None if se_src == "x" else g["Value"]
        r = stats.sii(g["Quantile"], g["Population"], value, x=g["Count"] if se_src == "x" else None, **kw)
        points.append((area, r))
    assert len(points) == len(expected_rows)
    for (area, r), row in zip(points, expected_rows, strict=True):
        e = sii_data.loc[row]
        assert r.sii == pytest.approx(e["sii"], rel=1e-6), f"sii {area}"
        if with_rii:
            assert r.rii == pytest.approx(e["rii"], rel=1e-6), f"rii {area}"
        if not pd.isna(e["Intercept"]):
            assert r.intercept == pytest.approx(e["Intercept"], rel=1e-6), f"intercept {area}"
        for k, c in enumerate(levels, start=1):
            for name, lim in (("sii", r.sii_limits[c]), ("rii", r.rii_limits[c])):
                if name == "rii" and not with_rii:
                    continue
                for side, v in zip(("lowercl", "uppercl"), lim, strict=True):
                    col = f"{name}_{side}_{k}"
                    if pd.isna(e[col]):  # the quintile block has only the SII point from the Excel tool
                        continue
                    limits.setdefault(col, []).append(v)
                    exp_limits.setdefault(col, []).append(e[col])
    for col in limits:
        assert mean_rel_diff(limits[col], exp_limits[col]) < 0.05, col
        assert np.allclose(limits[col], exp_limits[col], rtol=0.05), col


def test_sii_hand_case_and_sign_convention():
    """5 equal areas, 10..50 from most to least deprived: slope 50 towards the least deprived."""
    r = stats.sii([1, 2, 3, 4, 5], [100] * 5, [10, 20, 30, 40, 50], se=[1] * 5, rng=1)
    assert r.sii == pytest.approx(50)
    assert r.intercept == pytest.approx(5)  # fitted value at rank 0
    assert r.rii == pytest.approx(55 / 5)
    flipped = stats.sii([1, 2, 3, 4, 5], [100] * 5, [10, 20, 30, 40, 50], se=[1] * 5, multiplier=-1, rng=1)
    assert flipped.sii == pytest.approx(-50) and flipped.rii == pytest.approx(5 / 55)
    lo, hi = r.sii_limits[0.95]
    assert lo < 50 < hi


def test_sii_is_reproducible():
    args = ([1, 2, 3, 4, 5], [100] * 5, [10, 21, 29, 41, 50])
    a = stats.sii(*args, se=[2] * 5, rng=5, repetitions=1000)
    b = stats.sii(*args, se=[2] * 5, rng=5, repetitions=1000)
    assert a == b


@pytest.mark.parametrize(
    "kwargs",
    [
        {"value_type": 3},
        {"repetitions": 999},
        {"confidence": 0.8},
        {"transform": True},
    ],
)
def test_sii_refuses_bad_arguments(kwargs):
    with pytest.raises(ValueError):
        stats.sii([1, 2, 3, 4, 5], [1] * 5, [1, 2, 3, 4, 5], se=[1] * 5, **kwargs)


def test_sii_needs_five_quantiles_and_positive_populations():
    with pytest.raises(ValueError):
        stats.sii([1, 2, 3, 4], [1] * 4, [1, 2, 3, 4], se=[1] * 4)
    with pytest.raises(ValueError):
        stats.sii([1, 2, 3, 4, 5], [1, 1, 0, 1, 1], [1, 2, 3, 4, 5], se=[1] * 5)
