"""The view a page draws: the authority, indicator, period and ward set the sidebar settled on,
and the run's reader. A leaf module: every other part of ``ui`` may import it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import pandas as pd

from wardgaps import text
from wardgaps.db import Reader


@dataclass
class View:
    reader: Reader
    authority: str
    authority_name: str
    indicator: str
    meta: dict
    period: str | None
    vintage: int | None
    periods: pd.DataFrame
    notices: list[str] = field(default_factory=list)
    region: str = ""
    region_name: str = ""
    country: str = ""
    country_name: str = ""
    since: str | None = None  # the older data version a permalink was made on, to compare with
    similar: bool = False  # the similar authorities drawn as a comparator (?similar=1)
    benchmark: str | None = None  # a benchmark authority drawn as a comparator (?benchmark=CODE)
    areas: str | None = None  # the council's area set the pages draw beside the wards (?areas=NAME)
    # the page's last word (whether its figures changed since ``since``), said before an early stop too
    finish: Callable[[], None] = field(default=lambda: None, repr=False, compare=False)

    @property
    def public(self) -> bool:
        """The public view: the reader reads the public extract (the rules already applied)."""
        return self.reader.public

    @property
    def unit(self) -> str:
        return self.meta["unit"]

    @property
    def comparator_levels(self) -> dict[str, str]:
        """The wider areas a ward is set against, level -> name: region and country (Wales once,
        as the country, for a Welsh authority)."""
        if self.region == self.country:
            return {"country": self.country_name}
        return {"region": self.region_name, "country": self.country_name}

    @property
    def comparator_names(self) -> str:
        return " and ".join(self.comparator_levels.values())

    @property
    def key(self) -> tuple:
        """Everything about the view that changes what a page shows (a cache key)."""
        return (
            self.authority,
            self.indicator,
            self.period,
            self.vintage,
            self.public,
            self.similar,
            self.benchmark,
            self.areas,
        )

    @property
    def period_label(self) -> str:
        return text.period_label(self.period)

    @property
    def unit_label(self) -> str:
        return text.unit_label(self.unit)
