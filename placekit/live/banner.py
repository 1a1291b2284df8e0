"""What a member's page says of the room in a live session: the step the room is on (with a
way to it), and the room's timer. A thin view on the room's state; hidden with no session.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import ipywidgets as w

from placekit.exercise import Exercise
from placekit.live.sessions import RoomState
from placekit.live.timer import Timer
from placekit.widgets.html import button, esc, html_box

GO = "Go to the room's step"


class InTheRoom(w.VBox):
    def __init__(self, on_go: Callable[[str], None]) -> None:
        super().__init__()
        self.add_class("pk-in-room")
        self.state: RoomState | None = None  # as last drawn
        self._said = html_box("")
        self._go = button(GO)
        self._go.on_click(lambda _b: self.state and self.state.step and on_go(self.state.step))
        self._countdown: Any = None  # made for the first timer the room has
        self._timer: Timer | None = None  # the timer it shows

    def draw(self, state: RoomState | None, exercise: Exercise, here: str) -> None:
        """Show ``state`` (None: no live session, nothing shown) to a member on step
        ``here``."""
        self.state = state
        if state is None:
            self.children = []
            return
        steps = [step for step, _title in exercise.steps]
        if state.step in steps:
            title = dict(exercise.steps)[state.step]
            where = f"The room is on step {steps.index(state.step) + 1} of {len(steps)}: {title}."
        else:
            where = "Your facilitator will say which step the room is on."
        # A status region: a member is told when the room moves on, wherever they are.
        self._said.value = (
            f'<div class="pk-panel" role="status"><p><strong>Live in the room.</strong>'
            f" {esc(where)}</p></div>"
        )
        self._go.layout.display = "" if state.step in steps and state.step != here else "none"
        shown: list[w.Widget] = [self._said, self._go]
        if state.timer is not None or self._countdown is not None:
            if self._countdown is None:
                # Lazy: anywidget takes a quarter of a second to import, paid only by a
                # page whose room has a timer.
                from placekit.widgets.countdown import Countdown

                self._countdown = Countdown()
            if self._timer != state.timer:
                self._timer = timer = state.timer
                left = timer.left_at(time.time()) if timer else None
                self._countdown.show(left, bool(timer and timer.running))
            shown.append(self._countdown)
        self.children = shown
