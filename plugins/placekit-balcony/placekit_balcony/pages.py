"""The one page: this week's reflection, and the member's own past weeks below it."""

from __future__ import annotations

import ipywidgets as w

from placekit import FieldError, PageContext, Responses, esc, field_errors
from placekit_balcony import weeks
from placekit_balcony.schema import HEAT_WORDS, REFLECTION

QUESTIONS = (
    ("dance_floor", "On the dance floor"),
    ("balcony", "From the balcony"),
    ("loss", "The loss people may be resisting"),
    ("next_step", "Next week I will"),
)


def validate(responses: Responses) -> list[FieldError]:
    # Only the declared rules (a next step of at most 200 characters): nothing is required,
    # since a reflection is invited, not demanded, and no count should say who wrote one.
    week = weeks.current_week()
    names = [f.name for f in REFLECTION.fields]
    return field_errors(responses, "reflection", week, names) + field_errors(
        responses, "heat", week, ["heat"]
    )


def past_html(past: list[weeks.PastWeek], current: str) -> str:
    if not past:
        return (
            "<h3>Your past weeks</h3><p>Nothing yet. Next week, what you write this week will"
            " be here, for you to read back.</p>"
        )
    run = weeks.streak([p.week for p in past if weeks.written(p.reflection)], current)
    intro = (
        f"<p>You have reflected in {len(past)} earlier week{'s' if len(past) != 1 else ''}"
        + (f"; {run} in a row up to now" if run > 1 else "")
        + ". Read them back for patterns: what keeps coming up?</p>"
    )
    items = []
    for week in past:
        heat = f" · heat: {esc(week.heat_words)}" if week.heat else ""
        answers = "".join(
            f"<dt>{esc(label)}</dt><dd>{esc(week.reflection.get(name))}</dd>"
            for name, label in QUESTIONS
            if str(week.reflection.get(name) or "").strip()
        )
        items.append(
            f"<details><summary>{esc(week.label)}{heat}</summary>"
            f"<dl>{answers or '<dd>No reflection written.</dd>'}</dl></details>"
        )
    return "<h3>Your past weeks</h3>" + intro + "".join(items)


def build(ctx: PageContext) -> w.Widget:
    responses = ctx.responses
    week = weeks.current_week()
    past = weeks.history(responses.records("reflection"), responses.records("heat"), week)
    levels = ", ".join(f"{n} {word}" for n, word in HEAT_WORDS.items())
    return w.VBox(
        [
            ctx.html(
                '<div class="pk-panel">Only you can see your reflections: not your team, not'
                " your facilitator, and they are never exported. They are stored without"
                " your name. Your reading of the heat is the one answer that reaches the"
                " team, and only as part of the team's pattern.</div>"
                "<p>Leading is moving between the dance floor, in the action, and the"
                " balcony, stepping back to see the patterns. A few minutes, once a week:"
                " what did you see when you stepped back?</p>"
                f"<h3>{esc(weeks.week_label(week))}</h3>"
            ),
            *(ctx.field("reflection", week, name) for name, _label in QUESTIONS),
            ctx.field("heat", week, "heat"),
            ctx.html(
                f'<p class="pk-hint">The heat, from 1 to 5: {esc(levels)}. Adaptive work'
                " needs some heat; too little and nothing moves, too much and people shut"
                " down.</p>"
                "<p>Everything saves as you type. Come back any time this week to add to it.</p>"
                + past_html(past, week)
            ),
        ]
    )
