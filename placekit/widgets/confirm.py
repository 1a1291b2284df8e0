"""The "are you sure?" box: one place for a question, a go-ahead button and Cancel.

It stays empty until ``ask`` is called (say by a Delete button), then shows the question
as an alert (announced by screen readers when it appears), a red button that runs the
action, and Cancel, which clears the box and does nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import ipywidgets as w

from placekit.widgets.html import button, esc, html_box


def _unguarded(fn: Callable[..., Any]) -> Callable[..., Any]:
    return fn


class ConfirmBox(w.VBox):
    """``guard`` wraps the buttons' handlers (a page passes ``ctx.guard``), so a failing
    action is shown and logged like any other on the page."""

    def __init__(self, guard: Callable[[Callable[..., Any]], Callable[..., Any]] = _unguarded):
        super().__init__()
        self._guard = guard

    def ask(self, question: str, yes: str, on_yes: Callable[[], Any]) -> None:
        """Show ``question`` with a ``yes`` button that runs ``on_yes``, and Cancel."""
        go = button(yes, "danger")
        go.add_class("mod-danger")
        cancel = button("Cancel")

        def confirmed(_b: Any) -> None:
            self.clear()
            on_yes()

        go.on_click(self._guard(confirmed))
        cancel.on_click(self._guard(lambda _b: self.clear()))
        self.children = [
            html_box(f'<div class="pk-warning" role="alert">{esc(question)}</div>'),
            w.HBox([go, cancel]),
        ]

    def clear(self) -> None:
        self.children = []

    @property
    def asking(self) -> bool:
        return bool(self.children)
