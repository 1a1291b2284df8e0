"""Step 5: build the typology in the customer's words by grouping wordings into types.

The types an imported file brought are shown first, for the team to accept, rename or
merge (a case system's categories are not always the customer's words); then the wordings
not yet in a type (most frequent first), so nothing is left out unnoticed. A new type is
best named after a real wording, which keeps the typology in the customer's terms rather
than the service's categories.
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
    pending = data.pending_file_types(responses)
    waiting = (
        [FieldError(f"Accept, rename or merge the {_types_found(len(pending))}")] if pending else []
    )
    if not found:
        return waiting or [FieldError("Create at least one demand type")]
    return waiting + [
        FieldError(f"Say whether “{t['label']}” is predictable", field=f"{type_id}.predictable")
        for type_id, t in found.items()
        if not t.get("predictable")
    ]


def assign(ctx: PageContext, verbatim: str, type_id: str) -> bool:
    return ctx.save(
        "assign", data.wording_key(verbatim), {"verbatim": verbatim, "type_id": type_id}
    )


def new_type(ctx: PageContext, label: str, from_file: tuple[str, ...] = ()) -> str | None:
    type_id = new_record_id("t-")
    record = {
        "label": " ".join(label.split())[:120],
        "class_hint": None,
        "predictable": None,
        "from_file": list(from_file),
    }
    return type_id if ctx.save("type", type_id, record) else None


def take_in(ctx: PageContext, type_id: str, label: str) -> bool:
    """Merge a file's type into one of the team's: its demands count as that type."""
    record = ctx.responses.get("type", type_id)
    held = list(record.get("from_file") or [])
    return ctx.save("type", type_id, record | {"from_file": [*held, label]})


def merge(ctx: PageContext, source: str, target: str) -> None:
    """Move every wording of one type to another and retire the first (history is kept)."""
    for key, record in ctx.responses.records("assign").items():
        if record.get("type_id") == source:
            ctx.save("assign", key, record | {"type_id": target})
    moved = ctx.responses.get("type", source)
    for label in [moved.get("label"), *(moved.get("from_file") or [])]:
        if label:
            take_in(ctx, target, str(label))
    ctx.save("type", source, None)


def _types_found(count: int) -> str:
    return f"{count:,} type{'s' if count != 1 else ''} found in your file"


def _file_types(ctx: PageContext) -> w.Widget:
    """The file's own types, each to accept (as named, or renamed) or merge."""
    pending = data.pending_file_types(ctx.responses)
    if not pending:
        return w.VBox()
    types = data.types(ctx.responses)
    everything = button(f"Accept all {len(pending):,} as they are")
    everything.add_class("pk-touch")

    def accept_all(_b: Any) -> None:
        for label in data.pending_file_types(ctx.responses):
            if not new_type(ctx, label, (label,)):
                break
        ctx.rebuild()

    everything.on_click(ctx.guard(accept_all))
    parts: list[w.Widget] = [
        ctx.html(
            f"<h3>{_types_found(len(pending))}: accept, rename or merge</h3><p>The file"
            " came with these demand types. A case system’s categories are not always how"
            " the customer would put it: keep a type as it is, give it the customer’s words,"
            " or merge it into another.</p>"
        ),
        everything,
    ]
    targets = [("Merge into…", "")] + [(t["label"], k) for k, t in types.items()]
    for number, (label, count) in enumerate(list(pending.items())[:SHOWN], 1):
        name = w.Text(
            value=label,
            description=f"Name of type {number}, in the customer’s words",
            style={"description_width": "initial"},
            layout=w.Layout(width="100%"),
        )
        name.add_class("pk-field")
        keep = button("Accept")
        keep.add_class("pk-touch")
        into = w.Dropdown(
            options=targets,
            value="",
            description="Or merge it",
            style={"description_width": "initial"},
        )

        def accepted(_b: Any, label: str = label, name: w.Text = name) -> None:
            if new_type(ctx, name.value.strip() or label, (label,)):
                ctx.rebuild()

        def merged(change: dict[str, Any], label: str = label) -> None:
            if change["new"] and take_in(ctx, change["new"], label):
                ctx.rebuild()

        keep.on_click(ctx.guard(accepted))
        into.observe(ctx.guard(merged), "value")
        card = w.VBox(
            [
                ctx.html(
                    f"<blockquote>“{esc(label)}”</blockquote><span class='pk-meta'>"
                    f"{count:,} demand{'s' if count != 1 else ''} in the file</span>"
                ),
                name,
                w.HBox([keep, into]) if types else keep,
            ]
        )
        card.add_class("pk-card")
        parts.append(card)
    if len(pending) > SHOWN:
        parts.append(
            ctx.html(
                f"<p>… and {len(pending) - SHOWN:,} more, fewer demands each. Accept all, or"
                " deal with these first and the next ones follow.</p>"
            )
        )
    return w.VBox(parts)


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
        waiting = data.pending_file_types(ctx.responses)
        return ctx.html("" if waiting else "<p>No demand types yet.</p>")
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
            _file_types(ctx),
            _unassigned(ctx),
            _types(ctx),
            label,
            add,
        ]
    )
