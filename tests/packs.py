"""Helpers for the briefing-pack tests: open a pack as a reader would (LibreOffice Impress for the
PowerPoint, poppler for PDFs) and look at the pages it produces."""

from __future__ import annotations

import html
import re
import shutil
import subprocess
from pathlib import Path

import numpy as np
from PIL import Image

ROOT = Path(__file__).resolve().parent.parent
ARTEFACTS = ROOT / "tests" / "artefacts"
TOOLS = {
    "soffice": "libreoffice-impress",
    "pdftoppm": "poppler-utils",
    "pdftotext": "poppler-utils",
    "pdfinfo": "poppler-utils",
}


def require_tools() -> None:
    """Fail (never skip) when a tool the pack tests need is missing: `make test` installs them."""
    missing = [f"{tool} ({pkg})" for tool, pkg in TOOLS.items() if shutil.which(tool) is None]
    if missing:
        raise AssertionError("missing: " + ", ".join(missing) + "; run `make system-deps`")


def to_pdf(pptx: list[Path], out: Path, profile: Path) -> list[Path]:
    """Convert PowerPoint files to PDF with LibreOffice Impress, headless, in one run, with a
    profile of its own (concurrent runs do not collide) and a time limit."""
    r = subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--norestore",
            "--convert-to",
            "pdf",
            "--outdir",
            str(out),
            *map(str, pptx),
        ],
        capture_output=True,
        text=True,
        timeout=240,
    )
    pdfs = [out / f"{p.stem}.pdf" for p in pptx]
    assert r.returncode == 0 and all(p.is_file() for p in pdfs), r.stdout + r.stderr
    return pdfs


def pages(pdf: Path, prefix: str, dpi: int = 60) -> list[Path]:
    """Every page of a PDF as PNG, rendered next to the PDF (so concurrent runs never share files)
    and copied to the artefacts folder for people to look at."""
    subprocess.run(["pdftoppm", "-png", "-r", str(dpi), str(pdf), str(pdf.with_name(prefix))], check=True, timeout=120)
    out = sorted(pdf.parent.glob(f"{prefix}-*.png"))
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    for old in ARTEFACTS.glob(f"{prefix}-*.png"):
        old.unlink(missing_ok=True)
    for png in out:
        shutil.copyfile(png, ARTEFACTS / png.name)
    return out


def pdf_text(pdf: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout


def page_count(pdf: Path) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    return int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))


def edge_ink(png: Path, strip: float = 0.015) -> tuple[int, int]:
    """Pixels in the bottom and right margin strips that differ from the page's background (the
    top-left corner): anything there is content running off the page."""
    a = np.asarray(Image.open(png).convert("RGB")).astype(int)
    h, w, _ = a.shape
    bg = a[1, 1]
    ink = np.abs(a - bg).sum(axis=2) > 60
    return int(ink[h - max(2, int(h * strip)) :, :].sum()), int(ink[:, w - max(2, int(w * strip)) :].sum())


_PAGE = re.compile(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', re.S)
_WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>')


def words(pdf: Path) -> list[list[tuple[float, float, float, float, str]]]:
    """Every word of every page with its box (points from the top left), as poppler reads them."""
    out = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return [
        [(float(a), float(b), float(c), float(d), html.unescape(t)) for a, b, c, d, t in _WORD.findall(body)]
        for _w, _h, body in _PAGE.findall(out)
    ]


def over_footer(page: list[tuple[float, float, float, float, str]], footer: str) -> list[str]:
    """Words that reach into the footer's line but are not the footer: content running over it."""
    start = footer.split()[0]
    top = max(w[1] for w in page if w[4] == start)  # the footer is the lowest line that starts so
    own = set(footer.split()) | {"Slide", "Page", "of"}
    return [w[4] for w in page if w[3] > top + 1 and not (w[4] in own or w[4].isdigit())]
