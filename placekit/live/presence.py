"""A member's page telling the room it is there: while a live session of its exercise runs,
the page says the member has joined and which steps they have completed, so the room's
screen can count them (``room``). A thin bridge from the member's wizard to the store.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable

from placekit.data import privacy
from placekit.data.access import Access, Member
from placekit.data.store import ReadOnlyWorkbook, Store
from placekit.exercise import Exercise
from placekit.live import sessions

log = logging.getLogger(__name__)

#: How long a page trusts its last look for a live session: a session started after the
#: member opened the page counts them at their next change after this.
LOOK_AGAIN_S = 10.0


class Presence:
    def __init__(self, store: Store, access: Access, exercise: Exercise, member: Member) -> None:
        self.store, self.access, self.exercise, self.member = store, access, exercise, member
        self._session: sessions.LiveSession | None = None
        self._looked = -LOOK_AGAIN_S
        self._said: tuple[str, frozenset[str]] | None = None  # (session id, steps) last told

    def report(self, completed: Iterable[str]) -> None:
        """Tell the room, if a session is live, that the member is in it having completed
        ``completed``; only what changed since the last report is written. The room's
        count is a courtesy: a failure here is logged, never shown as the member's."""
        try:
            self._report(frozenset(completed))
        except ReadOnlyWorkbook:
            pass  # the page's own next save says the workbook has closed
        except Exception:
            log.exception("Could not tell the live session's room that a member is in it")

    def _report(self, completed: frozenset[str]) -> None:
        if time.monotonic() - self._looked >= LOOK_AGAIN_S:
            self._session = sessions.current(self.store, self.access, self.exercise.id)
            self._looked = time.monotonic()
        session = self._session
        if session is None or not session.live() or self._said == (session.id, completed):
            return
        key = privacy.presence_key(self.exercise, self.member, session.id)
        self.store.set_live_presence(session.id, self.access.workbook_id, key, sorted(completed))
        self._said = (session.id, completed)
