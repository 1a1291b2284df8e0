"""Reveal: the facilitator shows the room a step's team result. The exercise says what that
is (``Exercise.revealed``, from the facilitator's ``Responses``, so every privacy and
small-group rule holds); this makes it into what the room's screen shows, and keeps it
until the session ends (``Store.set_live_reveal``).

Made in the facilitator's page's kernel, which has the plugins, not by the server, which
serves the screen without them. A chart goes to the screen as a picture with its
description in words as its text, and its figures in a table where the exercise gives one.
"""

from __future__ import annotations

import base64
import logging

from placekit.data.access import Access
from placekit.data.responses import Responses
from placekit.data.store import Store
from placekit.exercise import Exercise, Figure, Summary
from placekit.live import sessions
from placekit.widgets.charts import png
from placekit.widgets.html import esc, table_html

log = logging.getLogger(__name__)


def screen_html(summary: Summary) -> str:
    """A step's result as the room's screen shows it: notes, tables, then each chart as a
    picture whose alternative text is its description. Every typed text is escaped."""
    parts = [f"<p>{esc(note)}</p>" for note in summary.notes]
    parts += [table_html(frame, caption=name) for name, frame in summary.tables.items()]
    for name, figure in summary.figures.items():
        about = figure.description if isinstance(figure, Figure) else name
        try:
            picture = base64.b64encode(png(figure, scale=1.5)).decode()
        except Exception:  # the words stand in for a chart that could not be drawn
            log.exception("Could not draw the chart “%s” for the room's screen", name)
            parts.append(f"<figure><figcaption>{esc(name)}: {esc(about)}</figcaption></figure>")
            continue
        parts.append(
            f'<figure><img src="data:image/png;base64,{picture}" alt="{esc(about)}">'
            f"<figcaption>{esc(name)}</figcaption></figure>"
        )
    return "".join(parts)


def reveal(
    store: Store,
    access: Access,
    session: sessions.LiveSession,
    exercise: Exercise,
    responses: Responses,
    step: str,
) -> sessions.RoomState | None:
    """Reveal ``step`` to the room, or show it again as it is now; the room's new state,
    or None when the exercise has nothing to reveal at that step. ``SessionEnded`` if the
    session is over, ``NotFacilitator`` for anyone but its workbook's facilitator."""
    sessions.require_facilitator(access, session)
    summary = exercise.revealed(step, responses)
    if summary is None or not (summary.tables or summary.figures or summary.notes):
        return None
    if not store.set_live_reveal(session.id, access.workbook_id, step, screen_html(summary)):
        raise sessions.SessionEnded("This live session has ended.")
    return sessions.change_room(store, access, session, lambda state: state.revealing(step))
