"""The facilitator's control for running an exercise live: start a session and show its
join code, or end it. A thin view on ``sessions``."""

from __future__ import annotations

from typing import Any

import ipywidgets as w

from placekit import clock
from placekit.data.access import Access, base_url
from placekit.data.store import Store
from placekit.exercise import Exercise
from placekit.live import join_codes, sessions
from placekit.widgets.html import button, esc, guarded, html_box

RUN = "Run this in the room"
HOURS = int(join_codes.LIFETIME.total_seconds() // 3600)
END = "End the live session"
SCREEN = "Open the screen for the room"


def join_address(store: Store) -> str:
    """Where people type a join code: the server's join page, as the links name it."""
    return f"{base_url(store)}/join"


def live_panel(store: Store, access: Access, exercise: Exercise) -> w.Widget:
    """The "Run this in the room" button, or while a session is live its code and "End"."""
    box = w.VBox()
    box.add_class("pk-live")
    message = html_box("")

    def draw() -> None:
        session = sessions.current(store, access, exercise.id)
        if session is None:
            about = html_box(
                f"<h2>{RUN}</h2><p>Start a live session and put its join code on the screen:"
                " people in the room type it on PlaceKit's front page to join, for as long as"
                f" the session runs ({HOURS} hours at most). Everyone else keeps their own"
                " link.</p>"
            )
            start = button(RUN, "primary")
            start.on_click(on_start)
            box.children = [about, start, message]
            return
        until = f"{clock.local(session.ends_at):%H:%M on %-d %B}"
        shown = html_box(
            f"<h2>Live in the room</h2><p>Join code:</p>"
            # Read out a character at a time, as it is to be typed.
            f'<p class="pk-join-code"><span aria-hidden="true">{esc(session.shown_code)}</span>'
            f'<span class="pk-visually-hidden">{esc(" ".join(session.join_code))}</span></p>'
            f"<p>Anyone can join with it at <strong>{esc(join_address(store))}</strong> until you"
            f" end the session, or until {esc(until)}. End it once the room has joined.</p>"
            # Relative, as the page's other links: the screen is beside the pages' folder.
            f'<p><a class="pk-screen-link" href="../../live/{esc(session.id)}" target="_blank"'
            f' rel="noopener noreferrer">{SCREEN} (opens in a new tab)</a>: put it on the'
            " projector. It shows the code, a QR code of the team link, who has joined and how"
            " far the room has got, as it happens. Keep this page for yourself.</p>"
        )
        stop = button(END)
        stop.on_click(on_end)
        box.children = [shown, stop, message]

    def show(text: str) -> None:
        message.value = f'<div class="pk-notice" role="alert">{esc(text)}</div>'

    @guarded(show, "the live session")
    def on_start(_b: Any) -> None:
        sessions.start(store, access, exercise)
        message.value = ""
        draw()

    @guarded(show, "the live session")
    def on_end(_b: Any) -> None:
        session = sessions.current(store, access, exercise.id)
        if session is not None:
            sessions.end(store, access, session, exercise.title)
        message.value = ""
        draw()

    draw()
    return box
