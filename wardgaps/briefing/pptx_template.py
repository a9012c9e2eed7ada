"""The PowerPoint the pack is written into: the council's template (.pptx or .potx) or a neutral
default, with the layouts for the cover and the content slides found by their placeholders."""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from pathlib import Path

from pptx import Presentation
from pptx.enum.shapes import PP_PLACEHOLDER
from pptx.shapes.placeholder import SlidePlaceholder
from pptx.slide import Slide, SlideLayout
from pptx.util import Inches

from wardgaps.briefing.model import PackError

TITLES = {PP_PLACEHOLDER.TITLE, PP_PLACEHOLDER.CENTER_TITLE}
# Placeholders python-pptx never copies onto a slide, so they do not count against a layout.
FURNITURE = {PP_PLACEHOLDER.DATE, PP_PLACEHOLDER.FOOTER, PP_PLACEHOLDER.SLIDE_NUMBER}
POTX = "application/vnd.openxmlformats-officedocument.presentationml.template.main+xml"
# An uploaded template is a zip archive, checked before anything opens it (a 1 MB file of zeros can
# unpack to 1 GB). Real council templates: tens to a few hundred parts, a few MB unpacked, XML
# parts packed 5-30 to 1 and pictures about 1 to 1.
MAX_FILE = 25 * 2**20  # as the upload limit (.streamlit/config.toml maxUploadSize)
MAX_MEMBERS = 2_000
MAX_UNPACKED = 200 * 2**20
MAX_RATIO = 200  # unpacked / packed, for any part over 1 MB unpacked
PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml"


@dataclass
class Layouts:
    """The two layouts a pack uses."""

    cover: SlideLayout
    content: SlideLayout


def open_template(template: str | Path | bytes | None) -> Presentation:
    """The council's template with its sample slides removed, or the neutral 16:9 default.

    Raises ValueError with one plain sentence when the file is missing or not PowerPoint."""
    if template is None:
        return _default()
    if isinstance(template, bytes):
        data, name = template, "the template"
    else:
        path = Path(template)
        if not path.is_file():
            raise PackError(f"the template file {path.name} was not found")
        if path.stat().st_size > MAX_FILE:
            raise PackError(f"{path.name} is larger than {MAX_FILE // 2**20} MB, more than a template needs")
        data, name = path.read_bytes(), path.name
    check_archive(data, name)
    try:
        prs = Presentation(io.BytesIO(_as_pptx(data)))
    except Exception as e:  # python-pptx raises several kinds for a file that is not PowerPoint
        raise PackError(f"{name} is not a PowerPoint file or template (.pptx or .potx)") from e
    ids = prs.slides._sldIdLst  # a template's own example slides are not part of the pack
    for sld in list(ids):
        prs.part.drop_rel(sld.rId)
        ids.remove(sld)
    return prs


def check_archive(data: bytes, name: str) -> None:
    """Refuse, with one sentence, an archive too large to be a template once unpacked: too big a
    file, too many parts, too much unpacked, or a part packed far tighter than any real one. Reads
    only the archive's directory (the sizes it declares bound what any later read unpacks)."""
    if len(data) > MAX_FILE:
        raise PackError(f"{name} is larger than {MAX_FILE // 2**20} MB, more than a template needs")
    try:
        members = zipfile.ZipFile(io.BytesIO(data)).infolist()
    except zipfile.BadZipFile:
        return  # not an archive at all: python-pptx refuses it with its own sentence
    if len(members) > MAX_MEMBERS:
        raise PackError(
            f"{name} has {len(members):,} parts, more than a PowerPoint template has ({MAX_MEMBERS:,} at most)"
        )
    unpacked = sum(m.file_size for m in members)
    if unpacked > MAX_UNPACKED:
        raise PackError(
            f"{name} unpacks to {unpacked / 2**20:,.0f} MB, more than a PowerPoint template does "
            f"({MAX_UNPACKED // 2**20} MB at most)"
        )
    for m in members:
        if m.file_size > 2**20 and m.file_size > MAX_RATIO * max(m.compress_size, 1):
            raise PackError(
                f"{name} holds a part packed {m.file_size // max(m.compress_size, 1):,} to 1, "
                f"far tighter than any PowerPoint file ({MAX_RATIO} to 1 at most)"
            )


def _as_pptx(data: bytes) -> bytes:
    """A .potx is a .pptx whose main part has the template content type: relabel it in memory."""
    try:
        zin = zipfile.ZipFile(io.BytesIO(data))
        types = zin.read("[Content_Types].xml")
    except (zipfile.BadZipFile, KeyError):
        return data  # let python-pptx refuse it
    if POTX.encode() not in types:
        return data
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            body = zin.read(item.filename)
            if item.filename == "[Content_Types].xml":
                body = body.replace(POTX.encode(), PPTX.encode())
            zout.writestr(item, body)
    return out.getvalue()


def _default() -> Presentation:
    """python-pptx's plain Office theme, widened to 16:9 (its layouts are drawn for 4:3)."""
    prs = Presentation()
    k = 13.333 / 10
    prs.slide_width, prs.slide_height = Inches(13.333), Inches(7.5)
    for shapes in [prs.slide_master.shapes, *(lay.shapes for lay in prs.slide_layouts)]:
        for sh in shapes:
            # Only shapes with their own position: the others inherit the master's, already widened.
            if sh._element.xpath("./p:spPr/a:xfrm"):
                sh.left, sh.top, sh.width, sh.height = int(sh.left * k), sh.top, int(sh.width * k), sh.height
    return prs


def _kinds(layout: SlideLayout) -> set:
    return {ph.placeholder_format.type for ph in layout.placeholders} - FURNITURE


def pick_layouts(prs: Presentation) -> Layouts:
    """Cover: a layout with a title and a subtitle. Content: a title and as little else as possible
    (a "Title Only" layout in most templates). Found by placeholder type, never by name or position."""
    layouts = list(prs.slide_layouts)
    titled = [lay for lay in layouts if _kinds(lay) & TITLES]

    def cover_score(lay: SlideLayout) -> tuple:
        k = _kinds(lay)
        return (PP_PLACEHOLDER.SUBTITLE not in k, PP_PLACEHOLDER.CENTER_TITLE not in k, len(k))

    def content_score(lay: SlideLayout) -> tuple:
        k = _kinds(lay)
        return (PP_PLACEHOLDER.TITLE not in k, len(k - TITLES))

    if not titled:
        return Layouts(layouts[0], layouts[0])
    return Layouts(min(titled, key=cover_score), min(titled, key=content_score))


def title_of(slide: Slide) -> SlidePlaceholder | None:
    """The slide's title placeholder, if its layout has one."""
    for ph in slide.placeholders:
        if ph.placeholder_format.type in TITLES:
            return ph
    return None


def drop_unused(slide: Slide, keep: set[int]) -> None:
    """Remove placeholders the pack does not fill, so no empty 'Click to add text' box is left."""
    for ph in list(slide.placeholders):
        if ph.placeholder_format.idx not in keep:
            ph._element.getparent().remove(ph._element)
