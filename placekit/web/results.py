"""The facilitator's results page for one exercise: who has completed what, the team's
tables, figures and notes, and the downloads (the same files ``placekit export`` writes).

The files are made when the facilitator presses a button, not with the page: a results
page that wrote every table to Excel and CSV up front paid for files few visits take, and
a download link's click never reaches the kernel, so only the press can be recorded.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

import ipywidgets as w

from placekit.data.access import Access, link
from placekit.data.export import ExportFile, export_files, file_slug
from placekit.data.lifecycle import counted
from placekit.data.responses import Responses
from placekit.exercise import Figure, Summary
from placekit.plugins import get_registry
from placekit.web.wizard import StepState, plugin_of, safe_pages, step_states
from placekit.widgets.charts import chart_with_table, png
from placekit.widgets.download import download_link
from placekit.widgets.html import app, button, esc, guarded, html_box, table_html

log = logging.getLogger("placekit")

#: The results page's buttons. They only read, so they stay working on a closed workbook.
REFRESH = "Refresh results"
PREPARE_DOWNLOADS = "Prepare the downloads"
MAKE_PICTURE = "Make a picture of this chart (PNG)"
READING_BUTTONS = frozenset({REFRESH, PREPARE_DOWNLOADS, MAKE_PICTURE})

#: Told what the facilitator has just downloaded ("Triage (CSV, Excel)"), to record it.
OnDownload = Callable[[str], None]


def completion(responses: Responses) -> Any:
    """Member × step table of what each member has completed (for the facilitator).

    For an anonymous exercise, only how many people are at each step: no names, and a count
    below the group rule's k is shown only as "fewer than k".
    """
    import pandas as pd  # lazy: only the facilitator's page builds these tables

    ex = responses.exercise
    if ex.anonymity == "anonymous":
        return _completion_counts(responses)
    rows = []
    for m in responses.members:
        theirs = responses._as_respondent(m["id"])
        states = step_states(ex, safe_pages(ex, theirs), theirs)
        rows.append(
            {"Member": m["display_name"]} | {title: states[step].value for step, title in ex.steps}
        )
    return pd.DataFrame(rows, columns=["Member", *[t for _, t in ex.steps]])


def _completion_counts(responses: Responses) -> Any:
    """Head counts per step over the respondents who have saved anything: their keys cannot
    be matched to members, so the table is made from the keys alone."""
    import pandas as pd  # lazy: only the facilitator's page builds these tables

    ex = responses.exercise
    done = {step: 0 for step, _ in ex.steps}
    going = dict(done)
    for key in responses._owners():
        theirs = responses._as_respondent(key)
        for step, state in step_states(ex, safe_pages(ex, theirs), theirs).items():
            done[step] += state is StepState.COMPLETED
            going[step] += state is StepState.IN_PROGRESS
    shown = responses.rule.head_count
    return pd.DataFrame(
        [
            {"Step": title, "People completed": shown(done[s]), "In progress": shown(going[s])}
            for s, title in ex.steps
        ],
        columns=["Step", "People completed", "In progress"],
    )


def _export_all(title: str, tables: dict[str, Any]) -> tuple[list[ExportFile], list[str]]:
    """Every registered exporter's files of ``tables`` and the labels of the exporters that
    made them (one that fails is logged and left out)."""
    made: list[ExportFile] = []
    labels = []
    for exporter in get_registry().exporters.values():
        try:
            made += export_files(exporter, title, tables)
        except Exception:
            log.exception("Exporter %s failed", exporter.id)
            continue
        labels.append(exporter.label)
    return made, labels


def _links(files: list[ExportFile]) -> str:
    return "".join(download_link(f.filename, f.media_type, f.payload, f.label) for f in files)


def downloads(title: str, tables: dict[str, Any]) -> str:
    """Download links for every registered exporter: the files ``placekit export`` writes."""
    files, _labels = _export_all(title, tables)
    return f"<h2>Download the results</h2><p>{_links(files)}</p>"


def _downloads_panel(
    title: str, tables: dict[str, Any], what: str, on_download: OnDownload | None
) -> w.Widget:
    """The "Download the results" section: the files are made, recorded (``on_download``
    with ``what`` and the formats) and linked when the facilitator presses the button."""
    prepare = button(PREPARE_DOWNLOADS)
    files = html_box("")

    def made(_b: Any) -> None:
        found, labels = _export_all(title, tables)
        if not found:
            files.value = _warning("Sorry, the files could not be made. The problem is logged.")
            return
        if on_download is not None:
            # Before the links are shown: no file leaves without its line in the record.
            on_download(f"{what} ({', '.join(labels)})")
        files.value = (
            f'<p role="status">Ready: {counted(len(found), "file")} of the results as this'
            f" page shows them.</p><p>{_links(found)}</p>"
        )

    prepare.on_click(guarded(lambda text: setattr(files, "value", _warning(text)))(made))
    formats = ", ".join(e.label for e in get_registry().exporters.values())
    intro = html_box(
        f"<h2>Download the results</h2><p>The tables on this page as files ({esc(formats)}),"
        " the same files <code>placekit export</code> writes. They are made when you ask,"
        " and the workbook's activity record notes that you did.</p>"
    )
    return w.VBox([intro, prepare, files])


def _warning(text: str) -> str:
    return f'<div class="pk-warning" role="alert">{esc(text)}</div>'


def result_tables(responses: Responses, summary: Summary) -> dict[str, Any]:
    """What the facilitator downloads: who has completed what, then the summary's tables."""
    return {"Completion": completion(responses), **summary.tables}


def results_view(
    responses: Responses,
    access: Access,
    on_download: OnDownload | None = None,
    live: w.Widget | None = None,
) -> w.Widget:
    """The facilitator's page for one exercise: completion, results, charts, downloads.

    ``on_download`` is told each time the facilitator makes files to download (what, in
    words naming no one), for the activity record of whoever opened the page; ``live``, the
    control for running the exercise live in the room, goes under the completion.
    """
    ex = responses.exercise
    body = w.VBox()
    refresh = button(REFRESH)

    def draw() -> None:
        responses.reload()
        try:
            summary = ex.summarise(responses)
        except Exception:
            plugin = plugin_of(ex)
            log.exception("Plugin %r failed to summarise %r", plugin, ex.id)
            summary = Summary(
                notes=[
                    f"The results could not be worked out because of a problem in the"
                    f" “{plugin}” plugin. Everything members entered is saved."
                ]
            )
        tables = result_tables(responses, summary)
        done = tables["Completion"]
        progress = (
            table_html(done, label="Completion") if len(done) else "<p>No one has joined yet.</p>"
        )
        parts: list[w.Widget] = [
            html_box(
                f'<span class="pk-caption">{esc(access.title)} · Facilitator ·'
                f' <a href="{esc(link(access.code, base=""))}">All exercises</a></span>'
                f"<h1>{esc(ex.title)}: team results</h1>"
                f"<h2>Completion</h2>{progress}"
            )
        ]
        if live is not None:
            parts.append(live)
        try:
            panel = ex.facilitator_panel(responses, draw)
        except Exception:
            log.exception("Plugin %r failed to build the panel of %r", plugin_of(ex), ex.id)
            panel = None
        if panel is not None:
            parts.append(panel)
        for note in summary.notes:
            parts.append(html_box(f'<div class="pk-notice">{esc(note)}</div>'))
        first = _chart_tables(summary)
        charted = set(first.values())
        for name, frame in summary.tables.items():
            if name not in charted:
                parts.append(html_box(f"<h2>{esc(name)}</h2>{table_html(frame, label=name)}"))
        for name, chart in summary.figures.items():
            table = chart.table if isinstance(chart, Figure) else ""
            if name in first:
                parts += chart_with_table(name, chart, summary.tables[table], level=2)
            else:
                parts += chart_with_table(name, chart, level=2)
                if table in charted:
                    parts.append(html_box(_see_table(table)))
            what = f"{ex.title}: the chart “{name}”"
            parts.append(_chart_download(f"{access.title} {name}", chart, what, on_download))
        title = f"{access.title} {ex.title}"
        parts.append(_downloads_panel(title, tables, ex.title, on_download))
        body.children = parts

    message = html_box("")

    @guarded(lambda text: setattr(message, "value", _warning(text)))
    def on_refresh(_b: Any) -> None:
        draw()

    refresh.on_click(on_refresh)
    draw()
    return app([body, message, refresh])


def _chart_tables(summary: Summary) -> dict[str, str]:
    """The summary's tables that hold a chart's figures, by the first chart of each: such
    a table is shown straight after that chart, not among the other tables."""
    firsts: dict[str, str] = {}
    for name, chart in summary.figures.items():
        table = chart.table if isinstance(chart, Figure) else ""
        if table in summary.tables:
            firsts.setdefault(table, name)
    return {chart: table for table, chart in firsts.items()}


def _see_table(name: str) -> str:
    """Under a second chart of one table: where its figures are."""
    return f'<p class="pk-hint">The table “{esc(name)}” above has this chart’s figures.</p>'


def _chart_download(title: str, chart: Any, what: str, on_download: OnDownload | None) -> w.Widget:
    """A static image of a chart for reports, made when asked for: rendering one costs
    about a second, which every facilitator page would otherwise pay up front."""
    make = button(MAKE_PICTURE)
    shown = w.VBox([make])

    def render(_b: Any) -> None:
        image = png(chart)
        if on_download is not None:
            on_download(f"{what} (PNG)")
        shown.children = [
            html_box(download_link(f"{file_slug(title)}.png", "image/png", image, "Chart (PNG)"))
        ]

    make.on_click(
        guarded(lambda text: setattr(make, "description", "Sorry, that did not work"))(render)
    )
    return shown
