"""The guided wizard shared by every exercise: one page at a time, saved as you go.

Modelled on aiidalab-widgets-base's wizard (each step has a state the wizard observes)
and the GOV.UK Design System: a task list for progress, an error summary that names the
fields once a Continue has failed (its error pattern), and "check your answers" pages.
"""

from __future__ import annotations

import asyncio
import dataclasses
import datetime as dt
import hashlib
import logging
from collections.abc import Callable, Sequence
from enum import Enum
from typing import Any

import ipywidgets as w

from placekit import clock
from placekit.data.responses import Responses
from placekit.data.store import ConflictError
from placekit.exercise import Exercise, Field, FieldError, Page
from placekit.live.blind import Hold
from placekit.plugins import get_registry
from placekit.widgets.checkboxes import CheckboxGroup
from placekit.widgets.html import OOPS, app, button, esc, guarded, html_box, page_title
from placekit.widgets.task_list import TaskList

log = logging.getLogger("placekit")

SAVE_DELAY = 0.4  # seconds of quiet before typed text is saved
POSITION_KEY = "_position/{member}"  # core-owned record: the page a member is on


class StepState(Enum):
    NOT_STARTED = "Not started"
    IN_PROGRESS = "In progress"
    COMPLETED = "Completed"
    LOCKED = "Cannot start yet"


def position_key(member: str | None) -> str:
    return POSITION_KEY.format(member=member)


def visited_pages(responses: Responses) -> set[str]:
    """The pages the responding member has opened (kept with their position)."""
    entry = responses.entries.get(position_key(responses.member))
    return set((entry.data or {}).get("visited", [])) if entry else set()


def answered_steps(exercise: Exercise, pages: Sequence[Page], responses: Responses) -> set[str]:
    """The steps the responding member has opened and answered in full (every page in them
    valid), confirmed on a "check your answers" page or not yet: what a live session's room
    counts as done, as the room moves on before anyone checks their answers (pure)."""
    visited = visited_pages(responses)
    answered = set()
    for step_id, _title in exercise.steps:
        mine = [p for p in pages if p.step == step_id]
        if (
            mine
            and not all(p.locked(responses) for p in mine)
            and any(p.id in visited for p in mine)
            and all(not p.validate(responses) for p in mine)
        ):
            answered.add(step_id)
    return answered


def step_states(
    exercise: Exercise,
    pages: Sequence[Page],
    responses: Responses,
    answered: set[str] | None = None,
) -> dict[str, StepState]:
    """Each step's state for the responding member, from what is saved (pure).

    A step is completed when the member has opened it and every page in it is valid; a
    step with a "check your answers" page still waiting to be confirmed (its ``confirm``
    set), or with a page before one, is in progress until it is confirmed, however valid
    its pages. An exercise says a page is confirmed by listing it with ``confirm=None``
    from then on. ``answered``: ``answered_steps``, if the caller has it already.
    """
    if answered is None:
        answered = answered_steps(exercise, pages, responses)
    visited = visited_pages(responses)
    # A "check your answers" page confirms the pages before it, back to an earlier check
    # page (an earlier round's): until it is confirmed, none of their steps is completed,
    # however valid (GOV.UK: done once submitted).
    unconfirmed: set[str] = set()
    waiting = next((i for i, p in enumerate(pages) if p.confirm is not None), None)
    if waiting is not None:
        check = pages[waiting].step
        start = max((i for i in range(waiting) if pages[i].step == check), default=-1)
        unconfirmed = {p.step for p in pages[start + 1 : waiting + 1]}
    states: dict[str, StepState] = {}
    for step_id, _title in exercise.steps:
        mine = [p for p in pages if p.step == step_id]
        if not mine or all(p.locked(responses) for p in mine):
            states[step_id] = StepState.LOCKED
        elif not any(p.id in visited for p in mine):
            states[step_id] = StepState.NOT_STARTED
        elif step_id in unconfirmed:
            states[step_id] = StepState.IN_PROGRESS  # seen, valid or not, but not confirmed
        elif step_id in answered:
            states[step_id] = StepState.COMPLETED
        else:
            states[step_id] = StepState.IN_PROGRESS
    return states


PLUGIN_FAILED = (
    "This page could not be shown because of a problem in the “{plugin}” plugin. Your"
    " answers are saved, and the rest of the workbook still works: go back, or choose"
    " another step. Tell your facilitator if it keeps happening."
)


def plugin_of(exercise: Exercise) -> str:
    return get_registry().owners.get(f"exercise:{exercise.id}", exercise.id)


def safe_pages(exercise: Exercise, responses: Responses) -> list[Page]:
    """The exercise's pages with its code fenced off: a plugin that raises inside a page
    costs that page, logged with the plugin's name, never the whole workbook."""
    plugin = plugin_of(exercise)
    message = PLUGIN_FAILED.format(plugin=plugin)

    def fenced(fn: Callable[..., Any], page_id: str, fallback: Callable[[], Any]) -> Any:
        def run(*args: Any) -> Any:
            try:
                return fn(*args)
            except Exception:
                log.exception("Plugin %r failed on page %r of %r", plugin, page_id, exercise.id)
                return fallback()

        return run

    try:
        pages = list(exercise.pages(responses))
    except Exception:
        log.exception("Plugin %r failed listing the pages of %r", plugin, exercise.id)
        first = exercise.steps[0][0] if exercise.steps else "problem"
        return [
            Page(
                "problem",
                first,
                "Sorry, there is a problem",
                lambda _c: None,
                locked=lambda _r: message,
            )
        ]
    declared = {step for step, _title in exercise.steps}
    for page in pages:
        if page.step not in declared:
            # Shown as "Step 0 of N" and never counted otherwise: refuse it as a plugin bug.
            log.error(
                "Plugin %r: page %r of %r belongs to step %r, which the exercise's steps do"
                " not declare",
                plugin,
                page.id,
                exercise.id,
                page.step,
            )
    return [
        dataclasses.replace(
            page,
            build=fenced(
                page.build,
                page.id,
                lambda: html_box(f'<div class="pk-warning" role="alert">{esc(message)}</div>'),
            ),
            validate=fenced(page.validate, page.id, lambda: [FieldError(message)]),
            locked=(
                fenced(page.locked, page.id, lambda: message)
                if page.step in declared
                else lambda _r: message
            ),
            confirm=fenced(page.confirm, page.id, lambda: None) if page.confirm else None,
        )
        for page in pages
    ]


def _to_widget_value(field: Field, value: Any) -> Any:
    if field.type == "date":
        return dt.date.fromisoformat(value) if value else None
    if field.type == "lines":
        return "\n".join(value or [])
    if field.type == "bool":
        return bool(value)
    if field.type in ("choice", "scale"):
        return value
    if field.type == "multichoice":
        return tuple(value or ())
    return value or ""


def _from_widget_value(field: Field, value: Any) -> Any:
    if field.type == "date":
        return value.isoformat() if value else None
    if field.type == "lines":
        return [line.strip() for line in str(value).splitlines() if line.strip()]
    if field.type in ("string", "text"):
        return str(value).strip()
    if field.type == "multichoice":
        return list(value)
    return value


def shown_value(field: Field, value: Any) -> str:
    """A stored value as a member reads it (plain text, lines apart): a choice's label, not
    its stored value; a list one item a line; Yes or No; a date written out."""
    if value is None or value == "" or value == []:
        return "(blank)"
    labels = {v: label for v, label in field.choices}
    if field.type in ("choice", "scale"):
        known = not isinstance(value, bool) and value in labels
        return str(labels[value]) if known else str(value)
    if field.type == "bool":
        return "Yes" if value else "No"
    if field.type == "date":
        try:
            day = dt.date.fromisoformat(str(value))
        except ValueError:
            return str(value)
        return f"{day.day} {day:%B %Y}"
    if isinstance(value, list | tuple):
        return "\n".join(str(labels.get(v, v)) for v in value)
    return str(value)


def make_input(field: Field, value: Any, disabled: bool = False) -> w.Widget:
    """A labelled input for a field. The label is the widget's own <label>, shown above."""
    common: dict[str, Any] = dict(
        description=field.label,
        disabled=disabled,
        style={"description_width": "initial"},
        layout=w.Layout(width="100%"),
    )
    current = _to_widget_value(field, value)
    if field.type in ("choice", "scale"):
        low, high = field.low or 0, field.high if field.high is not None else 5
        options = [(label, v) for v, label in field.choices] or [
            (str(i), i) for i in range(low, high + 1)
        ]
        # A stored value that is no longer an option (an edited file, an older version)
        # shows as unanswered, and the page asks for it again, rather than failing. The
        # field's own rule decides, so True or 4.0 (equal to 1 and 4 in Python, refused by
        # the rule) never show as chosen while Continue stays blocked.
        known = current is not None and field.check(current) is None
        known = known and any(type(v) is type(current) and v == current for _l, v in options)
        widget: w.Widget = w.RadioButtons(
            options=options, value=current if known else None, **common
        )
    elif field.type == "multichoice":
        options = [(label, v) for v, label in field.choices]
        known = {v for _label, v in options}
        widget = CheckboxGroup(
            options, [v for v in current if v in known], field.label, disabled=disabled
        )
    elif field.type in ("text", "lines"):
        widget = w.Textarea(value=current, rows=4, **common)
    elif field.type == "date":
        widget = w.DatePicker(value=current, **common)
    elif field.type == "bool":
        widget = w.Checkbox(value=current, indent=False, **common)
    else:
        widget = w.Text(value=current, **common)
    widget.add_class("pk-field")
    return widget


def anchor_class(slot_id: str) -> str:
    """A CSS class naming one field on the page, whatever characters its slot id holds."""
    return "pk-field-" + hashlib.sha1(slot_id.encode()).hexdigest()[:12]


class PageContext:
    """What a page's ``build`` gets: bound inputs that save as they change, and navigation.

    Attributes: ``responses`` (the exercise's records as this member sees them), ``member``
    (their id here), ``page``, ``read_only`` (set by a page to show saved answers only),
    and ``inputs`` (slot id -> widget). ``wizard`` is the core's own.
    """

    def __init__(self, wizard: Wizard, page: Page) -> None:
        self.wizard = wizard
        self.page = page
        self.responses = wizard.responses
        self.member = wizard.responses.member
        self.read_only = False
        self._versions: dict[tuple[str, str], int] = {}
        self._pending: dict[tuple[str, str], dict[str, Any]] = {}
        self._timers: dict[tuple[str, str], asyncio.TimerHandle] = {}
        self._error_slots: dict[str, w.HTML] = {}
        self.inputs: dict[str, w.Widget] = {}

    # -- building ------------------------------------------------------------------------

    def html(self, markup: str, *classes: str) -> w.HTML:
        return html_box(markup, *classes)

    def field(
        self,
        kind: str,
        record: str,
        name: str,
        *,
        label: str | None = None,
        slot: str = "",
        choices: tuple[tuple[Any, str], ...] | None = None,
    ) -> w.Widget:
        """An input bound to one field of one record: loaded from the store, saved on change.

        ``slot`` names the field in error messages (defaults to ``record.name``);
        ``choices`` replaces a choice field's options (a list someone set up at run time).
        """
        spec = self.responses.exercise.kind(kind).field(name)
        if label:
            spec = Field(**{**spec.__dict__, "label": label})
        if choices is not None:
            spec = Field(**{**spec.__dict__, "choices": choices})
        key = (kind, record)
        entry = self.responses.entry(kind, record)
        self._versions.setdefault(key, entry.version if entry else 0)
        current = (entry.data or {}).get(name) if entry else None
        widget = make_input(spec, current, disabled=self.read_only)
        slot_id = slot or f"{record}.{name}"
        hint = [html_box(esc(spec.hint), "pk-hint")] if spec.hint else []
        error = self.error_slot(slot_id, widget)
        text_like = spec.type in ("string", "text", "lines")

        def changed(change: dict[str, Any]) -> None:
            self._stage(key, name, _from_widget_value(spec, change["new"]), delay=text_like)

        widget.observe(self.wizard.guard(changed), "value")
        question = w.VBox([widget, *hint, error])
        question.add_class("pk-question")
        return question

    def error_slot(self, slot_id: str, widget: w.Widget) -> w.HTML:
        """Check ``widget`` as the field ``slot_id`` (the ``field`` of a ``FieldError``).

        Returns the box where its error is shown; place it after the widget, the two in a
        box with the class ``pk-question`` (marked red while the error shows). The error
        summary links to the widget, so pressing an error there moves to the field.
        """
        error = html_box("", "pk-error")
        self._error_slots[slot_id] = error
        self.inputs[slot_id] = widget
        widget.add_class(anchor_class(slot_id))
        return error

    # -- saving --------------------------------------------------------------------------

    def _stage(self, key: tuple[str, str], name: str, value: Any, delay: bool) -> None:
        self._pending.setdefault(key, {})[name] = value
        timer = self._timers.pop(key, None)
        if timer:
            timer.cancel()
        loop = _running_loop()
        if delay and loop is not None:
            self.wizard.set_status("Saving…")
            self._timers[key] = loop.call_later(SAVE_DELAY, self.wizard.guard(self._flush), key)
        else:
            self._flush(key)

    def _flush(self, key: tuple[str, str]) -> None:
        changes = self._pending.pop(key, None)
        self._timers.pop(key, None)
        if not changes:
            return
        kind, record = key
        data = self.responses.get(kind, record) | changes
        self.save(kind, record, data)

    def flush(self) -> None:
        """Save everything typed but not yet saved (before leaving the page)."""
        for key in list(self._pending):
            timer = self._timers.pop(key, None)
            if timer:
                timer.cancel()
            self._flush(key)

    def save(self, kind: str, record: str, data: dict[str, Any] | None) -> bool:
        """Save a whole record; on a conflict, show both versions and return False."""
        key = (kind, record)
        base = self._versions.get(key)
        if base is None:
            entry = self.responses.entry(kind, record)
            base = entry.version if entry else 0
        try:
            saved = self.responses.save(kind, record, data, base_version=base)
        except ConflictError as conflict:
            self.wizard.show_conflict(self, kind, record, conflict)
            return False
        self._versions[key] = saved.version
        self.wizard.saved()
        return True

    def adopt(self, kind: str, record: str, version: int) -> None:
        """Take ``version`` as the one this page edits from: after saving a record through
        ``responses`` directly, so the next ``save`` is not refused as a conflict."""
        self._versions[(kind, record)] = version

    def saved(self, status: str | None = None) -> None:
        """Tell the member something was saved (``status``, or "Saved at hh:mm:ss") and
        re-check the page: after saving through ``responses`` rather than ``save``."""
        if status is None:
            self.wizard.saved()
        else:
            self.wizard.set_status(status)
            self.wizard.refresh()

    def opened(self, kind: str) -> str | None:
        """The record of ``kind`` the member has open for editing (``open``), kept with
        their place in the wizard so a reload opens the same one."""
        entry = self.responses.entries.get(position_key(self.member))
        return ((entry.data or {}).get("open") or {}).get(kind) if entry else None

    def open(self, kind: str, record: str | None) -> None:
        """Remember ``record`` as the one of ``kind`` open for editing (None: none is)."""
        if self.opened(kind) == record:
            return
        key = position_key(self.member)
        entry = self.responses.entries.get(key)
        data = dict(entry.data or {}) if entry else {}
        data["open"] = {**(data.get("open") or {}), kind: record}
        try:
            self.responses._put(key, data, base_version=entry.version if entry else 0)
        except ConflictError:
            self.responses.reload()  # the member's other tab moved: either choice will do

    def guard(self, fn: Callable[..., Any]) -> Callable[..., Any]:
        """``fn`` (a button or observer handler) made safe: an error in it is logged and
        shown as the page's "something went wrong" message, never lost in the kernel."""
        return self.wizard.guard(fn)

    def refresh(self) -> None:
        """Re-check the page (errors, Continue, the task list) without rebuilding it."""
        self.wizard.refresh()

    # -- navigation and feedback -----------------------------------------------------------

    def goto(self, page_id: str) -> None:
        self.wizard.goto(page_id)

    def rebuild(self) -> None:
        self.wizard.show()

    def show_errors(self, errors: Sequence[FieldError]) -> None:
        """Mark the fields that have errors, each with its message beside it. The message
        alone marks its question red (the stylesheet's ``:has``): a class set on the input
        would make ipywidgets redraw a radio group and drop the keyboard's focus."""
        by_slot = {e.field: e.message for e in errors if e.field}
        for slot_id, box in self._error_slots.items():
            message = by_slot.get(slot_id, "")
            box.value = (
                f'<span><span class="pk-visually-hidden">Error: </span>{esc(message)}</span>'
                if message
                else ""
            )


def _closed_by(hold: Hold) -> Callable[[Responses], str]:
    return lambda _responses: hold.reason


def _running_loop() -> asyncio.AbstractEventLoop | None:
    try:
        return asyncio.get_running_loop()
    except RuntimeError:
        return None


class Wizard(w.VBox):
    """One exercise, one member: the task list, the current page, Back and Next."""

    def __init__(
        self,
        exercise: Exercise,
        responses: Responses,
        heading: str = "",
        holds: dict[str, Hold] | None = None,
    ) -> None:
        super().__init__()
        self.exercise = exercise
        self.responses = responses
        self.heading = heading
        self.pages: list[Page] = []
        self.errors: list[FieldError] = []  # what stops the member continuing, as last checked
        # GOV.UK's error pattern: nothing is marked wrong until a Continue fails. The page
        # where it failed (its errors are shown, and follow the answers, until the member
        # leaves it), and how many times, so each failure is announced again.
        self._tried: str | None = None
        self._tries = 0
        self._listed: list[str] = []  # the errors the summary lists now
        self.index = 0
        self.answered: set[str] = set()  # answered_steps, as the task list last showed them
        self.context: PageContext | None = None
        # The check page a member left to change an answer: Back and Continue return there.
        self.return_to: str | None = None
        self.home = ""  # the link back to all exercises, shown on the last page
        #: Steps the member may not open now, with why: a live session's blind round or
        #: closed round (``placekit.live.blind``); their pages are never built.
        self.holds: dict[str, Hold] = holds or {}
        self.banner = w.VBox()  # what the room says, in a live session
        self.tasks = TaskList(on_open=self.guard(self.open_step))
        self.progress = html_box("", "pk-progress")
        self.summary = html_box("")
        self.conflict = w.VBox()
        self.body = w.VBox()
        self.status = html_box("", "pk-status")
        self.back = button("Back")
        self.next = button("Continue", "success")
        self.next.add_class("mod-primary")
        self.problem = html_box("")
        self.finish = html_box("")
        self.back.on_click(self.guard(lambda _b: self.move(-1)))
        self.next.on_click(self.guard(lambda _b: self.move(+1)))
        self.children = [
            app(
                [
                    html_box(heading),
                    self.banner,
                    self.tasks,
                    self.progress,
                    self.problem,
                    self.summary,
                    self.conflict,
                    self.body,
                    w.HBox([self.back, self.next, self.finish]),
                    self.status,
                ]
            )
        ]
        self.index = self._resume_index()
        self.show()

    # -- plumbing ------------------------------------------------------------------------

    def guard(self, fn: Callable[..., Any]) -> Callable[..., Any]:
        where = f"plugin {plugin_of(self.exercise)!r}, exercise {self.exercise.id!r}"
        return guarded(self.oops, where)(fn)

    def oops(self, message: str = OOPS) -> None:
        self.problem.value = f'<div class="pk-warning" role="alert">{esc(message)}</div>'

    def set_status(self, text: str) -> None:
        # The page's template makes this box a polite live region: each change is read out.
        self.status.value = esc(text)

    def saved(self) -> None:
        self.set_status(f"Saved at {clock.now():%H:%M:%S}")
        self.refresh()

    def set_home(self, url: str) -> None:
        """Show a link back to all exercises (``url``) on the exercise's last page."""
        self.home = url
        self.refresh()

    def _resume_index(self) -> int:
        """The page the member was on; if it cannot be opened now (something they must
        answer first, say an issue added since they confirmed), the first page that still
        needs an answer, so they land on what brought them back."""
        self.pages = self._pages()
        entry = self.responses.entries.get(position_key(self.responses.member))
        data = (entry.data or {}) if entry else {}
        page_id = data.get("page")
        for i, page in enumerate(self.pages):
            if page.id == page_id and not page.locked(self.responses):
                self.return_to = data.get("return_to")
                return i
        if page_id is not None:
            for i, page in enumerate(self.pages):
                if not page.locked(self.responses) and page.validate(self.responses):
                    return i
        return 0

    def _pages(self) -> list[Page]:
        """The exercise's pages, each of a held step closed with the hold's reason."""
        pages = safe_pages(self.exercise, self.responses)
        if not self.holds:
            return pages
        held = self.holds
        return [
            dataclasses.replace(page, locked=_closed_by(held[page.step]))
            if page.step in held
            else page
            for page in pages
        ]

    def hold(self, holds: dict[str, Hold], own_only: frozenset[str] = frozenset()) -> None:
        """Close the steps of ``holds`` to the member and open those no longer in it, and
        show them only their own records of the team kinds ``own_only``; the page the
        member is on is drawn again if that changes it, and the change is read out (the
        member's focus stays where it was)."""
        mine_changed = own_only != self.responses.own_only
        if holds == self.holds and not mine_changed:
            return
        before = self.holds.get(self.page.step) if self.pages else None
        if self.context:
            self.context.flush()  # typing in a round as it closes is kept
        self.holds = dict(holds)
        self.responses.only_own(own_only)
        after = self.holds.get(self.page.step) if self.pages else None
        if before == after and not mine_changed:
            self.refresh()
            return
        self.show()
        if before == after:
            self.set_status(
                "Your facilitator has revealed the team's answers: this page now shows everyone's."
                if not own_only
                else "A live session has started: until your facilitator reveals the team's"
                " answers, you see only your own."
            )
            return
        if after is not None:
            self.set_status(f"{after.tag}: {after.reason}")
            return
        # Opened by the room; the exercise may still want something of the member first.
        still = self.page.locked(self.responses)
        self.set_status(
            f"Your facilitator has revealed this step to the room. {still}"
            if still
            else "This page has opened: your facilitator has revealed it to the room."
        )

    def _remember_position(self) -> None:
        """Save the page the member is on, and that they have opened it."""
        responses, key = self.responses, position_key(self.responses.member)
        current = responses.entries.get(key)
        data = (current.data or {}) if current else {}
        visited = set(data.get("visited", [])) | {self.page.id}
        if (
            data.get("page") == self.page.id
            and len(visited) == len(data.get("visited", []))
            and data.get("return_to") == self.return_to
        ):
            return
        try:
            responses._put(
                key,
                data
                | {"page": self.page.id, "visited": sorted(visited), "return_to": self.return_to},
                base_version=current.version if current else 0,
            )
        except ConflictError:
            responses.reload()  # another tab of this member moved too; either place will do

    @property
    def page(self) -> Page:
        return self.pages[self.index]

    @property
    def can_continue(self) -> bool:
        """Whether Continue would go on: it is there to press, and nothing stops the member."""
        return not self.next.disabled and not self.errors

    # -- navigation ----------------------------------------------------------------------

    def move(self, step: int) -> None:
        if self.context:
            self.context.flush()
        if step > 0:
            errors = self.page.validate(self.responses)
            if errors:
                self._tried = self.page.id
                self._tries += 1
                self.refresh(announce=True)
                return
            if self.page.confirm is not None:
                self.page.confirm(self.responses)
        back = self._return_page()
        if back is not None:
            # Changing an answer from "check your answers": back there (GOV.UK pattern).
            self.goto(back)
            return
        here = self.page.id
        self.pages = self._pages()
        # Confirming can change the list of pages: count from where this page is now.
        ids = [p.id for p in self.pages]
        start = ids.index(here) if here in ids else self.index
        self.index = max(0, min(len(self.pages) - 1, start + step))
        self.show(focus=True)

    def _return_page(self) -> str | None:
        """The check page to go back to from this one, if it is still there to open."""
        target = self.return_to
        if target is None or target == self.page.id:
            return None
        found = [p for p in self._pages() if p.id == target]
        return target if found and not found[0].locked(self.responses) else None

    def goto(self, page_id: str) -> None:
        """Open ``page_id``. Left from a "check your answers" page still to confirm, the
        member is brought back to it by Back or Continue."""
        if self.context:
            self.context.flush()
        self.return_to = self.page.id if self.pages and self.page.confirm is not None else None
        self.pages = self._pages()
        for i, page in enumerate(self.pages):
            if page.id == page_id:
                self.index = i
        if self.return_to == page_id:
            self.return_to = None
        self.show(focus=True)

    def open_step(self, step_id: str) -> None:
        """Open a step from the task list: its first page still needing an answer, or else
        its first page that can be opened."""
        self.pages = self._pages()
        open_pages = [p for p in self.pages if p.step == step_id and not p.locked(self.responses)]
        if not open_pages:
            return
        target = next((p for p in open_pages if p.validate(self.responses)), open_pages[0])
        self.return_to = None
        if self.context:
            self.context.flush()
        self.index = self.pages.index(target)
        self.show(focus=True)

    def show(self, focus: bool = False) -> None:
        """Build the current page from what is saved; ``focus``: the member moved here, so
        focus goes to its heading (for a screen reader, as a new page would)."""
        self.pages = self._pages()
        self.index = min(self.index, len(self.pages) - 1)
        self.problem.value = ""
        self.conflict.children = []
        page = self.page
        if self._tried != page.id:
            self._tried, self._tries = None, 0
        reason = page.locked(self.responses)
        if not reason:
            self._remember_position()
        self.context = PageContext(self, page)
        if reason:
            self.body.children = [html_box(f'<div class="pk-notice">{esc(reason)}</div>')]
        else:
            moved = " data-pk-focus" if focus else ""
            self.body.children = [
                html_box(f'<h2 tabindex="-1"{moved}>{esc(page.title)}</h2>'),
                page.build(self.context),
            ]
        self.refresh()

    def refresh(self, announce: bool = False) -> None:
        """Re-check the page: errors beside fields and in the summary, Next, task list.
        ``announce``: a Continue has just failed, so the summary is announced and focused."""
        page = self.page
        errors = [] if page.locked(self.responses) else page.validate(self.responses)
        self.errors = errors
        shown = errors if self._tried == page.id else []
        if self.context:
            self.context.show_errors(shown)
        self._draw_summary(shown, announce)
        last = self.index >= len(self.pages) - 1
        next_page = None if last else self.pages[self.index + 1]
        blocked = next_page.locked(self.responses) if next_page else None
        # Continue is never greyed out for errors (GOV.UK): pressing it says what is wrong,
        # even where the next page waits on this one. Greyed out only with nothing to say:
        # this page is done and the next still waits on something else ("Cannot start yet").
        if self.return_to is not None and self.return_to != page.id:
            self.next.disabled = False  # Continue goes back to the check page
        else:
            self.next.disabled = last or bool(blocked and not page.confirm and not errors)
        self.next.description = "Confirm and continue" if page.confirm else "Continue"
        self.back.disabled = self.index == 0
        self.finish.value = (
            f'<a class="pk-finish" href="{esc(self.home)}">Back to all exercises</a>'
            if last and self.home
            else ""
        )
        self._draw_tasks()

    def _draw_summary(self, errors: Sequence[FieldError], announce: bool) -> None:
        """GOV.UK's error summary at the top of the page, each error a link to its field.
        Announced (``role=alert``) and focused only as a Continue fails; as the member puts
        things right it loses them quietly, so nothing is read out at each keystroke."""
        inputs = self.context.inputs if self.context else {}
        items = [
            f'<li><a href="#" data-pk-field="{anchor_class(e.field)}">{esc(e.message)}</a></li>'
            if e.field in inputs
            else f"<li>{esc(e.message)}</li>"
            for e in errors
        ]
        if not items:
            self._listed = []
            self.summary.value = ""
            return
        if not announce and items == self._listed:
            return  # unchanged: redrawing it would read it out again
        self._listed = items
        alert = f' role="alert" data-pk-focus data-pk-try="{self._tries}"' if announce else ""
        self.summary.value = (
            f'<div class="pk-error-summary" tabindex="-1"{alert}>'
            f"<h2>There is a problem</h2><ul>{''.join(items)}</ul></div>"
        )

    def _draw_tasks(self) -> None:
        self.answered = answered_steps(self.exercise, self.pages, self.responses)
        states = step_states(self.exercise, self.pages, self.responses, self.answered)
        titles = dict(self.exercise.steps)
        rows = []
        for number, (step_id, title) in enumerate(self.exercise.steps, 1):
            state = states[step_id]
            tag = {
                StepState.COMPLETED: "pk-tag pk-tag-done",
                StepState.IN_PROGRESS: "pk-tag pk-tag-progress",
            }.get(state, "pk-tag")
            hold = self.holds.get(step_id)
            current = ' class="pk-current" aria-current="step"' if step_id == self.page.step else ""
            rows.append(
                f"<li{current}><span>{number}. {esc(title)}</span>"
                f'<span class="{tag}">{esc(hold.tag) if hold else state.value}</span></li>'
            )
        # A step that can start is a link to it; one that cannot yet is plain text.
        self.tasks.links = [
            None if states[step_id] is StepState.LOCKED else step_id
            for step_id, _title in self.exercise.steps
        ]
        self.tasks.value = f'<ol class="pk-tasks" aria-label="Your progress">{"".join(rows)}</ol>'
        step_ids = [s for s, _ in self.exercise.steps]
        if self.page.step not in step_ids:  # a plugin's mistake, shown as its problem
            self.progress.value = ""
            return
        position = step_ids.index(self.page.step) + 1
        same = [p for p in self.pages if p.step == self.page.step]
        sub = f" — page {same.index(self.page) + 1} of {len(same)}" if len(same) > 1 else ""
        step = f"Step {position} of {len(step_ids)}: {titles.get(self.page.step, '')}"
        # The browser tab's title, read out first on every step (the page's template sets it).
        title = page_title(step, self.exercise.title)
        self.progress.value = f'<span data-pk-title="{esc(title)}">{esc(step)}{sub}</span>'

    # -- conflicts -----------------------------------------------------------------------

    def show_conflict(
        self, ctx: PageContext, kind: str, record: str, conflict: ConflictError
    ) -> None:
        """Two people edited the same record: show both versions and let this one choose."""
        theirs = conflict.current
        names = {m["id"]: m["display_name"] for m in self.responses.members}
        who = names.get(theirs.author or "", "Someone else") if theirs else "Someone else"
        spec = self.exercise.kind(kind)
        their_data = theirs.data if theirs else None
        my_data = conflict.attempted

        def cell(data: dict[str, Any] | None, f: Field) -> str:
            if data is None:
                return "(deleted)"
            return esc(shown_value(f, data.get(f.name))).replace("\n", "<br>")

        def differs(f: Field) -> bool:
            blank = (None, "", [])
            if (their_data is None) != (my_data is None):
                return True  # one of the two deleted it
            a, b = ((d or {}).get(f.name) for d in (their_data, my_data))
            return (None if a in blank else a) != (None if b in blank else b)

        shown = [
            f
            for f in spec.fields
            if any(
                d is not None and d.get(f.name) not in (None, "", []) for d in (their_data, my_data)
            )
        ]
        changed = [f for f in shown if differs(f)]

        def row(f: Field) -> str:
            mark, tag = "", ""
            if f in changed:
                mark = ' class="pk-differs"'
                tag = ' <strong class="pk-tag pk-tag-progress">Differs</strong>'
            return (
                f'<tr{mark}><th scope="row">{esc(f.label)}{tag}</th>'
                f"<td>{cell(their_data, f)}</td><td>{cell(my_data, f)}</td></tr>"
            )

        rows = "".join(row(f) for f in shown) or (
            '<tr><td colspan="3">Both versions remove it.</td></tr>'
        )
        named = ", ".join(f"“{f.label}”" for f in changed)
        where = f"<p>The versions differ in: {esc(named)}.</p>" if changed else ""

        keep_theirs = button("Keep their version")
        keep_mine = button("Save my version instead", "warning")

        def take_theirs(_b: Any) -> None:
            self.responses.reload()
            self.show()
            # Nothing of this member's is waiting: what is stored is what the page shows.
            self.set_status("Saved: you kept their version")

        def take_mine(_b: Any) -> None:
            ctx.adopt(kind, record, theirs.version if theirs else 0)
            self.conflict.children = []
            ctx.save(kind, record, conflict.attempted)
            self.responses.reload()
            self.show()

        keep_theirs.on_click(self.guard(take_theirs))
        keep_mine.on_click(self.guard(take_mine))
        self.conflict.children = [
            html_box(
                '<div class="pk-warning" role="alert"><h2>Someone else changed this</h2>'
                f"<p>{esc(who)} saved a change to this while you were editing. Nothing has"
                f" been overwritten. Choose which version to keep.</p>{where}"
                '<table class="pk-table"><thead><tr><th scope="col">Question</th>'
                '<th scope="col">Their version</th><th scope="col">Your version</th></tr>'
                f"</thead><tbody>{rows}</tbody></table></div>"
            ),
            w.HBox([keep_theirs, keep_mine]),
        ]
        self.set_status("Not saved: someone else changed this")
