"""A live session: the facilitator runs one exercise in the room, and while it is live its
short join code leads to the team's join page (and nowhere else).

A session is live from its start until the facilitator ends it, starts another for the same
exercise, or closes the workbook, and for at most ``join_codes.LIFETIME``. It is stored, so
a restart or a second server keeps it; deleting the workbook deletes it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from placekit import clock
from placekit.data import activity, privacy
from placekit.data.access import Access
from placekit.data.store import JoinCodeTaken, Store
from placekit.errors import PlaceKitError
from placekit.exercise import Exercise
from placekit.live import join_codes

DRAWS = 5  # a fresh code is taken once in hundreds of millions: five draws never all are


class NotFacilitator(PlaceKitError):
    """Only the facilitator's link starts or ends a live session."""


@dataclass(frozen=True)
class LiveSession:
    id: str
    workbook_id: str
    exercise: str
    join_code: str
    started_at: datetime
    ends_at: datetime
    ended_at: datetime | None

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> LiveSession:
        return cls(**{name: row[name] for name in cls.__dataclass_fields__})

    def live(self, now: datetime | None = None) -> bool:
        return self.ended_at is None and (now or clock.now()) < self.ends_at

    @property
    def shown_code(self) -> str:
        return join_codes.shown(self.join_code)


def _facilitator(access: Access) -> None:
    if access.role != "facilitator":
        raise NotFacilitator("Only the facilitator's link runs an exercise live.")


def start(store: Store, access: Access, exercise: Exercise) -> LiveSession:
    """Start a live session of the exercise, ending the one it had; ``ReadOnlyWorkbook`` if
    the workbook is closed."""
    _facilitator(access)
    for _ in range(DRAWS):
        code = join_codes.new_join_code()
        try:
            row = store.start_live_session(
                access.workbook_id,
                exercise.id,
                code,
                join_codes.LIFETIME,
                title=exercise.title,
                steps=exercise.steps,
            )
        except JoinCodeTaken:
            continue
        activity.record(
            store, access.workbook_id, privacy.FACILITATOR, "live-started", exercise.title
        )
        return LiveSession.from_row(row)
    raise RuntimeError("no unused join code in five draws")  # pragma: no cover - 1 in 10**40


def end(store: Store, access: Access, session: LiveSession, title: str) -> None:
    _facilitator(access)
    store.end_live_session(session.id)
    activity.record(store, access.workbook_id, privacy.FACILITATOR, "live-ended", title)


def current(store: Store, access: Access, exercise_id: str) -> LiveSession | None:
    """The exercise's live session, if one is live now."""
    row = store.live_session(access.workbook_id, exercise_id)
    session = LiveSession.from_row(row) if row else None
    return session if session and session.live() and not access.closed else None


def team_code(store: Store, typed: str) -> str | None:
    """The team code a typed join code leads to: its session's workbook's, while the session
    is live and the workbook open; else None, as for a code never issued."""
    code = join_codes.normalise(typed)
    row = store.live_session_by_join_code(code) if code else None
    if row is None or row["closed_at"] is not None:
        return None
    return row["team_code"] if LiveSession.from_row(row).live() else None
