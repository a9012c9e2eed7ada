"""Text measured as it will be set: DejaVu Sans metrics (the font shipped inside matplotlib, which
the PDF uses and which is wider than the usual slide fonts, so a box sized with it is never short).
Widths are the fonts' own advance widths, read with fontTools; no kerning, so a measured line is
never shorter than the set one."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

REGULAR, BOLD = "DejaVuSans", "DejaVuSans-Bold"


def font_files() -> tuple[Path, Path]:
    """The regular and bold DejaVu Sans files matplotlib ships (no download, no system font)."""
    import matplotlib

    base = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
    return base / f"{REGULAR}.ttf", base / f"{BOLD}.ttf"


@lru_cache(maxsize=2)
def _advances(bold: bool) -> tuple[dict[int, float], float]:
    """Advance widths in thousandths of an em by code point, and the missing glyph's width."""
    from fontTools.ttLib import TTFont

    with TTFont(font_files()[bold], lazy=True) as font:  # only the tables read here, then closed
        scale = 1000 / font["head"].unitsPerEm
        hmtx = font["hmtx"]
        widths = {cp: hmtx[glyph][0] * scale for cp, glyph in font.getBestCmap().items()}
        missing = hmtx[font.getGlyphOrder()[0]][0] * scale
    if 0x20 in widths:  # a no-break space is as wide as a space
        widths[0xA0] = widths[0x20]
    return widths, missing


def width(text: str, size: float, bold: bool = False) -> float:
    """The width of a string in points."""
    widths, missing = _advances(bold)
    return sum(widths.get(ord(c), missing) for c in text) * size / 1000


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
