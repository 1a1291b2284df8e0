"""The widgets of a 360: the leader's "Invite raters" and results pages, and the pages a
rater sees. Thin views over ``raters`` (and, for the results, ``rater_results``).

Every text from the file, the leader's name and the links go through ``esc()``.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, Any

import ipywidgets as w

from placekit.data.store import ReadOnlyWorkbook
from placekit.exercise import Figure
from placekit.questionnaires.answers import answer_label
from placekit.questionnaires.model import Dimension, Questionnaire
from placekit.questionnaires.raters import (
    RATING,
    Invitation,
    close_subject,
    counts,
    ensure_subject,
    invitations,
    invite_link,
    is_open,
    own_subject,
    pooling_note,
    rating_submitted,
    ratings,
    who_answered,
)
from placekit.widgets.charts import interactive
from placekit.widgets.confirm import ConfirmBox
from placekit.widgets.html import button, esc, table_html

if TYPE_CHECKING:
    from placekit.web.wizard import PageContext  # the wizard is the layer above

Build = Callable[[Any], w.Widget]


def _paragraphs(text: str) -> str:
    return "".join(f"<p>{esc(p.strip())}</p>" for p in text.split("\n\n") if p.strip())


def _answered(q: Questionnaire, ctx: PageContext, number: int) -> str:
    subject = own_subject(ctx.responses, number)
    found = ratings(q, ctx.responses, subject) if subject else []
    lines = who_answered(q, counts(q, found), ctx.responses.rule)
    return "<ul>" + "".join(f"<li>{esc(line)}</li>" for line in lines) + "</ul>"


# -- the leader ------------------------------------------------------------------------------


def build_invite(q: Questionnaire, number: int) -> Build:
    def build(ctx: PageContext) -> w.Widget:
        responses = ctx.responses
        try:
            subject = ensure_subject(responses, number)
        except ReadOnlyWorkbook:
            subject = own_subject(responses, number)
        if subject is None:
            return ctx.html('<div class="pk-notice">This workbook is closed: no 360 can be'
                            " started in it.</div>")  # fmt: skip
        rule = responses.rule
        intro = ctx.html(
            "<p>Ask people who work with you to rate you on the same statements. Send each"
            " group its own link (by email, say): the link says it is your 360 and which"
            " group its raters belong to, never who they are, and they are not asked.</p>"
            '<div class="pk-notice"><p>Your raters are anonymous. You will see only the'
            " average of each group, once you close your 360, and a group of fewer than"
            f" {rule.k} is never shown on its own: it is pooled with others. Anyone with a"
            " link can answer once in each browser, so send it only to the people you"
            " mean.</p></div>"
        )
        name = w.Text(
            value=responses.viewer_name or "",
            description="Your name, as your raters will see it",
            style={"description_width": "initial"},
            layout=w.Layout(width="100%"),
        )
        name.add_class("pk-field")
        hint = ctx.html(
            '<p class="pk-hint">It goes into the links only: PlaceKit does not keep it with'
            " your 360, so no one can match your answers or your ratings to you in the"
            " database.</p>"
        )
        links = ctx.html("")
        answered = ctx.html("")

        def draw_links(*_args: Any) -> None:
            if not is_open(responses, subject):
                links.value = (
                    '<div class="pk-notice">Your 360 for this round has closed: its links take'
                    " no more answers.</div>"
                )
                return
            given = " ".join(name.value.split())
            if not given:
                links.value = (
                    '<p class="pk-error" role="alert">Type your name to see the links.</p>'
                )
                return
            if len(given) > 80:
                links.value = '<p class="pk-error" role="alert">Use 80 characters or fewer.</p>'
                return
            rows = "".join(
                f"<li><h3>{esc(i.group.label)}</h3>"
                + (f'<p class="pk-hint">{esc(i.group.hint)}</p>' if i.group.hint else "")
                + f'<p><code class="pk-invite-link">{esc(invite_link(responses, i, given))}'
                "</code></p></li>"
                for i in invitations(q, subject)
            )
            links.value = f'<h3>Links to send</h3><ul class="pk-invites">{rows}</ul>'

        def draw_answered(*_args: Any) -> None:
            responses.reload()
            answered.value = "<h3>Who has answered</h3>" + _answered(q, ctx, number)

        name.observe(ctx.guard(draw_links), "value")
        again = button("Check for new answers")
        again.on_click(ctx.guard(draw_answered))
        draw_links()
        draw_answered()
        return w.VBox([intro, name, hint, links, answered, again])

    return build


def build_results(q: Questionnaire, number: int) -> Build:
    def build(ctx: PageContext) -> w.Widget:
        # Lazy: the report needs pandas, which only this page of a 360 does.
        from placekit.questionnaires.charts import compass
        from placekit.questionnaires.rater_results import leader_report, prompts

        responses = ctx.responses
        responses.reload()  # raters answer from browsers of their own, after this page began
        rule = responses.rule
        subject = own_subject(responses, number)
        found = ratings(q, responses, subject) if subject else []
        answered = ctx.html("<h3>Who has answered</h3>" + _answered(q, ctx, number))
        if subject is not None and is_open(responses, subject):
            parts: list[w.Widget] = [
                ctx.html(
                    '<div class="pk-panel">Your own answers are submitted. Thank you.</div>'
                    "<p>Your results appear when you close your 360. Until then no figure is"
                    " shown, so that no one's answers can be worked out from how a figure"
                    " changed when they answered. Closing is final: your links then take no"
                    " more answers.</p>"
                ),
                answered,
            ]
            if rule.counts(len(found)):
                close = button("Close my 360 and show my results", "success")
                close.add_class("mod-primary")
                confirm = ConfirmBox(ctx.guard)

                def closed() -> None:
                    close_subject(responses, number)
                    ctx.rebuild()

                close.on_click(
                    ctx.guard(
                        lambda _b: confirm.ask(
                            "Close your 360 now? No one can add or change a rating after"
                            " this, and it cannot be reopened.",
                            "Yes, close my 360",
                            closed,
                        )
                    )
                )
                parts += [close, confirm]
            else:
                parts.append(
                    ctx.html(
                        f"<p>You can close it once at least {rule.k} people have answered:"
                        " with fewer, no figure could be shown.</p>"
                    )
                )
            return w.VBox(parts)
        report = leader_report(q, responses, number)
        if not report.columns:
            return w.VBox(
                [
                    ctx.html(
                        f'<div class="pk-notice">Fewer than {rule.k} people rated you, so no'
                        " figures can be shown: with so few, you could tell who said"
                        " what.</div>"
                    ),
                    answered,
                ]
            )
        names = ", ".join(name for name in report.series if name != "You")
        figure = Figure(
            partial(compass, q, report.series),
            f"Your own score and the mean score of each group of raters ({names}) on each"
            " dimension, as a compass: points near the centre are the lowest. The table"
            " “Each dimension” has the same figures.",
        )
        parts = [
            ctx.html(
                '<div class="pk-panel">Your 360 is closed. These are your results: only you'
                " can see them.</div>"
            ),
            answered,
            ctx.html(
                "<h3>Why some groups are pooled</h3>"
                f"<p>{esc(pooling_note(q, report.columns, rule))}</p>"
                f"<p>Each figure is a mean score from {q.scale.low} to {q.scale.high}; the gap"
                " is your own score minus all your raters' mean, so a positive gap means you"
                " rate yourself higher than they do. A “—” is a figure withheld: the note"
                " beside it says why."
                + (
                    f" “{esc(q.scale.dont_know)}” answers are left out of every mean."
                    if q.scale.dont_know
                    else ""
                )
                + "</p>"
                "<h3>Each dimension</h3>" + table_html(report.dimensions)
            ),
            interactive(figure),
        ]
        flagged = prompts(q, report.flagged)
        if len(flagged):
            parts.append(ctx.html("<h3>Questions to think about</h3>" + table_html(flagged)))
        parts.append(ctx.html("<h3>Each statement</h3>" + table_html(report.statements)))
        return w.VBox(parts)

    return build


# -- a rater ---------------------------------------------------------------------------------


def _fill(text: str, name: str) -> str:
    return text.replace("{subject}", name)


def _sent_note(ctx: PageContext, invite: Invitation) -> str:
    if not rating_submitted(ctx.responses, invite):
        return ""
    ctx.read_only = True  # sent answers count once and stay as they were
    return '<div class="pk-notice">You have sent your answers; they can no longer be changed.</div>'


def rater_start(q: Questionnaire, invite: Invitation, name: str) -> Build:
    assert q.raters is not None
    raters = q.raters

    def build(ctx: PageContext) -> w.Widget:
        rule = ctx.responses.rule
        dont_know = (
            f" If you cannot judge something, choose “{esc(q.scale.dont_know)}”: it is left"
            " out of every average."
            if q.scale.dont_know
            else ""
        )
        minutes = max(2, round(len(q.items) * 0.25))
        return ctx.html(
            _sent_note(ctx, invite)
            + f"<p>You are rating <strong>{esc(name)}</strong>, as one of their"
            f" {esc(invite.group.many)}.</p>"
            + _paragraphs(_fill(raters.intro, name))
            + '<div class="pk-notice"><p>Your answers are anonymous. You are not asked for'
            " your name and none is stored, and no one (not"
            f" {esc(name)}, not the facilitator, not whoever runs the database) can tell"
            f" which answers are yours. {esc(name)} sees only the average of each group of"
            f" raters, once their 360 has closed; a group of fewer than {rule.k} is never"
            " shown on its own but pooled with others.</p></div>"
            + f"<p>There are {len(q.items)} statements, one group per page. It takes about"
            f" {minutes} minutes. Your answers are saved in this browser as you give them, so"
            f" you can stop and come back to this link later.{dont_know}</p>"
        )

    return build


def rater_dimension(q: Questionnaire, invite: Invitation, name: str, dim: Dimension) -> Build:
    assert q.raters is not None
    choices = q.raters.scale.choices()
    stem = _fill(q.raters.stem, name)

    def build(ctx: PageContext) -> w.Widget:
        head = _sent_note(ctx, invite)
        if dim.description:
            head += f'<p class="pk-caption">{esc(dim.description)}</p>'
        head += f"<p><strong>{esc(stem)}</strong></p>"
        fields = [ctx.field(RATING, invite.record, item.id, choices=choices) for item in dim.items]
        return w.VBox([ctx.html(head), *fields])

    return build


def rater_check(q: Questionnaire, invite: Invitation, name: str) -> Build:
    assert q.raters is not None
    labels = dict(q.raters.scale.choices())

    def build(ctx: PageContext) -> w.Widget:
        done = rating_submitted(ctx.responses, invite)
        values = ctx.responses.get(RATING, invite.record)
        parts: list[w.Widget] = []
        for dim in q.dimensions:
            rows = "".join(
                f"<tr><td>{esc(item.text)}</td>"
                f"<td>{esc(labels.get(values.get(item.id), answer_label(q, None)))}</td></tr>"
                for item in dim.items
            )
            parts.append(
                ctx.html(
                    f"<h3>{esc(dim.title)}</h3>"
                    '<table class="pk-table"><thead><tr><th scope="col">Statement</th>'
                    f'<th scope="col">Your answer</th></tr></thead><tbody>{rows}</tbody></table>'
                )
            )
            if not done:
                change = button(f"Change {dim.title}")
                change.on_click(ctx.guard(lambda _b, d=dim: ctx.goto(f"rate/{d.id}")))
                parts.append(change)
        ending = (
            '<div class="pk-panel">You have sent your answers. Thank you.</div>'
            if done
            else f"<p>When you confirm, your answers go into {esc(name)}'s 360, pooled with"
            " the others', and can no longer be changed.</p>"
        )
        return w.VBox([*parts, ctx.html(ending)])

    return build


def rater_sent(q: Questionnaire, invite: Invitation, name: str) -> Build:
    def build(ctx: PageContext) -> w.Widget:
        return ctx.html(
            f'<div class="pk-panel">Thank you. Your answers about {esc(name)} are in.</div>'
            f"<p>{esc(name)} will see them only as part of the average of their"
            f" {esc(invite.group.many)}, or pooled with other raters, once their 360 has"
            " closed. You can close this page.</p>"
        )

    return build
