"""The fixture's area sets, as the tests load them (``tests/areas_plugin.py``) and recompute their
figures: which fixture wards each area holds, and a local percentage on the metropolitan district.

TEST DATA, not statistics."""

from __future__ import annotations

from pathlib import Path

# London fixture authority: three areas (Elm in none); the metropolitan district: two.
HUBS = {"North": ["Alder", "Birch"], "South": ["Cedar", "Damson", "Fir"], "East": ["Hazel"]}
METRO_AREAS = {"Town": ["<script>alert(1)</script>", "Ancoats & Beswick's"], "Quarter": ["Café Quarter"]}
# a local percentage on the metropolitan district's wards (numerator, denominator)
METRO_LOCAL = {"<script>alert(1)</script>": (30, 120), "Ancoats & Beswick's": (45, 150), "Café Quarter": (20, 80)}


def areas_csv(path: Path, groups: dict[str, list[str]], codes: dict[str, str]) -> Path:
    rows = [f'"{a}",{codes[w]}' for a, wards in groups.items() for w in wards]
    path.write_text("area_name,ward_code\n" + "\n".join(rows) + "\n", encoding="utf-8")
    return path
