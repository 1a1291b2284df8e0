"""Steps 6 to 8: see the measures, record the system conditions behind the top failure
types, and start a new round after trying a change."""

from __future__ import annotations

from typing import Any

import ipywidgets as w

from placekit import PageContext, button, esc, html_box, table_html
from placekit_demand import data
from placekit_demand.setup_pages import STYLE

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
    from placekit import interactive_chart
    from placekit_demand import published, summary

    result = summary.summarise(ctx.responses)
    notes = "".join(f'<div class="pk-notice">{esc(n)}</div>' for n in result.notes)
    parts: list[w.Widget] = [ctx.html(STYLE + notes)]
    pareto = result.figures.get("Pareto of failure types")
    for name in SHOWN_TABLES:
        frame = result.tables[name]
        if name == "Pareto of failure types" and pareto is not None:
            parts.append(ctx.html(f"<h3>{esc(name)}</h3>"))
            parts.append(interactive_chart(pareto))
            parts.append(ctx.html(table_html(frame)))
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
