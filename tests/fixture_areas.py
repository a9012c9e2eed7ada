"""More of the fixture extract (``tests/fixtures.py``): a metropolitan district and a Welsh
principal area beside the two London authorities, hostile names, small counts, and the first
London authority's 2014 and 2018 wards.

TEST DATA, not statistics: the codes are unused ones (E08999901, W06999901, E05/W05 9999xx) and
the figures are made up so that the expected results can be worked out by hand. The names are
hostile on purpose (quotes, ``<script>``, accents, ampersands): every page must show them as text.
"""

from __future__ import annotations

import json

METRO = "E08999901"
METRO_NAME = 'Fixture "Metro" & Borough'
WELSH = "W06999901"
WELSH_NAME = "Ardal Brawf / Fixture Welsh área"
NORTH_WEST = "E12000002"
WALES = "W92000004"

# code, name, authority (current wards, May 2024)
MORE_WARDS = [
    ("E05999911", "<script>alert(1)</script>", METRO),
    ("E05999912", "Ancoats & Beswick's", METRO),
    ("E05999913", "Café Quarter", METRO),
    ("W05999914", "Llanfair-ym-Muallt", WELSH),
    ("W05999915", "Pen-y-bryn 'Uchaf'", WELSH),
]
MORE_CODE = {name: code for code, name, _ in MORE_WARDS}

# The first London authority's older ward sets (code, name), for the 2014 and 2018 vintages.
OLD_WARDS = {
    2014: [("E05999801", "Old Alder"), ("E05999802", "Old Birch & Cedar")],
    2018: [("E05999851", "Alder (2018)"), ("E05999852", "Birch-Cedar (2018)")],
}

# The count ("Feb 2025"): 3, 0 and 7 are below 10 (hidden in the public view).
MORE_COUNT = {
    "<script>alert(1)</script>": 3,
    "Ancoats & Beswick's": 140,
    "Café Quarter": 0,
    METRO: 143,
    "Llanfair-ym-Muallt": 7,
    "Pen-y-bryn 'Uchaf'": 66,
    WELSH: 73,
    WALES: 73,
}
MORE_POPULATION = {
    "<script>alert(1)</script>": 950,
    "Ancoats & Beswick's": 1210,
    "Café Quarter": 1020,
    METRO: 3180,
    "Llanfair-ym-Muallt": 640,
    "Pen-y-bryn 'Uchaf'": 880,
    WELSH: 1520,
    WALES: 1520,
}


def _square(i: int, y0: float) -> tuple[str, float, float]:
    x0, d = round(-2.3 + 0.01 * i, 4), 0.01
    ring = [[round(x, 4), round(y, 4)] for x, y in [[x0, y0], [x0 + d, y0], [x0 + d, y0 + d], [x0, y0 + d], [x0, y0]]]
    return json.dumps({"type": "Polygon", "coordinates": [ring]}), round(x0 + d / 2, 4), round(y0 + d / 2, 4)


def more_geographies(vintage: int, london: str, england: str, authority: str) -> tuple[list[dict], list[dict]]:
    """The extra areas' geographies and boundaries (regions and countries hold themselves)."""
    region = {METRO: NORTH_WEST, WELSH: WALES}  # a Welsh area's "region" is Wales, as in the build
    country = {METRO: england, WELSH: WALES}
    geos = [
        {"geo_code": METRO, "geo_name": METRO_NAME, "geo_type": "authority", "authority_code": METRO},
        {"geo_code": WELSH, "geo_name": WELSH_NAME, "geo_type": "authority", "authority_code": WELSH},
        {"geo_code": NORTH_WEST, "geo_name": "North West", "geo_type": "region", "authority_code": None},
        {"geo_code": WALES, "geo_name": "Wales", "geo_type": "country", "authority_code": None},
    ]
    for g in geos:
        a = g["geo_code"]
        g["region_code"] = region.get(a, NORTH_WEST if a == NORTH_WEST else None)  # Wales: None, as England
        g["country_code"] = country.get(a, england if a == NORTH_WEST else WALES)
        g["vintage"] = vintage
    bounds = []
    for i, (code, name, auth) in enumerate(MORE_WARDS):
        geos.append(
            {
                "geo_code": code,
                "geo_name": name,
                "geo_type": "ward",
                "authority_code": auth,
                "region_code": region[auth],
                "country_code": country[auth],
                "vintage": vintage,
            }
        )
        geojson, lon, lat = _square(i, 53.48 if auth == METRO else 52.15)
        bounds.append(
            {
                "geo_code": code,
                "vintage": vintage,
                "geojson": geojson,
                "area_ha": 77.0,
                "label_lon": lon,
                "label_lat": lat,
            }
        )
    for old, wards in OLD_WARDS.items():
        for i, (code, name) in enumerate(wards):
            geos.append(
                {
                    "geo_code": code,
                    "geo_name": name,
                    "geo_type": "ward",
                    "authority_code": authority,
                    "region_code": london,
                    "country_code": england,
                    "vintage": old,
                }
            )
            geojson, lon, lat = _square(i, 51.0)
            bounds.append(
                {
                    "geo_code": code,
                    "vintage": old,
                    "geojson": geojson,
                    "area_ha": 77.0,
                    "label_lon": lon,
                    "label_lat": lat,
                }
            )
    return geos, bounds


def more_observations(obs, count: str) -> list[dict]:
    """The extra areas' count and population rows, made by the fixture's own ``_obs``."""
    rows = []
    for area, n in MORE_COUNT.items():
        rows.append(obs(count, MORE_CODE.get(area, area), "Feb 2025", "2025-02-01", "fixture_uc", value=n, numerator=n))
    for area, n in MORE_POPULATION.items():
        method = "aggregated" if area in MORE_CODE else "published"
        code = MORE_CODE.get(area, area)
        rows.append(
            obs("population", code, "2021", "2021-03-21", "fixture_census", value=n, numerator=n, method=method)
        )
    return rows


def similar_authority_rows(vintage: int, authority: str, authority_b: str) -> list[dict]:
    """Each fixture authority's similar authorities: the other three, nearest first (made-up
    distances; ties would go by code)."""
    near = {
        authority: [(authority_b, 0.5), (METRO, 1.25), (WELSH, 2.0)],
        authority_b: [(authority, 0.5), (METRO, 1.5), (WELSH, 2.25)],
        METRO: [(authority, 1.25), (authority_b, 1.5), (WELSH, 1.75)],
        WELSH: [(METRO, 1.75), (authority, 2.0), (authority_b, 2.25)],
    }
    return [
        {"geo_code": a, "vintage": vintage, "rank": i, "neighbour_code": n, "distance": d}
        for a, others in near.items()
        for i, (n, d) in enumerate(others, start=1)
    ]
