"""The facilitator's controls for a questionnaire's rounds: list who takes part, close a
round, open the next. A thin view over ``rounds``; imported only by the facilitator's page.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import ipywidgets as w

from placekit.data.links import offered
from placekit.data.responses import Responses
from placekit.questionnaires.model import Questionnaire
from placekit.questionnaires.raters import given_text, ratings_given
from placekit.questionnaires.rounds import (
    close_round,
    current,
    day,
    open_next_round,
    set_targets,
    submission_counts,
)
from placekit.widgets.confirm import ConfirmBox
from placekit.widgets.html import button, esc, guarded, html_box


def _offered_targets(responses: Responses, names: Any, act: Callable[..., Any]) -> list[Any]:
    """Organisations other exercises in the workbook name (an ally map's, say), offered for
    the list: the button adds them to the box; nothing is saved until "Save the list"."""
    found = offered(responses, "organisations")
    if not found:
        return []
    add = button("Add the organisations named in other exercises")

    def on_add(_b: Any) -> None:
        listed = [n.strip() for n in names.value.splitlines() if n.strip()]
        have = {n.casefold() for n in listed}
        names.value = "\n".join(listed + [n for n in found if n.casefold() not in have])

    add.on_click(act(on_add))
    return [html_box(f'<p class="pk-hint">Named elsewhere: {esc("; ".join(found))}</p>'), add]


def facilitator_panel(responses: Responses, redraw: Callable[[], None]) -> Any:
    q: Questionnaire = responses.exercise.questionnaire  # type: ignore[attr-defined]
    rule = responses.rule
    rnd = current(responses)
    message = html_box("")

    def say(text: str, ok: bool = False) -> None:
        style = "pk-notice" if ok else "pk-warning"
        message.value = f'<div class="{style}" role="alert">{esc(text)}</div>'

    def act(fn: Callable[[Any], None]) -> Callable[[Any], None]:
        return guarded(say)(fn)

    parts: list[Any] = []
    if rnd is None:
        status = (
            f"<h2>Set up</h2><p>List the {esc(q.rate_each.plural if q.rate_each else '')}"
            " taking part, then share the team link. Respondents choose their own from this"
            " list and rate it and the partners they work with.</p>"
        )
    else:
        done, started = submission_counts(responses, rnd.number)
        state = f"closed on {esc(day(rnd.closed_at))}" if rnd.closed else "open: collecting answers"
        status = (
            f"<h2>Round {rnd.number}</h2><p>Round {rnd.number} is {state}.</p>"
            f'<table class="pk-table"><tr><th>Submitted</th><td>'
            f"{esc(rule.head_count(done))}</td></tr><tr><th>Started, not submitted"
            f"</th><td>{esc(rule.head_count(started))}</td></tr>"
            + (
                "<tr><th>Ratings given by invited raters, all leaders together</th><td>"
                f"{esc(given_text(rule, ratings_given(responses, rnd.number)))}</td></tr>"
                if q.raters
                else ""
            )
            + "</table>"
        )
        if q.raters:
            status += (
                "<p>This is a 360: each leader invites their own raters and sees their own"
                " results once they close their 360. Closing the round closes every"
                " leader's 360 and shows you the team's anonymous profile; you never see"
                " one leader's ratings.</p>"
            )
        if q.anonymity == "anonymous":
            status += (
                "<p>This questionnaire is anonymous: you see how many people have answered,"
                " never who. Results are shown once you close the round. Any figure about"
                f" fewer than {rule.k} people is withheld, and so is spread (lowest, highest,"
                f" median, how many gave each answer) about fewer than {rule.spread_min}.</p>"
            )
    parts.append(html_box(status))

    if q.rate_each is not None and (rnd is None or not rnd.closed):
        names = w.Textarea(
            value="\n".join(rnd.targets if rnd else ()),
            description=f"{q.rate_each.plural.capitalize()} taking part (one per line)",
            rows=6,
            style={"description_width": "initial"},
            layout=w.Layout(width="100%"),
        )
        names.add_class("pk-field")
        save = button("Save the list", "success")
        save.add_class("mod-primary")

        @act
        def on_save(_b: Any) -> None:
            problem = set_targets(responses, names.value.splitlines())
            if problem:
                say(problem)
                return
            redraw()

        save.on_click(on_save)
        parts += [names, save, *_offered_targets(responses, names, act)]

    if rnd is not None and not rnd.closed:
        close = button(f"Close round {rnd.number} and show results")
        confirm = ConfirmBox(act)

        @act
        def ask(_b: Any) -> None:
            confirm.ask(
                f"Closing is final: no one can add or change answers in round {rnd.number}"
                " afterwards. You can open a new round later to compare.",
                f"Yes, close round {rnd.number}",
                lambda: (close_round(responses), redraw()),
            )

        close.on_click(ask)
        parts += [close, confirm]
    elif rnd is not None:
        again = button(f"Open round {rnd.number + 1}")

        @act
        def on_open(_b: Any) -> None:
            open_next_round(responses)
            redraw()

        again.on_click(on_open)
        parts += [
            html_box(
                "<p>Run the questionnaire again later (for example in 6 to 12 months) to see"
                " what has changed. Everyone answers afresh; the results compare the two"
                " latest closed rounds.</p>"
            ),
            again,
        ]
    parts.append(message)
    return w.VBox(parts)
