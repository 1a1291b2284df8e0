"""The pages: thin views that lay out inputs and say what is going on.

Each ``build`` gets a ``PageContext``: ``ctx.field`` makes an input bound to one field of one
record (loaded, saved as it changes, its error beside it), ``RecordList`` keeps a list of
records, ``ctx.html`` shows markup (anything a member typed goes through ``esc``). The
rules are in ``validation`` and ``logic``; what is read is in ``data``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import ipywidgets as w

from placekit import PageContext, RecordList, button, esc, new_record_id, offered, offers
from placekit_reframing import data, logic, validation
from placekit_reframing.schema import LENS_LABELS, MAX_PROBLEMS

Build = Callable[[PageContext], Any]


def _problem_box(problem: dict[str, Any]) -> str:
    heard = problem.get("heard_from")
    return (
        '<div class="pk-notice"><p>The problem, as it is usually put:</p>'
        f"<p><strong>{esc(problem.get('statement', ''))}</strong></p>"
        + (f'<p class="pk-hint">Heard from: {esc(heard)}</p>' if heard else "")
        + "</div>"
    )


def _framing_prompts(text: object) -> str:
    flags = logic.framing_flags(text)
    if not flags:
        return ""
    items = "".join(
        f"<li><strong>“{esc(flag.phrase)}”</strong>: {esc(flag.question)}</li>" for flag in flags
    )
    return f"<p>Some words here carry a frame of their own:</p><ul>{items}</ul>"


def build_nothing(ctx: PageContext) -> w.Widget:
    """Stands in for a step's pages until there is a problem to show them for (the page is
    locked until then, so this is never seen; it keeps the task list whole)."""
    return ctx.html("<p>Add the problem you want to reframe first.</p>")


# -- step 1: the problem ----------------------------------------------------------------------


def build_problems(ctx: PageContext) -> w.Widget:
    intro = ctx.html(
        "<p>Write down the problem the way it is usually put: in a board paper, a service"
        " plan, the local news. Do not improve it yet; reframing starts from the frame"
        " everyone already uses. Everyone in the team sees and can edit this list."
        f" You can add up to {MAX_PROBLEMS}.</p>"
    )
    listed = RecordList(
        ctx,
        "problem",
        noun="problem",
        inputs=lambda pid, number: [
            ctx.field("problem", pid, "statement", label=f"Problem {number}, as it is usually put"),
            ctx.field("problem", pid, "heard_from"),
        ],
        new=lambda: {"statement": "", "heard_from": ""},
        limit=MAX_PROBLEMS,
        confirm=True,
        undo=True,
    )
    return w.VBox([intro, listed, *_suggested_problems(ctx)])


def _suggested_problems(ctx: PageContext) -> list[w.Widget]:
    """Wicked issues another exercise in this workbook has recorded (the triage offers
    them), each with a button that adds it as a problem: suggested, never filled in."""
    problems = data.problems(ctx.responses)
    have = {logic.normalise(p.get("statement")) for p in problems.values()}
    found = [
        o for o in offers(ctx.responses, "wicked issues") if logic.normalise(o.text) not in have
    ]
    if not found or len(problems) >= MAX_PROBLEMS:
        return []
    buttons = []
    for offer in found[:MAX_PROBLEMS]:
        add = button(f"Add “{offer.text}” as a problem")

        def added(_b: Any, offer: Any = offer) -> None:
            ctx.flush()
            record = {"statement": offer.text, "heard_from": f"Recorded in {offer.source}"}
            if ctx.save("problem", new_record_id(), record):
                ctx.rebuild()

        add.on_click(ctx.guard(added))
        buttons.append(add)
    return [
        ctx.html(
            "<h3>Wicked issues your team has recorded</h3><p>From elsewhere in this workbook."
            " A wicked issue is often worth reframing before anyone tries to solve it.</p>"
        ),
        *buttons,
    ]


# -- step 2: whose frame ------------------------------------------------------------------------


def build_lens(problem_id: str) -> Build:
    def build(ctx: PageContext) -> w.Widget:
        problem = data.problems(ctx.responses).get(problem_id, {})
        ctx.read_only = problem_id in data.confirmed(ctx.responses)
        partners = offered(ctx.responses, "organisations")
        hint = (
            '<p class="pk-hint">Partners your team has listed elsewhere in this workbook:'
            f" {esc('; '.join(partners[:12]))}</p>"
            if partners
            else ""
        )
        return w.VBox(
            [
                ctx.html(
                    _problem_box(problem)
                    + "<p>Every framing is somebody's: it decides who the problem belongs"
                    " to and what would count as solving it. Answer for yourself; your team"
                    " sees these answers when it writes reframes.</p>"
                    + _framing_prompts(problem.get("statement"))
                ),
                ctx.field("lens", problem_id, "whose_frame"),
                ctx.field("lens", problem_id, "users_words"),
                ctx.field("lens", problem_id, "partner_words"),
                ctx.html(hint),
                ctx.field("lens", problem_id, "partner"),
            ]
        )

    return build


# -- step 3: reframes -----------------------------------------------------------------------------


def _heard(responses: Any, problem_id: str) -> str:
    """What the team said the people who use the service, and partners, would call it: no
    names, since the point is the words."""
    lenses = [
        records[problem_id]
        for records in responses.all_members("lens").values()
        if problem_id in records
    ]
    users = [str(x.get("users_words") or "").strip() for x in lenses]
    partners = [str(x.get("partner_words") or "").strip() for x in lenses]
    users, partners = [u for u in users if u], [p for p in partners if p]
    if not users and not partners:
        return ""

    def listed(title: str, texts: list[str]) -> str:
        if not texts:
            return ""
        return f"<h3>{esc(title)}</h3><ul>" + "".join(f"<li>{esc(t)}</li>" for t in texts) + "</ul>"

    return (
        '<div class="pk-notice">'
        + listed("What the team said the people who use the service would call it", users)
        + listed("What the team said partners would call it", partners)
        + "</div>"
    )


def build_reframes(problem_id: str) -> Build:
    def build(ctx: PageContext) -> w.Widget:
        responses = ctx.responses
        responses.reload()  # others add reframes from their own pages: read them afresh
        problem = data.problems(responses).get(problem_id, {})
        me = data.my_name(responses)

        def inputs(rid: str, number: int) -> list[w.Widget]:
            by = responses.get("reframe", rid).get("by")
            return [
                ctx.field("reframe", rid, "text", label=f"Reframe {number}: reframed as…"),
                ctx.field("reframe", rid, "possible"),
                ctx.field("reframe", rid, "lens"),
                ctx.html(f'<p class="pk-hint">Written by {esc(by)}</p>' if by else ""),
            ]

        listed = RecordList(
            ctx,
            "reframe",
            noun="reframe",
            where=lambda reframe: reframe.get("problem") == problem_id,
            inputs=inputs,
            new=lambda: {"problem": problem_id, "text": "", "possible": "", "by": me},
            confirm=True,
            undo=True,
        )
        return w.VBox(
            [
                ctx.html(
                    _problem_box(problem)
                    + "<p>Say it another way: from where the people who use the service"
                    " stand, from a partner's side, from what is already strong here. Ask"
                    " of each: what becomes possible if we call it this? Write as many as"
                    " you like; the whole team's reframes are listed here.</p>"
                    + _heard(responses, problem_id)
                ),
                listed,
            ]
        )

    return build


# -- step 4: check your answers ---------------------------------------------------------------


def build_check(ctx: PageContext) -> w.Widget:
    responses = ctx.responses
    done = not validation.locked_until_confirmed(responses)
    rows = []
    changes: list[w.Widget] = []
    for number, (pid, problem) in enumerate(data.problems(responses).items(), 1):
        lens = responses.get("lens", pid)
        answered = sum(bool(str(lens.get(n) or "").strip()) for n in data.LENS_FIELDS)
        count = len(data.reframes(responses, pid))
        rows.append(
            f"<tr><td>{number}. {esc(problem.get('statement', ''))}</td>"
            f"<td>{answered} of {len(data.LENS_FIELDS)}</td>"
            f"<td>{count}</td></tr>"
        )
        for label, target in (
            (f"Change your answers about problem {number}", f"frames/{pid}"),
            (f"Change the reframes of problem {number}", f"reframes/{pid}"),
        ):
            change = button(label)
            change.on_click(ctx.guard(lambda _b, t=target: ctx.goto(t)))
            changes.append(change)
    table = (
        '<table class="pk-table"><caption>Your answers and the team\'s reframes</caption>'
        "<thead><tr><th>Problem</th><th>Questions you answered</th>"
        f"<th>Reframes on the team's list</th></tr></thead><tbody>{''.join(rows)}</tbody></table>"
    )
    after = (
        '<div class="pk-panel">You have confirmed your answers. The vote is open.</div>'
        if done
        else "<p>When you confirm, your answers to the questions are kept as they are and"
        " the vote opens for you. The team can still add reframes; you can come back to"
        " vote on new ones.</p>"
    )
    return w.VBox([ctx.html(table + after), *([] if done else changes)])


# -- step 5: vote ----------------------------------------------------------------------------------


def build_vote(problem_id: str) -> Build:
    def build(ctx: PageContext) -> w.Widget:
        responses = ctx.responses
        responses.reload()  # reframes added since the page loaded are on the ballot too
        problem = data.problems(responses).get(problem_id, {})
        found = data.reframes(responses, problem_id)
        allowed = logic.allowed_votes(len(found))
        items = "".join(
            f"<li><strong>{esc(r.get('text', ''))}</strong><br>"
            f"What becomes possible: {esc(r.get('possible', ''))}</li>"
            for r in found.values()
        )
        votes = "1 vote" if allowed == 1 else f"{allowed} votes"
        return w.VBox(
            [
                ctx.html(
                    _problem_box(problem)
                    + f"<p>You have {votes}. Give them to the reframes that open up most"
                    " possibility: more people who could act, more that could count as"
                    " progress. Only the totals are shown, never who voted for what.</p>"
                    f"<ol>{items}</ol>"
                ),
                ctx.field(
                    "vote",
                    problem_id,
                    "reframes",
                    label=f"Which reframes open up most possibility? Choose up to {allowed}.",
                    choices=tuple((rid, str(r.get("text") or "")) for rid, r in found.items()),
                ),
            ]
        )

    return build


# -- step 6: choose --------------------------------------------------------------------------------


def votes_html(responses: Any, problem_id: str) -> str:
    """The vote so far, or why it is not shown yet (too few voters to keep votes secret)."""
    found = data.reframes(responses, problem_id)
    rule = responses.rule
    voted = data.voters(responses, problem_id)
    if not rule.counts(voted):
        return (
            '<div class="pk-notice">Votes are shown once at least'
            f" {rule.k} members have voted on this problem (so far:"
            f" {esc(rule.head_count(voted))}), so that nobody's vote can be worked out.</div>"
        )
    counts = data.counts(responses, problem_id)
    rows = "".join(
        f"<tr><td>{esc(logic.place_text(r))}</td><td>{esc(found[r.reframe].get('text', ''))}</td>"
        f"<td>{r.votes}</td></tr>"
        for r in logic.ranking(counts)
    )
    return (
        '<table class="pk-table"><caption>The vote'
        f" ({voted} members have voted)</caption><thead><tr><th>Place</th><th>Reframe</th>"
        f"<th>Votes</th></tr></thead><tbody>{rows}</tbody></table>"
    )


def build_choose(problem_id: str) -> Build:
    def build(ctx: PageContext) -> w.Widget:
        responses = ctx.responses
        responses.reload()  # votes arrive from other people's pages: count them afresh
        problem = data.problems(responses).get(problem_id, {})
        found = data.reframes(responses, problem_id)
        shown = responses.rule.counts(data.voters(responses, problem_id))
        counts = data.counts(responses, problem_id)
        order = [r.reframe for r in logic.ranking(counts)] if shown else list(found)

        def label(rid: str) -> str:
            text = str(found[rid].get("text") or "")
            if not shown:
                return text
            return f"{text} ({counts[rid]} vote{'' if counts[rid] == 1 else 's'})"

        return w.VBox(
            [
                ctx.html(
                    _problem_box(problem)
                    + "<p>Agree as a team which reframe to take forward. The vote is a"
                    " guide, not the decision. Anyone in the team can fill this in; if two"
                    " people change it at once, the second is asked which version to keep.</p>"
                    + votes_html(responses, problem_id)
                ),
                ctx.field(
                    "decision",
                    problem_id,
                    "chosen",
                    choices=tuple((rid, label(rid)) for rid in order),
                ),
                ctx.field("decision", problem_id, "why"),
                ctx.field("decision", problem_id, "first_step"),
            ]
        )

    return build


# -- step 7: take it further ---------------------------------------------------------------------


def build_next(ctx: PageContext) -> w.Widget:
    responses = ctx.responses
    responses.reload()  # the team's choices may have been made on other pages
    rows = []
    for pid, problem in data.problems(responses).items():
        picked = data.chosen(responses, pid)
        decision = data.decision(responses, pid)
        rows.append(
            f"<tr><td>{esc(problem.get('statement', ''))}</td>"
            f"<td>{esc(picked.get('text', '')) if picked else 'Not chosen yet'}</td>"
            f"<td>{esc(LENS_LABELS.get(picked.get('lens') or '', '')) if picked else ''}</td>"
            f"<td>{esc(decision.get('first_step', ''))}</td></tr>"
        )
    return ctx.html(
        '<div class="pk-panel"><strong>You have finished reframing.</strong> Your facilitator'
        " can see and download the team's results.</div>"
        '<table class="pk-table"><caption>Your team\'s reframes</caption><thead><tr>'
        "<th>The problem, as it is usually put</th><th>Reframed as</th><th>Comes from</th>"
        f"<th>A first step</th></tr></thead><tbody>{''.join(rows)}</tbody></table>"
        "<p>Other exercises in this workbook can offer your chosen reframes as suggestions,"
        " so nobody has to type them again: an issue for the team to triage, the challenge"
        " in a story of now.</p>"
    )
