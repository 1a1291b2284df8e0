"""The pages: thin views over ``data``, ``moves`` and ``validation``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import ipywidgets as w

from placekit import PageContext, RecordList, button, esc, offered, table_html
from placekit_citizen_state_map import data, moves
from placekit_citizen_state_map.schema import AXES, AXIS, MAX_SERVICES, ROLE_WORDS

Build = Callable[[PageContext], Any]


def build_nothing(ctx: PageContext) -> w.Widget:
    """Stands in for a step's pages until there is a service (locked until then)."""
    return ctx.html("<p>Add a service first.</p>")


def build_services(ctx: PageContext) -> w.Widget:
    organisations = offered(ctx.responses, "organisations")
    hint = (
        '<p class="pk-hint">Organisations your team has listed elsewhere in this workbook:'
        f" {esc('; '.join(organisations[:12]))}</p>"
        if organisations
        else ""
    )
    listed = RecordList(
        ctx,
        "service",
        noun="service",
        inputs=lambda sid, number: [
            ctx.field("service", sid, "name", label=f"Service {number}"),
            ctx.field("service", sid, "provider"),
            ctx.field("service", sid, "users"),
        ],
        new=lambda: {"name": "", "provider": "", "users": ""},
        limit=MAX_SERVICES,
        confirm=True,
        undo=True,
    )
    return w.VBox(
        [
            ctx.html(
                "<p>List the services your partnership provides or commissions, the ones"
                " whose relationship with the people who use them you want to look at."
                f" Up to {MAX_SERVICES}. Everyone in the team sees and can edit this list.</p>"
                + hint
            ),
            listed,
        ]
    )


def build_placement(service_id: str, when: str) -> Build:
    def build(ctx: PageContext) -> w.Widget:
        responses = ctx.responses
        service = data.services(responses).get(service_id, {})
        placement = data.placements(responses).get(service_id, {})
        if when == "now":
            intro = (
                f"<p>Place <strong>{esc(service.get('name', ''))}</strong> as it is today,"
                " on each scale: as the people who use it experience it, not as the plan"
                " says. Agree the answers as a team; anyone can change them.</p>"
            )
        else:
            intro = (
                f"<p>Where should <strong>{esc(service.get('name', ''))}</strong> be? Each"
                " question shows where the team placed it now.</p>"
            )
        parts: list[w.Widget] = [ctx.html(intro)]
        for axis in AXES:
            label = axis.question if when == "now" else f"{axis.question} Where should it be?"
            parts.append(ctx.field("placement", service_id, f"{axis.id}_{when}", label=label))
            if when == "future":
                parts.append(ctx.html(_now_hint(placement, axis.id)))
        label = "Are the people who use it recipients, consumers or co-producers?"
        if when == "future":
            label += " What should they be?"
        parts.append(ctx.field("placement", service_id, f"role_{when}", label=label))
        if when == "future":
            parts.append(ctx.html(_now_hint(placement, "role")))
        return w.VBox(parts)

    return build


def _now_hint(placement: dict[str, Any], dimension: str) -> str:
    value = placement.get(f"{dimension}_now")
    if dimension == "role":
        text = ROLE_WORDS.get(value or "", "")
    else:
        text = f"{value} – {AXIS[dimension].words(value)}" if isinstance(value, int) else ""
    return f'<p class="pk-hint">Now: {esc(text or "not placed yet")}</p>'


def build_coproduce(ctx: PageContext) -> w.Widget:
    responses = ctx.responses
    assets = data.asset_names(responses)
    placements = data.placements(responses)
    parts: list[w.Widget] = [
        ctx.html(
            "<p>Co-production means the people who use a service, and the community around"
            " them, help make it work. For each service, who could?"
            + (
                " The assets your team has mapped in this workbook are listed to choose from."
                if assets
                else " When your team maps its assets in this workbook's asset map, they"
                " will be listed here to choose from."
            )
            + " This step is optional.</p>"
        )
    ]
    for sid, service in data.services(responses).items():
        placement = placements.get(sid, {})
        role = moves.position_text(placement, "role")
        parts.append(
            ctx.html(f"<h3>{esc(service.get('name', ''))}</h3><p>People's part: {esc(role)}</p>")
        )
        if assets:
            saved = responses.get("coproduction", sid).get("assets") or []
            options = list(dict.fromkeys([*assets, *saved]))  # a removed asset stays shown
            parts.append(
                ctx.field(
                    "coproduction",
                    sid,
                    "assets",
                    label=f"Assets that could co-produce {service.get('name', '')}",
                    choices=tuple((name, name) for name in options),
                )
            )
        parts.append(
            ctx.field(
                "coproduction",
                sid,
                "others",
                label=f"Others who could co-produce {service.get('name', '')} (one per line,"
                " optional)",
            )
        )
    return w.VBox(parts)


def build_check(ctx: PageContext) -> w.Widget:
    from placekit_citizen_state_map import results  # lazy: pandas, for the table

    responses = ctx.responses
    responses.reload()  # the team places services from several pages: check the latest
    agreement = data.agreement(responses)
    changes: list[w.Widget] = []
    if not data.agreed(responses):
        for number, sid in enumerate(data.services(responses), 1):
            for label, target in (
                (f"Change where service {number} is now", f"now/{sid}"),
                (f"Change where service {number} should be", f"future/{sid}"),
            ):
                change = button(label)
                change.on_click(ctx.guard(lambda _b, t=target: ctx.goto(t)))
                changes.append(change)
    if data.agreed(responses):
        status = (
            '<div class="pk-panel">The team confirmed this map on'
            f" {esc(results.day_text(agreement.get('agreed_on')))}.</div>"
        )
    elif agreement:
        status = (
            '<div class="pk-notice">The map has changed since the team confirmed it on'
            f" {esc(results.day_text(agreement.get('agreed_on')))}. Check it, and confirm it"
            " again.</div>"
        )
    else:
        status = "<p>When the team agrees this is right, confirm it for everyone.</p>"
    return w.VBox(
        [
            ctx.html(table_html(results.map_table(responses), "The map: now → should be") + status),
            *changes,
        ]
    )


def build_map(ctx: PageContext) -> w.Widget:
    from placekit import chart_with_table  # lazy: anywidget, only on the page with a chart
    from placekit_citizen_state_map import results  # lazy: pandas, only for the results

    responses = ctx.responses
    responses.reload()  # what the team has placed since this page loaded
    summary = results.summarise(responses)
    parts: list[w.Widget] = [
        ctx.html("".join(f'<div class="pk-notice">{esc(n)}</div>' for n in summary.notes))
    ]
    for name, figure in summary.figures.items():  # each names a table of its own
        parts += chart_with_table(name, figure, summary.tables[figure.table])
    charted = {figure.table for figure in summary.figures.values()}
    for name, table in summary.tables.items():
        if name not in charted:
            parts.append(ctx.html(f"<h3>{esc(name)}</h3>" + table_html(table)))
    return w.VBox(parts)
