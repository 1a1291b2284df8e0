"""The server's join page: ``/join?code=K7P-3QX`` leads to the team's join page of the
exercise being run while the code's live session runs (``placekit.live``), and nowhere else.

Served by the server itself, not a page's kernel: it needs no page, and only the server
knows the client's address, which the limit on guessing counts by (``join_codes.Attempts``).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from jupyter_server.base.handlers import JupyterHandler
from jupyter_server.utils import url_path_join

from placekit.data.store import Store
from placekit.live import sessions
from placekit.live.join_codes import Attempts

LOOPBACK = ("127.0.0.1", "::1")


def client_address(request: Any) -> str:
    """The address a try came from. Behind a proxy on this machine (the web server in front,
    docs/deploy.md), that is the last address in its X-Forwarded-For, the one the proxy saw;
    a header from anyone else could be made up, so it is not read."""
    forwarded = request.headers.get("X-Forwarded-For", "")
    if request.remote_ip in LOOPBACK and forwarded:
        return forwarded.split(",")[-1].strip()
    return request.remote_ip or ""


class JoinCodeHandler(JupyterHandler):
    """GET with no code: the form. With one: the team's join page, or the form again with
    a plain message (404, not valid; 429, too many tries)."""

    def initialize(self, attempts: Attempts, store: Callable[[], Store]) -> None:
        self.attempts = attempts
        self.store = store  # opened on first use

    async def get(self) -> None:
        typed = self.get_argument("code", "").strip()[:40]
        if not typed:
            self._page(200, typed, "")
            return
        client = client_address(self.request)
        if not self.attempts.allow(client):
            self.set_header("Retry-After", str(int(Attempts.WINDOW_S)))
            self._page(429, typed, "Too many codes have been tried. Wait a minute, then try again.")
            return
        found = await asyncio.to_thread(sessions.joins, self.store(), typed)
        if found is None:
            self.attempts.wrong(client)
            self._page(
                404,
                typed,
                "That code does not open a live session. Check it against the screen: a code"
                " works only while its session runs.",
            )
            return
        # Straight to the exercise the room is doing: its join page, then its first step.
        team_code, exercise = found
        page = url_path_join(self.base_url, "voila/render/exercise.ipynb")
        self.redirect(f"{page}?{urlencode({'code': team_code, 'exercise': exercise})}")

    def get_template(self, name: str) -> Any:
        return self.settings["voila_jinja2_env"].get_template(name)  # the PlaceKit template's

    def _page(self, status: int, typed: str, error: str) -> None:
        self.set_status(status)
        self.set_header("Cache-Control", "no-store")
        self.finish(self.render_template("join.html", typed=typed, error=error))

    def write_error(self, status_code: int, **kwargs: Any) -> None:
        self.finish(self.render_template("join.html", typed="", error="Something went wrong."))
