"""The asset map's pages: thin widget views over ``data``, ``validation`` and ``results``.

Every input is bound to a record through the wizard's ``ctx.field`` (saved as it
changes, conflicts shown with both versions) or saved whole with ``ctx.save``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import ipywidgets as w

from placekit import (
    ConfirmBox,
    PageContext,
    RecordList,
    button,
    esc,
    offered,
    removed_list,
    table_html,
)
from placekit_assets import data
from placekit_assets.schema import CATEGORY, LINK_STATUS, RELATIONS
from placekit_assets.validation import deficit_words

STYLE = """<style>
.pk-app .pk-row { align-items: center; border-bottom: 1px solid #b1b4b6; padding: 2px 0; }
.pk-app .pk-row .widget-html-content { font-size: 17px; }
.pk-app .pk-row button.jupyter-button { margin: 4px 8px 4px 0; font-size: 16px; }
.pk-app .pk-editor { border-left: 5px solid #1d70b8; padding-left: 16px; margin: 12px 0; }
.pk-app .pk-grid .pk-hint { display: none; }
.pk-app .pk-grid .widget-label, .pk-app .pk-sr-label .widget-label,
.pk-app .pk-grid .widget-checkbox .widget-label-basic span {
  position: absolute !important; width: 1px; height: 1px; overflow: hidden;
  clip: rect(0 0 0 0); white-space: nowrap; }
.pk-app .pk-grid .pk-field { margin: 0; }
.pk-app .pk-grid input[type=text] { font-size: 15px; border-width: 1px; }
.pk-app .pk-grid select { font-size: 15px; }
.pk-app .pk-grid .pk-error { font-size: 14px; }
.pk-app .pk-grid-head button.jupyter-button { margin: 0; font-size: 15px; font-weight: bold;
  padding: 4px 6px;
  background: #f3f2f1; text-align: left; }
.pk-app .pk-grid-row button.jupyter-button { margin: 0 4px 0 0; font-size: 15px;
  padding: 4px 6px; max-width: 76px; white-space: nowrap; overflow: hidden;
  text-overflow: ellipsis; }
.pk-app .pk-grid .widget-html.pk-error, .pk-app .pk-grid .pk-error .widget-html-content {
  height: auto; min-height: 0; line-height: 1.2; }
.pk-app .pk-grid-row { align-items: start; padding: 2px 0; }
</style>"""


# -- 1. reframe ----------------------------------------------------------------------------


def build_frame(ctx: PageContext) -> w.Widget:
    question = ctx.field("map", "map", "focus_question")
    prompt = ctx.html("")

    def check(_change: Any = None) -> None:
        text = question.children[0].value
        found = deficit_words(text)
        prompt.value = (
            '<div class="pk-notice" role="status"><p>Your question mentions'
            f" <strong>{esc(', '.join(found))}</strong>. Asset mapping starts from what is"
            " strong here, not what is wrong: could you ask what helps, what works, or who"
            " already makes a difference?</p></div>"
            if found
            else ""
        )

    question.children[0].observe(ctx.guard(check), "value")
    check()
    return w.VBox(
        [
            ctx.html(
                STYLE + "<p>Asset mapping starts from what a place already has: people's"
                " gifts, groups, institutions, spaces, economic exchange and shared stories."
                " Agree the place and the question the map should help answer.</p>"
            ),
            ctx.field("map", "map", "place"),
            question,
            prompt,
            ctx.field("map", "map", "purpose"),
            ctx.field("map", "map", "mapping_by"),
            ctx.field("map", "map", "consent_model"),
        ]
    )


# -- 2. recognise: one page per category ---------------------------------------------------

FORM_FIELDS = (
    "name",
    "subcategory",
    "description",
    "steward_name",
    "steward_type",
    "location",
    "postcode",
    "area_code",
    "who_uses_it",
    "access",
    "strength",
    "under_used",
    "mobilisation_idea",
    "verified",
)


def asset_form(ctx: PageContext, asset_id: str) -> list[w.Widget]:
    """Every field of one asset, one below another; each saves as it changes."""
    asset = ctx.responses.get("asset", asset_id)
    names = list(FORM_FIELDS)
    if asset.get("category") == "individual":
        names.insert(1, "consent_recorded")
    if asset.get("category") == "institution":
        names.insert(names.index("mobilisation_idea"), "institutional_offer")
    title = esc(asset.get("name") or "a new asset")
    fields: list[w.Widget] = []
    for name in names:
        fields.append(ctx.field("asset", asset_id, name))
        if name == "steward_name":
            fields += steward_picker(ctx, fields[-1].children[0])
    return [
        ctx.html(f"<h3>Editing {title}</h3>"),
        ctx.field("asset", asset_id, "category"),
        *fields,
        ctx.html(
            f'<p class="pk-hint">Added by {esc(asset.get("identified_by", ""))}'
            f" on {esc(asset.get('date_recorded', ''))}.</p>"
        ),
    ]


def steward_picker(ctx: PageContext, steward: w.Text) -> list[w.Widget]:
    """People and organisations the team named in other exercises (an ally map's
    stakeholders), to choose as the steward instead of typing them again."""
    responses = ctx.responses
    names = offered(responses, "stakeholders")
    if not names or ctx.read_only:
        return []
    pick = w.Dropdown(
        options=[("(choose)", None)] + [(n, n) for n in names],
        value=None,
        description="Or choose someone your team named in another exercise",
        style={"description_width": "initial"},
    )
    pick.add_class("pk-field")

    def chosen(change: dict[str, Any]) -> None:
        if change["new"]:
            steward.value = change["new"]  # saved by the field, as if typed
            pick.value = None

    pick.observe(ctx.guard(chosen), "value")
    return [pick]


def asset_name(_asset_id: str, asset: dict[str, Any], number: int | None) -> str:
    """An asset as buttons and questions name it."""
    if asset.get("name"):
        return str(asset["name"])
    return f"(asset {number} has no name yet)" if number else "an unnamed asset"


def deleted_assets(ctx: PageContext, after: Callable[[], None] | None = None) -> w.Widget:
    """Recently deleted assets of every category, each with Undo."""
    name = lambda a, d: asset_name(a, d, None)  # noqa: E731
    return removed_list(ctx, "asset", name=name, verb="Delete", after=after)


def build_category(category: str) -> Callable[[Any], w.Widget]:
    spec = CATEGORY[category]

    def build(ctx: PageContext) -> w.Widget:
        def summary(asset_id: str, asset: dict[str, Any], number: int) -> str:
            steward = f" — {esc(asset['steward_name'])}" if asset.get("steward_name") else ""
            return f"<strong>{esc(asset_name(asset_id, asset, number))}</strong>{steward}"

        listed = RecordList(
            ctx,
            "asset",
            noun="asset",
            inputs=lambda asset_id, _number: asset_form(ctx, asset_id),
            new=lambda: data.new_asset(ctx.responses, category),
            where=lambda asset: asset.get("category") == category,
            summary=summary,
            label=asset_name,
            verb="Delete",
            ask="Delete “{name}” from the map?",
            confirm=True,
            undo=True,
            undo_limit=3,
            add_label=f"Add an asset: {spec.label.lower()}",
            done_label="Done with this asset",
        )
        count = f"{len(listed.records)} recorded so far" if listed.records else "None recorded yet"
        return w.VBox(
            [
                ctx.html(
                    STYLE + f"<p>{esc(spec.prompt)}</p><p class='pk-hint'>For example:"
                    f" {esc(spec.examples)}.</p><h3>{esc(spec.label)}: {count}</h3>"
                ),
                listed,
            ]
        )

    return build


# -- 4. connect ----------------------------------------------------------------------------


def _asset_options(responses: Any) -> list[tuple[str, str]]:
    every = data.assets(responses)
    named = [
        (f"{v.get('name')} ({CATEGORY[v['category']].short})", k)
        for k, v in every.items()
        if v.get("name") and v.get("category") in CATEGORY
    ]
    return sorted(named, key=lambda o: o[0].lower())


def build_connect(ctx: PageContext) -> w.Widget:
    # Lazy: results need pandas (and networkx), only for the tables of the later pages.
    from placekit_assets import results

    responses = ctx.responses
    options = [("Choose an asset", "")] + _asset_options(responses)
    style = {"description_width": "initial"}
    layout = w.Layout(width="100%", max_width="40em")
    first = w.Dropdown(
        options=options, value="", description="First asset", style=style, layout=layout
    )
    second = w.Dropdown(
        options=options, value="", description="Second asset", style=style, layout=layout
    )
    status = w.RadioButtons(
        options=[(label, v) for v, label in LINK_STATUS],
        value="existing",
        description="Do they work together now?",
        style=style,
    )
    relation = w.Dropdown(
        options=[(label, v) for v, label in RELATIONS],
        value="partners_with",
        description="How are they connected?",
        style=style,
        layout=layout,
    )
    for widget in (first, second, status, relation):
        widget.add_class("pk-field")
    message = ctx.html("")
    link = button("Link these assets", "success")
    every = data.assets(responses)

    def add(_b: Any) -> None:
        a, b = first.value, second.value
        if not a or not b:
            message.value = '<p class="pk-error" role="alert">Choose two assets to link.</p>'
            return
        if a == b:
            message.value = '<p class="pk-error" role="alert">Choose two different assets.</p>'
            return
        lid = data.link_id(a, b)
        if lid in data.links(responses):
            message.value = (
                f'<p class="pk-error" role="alert">{esc(every[a].get("name"))} and'
                f" {esc(every[b].get('name'))} are already linked.</p>"
            )
            return
        record = {
            "from_asset": a,
            "to_asset": b,
            "status": status.value,
            "relation": relation.value,
            "identified_by": data.member_name(responses),
        }
        entry = responses.entry("link", lid)
        if entry is None:
            # Unlinked once and linked again: carry on from the deletion's version.
            old = responses.latest("link", lid)
            ctx.adopt("link", lid, old.version if old else 0)
        if ctx.save("link", lid, record):
            ctx.rebuild()

    link.on_click(ctx.guard(add))
    links = data.links(responses)
    confirm = ConfirmBox(ctx.guard)
    rows: list[w.Widget] = []
    labels = dict(LINK_STATUS)
    for lid, item in links.items():
        a, b = every[item["from_asset"]].get("name", ""), every[item["to_asset"]].get("name", "")
        remove = button(f"Remove the link between {a} and {b}")

        def ask(_b: Any, lid: str = lid, a: str = a, b: str = b) -> None:
            def drop() -> None:
                if ctx.save("link", lid, None):
                    ctx.rebuild()

            confirm.ask(f"Remove the link between “{a}” and “{b}”?", "Yes, remove it", drop)

        remove.on_click(ctx.guard(ask))
        row = w.HBox(
            [
                ctx.html(
                    f"<strong>{esc(a)}</strong> and <strong>{esc(b)}</strong>:"
                    f" {esc(labels.get(item.get('status'), '').lower())}"
                ),
                remove,
            ],
            layout=w.Layout(justify_content="space-between"),
        )
        row.add_class("pk-row")
        rows.append(row)
    table = results.connections_table(every, links)
    isolated = table[table["Connections"] == 0]["Asset"].tolist()
    alone = (
        '<div class="pk-notice"><p>Not connected to anything yet: '
        f"{esc('; '.join(isolated))}. Who could they work with?</p></div>"
        if isolated
        else ""
    )
    return w.VBox(
        [
            ctx.html(
                STYLE + "<p>Which assets work together now, and which could? Link two at a"
                " time. Links that could exist are often where mobilising starts.</p>"
            ),
            first,
            second,
            status,
            relation,
            message,
            link,
            ctx.html(f"<h3>Links ({len(links)})</h3>" + ("" if links else "<p>None yet.</p>")),
            *rows,
            confirm,
            ctx.html(alone + table_html(table, "Each asset and what it connects to")),
        ]
    )


# -- 5. mobilise ---------------------------------------------------------------------------


def action_form(ctx: PageContext, action_id: str) -> list[w.Widget]:
    responses = ctx.responses
    action = responses.get("action", action_id)
    assets = tuple((asset_id, label) for label, asset_id in _asset_options(responses))
    return [
        ctx.html(f"<h3>Editing {esc(action.get('title') or 'a new action')}</h3>"),
        ctx.field("action", action_id, "title"),
        ctx.field("action", action_id, "aim"),
        ctx.field("action", action_id, "assets", choices=assets),
        ctx.html('<p class="pk-hint">Actions that combine two or more assets tend to last.</p>'),
        ctx.field("action", action_id, "mode"),
        ctx.field("action", action_id, "lead"),
        ctx.field("action", action_id, "co_owners"),
        ctx.field("action", action_id, "first_step"),
        ctx.field("action", action_id, "due"),
        ctx.field("action", action_id, "status"),
        ctx.field("action", action_id, "review_date"),
    ]


def action_title(_action_id: str, action: dict[str, Any], number: int | None) -> str:
    return action.get("title") or f"(action {number} has no title yet)"


def build_mobilise(ctx: PageContext) -> w.Widget:
    from placekit_assets import results  # lazy, as in build_connect

    responses = ctx.responses
    actions = RecordList(
        ctx,
        "action",
        noun="action",
        inputs=lambda action_id, _number: action_form(ctx, action_id),
        new=lambda: {"title": "", "status": "idea", "assets": []},
        summary=lambda a, action, n: f"<strong>{esc(action_title(a, action, n))}</strong>",
        label=action_title,
        verb="Delete",
        ask="Delete the action “{name}”?",
        confirm=True,
        done_label="Done with this action",
    )
    plan = results.plan_table(data.actions(responses), data.assets(responses))
    return w.VBox(
        [
            ctx.html(
                STYLE + "<p>Choose assets to mobilise, and for what. For each action ask"
                " Nurture Development's three questions: can the community do it by itself,"
                " with some help, or does an agency need to? Name who leads it and by"
                " when.</p>"
            ),
            actions,
            ctx.html(table_html(plan, "The mobilisation plan") if len(plan) else ""),
        ]
    )


# -- 6. co-produce and review --------------------------------------------------------------


def build_review(ctx: PageContext) -> w.Widget:
    from placekit import chart_with_table, downloads  # lazy: the results page's pieces
    from placekit_assets import results  # lazy, as in build_connect

    summary = results.summarise(ctx.responses)
    parts: list[w.Widget] = [
        ctx.html(
            STYLE + '<div class="pk-panel">This is the team\'s map so far. Everyone sees the'
            " same map; come back to it as it grows.</div>"
            + "".join(f'<div class="pk-notice">{esc(n)}</div>' for n in summary.notes)
        )
    ]
    tables = [
        "Each asset and what it connects to",
        "Most-connected assets",
        "Assets by category",
        "Gaps: categories with few assets",
        "Mobilisation plan",
        "Under-used assets with no action yet",
    ]
    network = summary.figures.get("Network map")  # none until there is an asset
    if network is not None:
        parts += chart_with_table("Network map", network, summary.tables[network.table])
        tables.remove(network.table)
    for name in tables:
        frame = summary.tables[name]
        parts.append(
            ctx.html(
                f"<h3>{esc(name)}</h3>" + (table_html(frame) if len(frame) else "<p>None.</p>")
            )
        )
    title = ctx.responses.get("map", "map").get("place") or "asset map"
    parts.append(ctx.html(downloads(f"{title} assets", summary.tables)))
    return w.VBox(parts)
