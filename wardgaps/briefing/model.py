"""What a pack is made of, independent of format, and the number formats both writers share."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field

import pandas as pd

Progress = Callable[[float, str], None]


class PackError(ValueError):
    """A pack that cannot be made, said in one sentence a reader can act on (a bad template, a
    ward or indicator with nothing to brief on); any other error is a fault and is logged whole."""


def noop(_f: float, _m: str) -> None:
    """A progress callback that reports nowhere."""


def balanced_parts(frame: pd.DataFrame, most: int) -> list[tuple[str, pd.DataFrame]]:
    """A table's rows over as few slides as hold them, ``most`` a slide, balanced (17 rows at most
    7 a slide are 6, 6 and 5, not 7, 7 and 3), each with its title's suffix (" (1 of 3)"; none alone)."""
    n = max(1, -(-len(frame) // most))
    per = -(-len(frame) // n)
    return [
        (f" ({i + 1} of {n})" if n > 1 else "", frame.iloc[i * per : (i + 1) * per].reset_index(drop=True))
        for i in range(n)
    ]


@dataclass(frozen=True)
class Groups:
    """The comparison groups a pack draws beside its authority, region and country: the
    authority's similar authorities and a benchmark authority (as ``?similar=1`` and
    ``?benchmark=CODE`` on the web)."""

    similar: bool = False
    benchmark: str | None = None

    def kw(self) -> dict:
        """As the analysis functions take them."""
        return {"similar": self.similar, "benchmark": self.benchmark}


NO_GROUPS = Groups()


@dataclass
class Bar:
    """One bar of an ordered bar chart: a ward with its value, interval and significance."""

    name: str
    value: float
    lower: float | None = None
    upper: float | None = None
    sig: str | None = None  # better / similar / worse / higher / lower, or None (no interval)


@dataclass
class Chart:
    """A chart both writers draw: "bar" (wards, highest first) or "line" (periods, several series)."""

    kind: str
    title: str
    unit: str
    bars: list[Bar] = field(default_factory=list)
    comparators: list[tuple[str, float, str]] = field(default_factory=list)  # (label, value, authority|London|England)
    highlight: str | None = None  # the ward a ward pack is about
    categories: list[str] = field(default_factory=list)  # line chart periods
    series: dict[str, list[float | None]] = field(default_factory=dict)
    intervals: dict[str, tuple[list[float | None], list[float | None]]] = field(default_factory=dict)
    kinds: dict[str, str] = field(
        default_factory=dict
    )  # comparator series of a line chart: name -> authority|London|England
    alt: str = ""


@dataclass
class MapImage:
    """A map drawn once (PNG) and placed by both writers."""

    png: bytes
    width: int
    height: int
    alt: str


@dataclass
class Table:
    """A formatted table (every cell already a string) with relative column widths."""

    frame: pd.DataFrame
    widths: list[float]
    alt: str = ""


@dataclass
class Slide:
    """One slide and one PDF page: a title, then at most one of bullets+table, a chart or a map."""

    title: str
    lead: str = ""  # a sentence under the title: what to read from the slide
    bullets: list[str] = field(default_factory=list)
    table: Table | None = None
    chart: Chart | None = None
    image: MapImage | None = None
    note: str = ""  # caption under the content


@dataclass
class Pack:
    """A whole pack: the cover's facts, the slides in reading order, and what the footer says."""

    kind: str  # "ward" or "indicator"
    title: str
    cover: list[tuple[str, str]]  # (label, value): authority, ward or indicator, period, prepared, data version
    slides: list[Slide]
    footer: str
    renderer: str
    sources: pd.DataFrame
    public: bool = False

    @property
    def page_count(self) -> int:
        """Slides (and PDF pages) in the pack: the cover and one per slide."""
        return len(self.slides) + 1


# --- alternative text: one source for both writers ----------------------------------------------
def alt(item: Chart | MapImage) -> str:
    """What a screen reader is told of a chart or map, in the PowerPoint and the PDF alike."""
    if item.alt:
        return item.alt
    return "Map of the wards." if isinstance(item, MapImage) else f"{item.kind.capitalize()} chart of {item.title}."


def table_alt(sl: Slide) -> str:
    """The description of a slide's table (the PDF's table is tagged cell by cell; the PowerPoint
    table shape carries this as its alternative text)."""
    return sl.table.alt if sl.table is not None and sl.table.alt else f"Table: {sl.title}"


# --- number formats: one per unit, the same precision down a column ----------------------------
def decimals_for(values: list[float | None], unit: str) -> int:
    """Decimal places for a column of one unit: % to one, counts and £ to none, others by size."""
    if unit == "%":
        return 1
    if unit in ("count", "£"):
        return 0
    finite = [abs(v) for v in values if v is not None and not _nan(v)]
    biggest = max(finite, default=0.0)
    return 1 if biggest >= 10 else 2 if biggest >= 1 else 3


def num(value: float | None, unit: str, decimals: int | None = None, with_unit: bool = True) -> str:
    """A number as the pack prints it: thousands separators, fixed decimals, the unit when asked."""
    if value is None or _nan(value):
        return "–"
    d = decimals_for([value], unit) if decimals is None else decimals
    text = f"{value:,.{d}f}"
    if not with_unit:
        return text
    return f"{text}%" if unit == "%" else f"£{text}" if unit == "£" else text


def column(values: list[float | None], unit: str, with_unit: bool = True) -> list[str]:
    """A column of numbers printed at one precision."""
    d = decimals_for(values, unit)
    return [num(v, unit, d, with_unit) for v in values]


def plural(n: int, word: str, many: str | None = None) -> str:
    """'1 period', '2 periods'."""
    return f"{n} {word if n == 1 else many or word + 's'}"


def _nan(v: object) -> bool:
    return isinstance(v, float) and math.isnan(v) or v is pd.NA
