"""Bytes of the map figure JSON: one authority (Islington) and every ward of London."""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from wardgaps import analysis, charts, db  # noqa: E402


def main() -> None:
    r = db.reader(public=False)
    cp = ("child_poverty_ahc_dwp", "FYE 2025", 2024)
    t = analysis.ward_table(r, "E09000019", *cp)
    b = analysis.ward_boundaries(r, "E09000019", 2024)
    fig = charts.choropleth(b, t, value_label="Child poverty", unit="%", polarity="higher_is_worse")
    print(f"Islington map figure JSON: {len(fig.to_json()):,} bytes ({len(b)} wards)")
    london = list(analysis.authorities_in(r, "E12000007"))
    bb = pd.concat([analysis.ward_boundaries(r, c, 2024) for c in london], ignore_index=True)
    vv = pd.concat([analysis.ward_table(r, c, *cp) for c in london], ignore_index=True)
    fig = charts.choropleth(bb, vv, value_label="Child poverty", unit="%", polarity="higher_is_worse")
    print(f"All London wards map figure JSON: {len(fig.to_json()):,} bytes ({len(bb)} wards)")


if __name__ == "__main__":
    main()
