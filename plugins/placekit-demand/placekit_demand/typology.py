"""Step 5: build the typology in the customer's words by grouping wordings into types.

The wordings not yet in a type are always shown first (most frequent first), so nothing is
left out unnoticed. A new type is best named after a real wording, which keeps the
typology in the customer's terms rather than the service's categories.
"""

from __future__ import annotations

from typing import Any

import ipywidgets as w

from placekit import FieldError, PageContext, Responses, button, esc, html_box, new_record_id
from placekit_demand import data
from placekit_demand.setup_pages import STYLE

SHOWN = 15


def validate_typology(responses: Responses) -> list[FieldError]:
    found = data.types(responses)
    if not found:
        return [FieldError("Create at least one demand type")]
    return [
        FieldError(f"Say whether “{t['label']}” is predictable", field=f"{type_id}.predictable")
        for type_id, t in found.items()
        if not t.get("predictable")
    ]


def assign(ctx: PageContext, verbatim: str, type_id: str) -> bool:
    return ctx.save(
        "assign", data.wording_key(verbatim), {"verbatim": verbatim, "type_id": type_id}
    )


def new_type(ctx: PageContext, label: str) -> str | None:
    type_id = new_record_id("t-")
    record = {"label": " ".join(label.split())[:120], "class_hint": None, "predictable": None}
    return type_id if ctx.save("type", type_id, record) else None


def merge(ctx: PageContext, source: str, target: str) -> None:
    """Move every wording of one type to another and retire the first (history is kept)."""
    for key, record in ctx.responses.records("assign").items():
        if record.get("type_id") == source:
            ctx.save("assign", key, record | {"type_id": target})
    ctx.save("type", source, None)


def _unassigned(ctx: PageContext) -> w.Widget:
    table, demands, wordings = data.unassigned_wordings(ctx.responses, SHOWN)
    types = data.types(ctx.responses)
    if not demands:
        return ctx.html('<div class="pk-notice">Every demand is in a type.</div>')
    rows: list[w.Widget] = [
        ctx.html(
            f"<h3>Not in a type yet: {demands:,} demands ({wordings:,} different wordings)"
            "</h3><p>Most frequent first. Put each in a type, or start a new type named in"
            " the customer’s words.</p>"
        )
    ]
    options = [("Put in type…", "")] + [(t["label"], k) for k, t in types.items()]
    for number, item in enumerate(table.itertuples(), 1):
        text = str(item.verbatim)
        pick = w.Dropdown(
            options=options,
            value="",
            description=f"Wording {number}",
            style={"description_width": "initial"},
            layout=w.Layout(width="auto", max_width="100%"),
        )
        start = button("New type from this wording")
        start.add_class("pk-touch")

        def picked(change: dict[str, Any], text: str = text) -> None:
            if change["new"] and assign(ctx, text, change["new"]):
                ctx.rebuild()

        def started(_b: Any, text: str = text) -> None:
            type_id = new_type(ctx, text)
            if type_id and assign(ctx, text, type_id):
                ctx.rebuild()

        pick.observe(ctx.guard(picked), "value")
        start.on_click(ctx.guard(started))
        card = w.VBox(
            [
                html_box(
                    f"<blockquote>“{esc(text)}”</blockquote><span class='pk-meta'>"
                    f"{item.demands:,} demand{'s' if item.demands != 1 else ''}</span>"
                ),
                w.HBox([pick, start]) if types else start,
            ]
        )
        card.add_class("pk-card")
        rows.append(card)
    return w.VBox(rows)


def _types(ctx: PageContext) -> w.Widget:
    types = data.types(ctx.responses)
    if not types:
        return ctx.html("<p>No demand types yet.</p>")
    counts = data.analysis_frame(ctx.responses)["type"].value_counts()
    parts: list[w.Widget] = [ctx.html("<h3>Demand types</h3>")]
    for type_id, t in types.items():
        others = [("Merge into…", "")] + [(o["label"], k) for k, o in types.items() if k != type_id]
        into = w.Dropdown(
            options=others,
            value="",
            description="Merge",
            style={"description_width": "initial"},
        )

        def merged(change: dict[str, Any], type_id: str = type_id) -> None:
            if change["new"]:
                merge(ctx, type_id, change["new"])
                ctx.rebuild()

        into.observe(ctx.guard(merged), "value")
        card = w.VBox(
            [
                ctx.html(
                    f"<span class='pk-meta'>{int(counts.get(t['label'], 0)):,} demands</span>"
                ),
                ctx.field("type", type_id, "label"),
                ctx.field("type", type_id, "class_hint"),
                ctx.field("type", type_id, "predictable"),
                *([into] if len(types) > 1 else []),
            ]
        )
        card.add_class("pk-card")
        parts.append(card)
    return w.VBox(parts)


def build_typology(ctx: PageContext) -> w.Widget:
    label = w.Text(
        description="New demand type, in the customer’s words",
        placeholder="For example: Where is my repair?",
        style={"description_width": "initial"},
        layout=w.Layout(width="100%"),
    )
    label.add_class("pk-field")
    add = button("Add type")
    add.add_class("pk-touch")

    def adding(_b: Any) -> None:
        if label.value.strip() and new_type(ctx, label.value):
            ctx.rebuild()

    add.on_click(ctx.guard(adding))
    return w.VBox(
        [
            ctx.html(
                STYLE + "<p>Group the demands into types named as the customer would put"
                " them (“Where is my repair?”), not by our internal categories. Merge and"
                " rename until the types are stable, and judge whether each is predictable.</p>"
            ),
            _unassigned(ctx),
            _types(ctx),
            label,
            add,
        ]
    )
