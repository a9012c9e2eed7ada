"""Read a PDF's tags as assistive technology does (pikepdf): the catalogue's language, title and
structure tree, the structure elements in reading order, and the PowerPoint's descriptions to
compare the PDF's figures with."""

from __future__ import annotations

import io
from dataclasses import dataclass, field

import pikepdf
from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE


@dataclass
class Elem:
    """One structure element: its type, attributes, alternative text, page and children."""

    kind: str
    alt: str | None
    attrs: dict[str, str]
    page: int | None
    kids: list[Elem] = field(default_factory=list)

    def walk(self) -> list[Elem]:
        """This element and every one under it, in reading (tree) order."""
        return [self, *(d for k in self.kids for d in k.walk())]

    def find(self, kind: str) -> list[Elem]:
        return [e for e in self.walk() if e.kind == kind]


@dataclass
class Tagged:
    """What a reader's software gets from a PDF: catalogue facts and the structure tree."""

    lang: str | None
    title: str | None
    display_title: bool
    marked: bool
    ua_part: str | None
    tree: Elem | None
    pages: int


def _elem(obj: pikepdf.Object, pages: dict) -> Elem | None:
    if not isinstance(obj, pikepdf.Dictionary) or "/S" not in obj:
        return None  # a marked-content id or an object reference
    attrs = obj.get("/A")
    attrs = {} if not isinstance(attrs, pikepdf.Dictionary) else {k: str(v) for k, v in attrs.items()}
    page = pages.get(obj.Pg.objgen) if "/Pg" in obj else None
    e = Elem(str(obj.S), str(obj.Alt) if "/Alt" in obj else None, attrs, page)
    kids = obj.get("/K")
    for kid in kids if isinstance(kids, pikepdf.Array) else [kids] if kids is not None else []:
        child = _elem(kid, pages)
        if child is not None:
            e.kids.append(child)
    return e


def read(data: bytes) -> Tagged:
    """The tags of a PDF given as bytes."""
    pdf = pikepdf.open(io.BytesIO(data))
    root = pdf.Root
    pages = {p.obj.objgen: i for i, p in enumerate(pdf.pages, start=1)}
    tree = None
    if "/StructTreeRoot" in root:
        tree = Elem("StructTreeRoot", None, {}, None)
        k = root.StructTreeRoot.get("/K")
        for kid in k if isinstance(k, pikepdf.Array) else [k]:
            child = _elem(kid, pages)
            if child is not None:
                tree.kids.append(child)
    prefs = root.get("/ViewerPreferences", pikepdf.Dictionary())
    meta = pdf.open_metadata()
    return Tagged(
        lang=str(root.Lang) if "/Lang" in root else None,
        title=str(pdf.docinfo.get("/Title")) if "/Title" in pdf.docinfo else None,
        display_title=bool(prefs.get("/DisplayDocTitle", False)),
        marked=bool(root.get("/MarkInfo", pikepdf.Dictionary()).get("/Marked", False)),
        ua_part=meta.get("pdfuaid:part"),
        tree=tree,
        pages=len(pdf.pages),
    )


def pptx_figures(data: bytes) -> list[str]:
    """The descriptions of the PowerPoint's pictures and charts (maps and charts), slide by slide:
    what a screen reader is told of each figure."""
    out = []
    for slide in Presentation(io.BytesIO(data)).slides:
        for sh in slide.shapes:
            if sh.shape_type == MSO_SHAPE_TYPE.PICTURE or getattr(sh, "has_chart", False):
                out.append(sh._element.xpath("./*[1]/p:cNvPr")[0].get("descr"))
    return out
