"""English Indices of Deprivation 2015, 2019 and 2025: LSOA scores to population-weighted ward,
authority, London and England means."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from wardgaps.ingest.aggregate import mean_weights, weighted_mean
from wardgaps.ingest.common import (
    CURRENT,
    ENGLAND,
    LONDON,
    DataError,
    check_unique,
    clean_header,
    obs_frame,
    read_csv,
    require_columns,
    to_number,
)
from wardgaps.ingest.geo import Geo

F19 = "gla_iod2019_london/ID 2019 for London.xlsx"
F15 = "humaniverse_imd/converted/imd2015_england_lsoa11.csv.gz"
F19N = "humaniverse_imd/converted/imd2019_england_lsoa11.csv.gz"
F25 = "humaniverse_imd/converted/imd2025_england_lsoa21.csv.gz"

C_IMD = "Index of Multiple Deprivation (IMD) Score"
C_DEC = "Index of Multiple Deprivation (IMD) Decile (where 1 is most deprived 10% of LSOAs)"
C_INC = "Income Score (rate)"
C_BAR = "Barriers to Housing and Services Score"
C_IDACI = "Income Deprivation Affecting Children Index (IDACI) Score (rate)"
C_POP = "Total population: mid 2015 (excluding prisoners)"
C_KIDS = "Dependent Children aged 0-15: mid 2015 (excluding prisoners)"


def _sheets(path: Path, wanted: dict[str, list[str]]) -> dict[str, pd.DataFrame]:
    """Read the named sheets of one workbook, first column renamed ``code``."""
    if not path.is_file():
        raise DataError(path, "file missing")
    try:
        book = pd.ExcelFile(path, engine="openpyxl")
    except Exception as e:
        raise DataError(path, f"cannot be read as XLSX ({type(e).__name__})") from e
    out = {}
    for sheet, cols in wanted.items():
        if sheet not in book.sheet_names:
            raise DataError(path, f"sheet '{sheet}' missing")
        df = pd.read_excel(book, sheet_name=sheet)
        df.columns = [clean_header(c) for c in df.columns]
        require_columns(df, cols, path)
        df = df.rename(columns={df.columns[0]: "code"})
        df = df[df["code"].astype(str).str.match(r"E0[19]\d{6}")].reset_index(drop=True)
        if df.empty:
            raise DataError(path, f"sheet '{sheet}': header row not found or no data rows")
        check_unique(df, ["code"], path)
        for c in cols:
            df[c], _ = to_number(df[c], path, c)
        out[sheet] = df
    return out


def _emit(
    ind: str, period: str, source: str, parts: list[tuple[pd.DataFrame, int, str]], counts: bool
) -> list[pd.DataFrame]:
    frames = []
    for d, vintage, method in parts:
        # A share of the population (counts=True) has a real numerator and denominator: the
        # population behind the mean, and the part of it living in deciles 1-2 (value is 0-100).
        has_counts = counts and "weight_sum" in d
        den = d["weight_sum"] if has_counts else None
        frames.append(
            obs_frame(
                indicator_id=ind,
                geo_code=d["geo_code"].to_numpy(),
                vintage=vintage,
                period=period,
                period_start=pd.Timestamp(int(period), 1, 1),
                value=d["value"].round(4).to_numpy(),
                numerator=(d["value"] / 100 * den).round(1).to_numpy() if has_counts else np.nan,
                denominator=den.round(1).to_numpy() if has_counts else np.nan,
                method=method,
                fit_quality=d["fit_quality"].to_numpy() if method == "apportioned" else np.nan,
                # Apportioned figures are estimates, whatever the status of the figures they came from.
                status="estimate" if method == "apportioned" else "final",
                source_id=source,
            )
        )
    return frames


def _areas(
    geo: Geo,
    ind: str,
    period: str,
    source: str,
    blocks: pd.DataFrame,
    lsoa_vintage: int,
    ward_lookups: list[tuple[pd.DataFrame, int, str]],
    authority_of: pd.DataFrame,
    published_authority: pd.DataFrame | None,
    with_england: bool,
    counts: bool = False,
    basis: str = "",
    lsoa_rows: pd.DataFrame | None = None,
    skip: set[str] | frozenset[str] = frozenset(),
) -> list[pd.DataFrame]:
    """One indicator-edition: LSOA values as published, ward/authority/region(/England) means.

    ``authority_of`` maps LSOAs to authorities (with a ``share`` where an LSOA is split); areas in
    ``skip`` are left to another call (London's, made with the GLA's weights).

    ``basis`` names the weights of the apportioned lookup (block weight × GLA share), which are
    recorded on ``geo`` so the extract can show, and the contract re-apply, what was used.
    """
    parts: list[tuple[pd.DataFrame, int, str]] = []
    # LSOA values as published, for the "pockets inside a ward" view and as the inputs that
    # the stored weights turn into ward values.
    if lsoa_rows is None:
        lsoa_rows = blocks[blocks["lsoa"].isin(authority_of["lsoa"])]
    parts.append((lsoa_rows.rename(columns={"lsoa": "geo_code", "weight": "weight_sum"}), lsoa_vintage, "published"))
    for lookup, vintage, method in ward_lookups:
        parts.append((weighted_mean(blocks, lookup), vintage, method))
        if method == "apportioned":
            geo.record_weights(basis, mean_weights(blocks, lookup), lsoa_vintage, vintage, [(ind, period)])
    if published_authority is not None:
        parts.append((published_authority, CURRENT, "published"))
    else:
        boro = weighted_mean(blocks, authority_of.rename(columns={"authority_code": "ward"}))
        parts.append((boro[~boro["geo_code"].isin(skip)], CURRENT, "aggregated"))
    # Regions (and England, when the blocks cover it) from the same blocks, through the authorities.
    region = authority_of["authority_code"].map(geo.authorities.set_index("authority_code")["region_code"])
    wide = authority_of.assign(ward=region)
    wide = wide[wide["ward"].str.startswith("E12", na=False) & ~wide["ward"].isin(skip)]
    if with_england:
        eng = authority_of[authority_of["lsoa"].str.startswith("E01")].assign(ward=ENGLAND)
        wide = pd.concat([wide, eng], ignore_index=True)
    wide = wide.drop(columns="authority_code")
    parts.append((weighted_mean(blocks, wide), CURRENT, "aggregated"))
    return _emit(ind, period, source, parts, counts)


def _national11(
    geo: Geo, ind: str, period: str, source: str, blocks: pd.DataFrame, counts: bool, basis: str
) -> list[pd.DataFrame]:
    """An LSOA 2011 edition outside London: wards through LSOA 2021 (population shares), the
    authorities and regions outside London, and England over every English LSOA (London's wards
    and areas come from the London series, by the GLA's weights)."""
    lk = geo.lsoa11_to_ward_national
    ward_la = geo.ward_lookup.set_index("geo_code")["authority_code"]
    la = (
        lk.assign(authority_code=lk["ward"].map(ward_la))
        .groupby(["lsoa", "authority_code"], as_index=False)["share"]
        .sum()
    )
    london = geo.lsoa11[["geo_code", "authority_code"]].rename(columns={"geo_code": "lsoa"}).assign(share=1.0)
    authority_of = pd.concat([la, london], ignore_index=True)
    outside = blocks[blocks["lsoa"].isin(lk["lsoa"])]
    skip = set(geo.london_boroughs["authority_code"]) | {LONDON}
    return _areas(
        geo,
        ind,
        period,
        source,
        blocks,
        2011,
        [(lk[["lsoa", "ward", "share"]], CURRENT, "apportioned")],
        authority_of,
        None,
        True,
        counts,
        basis,
        lsoa_rows=outside,
        skip=skip,
    )


NATIONAL_BASIS = (
    "ONS population mid-2020 x LSOA 2011 to ward (May 2024) shares by Census 2021 population, "
    "outside London, IoD {} (ward mean weights)"
)


OVERLAP_BASIS = (
    "Census 2021 population x LSOA 2021 area overlap, for the wards the best-fit lookup gives no LSOA "
    "(ward mean weights)"
)


GAP_NOTE = (
    "LSOA 2011 to ward (May 2024) shares by Census 2021 population, with area overlap, "
    "for London wards the GLA's shares give no resident"
)
GAP_BASIS = "ONS population mid-2020 x " + GAP_NOTE + ", IoD {} (ward mean weights)"
GAP_BASIS_19 = "IoD 2019 {} mid-2015 x " + GAP_NOTE + " (ward mean weights)"


def gla_gaps(geo: Geo, gla: pd.DataFrame, blocks: pd.DataFrame) -> set[str]:
    """Current London wards that the GLA's LSOA 2011 shares (``gla``: ``lsoa``, ``ward``) give no
    LSOA with a resident in ``blocks``: in practice City of London wards of businesses."""
    london = geo.ward_lookup.loc[geo.ward_lookup["authority_code"].str.startswith("E09"), "geo_code"]
    resident = set(blocks.loc[blocks["weight"] > 0, "lsoa"])
    return set(london) - set(gla.loc[gla["lsoa"].isin(resident), "ward"])


def _gap_wards(
    geo: Geo, ind: str, period: str, source: str, blocks: pd.DataFrame, gaps: set[str], counts: bool, basis: str
) -> list[pd.DataFrame]:
    """Ward figures for the London wards in ``gaps`` by the national chain (the weights outside
    London use, area overlap included), kept as ``apportioned`` with their own weight set."""
    if not gaps:
        return []
    lk = geo.lsoa11_to_wards(gaps)[["lsoa", "ward", "share"]]
    geo.record_weights(basis, mean_weights(blocks, lk), 2011, CURRENT, [(ind, period)])
    d = weighted_mean(blocks, lk)
    return _emit(ind, period, source, [(d, CURRENT, "apportioned")], counts)


def load(raw: Path, geo: Geo) -> pd.DataFrame:
    frames: list[pd.DataFrame] = []
    lsoa11_boro = geo.lsoa11[["geo_code", "authority_code"]].rename(columns={"geo_code": "lsoa"})
    lsoa21_boro = geo.lu_lsoa21_ward[["lsoa", "authority_code"]]

    def lk11(year: int, gaps: set[str]) -> list[tuple[pd.DataFrame, int, str]]:
        w22 = geo.lsoa11_to_ward22(year).rename(columns={"weight": "share"})
        # the wards it gives no resident take the national chain's figures instead (_gap_wards)
        w22 = w22[~w22["ward"].isin(gaps)]
        return [
            (w22, CURRENT, "apportioned"),
            (geo.lu_lsoa11_ward14, 2014, "aggregated"),
            (geo.lu_lsoa11_ward18, 2018, "aggregated"),
        ]

    # --- 2019 (London workbook, mid-2015 populations from the IoD itself) ---------------------
    p19 = raw / F19
    s = _sheets(
        p19,
        {
            "IMD 2019": [C_IMD, C_DEC, C_INC, C_BAR],
            "IDACI and IDAOPI": [C_IDACI],
            "Population figures": [C_POP, C_KIDS],
            "Borough summary measures": ["IMD - Average score"],
            "Borough domain summaries": ["Income - Average score", "Barriers to Housing and Services - Average score"],
            "Borough IDACI IDAOPI": ["IDACI - Average score"],
        },
    )
    imd, pop = s["IMD 2019"], s["Population figures"].set_index("code")
    if not imd["code"].isin(pop.index).all():
        raise DataError(p19, "sheet 'Population figures' lacks LSOAs of sheet 'IMD 2019'")

    def bor(sheet: str, col: str, scale: float = 1.0) -> pd.DataFrame:
        d = s[sheet]
        d = d[d["code"].str.startswith("E09")]
        return pd.DataFrame({"geo_code": d["code"], "value": d[col] * scale})

    def blk(df: pd.DataFrame, col: str, weight: pd.Series, scale: float = 1.0) -> pd.DataFrame:
        return pd.DataFrame({"lsoa": df["code"], "value": df[col] * scale, "weight": df["code"].map(weight)})

    tot, kids = pop[C_POP], pop[C_KIDS]
    pop20 = geo.pop20_lsoa11
    ids = s["IDACI and IDAOPI"]
    for ind, b, pb in (
        ("imd_score", blk(imd, C_IMD, tot), bor("Borough summary measures", "IMD - Average score")),
        (
            "income_deprivation_rate",
            blk(imd, C_INC, tot, 100),
            bor("Borough domain summaries", "Income - Average score", 100),
        ),
        (
            "housing_barriers_score",
            blk(imd, C_BAR, tot),
            bor("Borough domain summaries", "Barriers to Housing and Services - Average score"),
        ),
        ("idaci_score", blk(ids, C_IDACI, kids), bor("Borough IDACI IDAOPI", "IDACI - Average score")),
    ):
        who = "children 0-15" if ind == "idaci_score" else "population"
        basis = f"IoD 2019 {who} mid-2015 x GLA LSOA 2011 to ward 2022 shares 2019 (ward mean weights)"
        gaps = gla_gaps(geo, geo.lsoa11_to_ward22(2019), b)
        frames += _areas(geo, ind, "2019", "iod2019", b, 2011, lk11(2019, gaps), lsoa11_boro, pb, False, basis=basis)
        if ind == "imd_score":  # weighted as the composite file's wards elsewhere (mid-2020)
            frames += _gap_wards(
                geo, ind, "2019", "iod2019", b.assign(weight=b["lsoa"].map(pop20)), gaps, False, GAP_BASIS.format(2019)
            )
        else:  # London's workbook holds the only 2019 domain scores: its own weights, chained
            frames += _gap_wards(geo, ind, "2019", "iod2019", b, gaps, False, GAP_BASIS_19.format(who))
    # Each LSOA is wholly in or out of deciles 1-2: 100 or 0 per cent of its population.
    dep = pd.DataFrame({"lsoa": imd["code"], "value": 100.0 * (imd[C_DEC] <= 2), "weight": imd["code"].map(tot)})
    basis = "IoD 2019 population mid-2015 x GLA LSOA 2011 to ward 2022 shares 2019 (ward mean weights)"
    gaps19 = gla_gaps(geo, geo.lsoa11_to_ward22(2019), dep)
    lk19 = lk11(2019, gaps19)
    frames += _areas(
        geo, "imd_most_deprived_20pct", "2019", "iod2019", dep, 2011, lk19, lsoa11_boro, None, False, True, basis
    )
    # Outside London the mirror has IoD 2019 ranks and deciles only (no scores): the share in the
    # most deprived 20% is the one 2019 measure for every English ward.
    p19n = raw / F19N
    d19 = read_csv(p19n, required=["lsoa11_code", "IMD_decile"])
    check_unique(d19, ["lsoa11_code"], p19n)
    dec19, _ = to_number(d19["IMD_decile"], p19n, "IMD_decile")
    dep = pd.DataFrame(
        {"lsoa": d19["lsoa11_code"], "value": 100.0 * (dec19 <= 2), "weight": d19["lsoa11_code"].map(pop20)}
    )
    frames += _national11(geo, "imd_most_deprived_20pct", "2019", "iod2019", dep, True, NATIONAL_BASIS.format(2019))
    frames += _gap_wards(geo, "imd_most_deprived_20pct", "2019", "iod2019", dep, gaps19, True, GAP_BASIS.format(2019))

    # --- 2015 (England LSOA 2011 scores; Census 2011 populations for London) ------------------
    p15 = raw / F15
    d15 = read_csv(p15, required=["lsoa11_code", "IMD_score", "IMD_decile"])
    check_unique(d15, ["lsoa11_code"], p15)
    sc_all, _ = to_number(d15["IMD_score"], p15, "IMD_score")
    dc_all, _ = to_number(d15["IMD_decile"], p15, "IMD_decile")
    in_london = d15["lsoa11_code"].isin(geo.lsoa11["geo_code"])
    pop11 = geo.lsoa11.set_index("geo_code")["USUALRES"].astype(float)
    lon = pd.DataFrame({"lsoa": d15.loc[in_london, "lsoa11_code"], "value": sc_all[in_london]})
    lon = lon.assign(weight=lon["lsoa"].map(pop11))
    gaps15 = gla_gaps(geo, geo.lsoa11_to_ward22(2015), lon)
    lk15 = lk11(2015, gaps15)
    basis = "Census 2011 usual residents x GLA LSOA 2011 to ward 2022 shares 2015 (ward mean weights)"
    b = pd.DataFrame({"lsoa": d15["lsoa11_code"], "value": sc_all, "weight": d15["lsoa11_code"].map(pop20)})
    for ind, value, counts in (
        ("imd_score", sc_all, False),
        ("imd_most_deprived_20pct", 100.0 * (dc_all <= 2), True),
    ):
        b = b.assign(value=value)
        frames += _national11(geo, ind, "2015", "iod2015", b, counts, NATIONAL_BASIS.format(2015))
        frames += _gap_wards(geo, ind, "2015", "iod2015", b, gaps15, counts, GAP_BASIS.format(2015))
        lon = lon.assign(value=value[in_london])
        frames += _areas(geo, ind, "2015", "iod2015", lon, 2011, lk15, lsoa11_boro, None, False, counts, basis)

    # --- 2025 (England LSOA 2021 scores; Census 2021 populations) -----------------------------
    p25 = raw / F25
    cols = ["lsoa21_code", "IMD_score", "IMD_decile", "Income_score", "Housing_and_Services_score"]
    d25 = read_csv(p25, required=cols)
    check_unique(d25, ["lsoa21_code"], p25)
    weight = d25["lsoa21_code"].map(geo.pop21_lsoa21)
    if weight.isna().any():
        raise DataError(p25, f"LSOA '{d25.loc[weight.isna(), 'lsoa21_code'].iloc[0]}' has no Census 2021 population")
    num = {c: to_number(d25[c], p25, c)[0] for c in cols[1:]}
    # best fit, and area-overlap estimates for the wards it gives no LSOA (wardgaps.ingest.overlap)
    lk21 = [
        (geo.lu_lsoa21_ward[["lsoa", "ward"]], CURRENT, "aggregated"),
        (geo.lsoa21_to_empty_wards, CURRENT, "apportioned"),
    ]
    for ind, col, scale in (
        ("imd_score", "IMD_score", 1.0),
        ("income_deprivation_rate", "Income_score", 100.0),
        ("housing_barriers_score", "Housing_and_Services_score", 1.0),
    ):
        b = pd.DataFrame({"lsoa": d25["lsoa21_code"], "value": num[col] * scale, "weight": weight})
        frames += _areas(geo, ind, "2025", "iod2025", b, 2021, lk21, lsoa21_boro, None, True, basis=OVERLAP_BASIS)
    b = pd.DataFrame({"lsoa": d25["lsoa21_code"], "value": 100.0 * (num["IMD_decile"] <= 2), "weight": weight})
    frames += _areas(
        geo, "imd_most_deprived_20pct", "2025", "iod2025", b, 2021, lk21, lsoa21_boro, None, True, True, OVERLAP_BASIS
    )
    return pd.concat(frames, ignore_index=True)
