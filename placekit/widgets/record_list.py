"""A list of one kind's records on a page: add, edit, remove (and undo), reorder.

The GOV.UK "add another" pattern, written once for every exercise that keeps a list (the
triage's issues, the ally map's stakeholders and ties, the asset map's assets and actions):

- each record shows its inputs under a heading ("Issue 2"), or, with ``summary``, as one
  line with Edit, which opens that record's inputs alone (one record at a time, and the
  open one is remembered across a reload);
- Remove takes the record out; with ``confirm`` it asks first, and with ``undo`` the
  recently removed are listed with Undo (their data comes back from history);
- with ``reorder``, Move up and Move down (kept in the core's ``_order`` record);
- Add saves a new record made by ``new`` and rebuilds the page; ``limit`` caps the list.

Records save through the page's context (``ctx.save``), so conflicts, "Saved at" and the
task list behave as for any input.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

import ipywidgets as w

from placekit.data.records import ORDER_KEY, new_record_id, ordered, recently_removed
from placekit.data.store import ConflictError
from placekit.errors import PlaceKitError
from placekit.widgets.confirm import ConfirmBox
from placekit.widgets.html import button, esc

if TYPE_CHECKING:
    from placekit.web.wizard import PageContext  # the page shell is the layer above


def _article(noun: str) -> str:
    return "an" if noun[:1].lower() in "aeiou" else "a"


class RecordList(w.VBox):
    """``inputs(record_id, number)`` gives the widgets editing one record (usually
    ``ctx.field`` calls); ``new()`` the data of an added one. ``where(data)`` keeps the
    list to some of the kind's records (say, one category's). ``label(record_id, data,
    number)`` names a record in buttons and questions ("issue 2" by default; ``number``
    is None for a removed one). ``verb`` is the removing word ("Remove", or "Delete" where
    that is what the page says) and ``ask`` the question before it, with ``{verb}`` and
    ``{name}`` filled in."""

    def __init__(
        self,
        ctx: PageContext,
        kind: str,
        *,
        noun: str,
        inputs: Callable[[str, int], Sequence[w.Widget]],
        new: Callable[[], dict[str, Any]] = dict,
        where: Callable[[dict[str, Any]], bool] | None = None,
        limit: int | None = None,
        summary: Callable[[str, dict[str, Any], int], str] | None = None,
        label: Callable[[str, dict[str, Any], int | None], str] | None = None,
        confirm: bool = False,
        undo: bool = False,
        reorder: bool = False,
        add_label: str = "",
        can_add: bool = True,
        verb: str = "Remove",
        ask: str = "{verb} “{name}”?",
        done_label: str = "Done",
        undo_limit: int = 5,
    ) -> None:
        super().__init__()
        spec = ctx.responses.exercise.kind(kind)
        if reorder and spec.scope != "team":
            raise PlaceKitError(f"only a team kind can be reordered; {kind!r} is a member kind")
        if reorder and where is not None:
            # The order is the kind's, all of it: moving within a part would scramble the rest.
            raise PlaceKitError("a list of some of a kind's records (where=) cannot be reordered")
        self.ctx, self.kind, self.noun = ctx, kind, noun
        self._inputs, self._new, self._summary = inputs, new, summary
        self._label = label
        self._confirm, self._undo, self._reorder = confirm, undo, reorder
        self._limit, self._verb, self._ask, self._done = limit, verb, ask, done_label
        self._undo_limit = undo_limit
        self._where = where or (lambda _data: True)
        found = {r: d for r, d in ctx.responses.records(kind).items() if self._where(d)}
        self.records = ordered(ctx.responses, kind, found) if reorder else found
        self.asking = ConfirmBox(ctx.guard)
        # GOV.UK's "add another" is a secondary button: the page's main action is Continue.
        self.add_button = button(add_label or f"Add {_article(noun)} {noun}")
        self.add_button.on_click(ctx.guard(lambda _b: self.add()))
        self.add_button.disabled = not can_add or (limit is not None and len(found) >= limit)
        self.children = self._draw()

    # -- actions (each saves, then rebuilds the page) ----------------------------------------

    def add(self, data: dict[str, Any] | None = None) -> str | None:
        """Save a new record (``data``, or ``new()``); returns its id, None if refused."""
        if self._limit is not None and len(self.records) >= self._limit:
            return None
        ctx = self.ctx
        ctx.flush()
        record = new_record_id()
        if not ctx.save(self.kind, record, data if data is not None else self._new()):
            return None
        if self._summary is not None:
            ctx.open(self.kind, record)
        ctx.rebuild()
        return record

    def remove(self, record: str) -> None:
        ctx = self.ctx
        ctx.flush()
        if ctx.save(self.kind, record, None):
            if ctx.opened(self.kind) == record:
                ctx.open(self.kind, None)
            ctx.rebuild()

    def edit(self, record: str | None) -> None:
        """Open one record's inputs (None closes it)."""
        self.ctx.flush()
        self.ctx.open(self.kind, record)
        self.ctx.rebuild()

    def move(self, record: str, by: int) -> None:
        """Move a record ``by`` places (-1 is up), keeping the order for everyone."""
        ids = list(self.records)
        at = ids.index(record)
        to = min(max(at + by, 0), len(ids) - 1)
        ids.insert(to, ids.pop(at))
        responses = self.ctx.responses
        entry = responses.entries.get(ORDER_KEY)
        data = dict(entry.data or {}) if entry else {}
        try:
            # The order is the core's own record (no declared kind), hence ``_put``.
            responses._put(ORDER_KEY, data | {self.kind: ids}, entry.version if entry else 0)
        except ConflictError:
            responses.reload()  # someone else reordered first: show theirs, lose nothing
        else:
            self.ctx.saved()
        self.ctx.rebuild()

    # -- drawing ---------------------------------------------------------------------------

    def name_of(self, record: str, data: dict[str, Any], number: int | None) -> str:
        if self._label is not None:
            return self._label(record, data, number)
        return f"{self.noun} {number}" if number else self.noun

    def _draw(self) -> list[w.Widget]:
        ctx = self.ctx
        opened = ctx.opened(self.kind) if self._summary is not None else None
        rows: list[w.Widget] = []
        for number, (record, data) in enumerate(self.records.items(), 1):
            name = self.name_of(record, data, number)
            controls = self._controls(record, number, name)
            if self._summary is None:
                rows += [
                    ctx.html(f"<h3>{esc(name[:1].upper() + name[1:])}</h3>"),
                    *self._inputs(record, number),
                    w.HBox(controls),
                ]
                continue
            edit = button(f"Edit {name}")
            edit.on_click(ctx.guard(lambda _b, r=record: self.edit(r)))
            line = w.HBox(
                [ctx.html(self._summary(record, data, number)), edit, *controls],
                layout=w.Layout(justify_content="space-between"),
            )
            line.add_class("pk-row")
            rows.append(line)
            if record == opened:
                done = button(self._done, "success")
                done.on_click(ctx.guard(lambda _b: self.edit(None)))
                editor = w.VBox([*self._inputs(record, number), done])
                editor.add_class("pk-editor")
                rows.append(editor)
        return [*rows, self.asking, self.add_button, *self._removed()]

    def _controls(self, record: str, number: int, name: str) -> list[w.Widget]:
        ctx = self.ctx
        verb = self._verb
        remove = button(f"{verb} {name}")
        if self._confirm:
            question = self._ask.format(verb=verb, name=name)
            question += " You can undo this." if self._undo else ""
            yes = f"Yes, {verb.lower()} {name}"

            def ask(_b: Any) -> None:
                self.asking.ask(question, yes, lambda: self.remove(record))

            remove.on_click(ctx.guard(ask))
        else:
            remove.on_click(ctx.guard(lambda _b: self.remove(record)))
        controls = [remove]
        if self._reorder:
            up, down = button(f"Move {name} up"), button(f"Move {name} down")
            up.disabled, down.disabled = number == 1, number == len(self.records)
            up.on_click(ctx.guard(lambda _b: self.move(record, -1)))
            down.on_click(ctx.guard(lambda _b: self.move(record, 1)))
            controls += [up, down]
        return controls

    def _removed(self) -> list[w.Widget]:
        if not self._undo:
            return []
        return [
            removed_list(
                self.ctx,
                self.kind,
                name=lambda record, data: self.name_of(record, data, None),
                where=self._where,
                verb=self._verb,
                limit=self._undo_limit,
            )
        ]


def removed_list(
    ctx: PageContext,
    kind: str,
    *,
    name: Callable[[str, dict[str, Any]], str],
    where: Callable[[dict[str, Any]], bool] = lambda _data: True,
    verb: str = "Remove",
    limit: int = 5,
    after: Callable[[], None] | None = None,
) -> w.Widget:
    """The most recently removed records of ``kind`` (those ``where`` keeps), each with
    Undo, which brings its data back from history, then calls ``after`` (default: rebuild
    the page)."""
    gone = [g for g in recently_removed(ctx.responses, kind) if where(g.data)][:limit]
    if not gone:
        return w.VBox()
    stem = verb.lower().rstrip("e")  # remove -> removed, removing; delete -> deleted, deleting
    rows: list[w.Widget] = [ctx.html(f"<h3>Recently {stem}ed</h3>")]
    for g in gone:
        called = name(g.record, g.data)
        undo = button(f"Undo {stem}ing {called}")

        def restore(_b: Any, g: Any = g) -> None:
            ctx.adopt(kind, g.record, g.version)
            if ctx.save(kind, g.record, g.data):
                (after or ctx.rebuild)()

        undo.on_click(ctx.guard(restore))
        rows.append(w.HBox([ctx.html(f"<p>{esc(called)}</p>"), undo]))
    return w.VBox(rows)
