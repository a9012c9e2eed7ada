"""Statistics for Ward Gaps: the Fingertips methods, via PHStatsMethods where it has them.

* ``intervals``: Wilson and Byar intervals and quantiles (PHStatsMethods), and Fingertips'
  significance rule on them.
* ``inequality``: the slope and relative indices of inequality (a port of PHE's ``phe_sii``) and
  the gap measures across an authority's wards.
* ``trend``: Fingertips' recent-trend marker.

Disclosure control lives in :mod:`wardgaps.disclosure`, words and formats in :mod:`wardgaps.text`.
"""

from wardgaps.stats.inequality import (
    SII,
    Gaps,
    gap_change,
    gap_measures,
    sii,
)
from wardgaps.stats.intervals import (
    compare,
    count_interval,
    judge,
    quantiles,
    quantiles_by,
    wilson_interval,
)
from wardgaps.stats.trend import (
    trend_marker,
)

__all__ = [
    "Gaps",
    "SII",
    "compare",
    "count_interval",
    "gap_change",
    "gap_measures",
    "judge",
    "quantiles",
    "quantiles_by",
    "sii",
    "trend_marker",
    "wilson_interval",
]
