"""The inventory page: every asset in a spreadsheet-like table, and importing a list.

The table is built from ordinary ipywidgets inputs rather than a canvas grid
(ipydatagrid): each cell is a real <input> or <select> with its own label, so Tab moves
through the cells, a screen reader reads "Steward of Eastvale Library", the browser's
own editing keys work, and every cell saves and reports conflicts through the same
wizard machinery as the rest of the kit. Sorting and filtering redraw only the rows.
"""

from __future__ import annotations

from typing import Any

import ipywidgets as w

from placekit import (
    ConfirmBox,
    ImportWidget,
    PageContext,
    Preview,
    button,
    download_link,
    esc,
    new_record_id,
)
from placekit_assets import data, importer
from placekit_assets.pages import (
    STYLE,
    deleted_assets,
)
from placekit_assets.schema import CATEGORIES, CATEGORY, CATEGORY_CHOICES

PAGE_ROWS = 25
# (field, heading, column width); "category", "strength" and "under_used" are not text.
COLUMNS = (
    ("name", "Name", "160px"),
    ("category", "Category", "150px"),
    ("steward_name", "Steward", "130px"),
    ("location", "Where", "130px"),
    ("area_code", "Area", "90px"),
    ("strength", "Strength", "85px"),
    ("under_used", "Under-used", "55px"),
)
ACTIONS_WIDTH = "160px"
TEMPLATE_WIDTHS = " ".join([c[2] for c in COLUMNS] + [ACTIONS_WIDTH])


def sort_key(field: str) -> Any:
    def key(item: tuple[str, dict[str, Any]]) -> tuple[int, Any]:
        value = item[1].get(field)
        if field == "category":
            value = CATEGORY[value].label if value in CATEGORY else ""
        if value in (None, ""):
            return (1, "")
        return (0, value.lower() if isinstance(value, str) else value)

    return key


def filtered(
    assets: dict[str, dict[str, Any]], category: str, text: str, sort: tuple[str, bool]
) -> list[tuple[str, dict[str, Any]]]:
    """The rows to show, filtered and sorted; unnamed (new) rows always first."""
    words = text.lower().split()

    def shown(asset: dict[str, Any]) -> bool:
        if category and asset.get("category") != category:
            return False
        haystack = " ".join(
            str(asset.get(f) or "")
            for f in ("name", "steward_name", "location", "postcode", "area_code", "subcategory")
        ).lower()
        return all(word in haystack for word in words)

    field, ascending = sort
    rows = [(k, v) for k, v in assets.items() if shown(v)]
    named = sorted((r for r in rows if r[1].get("name")), key=sort_key(field))
    if not ascending:
        filled = [r for r in named if sort_key(field)(r)[0] == 0]
        named = filled[::-1] + [r for r in named if sort_key(field)(r)[0] == 1]
    return [r for r in rows if not r[1].get("name")] + named


class Inventory(w.VBox):
    """The inventory page: filters, the sortable table (a page of rows at a time), Delete
    with Undo, adding a row, and importing a file. Each cell saves as it changes."""

    def __init__(self, ctx: PageContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.sort: tuple[str, bool] = ("name", True)  # (field, ascending)
        self.limit = PAGE_ROWS
        style = {"description_width": "initial"}
        self.category_filter = w.Dropdown(
            options=[("All categories", "")] + [(c.label, c.id) for c in CATEGORIES],
            value="",
            description="Show",
            style=style,
        )
        self.text_filter = w.Text(
            description="Containing",
            placeholder="name, steward, place or area",
            continuous_update=False,
            style=style,
        )
        self.counts = ctx.html("")
        self.head = w.GridBox(layout=w.Layout(grid_template_columns=TEMPLATE_WIDTHS))
        self.head.add_class("pk-grid-head")
        self.body = w.VBox()
        self.more = button(f"Show {PAGE_ROWS} more rows")
        self.confirm = ConfirmBox(ctx.guard)
        self.deleted = w.VBox()
        self.new_category = w.Dropdown(
            options=[(label, v) for v, label in CATEGORY_CHOICES],
            value="association",
            description="Category of the new row",
            style=style,
        )
        add = button("Add a row", "success")
        self.more.on_click(ctx.guard(lambda _b: self.show_more()))
        self.category_filter.observe(ctx.guard(lambda _c: self.refilter()), "value")
        self.text_filter.observe(ctx.guard(lambda _c: self.refilter()), "value")
        add.on_click(ctx.guard(lambda _b: self.add_row()))
        self.draw_head()
        self.redraw()
        table = w.VBox([self.head, self.body])
        table.add_class("pk-scroll")
        self.children = [
            ctx.html(
                STYLE + "<p>Every asset the team has recorded. Change a cell and it is saved;"
                " choose a heading to sort by it. “Open” shows an asset with all its"
                " fields (its postcode, description, who uses it, …).</p>"
            ),
            w.HBox([self.category_filter, self.text_filter]),
            self.counts,
            table,
            self.more,
            self.confirm,
            w.HBox([self.new_category, add]),
            self.deleted,
            *self._import_section(),
        ]

    # -- the table ---------------------------------------------------------------------------

    def draw_head(self) -> None:
        field, ascending = self.sort
        buttons = []
        for f, heading, _w in COLUMNS:
            arrow = (" ▲" if ascending else " ▼") if f == field else ""
            order = "ascending" if ascending else "descending"
            b = button(
                heading + arrow,
                tooltip=f"Sorted by {heading.lower()}, {order}" if arrow else f"Sort by {heading}",
            )
            b.layout.width = "95%"
            b.on_click(self.ctx.guard(lambda _b, f=f: self.resort(f)))
            buttons.append(b)
        self.head.children = [*buttons, self.ctx.html("<strong>Change</strong>")]

    def draw_rows(self) -> None:
        every = data.assets(self.ctx.responses)
        rows = filtered(every, self.category_filter.value, self.text_filter.value, self.sort)
        shown = rows[: self.limit]
        self.body.children = [self.row(k, v) for k, v in shown]
        self.more.layout.display = "" if len(rows) > len(shown) else "none"
        field, ascending = self.sort
        heading = dict((f, h) for f, h, _w in COLUMNS)[field]
        self.counts.value = (
            f'<p role="status">Showing {len(shown)} of {len(rows)} matching assets'
            f" ({len(every)} on the map), sorted by {esc(heading.lower())}"
            f" {'A to Z' if ascending else 'Z to A'}.</p>"
        )

    def redraw(self) -> None:
        self.confirm.clear()
        self.draw_rows()
        self.deleted.children = [deleted_assets(self.ctx, after=self.redraw)]
        self.ctx.refresh()

    def row(self, asset_id: str, asset: dict[str, Any]) -> w.Widget:
        ctx = self.ctx
        name = asset.get("name") or "the new asset"
        # The verb shows; the full name is in the accessible name and the tooltip.
        form = button(f"Open {name}", tooltip=f"Open {name} in the form")
        category = asset.get("category")
        form.on_click(ctx.guard(lambda _b: self.open_form(asset_id, category)))
        remove = button(f"Delete {name}", tooltip=f"Delete {name}")
        remove.on_click(ctx.guard(lambda _b: self.ask(asset_id, name)))
        for b in (form, remove):
            b.add_class("pk-sr-text")
        cells = [self.cell(asset_id, asset, f, h) for f, h, _w in COLUMNS]
        grid = w.GridBox(
            [*cells, w.HBox([form, remove])],
            layout=w.Layout(grid_template_columns=TEMPLATE_WIDTHS),
        )
        grid.add_class("pk-grid-row")
        grid.add_class("pk-grid")
        return grid

    def cell(self, asset_id: str, asset: dict[str, Any], field: str, heading: str) -> w.Widget:
        label = f"{heading} of {asset.get('name') or 'the new asset'}"
        if field == "category":
            widget: w.Widget = w.Dropdown(
                options=[(label_, v) for v, label_ in CATEGORY_CHOICES],
                value=asset.get("category"),
                description=label,
            )
        elif field == "strength":
            widget = w.Dropdown(
                options=[("—", None)] + [(str(i), i) for i in range(1, 6)],
                value=asset.get("strength"),
                description=label,
            )
        elif field == "under_used":
            widget = w.Checkbox(
                value=bool(asset.get("under_used")), description=label, indent=False
            )
        else:
            return self.ctx.field("asset", asset_id, field, label=label)
        widget.layout.width = "95%"
        save = self.ctx.guard(lambda change: self.save_cell(asset_id, field, change["new"]))
        widget.observe(save, "value")
        return widget

    # -- what the buttons do -------------------------------------------------------------------

    def save_cell(self, asset_id: str, name: str, value: Any) -> None:
        self.ctx.flush()
        current = self.ctx.responses.get("asset", asset_id)
        if current.get(name) != value:
            self.ctx.save("asset", asset_id, current | {name: value})

    def resort(self, field: str) -> None:
        current, ascending = self.sort
        self.sort = (field, not ascending if field == current else True)
        self.draw_head()
        self.draw_rows()

    def show_more(self) -> None:
        self.limit += PAGE_ROWS
        self.draw_rows()

    def refilter(self) -> None:
        self.limit = PAGE_ROWS
        self.draw_rows()

    def open_form(self, asset_id: str, category: str | None) -> None:
        self.ctx.flush()
        self.ctx.open("asset", asset_id)
        self.ctx.goto(f"recognise/{category}")

    def ask(self, asset_id: str, name: str) -> None:
        self.confirm.ask(
            f"Delete “{name}” from the map? You can undo this.",
            f"Yes, delete {name}",
            lambda: self.delete(asset_id),
        )

    def delete(self, asset_id: str) -> None:
        """Delete (a new version with no data: history keeps what it was, for Undo)."""
        if self.ctx.save("asset", asset_id, None):
            if self.ctx.opened("asset") == asset_id:
                self.ctx.open("asset", None)
            self.redraw()

    def add_row(self) -> None:
        self.ctx.flush()
        asset_id = new_record_id()
        if self.ctx.save(
            "asset", asset_id, data.new_asset(self.ctx.responses, self.new_category.value)
        ):
            self.redraw()

    # -- importing a file -----------------------------------------------------------------------

    def imported(self, preview: Preview, filename: str) -> str:
        assets, links = importer.save(self.ctx.responses, preview.frame)
        self.redraw()
        self.ctx.saved()
        linked = f" and {links} link{'s' if links != 1 else ''} between them" if links else ""
        return f"Imported {assets} asset{'s' if assets != 1 else ''}{linked} from {filename}."

    def _import_section(self) -> list[w.Widget]:
        template = download_link(
            "asset-list-template.csv",
            "text/csv",
            importer.TEMPLATE.encode("utf-8-sig"),
            "Download a template (CSV)",
        )
        check = lambda frame: importer.check(self.ctx.responses, frame)  # noqa: E731
        return [
            self.ctx.html(
                "<h3>Import a list you already keep</h3><p>Choose a CSV or Excel (.xlsx)"
                " file with one asset per row. Columns are matched to the asset's fields by"
                " their headings; it needs <strong>name</strong> and <strong>category"
                "</strong>. Every row is checked first, and you see each problem before"
                f" anything is saved. A file is imported whole or not at all.</p><p>{template}</p>"
            ),
            ImportWidget(importer.ASSET_FILE, self.imported, check),
        ]


def build_inventory(ctx: PageContext) -> w.Widget:
    return Inventory(ctx)
