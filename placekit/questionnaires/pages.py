"""The widgets of a questionnaire's pages: thin views over ``questionnaire_exercise``.

Every text from a questionnaire file or typed by a facilitator or respondent goes through
``esc()``; inputs come from ``PageContext.field`` so they load and save themselves.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import ipywidgets as w

from placekit.data.privacy import GroupRule
from placekit.questionnaires.answers import (
    Target,
    answer_label,
    answers_record,
    profile,
    targets,
)
from placekit.questionnaires.model import Dimension, Questionnaire
from placekit.questionnaires.rounds import current, shown_rounds, submitted
from placekit.widgets.html import button, esc, table_html

if TYPE_CHECKING:
    from placekit.web.wizard import PageContext  # the wizard is the layer above

Build = Callable[[Any], w.Widget]


def _paragraphs(text: str) -> str:
    return "".join(f"<p>{esc(p.strip())}</p>" for p in text.split("\n\n") if p.strip())


def _submitted_note(ctx: PageContext, number: int) -> str:
    if not submitted(ctx.responses, number):
        return ""
    ctx.read_only = True  # submitted answers count once and stay as they were
    return (
        '<div class="pk-notice">You have submitted your answers for this round; they can'
        " no longer be changed.</div>"
    )


def anonymity_text(q: Questionnaire, rule: GroupRule) -> str:
    shown = (
        f"counts and averages about at least {rule.k} people, and the spread of answers (such"
        f" as the lowest and highest) about at least {rule.spread_min}"
    )
    if q.anonymity == "anonymous":
        return (
            "Your answers are anonymous: they are stored with no link to you, so no one (your"
            " facilitator, an analyst, or whoever runs the database) can tell which are yours."
            " Your facilitator sees only the group's figures, once the round has closed:"
            f" {shown}. Only you can see your own answers, in this browser or with your"
            " personal link."
        )
    return f"Your facilitator sees the group's figures: {shown}."


def build_start(q: Questionnaire) -> Build:
    def build(ctx: PageContext) -> w.Widget:
        count = len(q.items)
        minutes = max(2, round(count * 0.25 * max(1, len(targets(q, ctx.responses, 1)))))
        dont_know = (
            f" If you cannot judge something, choose “{esc(q.scale.dont_know)}”: it is left"
            " out of every average."
            if q.scale.dont_know
            else ""
        )
        rule = ctx.responses.rule
        three_sixty = (
            "<p>This is a 360. On the next page you get a link for each group of people"
            " you work with: send it to them, and they rate you, anonymously, on the same"
            " statements you rate yourself on. Once enough have answered, you close your"
            " 360 and see how you rate yourself against each group. Only you see those"
            f" results; your facilitator sees only the team's profile, about at least"
            f" {rule.k} people.</p>"
            if q.raters
            else ""
        )
        return ctx.html(
            _paragraphs(q.intro)
            + three_sixty
            + f'<div class="pk-notice"><p>{esc(anonymity_text(q, rule))}</p></div>'
            + f"<p>There are {count} statements, one group per page. It takes about"
            f" {minutes} minutes. Every answer is saved as you give it, so you can stop and"
            f" come back to this link later.{dont_know}</p>"
        )

    return build


def build_about(q: Questionnaire, number: int) -> Build:
    assert q.rate_each is not None
    each = q.rate_each

    def build(ctx: PageContext) -> w.Widget:
        note = _submitted_note(ctx, number)
        rnd = current(ctx.responses)
        listed = list(rnd.targets) if rnd else []
        record = f"r{number}"
        org = ctx.field("profile", record, "org", choices=tuple((name, name) for name in listed))
        partners_box = w.VBox()

        def draw_partners(*_args: Any) -> None:
            own = profile(ctx.responses, number).get("org")
            others = tuple((name, name) for name in listed if name != own)
            partners_box.children = [ctx.field("profile", record, "partners", choices=others)]

        # After the field's own observer has saved the choice, list the other organisations.
        org.children[0].observe(ctx.guard(draw_partners), "value")
        draw_partners()
        return w.VBox(
            [
                ctx.html(
                    note + f"<p>You rate your own {esc(each.label)} first, then each partner"
                    f" you choose. Your choice of {esc(each.label)} is used only to group answers;"
                    f" groups of fewer than {ctx.responses.rule.k} people are never shown.</p>"
                ),
                org,
                partners_box,
            ]
        )

    return build


def stem_for(q: Questionnaire, target: Target) -> str:
    if not target.name:
        return q.stem
    each = q.rate_each
    shown = (
        each.self_name.replace("{target}", target.name)
        if each and (target.perspective == "self")
        else target.name
    )
    return q.stem.replace("{target}", shown)


def build_dimension(q: Questionnaire, number: int, target: Target, dim: Dimension) -> Build:
    def build(ctx: PageContext) -> w.Widget:
        note = _submitted_note(ctx, number)
        record = answers_record(number, target)
        head = note
        if dim.description:
            head += f'<p class="pk-caption">{esc(dim.description)}</p>'
        stem = stem_for(q, target)
        if stem:
            head += f"<p><strong>{esc(stem)}</strong></p>"
        return w.VBox(
            [ctx.html(head), *(ctx.field("answers", record, item.id) for item in dim.items)]
        )

    return build


def build_note(text: str) -> Build:
    def build(ctx: PageContext) -> w.Widget:
        return ctx.html(f'<div class="pk-notice">{esc(text)}</div>')

    return build


def build_reflect(q: Questionnaire, number: int) -> Build:
    def build(ctx: PageContext) -> w.Widget:
        note = _submitted_note(ctx, number)
        caution = (
            "<p>What you write here is shown to your facilitator as written, without your"
            " name, mixed with others' comments, once at least"
            f" {ctx.responses.rule.text_min} people have written one. Leave out anything that"
            " would identify you or anyone else.</p>"
            if q.anonymity == "anonymous"
            else ""
        )
        fields = [ctx.field("profile", f"r{number}", r.id) for r in q.reflections]
        return w.VBox([ctx.html(note + caution), *fields])

    return build


def build_check(q: Questionnaire, number: int) -> Build:
    def build(ctx: PageContext) -> w.Widget:
        responses = ctx.responses
        done = submitted(responses, number)
        parts: list[w.Widget] = []
        if q.rate_each:
            mine = profile(responses, number)
            parts.append(
                ctx.html(
                    f'<table class="pk-table"><tr><th>Your {esc(q.rate_each.label)}</th>'
                    f"<td>{esc(mine.get('org') or 'Not chosen')}</td></tr><tr><th>Partners you"
                    f" rate</th><td>{esc(', '.join(mine.get('partners') or []) or 'None')}"
                    "</td></tr></table>"
                )
            )
            if not done:
                parts.append(
                    _change(ctx, f"r{number}/about", f"your {q.rate_each.label} and partners")
                )
        for target in targets(q, responses, number):
            values = responses.get("answers", answers_record(number, target))
            for dim in q.dimensions:
                title = f"{dim.title}: {target.name}" if target.name else dim.title
                rows = "".join(
                    f"<tr><td>{esc(item.text)}</td><td>{esc(answer_label(q, values.get(item.id)))}"
                    "</td></tr>"
                    for item in dim.items
                )
                parts.append(
                    ctx.html(
                        f"<h3>{esc(title)}</h3>"
                        '<table class="pk-table"><thead><tr><th>Statement</th><th>Your answer'
                        f"</th></tr></thead><tbody>{rows}</tbody></table>"
                    )
                )
                if not done:
                    page = f"r{number}/{target.id or 'all'}/{dim.id}"
                    parts.append(_change(ctx, page, title))
        if q.reflections:
            mine = profile(responses, number)
            titles = {d.id: d.title for d in q.dimensions}

            def shown(value: Any) -> str:
                return titles.get(value, value) if value else "—"

            rows = "".join(
                f"<tr><th>{esc(r.label)}</th><td>{esc(shown(mine.get(r.id)))}</td></tr>"
                for r in q.reflections
            )
            parts.append(ctx.html(f'<h3>Reflect</h3><table class="pk-table">{rows}</table>'))
            if not done:
                parts.append(_change(ctx, f"r{number}/reflect", "your reflections"))
        ending = (
            '<div class="pk-panel">You have submitted your answers. Thank you.</div>'
            if done
            else "<p>When you confirm, your answers are submitted and can no longer be"
            " changed. Each person's answers count once.</p>"
        )
        return w.VBox([*parts, ctx.html(ending)])

    return build


def _change(ctx: PageContext, page_id: str, what: str) -> w.Widget:
    change = button(f"Change {what}")
    change.on_click(ctx.guard(lambda _b: ctx.goto(page_id)))
    return change


def build_results(q: Questionnaire, number: int) -> Build:
    def build(ctx: PageContext) -> w.Widget:
        # Lazy: the scores need pandas, which only this page of a questionnaire does.
        from placekit.questionnaires.results import own_scores, team_table

        responses = ctx.responses
        mine = own_scores(q, responses, number)
        parts = [
            '<div class="pk-panel">Your answers are submitted. Thank you.</div>',
            "<h3>Your own scores</h3><p>Only you can see these: the average of your answers"
            " in each group, after turning round any statement worded the other way.</p>",
            table_html(mine),
        ]
        if any(r.number == number for r in shown_rounds(responses)):
            parts += ["<h3>The group</h3>", table_html(team_table(q, responses, number))]
        else:
            parts.append(
                '<div class="pk-notice">The group’s results are shown to your facilitator'
                " once the round has closed, so that no one’s answers can be worked out while"
                " others are still answering.</div>"
            )
        return ctx.html("".join(parts))

    return build
