"""The questions pages and packs ask, answered from the extract with :mod:`wardgaps.stats`.

One function per question. Every function that returns figures takes ``public``: in the public
view its result has passed through :mod:`wardgaps.disclosure` (the only road to anything
public), so pages and packs never apply a disclosure rule of their own. Pure functions over
:func:`wardgaps.db.query`, cached per extract file version and arguments. The modules:
``catalogue`` (indicators, boroughs, periods), ``wards`` (one borough's wards, gaps, trends),
``overview``, ``places`` (outlines, London context, ward profile) and ``methods``.
"""

from wardgaps.analysis.cache import memo
from wardgaps.analysis.catalogue import (
    COMPARATOR_LABEL,
    WARD_VINTAGE,
    boroughs,
    catalogue,
    default_vintage,
    imd_edition,
    indicator_meta,
    indicators_by_id,
    indicators_by_theme,
    is_count,
    is_deprivation_index,
    period_options,
    periods,
    polarity,
)
from wardgaps.analysis.methods import (
    DOWNLOAD_COLUMNS,
    download_view,
    extract_observations,
    fit_quality,
    hidden_in_public,
    source_periods,
    sources,
)
from wardgaps.analysis.overview import furthest_behind, headline, two_child_poverty_figures, worse_and_worsening
from wardgaps.analysis.places import (
    london_summary,
    london_table,
    lsoa_layers,
    lsoa_values,
    profile_top3,
    ranked_wards,
    ward_boundaries,
    ward_lsoas,
    ward_names,
    ward_profile,
)
from wardgaps.analysis.wards import (
    GapResult,
    borough_gaps,
    comparator_series,
    comparators,
    deprivation_breakdown,
    gap_trend,
    missing_wards_note,
    narrative_for_ward,
    no_ward_figures_note,
    ward_series,
    ward_table,
    ward_trends,
)

__all__ = [
    "COMPARATOR_LABEL",
    "DOWNLOAD_COLUMNS",
    "GapResult",
    "WARD_VINTAGE",
    "borough_gaps",
    "boroughs",
    "catalogue",
    "comparator_series",
    "comparators",
    "default_vintage",
    "deprivation_breakdown",
    "download_view",
    "extract_observations",
    "fit_quality",
    "furthest_behind",
    "gap_trend",
    "headline",
    "hidden_in_public",
    "imd_edition",
    "indicator_meta",
    "indicators_by_id",
    "indicators_by_theme",
    "is_count",
    "is_deprivation_index",
    "london_summary",
    "london_table",
    "lsoa_layers",
    "lsoa_values",
    "memo",
    "missing_wards_note",
    "narrative_for_ward",
    "no_ward_figures_note",
    "period_options",
    "periods",
    "polarity",
    "profile_top3",
    "ranked_wards",
    "source_periods",
    "sources",
    "two_child_poverty_figures",
    "ward_boundaries",
    "ward_lsoas",
    "ward_names",
    "ward_profile",
    "ward_series",
    "ward_table",
    "ward_trends",
    "worse_and_worsening",
]
