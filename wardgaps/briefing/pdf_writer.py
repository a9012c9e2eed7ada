"""The pack as a tagged PDF (A4 landscape, PDF/UA-1), written by WeasyPrint from semantic HTML
(:mod:`pdf_html`): a structure tree in reading order with the pack's title as H1 and each page's as
H2, tables whose header cells are TH with a column scope, charts and maps as figures carrying the
PowerPoint's alternative text, the language (en-GB) and the title shown as the window's title.

One page per slide, as before: each page is laid out, and a page whose content would run into its
footer is laid out again with less room (rare: the sizes are measured beforehand). Nothing is
fetched from outside: the pictures and the two DejaVu Sans files are served from memory.
"""

from __future__ import annotations

import logging
from functools import lru_cache

import pydyf
from weasyprint import HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

from wardgaps.briefing import measure, pdf_html
from wardgaps.briefing.model import Pack, PackError

VARIANT = "pdf/ua-1"
FONTS = ("pack:font/regular.ttf", "pack:font/bold.ttf")
PT = 0.75  # points in a CSS pixel (WeasyPrint gives positions in pixels)
TRIES = 4  # layouts of a pack at most: the first, and up to three with less room on a page that ran over
log = logging.getLogger(__name__)


@lru_cache(maxsize=1)
def _font_bytes() -> dict[str, bytes]:
    return {url: path.read_bytes() for url, path in zip(FONTS, measure.font_files(), strict=True)}


class _Local(URLFetcher):
    """Serves the pack's pictures and fonts from memory and refuses any other address, so a pack
    never reaches the network or the file system while it is written."""

    def __init__(self, images: dict[str, bytes]) -> None:
        super().__init__(fail_on_errors=True)
        self.images = images

    def fetch(self, url: str, headers: dict | None = None) -> URLFetcherResponse:  # noqa: ARG002
        name = url.removeprefix("pack:")
        if url in _font_bytes():
            return URLFetcherResponse(url, _font_bytes()[url], {"Content-Type": "font/ttf"})
        if url.startswith("pack:") and name in self.images:
            return URLFetcherResponse(url, self.images[name], {"Content-Type": "image/png"})
        raise ValueError(f"a pack reads nothing from outside ({url})")


def _scope(_document: object, pdf: pydyf.PDF) -> None:
    """Give every header cell its scope (WeasyPrint tags TH and links cells to them by Headers; the
    pack's header cells are all column headers, ``<th scope="col">``)."""
    for obj in pdf.objects:
        if isinstance(obj, pydyf.Dictionary) and obj.get("S") == "/TH":
            obj["A"]["Scope"] = "/Column"


def _overflowing(doc: object, pack: Pack) -> dict[int, float]:
    """Pages (numbered from 1) whose content ran into their footer, each with the share of its
    room to keep when it is laid out again: the footer, pushed down by the content, shows how far."""
    pages = doc.pages
    if len(pages) != pack.page_count:
        found = {n: i for i, p in enumerate(pages, start=1) for n in p.anchors}
        # A page that ran onto the next pushes every later one: the first whose footer moved. Text
        # takes room as the square of its size, so k pages' worth fits one at 1/sqrt(k) the size.
        first = next((n for n in range(1, pack.page_count + 1) if found.get(f"foot-{n}") != n), None)
        return {} if first is None else {first: 0.95 / (1 + len(pages) - pack.page_count) ** 0.5}
    top = pdf_html.footer_top(pack)
    feet = {i: p.anchors[f"foot-{i}"][1] * PT for i, p in enumerate(pages, start=1)}
    return {i: 0.97 * (top - pdf_html.TOP) / (y - pdf_html.TOP) for i, y in feet.items() if y > top + 0.5}


def to_pdf(pack: Pack) -> bytes:
    """The pack as a tagged A4-landscape PDF with the same pages, figures and footer as the slides."""
    images: dict[str, bytes] = {}
    squeeze: dict[int, float] = {}
    options = dict(pdf_variant=VARIANT, pdf_tags=True)
    for _ in range(TRIES):
        html = HTML(string=pdf_html.document(pack, images, FONTS, squeeze), url_fetcher=_Local(images))
        doc = html.render(font_config=FontConfiguration(), **options)
        over = _overflowing(doc, pack)
        if not over:
            return doc.write_pdf(finisher=_scope, **options)
        log.info("pack pages %s ran over their footer; laid out again with less room", sorted(over))
        for n, keep in over.items():
            squeeze[n] = squeeze.get(n, 1.0) * keep
    raise PackError("The PDF could not fit every slide on one page; the PowerPoint pack has the same content.")
