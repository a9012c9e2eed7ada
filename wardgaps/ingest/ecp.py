"""End Child Poverty / Loughborough child poverty AHC estimates, local authorities 2014/15-2023/24."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd

from wardgaps.ingest.aggregate import rate_from_counts
from wardgaps.ingest.common import (
    CURRENT,
    DataError,
    check_percent,
    check_unique,
    fy_start,
    fye_label,
    obs_frame,
    read_xlsx,
    to_number,
)
from wardgaps.ingest.geo import Geo

SOURCE_ID = "ecp_ahc"
INDICATOR = "child_poverty_ahc_ecp"
F = "ecp_loughborough_child_poverty_ahc/end-child-poverty-AHC-2015-2024.xlsx"


def load(raw: Path, geo: Geo) -> pd.DataFrame:
    path = raw / F
    df = read_xlsx(path, "Local Authority", header=None)
    if df.shape[0] < 3 or str(df.iat[0, 2]).strip() != "Area Code" or str(df.iat[0, 3]).strip() != "Number":
        raise DataError(path, "header row not where expected (row 1: Region, Local authority, Area Code, Number)")
    years = [str(y).strip() for y in df.iloc[1, 3:].tolist()]
    pct_at = [i for i, v in enumerate(df.iloc[0, 3:].tolist()) if str(v).strip() == "Percentage"]
    if not pct_at:
        raise DataError(path, "column 'Percentage' missing")
    k = pct_at[0]
    n_years = [y for y in years[:k] if re.fullmatch(r"\d{4}/\d{2}", y)]
    body = df.iloc[2:].reset_index(drop=True)
    body = body[body[2].notna()]
    codes = body[2].astype(str).str.strip()
    body = body.assign(code=codes)
    body = body[codes.str.match(r"[EWSN]\d{8}")]
    check_unique(body, ["code"], path)
    rows = []
    for i, y in enumerate(n_years):
        n, _ = to_number(body[3 + i], path, f"Number {y}")
        p, _ = to_number(body[3 + k + i], path, f"Percentage {y}")
        p = (p * 100).round(10)
        check_percent(p.dropna(), path, f"Percentage {y}")
        rows.append(
            pd.DataFrame(
                {"geo_code": body["code"].to_numpy(), "period": y, "numerator": n.to_numpy(), "value": p.to_numpy()}
            )
        )
    long = pd.concat(rows, ignore_index=True)
    # ECP codes authorities as they were in each year; only the current 318 are kept (the areas
    # reorganised since, e.g. North Yorkshire's districts, have no current figure here).
    boro = long[long["geo_code"].isin(geo.authorities["authority_code"])].copy()
    wider = rate_from_counts(long[long["geo_code"].str.match(r"(E0[6-9]|W06)\d{6}")], geo.authorities)
    frames = []
    for d, method in ((boro, "published"), (wider, "aggregated")):
        frames.append(
            obs_frame(
                indicator_id=INDICATOR,
                geo_code=d["geo_code"].to_numpy(),
                vintage=CURRENT,
                period=[fye_label(p) for p in d["period"]],
                period_start=[fy_start(p) for p in d["period"]],
                value=d["value"].to_numpy(),
                numerator=d["numerator"].to_numpy(),
                method=method,
                status=np.where(d["value"].isna(), "suppressed", "estimate"),
                source_id=SOURCE_ID,
            )
        )
    return pd.concat(frames, ignore_index=True)
