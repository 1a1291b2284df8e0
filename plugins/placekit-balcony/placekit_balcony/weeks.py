"""Weeks and a member's history, as pure functions (dates and dicts in, values out).

A reflection belongs to an ISO week (Monday to Sunday), named like "2026-W07": the week's
record id. Weeks are worked out from the place's clock (``placekit.now``), so a member in
Blackpool writing late on Sunday writes into the week they are living in. Everything but
``current_week()`` is pure.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from placekit import now
from placekit_balcony.schema import HEAT_WORDS

_WEEK = re.compile(r"^(\d{4})-W(\d{2})$")
TEXT_FIELDS = ("dance_floor", "balcony", "loss", "next_step")


def current_week(today: dt.date | None = None) -> str:
    """This week by the place's clock (or the week of ``today``, in a test)."""
    return week_of(today or now().date())


def week_of(day: dt.date) -> str:
    """The ISO week a day falls in: 2026-02-11 → "2026-W07"."""
    year, week, _weekday = day.isocalendar()
    return f"{year}-W{week:02d}"


def is_week(key: str) -> bool:
    match = _WEEK.match(key)
    if not match:
        return False
    try:
        dt.date.fromisocalendar(int(match[1]), int(match[2]), 1)
    except ValueError:
        return False
    return True


def week_start(key: str) -> dt.date:
    """The Monday a week begins: "2026-W07" → 2026-02-09."""
    match = _WEEK.match(key)
    if not match:
        raise ValueError(f"not a week: {key!r} (expected, for example, '2026-W07')")
    return dt.date.fromisocalendar(int(match[1]), int(match[2]), 1)


def week_label(key: str) -> str:
    """ "Week of 9 February 2026"."""
    start = week_start(key)
    return f"Week of {start.day} {start:%B %Y}"


def written(reflection: Mapping[str, Any]) -> bool:
    """Whether a reflection has anything in it."""
    return any(str(reflection.get(name) or "").strip() for name in TEXT_FIELDS)


@dataclass(frozen=True)
class PastWeek:
    week: str
    label: str
    reflection: dict[str, Any]
    heat: int | None

    @property
    def heat_words(self) -> str:
        return HEAT_WORDS.get(self.heat or 0, "")


def history(
    reflections: Mapping[str, Mapping[str, Any]],
    heat: Mapping[str, Mapping[str, Any]],
    current: str,
) -> list[PastWeek]:
    """A member's weeks before ``current`` with anything written or a heat given, newest
    first. ``reflections`` and ``heat`` are their own records (week → data)."""
    weeks = {
        w
        for w in (*reflections, *heat)
        if is_week(w) and w < current  # "2026-W07" < "2026-W10": ISO weeks sort as text
    }
    found = []
    for week in sorted(weeks, reverse=True):
        reflection = dict(reflections.get(week) or {})
        reading = (heat.get(week) or {}).get("heat")
        level = reading if _level(reading) else None
        if written(reflection) or level is not None:
            found.append(PastWeek(week, week_label(week), reflection, level))
    return found


def streak(weeks: Iterable[str], current: str) -> int:
    """How many weeks in a row, ending with ``current`` or the week before it, have a
    reflection: a member's habit, shown to them alone."""
    have = set(weeks)
    day = week_start(current)
    if current not in have:
        day -= dt.timedelta(weeks=1)
    count = 0
    while week_of(day) in have:
        count += 1
        day -= dt.timedelta(weeks=1)
    return count


def heat_by_week(readings: Mapping[str, Mapping[str, Mapping[str, Any]]]) -> dict[str, list[int]]:
    """Every member's heat reading per week (owner → week → data in; week → values out,
    oldest week first): what the team's figures are made of, never shown one by one."""
    found: dict[str, list[int]] = {}
    for records in readings.values():
        for week, data in records.items():
            value = data.get("heat")
            if is_week(week) and _level(value):
                found.setdefault(week, []).append(value)
    return dict(sorted(found.items()))


def _level(value: object) -> bool:
    """A heat reading as stored: a whole number on the scale (not True, which is 1 too)."""
    return isinstance(value, int) and not isinstance(value, bool) and value in HEAT_WORDS
