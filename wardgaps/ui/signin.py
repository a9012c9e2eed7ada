"""Sign-in for the officer view, with Streamlit's own ``st.login`` (OpenID Connect through Authlib).

When ``.streamlit/secrets.toml`` has an ``[auth]`` section, the officer view (the full extract and
the council's local layer) shows anyone not signed in only a sign-in page, on every page and for
every link, before any data is read; a signed-in user who is not an officer
(:mod:`wardgaps.officers`) is refused with one sentence and offered sign-out. The public view
(``WARDGAPS_PUBLIC=1``) never asks anyone to sign in. With no ``[auth]`` section the officer view is
open, as it was before sign-in existed, and the log says so once.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Mapping

import streamlit as st

from wardgaps import config, officers
from wardgaps.text import md_escape

log = logging.getLogger("wardgaps")

SIGN_IN_TITLE = "Ward Gaps: officer view"
SIGN_IN_SENTENCE = "This is the officer view of Ward Gaps: sign in with your council account to see it."
REFUSED_SENTENCE = "Your account is signed in but is not allowed to see the officer view; ask its administrator."


def _section(name: str) -> Mapping[str, object] | None:
    """One section of the secrets, or None (no secrets file, or no such section)."""
    try:
        return st.secrets[name] if name in st.secrets else None
    except Exception:  # no secrets file at all: Streamlit raises on first access
        return None


def configured() -> bool:
    """Whether sign-in is configured: an ``[auth]`` section in the secrets."""
    return _section("auth") is not None


@functools.cache
def rules() -> officers.Rules:
    """Who is an officer: the ``[wardgaps]`` secrets and ``WARDGAPS_OFFICERS``, read once."""
    r = officers.rules(_section("wardgaps"))
    if r.empty:
        log.warning(
            "sign-in is configured but no officer is: set officers or officer_claim and officer_values under "
            "[wardgaps] in .streamlit/secrets.toml (or %s); nobody can see the officer view",
            officers.ENV,
        )
    return r


@functools.cache
def _warn_open() -> None:
    log.warning(
        "the officer view is open to anyone who reaches it: no [auth] section in .streamlit/secrets.toml "
        "(see deploy/README.md, Sign-in for the officer view)"
    )


def gate() -> bool:
    """Whether this run may draw the page; if not, the sign-in page or the refusal has been drawn."""
    if config.is_public():
        return True
    if not configured():
        _warn_open()
        return True
    user = st.user
    if not user.get("is_logged_in"):
        st.title(SIGN_IN_TITLE)
        st.write(SIGN_IN_SENTENCE)
        if st.button("Sign in", key="sign_in", type="primary"):
            st.login()  # to the provider; back to the app's home page, signed in
        return False
    if not officers.is_officer(dict(user.to_dict()), rules()):
        st.title(SIGN_IN_TITLE)
        st.error(REFUSED_SENTENCE)
        if st.button("Sign out", key="sign_out"):
            st.logout()
        return False
    return True


def signed_in_as() -> None:
    """The signed-in officer's name and a sign-out button, at the foot of the sidebar."""
    if config.is_public() or not configured() or not st.user.get("is_logged_in"):
        return
    who = st.user.get("email") or st.user.get("name") or st.user.get("sub")
    with st.sidebar:
        st.caption(md_escape(f"Signed in as {who}"))
        if st.button("Sign out", key="sign_out"):
            st.logout()
