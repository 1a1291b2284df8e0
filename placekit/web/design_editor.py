"""The facilitator's editor of a workbook's design (``placekit.data.design``): the welcome,
the exercises and their order, each one's dates, what was taken out (restorable), a ready
design to start from, and the design as a template file to download.

Every change is saved as it is made, over the version the editor last read, so two
facilitators editing at once never overwrite each other: the second is told, and shown
the design as it now is (``ConflictError``).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping
from typing import Any

import ipywidgets as w

from placekit import clock
from placekit.data import templates, workbook_design
from placekit.data.design import Design, DesignError, Window
from placekit.data.store import ConflictError, ReadOnlyWorkbook, Store
from placekit.exercise import Exercise
from placekit.widgets.confirm import ConfirmBox
from placekit.widgets.download import download_link
from placekit.widgets.html import button, esc, guarded, html_box

INTRO = (
    "<h2>What members see</h2><p>Choose the exercises in this workbook and the order your"
    " team does them in, greet them, and say when each exercise opens and closes. Every"
    " change is saved as you make it and members see it the next time they open their"
    " link. An exercise taken out keeps everything saved in it, and you can put it back.</p>"
)

WELCOME_HINT = (
    '<p class="pk-hint">Saved when you leave the box. A blank line starts a new paragraph.</p>'
)


def _described(
    choices: list[tuple[str, str]], label: str, about: Callable[[str], str]
) -> tuple[w.Dropdown, w.HTML]:
    """A dropdown of plain names and, beneath it, ``about`` the one chosen."""
    pick = w.Dropdown(options=choices, description=label, style={"description_width": "initial"})
    pick.add_class("pk-field")
    hint = html_box("")

    def describe(_change: Any = None) -> None:
        hint.value = f'<p class="pk-hint">{esc(about(pick.value))}</p>'

    describe()
    pick.observe(describe, "value")
    return pick, hint


def _slug(title: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")[:60]
    return slug if slug and slug[0].isalpha() else f"design-{slug}".strip("-")


class DesignEditor(w.VBox):
    def __init__(
        self,
        store: Store,
        workbook_id: str,
        title: str,
        exercises: Mapping[str, Exercise],
        ready: Mapping[str, templates.Template],
        on_change: Callable[[Design], Any] = lambda _design: None,
    ) -> None:
        super().__init__()
        self.store, self.workbook_id, self.title = store, workbook_id, title
        self.exercises, self.ready, self.on_change = exercises, ready, on_change
        self.saved = workbook_design.current(store, workbook_id, exercises)
        made = store.workbook(workbook_id) or {}
        # A downloaded template's durations count from the day the workbook was made.
        self.start = clock.local(made["created_at"]).date() if made else clock.now().date()
        self.message = html_box("")
        self.confirm = ConfirmBox(guarded(self._say))
        self.welcome = w.Textarea(
            value=self.saved.design.welcome,
            description="Welcome for members: why you are doing this, and by when",
            placeholder="For example: Before our day together on Thursday, please do the"
            " trust audit and your gut calls on the issues.",
            continuous_update=False,  # saved when the facilitator leaves the box
            style={"description_width": "initial"},
            layout=w.Layout(width="100%", height="6em"),
        )
        self.welcome.add_class("pk-field")
        self.welcome.observe(guarded(self._say)(self._welcome_changed), "value")
        self.rows = w.VBox()
        self.draw()

    # -- drawing ----------------------------------------------------------------------------

    def draw(self, focus: str = "") -> None:
        design = self.saved.design
        if self.welcome.value != design.welcome:
            self.welcome.value = design.welcome  # another facilitator's, after a conflict
        rows: list[w.Widget] = [html_box("<h3>Exercises, in the order members see them</h3>")]
        focused = None
        for n, ex_id in enumerate(design.exercises, 1):
            row, wanted = self._row(n, ex_id, design, focus)
            rows.append(row)
            focused = focused or wanted
        if not design.exercises:
            rows.append(html_box("<p>None yet: add one below.</p>"))
        rows.append(self._adder(design))
        rows.extend(self._removed(design))
        rows.extend(self._templates(design))
        self.rows.children = rows
        self.children = [
            html_box(INTRO),
            self.welcome,
            html_box(WELCOME_HINT),
            self.rows,
            self.confirm,
            self.message,
        ]
        if focused is not None:
            focused.focus()  # the moved exercise's button: the keyboard stays with it

    def _row(self, n: int, ex_id: str, design: Design, focus: str) -> tuple[w.Widget, Any]:
        ex = self.exercises.get(ex_id)
        title = ex.title if ex else f"{ex_id} (not installed)"
        summary = ex.summary if ex else "Its plugin is not installed on this server."
        window = design.window(ex_id)
        dates = window.describe(dt.datetime.now(dt.UTC))
        head = html_box(
            f'<h4>{n}. {esc(title)}</h4><p class="pk-hint">{esc(summary)}</p>'
            + (f"<p><strong>{esc(dates)}</strong></p>" if dates else "")
        )
        up = button(f"Move {title} up")
        down = button(f"Move {title} down")
        remove = button(f"Take {title} out")
        up.disabled = n == 1
        down.disabled = n == len(design.exercises)
        up.on_click(self._act(lambda d: d.moved(ex_id, -1), f"moved {title} up", f"up:{ex_id}"))
        down.on_click(
            self._act(lambda d: d.moved(ex_id, 1), f"moved {title} down", f"down:{ex_id}")
        )
        remove.on_click(self._act(lambda d: d.without(ex_id), f"took {title} out"))
        opens = w.DatePicker(value=window.opens, description=f"{title} opens on")
        closes = w.DatePicker(value=window.closes, description=f"{title} closes after")
        for picker in (opens, closes):
            picker.style.description_width = "initial"
            picker.add_class("pk-field")

        def dates_changed(_change: Any) -> None:
            new = Window(opens.value, closes.value)
            if new != design.window(ex_id):
                what = f"set the dates of {title}"
                self._save(lambda d: d.with_window(ex_id, new), what, f"dates:{ex_id}")

        for picker in (opens, closes):
            picker.observe(guarded(self._say)(dates_changed), "value")
        hint = html_box(
            '<p class="pk-hint">Leave a date empty for no limit. Members can answer all day on'
            " the closing day; after it, they can read what they gave but change nothing.</p>"
        )
        row = w.VBox([head, w.HBox([up, down, remove]), w.HBox([opens, closes]), hint])
        row.add_class("pk-design-row")
        wanted = {f"up:{ex_id}": up, f"down:{ex_id}": down}.get(focus)
        if wanted is not None and wanted.disabled:  # moved to an end: the other way
            wanted = down if wanted is up else up
        return row, wanted

    def _adder(self, design: Design) -> w.Widget:
        taken = {*design.exercises, *design.removed}  # a removed one is put back, below
        choices = [(ex.title, ex.id) for ex in self.exercises.values() if ex.id not in taken]
        if not choices:
            return html_box("<h3>Add an exercise</h3><p>Every exercise installed is in it.</p>")
        pick, about = _described(choices, "Add an exercise", lambda ex: self.exercises[ex].summary)
        add = button("Add it to the workbook")

        @guarded(self._say)
        def on_add(_b: Any) -> None:
            ex_id, title = pick.value, self.exercises[pick.value].title
            self._save(lambda d: d.added(ex_id), f"added {title}")

        add.on_click(on_add)
        return w.VBox([html_box("<h3>Add an exercise</h3>"), pick, about, add])

    def _removed(self, design: Design) -> list[w.Widget]:
        if not design.removed:
            return []
        found: list[w.Widget] = [
            html_box(
                "<h3>Taken out</h3><p>Members no longer see these. Everything saved in them is"
                " kept, and their results are still on this page.</p>"
            )
        ]
        for ex_id in design.removed:
            title = self.exercises[ex_id].title if ex_id in self.exercises else ex_id
            back = button(f"Put {title} back")
            back.on_click(self._act(lambda d, ex_id=ex_id: d.added(ex_id), f"put {title} back"))
            found.append(back)
        return found

    def _templates(self, design: Design) -> list[w.Widget]:
        template = (
            templates.from_design(
                design,
                id=_slug(self.title),
                title=self.title,
                start=self.start,
                summary=f"The design of {self.title}",
            )
            if design.exercises
            else None
        )
        found: list[w.Widget] = [
            html_box(
                "<h3>Templates</h3><p>Save this design to start another workbook from it: the"
                " exercises, their order, the welcome, and the dates as numbers of days from"
                " the day the workbook starts. Give the file to whoever runs PlaceKit, who"
                ' starts one with <code>placekit new "Title" --template FILE</code>, or use'
                " it on another workbook’s page, below.</p>"
                + (
                    "<p>"
                    + download_link(
                        f"{template.id}.toml",
                        "application/toml",
                        template.as_toml().encode("utf-8"),
                        "Download this design as a template (TOML)",
                    )
                    + "</p>"
                    if template
                    else ""
                )
            )
        ]
        found.extend(self._from_file())
        if not self.ready:
            return found

        def about_ready(template_id: str) -> str:
            t = self.ready[template_id]
            names = [
                self.exercises[e.id].title if e.id in self.exercises else f"{e.id} (not installed)"
                for e in t.exercises
            ]
            return f"{t.summary} ({', '.join(names)})"

        choices = [(t.title, t.id) for t in self.ready.values()]
        pick, about = _described(choices, "Start from a ready design", about_ready)
        use = button("Use this design")

        @guarded(self._say)
        def on_use(_b: Any) -> None:
            self._offer(self.ready[pick.value])

        use.on_click(on_use)
        return [*found, pick, about, use]

    def _from_file(self) -> list[w.Widget]:
        """A template file (one downloaded from another workbook, say) used here."""
        upload = w.FileUpload(
            accept=".toml,.json", multiple=False, description="Use a template file"
        )
        upload.add_class("pk-upload")
        upload.layout.width = "auto"

        def chosen(change: Any) -> None:
            files = change["new"]
            if not files:
                return
            name = str(files[0].get("name", "template"))
            try:
                template = templates.loads(bytes(files[0]["content"]), name)
            except templates.TemplateError as problem:
                self._say(
                    f"{name} cannot be used as a template: {'; '.join(problem.problems)}."
                    " Nothing has been changed.",
                    kind="pk-error",
                )
                return
            self._offer(template, f"from {name}")

        upload.observe(guarded(self._say)(chosen), "value")
        return [upload]

    def _offer(self, chosen: templates.Template, source: str = "") -> None:
        """Ask before ``chosen`` replaces the design; use it if the facilitator agrees."""
        self.confirm.ask(
            f"Use “{chosen.title}”{f' {source}' if source else ''}? It replaces this"
            " workbook’s exercises, their order, the welcome and the dates, counted from"
            " today. Exercises it leaves out are taken out, and keep everything saved in them.",
            "Yes, replace the design",
            guarded(self._say)(lambda: self._use(chosen)),
        )

    # -- saving -----------------------------------------------------------------------------

    def _use(self, chosen: templates.Template) -> None:
        left_out: list[str] = []

        def apply(d: Design) -> Design:
            new, missing = chosen.design(clock.now().date(), self.exercises)
            left_out[:] = missing
            out = [ex for ex in (*d.exercises, *d.removed) if ex not in new.exercises]
            return Design(new.exercises, tuple(out), new.welcome, new.windows).checked()

        self._save(apply, f"started from the design {chosen.title}")
        if left_out and "Saved" in self.message.value:
            self.message.value += (
                f"<p>Left out, as they are not installed here: {esc(', '.join(left_out))}.</p>"
            )

    def _welcome_changed(self, change: Any) -> None:
        if change["new"] != self.saved.design.welcome:
            self._save(lambda d: d.with_welcome(change["new"]), "changed the welcome")

    def _act(
        self, edit: Callable[[Design], Design], what: str, focus: str = ""
    ) -> Callable[..., Any]:
        return guarded(self._say)(lambda _b: self._save(edit, what, focus))

    def _save(self, edit: Callable[[Design], Design], what: str, focus: str = "") -> None:
        try:
            new = edit(self.saved.design)
            self.saved = workbook_design.save(
                self.store, self.workbook_id, new, self.saved.version, what
            )
        except DesignError as problem:
            self._say(str(problem), role="alert", kind="pk-error")
            self.draw()  # the pickers back to what is saved
            return
        except ConflictError:
            self.saved = workbook_design.current(self.store, self.workbook_id, self.exercises)
            self._say(
                "Another facilitator changed this workbook’s design a moment ago, so your"
                f" change ({what}) was not saved. The design is shown as it is now: make your"
                " change again if it is still needed."
            )
            self.draw()
            self.on_change(self.saved.design)
            return
        except ReadOnlyWorkbook as problem:
            self._say(str(problem))
            return
        self.message.value = f'<p role="status">Saved: {esc(what)}.</p>'
        self.draw(focus)
        self.on_change(self.saved.design)

    def _say(self, text: str, role: str = "alert", kind: str = "pk-warning") -> None:
        self.message.value = f'<div class="{kind}" role="{role}"><p>{esc(text)}</p></div>'
