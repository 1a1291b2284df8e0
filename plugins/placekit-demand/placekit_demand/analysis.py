"""Steps 6 to 8: see the measures, record the system conditions behind the top failure
types, and start a new round after trying a change."""

from __future__ import annotations

import logging
from typing import Any

import ipywidgets as w

from placekit import PageContext, Responses, button, download_link, esc, html_box, table_html
from placekit_demand import data
from placekit_demand.setup_pages import STYLE

log = logging.getLogger("placekit")

SHOWN_TABLES = (
    "Measures",
    "Pareto of failure types",
    "Verbatim wall (sample per top failure type)",
    "Demand typology",
    "By channel",
    "By service",
    "By day of week",
    "By hour of day",
)


def build_analyse(ctx: PageContext) -> w.Widget:
    # Lazy: the measures need pandas, and every page's kernel lists these pages.
    from placekit import chart_with_table
    from placekit_demand import published, summary

    result = summary.measured(ctx.responses)
    notes = "".join(f'<div class="pk-notice">{esc(n)}</div>' for n in result.notes)
    parts: list[w.Widget] = [ctx.html(STYLE + notes)]
    pareto = result.figures.get("Pareto of failure types")
    for name in SHOWN_TABLES:
        frame = result.tables[name]
        if name == "Pareto of failure types" and pareto is not None:
            parts += chart_with_table(name, pareto, frame)
            continue
        body = table_html(frame) if len(frame) else "<p>Nothing to show yet.</p>"
        parts.append(ctx.html(f"<h3>{esc(name)}</h3>{body}"))
    parts.append(
        ctx.html(
            f"<h3>Published levels</h3><p>{esc(published.CAPTION)}</p>"
            + table_html(published.table())
        )
    )
    return w.VBox(parts)


def build_causes(ctx: PageContext) -> w.Widget:
    from placekit_demand import measures, summary  # lazy, as in build_analyse

    responses = ctx.responses
    top = summary.top_failure_types(measures.pareto(data.analysis_frame(responses)))
    if not top:
        return ctx.html(
            '<div class="pk-notice">No failure demand has been classified and typed yet.'
            " Come back once the Pareto shows the top failure types.</div>"
        )
    parts: list[w.Widget] = [
        ctx.html(
            "<p>For each of the top failure types, what in the system causes it (a policy,"
            " a target, an IT system, a hand-off…), and who owns that condition? Failure"
            " demand is removed by changing the system, not by working harder.</p>"
        )
    ]
    for label in top:
        key = data.cause_key(responses, label)
        card = w.VBox(
            [
                html_box(f"<h3>“{esc(label)}”</h3>"),
                ctx.field("cause", key, "system_condition"),
                ctx.field("cause", key, "description"),
                ctx.field("cause", key, "owner"),
                ctx.field("cause", key, "experiment"),
            ]
        )
        card.add_class("pk-card")
        parts.append(card)
    return w.VBox(parts)


def build_rerun(ctx: PageContext) -> w.Widget:
    from placekit_demand import measures  # lazy, as in build_analyse

    responses = ctx.responses
    current = data.current_round(responses)
    table = measures.rounds(data.analysis_frame(responses))
    start = button(f"Start round {current + 1}")
    start.add_class("pk-touch")
    sure = button(f"Yes, start round {current + 1}", "warning")
    sure.layout.display = "none"
    sure.add_class("pk-touch")

    def ask(_b: Any) -> None:
        sure.layout.display = ""

    def begin(_b: Any) -> None:
        study = responses.get("study", "team")
        if ctx.save("study", "team", study | {"round": current + 1}):
            ctx.rebuild()

    start.on_click(ctx.guard(ask))
    sure.on_click(ctx.guard(begin))
    return w.VBox(
        [
            ctx.html(
                f"<p>This is round {current} of the study. Try a change to the system, then"
                " study demand again the same way and compare. New demands, captured or"
                " imported, belong to the current round.</p>"
            ),
            ctx.field("change", "team", "tried", slot="team.tried"),
            ctx.html(
                "<h3>Rounds so far</h3>"
                + (table_html(table) if len(table) else "<p>No classified demands yet.</p>")
            ),
            start,
            sure,
        ]
    )


OPEN_CASES = 10  # cases without an end date offered on the page, most contacts first


def _case_card(ctx: PageContext, case: Any) -> w.Widget:
    key = data.case_key(case.case)  # the dates are found by the case's key, not its name
    contacts = int(case.contacts)
    card = w.VBox(
        [
            html_box(
                f"<h4>Case {esc(case.case)}</h4><span class='pk-meta'>{contacts:,}"
                f" contact{'s' if contacts != 1 else ''}"
                + (f", “{esc(case.type)}”" if isinstance(case.type, str) and case.type else "")
                + "</span>"
            ),
            ctx.field("case", key, "started", slot=f"{key}.started"),
            ctx.field("case", key, "ended", slot=f"{key}.ended"),
        ]
    )
    card.add_class("pk-card")
    return card


def build_capability(ctx: PageContext) -> w.Widget:
    # Lazy, as in build_analyse: pandas, and the capability's charts.
    from placekit import chart_with_table
    from placekit_demand import end_to_end

    responses = ctx.responses
    base = data.demands(responses, data.RECORD_COLUMNS)
    frame = data.analysis_frame(responses, base)
    cases = data.cases(responses, base, frame)
    tables, figures, notes = end_to_end.results(responses, frame, cases)
    parts: list[w.Widget] = [
        ctx.html(
            STYLE + "<p>How long does it really take, from the customer’s point of view, to"
            " meet their need, and how predictably? Every contact about the same need is one"
            " case (give them the same case reference), from when it was first reported to"
            " when it was met. The charts show what the system predictably achieves (its"
            " capability) and whether anything unusual happened.</p>"
        )
    ]
    parts += [ctx.html(f'<div class="pk-notice">{esc(n)}</div>') for n in notes]
    for name, figure in figures.items():  # each names a table of its own, if any
        parts += chart_with_table(name, figure, tables.get(figure.table))
    charted = {figure.table for figure in figures.values()}
    for name in (
        "Capability: end-to-end time",
        "End-to-end time per case",
        "Capability: daily demand per type",
    ):
        table = tables.get(name)
        if table is not None and len(table) and name not in charted:
            parts.append(ctx.html(f"<h3>{esc(name)}</h3>{table_html(table)}"))
    if not figures:
        parts.append(
            ctx.html(
                f"<p>Nothing to chart yet: the capability charts need at least"
                f" {end_to_end.MIN_POINTS} cases with an end date, or demand on at least"
                f" {end_to_end.MIN_POINTS} days.</p>"
            )
        )
    waiting = cases[cases["ended"].isna()].sort_values("contacts", ascending=False)
    parts.append(
        ctx.html(
            "<h3>When each case started and ended</h3><p>Give the day the need was first"
            " reported (the first contact, if you leave it) and the day it was met. Dates in"
            " an imported file are used unless you give others here.</p>"
            + (
                ""
                if len(waiting)
                else "<p>No case is waiting for an end date. Give contacts a case reference"
                " when you capture them, or import a file with case references and their"
                " dates.</p>"
            )
        )
    )
    parts += [_case_card(ctx, case) for case in waiting.head(OPEN_CASES).itertuples()]
    if len(waiting) > OPEN_CASES:
        parts.append(
            ctx.html(f"<p>… and {len(waiting) - OPEN_CASES:,} more cases without an end date.</p>")
        )
    redraw = button("Redraw the charts")
    redraw.add_class("pk-touch")
    redraw.on_click(ctx.guard(lambda _b: ctx.rebuild()))
    parts += [
        ctx.html(
            "<h3>Where the system changed</h3><p>If the team changed the system during the"
            " study, give the day: the charts are split there, each side with its own"
            " limits, so you can see whether it made a difference.</p>"
        ),
        ctx.field("change", "team", "changed_on", slot="team.changed_on"),
        redraw,
    ]
    return w.VBox(parts)


def every_demand_panel(responses: Responses) -> w.Widget:
    """ "Download every demand": the per-demand table of a large study, as a CSV file made
    on request (the results page leaves the table itself out)."""
    from placekit_demand import per_demand  # lazy, as in build_analyse

    make = button("Download every demand (CSV)")
    shown = html_box("")

    def made(_b: Any) -> None:
        try:
            name, payload = per_demand.csv_file(responses)
        except Exception:  # the results page must stay up; the cause is in the log
            log.exception("Could not make the file of every demand")
            shown.value = '<div class="pk-warning">Sorry, the file could not be made.</div>'
            return
        shown.value = (
            "<p>" + download_link(name, "text/csv", payload, "Every demand (CSV)") + "</p>"
        )

    make.on_click(made)
    return w.VBox(
        [
            html_box(
                "<h2>Every demand</h2><p>Each demand of the study as one row, with what the"
                " team made of it (classification, type, case dates), for a spreadsheet.</p>"
            ),
            make,
            shown,
        ]
    )
