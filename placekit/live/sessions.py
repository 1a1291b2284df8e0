"""A live session: the facilitator runs one exercise in the room, and while it is live its
short join code leads to the team's join page (and nowhere else).

A session is live from its start until the facilitator ends it, starts another for the same
exercise, or closes the workbook, and for at most ``join_codes.LIFETIME``. It is stored, so
a restart or a second server keeps it; deleting the workbook deletes it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from placekit import clock
from placekit.data import activity, privacy
from placekit.data.access import Access
from placekit.data.store import JoinCodeTaken, Store
from placekit.errors import PlaceKitError
from placekit.exercise import Exercise
from placekit.live import join_codes
from placekit.live.timer import Timer

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


class SessionEnded(PlaceKitError):
    """The session ended (on another device, or its time ran out) before the change."""


@dataclass(frozen=True)
class RoomState:
    """What the facilitator has set for the room: the step it is on, and the timer."""

    step: str | None = None
    timer: Timer | None = None
    #: The steps whose team result the room has been shown, each with how many times (a
    #: screen fetches a step's result again when the count goes up: "Show it again").
    revealed: tuple[tuple[str, int], ...] = ()
    #: The steps whose round the facilitator has closed: members' pages take no more
    #: answers for them until it is opened again.
    closed: tuple[str, ...] = ()

    @classmethod
    def from_json(cls, data: dict[str, Any] | None) -> RoomState:
        data = data or {}
        timer = Timer.from_json(data.get("timer"))
        revealed = tuple((str(k), int(n)) for k, n in (data.get("revealed") or {}).items())
        closed = tuple(str(step) for step in data.get("closed") or ())
        return cls(data.get("step"), timer, revealed, closed)

    def as_json(self) -> dict[str, Any]:
        timer = self.timer.as_json() if self.timer else None
        shown = {"step": self.step, "timer": timer, "revealed": dict(self.revealed)}
        return shown | {"closed": list(self.closed)}

    def closing(self, step: str, closed: bool = True) -> RoomState:
        """This state with ``step``'s round closed (or opened again)."""
        kept = tuple(s for s in self.closed if s != step)
        return replace(self, closed=(*kept, step) if closed else kept)

    def is_revealed(self, step: str | None) -> bool:
        return step is not None and step in dict(self.revealed)

    def revealing(self, step: str) -> RoomState:
        """This state with ``step`` revealed once more."""
        times = dict(self.revealed)
        times[step] = times.get(step, 0) + 1
        return replace(self, revealed=tuple(times.items()))


def require_facilitator(access: Access, session: LiveSession) -> None:
    """``NotFacilitator`` unless ``access`` is the facilitator of the session's workbook."""
    _facilitator(access)
    if session.workbook_id != access.workbook_id:
        raise NotFacilitator("That live session is another workbook's.")


def change_room(
    store: Store,
    access: Access,
    session: LiveSession,
    change: Callable[[RoomState], RoomState],
) -> RoomState:
    """Apply ``change`` to the room's state as it stands now, not as this page last saw it
    (another of the facilitator's devices may have changed it since), and store it; the
    new state. ``SessionEnded`` if the session is over."""
    require_facilitator(access, session)
    found = store.live_room(session.id)
    if found is None or not session.live():
        raise SessionEnded("This live session has ended.")
    state = change(RoomState.from_json(found["state"]))
    steps = {step for step, _title in found["steps"]}
    if not {state.step, *state.closed} - {None} <= steps:
        raise ValueError(f"{state.step!r} or {state.closed!r} is not a step of this exercise")
    if not store.set_live_state(session.id, state.as_json()):
        raise SessionEnded("This live session has ended.")
    return state


def end(store: Store, access: Access, session: LiveSession, title: str) -> None:
    require_facilitator(access, session)
    store.end_live_session(session.id)
    activity.record(store, access.workbook_id, privacy.FACILITATOR, "live-ended", title)


def current(store: Store, access: Access, exercise_id: str) -> LiveSession | None:
    """The exercise's live session, if one is live now."""
    row = store.live_session(access.workbook_id, exercise_id)
    session = LiveSession.from_row(row) if row else None
    return session if session and session.live() and not access.closed else None


def joins(store: Store, typed: str) -> tuple[str, str] | None:
    """Where a typed join code leads: its session's workbook's team code and the exercise
    being run, while the session is live and the workbook open; else None, as for a code
    never issued."""
    code = join_codes.normalise(typed)
    row = store.live_session_by_join_code(code) if code else None
    if row is None or row["closed_at"] is not None:
        return None
    return (row["team_code"], row["exercise"]) if LiveSession.from_row(row).live() else None


def live_now(store: Store, access: Access) -> list[LiveSession]:
    """The workbook's exercises being run live now, as a member's index shows them."""
    if access.closed:
        return []
    rows = store.open_live_sessions(access.workbook_id)
    return [session for session in map(LiveSession.from_row, rows) if session.live()]
