"""A workbook's design: the exercises its members see, in what order, the facilitator's
welcome, and when each exercise opens and closes. Pure: no store, no widgets.

Invariants (``Design.checked`` enforces them; every edit returns a checked design):

- ``exercises`` (the members' order) holds no id twice, and none that is in ``removed``;
  a removed exercise keeps its data and its dates, and the facilitator can restore it.
- A window's days are the place's (``placekit.clock``): an exercise opens at the start of
  its ``opens`` day and closes at the end of its ``closes`` day, so "open until Thursday
  14 May" takes answers all that Thursday. ``opens`` is on or before ``closes``.
- A workbook with no design saved has ``implicit(installed)``: every installed exercise
  in the order the plugins loaded, always open (a workbook made before designs existed,
  or by ``placekit new`` with no ``--exercises``).

Outside its window, removed, or never chosen, an exercise takes no member's save, on any
path: the store asks ``refusal`` inside every saving transaction. Its results stay, and the
facilitator's own saves still go in (closing a questionnaire's round to see its results,
say). The facilitator reopens an exercise by changing its dates.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from placekit import clock

#: The longest welcome: a few short paragraphs, not a document.
MAX_WELCOME = 2000


class DesignError(ValueError):
    """A design that breaks an invariant; the message says what to change."""


class Openness(enum.Enum):
    OPEN = "open"
    NOT_YET = "not open yet"
    CLOSED = "closed"
    REMOVED = "removed"
    ABSENT = "not in this workbook"


def day_name(day: dt.date, today: dt.date | None = None) -> str:
    """A day as people write it: "Thursday 14 May", with the year when not this year's."""
    this_year = (today or clock.now().date()).year
    year = "" if day.year == this_year else f" {day.year}"
    return f"{day:%A} {day.day} {day:%B}{year}"


def _midnight(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(), clock.zone())


@dataclass(frozen=True)
class Window:
    """When an exercise takes answers; None at either end: no limit there."""

    opens: dt.date | None = None
    closes: dt.date | None = None

    @property
    def opens_at(self) -> dt.datetime | None:
        return _midnight(self.opens) if self.opens else None

    @property
    def closes_at(self) -> dt.datetime | None:
        # The end of the closing day is the start of the next one.
        return _midnight(self.closes + dt.timedelta(days=1)) if self.closes else None

    def openness(self, now: dt.datetime) -> Openness:
        if self.opens_at is not None and now < self.opens_at:
            return Openness.NOT_YET
        if self.closes_at is not None and now >= self.closes_at:
            return Openness.CLOSED
        return Openness.OPEN

    def describe(self, now: dt.datetime) -> str:
        """What a member reads beside the exercise: "Open until Thursday 14 May"."""
        today = clock.local(now).date()
        state = self.openness(now)
        if state is Openness.NOT_YET:
            assert self.opens is not None
            until = f" to {day_name(self.closes, today)}" if self.closes else ""
            return f"Opens {day_name(self.opens, today)}{until}"
        if state is Openness.CLOSED:
            assert self.closes is not None
            return f"Closed on {day_name(self.closes, today)}"
        return f"Open until {day_name(self.closes, today)}" if self.closes else ""

    def as_data(self) -> dict[str, str]:
        return {k: v.isoformat() for k, v in (("opens", self.opens), ("closes", self.closes)) if v}


@dataclass(frozen=True)
class Design:
    exercises: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    welcome: str = ""
    windows: Mapping[str, Window] = field(default_factory=dict)

    # -- reading -------------------------------------------------------------------------

    def window(self, exercise: str) -> Window:
        return self.windows.get(exercise, Window())

    def openness(self, exercise: str, now: dt.datetime) -> Openness:
        if exercise in self.removed:
            return Openness.REMOVED
        if exercise not in self.exercises:
            return Openness.ABSENT
        return self.window(exercise).openness(now)

    def shown(self, installed: Collection[str]) -> list[str]:
        """The exercises a member sees, in order: chosen and installed."""
        return [ex for ex in self.exercises if ex in installed]

    # -- editing: each returns a new, checked design ---------------------------------------

    def checked(self) -> Design:
        if len(set(self.exercises)) != len(self.exercises):
            raise DesignError("An exercise can be in the workbook only once")
        if set(self.exercises) & set(self.removed):
            raise DesignError("An exercise cannot be both in the workbook and removed")
        if len(self.welcome) > MAX_WELCOME:
            raise DesignError(
                f"Keep the welcome to {MAX_WELCOME} characters or fewer (it has"
                f" {len(self.welcome)})"
            )
        for window in self.windows.values():
            if window.opens and window.closes and window.closes < window.opens:
                raise DesignError("An exercise cannot close before the day it opens")
        return self

    def added(self, exercise: str) -> Design:
        """With ``exercise`` last (a removed one comes back, its dates with it)."""
        removed = tuple(ex for ex in self.removed if ex != exercise)
        return replace(self, exercises=(*self.exercises, exercise), removed=removed).checked()

    def without(self, exercise: str) -> Design:
        """With ``exercise`` removed: members no longer see it; its data stays."""
        exercises = tuple(ex for ex in self.exercises if ex != exercise)
        removed = self.removed if exercise in self.removed else (*self.removed, exercise)
        return replace(self, exercises=exercises, removed=removed).checked()

    def moved(self, exercise: str, by: int) -> Design:
        """With ``exercise`` ``by`` places later (earlier if negative), kept in range."""
        order = list(self.exercises)
        at = order.index(exercise)
        order.insert(max(0, min(len(order) - 1, at + by)), order.pop(at))
        return replace(self, exercises=tuple(order)).checked()

    def with_window(self, exercise: str, window: Window) -> Design:
        windows = {k: v for k, v in self.windows.items() if k != exercise}
        if window != Window():
            windows[exercise] = window
        return replace(self, windows=windows).checked()

    def with_welcome(self, text: str) -> Design:
        return replace(self, welcome=text.strip()).checked()

    # -- stored form ------------------------------------------------------------------------

    def as_data(self) -> dict[str, Any]:
        return {
            "exercises": list(self.exercises),
            "removed": list(self.removed),
            "welcome": self.welcome,
            "windows": {ex: w.as_data() for ex, w in self.windows.items() if w.as_data()},
        }

    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> Design:
        windows = {
            ex: Window(
                *(dt.date.fromisoformat(w[k]) if w.get(k) else None for k in ("opens", "closes"))
            )
            for ex, w in (data.get("windows") or {}).items()
        }
        return cls(
            tuple(data.get("exercises") or ()),
            tuple(data.get("removed") or ()),
            str(data.get("welcome") or ""),
            windows,
        )


def implicit(installed: Collection[str]) -> Design:
    """The design of a workbook whose facilitator has chosen none."""
    return Design(tuple(installed))


def unknown(exercises: Collection[str], installed: Collection[str]) -> str | None:
    """Why a list of exercise ids cannot be used, naming the ones that exist, or None."""
    strays = [ex for ex in exercises if ex not in installed]
    if not strays:
        return None
    names = ", ".join(repr(ex) for ex in strays)
    return (
        f"There is no exercise {names} installed. The exercises installed are:"
        f" {', '.join(sorted(installed)) or 'none'}"
    )


def refusal(data: Mapping[str, Any] | None, exercise: str, now: dt.datetime) -> str | None:
    """Why no member may save into ``exercise`` now under the stored design ``data``
    (None: no design saved, so every exercise is open), or None if it may."""
    if data is None:
        return None
    design = Design.from_data(data)
    state = design.openness(exercise, now)
    if state is Openness.OPEN:
        return None
    if state is Openness.NOT_YET:
        opens = design.window(exercise).opens
        assert opens is not None
        return f"This exercise opens on {day_name(opens)}: nothing can be saved in it before then"
    if state is Openness.CLOSED:
        closes = design.window(exercise).closes
        assert closes is not None
        return (
            f"This exercise closed on {day_name(closes)}: what was saved in it can be read,"
            " but nothing more can be saved"
        )
    return (
        "This exercise is not part of this workbook now: what was saved in it is kept, but"
        " nothing more can be saved"
    )
