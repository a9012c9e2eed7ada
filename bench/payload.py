"""Bytes of the map figure JSON: one borough (Islington) and all London wards."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from wardgaps import analysis, charts  # noqa: E402
from wardgaps.db import query  # noqa: E402


def main() -> None:
    t = analysis.ward_table("E09000019", "child_poverty_ahc_dwp", "FYE 2025", 2022)
    b = query("ward_boundaries", borough_code="E09000019", vintage=2022)
    fig = charts.choropleth(b, t, value_label="Child poverty", unit="%", polarity="higher_is_worse")
    print(f"Islington map figure JSON: {len(fig.to_json()):,} bytes ({len(b)} wards)")
    boroughs = query("boroughs")["geo_code"]
    allb = [query("ward_boundaries", borough_code=c, vintage=2022) for c in boroughs]
    allv = [analysis.ward_table(c, "child_poverty_ahc_dwp", "FYE 2025", 2022) for c in boroughs]
    import pandas as pd

    bb, vv = pd.concat(allb, ignore_index=True), pd.concat(allv, ignore_index=True)
    fig = charts.choropleth(bb, vv, value_label="Child poverty", unit="%", polarity="higher_is_worse")
    print(f"All London wards map figure JSON: {len(fig.to_json()):,} bytes ({len(bb)} wards)")


if __name__ == "__main__":
    main()
