"""The ally map exercise (section E): pages as thin views over ``data`` and ``classify``."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

import ipywidgets as w

from placekit import (
    Exercise,
    FieldError,
    Figure,
    Page,
    PageContext,
    RecordList,
    Responses,
    Summary,
    button,
    chart_with_table,
    esc,
    field_errors,
    interactive_chart,
    new_record_id,
    offered,
    table_html,
)
from placekit_relationships import classify, data, schema

MAX_STAKEHOLDERS = 40
MAX_TIES = 80

REFLECTION_PROMPTS = (
    "Who could block this that I haven't spoken to?",
    "When did I last hold back information to win a point?",
    "Whose agenda do I not yet understand, and who could explain it to me?",
    "When I felt thwarted on this, what did I do next, and would I be happy for everyone"
    " to see it?",
)


def _chart(name: str, *args: Any, description: str, table: str = "") -> Figure:
    """One of ``figures``' charts, drawn once it is on screen."""

    def draw() -> Any:
        # Lazy: Altair takes seconds to import, and every page's kernel loads every plugin.
        from placekit_relationships import figures

        return getattr(figures, name)(*args)

    return Figure(draw, description, table)


POWER_INTEREST = (
    "Each rated stakeholder placed by their interest in the change (across) and their power"
    " over it (up), coloured by stance and sized by the strength of the team's relationship."
    " The ally table has the same figures."
)
POWER_MAP = (
    "The change at the centre, the inner circle (formal power) round it and the outer circle"
    " (influence) beyond, with lines for the ties between people. The power map table has"
    " the same information."
)
MOVEMENT = (
    "Each stakeholder's stance over time, from against (−2) to for (+2). The movement table"
    " has the same figures."
)


# -- validation and locks (pure) -----------------------------------------------------------


def validate_change(responses: Responses) -> list[FieldError]:
    return field_errors(responses, "change", "main", ["statement"])


def validate_reflect(responses: Responses) -> list[FieldError]:
    # Never blocks: a reflection is invited, not demanded, and the task list (which the
    # facilitator's completion table shows) must not tell anyone whether one was written.
    return []


def validate_stakeholders(responses: Responses) -> list[FieldError]:
    found = data.stakeholders(responses)
    errors: list[FieldError] = []
    for number, (sid, s) in enumerate(found.items(), 1):
        label = s.get("name") or f"stakeholder {number}"
        errors += field_errors(
            responses, "stakeholder", sid, ["name", "kind", "circle"], f"{label} – "
        )
    if not found:
        errors.append(FieldError("Add at least one stakeholder"))
    return errors


def validate_rating(sid: str) -> Callable[[Responses], list[FieldError]]:
    def check(responses: Responses) -> list[FieldError]:
        errors = field_errors(responses, "stakeholder", sid, list(data.RATINGS))
        seen = responses.get("observed", sid)
        rated = seen.get("reading") is not None or seen.get("carrying") is not None
        if rated and not str(seen.get("evidence") or "").strip():
            errors.append(
                FieldError(
                    "Say what you saw that makes you rate their behaviour, or clear the rating",
                    field=f"{sid}.evidence",
                )
            )
        return errors

    return check


def validate_ties(responses: Responses) -> list[FieldError]:
    errors: list[FieldError] = []
    ends = {value for value, _ in data.tie_choices(responses)}
    for number, (tid, t) in enumerate(responses.records("tie").items(), 1):
        errors += field_errors(responses, "tie", tid, ["kind", "strength"], f"Tie {number} – ")
        for end in ("source", "target"):
            if t.get(end) not in ends:
                errors.append(FieldError(f"Tie {number} – choose who", field=f"{tid}.{end}"))
        if t.get("source") and t.get("source") == t.get("target"):
            errors.append(
                FieldError(f"Tie {number} – choose two different people", field=f"{tid}.target")
            )
    return errors


def validate_plan(sid: str) -> Callable[[Responses], list[FieldError]]:
    def check(responses: Responses) -> list[FieldError]:
        errors = field_errors(responses, "plan", sid, ["bridge", "approach"])
        if responses.get("plan", sid).get("owner") not in data.member_names(responses):
            errors.append(
                FieldError("Who owns this relationship: this is required", f"{sid}.owner")
            )
        return errors

    return check


def locked_until_stakeholders(responses: Responses) -> str | None:
    if not data.named(responses):
        return "The team needs to list at least one stakeholder first."
    return None


def locked_until_rated(responses: Responses) -> str | None:
    # Who is in ``data.classified``, asked without building the table (and paying pandas).
    if not any(data.is_rated(s) for s in data.named(responses).values()):
        return "Rate at least one stakeholder first."
    return None


# -- pages (thin views) --------------------------------------------------------------------


def build_change(ctx: PageContext) -> w.Widget:
    responses = ctx.responses
    issues = offered(responses, "wicked issues")
    current = responses.get("change", "main").get("issue")
    parts: list[w.Widget] = [
        ctx.html(
            "<p>Who are our allies, who needs to be, and how do we build those relationships?"
            " Start with the change itself. Everyone in the team shares this map.</p>"
        ),
        ctx.field("change", "main", "statement", slot="main.statement"),
    ]
    options = tuple((i, i) for i in issues) + (("", "None of these"),)
    if issues or current:
        if current and current not in issues:
            options = ((current, current), *options)
        parts.append(
            ctx.field(
                "change",
                "main",
                "issue",
                label="Is this about one of the wicked issues from your triage? (optional)",
                choices=tuple((v, label) for v, label in options),
                slot="main.issue",
            )
        )
    return w.VBox(parts)


def self_point(responses: Responses) -> str:
    """What the member's own position means, in words (the chart's text alternative)."""
    mine = responses.get("self_position", "me")
    where = classify.political_quadrant(mine.get("reading"), mine.get("carrying"))
    if where is None:
        return "<p>Choose both ratings to see where you placed yourself.</p>"
    return (
        f'<div class="pk-notice"><p>On this change you placed yourself at reading'
        f" {mine['reading']}, carrying {mine['carrying']}: closest to the"
        f" <strong>{esc(where)}</strong> ({esc(classify.POLITICAL[where].lower())}).</p>"
        "<p>These are behaviours people adopt in situations, not types: everyone moves"
        " between them. What would move you towards the owl here?</p></div>"
    )


def build_reflect(ctx: PageContext) -> w.Widget:
    prompts = "".join(f"<li>{esc(p)}</li>" for p in REFLECTION_PROMPTS)
    result = ctx.html(self_point(ctx.responses))
    chart = w.VBox()

    def draw(_change: Any = None) -> None:
        mine = ctx.responses.get("self_position", "me")
        result.value = self_point(ctx.responses)
        if mine.get("reading") and mine.get("carrying"):
            point = {"who": "You", "reading": mine["reading"], "carrying": mine["carrying"]}
            where = _chart(
                "political_grid",
                [point],
                description="Where you placed yourself: reading the politics (across) and"
                " acting with integrity (up), over the owl, fox, sheep and donkey quadrants.",
            )
            chart.children = [interactive_chart(where)]

    inputs = [
        ctx.field("self_position", "me", "reading", slot="me.reading"),
        ctx.field("self_position", "me", "carrying", slot="me.carrying"),
    ]
    for box in inputs:
        box.children[0].observe(ctx.guard(draw), "value")
    draw()
    return w.VBox(
        [
            ctx.html(
                '<div class="pk-panel">Only you can see this page and what you put on it: not'
                " your team, not your facilitator, and it is never exported.</div>"
                "<p>Reading is how well you read the politics of this change: decisions,"
                " formal and informal power, agendas, what is not being said. Carrying is"
                " what you bring in yourself: whether you act with integrity or get drawn"
                f" into games. Some questions to sit with:</p><ul>{prompts}</ul>"
            ),
            *inputs,
            ctx.field("self_position", "me", "reflection", slot="me.reflection"),
            result,
            chart,
        ]
    )


def build_stakeholders(ctx: PageContext) -> w.Widget:
    responses = ctx.responses
    found = data.stakeholders(responses)
    rows: list[w.Widget] = [
        ctx.html(
            "<p>List the people, roles, organisations and groups relevant to the change:"
            " residents' groups and politicians too. Put each in the <strong>inner"
            " circle</strong> if they hold formal power to decide, or the <strong>outer"
            " circle</strong> if they influence those who do. The whole team shares this"
            " list.</p>"
        )
    ]
    suggestions = offered(responses, "organisations")
    have = {str(s.get("name") or "").casefold() for s in found.values()}
    suggestions = [s for s in suggestions if s.casefold() not in have]
    listed = RecordList(
        ctx,
        "stakeholder",
        noun="stakeholder",
        inputs=lambda sid, number: [
            ctx.field("stakeholder", sid, "name", label=f"Stakeholder {number} name"),
            ctx.field("stakeholder", sid, "kind", label=f"Stakeholder {number} is"),
            ctx.field(
                "stakeholder", sid, "organisation", label=f"Stakeholder {number} organisation"
            ),
            ctx.field("stakeholder", sid, "circle", label=f"Stakeholder {number} circle"),
        ],
        new=lambda: {"name": "", "kind": None},
        limit=MAX_STAKEHOLDERS,
    )
    rows.append(listed)
    if suggestions:
        rows.append(
            ctx.html(
                "<h3>Organisations your workbook already names</h3><p>From the team's other"
                " exercises. Add any that matter to this change.</p>"
            )
        )
        for name in suggestions[:12]:
            offer = button(f"Add {name}")
            offer.on_click(
                ctx.guard(lambda _b, name=name: listed.add({"name": name, "kind": "organisation"}))
            )
            rows.append(offer)
    return w.VBox(rows)


def build_rating(sid: str) -> Callable[[Any], w.Widget]:
    def build(ctx: PageContext) -> w.Widget:
        s = data.stakeholders(ctx.responses).get(sid, {})
        where = schema.CIRCLE_LABELS.get(s.get("circle") or "", "")
        return w.VBox(
            [
                ctx.html(
                    f"<p>How the team sees <strong>{esc(s.get('name', ''))}</strong>"
                    f" ({esc(where.lower())}) in relation to this change.</p>"
                ),
                *(ctx.field("stakeholder", sid, n) for n in (*data.RATINGS, "matters")),
                ctx.html(
                    "<h3>Optional: behaviour seen in this situation</h3>"
                    '<p class="pk-hint">For the team only: never shown to the facilitator or'
                    " put in an export. Rate only what you have seen them do on this change,"
                    " with the evidence; people behave differently in different"
                    " situations.</p>"
                ),
                ctx.field("observed", sid, "reading"),
                ctx.field("observed", sid, "carrying"),
                ctx.field("observed", sid, "evidence"),
            ]
        )

    return build


def build_ties(ctx: PageContext) -> w.Widget:
    responses = ctx.responses
    choices = data.tie_choices(responses)
    intro = ctx.html(
        "<p>Who influences whom? Add the ties that matter to this change: between"
        " stakeholders, or between someone in our team and a stakeholder.</p>"
    )
    ties = RecordList(
        ctx,
        "tie",
        noun="tie",
        inputs=lambda tid, number: [
            ctx.field("tie", tid, "source", label=f"Tie {number}: who", choices=choices),
            ctx.field("tie", tid, "kind", label=f"Tie {number}: relationship"),
            ctx.field("tie", tid, "target", label=f"Tie {number}: whom", choices=choices),
            ctx.field("tie", tid, "strength", label=f"Tie {number}: how strong"),
        ],
        new=lambda: {"kind": "influences", "strength": 2},
        limit=MAX_TIES,
        can_add=len(choices) >= 2,
    )
    return w.VBox([intro, ties])


def change_text(responses: Responses) -> str:
    return str(responses.get("change", "main").get("statement") or "The change")


def observed_table(responses: Responses) -> Any:
    """The team's observed positions (team-private), labelled as behaviour in this situation."""
    import pandas as pd  # lazy: only the map page's table needs it

    rows = []
    for sid, s in data.named(responses).items():
        seen = responses.get("observed", sid)
        where = classify.political_quadrant(seen.get("reading"), seen.get("carrying"))
        if where and str(seen.get("evidence") or "").strip():
            rows.append(
                {
                    "Stakeholder": s["name"],
                    "Behaviour seen in this situation": where,
                    "Evidence": seen["evidence"],
                    "Suggested approach": classify.APPROACH[where],
                }
            )
    return pd.DataFrame(
        rows, columns=["Stakeholder", "Behaviour seen in this situation", "Evidence",
                       "Suggested approach"]
    )  # fmt: skip


def build_map(ctx: PageContext) -> w.Widget:
    responses = ctx.responses
    found = data.classified(responses)
    grid = _chart("power_interest_grid", found, description=POWER_INTEREST, table="Ally table")
    drawn = data.positions(responses), data.ties(responses), change_text(responses)
    power_map = _chart("power_map", *drawn, description=POWER_MAP, table="Power map")
    parts: list[w.Widget] = [
        ctx.html(
            "<p>Where everyone stands, worked out from the team's ratings: most urgent"
            " relationship work first. A rating of 3 sits on the line between quadrants.</p>"
        ),
        *chart_with_table("Power and interest", grid, data.ally_table(responses)),
        *chart_with_table("Power map", power_map, data.power_map_table(responses)),
    ]
    seen = observed_table(responses)
    if len(seen):
        parts.append(
            ctx.html(
                "<h3>Behaviour seen in this situation (team only)</h3><p>Not shown to the"
                " facilitator and never exported. Behaviour, not character: revisit it.</p>"
                + table_html(seen)
            )
        )
    return w.VBox(parts)


def plan_ids(responses: Responses) -> list[str]:
    if locked_until_rated(responses):
        return []  # no one is rated, so no one needs a plan: known without pandas
    found = data.classified(responses)
    return list(found.loc[found["needs_plan"].astype(bool), "stakeholder_id"])


def build_plan(sid: str) -> Callable[[Any], w.Widget]:
    def build(ctx: PageContext) -> w.Widget:
        responses = ctx.responses
        s = data.stakeholders(responses).get(sid, {})
        row = data.classified(responses).set_index("stakeholder_id").loc[sid]
        seen = responses.get("observed", sid)
        where = classify.political_quadrant(seen.get("reading"), seen.get("carrying"))
        tip = (
            f"<p><strong>Behaviour the team has seen:</strong> {esc(where)}."
            f" {esc(classify.APPROACH[where])}</p>"
            if where
            else ""
        )
        members = tuple(data.member_names(responses).items())
        bridges = [n for _i, n in data.tie_choices(responses) if n != s.get("name")]
        return w.VBox(
            [
                ctx.html(
                    f"<p><strong>{esc(s.get('name', ''))}</strong>: {esc(row['status'])},"
                    f" {esc(row['quadrant'])}, priority {row['priority']:.2f}.</p>{tip}"
                    + (f'<p class="pk-hint">People who could bridge: {esc(", ".join(bridges))}'
                       "</p>" if bridges else "")
                ),
                ctx.field("plan", sid, "bridge"),
                ctx.field("plan", sid, "offer"),
                ctx.field("plan", sid, "ask"),
                ctx.field("plan", sid, "approach"),
                ctx.field("plan", sid, "next_contact"),
                ctx.field("plan", sid, "owner", choices=members),
                ctx.field("plan", sid, "status"),
            ]
        )  # fmt: skip

    return build


def build_no_plans(ctx: PageContext) -> w.Widget:
    return ctx.html(
        '<div class="pk-notice">No stakeholder needs a plan yet: plans are for key players and'
        " for those who need to become allies.</div>"
    )


def build_review(ctx: PageContext) -> w.Widget:
    responses = ctx.responses
    parts: list[w.Widget] = [
        ctx.html(
            "<p>Come back after each milestone: record where each stakeholder stands now, and"
            " what changed. Every earlier stance is kept and shown as movement.</p>"
        ),
        ctx.field("review", "latest", "milestone", slot="latest.milestone"),
    ]
    for sid, s in data.named(responses).items():
        parts += [
            ctx.html(f"<h3>{esc(s['name'])}</h3>"),
            ctx.field("stakeholder", sid, "stance", label=f"{s['name']}: where they stand now"),
            ctx.field("stakeholder", sid, "stance_note"),
        ]
    moved = data.movement(responses)
    shown = moved.drop(columns=["Stance score"])
    if len(moved):
        chart = _chart("movement_chart", moved, description=MOVEMENT, table="Stance movement")
        parts += chart_with_table("Stance over time", chart, shown)
    else:
        parts.append(ctx.html(table_html(shown, "Stance movement")))
    return w.VBox(parts)


# -- the exercise --------------------------------------------------------------------------


def organisations(responses: Responses) -> list[str]:
    """Organisations the ally map names: stakeholders that are organisations, and every
    stakeholder's organisation. Offered to other exercises as ``"organisations"``."""
    found: list[str] = []
    for s in data.named(responses).values():
        if s.get("kind") == "organisation":
            found.append(s["name"])
        if str(s.get("organisation") or "").strip():
            found.append(s["organisation"])
    return found


def stakeholder_names(responses: Responses) -> list[str]:
    """Every named stakeholder, most urgent relationship work first; offered as
    ``"stakeholders"`` (for a wicked issue's "who must be involved", say)."""
    ranked = [] if locked_until_rated(responses) else list(data.classified(responses)["name"])
    rest = [s["name"] for s in data.named(responses).values() if s["name"] not in ranked]
    return ranked + rest


def people(responses: Responses) -> list[str]:
    """Stakeholders that are people or roles; offered as ``"people"`` (asset stewards)."""
    return [
        s["name"] for s in data.named(responses).values() if s.get("kind") in ("person", "role")
    ]


class AllyMap(Exercise):
    id = "allies"
    title = "Allies and power map"
    summary = (
        "Who are our allies, who needs to be, and how do we build those relationships? Map"
        " the stakeholders in a change, see the power map, reflect privately on your own"
        " political behaviour, and plan each relationship."
    )
    anonymity = "named"
    kinds = schema.KINDS
    primary_kind = "stakeholder"
    steps = (
        ("change", "Name the change"),
        ("reflect", "Your self-reflection (private)"),
        ("stakeholders", "List stakeholders"),
        ("rate", "Rate each stakeholder"),
        ("ties", "Who influences whom"),
        ("map", "Grid and power map"),
        ("plan", "Plan relationships"),
        ("review", "Review after a milestone"),
    )

    def provides(self) -> Mapping[str, Callable[[Responses], list[str]]]:
        return {"organisations": organisations, "stakeholders": stakeholder_names,
                "people": people}  # fmt: skip

    def pages(self, responses: Responses) -> Sequence[Page]:
        found = data.named(responses)
        pages = [
            Page("change", "change", "Name the change", build_change, validate_change),
            Page("reflect", "reflect", "Where am I in the politics of this?", build_reflect,
                 validate_reflect),
            Page("stakeholders", "stakeholders", "Who is relevant to this change?",
                 build_stakeholders, validate_stakeholders),
        ]  # fmt: skip
        for number, sid in enumerate(found, 1):
            pages.append(
                Page(
                    f"rate/{sid}",
                    "rate",
                    f"Rate stakeholder {number} of {len(found)}",
                    build_rating(sid),
                    validate_rating(sid),
                    locked_until_stakeholders,
                )
            )
        if not found:
            pages.append(
                Page("rate", "rate", "Rate each stakeholder", build_no_plans,
                     locked=locked_until_stakeholders)
            )  # fmt: skip
        pages += [
            Page("ties", "ties", "Who influences whom?", build_ties, validate_ties,
                 locked_until_stakeholders),
            Page("map", "map", "Where everyone stands", build_map, locked=locked_until_rated),
        ]  # fmt: skip
        planned = plan_ids(responses)
        for number, sid in enumerate(planned, 1):
            pages.append(
                Page(
                    f"plan/{sid}",
                    "plan",
                    f"Plan relationship {number} of {len(planned)}",
                    build_plan(sid),
                    validate_plan(sid),
                    locked_until_rated,
                )
            )
        if not planned:
            pages.append(
                Page("plan", "plan", "Plan relationships", build_no_plans,
                     locked=locked_until_rated)
            )  # fmt: skip
        pages.append(
            Page("review", "review", "Review after a milestone", build_review,
                 locked=locked_until_rated)
        )  # fmt: skip
        return pages

    def summarise(self, responses: Responses) -> Summary:
        # Built only from team records that are not private: the self-reflections and the
        # observed ratings are filtered out of these responses by the core, and never asked.
        found = data.classified(responses)
        moved = data.movement(responses)
        ties = data.ties(responses)
        summary = Summary(
            tables={
                "Ally table": data.ally_table(responses),
                "Power map": data.power_map_table(responses),
                "Influence ties": ties[["From", "Relationship", "To", "Strength"]],
                "Stance movement": moved.drop(columns=["Stance score"]),
            },
            notes=[f"The change: {change_text(responses)}"],
        )
        if len(found):
            summary.figures["Power and interest"] = _chart(
                "power_interest_grid", found, description=POWER_INTEREST, table="Ally table"
            )
            summary.figures["Power map"] = _chart(
                "power_map",
                data.positions(responses),
                ties,
                change_text(responses),
                description=POWER_MAP,
                table="Power map",
            )
        if len(moved):
            summary.figures["Stance over time"] = _chart(
                "movement_chart", moved, description=MOVEMENT, table="Stance movement"
            )
        return summary

    def seed_demo(self, respond: Callable[[str | None], Responses], members: list[str]) -> None:
        team = respond(None)
        team.save("change", "main", {"statement": DEMO_CHANGE}, 0)
        ids = {}
        for name, kind, org, circle, power, interest, stance, rel in DEMO_STAKEHOLDERS:
            ids[name] = new_record_id()
            record = {"name": name, "kind": kind, "organisation": org, "circle": circle,
                      "power": power, "interest": interest, "stance": stance,
                      "relationship": rel}  # fmt: skip
            team.save("stakeholder", ids[name], record, 0)
        for a, kind, b in DEMO_TIES:
            tie = {"source": ids[a], "kind": kind, "target": ids[b], "strength": 2}
            team.save("tie", new_record_id(), tie, 0)


DEMO_CHANGE = "Every hospital discharge has a safe home to go to by next winter."
DEMO_STAKEHOLDERS = (
    ("Cabinet member for housing", "role", "Borough council", "inner", 5, 3, schema.UNKNOWN, 1),
    ("Hospital discharge team", "group", "Northtown NHS Trust", "inner", 4, 5, 1, 2),
    ("Tenants' federation", "group", "", "outer", 2, 5, 0, 1),
    ("Housing association chief executive", "person", "Eastvale Homes", "outer", 4, 2, -1, 0),
)
DEMO_TIES = (
    ("Tenants' federation", "influences", "Cabinet member for housing"),
    ("Housing association chief executive", "knows", "Cabinet member for housing"),
)
