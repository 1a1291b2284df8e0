"""An upload-and-preview widget for importing a spreadsheet into any exercise's schema.

Choose a file → it is read and checked (with a progress bar) → columns that were not
matched by name can be mapped by hand, and the words of a choice column matched to the
schema's values ("Walk-in" is "Face to face") → every problem is listed by row and column,
with personal-data warnings → only a file with no problems can be imported, in one go. What
"import" means (where the rows are saved) is the exercise's business: it passes ``on_save``.

The mappings outlive the file: choosing a corrected file again keeps them, and with
``remember`` an exercise can keep them for the next visit too (``memory``). A change of one
mapping re-checks only the column it touches and updates the inputs already on the page
rather than drawing new ones, which the browser would otherwise have to build each time.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import ipywidgets as w
import pandas as pd

from placekit.importing.files import (
    Column,
    Preview,
    RawTable,
    Schema,
    UnreadableFile,
    match_columns,
    preview,
    read_file,
)
from placekit.importing.values import EMPTY, ValueMatch
from placekit.widgets.download import download_link
from placekit.widgets.html import OOPS, button, esc, guarded, html_box, table_html

SHOWN_PROBLEMS = 100  # listed in the page; the rest are counted and downloadable
DOWNLOAD_PROBLEMS = 100_000
ABSENT = "— not in this file —"
UNCHOSEN = "\x00"  # a value dropdown's "choose what it means": never a stored value
SHOWN_WORDS = 25  # unusual words listed per column; more suggests the wrong column

#: What ``memory`` and ``remember`` carry: the person's column mapping (schema column ->
#: file heading) and what words mean (schema column -> value key -> stored value).
Memory = dict[str, dict[str, Any]]


class ImportWidget(w.VBox):
    """Upload, map, preview and import. ``on_save(preview, filename)`` saves the rows and
    returns a sentence for the page; ``check(frame)`` may add problems (as a DataFrame of
    row, column, value, message), for rules only the exercise knows. ``memory`` is what an
    earlier visit chose (``{"columns": ..., "values": ...}``) and ``remember(memory)`` is
    told each change, to keep it."""

    def __init__(
        self,
        schema: Schema,
        on_save: Callable[[Preview, str], str],
        check: Callable[[pd.DataFrame], pd.DataFrame] | None = None,
        accept: str = ".csv,.txt,.xlsx",
        memory: Memory | None = None,
        remember: Callable[[Memory], None] | None = None,
    ) -> None:
        self.schema = schema
        self.on_save = on_save
        self.check = check
        self.remember = remember
        self.raw: RawTable | None = None
        self.result: Preview | None = None
        self.filename = ""
        memory = memory or {}
        self.mapping: dict[str, str] = dict(memory.get("columns") or {})
        self.meanings: dict[str, dict[str, str]] = {
            name: dict(words) for name, words in (memory.get("values") or {}).items()
        }
        self._column_picks: dict[str, w.Dropdown] = {}
        self._value_picks: dict[tuple[str, str], w.Dropdown] = {}
        self._values_shown: tuple[tuple[str, str], ...] | None = None
        self._quiet = False  # set while the widget itself moves a dropdown
        self.upload = w.FileUpload(accept=accept, multiple=False, description="Choose a file")
        self.upload.add_class("pk-upload")
        self.upload.layout.width = "auto"  # the whole label, not "Choose …"
        self.progress = w.FloatProgress(
            value=0, min=0, max=1, description="", layout=w.Layout(width="100%", display="none")
        )
        self.progress_label = html_box("", "pk-progress")
        self.message = html_box("")
        self.mapping_box = w.VBox()
        self.values_box = w.VBox()
        self.values_box.add_class("pk-values")
        self.suggested = button("Use the suggested meanings")
        self.suggested.layout.display = "none"
        self.details = html_box("")
        self.save_button = button("Import", "success")
        self.save_button.add_class("mod-primary")
        self.save_button.disabled = True
        self.save_button.layout.display = "none"
        self.done = html_box("")
        show = guarded(self._oops)
        self.upload.observe(show(self._uploaded), "value")
        self.save_button.on_click(show(self._save))
        self.suggested.on_click(show(self._use_suggestions))
        super().__init__(
            [
                self.upload,
                self.progress_label,
                self.progress,
                self.message,
                self.mapping_box,
                self.values_box,
                self.details,
                self.save_button,
                self.done,
            ]
        )
        self.add_class("pk-import")

    # -- feedback ------------------------------------------------------------------------

    def _oops(self, text: str = OOPS) -> None:
        self._progress(None)
        self.message.value = f'<div class="pk-warning" role="alert">{esc(text)}</div>'

    def _progress(self, fraction: float | None, label: str = "") -> None:
        if fraction is None:
            self.progress.layout.display = "none"
            self.progress_label.value = ""
            return
        self.progress.layout.display = ""
        self.progress.value = max(0.0, min(1.0, fraction))
        self.progress_label.value = f'<span aria-live="polite">{esc(label)}…</span>'

    # -- steps ---------------------------------------------------------------------------

    def _uploaded(self, change: dict[str, Any]) -> None:
        files = change["new"]
        if not files:
            return
        upload = files[0]
        self.filename = str(upload.get("name", ""))
        self.done.value = ""
        self.message.value = ""
        self.result = None  # the mappings stay: a corrected file is usually the same shape
        self._progress(0.02, f"Reading {self.filename}")
        try:
            self.raw = read_file(bytes(upload["content"]), self.filename, self._progress)
        except UnreadableFile as problem:
            self.raw = None
            self._progress(None)
            self._clear()
            self._hide_save()
            self.message.value = (
                f'<div class="pk-error-summary" role="alert"><h2>This file cannot be'
                f" imported</h2><p>{esc(self.filename)}: {esc(problem)}</p>"
                "<p>Nothing has been saved.</p></div>"
            )
            return
        finally:
            self.upload.value = ()  # free the bytes; the parsed table is kept
        self._draw_columns()
        self._check()

    def _replace(self, box: w.Box, children: list[w.Widget]) -> None:
        """Put ``children`` in ``box``, closing the ones they replace (each open widget
        keeps a model in the browser until it is closed)."""
        keep = {id(c) for c in children} | {id(self.suggested)}
        old = box.children
        box.children = children
        for child in old:
            if id(child) not in keep:
                child.close()

    def _clear(self) -> None:
        self._replace(self.mapping_box, [])
        self._replace(self.values_box, [])
        self._column_picks, self._value_picks, self._values_shown = {}, {}, None
        self.suggested.layout.display = "none"
        self.details.value = ""

    def _changed(self) -> None:
        """After the person changed a mapping: keep it, and check the file again."""
        if self.remember is not None:
            self.remember(
                {
                    "columns": dict(self.mapping),
                    "values": {k: dict(v) for k, v in self.meanings.items() if v},
                }
            )
        self._check()

    def _check(self) -> None:
        assert self.raw is not None
        result = preview(self.raw, self.schema, self.mapping, self._progress, self.meanings)
        if self.check is not None and len(result.frame):
            extra = self.check(result.frame)
            if len(extra):
                result.problems = (
                    pd.concat([result.problems, extra], ignore_index=True)
                    .sort_values(["row"], kind="stable", na_position="first")
                    .reset_index(drop=True)
                )
        self.result = result
        self._progress(None)
        self._show_columns(result)
        self._draw_values(result)
        self._draw(result)

    # -- the file's columns ----------------------------------------------------------------

    def _draw_columns(self) -> None:
        """A dropdown for each schema column the file's headings did not name (once per
        file: a change only moves the dropdowns' values)."""
        assert self.raw is not None
        found = match_columns(self.raw.headings, self.schema)
        ordered = sorted(
            (c for c in self.schema.columns if c.name not in found or c.name in self.mapping),
            key=lambda c: not c.required,
        )
        spare = [h for h in self.raw.headings if h not in found.values()]
        self._column_picks = {}
        if not ordered:
            self._replace(self.mapping_box, [])
            return
        rows: list[w.Widget] = [
            html_box(
                "<h3>Match the file’s columns</h3><p>These columns were not found by name."
                " If the file has them under another heading, choose it.</p>"
            )
        ]
        for column in ordered:
            kept = self.mapping.get(column.name, "")
            headings = spare + ([kept] if kept in self.raw.headings else [])
            options = [(ABSENT, "")] + [(h, h) for h in dict.fromkeys(headings)]
            pick = w.Dropdown(
                options=options,
                value=kept if kept in self.raw.headings else "",
                description=f"{column.title}{' (required)' if column.required else ''}",
                style={"description_width": "initial"},
                layout=w.Layout(width="100%", max_width="40em"),
            )
            pick.add_class("pk-field")

            def chosen(change: dict[str, Any], name: str = column.name) -> None:
                if self._quiet:
                    return
                self.mapping[name] = change["new"]
                self._changed()

            pick.observe(guarded(self._oops)(chosen), "value")
            self._column_picks[column.name] = pick
            rows.append(pick)
        self._replace(self.mapping_box, rows)

    def _show_columns(self, result: Preview) -> None:
        """Each column dropdown shows the heading the check used (one heading can be
        chosen for one column only, so choosing it elsewhere clears it here)."""
        self._quiet = True
        try:
            for name, pick in self._column_picks.items():
                used = result.mapping.get(name, "")
                if pick.value != used and used in {v for _l, v in pick.options}:
                    pick.value = used
        finally:
            self._quiet = False

    # -- what the file's words mean ----------------------------------------------------------

    def _value_options(self, column: Column, match: ValueMatch) -> list[tuple[str, str]]:
        options = [(f"Choose what “{match.text}” means", UNCHOSEN)]
        for value in column.choices:
            hint = " (suggested)" if value == match.suggestion else ""
            options.append((f"{column.label_of(value)}{hint}", value))
        if not column.required:
            options.append(("Leave it empty", EMPTY))
        return options

    def _draw_values(self, result: Preview) -> None:
        """For each choice column, the file's words that are not written as the schema's
        values are, each with what it is read as, to confirm or change."""
        shown = tuple(
            (name, m.key) for name, found in result.values.items() for m in found[:SHOWN_WORDS]
        )
        if shown != self._values_shown:
            self._build_values(result)
            self._values_shown = shown
        self._quiet = True
        try:
            for found in result.values.values():
                for match in found[:SHOWN_WORDS]:
                    pick = self._value_picks[(match.column, match.key)]
                    wanted = UNCHOSEN if match.value is None else match.value
                    if pick.value != wanted:
                        pick.value = wanted
        finally:
            self._quiet = False
        hints = [m for m in result.unknown if m.suggestion]
        self.suggested.description = (
            f"Use the {len(hints)} suggested meaning{'s' if len(hints) != 1 else ''}"
        )
        self.suggested.layout.display = "" if hints else "none"

    def _build_values(self, result: Preview) -> None:
        self._value_picks = {}
        if not result.values:
            self._replace(self.values_box, [])
            return
        rows: list[w.Widget] = [
            html_box(
                "<h3>What the file’s words mean</h3><p>These words in the file are not"
                " written the way this exercise records them. Check what each is read as,"
                " and choose what the others mean. Your choices are kept for the next"
                " file.</p>"
            )
        ]
        for name, found in result.values.items():
            column = self.schema.column(name)
            rows.append(html_box(f"<h4>{esc(column.title)}</h4>"))
            for match in found[:SHOWN_WORDS]:
                rows_of = f"{match.rows:,} row{'s' if match.rows != 1 else ''}"
                pick = w.Dropdown(
                    options=self._value_options(column, match),
                    value=UNCHOSEN,
                    description=f"“{match.text}” ({rows_of})",
                    style={"description_width": "initial"},
                    layout=w.Layout(width="100%", max_width="40em"),
                )
                pick.add_class("pk-field")

                def meant(change: dict[str, Any], name: str = name, key: str = match.key) -> None:
                    if self._quiet:
                        return
                    words = self.meanings.setdefault(name, {})
                    if change["new"] == UNCHOSEN:
                        words.pop(key, None)
                    else:
                        words[key] = change["new"]
                    self._changed()

                pick.observe(guarded(self._oops)(meant), "value")
                self._value_picks[(name, match.key)] = pick
                rows.append(pick)
            if len(found) > SHOWN_WORDS:
                rows.append(
                    html_box(
                        f"<p>… and {len(found) - SHOWN_WORDS:,} more different words. Is"
                        f" this the right column for {esc(column.title)}?</p>"
                    )
                )
        rows.append(self.suggested)
        self._replace(self.values_box, rows)

    def _use_suggestions(self, _button: Any) -> None:
        if self.result is None:
            return
        for match in self.result.unknown:
            if match.suggestion:
                self.meanings.setdefault(match.column, {})[match.key] = match.suggestion
        self._changed()

    def _draw(self, result: Preview) -> None:
        matched = ", ".join(f"{h} → {result.titles.get(c, c)}" for c, h in result.mapping.items())
        parts = [
            f"<h3>What is in {esc(self.filename)}</h3>"
            f"<p>{result.rows:,} rows read ({esc(result.source)}). Columns matched:"
            f" {esc(matched)}.</p>"
        ]
        if result.unmatched:
            parts.append(
                f"<p>Not imported (not part of the record): {esc(', '.join(result.unmatched))}.</p>"
            )
        if result.personal:
            items = "".join(f"<li>{esc(p.message)}</li>" for p in result.personal)
            parts.append(
                '<div class="pk-warning" role="alert"><h3>Possible personal data</h3>'
                f"<ul>{items}</ul><p>Remove personal data from the file (or redact it in the"
                " text) before importing, unless the people it names have agreed to be"
                " recorded. Columns that are not part of the record are never imported.</p>"
                "</div>"
            )
        if result.ok:
            parts.append(
                f'<div class="pk-notice"><p>No problems found. Import all {result.rows:,}'
                " rows?</p></div>"
            )
            self.message.value = ""
            self.save_button.description = f"Import {result.rows:,} rows"
            self.save_button.disabled = False
            self.save_button.layout.display = ""
        else:
            self._hide_save()
            count = len(result.problems)
            listed = result.messages(SHOWN_PROBLEMS)
            items = "".join(f"<li>{esc(m)}</li>" for m in listed)
            more = (
                f"<p>… and {count - len(listed):,} more. The table below counts them by"
                " column; the download lists them all.</p>"
                if count > len(listed)
                else ""
            )
            unknown = result.unknown
            one = len(unknown) == 1
            words = (
                f"<p>{len(unknown):,} word{'' if one else 's'} in the file"
                f" {'is' if one else 'are'} not one this exercise records: say what"
                f" {'it means' if one else 'each means'} under “What the file’s words mean”,"
                " below.</p>"
                if unknown
                else ""
            )
            self.message.value = (
                f'<div class="pk-error-summary" role="alert"><h2>{count:,} problem'
                f"{'s' if count != 1 else ''} to fix before importing</h2>"
                f"<p>Nothing has been saved. Fix these in the file and choose it again.</p>"
                f"{words}<ul>{items}</ul>{more}</div>"
            )
            parts.append(table_html(result.problem_counts(), "Problems by column"))
            parts.append(self._problem_download(result))
        self.details.value = "".join(parts)

    def _problem_download(self, result: Preview) -> str:

        problems = result.problems.head(DOWNLOAD_PROBLEMS).copy()
        problems["column"] = problems["column"].map(lambda c: result.titles.get(c, c))
        payload = problems.rename(columns=str.capitalize).to_csv(index=False).encode("utf-8-sig")
        label = "Download the list of problems (CSV)"
        if len(result.problems) > DOWNLOAD_PROBLEMS:
            label = f"Download the first {DOWNLOAD_PROBLEMS:,} problems (CSV)"
        return "<p>" + download_link("import-problems.csv", "text/csv", payload, label) + "</p>"

    def _hide_save(self) -> None:
        self.save_button.disabled = True
        self.save_button.layout.display = "none"

    def _save(self, _button: Any) -> None:
        result = self.result
        if result is None or not result.ok:
            return
        self.save_button.disabled = True
        self._progress(0.95, f"Saving {result.rows:,} rows")
        try:
            said = self.on_save(result, self.filename)
        except ValueError as problem:  # the exercise refused it, saying why (nothing saved)
            self._progress(None)
            self.save_button.disabled = False
            self.message.value = f'<div class="pk-warning" role="alert">{esc(problem)}</div>'
            return
        except Exception:
            self.save_button.disabled = False
            raise
        self._progress(None)
        self.raw = self.result = None
        self._clear()
        self.message.value = ""
        self._hide_save()
        self.done.value = f'<div class="pk-panel" role="status">{esc(said)}</div>'
