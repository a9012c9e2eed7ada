"""Text measured as it will be set: DejaVu Sans metrics (the font shipped inside matplotlib, which
the PDF uses and which is wider than the usual slide fonts, so a box sized with it is never short)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

REGULAR, BOLD = "DejaVuSans", "DejaVuSans-Bold"


@lru_cache(maxsize=1)
def fonts() -> tuple[str, str]:
    """Register DejaVu Sans with reportlab once (no download: matplotlib ships it)."""
    import matplotlib
    from reportlab.lib.fonts import addMapping
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    base = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
    if REGULAR not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(REGULAR, str(base / "DejaVuSans.ttf")))
        pdfmetrics.registerFont(TTFont(BOLD, str(base / "DejaVuSans-Bold.ttf")))
        addMapping(REGULAR, 0, 0, REGULAR)
        addMapping(REGULAR, 1, 0, BOLD)  # <b> in a paragraph
    return REGULAR, BOLD


def width(text: str, size: float, bold: bool = False) -> float:
    """The width of a string in points."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    fonts()
    return stringWidth(text, BOLD if bold else REGULAR, size)


def lines(text: str, box_pt: float, size: float, bold: bool = False) -> int:
    """Lines a paragraph takes in a box, wrapped word by word; a word wider than the box is broken
    across lines, as LibreOffice and PowerPoint do."""
    space = width(" ", size, bold)
    n, used = 1, 0.0
    for word in text.split():
        w = width(word, size, bold)
        if used and used + space + w > box_pt:
            n, used = n + 1, 0.0
        elif used:
            used += space
        while w > box_pt:  # broken mid-word
            n, w = n + 1, w - box_pt
        used += w
    return n


def longest_word(texts: list[str], size: float, bold: bool = False) -> float:
    """The widest single word: a column narrower than this breaks a word in two. Web addresses do
    not count: they break at any width, and readers expect them to."""
    return max((width(w, size, bold) for t in texts for w in t.split() if "://" not in w), default=0.0)
