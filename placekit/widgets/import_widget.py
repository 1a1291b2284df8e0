"""An upload-and-preview widget for importing a spreadsheet into any exercise's schema.

Choose a file → it is read and checked (with a progress bar) → columns that were not
matched by name can be mapped by hand → every problem is listed by row and column, with
personal-data warnings → only a file with no problems can be imported, in one go. What
"import" means (where the rows are saved) is the exercise's business: it passes ``on_save``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import ipywidgets as w
import pandas as pd

from placekit.importing.files import (
    Preview,
    RawTable,
    Schema,
    UnreadableFile,
    preview,
    read_file,
)
from placekit.widgets.download import download_link
from placekit.widgets.html import OOPS, button, esc, guarded, html_box, table_html

SHOWN_PROBLEMS = 100  # listed in the page; the rest are counted and downloadable
DOWNLOAD_PROBLEMS = 100_000
ABSENT = "— not in this file —"


class ImportWidget(w.VBox):
    """Upload, map, preview and import. ``on_save(preview, filename)`` saves the rows and
    returns a sentence for the page; ``check(frame)`` may add problems (as a DataFrame of
    row, column, value, message), for rules only the exercise knows."""

    def __init__(
        self,
        schema: Schema,
        on_save: Callable[[Preview, str], str],
        check: Callable[[pd.DataFrame], pd.DataFrame] | None = None,
        accept: str = ".csv,.txt,.xlsx",
    ) -> None:
        self.schema = schema
        self.on_save = on_save
        self.check = check
        self.raw: RawTable | None = None
        self.result: Preview | None = None
        self.filename = ""
        self.mapping: dict[str, str] = {}
        self.upload = w.FileUpload(accept=accept, multiple=False, description="Choose a file")
        self.upload.add_class("pk-upload")
        self.upload.layout.width = "auto"  # the whole label, not "Choose …"
        self.progress = w.FloatProgress(
            value=0, min=0, max=1, description="", layout=w.Layout(width="100%", display="none")
        )
        self.progress_label = html_box("", "pk-progress")
        self.message = html_box("")
        self.mapping_box = w.VBox()
        self.details = html_box("")
        self.save_button = button("Import", "success")
        self.save_button.add_class("mod-primary")
        self.save_button.disabled = True
        self.save_button.layout.display = "none"
        self.done = html_box("")
        show = guarded(self._oops)
        self.upload.observe(show(self._uploaded), "value")
        self.save_button.on_click(show(self._save))
        super().__init__(
            [
                self.upload,
                self.progress_label,
                self.progress,
                self.message,
                self.mapping_box,
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
        self.mapping = {}
        self.result = None
        self._progress(0.02, f"Reading {self.filename}")
        try:
            self.raw = read_file(bytes(upload["content"]), self.filename, self._progress)
        except UnreadableFile as problem:
            self.raw = None
            self._progress(None)
            self.mapping_box.children = []
            self.details.value = ""
            self._hide_save()
            self.message.value = (
                f'<div class="pk-error-summary" role="alert"><h2>This file cannot be'
                f" imported</h2><p>{esc(self.filename)}: {esc(problem)}</p>"
                "<p>Nothing has been saved.</p></div>"
            )
            return
        finally:
            self.upload.value = ()  # free the bytes; the parsed table is kept
        self._check()

    def _check(self) -> None:
        assert self.raw is not None
        result = preview(self.raw, self.schema, self.mapping, self._progress)
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
        self._draw_mapping(result)
        self._draw(result)

    def _draw_mapping(self, result: Preview) -> None:
        unmatched = [c for c in self.schema.columns if c.name not in result.mapping]
        if not unmatched or self.raw is None:
            self.mapping_box.children = []
            return
        spare = [h for h in self.raw.headings if h not in result.mapping.values()]
        spare += [self.mapping[c.name] for c in unmatched if self.mapping.get(c.name)]
        rows: list[w.Widget] = [
            html_box(
                "<h3>Match the file’s columns</h3><p>These columns were not found by name."
                " If the file has them under another heading, choose it.</p>"
            )
        ]
        ordered = sorted(unmatched, key=lambda c: not c.required)
        for column in ordered:
            options = [(ABSENT, "")] + [(h, h) for h in dict.fromkeys(spare)]
            pick = w.Dropdown(
                options=options,
                value=self.mapping.get(column.name, ""),
                description=f"{column.title}{' (required)' if column.required else ''}",
                style={"description_width": "initial"},
                layout=w.Layout(width="100%", max_width="40em"),
            )
            pick.add_class("pk-field")

            def chosen(change: dict[str, Any], name: str = column.name) -> None:
                self.mapping[name] = change["new"]
                self._check()

            pick.observe(guarded(self._oops)(chosen), "value")
            rows.append(pick)
        self.mapping_box.children = rows

    def _draw(self, result: Preview) -> None:
        parts = [
            f"<h3>What is in {esc(self.filename)}</h3>"
            f"<p>{result.rows:,} rows read ({esc(result.source)}). Columns matched:"
            f" {esc(', '.join(f'{h} → {c}' for c, h in result.mapping.items()))}.</p>"
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
            self.message.value = (
                f'<div class="pk-error-summary" role="alert"><h2>{count:,} problem'
                f"{'s' if count != 1 else ''} to fix before importing</h2>"
                f"<p>Nothing has been saved. Fix these in the file and choose it again.</p>"
                f"<ul>{items}</ul>{more}</div>"
            )
            parts.append(table_html(result.problem_counts(), "Problems by column"))
            parts.append(self._problem_download(result))
        self.details.value = "".join(parts)

    def _problem_download(self, result: Preview) -> str:

        problems = result.problems.head(DOWNLOAD_PROBLEMS)
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
        self.mapping_box.children = []
        self.details.value = ""
        self.message.value = ""
        self._hide_save()
        self.done.value = f'<div class="pk-panel" role="status">{esc(said)}</div>'
