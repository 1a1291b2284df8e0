"""What the room's screen shows of a live session, worked out from the database alone (the
server, which serves the screen, never loads the plugins): who has joined, and for each
step how many of them have completed it. Pure but for the one read.

Members' pages say who is in the room (``presence``); ``privacy.presence_key`` decides
who may be named, so a name here is one the screen may show.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

from placekit.data.access import link
from placekit.data.store import Store
from placekit.live import join_codes
from placekit.live.sessions import LiveSession, RoomState
from placekit.live.timer import Timer


@dataclass(frozen=True)
class StepCount:
    id: str
    title: str
    answered: int  # members in the room who have completed the step


@dataclass(frozen=True)
class Room:
    live: bool
    workbook_title: str
    title: str  # the exercise's
    join_code: str  # as shown, "K7P-3QX"
    team_link: str  # what the QR code holds
    names: tuple[str, ...]  # those in the room who joined by name, in alphabetical order
    unnamed: int  # and how many more are in it
    steps: tuple[StepCount, ...]
    step: str | None  # the step the facilitator has put the room on
    timer: Timer | None
    #: Steps revealed, with how often: their results are at /live/<session>/reveal/<step>.
    revealed: tuple[tuple[str, int], ...]
    closed: tuple[str, ...]  # steps whose round is closed

    @property
    def joined(self) -> int:
        return len(self.names) + self.unnamed

    def as_json(self) -> dict[str, Any]:
        """What the screen's page is sent at each change: what it shows, and no more."""
        shown = asdict(self) | {"joined": self.joined}
        timer = self.timer.as_json() if self.timer else None
        return shown | {"timer": timer, "revealed": dict(self.revealed), "closed": [*self.closed]}


def read(store: Store, session_id: str, base: str, now: datetime | None = None) -> Room | None:
    """The room of ``session_id``, its team link at ``base`` (``access.base_url``, read
    once by the caller rather than at each look); None if there is no such session (a
    wrong link, or its workbook deleted). One ended, timed out or in a closed workbook is
    not ``live``."""
    found = store.live_room(session_id)
    if found is None:
        return None
    session = LiveSession.from_row(found)
    state = RoomState.from_json(found["state"])
    members: dict[str, str | None] = {}
    completed: dict[str, int] = {}
    for member, step, name in found["presence"]:
        members[member] = name
        if step:
            completed[step] = completed.get(step, 0) + 1
    names = sorted((n for n in members.values() if n), key=str.casefold)
    return Room(
        live=session.live(now) and found["closed_at"] is None,
        workbook_title=found["workbook_title"],
        title=found["title"],
        join_code=join_codes.shown(session.join_code),
        team_link=link(found["team_code"], base=base),
        names=tuple(names),
        unnamed=len(members) - len(names),
        steps=tuple(StepCount(s, t, completed.get(s, 0)) for s, t in found["steps"]),
        step=state.step,
        timer=state.timer,
        revealed=state.revealed,
        closed=state.closed,
    )
