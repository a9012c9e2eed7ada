"""Test tiers (issue 20): which tests are fast, and the guard that keeps the fast tier off the
national data.

A test is outside the fast tier when it carries one of :data:`OUTSIDE_FAST` (set on a module with
``pytestmark``, on a test, or given here from the fixtures it uses); every other test is marked
``fast``. ``make test-fast`` runs ``-m fast``.

While a fast test runs, :class:`Guard` refuses to open the committed extracts
(``data/wardgaps.duckdb``, ``data/public.duckdb``) or anything under the raw mirror: a Python
``open`` (an audit hook, so pandas, openpyxl and zipfile are covered) or a ``duckdb.connect``. A
refusal fails the test even if the code under test catches the error.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import duckdb
import pytest

OUTSIDE_FAST = ("national", "browser", "deploy", "office", "slow")
# Fixtures that read the raw mirror, build from it, or read the committed extract (directly or
# through its public extract or a local layer on it): a test using any is a national one.
NATIONAL_FIXTURES = {
    "raw",
    "built",
    "con",
    "mirror",
    "full_reader",
    "public_reader",
    "public_extract",
    "public_view",
    "local_layer",
}


class TierViolation(RuntimeError):
    """A fast-tier test opened the national data."""


class Guard:
    def __init__(self, raw: Path, extracts: list[Path]) -> None:
        self.raw = os.path.realpath(raw)
        self.extracts = {os.path.realpath(p) for p in extracts}
        self.active = False
        self.violations: list[str] = []
        self._connect = duckdb.connect

    def forbidden(self, path: object) -> bool:
        if isinstance(path, int) or path is None:
            return False
        try:
            p = os.path.realpath(os.fsdecode(path))
        except (TypeError, ValueError):
            return False
        return p in self.extracts or p == self.raw or p.startswith(self.raw + os.sep)

    def refuse(self, path: object) -> None:
        msg = f"a fast-tier test opened {os.fsdecode(path)} (national data: mark the test national)"
        self.violations.append(msg)
        raise TierViolation(msg)

    def audit(self, event: str, args: tuple) -> None:
        if self.active and event == "open" and args and self.forbidden(args[0]):
            self.refuse(args[0])

    def connect(self, database: object = ":memory:", *a, **kw):
        if self.active and self.forbidden(database):
            self.refuse(database)
        return self._connect(database, *a, **kw)

    def install(self) -> None:
        sys.addaudithook(self.audit)
        duckdb.connect = self.connect


def mark_tiers(items: list[pytest.Item]) -> None:
    for item in items:
        if not any(item.get_closest_marker(m) for m in OUTSIDE_FAST) and NATIONAL_FIXTURES & set(item.fixturenames):
            item.add_marker(pytest.mark.national)
        if not any(item.get_closest_marker(m) for m in OUTSIDE_FAST):
            item.add_marker(pytest.mark.fast)
