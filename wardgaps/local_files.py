"""Reading a council's own files: CSV lines and the metadata YAML, refused with one sentence.

A refusal is a :class:`LocalError` whose text is one sentence naming the row (the CSV's line
number, the header being line 1) and the rule. Used by the local data (:mod:`wardgaps.local`) and
the council's places (:mod:`wardgaps.local_places`).
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import math
import re
from pathlib import Path

import pandas as pd
import yaml

UNITS = ("%", "£", "score", "count", "rate_per_1000")
POLARITIES = ("higher_is_worse", "higher_is_better", "neutral")
THEMES = ("child_poverty", "poverty", "housing", "population", "environment_health")  # the sidebar's themes (ui.THEMES)
META_REQUIRED = ("id", "title", "unit", "polarity", "theme", "source", "licence", "date")
META_OPTIONAL = (
    "short_title",
    "definition",
    "numerator_label",
    "denominator_label",
    "caveats",
    "attribution",
    "url",
)
COLUMNS_REQUIRED = ("ward_code", "period", "value")
COLUMNS_OPTIONAL = ("numerator", "denominator", "period_start")
AGREE = 0.5  # how far a value may be from numerator / denominator (a rounded published figure)
SHOWN_AS_IS = ("title", "short_title", "source", "licence", "date", "attribution")  # shown in titles and lines
_MARKUP = re.compile(r"[<>\[\]`$\\|#*_~\n\r\t]")
LIMITS = {"short_title": 50, "title": 150}
SOURCE_PREFIX = "local_"  # source ids of local indicators: local_<indicator id>
_ID = re.compile(r"[a-z][a-z0-9_]{1,59}")
_YEAR = re.compile(r"(\d{4})")
_FYE = re.compile(r"FYE (\d{4})")
_FY = re.compile(r"(\d{4})/(\d{2})")
_MONTH = re.compile(r"(\d{4})-(\d{2})")
_NUMBER = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")


class LocalError(Exception):
    """Local data refused; ``str()`` is the one sentence shown to the user."""


# --- reading --------------------------------------------------------------------------------------
def read_meta(path: Path) -> dict[str, str]:
    """The metadata file as text fields, every required one present and every value known."""
    name = Path(path).name
    try:
        raw = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as e:
        raise LocalError(f"The metadata file {name} could not be read ({_reason(e)}).") from e
    except yaml.YAMLError as e:
        raise LocalError(f"The metadata file {name} is not valid YAML ({_reason(e)}).") from e
    if raw is None:
        raise LocalError(f"The metadata file {name} is empty.")
    if not isinstance(raw, dict):
        raise LocalError(f"The metadata file {name} must be a list of 'field: value' lines.")
    meta: dict[str, str] = {}
    for key, value in raw.items():
        key = str(key).strip().lower()
        if key not in META_REQUIRED + META_OPTIONAL:
            known = ", ".join(META_REQUIRED + META_OPTIONAL)
            raise LocalError(f"The metadata file {name} has an unknown field '{key}' (known fields: {known}).")
        if isinstance(value, dict | list):
            raise LocalError(f"The metadata file {name}: field '{key}' must be plain text.")
        if value is not None and str(value).strip():
            meta[key] = str(value).strip()
    for key in META_REQUIRED:
        if key not in meta:
            raise LocalError(f"The metadata file {name} has no '{key}' (required: {', '.join(META_REQUIRED)}).")
    for key in SHOWN_AS_IS:
        if key in meta and (m := _MARKUP.search(meta[key])):
            char = {"\n": "a line break", "\r": "a line break", "\t": "a tab"}.get(m.group(0), f"'{m.group(0)}'")
            raise LocalError(
                f"The metadata file {name}: {key} holds {char}, which Ward Gaps does not show in titles and "
                "source lines; use plain words."
            )
    for key, most in LIMITS.items():
        if len(meta.get(key, "")) > most:
            raise LocalError(f"The metadata file {name}: {key} is longer than {most} characters.")
    if not _ID.fullmatch(meta["id"]):
        raise LocalError(
            f"The metadata file {name}: id '{meta['id']}' must be lower-case letters, digits and underscores, "
            "starting with a letter (2 to 60 characters)."
        )
    for key, allowed in (("unit", UNITS), ("polarity", POLARITIES), ("theme", THEMES)):
        if meta[key] not in allowed:
            raise LocalError(f"The metadata file {name}: {key} '{meta[key]}' is not one of {', '.join(allowed)}.")
    return meta


def read_rows(path: Path) -> pd.DataFrame:
    """The CSV as text cells with normalised column names (``Ward code`` reads ``ward_code``)."""
    name = Path(path).name
    lines = csv_lines(path)
    header = csv_header(lines, f"The data file {name}")
    for c in COLUMNS_REQUIRED:
        if c not in header:
            raise LocalError(
                f"The data file {name} has no '{c}' column (required: {', '.join(COLUMNS_REQUIRED)}; "
                f"optional: {', '.join(COLUMNS_OPTIONAL)})."
            )
    extra = [c for c in header if c not in COLUMNS_REQUIRED + COLUMNS_OPTIONAL]
    if extra:
        raise LocalError(f"The data file {name} has an unknown column '{extra[0]}'.")
    return rows_frame(lines, header, f"The data file {name}")


def csv_header(lines: list[tuple[int, list[str]]], what: str, aliases: dict[str, str] | None = None) -> list[str]:
    """The header's column names normalised ("Ward code" reads ``ward_code``; ``aliases`` maps
    other spellings), refused when a column comes twice. ``what``: "The data file local.csv"."""
    header = [re.sub(r"\s+", "_", c.strip().lower()) for c in lines[0][1]]
    header = [(aliases or {}).get(c, c) for c in header]
    dupes = sorted({c for c in header if header.count(c) > 1})
    if dupes:
        raise LocalError(f"{what} has the column '{dupes[0]}' twice.")
    return header


def rows_frame(lines: list[tuple[int, list[str]]], header: list[str], what: str) -> pd.DataFrame:
    """The rows under a checked header as text cells, each with its line number: refused when
    there are none or a row's field count differs from the header's (for data and places files)."""
    if len(lines) == 1:
        raise LocalError(f"{what} has a header but no rows.")
    for n, r in lines[1:]:
        if len(r) != len(header):
            raise LocalError(f"Row {n}: it has {len(r)} fields, but the header has {len(header)}.")
    df = pd.DataFrame([[c.strip() for c in r] for _, r in lines[1:]], columns=header)
    df.insert(0, "line", [n for n, _ in lines[1:]])
    return df


def csv_lines(path: Path, what: str = "data file") -> list[tuple[int, list[str]]]:
    """The CSV's non-blank lines with their line numbers (the header is line 1); refused when
    it cannot be read or is empty."""
    name = Path(path).name
    try:
        with open(path, encoding="utf-8-sig", newline="") as fh:
            lines = [(n, r) for n, r in enumerate(csv.reader(fh), start=1) if any(c.strip() for c in r)]
    except (OSError, UnicodeDecodeError, csv.Error) as e:
        raise LocalError(f"The {what} {name} could not be read as a CSV file ({_reason(e)}).") from e
    if not lines:
        raise LocalError(f"The {what} {name} is empty.")
    return lines


def _reason(e: BaseException) -> str:
    """The cause of a read error in a few words (never a path)."""
    if isinstance(e, FileNotFoundError):
        return "no such file"
    if isinstance(e, IsADirectoryError):
        return "it is a folder"
    if isinstance(e, PermissionError):
        return "permission denied"
    if isinstance(e, UnicodeDecodeError):
        return "it is not UTF-8 text"
    return str(e).strip().splitlines()[0][:160] if str(e).strip() else type(e).__name__


# --- checking -------------------------------------------------------------------------------------
def period_start(label: str) -> dt.date | None:
    """The first day of a period label: 2024, FYE 2025 / 2024/25 (April), 2024-03 or a date."""
    if m := _YEAR.fullmatch(label):
        return dt.date(int(m.group(1)), 1, 1)
    if m := _FYE.fullmatch(label):
        return dt.date(int(m.group(1)) - 1, 4, 1)
    if (m := _FY.fullmatch(label)) and (int(m.group(1)) + 1) % 100 == int(m.group(2)):
        return dt.date(int(m.group(1)), 4, 1)
    if (m := _MONTH.fullmatch(label)) and 1 <= int(m.group(2)) <= 12:
        return dt.date(int(m.group(1)), int(m.group(2)), 1)
    with contextlib.suppress(ValueError):
        return dt.date.fromisoformat(label)
    return None


def _number(cell: str, what: str, line: int) -> float | None:
    if cell == "":
        return None
    if not _NUMBER.fullmatch(cell.replace(",", "")):
        raise LocalError(f"Row {line}: {what} '{cell[:40]}' is not a number.")
    x = float(cell.replace(",", ""))
    if not math.isfinite(x):
        raise LocalError(f"Row {line}: {what} '{cell[:40]}' is not a number.")
    return x
