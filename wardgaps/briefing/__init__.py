"""Briefing packs: one ward, one of the council's areas, or one indicator across an authority, as
editable PowerPoint and PDF.

A pack is built once as plain content (:func:`make_pack`: figures from the analysis functions, the
map drawn once), then written in either format from that same content (:func:`render`).
:func:`build_pack` does both in one call, for the command line.
"""

from __future__ import annotations

from pathlib import Path

from wardgaps import analysis
from wardgaps.briefing.area import area_pack
from wardgaps.briefing.indicator import indicator_pack
from wardgaps.briefing.model import Groups, Pack, PackError, Progress, noop
from wardgaps.briefing.pdf_writer import to_pdf
from wardgaps.briefing.pptx_template import open_template
from wardgaps.briefing.pptx_writer import to_pptx
from wardgaps.briefing.ward import ward_pack
from wardgaps.db import Reader

FORMATS = ("pptx", "pdf")

__all__ = [
    "FORMATS",
    "Pack",
    "PackError",
    "area_pack",
    "build_pack",
    "indicator_pack",
    "make_pack",
    "open_template",
    "render",
    "to_pdf",
    "to_pptx",
    "ward_pack",
]


def make_pack(
    r: Reader,
    authority: str,
    *,
    ward: str | None = None,
    indicator: str | None = None,
    period: str | None = None,
    areas: str | None = None,
    area: str | None = None,
    similar: bool = False,
    benchmark: str | None = None,
    progress: Progress = noop,
) -> Pack:
    """The content of a ward pack (``ward``), an area pack (``area`` of the set ``areas``) or an
    indicator pack (``indicator``), built once from the reader's extract (the public one for a
    public pack). ``similar`` and ``benchmark`` (an authority code) add the authority's similar
    authorities and a benchmark authority to the comparators, as ``?similar=1`` and
    ``?benchmark=CODE`` do on the web."""
    if sum(x is not None for x in (ward, indicator, area)) != 1:
        raise PackError("give either a ward, an area or an indicator")
    groups = Groups(similar, _benchmark(r, authority, benchmark))
    if area is not None:
        if not areas:
            raise PackError("an area pack needs its set (--areas NAME)")
        return area_pack(r, authority, areas, area, progress, groups)
    if ward:
        return ward_pack(r, authority, ward, progress, groups)
    return indicator_pack(r, authority, indicator, period, progress, groups)


def _benchmark(r: Reader, authority: str, raw: str | None) -> str | None:
    """The benchmark authority's code; a bad one refuses the pack (on the web it is only noticed,
    but a pack asked for by name should not quietly leave it out)."""
    if not raw:
        return None
    code = raw.strip().upper()
    why = analysis.benchmark_problem(r, code, authority)
    if why:
        raise PackError(why)
    return code


def render(pack: Pack, fmt_: str, template: str | Path | bytes | None = None) -> bytes:
    """Write a built pack as ``pptx`` (on the council's template when given) or ``pdf``."""
    if fmt_ not in FORMATS:
        raise PackError(f"unknown pack format {fmt_}")
    return to_pptx(pack, template) if fmt_ == "pptx" else to_pdf(pack)


def build_pack(
    r: Reader,
    authority: str,
    *,
    ward: str | None = None,
    indicator: str | None = None,
    period: str | None = None,
    areas: str | None = None,
    area: str | None = None,
    similar: bool = False,
    benchmark: str | None = None,
    fmt_: str = "pptx",
    template: str | Path | bytes | None = None,
    progress: Progress = noop,
) -> tuple[bytes, Pack]:
    """Build a ward, area or indicator pack and write it as ``pptx`` or ``pdf``."""
    if template is not None and fmt_ == "pptx":
        open_template(template)  # a bad template is refused before minutes of work, not after
    pack = make_pack(
        r,
        authority,
        ward=ward,
        indicator=indicator,
        period=period,
        areas=areas,
        area=area,
        similar=similar,
        benchmark=benchmark,
        progress=progress,
    )
    progress(0.85, f"Writing the {fmt_.upper()}")
    data = render(pack, fmt_, template)
    progress(1.0, "Done")
    return data, pack
