"""Shared readers for the ingest adapters.

Every reader validates as it reads and raises :class:`DataError` naming the file and the
rule that failed, so the build can refuse bad input with one plain sentence.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from wardgaps import tables

# Area codes every source shares (kept here so any build module can use them).
LONDON = "E12000007"
ENGLAND = "E92000001"
CITY_OF_LONDON = "E09000001"
WALES = "W92000004"
# The vintage of the current wards (ONS May 2024; London's are its May-2022 wards, same codes) and
# of the authorities, regions and countries compared with them.
CURRENT = 2024

# Markers the sources document for "not available": read as missing, status = suppressed.
# `[low]` is DWP's own marker for a figure too small to publish.
MISSING_MARKERS = frozenset({"[x]", "..", "x", "c", "*", "[c]", "[low]", "n/a", ":", "-", "."})

# The observations table's columns, in table order (queries/build/tables.yaml).
OBS_COLUMNS = list(tables.declared()["observations"].columns)


class DataError(Exception):
    """A raw file broke a rule. ``str()`` is the sentence shown to the user."""

    def __init__(self, file: str | Path, rule: str) -> None:
        self.file = Path(file).name
        self.rule = rule
        super().__init__(f"{self.file}: {rule}")


def sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def require_columns(df: pd.DataFrame, cols: Iterable[str], file: Path) -> None:
    """Refuse a table that lacks any of ``cols``."""
    have = set(df.columns)
    for c in cols:
        if c not in have:
            raise DataError(file, f"column '{c}' missing")


def clean_header(s: object) -> str:
    """Fold white space (the ODS exports carry line breaks inside header cells)."""
    return re.sub(r"\s+", " ", str(s)).strip()


def read_csv(
    path: Path,
    *,
    skiprows: int | Sequence[int] | None = None,
    encoding: str = "utf-8-sig",
    required: Iterable[str] = (),
    dtype: object = str,
    compression: str | None = "infer",
) -> pd.DataFrame:
    """Read a CSV as text, with headers folded, refusing unreadable or truncated files."""
    try:
        df = pd.read_csv(
            path,
            skiprows=skiprows,
            encoding=encoding,
            dtype=dtype,
            keep_default_na=False,
            na_values=[""],
            compression=compression,
            low_memory=False,
        )
    except FileNotFoundError as e:
        raise DataError(path, "file missing") from e
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError, EOFError, OSError) as e:
        raise DataError(path, f"cannot be read as CSV ({type(e).__name__})") from e
    df.columns = [clean_header(c) for c in df.columns]
    required = list(required)
    require_columns(df, required, path)
    return df


def read_xlsx(path: Path, sheet: str, *, header: int | None = 0) -> pd.DataFrame:
    """Read one worksheet, refusing a missing file or sheet."""
    if not path.is_file():
        raise DataError(path, "file missing")
    try:
        df = pd.read_excel(path, sheet_name=sheet, header=header, engine="openpyxl")
    except ValueError as e:
        raise DataError(path, f"sheet '{sheet}' missing or unreadable") from e
    except Exception as e:  # zip/openpyxl errors for a damaged workbook
        raise DataError(path, f"cannot be read as XLSX ({type(e).__name__})") from e
    if header is None:
        return df
    df.columns = [clean_header(c) for c in df.columns]
    return df


def to_number(
    s: pd.Series, file: Path, column: str, extra_markers: frozenset[str] = frozenset()
) -> tuple[pd.Series, pd.Series]:
    """Parse published numbers ("1,070", "46.0%", "[x]").

    Returns the values and a boolean series marking documented suppression markers.
    Anything else that is not a number is refused.
    """
    if s.dtype != object and s.dtype.kind in "if":
        return s.astype(float), pd.Series(False, index=s.index)
    text = s.astype("string").str.strip()
    marker = text.str.lower().isin(MISSING_MARKERS | extra_markers).fillna(False).astype(bool)
    cleaned = text.str.replace(",", "", regex=False).str.replace("%", "", regex=False).str.replace("£", "")
    num = pd.to_numeric(cleaned.where(~marker), errors="coerce")
    bad = num.isna() & ~marker & text.notna() & (text != "")
    if bad.any():
        example = text[bad].iloc[0]
        raise DataError(file, f"column '{column}' has a non-numeric value '{example}'")
    return num.astype(float), marker


def check_codes(codes: pd.Series, pattern: str, file: Path, column: str) -> None:
    ok = codes.astype("string").str.fullmatch(pattern).fillna(False)
    if not ok.all():
        raise DataError(file, f"column '{column}' has an invalid code '{codes[~ok].iloc[0]}'")


def check_unique(df: pd.DataFrame, keys: list[str], file: Path) -> None:
    dup = df.duplicated(keys, keep=False)
    if dup.any():
        first = df.loc[dup, keys].iloc[0].tolist()
        raise DataError(file, f"duplicate rows for {', '.join(map(str, first))}")


def check_percent(values: pd.Series, file: Path, column: str) -> None:
    bad = (values < 0) | (values > 100)
    if bad.any():
        raise DataError(file, f"column '{column}' has a percentage outside 0-100 ({values[bad].iloc[0]})")


def obs_frame(**cols: object) -> pd.DataFrame:
    """Build an observations frame with every contract column present."""
    df = pd.DataFrame(cols)
    for c in OBS_COLUMNS:
        if c not in df.columns:
            df[c] = np.nan if c not in ("method", "status", "source_id", "period") else None
    return df[OBS_COLUMNS]


def fye_label(label: str) -> str:
    """A financial year in the one form the extract stores: `2014/15` -> `FYE 2015` (other labels
    unchanged). Publishers name the same year both ways; the pages read either."""
    m = re.fullmatch(r"(\d{4})/(\d{2})", label.strip())
    if m and (int(m.group(1)) + 1) % 100 == int(m.group(2)):
        return f"FYE {int(m.group(1)) + 1}"
    return label


def fy_start(label: str) -> pd.Timestamp:
    """`FYE 2025` -> 2024-04-01; `2014/15` -> 2014-04-01; `2019` -> 2019-01-01."""
    m = re.fullmatch(r"FYE (\d{4})", label)
    if m:
        return pd.Timestamp(int(m.group(1)) - 1, 4, 1)
    m = re.fullmatch(r"(\d{4})/\d{2}", label)
    if m:
        return pd.Timestamp(int(m.group(1)), 4, 1)
    return pd.Timestamp(int(label[:4]), 1, 1)
