"""DWP Children in low income families (AHC, relative), wards and local authorities, FYE 2024-2025."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from wardgaps.ingest.aggregate import rate_from_counts
from wardgaps.ingest.common import (
    CURRENT,
    DataError,
    check_codes,
    check_percent,
    check_unique,
    fy_start,
    obs_frame,
    read_csv,
    to_number,
)
from wardgaps.ingest.geo import Geo

SOURCE_ID = "dwp_cilif"
INDICATOR = "child_poverty_ahc_dwp"
F_WARD = "dwp_cilif_local_area_stats_2022_2025/4_AHC_Relative_Ward.csv"
F_LA = "dwp_cilif_local_area_stats_2022_2025/2_AHC_Relative_LA.csv"
YEARS = ["FYE 2024", "FYE 2025"]
SPARSE = {"E09000001", "E06000053"}  # City of London, Isles of Scilly


def _read(path: Path, skiprows: int, names: list[tuple[str, str]]) -> pd.DataFrame:
    """Read a DWP worksheet export; ``names`` are (expected header start, our name) by position."""
    df = read_csv(path, skiprows=skiprows)
    heads = list(df.columns)
    for i, (expect, name) in enumerate(names):
        if i >= len(heads) or not heads[i].startswith(expect):
            raise DataError(path, f"column '{name}' missing")
    for y in YEARS:
        for kind in ("Number of children", "Percentage of children"):
            if not any(h.startswith(kind) and y in h for h in heads):
                raise DataError(path, f"column '{kind} {y}' missing")
    rename = {heads[i]: name for i, (_, name) in enumerate(names)}
    for h in heads:
        for y in YEARS:
            if y in h and h.startswith("Number"):
                rename[h] = f"n {y}"
            elif y in h and h.startswith("Percentage"):
                rename[h] = f"p {y}"
    df = df.rename(columns=rename)
    key = names[-1][1]
    return df[df[key].notna() & (df[key].str.strip() != "")].reset_index(drop=True)


def _long(df: pd.DataFrame, code_col: str, path: Path) -> pd.DataFrame:
    rows = []
    for y in YEARS:
        n, n_marker = to_number(df[f"n {y}"], path, f"Number of children {y}")
        p, p_marker = to_number(df[f"p {y}"], path, f"Percentage of children {y}")
        check_percent(p.dropna(), path, f"Percentage of children {y}")
        if (n < 0).any():
            raise DataError(path, f"column 'Number of children {y}' has a negative count")
        rows.append(
            pd.DataFrame(
                {"geo_code": df[code_col], "period": y, "numerator": n, "value": p, "suppressed": p_marker | p.isna()}
            )
        )
    return pd.concat(rows, ignore_index=True)


def load(raw: Path, geo: Geo) -> pd.DataFrame:
    pw = raw / F_WARD
    if not pw.is_file():
        raise DataError(pw, "file missing")
    ward = _read(
        pw,
        9,
        [
            ("Local Authority", "Local Authority"),
            ("Area Code", "LA code"),
            ("Ward", "Ward"),
            ("Area Code", "Ward code"),
        ],
    )
    ward = ward[ward["LA code"].str.match(r"(E0[6-9]|W06)\d{6}")]
    check_codes(ward["Ward code"], r"[EW]05\d{6}", pw, "Ward code")
    check_unique(ward, ["Ward code"], pw)
    unknown = ~ward["Ward code"].isin(geo.wards["geo_code"])
    if unknown.any():
        raise DataError(pw, f"unknown ward code '{ward.loc[unknown, 'Ward code'].iloc[0]}'")
    wrong = ward["LA code"].to_numpy() != ward["Ward code"].map(geo.wards.set_index("geo_code")["authority_code"])
    if wrong.any():
        raise DataError(pw, f"ward '{ward.loc[wrong, 'Ward code'].iloc[0]}' is in another authority in the ONS lookup")
    # DWP leaves out only the City of London's non-residential wards and one Isles of Scilly ward.
    expected = set(geo.wards.loc[~geo.wards["authority_code"].isin(SPARSE), "geo_code"])
    missing = sorted(expected - set(ward["Ward code"]))
    if missing:
        raise DataError(pw, f"{len(missing)} wards missing, e.g. '{missing[0]}' (file truncated?)")
    w = _long(ward, "Ward code", pw)

    pl = raw / F_LA
    if not pl.is_file():
        raise DataError(pl, "file missing")
    la = _read(pl, 8, [("Local Authority", "Local Authority"), ("Area Code", "LA code")])
    la = la[la["LA code"].str.match(r"(E0[6-9]|W06)\d{6}")]
    check_unique(la, ["LA code"], pl)
    missing = sorted(set(geo.authorities["authority_code"]) - set(la["LA code"]))
    if missing:
        raise DataError(pl, f"{len(missing)} local authorities missing, e.g. '{missing[0]}'")
    lal = _long(la, "LA code", pl)
    boro = lal[lal["geo_code"].isin(geo.authorities["authority_code"])]
    wider = rate_from_counts(lal, geo.authorities)

    frames = []
    for df, vintage, method in ((w, CURRENT, "published"), (boro, CURRENT, "published")):
        # DWP publishes no child population: derive it from count ÷ rate, for the intervals only.
        den = (df["numerator"] / (df["value"] / 100)).where(df["value"] > 0).round(1)
        frames.append(
            obs_frame(
                indicator_id=INDICATOR,
                geo_code=df["geo_code"].to_numpy(),
                vintage=vintage,
                period=df["period"].to_numpy(),
                period_start=[fy_start(p) for p in df["period"]],
                value=df["value"].to_numpy(),
                numerator=df["numerator"].to_numpy(),
                denominator=den.to_numpy(),
                method=method,
                status=["suppressed" if s else "final" for s in df["suppressed"]],
                source_id=SOURCE_ID,
            )
        )
    frames.append(
        obs_frame(
            indicator_id=INDICATOR,
            geo_code=wider["geo_code"].to_numpy(),
            vintage=CURRENT,
            period=wider["period"].to_numpy(),
            period_start=[fy_start(p) for p in wider["period"]],
            value=wider["value"].to_numpy(),
            numerator=wider["numerator"].to_numpy(),
            denominator=wider["denominator"].to_numpy(),
            method="aggregated",
            status="final",
            source_id=SOURCE_ID,
        )
    )
    return pd.concat(frames, ignore_index=True)
