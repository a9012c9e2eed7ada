"""Chart builders: DataFrames in, Plotly figures out. No data access, no Streamlit.

Colour is never the only carrier of meaning: significance is also written on bars and in hover
text, classes are named in the legend, and every chart has its table on the page. Palettes are
colour-blind safe (Okabe-Ito for categories, ColorBrewer single-hue/YlGnBu for sequences).
``style`` holds the palettes, layout and static export; ``maps`` the choropleth; ``similar`` the Similar wards
map and dot plot; ``places`` the council's own places on maps and their figures; ``figures`` the rest.
"""

from wardgaps.charts.figures import (
    compared_places,
    context_strip,
    gap_trend,
    ordered_bar,
    quintile_bar,
    trend_lines,
)
from wardgaps.charts.maps import (
    add_outlines,
    choropleth,
    classify,
    discrete_scale,
    picked_areas,
)
from wardgaps.charts.places import add_circles, add_places, place_bars
from wardgaps.charts.similar import neighbour_map, ward_against_neighbours
from wardgaps.charts.style import (
    BROWSERS,
    COMPARATOR_STYLE,
    FONT,
    SCHEMES,
    SEQUENTIAL,
    SIG_COLOURS,
    SIG_LABEL,
    SIG_TEXT,
    colours_at,
    static_image,
)

__all__ = [
    "compared_places",
    "add_circles",
    "add_places",
    "place_bars",
    "colours_at",
    "BROWSERS",
    "COMPARATOR_STYLE",
    "FONT",
    "SCHEMES",
    "SEQUENTIAL",
    "SIG_COLOURS",
    "SIG_LABEL",
    "SIG_TEXT",
    "add_outlines",
    "choropleth",
    "classify",
    "discrete_scale",
    "gap_trend",
    "context_strip",
    "ordered_bar",
    "picked_areas",
    "quintile_bar",
    "static_image",
    "trend_lines",
    "neighbour_map",
    "ward_against_neighbours",
]
