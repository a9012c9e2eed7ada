"""Page set-up, the shared sidebar and URL state: any view is a permalink; a bad or stale
parameter falls back to the default with a short notice."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from typing import NoReturn

import pandas as pd
import streamlit as st

from wardgaps import analysis, config, db, disclosure, text
from wardgaps.text import md_escape
from wardgaps.ui import reproduce, sessions, signin
from wardgaps.ui.search import search_box
from wardgaps.ui.view import View

log = logging.getLogger("wardgaps")

THEMES = {
    "child_poverty": "Child poverty",
    "poverty": "Poverty and deprivation",
    "housing": "Housing",
    "environment_health": "Living environment and health",
    "population": "Population",
}
# (script, label, icon): the navigation, in reading order; the scripts' file names are the URLs
NAV = [
    ("dashboard.py", "Overview", ":material/dashboard:"),
    ("pages/map.py", "Ward map", ":material/map:"),
    ("pages/gaps.py", "Ward gaps", ":material/bar_chart:"),
    ("pages/trends.py", "Trends", ":material/show_chart:"),
    ("pages/profile.py", "Ward profile", ":material/location_on:"),
    ("pages/similar.py", "Similar wards", ":material/compare_arrows:"),
    ("pages/compare.py", "Compare wards", ":material/compare:"),
    ("pages/places.py", "Need around places", ":material/home_pin:"),
    ("pages/context.py", "Context: region and country", ":material/scatter_plot:"),
    ("pages/briefing.py", "Briefing packs", ":material/slideshow:"),
    ("pages/methods.py", "Data and methods", ":material/description:"),
    ("pages/accessibility.py", "Accessibility", ":material/accessibility:"),
]
ERROR_SENTENCE = "Sorry, this page could not be drawn because something went wrong on our side."
SIDEBAR_MARK = "Ward Gaps"  # the sidebar's heading: tests look for it to know the shared set-up ran


def is_public() -> bool:
    return config.is_public()


def run(title: str, body: Callable[[View], None]) -> None:
    """Set up the page (title, wide layout), draw the shared sidebar, then the page's body.

    Any failure reaches the reader as one sentence with the way back and the log as a traceback.
    """
    st.set_page_config(page_title=f"{title} · Ward Gaps", page_icon=":bar_chart:", layout="wide")
    sessions.install()  # once per process: expired disconnected sessions free their files (ui/sessions.py)
    # sign-in first, before anything is read: someone not signed in (when sign-in is configured for
    # the officer view) sees the sign-in page only, whatever the link
    if not signin.gate():
        return
    try:
        r = db.reader()  # one per run: the public extract or the full one, from the configuration
        v = sidebar(r)
        signin.signed_in_as()
        for n in v.notices:
            st.info(n)
        since = st.empty()  # filled once the body has run: it says whether what it read changed
        done: list[bool] = []

        def finish() -> None:
            if not done:
                done.append(True)
                reproduce.version_notice(since, r, v.since, r.calls)

        v.finish = finish
        body(v)
        finish()
    except Exception:  # Streamlit's own stop/rerun are BaseExceptions and pass through
        log.exception("the %s page failed", title)
        st.error(ERROR_SENTENCE)
        st.page_link(
            "dashboard.py",
            label=f"Go back to the default view ({config.DEFAULT_AUTHORITY_NAME} overview)",
            query_params={"authority": config.DEFAULT_AUTHORITY, "indicator": config.DEFAULT_INDICATOR},
        )


def stop(v: View) -> NoReturn:
    """End the page early, as ``st.stop()``, once the page has said whether its figures changed
    since the data version of the permalink that opened it (Streamlit draws nothing after it)."""
    v.finish()
    st.stop()


# Permalink parameters by their old names: links made before "borough" became "authority" keep working.
ALIASES = {"authority": "borough"}


def _param(name: str) -> str | None:
    v = st.query_params.get(name)
    if v is None and name in ALIASES:
        v = st.query_params.get(ALIASES[name])
    return None if v is None else str(v)[:80]


def _copy(key: str, then: Callable[[], None] | None = None) -> None:
    st.session_state[key] = st.session_state[f"w_{key}"]
    if then is not None:
        then()


def _select(
    label: str,
    options: list,
    fmt: Callable[[object], str],
    key: str,
    on_pick: Callable[[], None] | None = None,
    **kw: object,
) -> None:
    """A selectbox bound to the canonical ``st.session_state[key]``.

    The widget has its own key (``w_<key>``), re-seeded from the canonical value on every run, so
    the choice survives page switches; its change callback copies the choice back (then runs
    ``on_pick``, if given).
    """
    st.session_state[f"w_{key}"] = st.session_state[key]
    st.selectbox(label, options, format_func=fmt, key=f"w_{key}", on_change=_copy, args=(key, on_pick), **kw)


def _region_picked(r: db.Reader) -> None:
    """A new region: its first authority by name (London: the default authority, Islington)."""
    here = analysis.authorities_in(r, st.session_state["region"])
    if st.session_state["authority"] not in here:
        st.session_state["authority"] = (
            config.DEFAULT_AUTHORITY if config.DEFAULT_AUTHORITY in here else next(iter(here))
        )


def _from_url(name: str, valid: object, default: str, notice: str, notices: list[str]) -> str:
    """A permalink parameter if it is one of ``valid``; else the default, noting why."""
    value = _param(name)
    if value is None:
        return default
    if value in valid:
        return value
    notices.append(notice)
    return default


def _v(r: db.Reader) -> dict[str, str]:
    """The data version every permalink carries (none if it cannot be worked out: links still work)."""
    try:
        return {"v": r.version}
    except Exception:
        log.exception("the data version could not be worked out")
        return {}


def _nav(params: dict[str, str]) -> None:
    st.markdown(f"**{SIDEBAR_MARK}**")
    for script, label, icon in NAV:
        st.page_link(script, label=label, icon=icon, query_params=params)


def sidebar(r: db.Reader) -> View:
    """Render the shared sidebar and return the current view (validated)."""
    notices: list[str] = []
    if "since" not in st.session_state:  # the permalink's data version, read once per session
        notice, st.session_state["since"] = reproduce.link_version(r, _param("v"))
        if notice:
            notices.append(notice)
    names = analysis.authority_names(r)
    by_theme = analysis.indicators_by_theme(r)
    ind_theme = {ind: theme for theme, inds in by_theme.items() for ind in inds}

    if "authority" not in st.session_state:
        st.session_state["authority"] = _from_url(
            "authority",
            names,
            config.DEFAULT_AUTHORITY,
            f"That code is not a local authority of England or Wales, so {config.DEFAULT_AUTHORITY_NAME} is shown.",
            notices,
        )
    if "indicator" not in st.session_state:
        st.session_state["indicator"] = _from_url(
            "indicator",
            ind_theme,
            config.DEFAULT_INDICATOR,
            "That indicator is not in Ward Gaps, so child poverty (DWP) is shown.",
            notices,
        )
        st.session_state["theme"] = ind_theme[st.session_state["indicator"]]

    regions = analysis.regions(r)
    if st.session_state.get("region") != analysis.region_of(r, st.session_state["authority"])[0]:
        st.session_state["region"] = analysis.region_of(r, st.session_state["authority"])[0]

    nav = st.sidebar.container()
    with st.sidebar:
        _select(
            "Region",
            list(regions),
            regions.get,
            "region",
            help="England's nine regions, and Wales.",
            on_pick=lambda: _region_picked(r),
        )
        here = analysis.authorities_in(r, st.session_state["region"])
        _select("Local authority", list(here), here.get, "authority", help="Type to search.")
        search_box(r, ind_theme, THEMES)
        if st.session_state.get("theme") not in THEMES:
            st.session_state["theme"] = ind_theme[st.session_state["indicator"]]
        _select("Theme", list(THEMES), THEMES.get, "theme")
        labels = by_theme.get(st.session_state["theme"], {})
        if st.session_state.get("indicator") not in labels:
            st.session_state["indicator"] = next(iter(labels))
        _select("Indicator", list(labels), labels.get, "indicator")
        authority, indicator = st.session_state["authority"], st.session_state["indicator"]
        options = analysis.period_options(r, authority, indicator)
        if "period" not in st.session_state:
            want = _param("period")
            if want is not None and want not in options:
                notices.append("That period is not available for this indicator, so the latest is shown.")
                want = None
            st.session_state["period"] = want or (options[0] if options else None)
        if st.session_state.get("period") not in options:
            st.session_state["period"] = options[0] if options else None
        if options:
            _select("Period", options, text.period_label, "period", help="Latest first.")
        similar, benchmark = _comparison_groups(r, names, authority, notices)
        areas = _area_set(r, authority, notices)
        if r.public:
            st.caption(disclosure.SHORT_NOTE)
        version = _v(r)
        if version:
            st.caption(f"Data version {version['v']}: every link to this view carries it.")

    period = st.session_state.get("period")
    p = analysis.periods(r, authority, indicator)
    vintage = analysis.default_vintage(p, period) if period else None
    params = {"authority": authority, "indicator": indicator, **({"period": period} if period else {})}
    params |= {**({"similar": "1"} if similar else {}), **({"benchmark": benchmark} if benchmark else {}), **version}
    for gone in {"similar", "benchmark"} - set(params):
        if gone in st.query_params:
            del st.query_params[gone]
    if areas:
        params["areas"] = areas
    elif "areas" in st.query_params:
        del st.query_params["areas"]
    st.query_params.update(params)
    for old in ALIASES.values():  # the link now says it the current way
        if old in st.query_params:
            del st.query_params[old]
    with nav:
        _nav(params)
    meta = analysis.view_meta(r, authority, indicator)
    region, region_name, country, country_name = analysis.region_of(r, authority)
    return View(
        r,
        authority,
        names[authority],
        indicator,
        meta,
        period,
        vintage,
        p,
        notices,
        region,
        region_name,
        country,
        country_name,
        st.session_state["since"],
        similar,
        benchmark,
        areas=areas,
    )


def _comparison_groups(
    r: db.Reader, names: dict[str, str], authority: str, notices: list[str]
) -> tuple[bool, str | None]:
    """The comparison groups beside region and country: the similar authorities (``?similar=1``)
    and a benchmark authority (``?benchmark=CODE``; a bad code is said in one sentence)."""
    if "similar" not in st.session_state:
        st.session_state["similar"] = _param("similar") in ("1", "true", "yes")
    if "benchmark" not in st.session_state:
        code, notice = analysis.benchmark_choice(r, _param("benchmark"), authority)
        st.session_state["benchmark"] = code or ""
        if notice:
            notices.append(notice)
    st.session_state["w_similar"] = st.session_state["similar"]
    st.checkbox(
        "Compare with similar authorities",
        key="w_similar",
        on_change=_copy,
        args=("similar",),
        help="The 10 authorities most like this one on Census 2021 characteristics (Data and methods says how).",
    )
    if st.session_state["benchmark"] == authority:
        st.session_state["benchmark"] = ""
    others = {"": "None", **{c: n for c, n in names.items() if c != authority}}
    _select("Benchmark authority", list(others), others.get, "benchmark", help="Any authority, drawn as a comparator.")
    return bool(st.session_state["similar"]), st.session_state["benchmark"] or None


def _area_set(r: db.Reader, authority: str, notices: list[str]) -> str | None:
    """The council's area set the pages draw (``?areas=NAME`` on first view, validated against the
    authority's sets, with a notice), offered in the sidebar when the authority has any."""
    listed = analysis.council_area_sets(r, authority)
    sets = list(listed["set_name"])
    # the officer view marks a set the public cannot see, as it marks local indicators and places
    unpublished = set() if r.public else set(listed.loc[~listed["published"].astype(bool), "set_name"])
    if "areas" not in st.session_state:
        want = _param("areas")
        if want is not None and want not in sets:
            notices.append("That area set is not one of this local authority's, so wards alone are shown.")
            want = None
        st.session_state["areas"] = want or ""
    if st.session_state["areas"] not in ["", *sets]:
        st.session_state["areas"] = ""
    if sets:
        _select(
            "Areas",
            ["", *sets],
            lambda s: (f"{s} (not published)" if s in unpublished else s) if s else "Wards only",
            "areas",
            help="The council's own areas (groups of wards), drawn beside the wards.",
        )
    return st.session_state["areas"] or None


def ward_figures(v: View, what: str) -> pd.DataFrame:
    """The authority's wards for the view's indicator and period (disclosed in the public view);
    stops the page with a notice for authority-only indicators."""
    if v.vintage is None:
        note = analysis.no_ward_figures_note(v.reader, v.authority, v.indicator)
        st.info(md_escape(f"{note} There is no {what}; see Trends."))
        stop(v)
    t = analysis.ward_table(v.reader, v.authority, v.indicator, v.period, v.vintage)
    note = analysis.missing_wards_note(v.reader, v.authority, v.indicator, t)
    if note:
        st.caption(md_escape(note))  # names from the data are shown literally
    return t


def ward_select(key: str, names: dict[str, str], default: str | None) -> str:
    """The page's ward choice: from ``?ward=`` on first view (validated, with a notice), then a
    keyboard-accessible select box bound to ``st.session_state[key]`` (which a map click may
    set before a rerun), written back to the URL."""
    if key not in st.session_state:
        st.session_state[key] = ward_param(list(names), names, default)
    if st.session_state[key] not in names:
        st.session_state[key] = default
    _select("Ward", list(names), names.get, key)
    st.query_params["ward"] = st.session_state[key]
    return st.session_state[key]


def ward_param(codes: list[str], names: dict[str, str], default: str | None) -> str | None:
    """The ward from ``?ward=``, kept only if it is one of ``codes``; else the default (noticed)."""
    w = _param("ward")
    if w is None:
        return default
    if w in codes:
        return w
    if re.fullmatch(r"[EW]05\d{6}", w or ""):
        st.info(
            f"Ward {w} is not one of this local authority's wards for this period, "
            f"so {names.get(default, 'the default ward')} is shown."
        )
    else:
        st.info("That ward code is not valid, so the default ward is shown.")
    return default
