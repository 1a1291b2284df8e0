"""What an exercise's pages say of its place in the workbook's design
(``placekit.data.design``): a member's page in place of an exercise not open yet or not in
the workbook, the notice on a closed one, and the facilitator's line on its results page.
Each is HTML, everything in it escaped."""

from __future__ import annotations

from datetime import UTC, datetime

from placekit.data.design import Design, Openness, day_name
from placekit.exercise import Exercise
from placekit.widgets.html import esc


def not_open(ex: Exercise, design: Design, home: str) -> str:
    """What a member is shown in place of an exercise the design has not opened yet or
    does not hold, with a way back to ``home`` (their workbook); "" if it can be opened."""
    back = f'<p>Go back to <a href="{esc(home)}">your workbook</a>.</p>'
    state = design.openness(ex.id, datetime.now(UTC))
    if state in (Openness.REMOVED, Openness.ABSENT):
        return (
            "<h1>This exercise is not part of this workbook</h1><p>Your facilitator has not"
            f" included {esc(ex.title)} in this workbook, or has taken it out.</p>{back}"
        )
    if state is Openness.NOT_YET:
        opens = design.window(ex.id).opens
        assert opens is not None  # NOT_YET comes only from an opening day
        return (
            f"<h1>{esc(ex.title)} opens on {esc(day_name(opens))}</h1><p>It cannot be started"
            f" before then. Come back to this link on that day.</p>{back}"
        )
    return ""


def closed_notice(ex: Exercise, design: Design) -> str:
    """Above a closed exercise's read-only pages."""
    closes = design.window(ex.id).closes
    assert closes is not None  # CLOSED comes only from a closing day
    return (
        '<div class="pk-notice" role="status"><p><strong>This exercise closed on'
        f" {esc(day_name(closes))}.</strong> You can read what you gave, but nothing more can"
        " be added or changed.</p></div>"
    )


def closed_to_newcomers(ex: Exercise, design: Design) -> str:
    """A closed exercise, to someone with no answers in it to read."""
    return (
        f"<h1>{esc(ex.title)} is closed</h1>{closed_notice(ex, design)}<p>It takes no new"
        " answers. If you took part, open it in the browser you used, or with your personal"
        " link, to read what you gave.</p>"
    )


def for_facilitator(ex: Exercise, design: Design) -> str:
    """The facilitator's line on the exercise's results page: its dates for members, or
    that members do not see it ("" when it is always open to them)."""
    now = datetime.now(UTC)
    state = design.openness(ex.id, now)
    if state in (Openness.REMOVED, Openness.ABSENT):
        said = (
            "Members do not see this exercise: it is not in the workbook now. What was saved"
            " in it is kept; add it or put it back on the workbook’s page."
        )
    else:
        dates = design.window(ex.id).describe(now)
        if not dates:
            return ""
        said = f"For members: {dates[0].lower()}{dates[1:]}."
        if state is Openness.CLOSED:
            said += " They can read what they gave; the results stay."
    return f'<div class="pk-notice" role="status"><p>{esc(said)}</p></div>'
