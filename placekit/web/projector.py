"""The room's screen: ``/live/<session>`` shows a live session's join code, a QR code of the
team link, who has joined and how many have completed each step; ``/live/<session>/events``
keeps it up to date without a reload (server-sent events, from one watcher per session:
``placekit.live.watch``).

Served by the server, not a page's kernel: a screen needs no kernel, and thirty screens on
one watcher cost one look at the database. The session's id (128 random bits, never shown
to members) is the screen's key; the facilitator's panel links to it. With hub sign-in on,
the screen needs it as the facilitator's pages do; members' page kernels read the events
with the key the server gave them (``placekit.live.feed``).
"""

from __future__ import annotations

import asyncio
import functools
import hmac
import json
import os
import time
from collections.abc import Callable
from typing import Any

import segno
from jupyter_server.base.handlers import JupyterHandler
from tornado.iostream import StreamClosedError

from placekit.data.access import base_url
from placekit.data.store import Store
from placekit.live import feed, room
from placekit.live.timer import Timer, as_minutes
from placekit.live.watch import Watchers

SESSION = r"(?P<session_id>[0-9a-f]{32})"
STEP = r"(?P<step>[A-Za-z0-9_.-]{1,100})"
#: A comment line this often keeps proxies from closing a quiet stream, and finds a
#: screen that has gone.
KEEP_ALIVE_S = 15.0
#: How soon a screen that lost its stream (a server restart, the wifi) asks again.
RETRY_MS = 2000


def room_watchers(store: Callable[[], Store]) -> Watchers[room.Room | None]:
    """The server's watchers of live rooms."""

    @functools.cache
    def base() -> str:  # pinned when the server started (placekit serve stores it)
        return base_url(store())

    return Watchers(
        read=lambda session_id: room.read(store(), session_id, base()),
        ended=lambda found: found is None or not found.live,
    )


def qr_svg(url: str) -> str:
    """``url`` as a QR code, an inline SVG drawn in the page's text colour. Error
    correction "M" still scans from the back of a room with a projector's glare."""
    code = segno.make(url, error="m")
    return code.svg_inline(scale=8, border=4, dark="#0b0c0c", light="#ffffff", omitsize=True)


def _timer_text(timer: Timer | None) -> str:
    """The timer as the screen first shows it (its script then counts it down)."""
    if timer is None:
        return ""
    left = timer.left_at(time.time())
    if left <= 0:
        return "Time is up"
    return as_minutes(left) + ("" if timer.running else " (paused)")


class _ScreenHandler(JupyterHandler):
    def initialize(self, store: Callable[[], Store], watchers: Watchers[room.Room | None]) -> None:
        self.store = store  # opened on first use
        self.watchers = watchers

    async def prepare(self) -> None:
        await super().prepare()
        sign_in = self.settings.get("placekit_sign_in")
        if sign_in is not None and not self._finished:
            await sign_in.turn_away(self)

    def get_template(self, name: str) -> Any:
        return self.settings["voila_jinja2_env"].get_template(name)  # the PlaceKit template's


class ProjectorHandler(_ScreenHandler):
    async def get(self, session_id: str) -> None:
        base = await asyncio.to_thread(base_url, self.store())
        found = await asyncio.to_thread(room.read, self.store(), session_id, base)
        self.set_header("Cache-Control", "no-store")
        self.set_header("Referrer-Policy", "no-referrer")  # the address is the screen's key
        if found is None:
            self.set_status(404)
            self.finish(self.render_template("projector.html", room=None))
            return
        step = found.step if found.step in dict(found.revealed) else None
        shown = (
            await asyncio.to_thread(self.store().live_reveal, session_id, step) if step else None
        )
        self.finish(
            self.render_template(
                "projector.html",
                room=found,
                step_title={s.id: s.title for s in found.steps}.get(found.step or "", ""),
                reveal_html=shown or "",
                reveal_key=f"{step}:{dict(found.revealed)[step]}" if shown and step else "",
                qr=qr_svg(found.team_link),
                timer_text=_timer_text(found.timer),
                join_address=f"{base}/join",
                events=f"{session_id}/events",
                reveals=f"{session_id}/reveal/",
            )
        )


class RoomEventsHandler(_ScreenHandler):
    """The room as it changes: one ``data:`` line of JSON (``Room.as_json``, or
    ``{"live": false}`` once there is no such session) at each change, until it is over."""

    def initialize(self, store: Callable[[], Store], watchers: Watchers[room.Room | None]) -> None:
        super().initialize(store, watchers)
        self._gone = asyncio.Event()

    async def prepare(self) -> None:
        # A member's page kernel (placekit.live.feed) shows the key its server gave it,
        # in place of a sign-in it does not have.
        key, shown = os.environ.get(feed.KEY, ""), self.request.headers.get(feed.HEADER, "")
        if key and shown and hmac.compare_digest(key.encode(), shown.encode()):
            return
        await super().prepare()

    def on_connection_close(self) -> None:
        self._gone.set()

    async def get(self, session_id: str) -> None:
        self.set_header("Content-Type", "text/event-stream")
        self.set_header("Cache-Control", "no-store")
        self.set_header("X-Accel-Buffering", "no")  # nginx: pass each event on at once
        sub = self.watchers.subscribe(session_id)
        try:
            await self._send(f"retry: {RETRY_MS}\n\n")
            while not self._gone.is_set():
                if await self._changed(sub.changed):
                    sub.changed.clear()
                    found = sub.latest
                    state = found.as_json() if found is not None else {"live": False}
                    state["now"] = time.time()  # the screen counts the timer down by it
                    await self._send(f"data: {json.dumps(state)}\n\n")
                    if sub.over:
                        break
                else:
                    await self._send(": still here\n\n")
        except StreamClosedError:
            pass  # the screen has gone
        finally:
            sub.close()

    async def _changed(self, changed: asyncio.Event) -> bool:
        """Wait for a change, the screen going, or the keep-alive; whether it changed."""
        waits = [asyncio.ensure_future(changed.wait()), asyncio.ensure_future(self._gone.wait())]
        done, pending = await asyncio.wait(
            waits, timeout=KEEP_ALIVE_S, return_when=asyncio.FIRST_COMPLETED
        )
        for task in pending:
            task.cancel()
        return changed.is_set()

    async def _send(self, text: str) -> None:
        self.write(text)
        await self.flush()


class RevealHandler(_ScreenHandler):
    """A revealed step's result, as the screen puts it in place: HTML made and escaped by
    ``placekit.live.reveal``; 404 until the step is revealed, and once the session ends."""

    async def get(self, session_id: str, step: str) -> None:
        shown = await asyncio.to_thread(self.store().live_reveal, session_id, step)
        self.set_header("Cache-Control", "no-store")
        if shown is None:
            self.set_status(404)
            self.finish("")
            return
        self.set_header("Content-Type", "text/html; charset=utf-8")
        self.finish(shown)
