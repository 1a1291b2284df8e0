"""The facilitator's control for running an exercise live: start a session and show its
join code, or end it. A thin view on ``sessions``."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime
from functools import wraps
from typing import Any

import ipywidgets as w

from placekit import clock
from placekit.data.access import Access, base_url
from placekit.data.responses import Responses
from placekit.data.store import ReadOnlyWorkbook, Store
from placekit.live import feed, join_codes, sessions
from placekit.live.reveal import reveal
from placekit.live.timer import MINUTES, Timer, as_minutes
from placekit.widgets.html import button, esc, guarded, html_box

RUN = "Run this in the room"
HOURS = int(join_codes.LIFETIME.total_seconds() // 3600)
END = "End the live session"
SCREEN = "Open the screen for the room"
REVEAL = "Reveal this step to the room"
REVEAL_AGAIN = "Show it again, as it is now"
NEXT = "Next step"
CLOSE = "Close the round"
REOPEN = "Open the round again"


def join_address(store: Store) -> str:
    """Where people type a join code: the server's join page, as the links name it."""
    return f"{base_url(store)}/join"


def live_panel(store: Store, access: Access, responses: Responses) -> w.Widget:
    """The "Run this in the room" button, or while a session is live its code, the room's
    controls and "End". ``responses``: the facilitator's view, for what Reveal shows."""
    exercise = responses.exercise
    box = w.VBox()
    box.add_class("pk-live")
    message = html_box("")

    def draw() -> None:
        for old in box.children:  # the controls drawn before hear the room no more
            if getattr(old, "feed", None) is not None:
                old.feed.close()
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
        controls = room_controls(store, access, responses, session, show, on_ended=ended)
        box.children = [shown, controls, stop, message]

    def show(text: str) -> None:
        message.value = f'<div class="pk-notice" role="alert">{esc(text)}</div>' if text else ""

    def ended() -> None:
        draw()
        show(
            "This live session has ended: on another device, or its time was up. Its join"
            " code no longer works. Start another to run the room again."
        )

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


NOT_CHOSEN = "Not chosen yet"


def _timer_text(timer: Timer | None) -> str:
    if timer is None:
        return "No timer set."
    now = time.time()
    if timer.running:
        ends = clock.local(datetime.fromtimestamp(now + timer.left_at(now), UTC))
        return f"Timer running: {as_minutes(timer.left_at(now))} left, until {ends:%H:%M:%S}."
    if timer.left <= 0:
        return "Time is up."
    return f"Timer paused at {as_minutes(timer.left)} (set to {as_minutes(timer.seconds)})."


def room_controls(
    store: Store,
    access: Access,
    responses: Responses,
    session: sessions.LiveSession,
    show: Callable[[str], None],
    on_ended: Callable[[], None],
) -> w.Widget:
    """The facilitator's controls of the room while a session is live: the step the room is
    on, Reveal, and a timer. Each shows on the room's screen within a moment. ``show`` says
    something to the facilitator ("" clears it); ``on_ended``: the session has ended."""
    found = store.live_room(session.id) or {"steps": [], "state": {}}
    state = sessions.RoomState.from_json(found["state"])
    steps = [(f"{i}. {title}", step) for i, (step, title) in enumerate(found["steps"], 1)]
    step = w.Dropdown(
        options=[(NOT_CHOSEN, ""), *steps], value=state.step or "", description="The room is on"
    )
    step.style.description_width = "initial"
    minutes = w.BoundedIntText(
        value=(state.timer.seconds // 60) if state.timer else 5,
        min=MINUTES[0],
        max=MINUTES[1],
        description="Timer, in minutes",
    )
    minutes.style.description_width = "initial"
    start, pause, reset = button("Start the timer", "primary"), button("Pause"), button("Reset")
    said = html_box(f'<p class="pk-status" role="status">{esc(_timer_text(state.timer))}</p>')
    current = {"state": state}
    following = {"now": False}  # the dropdown is being set from another device's change

    def shown(state: sessions.RoomState) -> None:
        current["state"] = state
        said.value = f'<p class="pk-status" role="status">{esc(_timer_text(state.timer))}</p>'

    def save(change: Callable[[sessions.RoomState], sessions.RoomState]) -> None:
        shown(sessions.change_room(store, access, session, change))

    def timer_of(state: sessions.RoomState) -> Timer:
        """The room's timer, or a new one if the minutes shown differ from it."""
        if state.timer is None or state.timer.seconds != minutes.value * 60:
            return Timer.of_minutes(minutes.value)
        return state.timer

    def act(fn: Callable[..., str | None]) -> Callable[..., None]:
        """A control's handler: what it returns is said to the facilitator (nothing: any
        earlier message goes); a session ended meanwhile says so."""

        @guarded(show, "the live session")
        @wraps(fn)
        def run(*args: Any) -> None:
            try:
                show(fn(*args) or "")
            except (sessions.SessionEnded, ReadOnlyWorkbook):
                on_ended()

        return run

    @act
    def on_step(change: dict[str, Any]) -> None:
        if following["now"]:
            return
        save(lambda state: replace(state, step=change["new"] or None))
        draw_reveal()

    @act
    def on_start(_b: Any) -> None:
        save(lambda state: replace(state, timer=timer_of(state).start(time.time())))

    @act
    def on_pause(_b: Any) -> None:
        save(lambda state: replace(state, timer=state.timer and state.timer.pause(time.time())))

    @act
    def on_reset(_b: Any) -> None:
        save(lambda state: replace(state, timer=timer_of(state).reset()))

    reveal_button = button(REVEAL, "warning")
    next_button, close_button = button(NEXT), button(CLOSE)
    revealed = html_box("")
    order = [step_id for _label, step_id in steps]

    def draw_reveal() -> None:
        chosen = current["state"].step
        reveal_button.disabled = close_button.disabled = chosen is None
        next_button.disabled = chosen is not None and chosen == order[-1]
        again = current["state"].is_revealed(chosen)
        reveal_button.description = REVEAL_AGAIN if again else REVEAL
        closed = chosen in current["state"].closed
        close_button.description = REOPEN if closed else CLOSE
        said = (
            "The room has seen this step's result."
            if again
            else "Until you reveal it, no member's page and not the room's screen shows the"
            " team's answers for this step."
            if chosen
            else "Choose the step the room is on to reveal its result."
        )
        if closed:
            said += " Its round is closed: members' pages take no more answers for it."
        revealed.value = f'<p class="pk-status">{esc(said)}</p>'

    @act
    def on_reveal(_b: Any) -> str | None:
        chosen = current["state"].step
        if chosen is None:
            return None
        done = reveal(store, access, session, responses.exercise, responses, chosen)
        if done is None:
            return "This step has nothing to reveal: its answers are each member's own."
        current["state"] = done
        draw_reveal()
        return None

    @act
    def on_next(_b: Any) -> None:
        # The dropdown's observer saves the move, as when the facilitator chooses a step.
        chosen = current["state"].step
        step.value = order[order.index(chosen) + 1] if chosen in order else order[0]

    @act
    def on_close(_b: Any) -> None:
        chosen = current["state"].step
        if chosen is not None:
            closing = chosen not in current["state"].closed
            save(lambda state: state.closing(chosen, closing))
            draw_reveal()

    reveal_button.on_click(on_reveal)
    next_button.on_click(on_next)
    close_button.on_click(on_close)
    draw_reveal()
    step.observe(on_step, "value")
    start.on_click(on_start)
    pause.on_click(on_pause)
    reset.on_click(on_reset)

    def heard(event: dict[str, Any]) -> None:
        """Another device of the facilitator's (or this one) changed the room: show it."""
        if listening is None or listening.closed:
            return  # ended here, or drawn afresh
        if not event.get("live"):
            listening.close()
            on_ended()
            return
        state = sessions.RoomState.from_json(event)
        if state == current["state"]:
            return
        shown(state)
        following["now"] = True
        try:
            step.value = state.step or ""
        finally:
            following["now"] = False
        draw_reveal()

    listening = feed.listen(session.id, guarded(show, "the live session")(heard))
    heading = html_box("<h3>The room</h3>")
    controls = w.VBox(
        [
            heading,
            step,
            w.HBox([next_button, close_button, reveal_button]),
            revealed,
            w.HBox([minutes, start, pause, reset]),
            said,
        ]
    )
    controls.feed = listening  # type: ignore[attr-defined]  # closed as the panel redraws
    return controls
