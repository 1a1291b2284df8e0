"""Wicked / tame / critical problem triage (Grint), registered as a PlaceKit exercise."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any

import ipywidgets as w

from placekit import (
    Exercise,
    FieldError,
    Page,
    PageContext,
    RecordList,
    Responses,
    Summary,
    button,
    esc,
    field_errors,
    hookimpl,
    new_record_id,
    offers,
    table_html,
)
from placekit_triage import data, schema, suggestions
from placekit_triage.items import (
    DEFINITIONS,
    DIALOGUE_PROMPTS,
    ITEM_IDS,
    ITEMS,
    MODE_FOR_TYPE,
    TYPE_LABELS,
)

PLACEKIT_API = 1


# -- validation (pure) --------------------------------------------------------------------


def validate_issues(responses: Responses) -> list[FieldError]:
    found = data.issues(responses)
    errors: list[FieldError] = []
    for number, (issue_id, issue) in enumerate(found.items(), 1):
        if not str(issue.get("title") or "").strip():
            errors.append(FieldError(f"Enter a title for issue {number}", f"{issue_id}.title"))
        else:
            errors += field_errors(responses, "issue", issue_id, ["title"], f"Issue {number} – ")
    titles = [" ".join(str(v.get("title", "")).lower().split()) for v in found.values()]
    for number, (issue_id, title) in enumerate(zip(found, titles, strict=True), 1):
        if title and titles.index(title) != number - 1:
            errors.append(
                FieldError(
                    f"Issue {number} – this issue is already on the list",
                    field=f"{issue_id}.title",
                )
            )
    if len(found) < schema.MIN_ISSUES:
        errors.append(FieldError(f"Add at least {schema.MIN_ISSUES} issues ({len(found)} so far)"))
    if len(found) > schema.MAX_ISSUES:
        errors.append(FieldError(f"Keep to {schema.MAX_ISSUES} issues or fewer"))
    return errors


def validate_mode(responses: Responses) -> list[FieldError]:
    return field_errors(responses, "mode", "me", ["preferred_mode", "confidence"])


def validate_gut(responses: Responses) -> list[FieldError]:
    errors = []
    for issue_id, issue in data.issues(responses).items():
        if responses.get("call", issue_id).get("gut_call") not in schema.GUT_TYPES:
            errors.append(
                FieldError(
                    f"Give your gut call for “{issue.get('title', '')}”",
                    field=f"{issue_id}.gut_call",
                )
            )
    return errors


def validate_diagnosis(issue_id: str) -> Callable[[Responses], list[FieldError]]:
    def check(responses: Responses) -> list[FieldError]:
        return field_errors(responses, "call", issue_id, ITEM_IDS)

    return check


def validate_check(responses: Responses) -> list[FieldError]:
    errors = validate_gut(responses)
    for issue_id, issue in data.issues(responses).items():
        if not data.answered(responses.get("call", issue_id)):
            errors.append(
                FieldError(f"Answer every diagnostic question for “{issue.get('title', '')}”")
            )
    return errors


def validate_dialogue(responses: Responses) -> list[FieldError]:
    from placekit_triage import results  # lazy: pandas, only once a member has confirmed

    errors = []
    for issue_id in results.flagged_issue_ids(responses):
        call = responses.get("call", issue_id)
        if call.get("revised_call") and not call.get("revision_reason"):
            errors.append(
                FieldError(
                    "Say what changed your mind, or clear your revised call",
                    field=f"{issue_id}.revision_reason",
                )
            )
    return errors


def validate_decision(issue_id: str) -> Callable[[Responses], list[FieldError]]:
    def check(responses: Responses) -> list[FieldError]:
        errors = field_errors(
            responses, "decision", issue_id, ["agreed_type", "mode", "response_summary"]
        )
        decision = responses.get("decision", issue_id)
        kind = decision.get("agreed_type")
        if kind == "critical" and not decision.get("command_time_limit"):
            errors.append(
                FieldError(
                    "For a critical issue, set when command mode should be stood down",
                    field=f"{issue_id}.command_time_limit",
                )
            )
        if kind in ("wicked", "mixed") and not decision.get("questions_to_ask"):
            errors.append(
                FieldError(
                    "For a wicked issue, list at least one question to ask",
                    field=f"{issue_id}.questions_to_ask",
                )
            )
        if kind == "mixed" and not decision.get("tame_components"):
            errors.append(
                FieldError(
                    "List the parts with a known fix, and who owns each",
                    field=f"{issue_id}.tame_components",
                )
            )
        return errors

    return check


def locked_until_issues(responses: Responses) -> str | None:
    if len(data.issues(responses)) < schema.MIN_ISSUES:
        return f"The team needs at least {schema.MIN_ISSUES} issues on the list first."
    return None


def locked_until_confirmed(responses: Responses) -> str | None:
    late = data.late_issues(responses)
    if late:
        # The team's results would show others' answers on an issue this member has still
        # to answer blind.
        return (
            f"{late_message(late)} Give your gut call and answer the questions for it, then"
            " confirm on the “Check your answers” page to see the team's results again."
        )
    if not data.has_confirmed_all(responses):
        return "Confirm your answers on the “Check your answers” page first."
    return None


def late_message(late: dict[str, dict[str, Any]]) -> str:
    """Why a member who had confirmed is asked again: the issues added since (plain text)."""
    titles = [f"“{issue.get('title', '')}”" for issue in late.values()]
    if len(titles) == 1:
        return f"A new issue was added after you confirmed: {titles[0]}."
    return f"New issues were added after you confirmed: {', '.join(titles)}."


def confirm_answers(responses: Responses) -> None:
    entry = responses.entry("submission", "answers")
    responses.save(
        "submission",
        "answers",
        {
            "issues": list(data.issues(responses)),
            "confirmed_at": dt.datetime.now(dt.UTC).isoformat(),
        },
        base_version=entry.version if entry else 0,
    )


# -- pages (thin views) -------------------------------------------------------------------


def build_issues(ctx: PageContext) -> w.Widget:
    late = data.late_issues(ctx.responses)
    intro = ctx.html(
        (late_notice(late, asked_here=False) if late else "")
        + "<p>List the issues facing your place that the team wants to triage: between"
        f" {schema.MIN_ISSUES} and {schema.MAX_ISSUES}. Everyone in the team sees and can"
        " edit this list.</p>"
    )
    issues = RecordList(
        ctx,
        "issue",
        noun="issue",
        inputs=lambda issue_id, number: [
            ctx.field("issue", issue_id, "title", label=f"Issue {number}"),
            ctx.field("issue", issue_id, "description"),
        ],
        new=lambda: {"title": "", "description": ""},
        limit=schema.MAX_ISSUES,
        reorder=True,
    )
    return w.VBox([intro, issues, *suggested_issues(ctx, issues)])


def suggested_issues(ctx: PageContext, issues: RecordList) -> list[w.Widget]:
    """The reframes another exercise in this workbook offers (reframing's chosen ones),
    each with a button that adds it as an issue: suggested, never filled in."""
    found = suggestions.suggestions(offers(ctx.responses, "reframes"), data.issues(ctx.responses))
    if not found:
        return []
    heading = ctx.html(
        "<h3>Reframes your team has chosen</h3><p>From elsewhere in this workbook. A problem"
        " put a new way can be worth triaging as it is now framed.</p>"
    )
    if len(issues.records) >= schema.MAX_ISSUES:
        listed = "".join(f"<li>{esc(s.text)}</li>" for s in found)
        return [
            heading,
            ctx.html(
                f"<ul>{listed}</ul><p>The list already has {schema.MAX_ISSUES} issues:"
                " remove one to add a reframe.</p>"
            ),
        ]
    parts: list[w.Widget] = [heading]
    for suggestion in found:
        add = button(f"Add “{suggestion.title}” as an issue")
        add.on_click(ctx.guard(lambda _b, s=suggestion: issues.add(s.issue())))
        parts.append(add)
        if suggestion.cut:
            parts.append(
                ctx.html(
                    '<p class="pk-hint">This reframe is longer than an issue\'s title can be'
                    f" ({suggestions.TITLE_LIMIT} characters): the title is cut, and the whole"
                    " reframe goes into the issue's description.</p>"
                )
            )
    return parts


def build_mode(ctx: PageContext) -> w.Widget:
    late = data.late_issues(ctx.responses)
    return w.VBox(
        [
            ctx.html(
                (late_notice(late, asked_here=False) if late else "")
                + "<p>This is about you, not the issues. Only the team's pattern is shared,"
                " never your own answer.</p>"
            ),
            ctx.field("mode", "me", "preferred_mode", slot="me.preferred_mode"),
            ctx.field("mode", "me", "confidence", slot="me.confidence"),
        ]
    )


def definitions_html(kinds: Sequence[str] = schema.GUT_TYPES) -> str:
    """What tame, wicked and critical mean, with an example and the authority each calls
    for (after Grint), so everyone's call uses the same words."""
    rows = "".join(
        f"<dt>{esc(TYPE_LABELS[d.type])}</dt><dd>{esc(d.meaning)} For example,"
        f" {esc(d.example)} <em>Calls for {esc(d.authority[0].lower() + d.authority[1:])}</em>"
        "</dd>"
        for d in DEFINITIONS
        if d.type in kinds
    )
    return (
        f'<div class="pk-notice"><h3>What the words mean</h3><dl class="pk-terms">{rows}</dl></div>'
    )


def late_notice(late: dict[str, dict[str, Any]], asked_here: bool = True) -> str:
    """Why the member is back, on whichever page they land (the one they left may be any)."""
    them = "it" if len(late) == 1 else "them"
    then = (
        f"You are asked about {them} alone"
        if asked_here
        else f"Continue to “Your gut call” to answer for {them} alone"
    )
    return (
        f'<div class="pk-notice" role="status"><p><strong>{esc(late_message(late))}</strong>'
        f" {then}: your answers on the other issues were confirmed and stay as they were.</p>"
        "</div>"
    )


def build_gut(ctx: PageContext) -> w.Widget:
    late = data.late_issues(ctx.responses)
    ctx.read_only = not late and not locked_until_confirmed(ctx.responses)
    parts: list[w.Widget] = [
        ctx.html(
            (late_notice(late) if late else "")
            + "<p>Before any questions: for each issue, is it tame, wicked or critical? Go"
            " with your first instinct. No one sees your answers until you confirm them.</p>"
            + definitions_html()
        )
    ]
    # A member asked about a late issue sees that issue only: the rest are confirmed.
    for issue_id, issue in (late or data.issues(ctx.responses)).items():
        parts.append(ctx.field("call", issue_id, "gut_call", label=issue.get("title", "")))
    return w.VBox(parts)


def build_diagnosis(issue_id: str) -> Callable[[Any], w.Widget]:
    def build(ctx: PageContext) -> w.Widget:
        late = data.late_issues(ctx.responses)
        ctx.read_only = issue_id in data.confirmed(ctx.responses)
        issue = data.issues(ctx.responses).get(issue_id, {})
        parts: list[w.Widget] = [
            ctx.html(
                (late_notice(late) if issue_id in late else "")
                + f"<p>About <strong>{esc(issue.get('title', ''))}</strong>.</p>"
                + (f"<p>{esc(issue['description'])}</p>" if issue.get("description") else "")
            ),
            ctx.html("<h3>Is it critical?</h3>"),
        ]
        for item in ITEMS:
            if item.id == "W1":
                parts.append(ctx.html("<h3>Is it tame or wicked?</h3>"))
            parts.append(ctx.field("call", issue_id, item.id))
        parts.append(ctx.field("call", issue_id, "comment"))
        return w.VBox(parts)

    return build


def build_check(ctx: PageContext) -> w.Widget:
    responses = ctx.responses
    late = data.late_issues(responses)
    done = data.confirmed(responses)
    rows = []
    changes: list[w.Widget] = []
    for number, (issue_id, issue) in enumerate(data.issues(responses).items(), 1):
        call = responses.get("call", issue_id)
        count = sum(call.get(i) in (0, 1, 2) for i in ITEM_IDS)
        rows.append(
            f"<tr><td>{number}. {esc(issue.get('title', ''))}</td>"
            f"<td>{esc(TYPE_LABELS.get(call.get('gut_call') or '', 'Not given'))}</td>"
            f"<td>{count} of {len(ITEM_IDS)}</td>"
            # Only once some are confirmed does the member need telling which.
            + (
                f"<td>{'Confirmed' if issue_id in done else 'Not confirmed yet'}</td>"
                if late
                else ""
            )
            + "</tr>"
        )
        if issue_id not in done:
            change = button(f"Change answers for issue {number}")
            change.on_click(ctx.guard(lambda _b, i=issue_id: ctx.goto(f"diagnose/{i}")))
            changes.append(change)
    gut = button("Change gut call" if len(late) == 1 else "Change gut calls")
    gut.on_click(ctx.guard(lambda _b: ctx.goto("gut")))
    finished = not locked_until_confirmed(responses)
    if finished:
        note = '<div class="pk-panel">You have confirmed your answers.</div>'
    elif late:
        note = (
            f"<p>{esc(late_message(late))} When you confirm, your answers on it are locked too"
            " and you will see the team's classifications again.</p>"
        )
    else:
        note = (
            "<p>When you confirm, your answers are locked and you will see the team's"
            " classifications.</p>"
        )
    return w.VBox(
        [
            ctx.html(
                '<table class="pk-table"><thead><tr><th>Issue</th><th>Gut call</th>'
                "<th>Questions answered</th>"
                + ("<th>Your answers</th>" if late else "")
                + "</tr></thead>"
                f"<tbody>{''.join(rows)}</tbody></table>{note}"
            ),
            *([] if finished else [gut, *changes]),
        ]
    )


def build_reveal(ctx: PageContext) -> w.Widget:
    from placekit_triage import results  # lazy, as in validate_dialogue

    responses = ctx.responses
    scored, team = results.team_table(responses)
    mine = scored[scored["member_id"] == responses.member]
    titles = {k: v.get("title", "") for k, v in data.issues(responses).items()}
    own = [
        f"<tr><td>{esc(titles.get(r.issue_id, ''))}</td>"
        f"<td>{esc(TYPE_LABELS.get(r.gut_call, ''))}</td>"
        f"<td>{esc(TYPE_LABELS[r.computed_type])}</td>"
        f"<td>{esc(MODE_FOR_TYPE[r.computed_type].capitalize())}</td></tr>"
        for r in mine.itertuples()
    ]
    said = "".join(f"<p>{esc(s)}</p>" for s in results.agreement(responses, scored).sentences())
    return w.VBox(
        [
            ctx.html(
                "<h3>Your classifications</h3>"
                '<table class="pk-table"><thead><tr><th>Issue</th><th>Your gut call</th>'
                "<th>Your answers point to</th><th>Which calls for</th></tr></thead>"
                f"<tbody>{''.join(own)}</tbody></table>"
                + definitions_html(("tame", "mixed", "wicked", "critical"))
                + f"<h3>The team so far</h3>{said}<p>Come back to this page to see later"
                " answers.</p>" + table_html(team)
            )
        ]
    )


def build_dialogue(ctx: PageContext) -> w.Widget:
    from placekit_triage import results  # lazy, as in validate_dialogue

    responses = ctx.responses
    flagged = results.flagged_issue_ids(responses)
    titles = {k: v.get("title", "") for k, v in data.issues(responses).items()}
    prompts = "".join(f"<li>{esc(p)}</li>" for p in DIALOGUE_PROMPTS)
    if not flagged:
        return ctx.html(
            '<div class="pk-notice">No issue has been flagged for disagreement so far.'
            " Continue to agree the team's response.</div>"
        )
    parts: list[w.Widget] = [
        ctx.html(f"<p>Talk these issues through as a team. Prompts:</p><ul>{prompts}</ul>")
    ]
    for issue_id in flagged:
        parts += [
            ctx.html(f"<h3>{esc(titles.get(issue_id, ''))}</h3>"),
            ctx.field("call", issue_id, "revised_call"),
            ctx.field("call", issue_id, "revision_reason"),
        ]
    return w.VBox(parts)


def build_decision(issue_id: str) -> Callable[[Any], w.Widget]:
    def build(ctx: PageContext) -> w.Widget:
        issue = data.issues(ctx.responses).get(issue_id, {})
        names = [
            "agreed_type",
            "mode",
            "response_summary",
            "tame_components",
            "questions_to_ask",
            "who_to_involve",
            "hierarchist",
            "egalitarian",
            "individualist",
            "fatalist_concerns",
            "command_time_limit",
        ]
        fields = [ctx.field("decision", issue_id, name) for name in names]
        at = names.index("who_to_involve") + 1
        return w.VBox(
            [
                ctx.html(
                    f"<p>Agree as a team how to treat <strong>{esc(issue.get('title', ''))}"
                    "</strong>. Anyone in the team can fill this in; if two people change it at"
                    " once, the second is asked which version to keep.</p>"
                ),
                *fields[:at],
                ctx.html(involve_suggestions(ctx.responses)),
                *fields[at:],
            ]
        )

    return build


def involve_suggestions(responses: Responses) -> str:
    """Stakeholders another exercise in this workbook (the ally map) has recorded, offered
    for "who must be involved" so the team does not type them twice."""
    from placekit import offered

    names = offered(responses, "stakeholders")
    if not names:
        return ""
    return (
        '<p class="pk-hint">Stakeholders your team has mapped elsewhere in this workbook:'
        f" {esc('; '.join(names[:20]))}</p>"
    )


def wicked_issues(responses: Responses) -> list[str]:
    """Issues the team agreed are wicked or mixed, offered to other exercises as
    ``"wicked issues"`` (an ally map or a story of now can start from one)."""
    titles = {k: v.get("title", "") for k, v in data.issues(responses).items()}
    return [
        titles[issue_id]
        for issue_id, decision in responses.records("decision").items()
        if decision.get("agreed_type") in ("wicked", "mixed") and titles.get(issue_id)
    ]


def build_revisit(ctx: PageContext) -> w.Widget:
    from placekit_triage import results  # lazy, as in validate_dialogue

    return w.VBox(
        [
            ctx.html(
                '<div class="pk-panel"><strong>You have finished the triage.</strong>'
                " Your facilitator can download the team's results.</div>"
                "<p>Classifications change: a crisis can settle into a wicked problem. Set a"
                " date for the team to look again.</p>"
            ),
            ctx.field("review", "team", "revisit_on", slot="team.revisit_on"),
            ctx.html(table_html(results.decision_table(ctx.responses), "Your team's decisions")),
        ]
    )


class Triage(Exercise):
    id = "triage"
    title = "Wicked, tame or critical?"
    summary = (
        "Classify the issues facing your place as tame, wicked or critical (Keith Grint),"
        " see where the team disagrees, and agree the kind of response each needs."
    )
    anonymity = "optional"
    kinds = schema.KINDS
    primary_kind = "call"
    steps = (
        ("issues", "List issues"),
        ("mode", "Your preferred mode"),
        ("gut", "Gut call"),
        ("diagnose", "Diagnostic questions"),
        ("check", "Check your answers"),
        ("reveal", "Reveal"),
        ("dialogue", "Talk through differences"),
        ("decide", "Agree type and response"),
        ("revisit", "Finish and revisit"),
    )
    # What the team thinks, its differences, the agreed response and the finish (beside
    # what the diagnosis said) all show the team's calls: in a live session they wait for
    # the room's Reveal.
    held_until_revealed = dict.fromkeys(("reveal", "dialogue", "decide", "revisit"), "reveal")

    def pages(self, responses: Responses) -> Sequence[Page]:
        issues = data.issues(responses)
        pages = [
            Page("issues", "issues", "What issues face your place?", build_issues, validate_issues),
            Page("mode", "mode", "Your preferred mode", build_mode, validate_mode),
            Page("gut", "gut", "Your gut call", build_gut, validate_gut, locked_until_issues),
        ]
        # A member asked about issues added after they confirmed goes through those alone.
        late = data.late_issues(responses)
        asked = late or issues
        for number, issue_id in enumerate(asked, 1):
            which = "new issue" if late else "issue"
            pages.append(
                Page(
                    f"diagnose/{issue_id}",
                    "diagnose",
                    f"Diagnostic questions: {which} {number} of {len(asked)}",
                    build_diagnosis(issue_id),
                    validate_diagnosis(issue_id),
                    locked_until_issues,
                )
            )
        if not issues:
            pages.append(
                Page(
                    "diagnose",
                    "diagnose",
                    "Diagnostic questions",
                    build_gut,
                    validate_gut,
                    locked_until_issues,
                )
            )
        pages += [
            Page(
                "check",
                "check",
                "Check your answers",
                build_check,
                validate_check,
                locked_until_issues,
                confirm=None if data.has_confirmed_all(responses) else confirm_answers,
            ),
            Page(
                "reveal",
                "reveal",
                "What the team thinks",
                build_reveal,
                locked=locked_until_confirmed,
            ),
            Page(
                "dialogue",
                "dialogue",
                "Talk through differences",
                build_dialogue,
                validate_dialogue,
                locked_until_confirmed,
            ),
        ]
        for number, issue_id in enumerate(issues, 1):
            pages.append(
                Page(
                    f"decide/{issue_id}",
                    "decide",
                    f"Agree type and response: issue {number} of {len(issues)}",
                    build_decision(issue_id),
                    validate_decision(issue_id),
                    locked_until_confirmed,
                )
            )
        pages.append(
            Page(
                "revisit",
                "revisit",
                "Finish and revisit",
                build_revisit,
                locked=locked_until_confirmed,
            )
        )
        return pages

    def summarise(self, responses: Responses) -> Summary:
        from placekit_triage import results  # lazy, as in validate_dialogue

        return results.summarise(responses)

    def revealed(self, step: str, responses: Responses) -> Summary | None:
        from placekit_triage import results  # lazy, as in summarise

        return results.revealed(responses, step)

    def provides(self) -> dict[str, Callable[[Responses], list[str]]]:
        return {"wicked issues": wicked_issues}

    def seed_demo(self, respond: Callable[[str | None], Responses], members: list[str]) -> None:
        team = respond(None)
        ids = []
        for title, description in DEMO_ISSUES:
            ids.append(new_record_id())
            team.save("issue", ids[-1], {"title": title, "description": description}, 0)
        for member, (mode, answers) in zip(members, DEMO_ANSWERS, strict=False):
            mine = respond(member)
            mine.save("mode", "me", {"preferred_mode": mode, "confidence": 4}, 0)
            for issue_id, (gut, values) in zip(ids, answers, strict=True):
                mine.save(
                    "call",
                    issue_id,
                    {"gut_call": gut, **dict(zip(ITEM_IDS, values, strict=True))},
                    0,
                )
            confirm_answers(mine)


DEMO_ISSUES = (
    ("Winter pressures on A&E", "Ambulance handovers are backing up at the hospital."),
    ("Rough sleeping in the town centre", "Numbers have doubled in two years."),
    ("Missed bin collections on the estate", "Complaints after the new rota started."),
)
DEMO_ANSWERS = (
    (
        "command",
        [
            ("critical", (2, 2, 2, 1, 1, 1, 1, 2, 2, 1, 1, 1)),
            ("wicked", (0, 0, 0, 2, 2, 2, 2, 2, 2, 2, 2, 2)),
            ("tame", (0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0)),
        ],
    ),
    (
        "leadership",
        [
            ("wicked", (1, 1, 0, 1, 2, 1, 1, 2, 2, 1, 2, 1)),
            ("wicked", (0, 1, 0, 2, 2, 2, 2, 2, 2, 2, 2, 2)),
            ("tame", (0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0)),
        ],
    ),
)


@hookimpl
def register_exercises(register: Callable[[Exercise], None]) -> None:
    register(Triage())
