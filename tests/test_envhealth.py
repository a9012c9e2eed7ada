"""Living environment and health (IoD 2019/2025 underlying indicators): LSOA values as published,
ward means recomputed from the raw files and the stored weights, Manchester as well as
Islington, nothing for Wales, the theme reachable in the app, and bad files refused."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from tests.conftest import COMMITTED, replace_file
from tests.test_pages import app, frames, texts
from wardgaps import analysis, text
from wardgaps.db import connect
from wardgaps.ingest import iod_indicators
from wardgaps.ingest.common import DataError
from wardgaps.ingest.geo import Geo
from wardgaps.ingest.registry import load_registry
from wardgaps.ui import THEMES

pytestmark = pytest.mark.national

F19, F25 = iod_indicators.F8_19, iod_indicators.F8_25
ISLINGTON, MANCHESTER, CARDIFF = "E09000019", "E08000003", "W06000015"
BUNHILL, ANCOATS = "E05013699", "E05011350"  # Islington's Bunhill; Manchester's Ancoats & Beswick
LOOKUP21 = "geographr_lookups/converted/lookup_lsoa21_ward24_ltla24.csv.gz"
TS007A = "nomis_census2021_bulk_lsoa/census2021-ts007a-lsoa.csv"
NEW = {i for i, _, _ in iod_indicators.IND19 + iod_indicators.IND25}


@pytest.fixture(scope="module")
def raw19(raw: Path) -> pd.DataFrame:
    return pd.read_csv(raw / F19).set_index("lsoa11_code")


@pytest.fixture(scope="module")
def raw25(raw: Path) -> pd.DataFrame:
    return pd.read_csv(raw / F25).set_index("lsoa21_code")


@pytest.fixture(scope="module")
def db():
    """The extract the app serves (the AppTests below read the same file), opened as the app opens
    it (DuckDB refuses a second connection to one file with another configuration)."""
    c = connect(COMMITTED)
    yield c
    c.close()


def obs(db, indicator: str, period: str, vintage: int) -> pd.Series:
    d = db.execute(
        "select geo_code, value from observations where indicator_id = ? and period = ? and vintage = ?",
        [indicator, period, vintage],
    ).df()
    return d.set_index("geo_code")["value"]


def recomputed_from_raw(db, indicator: str, period: str, ward: str, raw_values: pd.Series) -> float:
    """A ward's mean from the raw LSOA values and the weight set the extract says made it."""
    w = db.execute(
        "select c.from_code, c.weight from crosswalks as c inner join apportionments as a "
        "on c.weight_basis = a.weight_basis and c.to_vintage = a.to_vintage "
        "where a.indicator_id = ? and a.period = ? and c.to_code = ?",
        [indicator, period, ward],
    ).df()
    assert len(w) and abs(w["weight"].sum() - 1) < 1e-9
    return float((w["weight"] * w["from_code"].map(raw_values)).sum())


def ward_mean_2025(raw: Path, raw25: pd.DataFrame, column: str, ward: str) -> float:
    """A ward's 2025 figure straight from the raw files: its LSOAs by ONS's best fit, weighted by
    their Census 2021 population."""
    lk = pd.read_csv(raw / LOOKUP21)
    lsoas = lk.loc[lk["ward24_code"] == ward, "lsoa21_code"]
    pop = pd.read_csv(raw / TS007A, usecols=["geography code", "Age: Total"]).set_index("geography code")
    w = pop.loc[lsoas, "Age: Total"].astype(float)
    return float((w * raw25.loc[lsoas, column]).sum() / w.sum())


# --- the registry ------------------------------------------------------------------------------
def test_registry_theme_units_polarity():
    reg = load_registry("indicators.yaml")
    assert "environment_health" in THEMES
    for i in NEW:
        m = reg[i]
        assert m["theme"] == "environment_health"
        assert m["polarity"] == "higher_is_worse"
        assert m["ci_method"] == "none"
        assert analysis.is_deprivation_index(m), i  # no slope index by IMD: circular
        assert m["unit"] in ("score", "%", "rate_per_1000", "km", "ratio")
        assert text.unit_label(m["unit"]) in ("score", "%", "rate per 1,000", "km", "ratio")
    assert reg["air_quality"]["definition"].count("2016") == 1  # the air quality model year
    assert "2015, 2016 and 2017" in reg["road_traffic_accidents_rate"]["definition"]


# --- the extract ---------------------------------------------------------------------------------
def test_islington_lsoas_as_published(db, raw19, raw25):
    for ind, col, scale in iod_indicators.IND19:
        got = db.execute(
            "select o.geo_code, o.value, o.method from observations as o inner join geographies as g "
            "on o.geo_code = g.geo_code and o.vintage = g.vintage "
            "where o.indicator_id = ? and o.period = '2019' and g.authority_code = ? and g.geo_type = 'lsoa'",
            [ind, ISLINGTON],
        ).df()
        assert len(got) == 123 and set(got["method"]) == {"published"}
        want = (raw19.loc[got["geo_code"], col] * scale).round(4).to_numpy()
        assert got["value"].to_numpy() == pytest.approx(want, abs=1e-9), ind
    got = obs(db, "air_quality", "2019", 2011)
    assert got["E01002704"] == raw19.loc["E01002704", "air_quality_indicator"]
    got = obs(db, "crime_burglary_rate", "2025", 2021)
    assert got["E01002704"] == raw25.loc["E01002704", "burglary_rate_per_1_000_at_risk_properties"]


@pytest.mark.parametrize(
    ("ind", "col", "scale"),
    [
        ("air_quality", "air_quality_indicator", 1.0),
        ("air_quality_no2", "nitrogen_dioxide_component_of_air_quality_indicator", 1.0),
        ("housing_poor_condition_pct", "housing_in_poor_condition_indicator", 100.0),
        ("distance_gp_km", "road_distance_to_a_gp_surgery_indicator_km", 1.0),
    ],
)
def test_ward_means_recomputed_from_raw(db, raw19, ind, col, scale):
    """Islington (GLA weights) and Manchester (ONS LSOA 2011 -> 2021 weights) alike."""
    values = raw19[col] * scale
    current = obs(db, ind, "2019", 2024)
    for ward in (BUNHILL, ANCOATS):
        assert current[ward] == pytest.approx(recomputed_from_raw(db, ind, "2019", ward, values), abs=1e-4)
    meta = db.execute(
        "select method, status, fit_quality from observations where indicator_id = ? and geo_code = ?", [ind, ANCOATS]
    ).fetchall()
    assert meta[0][:2] == ("apportioned", "estimate") and 0 < meta[0][2] <= 1


def test_manchester_2025_from_raw(db, raw, raw25):
    for ind, col in (
        ("crime_burglary_rate", "burglary_rate_per_1_000_at_risk_properties"),
        ("patients_per_gp", "patient_to_gp_ratio"),
        ("broadband_speed_score", "digital_connectivity_broadband_download_and_upload_speeds"),
    ):
        assert obs(db, ind, "2025", 2024)[ANCOATS] == pytest.approx(ward_mean_2025(raw, raw25, col, ANCOATS), abs=1e-4)
    wards = db.execute(
        "select count(*) from ward_observations where indicator_id = 'air_quality' and authority_code = ?",
        [MANCHESTER],
    ).fetchall()[0][0]
    assert wards == 32  # every Manchester ward


def test_wales_has_no_figure(db):
    n = db.execute(
        "select count(*) from observations as o inner join indicators as i on o.indicator_id = i.indicator_id "
        "where i.theme = 'environment_health' and o.geo_code like 'W%'"
    ).fetchall()[0][0]
    assert n == 0


# --- the app ---------------------------------------------------------------------------------------
def test_theme_in_the_sidebar():
    at = app("map", authority=ISLINGTON, indicator="air_quality")
    theme = at.selectbox(key="w_theme")
    assert theme.value == "environment_health" and "Living environment and health" in theme.options
    assert any("Air quality (IoD)" in o for o in at.selectbox(key="w_indicator").options)
    assert at.selectbox(key="w_period").value == "2019"


def test_choosing_the_theme_starts_on_air_quality():
    at = app("map", authority=ISLINGTON)
    at.selectbox(key="w_theme").set_value("environment_health").run()
    assert not at.exception, at.exception
    assert at.selectbox(key="w_indicator").value == "air_quality"
    assert at.query_params["indicator"] == ["air_quality"] or at.query_params["indicator"] == "air_quality"


@pytest.mark.parametrize("page", ["overview", "gaps", "trends", "context", "methods"])
def test_theme_runs_on_other_pages(page):
    at = app(page, authority=MANCHESTER, indicator="air_quality")
    assert at.title


def test_map_islington_air_quality(db, raw19):
    at = app("map", authority=ISLINGTON, indicator="air_quality", period="2019", ward=BUNHILL)
    table = next(f for f in frames(at) if "Ward code" in f.columns).set_index("Ward code")
    assert len(table) == 17
    want = recomputed_from_raw(db, "air_quality", "2019", BUNHILL, raw19["air_quality_indicator"])
    assert table.loc[BUNHILL, "Value (score)"] == pytest.approx(want, abs=1e-4)
    assert table.loc[BUNHILL, "Method"] == "apportioned"
    assert f"Bunhill is {text.fmt(round(want, 4), 'score')}" in texts(at)


def test_map_manchester_crime(raw, raw25):
    at = app("map", authority=MANCHESTER, indicator="crime_burglary_rate", period="2025", ward=ANCOATS)
    table = next(f for f in frames(at) if "Ward code" in f.columns).set_index("Ward code")
    want = ward_mean_2025(raw, raw25, "burglary_rate_per_1_000_at_risk_properties", ANCOATS)
    assert table.loc[ANCOATS, "Value (rate per 1,000)"] == pytest.approx(want, abs=1e-4)


def test_map_pockets_start_on_the_chosen_measure():
    at = app("map", authority=ISLINGTON, indicator="no_central_heating_pct", period="2019")
    at.toggle(key="pockets").set_value(True).run()
    assert not at.exception, at.exception
    assert at.selectbox(key="lsoa_measure").value == "Without central heating (IoD) 2019"
    labels = at.selectbox(key="lsoa_measure").options
    assert labels[0].startswith("IDACI") or labels[0].startswith("Barriers")  # IoD domain scores first


def test_profile_lists_the_theme(db):
    at = app("profile", authority=ISLINGTON, ward=BUNHILL)
    table = next(f for f in frames(at) if "Indicator" in f.columns).set_index("Indicator")
    aq = obs(db, "air_quality", "2019", 2024)[BUNHILL]
    assert table.loc["Air quality (IoD)", "Ward"] == text.fmt(aq, "score")
    assert table.loc["Years of life lost (IoD)", "Period"] == "2025"


def test_wales_says_why():
    at = app("map", authority=CARDIFF, indicator="air_quality")
    assert "English Indices of Deprivation cover England only" in texts(at)


def test_gaps_no_slope_index_for_iod_measures():
    at = app("gaps", authority=MANCHESTER, indicator="distance_gp_km")
    assert at.title


# --- bad input -------------------------------------------------------------------------------------
def edit_csv_gz(mirror: Path, rel: str, edit) -> None:
    p = replace_file(mirror, rel)
    d = pd.read_csv(p, dtype=str, keep_default_na=False)
    edit(d).to_csv(p, index=False, compression="gzip")


def test_missing_column_refused(mirror):
    edit_csv_gz(mirror, F19, lambda d: d.drop(columns="air_quality_indicator"))
    with pytest.raises(DataError) as e:
        iod_indicators.load(mirror, Geo(mirror))
    assert str(e.value) == "imd2019_england_lsoa11_indicators.csv.gz: column 'air_quality_indicator' missing"


def test_non_numeric_value_refused(mirror):
    def bad(d: pd.DataFrame) -> pd.DataFrame:
        d.loc[5, "patient_to_gp_ratio"] = "lots"
        return d

    edit_csv_gz(mirror, F25, bad)
    with pytest.raises(DataError) as e:
        iod_indicators.load(mirror, Geo(mirror))
    assert (
        str(e.value)
        == "imd2025_england_lsoa21_indicators.csv.gz: column 'patient_to_gp_ratio' has a non-numeric value 'lots'"
    )


def test_missing_value_refused(mirror):
    def gap(d: pd.DataFrame) -> pd.DataFrame:
        d.loc[0, "road_traffic_accidents_indicator"] = ""
        return d

    edit_csv_gz(mirror, F19, gap)
    with pytest.raises(DataError) as e:
        iod_indicators.load(mirror, Geo(mirror))
    assert e.value.file == "imd2019_england_lsoa11_indicators.csv.gz"
    assert "'road_traffic_accidents_indicator' has no value for LSOA 'E01000001'" in e.value.rule
