"""Page furniture every page shares.

Pages use Streamlit's own ``pages/`` convention: ``dashboard.py`` is the Overview and each file in
``pages/`` is a page, so any first URL (``/map?authority=…``) runs the same code under plain
``streamlit run dashboard.py``. Each page calls :func:`run`, which draws the shared sidebar and
catches any failure: the reader sees one plain sentence and a link back to the default view, the
server log gets the traceback.

``view``: the view a page draws and the run's reader (a leaf); ``reproduce``: "Show the query" and
the data-version notice; ``furniture``: captions, summaries, tables; ``exports``: charts, chart
images, XLSX and the whole-extract CSV; ``page``: set-up, sidebar, URL state (``authority``,
``indicator``, ``period``, ``ward``, ``areas``: every view is a permalink); ``areas``: the council's
own areas drawn on each page; ``signin``: sign-in for the officer view (:mod:`wardgaps.ui.signin`),
run by ``page`` first. Each imports only those before it.
"""

from wardgaps.text import md_escape
from wardgaps.ui import areas
from wardgaps.ui.exports import (
    chart,
    export_image,
    extract_csv,
    xlsx_bytes,
)
from wardgaps.ui.figcache import figure
from wardgaps.ui.furniture import (
    VINTAGE_LABEL,
    credits,
    data_as_at,
    data_as_at_many,
    say,
    sig_label,
    summary,
    table,
)
from wardgaps.ui.page import (
    ERROR_SENTENCE,
    NAV,
    SIDEBAR_MARK,
    THEMES,
    is_public,
    run,
    sidebar,
    stop,
    ward_figures,
    ward_param,
    ward_select,
)
from wardgaps.ui.view import View

__all__ = [
    "areas",
    "figure",
    "ERROR_SENTENCE",
    "NAV",
    "SIDEBAR_MARK",
    "THEMES",
    "VINTAGE_LABEL",
    "View",
    "chart",
    "credits",
    "data_as_at",
    "data_as_at_many",
    "export_image",
    "extract_csv",
    "is_public",
    "md_escape",
    "run",
    "say",
    "sidebar",
    "sig_label",
    "stop",
    "summary",
    "table",
    "ward_figures",
    "ward_param",
    "ward_select",
    "xlsx_bytes",
]
