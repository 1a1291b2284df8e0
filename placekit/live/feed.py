"""A member's page hearing the room: its kernel reads the server's event stream of a live
session (``/live/<session>/events``, the one the room's screen reads), so a Reveal, a closed
round or the timer reach the page within a moment, and thirty pages cost the database what
one screen does (one watcher per session, ``placekit.live.watch``).

The server tells its page kernels where the stream is and the key that opens it without a
sign-in, in their environment (``ADDRESS``, ``KEY``; set by ``placekit.web.server``). A page
run anywhere else (JupyterLab, a test) has no feed, and looks at the room as it moves.

Invariants:
- the stream is read in one daemon thread per page; each event is handed to ``on_event``
  on the kernel's event loop, where widgets may be changed, never on the thread;
- a dropped stream (a restart, the server busy) is read again after ``RETRY_S``, for as long
  as the session is live; it stops once the session is over, or at ``close``.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import threading
import urllib.request
from collections.abc import Callable
from typing import Any

log = logging.getLogger(__name__)

ADDRESS = "PLACEKIT_ROOM_EVENTS"  # the server's /live/ folder, from a kernel's side
KEY = "PLACEKIT_ROOM_KEY"  # opens the stream without a sign-in; only kernels have it
HEADER = "X-PlaceKit-Room-Key"
RETRY_S = 2.0  # as the screen's script waits (projector.RETRY_MS)
#: The stream says something every 15 s (projector.KEEP_ALIVE_S): silence three times as
#: long is a server gone, and the feed asks again.
READ_TIMEOUT_S = 45.0


def available() -> bool:
    """Whether this kernel was started by a PlaceKit server that offers the feed."""
    return bool(os.environ.get(ADDRESS) and os.environ.get(KEY))


def listen(session_id: str, on_event: Callable[[dict[str, Any]], None]) -> RoomFeed | None:
    """The session's feed, started, calling ``on_event`` on the running loop (the
    kernel's); None where there is no feed, or no loop to call it on."""
    try:
        loop = asyncio.get_running_loop()
    except RuntimeError:
        return None
    return RoomFeed(session_id, on_event, loop).start() if available() else None


class RoomFeed:
    """The events of one live session, each a dict (``Room.as_json``, or ``{"live":
    false}``) handed to ``on_event`` on ``loop``."""

    def __init__(
        self,
        session_id: str,
        on_event: Callable[[dict[str, Any]], None],
        loop: asyncio.AbstractEventLoop,
    ) -> None:
        self.url = f"{os.environ[ADDRESS].rstrip('/')}/{session_id}/events"
        self._key = os.environ[KEY]
        self._on_event, self._loop = on_event, loop
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="placekit-room-feed", daemon=True)

    def start(self) -> RoomFeed:
        self._thread.start()
        return self

    def close(self) -> None:
        """Stop at the stream's next word (within its keep-alive)."""
        self._stop.set()

    @property
    def closed(self) -> bool:
        return self._stop.is_set()

    def _run(self) -> None:
        failed = False
        while not self._stop.is_set():
            try:
                if self._read():
                    return  # the session is over: nothing more will come
                failed = False
            except (OSError, ValueError):
                if not failed:  # once, not at every retry while the server is away
                    log.warning("The live session's feed dropped; trying again", exc_info=True)
                failed = True
            self._stop.wait(RETRY_S)

    def _read(self) -> bool:
        """Read the stream until it ends; whether the session is over."""
        request = urllib.request.Request(
            self.url, headers={HEADER: self._key, "Accept": "text/event-stream"}
        )
        with urllib.request.urlopen(request, timeout=READ_TIMEOUT_S) as stream:
            data: list[str] = []
            for raw in stream:
                if self._stop.is_set():
                    return True
                line = raw.decode("utf-8").rstrip("\r\n")
                if line.startswith("data:"):
                    data.append(line[5:].lstrip())
                elif not line and data:
                    event = json.loads("\n".join(data))
                    data = []
                    if not self._deliver(event) or not event.get("live"):
                        return True
        return False

    def _deliver(self, event: dict[str, Any]) -> bool:
        """Hand ``event`` to the kernel's loop; False once that loop has closed."""
        try:
            self._loop.call_soon_threadsafe(self._on_event, event)
        except RuntimeError:  # the kernel is shutting down
            self._stop.set()
            return False
        return True
