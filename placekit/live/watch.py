"""One look at the database per live session, however many screens watch it.

Every page showing a session's room (the projector, a second screen, a facilitator's
laptop) subscribes here; one task per watched session reads the room every ``LOOK_S`` and
wakes the subscribers only when it changed. Thirty screens on one session cost what one
does: two queries every ``LOOK_S``. The task stops when the last subscriber goes, or once
the session is over.

The server runs this on its event loop; the read itself runs in a thread, as the store's
calls block.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from typing import Generic, TypeVar

log = logging.getLogger(__name__)

#: A save is on the screen within LOOK_S and one read of the room (the target is 2 s).
LOOK_S = 0.5

State = TypeVar("State")


class Subscription(Generic[State]):
    """A screen's view of one session: ``changed`` is set when ``latest`` has changed."""

    def __init__(self, watch: _Watch[State]) -> None:
        self._watch = watch
        self.changed = asyncio.Event()

    @property
    def latest(self) -> State | None:
        return self._watch.latest

    @property
    def over(self) -> bool:
        """The session is over (or gone): nothing more will change."""
        return self._watch.over

    def close(self) -> None:
        self._watch.leave(self)


class _Watch(Generic[State]):
    def __init__(self, watchers: Watchers[State], key: str) -> None:
        self.watchers, self.key = watchers, key
        self.subscribers: set[Subscription[State]] = set()
        self.latest: State | None = None
        self.over = False
        self.task: asyncio.Task[None] | None = None

    def join(self) -> Subscription[State]:
        sub = Subscription(self)
        self.subscribers.add(sub)
        if self.task is None:
            self.task = asyncio.ensure_future(self._look())
        elif self.latest is not None or self.over:
            sub.changed.set()  # a newcomer is shown the room as it is now
        return sub

    def leave(self, sub: Subscription[State]) -> None:
        self.subscribers.discard(sub)
        if not self.subscribers:
            self.watchers._drop(self)

    async def _look(self) -> None:
        failed = False
        while self.subscribers and not self.over:
            try:
                state = await asyncio.to_thread(self.watchers.read, self.key)
            except Exception:  # the database away a moment: look again, quietly after once
                if not failed:
                    log.exception("Could not read a live session's room; trying again")
                failed = True
            else:
                failed = False
                ended = self.watchers.ended(state)
                if state != self.latest or ended:
                    self.latest, self.over = state, ended
                    for sub in self.subscribers:
                        sub.changed.set()
            if not self.over:
                await asyncio.sleep(self.watchers.look_s)
        if self.over:
            self.watchers._drop(self)  # a later subscriber reads afresh (a restarted session)


class Watchers(Generic[State]):
    """``read(key)`` gives a session's state; ``ended(state)`` says it will not change."""

    def __init__(
        self,
        read: Callable[[str], State],
        ended: Callable[[State], bool],
        look_s: float = LOOK_S,
    ) -> None:
        self.read, self.ended, self.look_s = read, ended, look_s
        self._watches: dict[str, _Watch[State]] = {}

    def subscribe(self, key: str) -> Subscription[State]:
        watch = self._watches.get(key)
        if watch is None:
            watch = self._watches[key] = _Watch(self, key)
        return watch.join()

    @property
    def watched(self) -> int:
        """Sessions being looked at now: one task each."""
        return len(self._watches)

    def _drop(self, watch: _Watch[State]) -> None:
        if self._watches.get(watch.key) is watch:
            del self._watches[watch.key]
        if watch.task is not None and not watch.subscribers and not watch.task.done():
            watch.task.cancel()
