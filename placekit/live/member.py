"""A member's page in the room: while a live session of its exercise runs, the page tells the
room the member has joined and which steps they have answered (so the room's screen can
count them, ``room``), and hears what the facilitator sets for the room (the step, the
timer, reveals, closed rounds) through the server's feed (``feed``). A thin bridge from the
member's wizard to the store; what the member may open is ``blind``'s to say.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable
from typing import Any

from placekit.data import privacy
from placekit.data.access import Access, Member
from placekit.data.store import ReadOnlyWorkbook, Store
from placekit.exercise import Exercise
from placekit.live import feed, sessions
from placekit.live.sessions import RoomState

log = logging.getLogger(__name__)

#: How long a page trusts its last look for a live session: a session started after the
#: member opened the page is found at their next change after this (and at once on
#: opening a step the session could hold).
LOOK_AGAIN_S = 10.0


class MemberRoom:
    """``on_change(state)`` is called on the kernel's loop when the room's state changes
    as the feed tells it (None: the session is over); the page then shows it."""

    def __init__(self, store: Store, access: Access, exercise: Exercise, member: Member) -> None:
        self.store, self.access, self.exercise, self.member = store, access, exercise, member
        self.session: sessions.LiveSession | None = None
        self.state: RoomState | None = None  # the live session's room, as last heard
        self.on_change: Callable[[RoomState | None], None] = lambda _state: None
        self._looked = -LOOK_AGAIN_S
        self._said: tuple[str, frozenset[str]] | None = None  # (session id, steps) last told
        self._feed: feed.RoomFeed | None = None

    def look(self, now: bool = False) -> RoomState | None:
        """The live session's room, looking in the database if the last look is older than
        ``LOOK_AGAIN_S`` (or ``now``) and no feed is telling this page of changes."""
        heard = self._feed is not None and not self._feed.closed
        if not heard and (now or time.monotonic() - self._looked >= LOOK_AGAIN_S):
            self._looked = time.monotonic()
            session = sessions.current(self.store, self.access, self.exercise.id)
            found = self.store.live_room(session.id) if session else None
            self.state = RoomState.from_json(found["state"]) if found else None
            if session != self.session:
                self.session = session
                self._listen()
        if self.session is not None and not self.session.live():
            self.session = self.state = None
        return self.state

    def report(self, answered: Iterable[str]) -> None:
        """Tell the room, if a session is live, that the member is in it having answered
        ``answered``; only what changed since the last report is written. The room's
        count is a courtesy: a failure here is logged, never shown as the member's."""
        try:
            self._report(frozenset(answered))
        except ReadOnlyWorkbook:
            pass  # the page's own next save says the workbook has closed
        except Exception:
            log.exception("Could not tell the live session's room that a member is in it")

    def close(self) -> None:
        if self._feed is not None:
            self._feed.close()

    def _report(self, answered: frozenset[str]) -> None:
        self.look()
        session = self.session
        if session is None or self._said == (session.id, answered):
            return
        key = privacy.presence_key(self.exercise, self.member, session.id)
        self.store.set_live_presence(session.id, self.access.workbook_id, key, sorted(answered))
        self._said = (session.id, answered)

    def _listen(self) -> None:
        """Hear the session's changes from the server's feed, where there is one."""
        self.close()
        self._feed = feed.listen(self.session.id, self._heard) if self.session else None

    def _heard(self, event: dict[str, Any]) -> None:
        state = RoomState.from_json(event) if event.get("live") else None
        if state is None:
            self.session = None
            self.close()
        if state == self.state:
            return
        self.state = state
        try:
            self.on_change(state)
        except Exception:  # on the loop, with no handler of the page's around it
            log.exception("Could not show the room's change on a member's page")
