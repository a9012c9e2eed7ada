"""The council's own places (community hubs, libraries, children's centres): the local layer's
``places`` table, written only by ``python -m wardgaps add-places|remove-places``.

A places CSV has ``name``, ``kind`` and either ``latitude``/``longitude`` (WGS84) or
``easting``/``northing`` (British National Grid, converted here with pyproj). Each place is
given the authority it lies in (point in polygon against the extract's authority outlines, with
shapely). Every row is checked before anything is written; a refusal is one sentence naming the
row and the rule, and the layer is written as a checked copy renamed over the old one
(:func:`wardgaps.local._writing`), so a refused file writes nothing.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from wardgaps import config, db
from wardgaps.analysis.catalogue import WARD_VINTAGE
from wardgaps.local import _readable, _writing
from wardgaps.local_files import _NUMBER, LocalError, csv_header, csv_lines, rows_frame

REQUIRED = ("name", "kind")
PAIRS = (("latitude", "longitude"), ("easting", "northing"))
ALIASES = {"lat": "latitude", "lon": "longitude", "lng": "longitude", "long": "longitude"}
# England and Wales with the Isles of Scilly and the coast: a generous box, so only plainly wrong
# coordinates (swapped, another country, a typo) are refused here; the authority test is exact.
LAT = (49.8, 55.9)
LON = (-6.5, 1.9)
EASTING = (80_000, 660_000)
NORTHING = (5_000, 660_000)
NAME_MAX = 80
_CONTROL = re.compile(r"[\n\r\t\x00-\x1f]")


@dataclass
class PlacesAdded:
    """What ``add_places`` wrote: places per authority, the kinds, the file's checksum."""

    rows: int
    kinds: list[str]
    authorities: dict[str, int]
    sha256: str
    path: Path
    published: bool = False


def read_places(path: Path) -> pd.DataFrame:
    """The CSV as text cells with normalised column names, every required column present."""
    name = Path(path).name
    lines = csv_lines(path, "places file")
    header = csv_header(lines, f"The places file {name}", ALIASES)
    for c in REQUIRED:
        if c not in header:
            raise LocalError(
                f"The places file {name} has no '{c}' column (required: name, kind, and latitude and longitude "
                "or easting and northing)."
            )
    for a, b in PAIRS:
        if (a in header) != (b in header):
            have, lack = (a, b) if a in header else (b, a)
            raise LocalError(f"The places file {name} has a '{have}' column but no '{lack}' column.")
    if not any(a in header and b in header for a, b in PAIRS):
        raise LocalError(
            f"The places file {name} has no coordinate columns (latitude and longitude, or easting and northing)."
        )
    extra = [c for c in header if c not in REQUIRED + PAIRS[0] + PAIRS[1]]
    if extra:
        raise LocalError(f"The places file {name} has an unknown column '{extra[0]}'.")
    df = rows_frame(lines, header, f"The places file {name}")
    for c in PAIRS[0] + PAIRS[1]:
        if c not in df:
            df[c] = ""
    return df


def _coordinate(cell: str, what: str, line: int) -> float:
    if not _NUMBER.fullmatch(cell.replace(",", "")):
        raise LocalError(f"Row {line}: {what} '{cell[:40]}' is not a number.")
    return float(cell.replace(",", ""))


def _to_lonlat(easting: float, northing: float) -> tuple[float, float]:
    """British National Grid (EPSG:27700) to WGS84 longitude and latitude (EPSG:4326)."""
    from pyproj import Transformer

    lon, lat = Transformer.from_crs(27700, 4326, always_xy=True).transform(easting, northing)
    return float(lon), float(lat)


def check_places(df: pd.DataFrame) -> pd.DataFrame:
    """The rows as places (name, kind, lon, lat, authority_code, line), or :class:`LocalError` at
    the first bad row."""
    seen: dict[tuple[str, str], int] = {}
    out = []
    for r in df.to_dict("records"):
        line = r["line"]  # the CSV's line number (the header is line 1)
        name, kind = r["name"], r["kind"]
        if name == "":
            raise LocalError(f"Row {line}: the name is empty.")
        if kind == "":
            raise LocalError(f"Row {line}: the kind is empty (for example: community hub, library).")
        for what, s in (("name", name), ("kind", kind)):
            if _CONTROL.search(s):
                raise LocalError(f"Row {line}: the {what} holds a line break or tab; use plain words.")
            if len(s) > NAME_MAX:
                raise LocalError(f"Row {line}: the {what} is longer than {NAME_MAX} characters.")
        key = (kind.casefold(), name.casefold())
        if key in seen:
            raise LocalError(f"Row {line}: the {kind} '{name}' is already given in row {seen[key]}.")
        seen[key] = line
        has_ll = bool(r["latitude"] or r["longitude"])
        has_en = bool(r["easting"] or r["northing"])
        if has_ll and has_en:
            raise LocalError(f"Row {line}: it gives both latitude/longitude and easting/northing; give one pair only.")
        if not has_ll and not has_en:
            raise LocalError(f"Row {line}: it gives no coordinates (latitude and longitude, or easting and northing).")
        a, b = ("latitude", "longitude") if has_ll else ("easting", "northing")
        for c in (a, b):
            if r[c] == "":
                raise LocalError(f"Row {line}: the {c} is empty.")
        x, y = _coordinate(r[a], a, line), _coordinate(r[b], b, line)
        if has_ll:
            lat, lon = x, y
            if not (LAT[0] <= lat <= LAT[1] and LON[0] <= lon <= LON[1]):
                raise LocalError(
                    f"Row {line}: latitude {r[a][:20]} and longitude {r[b][:20]} are outside England and Wales "
                    f"(latitude {LAT[0]} to {LAT[1]}, longitude {LON[0]} to {LON[1]})."
                )
        else:
            if not (EASTING[0] <= x <= EASTING[1] and NORTHING[0] <= y <= NORTHING[1]):
                raise LocalError(
                    f"Row {line}: easting {r[a][:20]} and northing {r[b][:20]} are outside the British National "
                    f"Grid extent of England and Wales (easting {EASTING[0]:,} to {EASTING[1]:,}, "
                    f"northing {NORTHING[0]:,} to {NORTHING[1]:,})."
                )
            lon, lat = _to_lonlat(x, y)
        out.append({"line": line, "name": name, "kind": kind, "lon": round(lon, 6), "lat": round(lat, 6)})
    places = pd.DataFrame(out)
    places["authority_code"] = authorities_of(places["lon"].to_numpy(), places["lat"].to_numpy())
    for r in places.itertuples():
        if r.authority_code is None:
            raise LocalError(
                f"Row {r.line}: the place at latitude {r.lat:.5f}, longitude {r.lon:.5f} is not inside any local "
                "authority of England and Wales."
            )
    return places


def authorities_of(lon: np.ndarray, lat: np.ndarray) -> list[str | None]:
    """The authority each point lies in (the extract's simplified outlines), or None."""
    from shapely import STRtree, points
    from shapely.geometry import shape

    outlines = db.reader(public=False).query("authority_outlines", vintage=WARD_VINTAGE)
    geoms = [shape(json.loads(g)) for g in outlines["geojson"]]
    tree = STRtree(geoms)
    pts = points(np.column_stack([lon, lat]))
    found: list[str | None] = [None] * len(pts)
    hits = tree.query(pts, predicate="intersects")  # a point on a shared edge: the first outline
    for i, j in zip(hits[0], hits[1], strict=True):
        if found[i] is None:
            found[i] = str(outlines["geo_code"].iloc[j])
    return found


def stored(authority_code: str | None = None) -> pd.DataFrame:
    """The places in the local layer (all, or one authority's); empty when there are none."""
    r = db.reader(public=False)
    if not r.has_local() or not bool(r.query("local_places_present")["present"].iloc[0]):
        return pd.DataFrame(
            columns=["place_id", "name", "kind", "lon", "lat", "authority_code", "authority_name", "published"]
        )
    return r.query("local_places", authority_code=authority_code)


def add_places(csv_file: Path, replace: bool = False, published: bool = False) -> PlacesAdded:
    """Check a places CSV and write its places into the local layer (atomically), not published
    unless ``published``.

    A place whose kind and name are already stored is refused, unless ``replace``: then the
    stored places of every kind in the file are replaced by the file's."""
    csv_file = Path(csv_file)
    target = config.local_path()
    _readable(target)
    places = check_places(read_places(csv_file))
    old = stored()
    kinds = sorted(places["kind"].unique())
    if not replace:
        have = {(k.casefold(), n.casefold()) for k, n in zip(old["kind"], old["name"], strict=True)}
        for r in places.itertuples():
            if (r.kind.casefold(), r.name.casefold()) in have:
                raise LocalError(
                    f"Row {r.line}: the {r.kind} '{r.name}' is already loaded; add --replace to replace the "
                    "places of the kinds in this file."
                )
    sha = hashlib.sha256(csv_file.read_bytes()).hexdigest()
    with _writing(target) as con:
        con.execute(db.local_sql("places_schema"))
        if replace:
            stored_kinds = {k.casefold(): k for k in old["kind"]}
            for k in kinds:
                if k.casefold() in stored_kinds:
                    con.execute(db.local_sql("delete_places"), {"kind": stored_kinds[k.casefold()]})
        start = int(con.execute(db.local_sql("places_next_id")).fetchall()[0][0])
        rows = places.assign(
            place_id=range(start, start + len(places)),
            file_name=csv_file.name,
            file_sha256=sha,
            added_at=dt.datetime.now(dt.UTC).replace(microsecond=0, tzinfo=None),
            published=published,
        )
        cols = con.table("places").columns
        con.from_df(rows[cols]).insert_into("places")
    counts = places["authority_code"].value_counts().to_dict()
    return PlacesAdded(len(places), kinds, counts, sha, target, published)


def _kind(old: pd.DataFrame, kind: str | None) -> str | None:
    """The stored spelling of a kind named in any case, or :class:`LocalError` when none is stored."""
    if kind is None:
        return None
    match = [k for k in old["kind"].unique() if k.casefold() == kind.casefold()]
    if not match:
        raise LocalError(f"There are no places of the kind '{kind[:60]}' (see list-places).")
    return match[0]


def _on_places(kind: str | None, verb: str, query: str, params: dict) -> int:
    """Run ``query`` on the places of one kind (or all) in the local layer (atomically), after
    checking there are some to ``verb``; how many places it touched."""
    target = config.local_path()
    _readable(target)
    old = stored()
    kind = _kind(old, kind)
    n = int((old["kind"] == kind).sum()) if kind is not None else len(old)
    if n == 0:
        raise LocalError(f"There are no places to {verb} (see list-places).")
    with _writing(target) as con:
        con.execute(db.local_sql("places_schema"))
        con.execute(db.local_sql(query), {"kind": kind, **params})
    return n


def set_places_published(kind: str | None = None, published: bool = True) -> int:
    """Publish (or unpublish) the places of one kind, or all (atomically); how many."""
    return _on_places(kind, "publish", "set_places_published", {"published": published})


def remove_places(kind: str | None = None) -> int:
    """Remove the places of one kind (or all) from the local layer (atomically); how many went."""
    return _on_places(kind, "remove", "delete_places", {})
