"""The published values the national-data tests assert, read from ``data/published_values.yaml``
(they change with each data release; unit tests on the fixture extract never use them)."""

from __future__ import annotations

import yaml

from tests.conftest import ROOT

PUBLISHED = yaml.safe_load((ROOT / "data" / "published_values.yaml").read_text(encoding="utf-8"))
DWP = PUBLISHED["child_poverty_ahc_dwp"]
WARDS = PUBLISHED["wards"]
