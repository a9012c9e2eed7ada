"""Indicator search: which indicators a reader means by a few words ("overcrowd", "air"), over
each indicator's titles, definition, source and theme. Pure: rows in, indicator ids out."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

# Where a word is found, and how much that counts: a title says what an indicator is, a
# definition or source only mentions it.
FIELDS = (
    ("short_title", 4),
    ("title", 3),
    ("indicator_id", 3),
    ("theme", 2),
    ("definition", 1),
    ("source_title", 1),
    ("publisher", 1),
)
_WORD = re.compile(r"[a-z0-9]+")


def words(s: object) -> list[str]:
    """Lower-case words (letters and digits) of a text; "NO2" -> ["no2"], "air_quality" -> ["air", "quality"]."""
    return _WORD.findall(str(s or "").lower().replace("_", " "))


def search_indicators(rows: Iterable[Mapping], query: str, themes: Mapping[str, str] | None = None) -> list[str]:
    """The ids of the indicators every word of ``query`` finds, best first.

    A query word finds an indicator when it begins a word of one of its fields ("overcrowd"
    finds "overcrowding" and "overcrowded", "air" finds "air quality" but not "repair"); an
    indicator's score is the sum, over the query's words, of the weightiest field each begins a
    word of (:data:`FIELDS`); ties go by short title. The theme is searched by its label
    (``themes``: theme id -> label) as well as its id. An empty query finds nothing."""
    wanted = words(query)
    if not wanted:
        return []
    found = []
    for row in rows:
        fields = []
        for name, weight in FIELDS:
            text = row.get(name)
            if name == "theme" and themes:
                text = f"{text} {themes.get(str(text), '')}"
            fields.append((set(words(text)), weight))
        score = 0
        for w in wanted:
            best = max((weight for ws, weight in fields if any(x.startswith(w) for x in ws)), default=0)
            if not best:
                break
            score += best
        else:
            found.append((-score, str(row.get("short_title") or ""), str(row["indicator_id"])))
    return [i for _, _, i in sorted(found)]
