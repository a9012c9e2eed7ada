"""What a page draws, made once per data version and view: built Plotly figures are kept by
(data version, key), so a rerun with the same choices re-sends a figure instead of rebuilding it
through Plotly's validating constructors. Shared by every session of the process (figures are
never changed after they are built), bounded, thread-safe."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable

import plotly.graph_objects as go

from wardgaps.ui.view import View

_MAX = 256
_figures: OrderedDict[tuple, go.Figure] = OrderedDict()
_lock = threading.Lock()


def figure(v: View, key: tuple[Hashable, ...], build: Callable[[], go.Figure]) -> go.Figure:
    """The figure for ``key`` (every choice that changes what is drawn), built by ``build`` once
    per data version and file of the reader's extract (and of the local layer, if any)."""
    r = v.reader
    k = (r.version, r.stamp, key)
    with _lock:
        fig = _figures.get(k)
        if fig is not None:
            _figures.move_to_end(k)
            return fig
    fig = build()
    with _lock:
        _figures[k] = fig
        while len(_figures) > _MAX:
            _figures.popitem(last=False)
    return fig
