"""Who may see the officer view once sign-in is configured: the rule, with no Streamlit here so it
is tested on its own (the sign-in page that applies it is :mod:`wardgaps.ui.signin`).

A signed-in user is an officer when either rule says so:

- **an allow-list** of e-mail addresses or subjects (the provider's ``sub``), from
  ``officers = [...]`` under ``[wardgaps]`` in ``.streamlit/secrets.toml`` and/or the
  ``WARDGAPS_OFFICERS`` environment variable (comma-separated), read once per server process;
  e-mail addresses are compared without regard to case, subjects exactly;
- **a claim the provider sends**: ``officer_claim = "groups"`` (or ``roles``…) and
  ``officer_values = ["wardgaps-officers"]`` under ``[wardgaps]``: an officer is a user whose
  claim holds one of the values (a list claim: any member; a text claim: that value).

Nobody is an officer when neither rule is configured: a deployment with sign-in but no rule lets
nobody in (and says so in the log), rather than everybody.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

ENV = "WARDGAPS_OFFICERS"


@dataclass(frozen=True)
class Rules:
    """The configured rules: the allow-list (e-mails lower-cased, subjects as given) and the claim."""

    emails: frozenset[str] = frozenset()
    subjects: frozenset[str] = frozenset()
    claim: str | None = None
    values: frozenset[str] = field(default_factory=frozenset)

    @property
    def empty(self) -> bool:
        return not (self.emails or self.subjects or (self.claim and self.values))


def _items(x: object) -> list[str]:
    """A setting as a list of non-empty strings: a TOML list, or comma-separated text."""
    if x is None:
        return []
    if isinstance(x, str):
        parts: Iterable[object] = x.split(",")
    elif isinstance(x, Iterable):
        parts = x
    else:
        parts = [x]
    return [str(p).strip() for p in parts if str(p).strip()]


def rules(section: Mapping[str, object] | None, env: Mapping[str, str] | None = None) -> Rules:
    """The rules from the ``[wardgaps]`` secrets section and the environment (``os.environ``)."""
    section = section or {}
    env = os.environ if env is None else env
    listed = _items(section.get("officers")) + _items(env.get(ENV))
    claim = str(section.get("officer_claim") or "").strip() or None
    return Rules(
        emails=frozenset(x.casefold() for x in listed if "@" in x),
        subjects=frozenset(x for x in listed if "@" not in x),
        claim=claim,
        values=frozenset(_items(section.get("officer_values"))),
    )


def is_officer(user: Mapping[str, object], r: Rules) -> bool:
    """Whether a signed-in user (the provider's claims, as ``st.user`` gives them) is an officer."""
    email = str(user.get("email") or "").strip().casefold()
    # an address the provider says it has not verified could be anyone's: it never matches
    if email and email in r.emails and user.get("email_verified") is not False:
        return True
    sub = str(user.get("sub") or "")
    if sub and sub in r.subjects:
        return True
    if r.claim and r.values:
        held = user.get(r.claim)
        have = set(_items(held)) if held is not None else set()
        return bool(have & r.values)
    return False
