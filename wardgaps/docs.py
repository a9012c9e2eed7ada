"""The generated reference pages: ``docs/sources.md`` and ``docs/indicators.md``, written from the
registries (``data/sources.yaml``, ``data/indicators.yaml``) so they cannot drift from them.

``python -m wardgaps docs`` writes them; ``python -m wardgaps docs --check`` only says whether the
committed pages are what the registries give now (a test asserts the same)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
REGISTRIES = ROOT / "data"
DOCS = ROOT / "docs"
CI_METHODS = {"wilson": "Wilson 95% and 99.8%", "none": "none"}


def _load(path: Path) -> dict[str, dict]:
    with open(path, encoding="utf-8") as f:
        reg = yaml.safe_load(f)
    if not isinstance(reg, dict):
        raise ValueError(f"{path.name}: expected a mapping of ids to entries")
    return reg


def _cell(value: object) -> str:
    """A registry value as one Markdown table cell: one line, pipes escaped, empty as a dash."""
    text = " ".join(str(value if value is not None else "").split())
    return text.replace("|", "\\|") or "–"


def _header(registry: str) -> list[str]:
    return [
        f"<!-- Generated from data/{registry} by `python -m wardgaps docs`: edit the registry, then run it again. -->",
        "",
    ]


def sources_md(sources: dict[str, dict], indicators: dict[str, dict]) -> str:
    """The sources page: a table of every source, then each source's attribution, raw files and indicators."""
    out = _header("sources.yaml") + [
        "# Sources",
        "",
        f"The {len(sources)} sources the build reads, as `data/sources.yaml` registers them: publisher, "
        "licence, release and next release as announced by the publisher. The build stores the same "
        "fields, with the sha256 of every raw file it read, in the extract's `sources` table.",
        "",
        "| Source | Publisher | Title | Licence | Released | Next release |",
        "|---|---|---|---|---|---|",
    ]
    for sid, s in sources.items():
        title = f"[{_cell(s.get('title'))}]({s['url']})" if s.get("url") else _cell(s.get("title"))
        out.append(
            f"| [`{sid}`](#{sid}) | {_cell(s.get('publisher'))} | {title} | {_cell(s.get('licence'))} | "
            f"{_cell(s.get('release_date'))} | {_cell(s.get('next_release'))} |"
        )
    for sid, s in sources.items():
        out += ["", f"## {sid}", "", f"**Attribution.** {_cell(s.get('attribution'))}", ""]
        used = [iid for iid, i in indicators.items() if i.get("source_id") == sid]
        if used:
            out += [
                "**Indicators.** " + ", ".join(f"[`{iid}`](indicators.md#{iid})" for iid in used),
                "",
            ]
        out.append("**Raw files** (relative to the raw mirror):")
        out.append("")
        out += [f"- {f}" for f in s.get("files", [])]
    return "\n".join(out) + "\n"


def indicators_md(indicators: dict[str, dict], sources: dict[str, dict]) -> str:
    """The indicators page: a table per theme, then each indicator's definition, counts and caveats."""
    themes: dict[str, list[str]] = {}
    for iid, i in indicators.items():
        themes.setdefault(str(i.get("theme")), []).append(iid)
    out = _header("indicators.yaml") + [
        "# Indicators",
        "",
        f"The {len(indicators)} official indicators `data/indicators.yaml` registers, by sidebar theme. "
        "Polarity says which way is worse (a neutral indicator is never called better or worse); an "
        "interval is drawn only where the method column names one. How each figure is derived is in "
        "[`data/README.md`](../data/README.md); the sources are in [sources.md](sources.md).",
    ]
    for theme, ids in themes.items():
        out += [
            "",
            f"## Theme `{theme}`",
            "",
            "| Indicator | Title | Unit | Polarity | Interval | Source | Native geography |",
            "|---|---|---|---|---|---|---|",
        ]
        for iid in ids:
            i = indicators[iid]
            src = i.get("source_id")
            src_cell = f"[`{src}`](sources.md#{src})" if src in sources else _cell(src)
            out.append(
                f"| [`{iid}`](#{iid}) | {_cell(i.get('title'))} | {_cell(i.get('unit'))} | "
                f"{_cell(i.get('polarity'))} | {_cell(CI_METHODS.get(i.get('ci_method'), i.get('ci_method')))} | "
                f"{src_cell} | {_cell(i.get('native_geography'))} |"
            )
    out += ["", "## Definitions and caveats"]
    for iid, i in indicators.items():
        out += ["", f"### {iid}", "", f"**{_cell(i.get('title'))}** ({_cell(i.get('short_title'))}).", ""]
        out.append(f"- Definition: {_cell(i.get('definition'))}")
        if i.get("numerator_label"):
            out.append(f"- Numerator: {_cell(i.get('numerator_label'))}")
        if i.get("denominator_label"):
            out.append(f"- Denominator: {_cell(i.get('denominator_label'))}")
        out.append(f"- Caveats: {_cell(i.get('caveats'))}")
    return "\n".join(out) + "\n"


def pages(registries: Path = REGISTRIES) -> dict[str, str]:
    """The generated pages by file name, from the registries in ``registries``."""
    sources = _load(registries / "sources.yaml")
    indicators = _load(registries / "indicators.yaml")
    return {"sources.md": sources_md(sources, indicators), "indicators.md": indicators_md(indicators, sources)}


def stale(docs: Path = DOCS, registries: Path = REGISTRIES) -> list[str]:
    """The generated pages in ``docs`` that differ from what the registries give now (or are missing)."""
    return [
        name
        for name, text in pages(registries).items()
        if not (docs / name).is_file() or (docs / name).read_text(encoding="utf-8") != text
    ]


def write(docs: Path = DOCS, registries: Path = REGISTRIES) -> list[Path]:
    """Write the generated pages into ``docs``; returns the files written."""
    docs.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in pages(registries).items():
        (docs / name).write_text(text, encoding="utf-8")
        written.append(docs / name)
    return written


def cmd_docs(args: argparse.Namespace) -> int:
    if args.check:
        behind = stale()
        if behind:
            print(
                f"Out of date with the registries: {', '.join(behind)} (run python -m wardgaps docs).", file=sys.stderr
            )
            return 1
        print("docs/sources.md and docs/indicators.md match the registries.")
        return 0
    for p in write():
        print(f"Wrote {p.relative_to(ROOT)}")
    return 0


def add_parser(sub: argparse._SubParsersAction) -> None:
    """Declare the ``docs`` subcommand on the command line's subparsers."""
    d = sub.add_parser("docs", help="write docs/sources.md and docs/indicators.md from the registries")
    d.add_argument("--check", action="store_true", help="only check that the committed pages are up to date")
    d.set_defaults(func=cmd_docs)
