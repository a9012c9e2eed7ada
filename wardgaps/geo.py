"""Compatibility re-export: build-time geography now lives in :mod:`wardgaps.ingest.geo`.

Kept only for callers outside the build (``bench/build.py``); new code imports the ingest module.
"""

from __future__ import annotations

from wardgaps.ingest.common import ENGLAND, LONDON
from wardgaps.ingest.geo import Geo

__all__ = ["ENGLAND", "LONDON", "Geo"]
