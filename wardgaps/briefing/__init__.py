"""Briefing packs: one ward, one of the council's areas, or one indicator across an authority, as
editable PowerPoint and PDF.

A pack is built once as plain content (:func:`make_pack`: figures from the analysis functions, the
map drawn once), then written in either format from that same content (:func:`render`).
:func:`build_pack` does both in one call, for the command line.
"""

from __future__ import annotations

from pathlib import Path

from wardgaps.briefing.area import area_pack
from wardgaps.briefing.indicator import indicator_pack
from wardgaps.briefing.model import Pack, PackError, Progress, noop
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
    progress: Progress = noop,
) -> Pack:
    """The content of a ward pack (``ward``), an area pack (``area`` of the set ``areas``) or an
    indicator pack (``indicator``), built once from the reader's extract (the public one for a
    public pack)."""
    if sum(x is not None for x in (ward, indicator, area)) != 1:
        raise PackError("give either a ward, an area or an indicator")
    if area is not None:
        if not areas:
            raise PackError("an area pack needs its set (--areas NAME)")
        return area_pack(r, authority, areas, area, progress)
    if ward:
        return ward_pack(r, authority, ward, progress)
    return indicator_pack(r, authority, indicator, period, progress)


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
    fmt_: str = "pptx",
    template: str | Path | bytes | None = None,
    progress: Progress = noop,
) -> tuple[bytes, Pack]:
    """Build a ward, area or indicator pack and write it as ``pptx`` or ``pdf``."""
    if template is not None and fmt_ == "pptx":
        open_template(template)  # a bad template is refused before minutes of work, not after
    pack = make_pack(
        r, authority, ward=ward, indicator=indicator, period=period, areas=areas, area=area, progress=progress
    )
    progress(0.85, f"Writing the {fmt_.upper()}")
    data = render(pack, fmt_, template)
    progress(1.0, "Done")
    return data, pack
