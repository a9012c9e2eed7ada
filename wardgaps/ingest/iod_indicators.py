"""Living environment and health: the underlying indicators of the English Indices of
Deprivation 2019 and 2025 (File 8), LSOA values to population-weighted ward, authority, region
and England means, by the same weights and code paths as the IoD scores (:mod:`wardgaps.ingest.iod`).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from wardgaps.ingest.common import CURRENT, DataError, check_codes, check_unique, read_csv, to_number
from wardgaps.ingest.geo import Geo
from wardgaps.ingest.iod import C_POP, F19, NATIONAL_BASIS, _areas, _national11, _sheets

F8_19 = "humaniverse_imd/converted/imd2019_england_lsoa11_indicators.csv.gz"
F8_25 = "humaniverse_imd/converted/imd2025_england_lsoa21_indicators.csv.gz"

# (indicator id, File 8 column, scale). A scale of 100 turns a published proportion (0-1, so
# described in the IoD 2019 notes) into the percentage the indicator's unit states.
IND19 = [
    ("air_quality", "air_quality_indicator", 1.0),
    ("air_quality_no2", "nitrogen_dioxide_component_of_air_quality_indicator", 1.0),
    ("air_quality_benzene", "benzene_component_of_air_quality_indicator", 1.0),
    ("air_quality_so2", "sulphur_dioxide_component_of_air_quality_indicator", 1.0),
    ("air_quality_particulates", "particulates_component_of_air_quality_indicator", 1.0),
    ("road_traffic_accidents_rate", "road_traffic_accidents_indicator", 1.0),
    ("housing_poor_condition_pct", "housing_in_poor_condition_indicator", 100.0),
    ("no_central_heating_pct", "houses_without_central_heating_indicator", 100.0),
    ("homelessness_rate", "homelessness_indicator_rate_per_1000_households", 1.0),
    ("distance_gp_km", "road_distance_to_a_gp_surgery_indicator_km", 1.0),
    ("distance_primary_school_km", "road_distance_to_a_primary_school_indicator_km", 1.0),
    ("distance_general_store_km", "road_distance_to_general_store_or_supermarket_indicator_km", 1.0),
    ("distance_post_office_km", "road_distance_to_a_post_office_indicator_km", 1.0),
    ("years_potential_life_lost", "years_of_potential_life_lost_indicator", 1.0),
    ("illness_disability_ratio", "comparative_illness_and_disability_ratio_indicator", 1.0),
]
# IoD 2025's File 8 has no air quality, accidents, housing condition or distance columns.
IND25 = [
    ("homelessness_rate", "homelessness_indicator_rate_per_1_000_households", 1.0),
    ("core_homelessness_pct", "core_homelessness_rate_percent_of_households", 1.0),
    ("overcrowding_rooms_score", "household_overcrowding_indicator_rooms", 1.0),
    ("overcrowding_bedrooms_score", "household_overcrowding_indicator_bedrooms", 1.0),
    ("patients_per_gp", "patient_to_gp_ratio", 1.0),
    ("broadband_speed_score", "digital_connectivity_broadband_download_and_upload_speeds", 1.0),
    ("years_potential_life_lost", "years_of_potential_life_lost_indicator", 1.0),
    ("illness_disability_ratio", "comparative_illness_and_disability_ratio_indicator", 1.0),
    ("crime_violence_injury_rate", "violence_with_injury_rate_per_1_000_at_risk_population", 1.0),
    ("crime_violence_no_injury_rate", "violence_without_injury_rate_per_1_000_at_risk_population", 1.0),
    ("crime_stalking_harassment_rate", "stalking_and_harassment_rate_per_1_000_at_risk_population", 1.0),
    ("crime_burglary_rate", "burglary_rate_per_1_000_at_risk_properties", 1.0),
    ("crime_theft_rate", "theft_rate_per_1_000_at_risk_population", 1.0),
    ("crime_criminal_damage_rate", "criminal_damage_rate_per_1_000_at_risk_population", 1.0),
    ("crime_public_order_rate", "public_order_and_possession_of_weapons_rate_per_1_000_at_risk_population", 1.0),
    ("antisocial_behaviour_rate", "anti_social_behaviour_rate_per_1_000_at_risk_population", 1.0),
]
SOURCE19 = "iod2019_file8"
LONDON_BASIS_19 = "IoD 2019 population mid-2015 x GLA LSOA 2011 to ward 2022 shares 2019 (ward mean weights)"


def read_file8(path: Path, code: str, spec: list[tuple[str, str, float]]) -> pd.DataFrame:
    """One File 8 table: the LSOA code and every column in ``spec``, checked and numeric.

    Every value must be present: a ward mean over a missing LSOA would be no mean at all.
    """
    cols = [c for _, c, _ in spec]
    df = read_csv(path, required=[code, *cols])
    check_codes(df[code], r"E01\d{6}", path, code)
    check_unique(df, [code], path)
    out = pd.DataFrame({"lsoa": df[code]})
    for c in dict.fromkeys(cols):
        v, _ = to_number(df[c], path, c)
        if v.isna().any():
            raise DataError(path, f"column '{c}' has no value for LSOA '{df.loc[v.isna(), code].iloc[0]}'")
        if (v < 0).any() and "broadband" not in c:  # the broadband indicator is a signed score
            raise DataError(path, f"column '{c}' has a negative value ({v[v < 0].iloc[0]})")
        out[c] = v
    return out


def load(raw: Path, geo: Geo) -> pd.DataFrame:
    # Both files are read and checked before any geography is touched, so a bad file is refused fast.
    p19, p25 = raw / F8_19, raw / F8_25
    d19 = read_file8(p19, "lsoa11_code", IND19)
    d25 = read_file8(p25, "lsoa21_code", IND25)
    frames: list[pd.DataFrame] = []

    # --- 2019 (LSOA 2011): weights as the IoD 2019 scores --------------------------------------
    # London: the IoD's own mid-2015 populations and the GLA's 2019 LSOA-to-ward shares; elsewhere
    # mid-2020 populations through the ONS LSOA 2011 -> 2021 lookup and the ward best fit.
    pop15 = _sheets(raw / F19, {"Population figures": [C_POP]})["Population figures"].set_index("code")[C_POP]
    london = d19[d19["lsoa"].isin(geo.lsoa11["geo_code"])]
    if not london["lsoa"].isin(pop15.index).all():
        raise DataError(raw / F19, "sheet 'Population figures' lacks London LSOAs of " + p19.name)
    lsoa11_boro = geo.lsoa11[["geo_code", "authority_code"]].rename(columns={"geo_code": "lsoa"})
    w22 = geo.lsoa11_to_ward22(2019).rename(columns={"weight": "share"})
    lk11 = [
        (w22, CURRENT, "apportioned"),
        (geo.lu_lsoa11_ward14, 2014, "aggregated"),
        (geo.lu_lsoa11_ward18, 2018, "aggregated"),
    ]
    pop20 = geo.pop20_lsoa11
    for ind, col, scale in IND19:
        b = pd.DataFrame({"lsoa": london["lsoa"], "value": london[col] * scale, "weight": london["lsoa"].map(pop15)})
        frames += _areas(geo, ind, "2019", SOURCE19, b, 2011, lk11, lsoa11_boro, None, False, basis=LONDON_BASIS_19)
        b = pd.DataFrame({"lsoa": d19["lsoa"], "value": d19[col] * scale, "weight": d19["lsoa"].map(pop20)})
        frames += _national11(geo, ind, "2019", SOURCE19, b, False, NATIONAL_BASIS.format(2019))

    # --- 2025 (LSOA 2021): Census 2021 populations, best fit to the current wards ---------------
    weight = d25["lsoa"].map(geo.pop21_lsoa21)
    if weight.isna().any():
        raise DataError(p25, f"LSOA '{d25.loc[weight.isna(), 'lsoa'].iloc[0]}' has no Census 2021 population")
    lk21 = [(geo.lu_lsoa21_ward[["lsoa", "ward"]], CURRENT, "aggregated")]
    lsoa21_boro = geo.lu_lsoa21_ward[["lsoa", "authority_code"]]
    for ind, col, scale in IND25:
        b = pd.DataFrame({"lsoa": d25["lsoa"], "value": d25[col] * scale, "weight": weight})
        frames += _areas(geo, ind, "2025", "iod2025", b, 2021, lk21, lsoa21_boro, None, True)
    return pd.concat(frames, ignore_index=True)
