"""Charts: Vega-Altair, one library for every exercise, drawn once the page is on screen.

Why Altair: its charts render interactively in Voila and JupyterLab through an anywidget
whose JavaScript ships in the ``vl-convert-python`` wheel (no CDN, works offline), and the
same chart exports to PNG/SVG for reports through vl-convert with no browser.

Importing Altair takes about 2.5 s, and every Voila page load is a fresh kernel, so a page
that built its charts before showing would make every visitor wait for it. A ``Figure`` is
therefore shown as its description first; a tiny front-end widget beside it tells the
kernel once the browser has drawn the page, and only then is the chart made and put in its
place. The kernel handles one message at a time, so the page's own build is always over
(and on screen) before the first chart is drawn.

Every chart is drawn as SVG, which Vega gives ARIA roles and the chart's ``description``
as its accessible name (a ``Figure``'s description, unless the chart has its own); a canvas
is a blank image to a screen reader. Vega-Embed's "⋯" menu is left out: it was an unnamed
control (WCAG 4.1.2), and its "Open in Vega Editor" would send the team's figures to
another site. The page's tables and downloads carry the same figures.
"""

from __future__ import annotations

import logging
from typing import Any

import anywidget
import ipywidgets as w

from placekit.exercise import Figure
from placekit.widgets.html import esc, html_box, table_html

log = logging.getLogger("placekit")

_offline = False


def interactive(chart: Figure | Any) -> w.Widget:
    """A chart as a live widget, with its JavaScript served from the Python package. A
    ``Figure`` is drawn once the page is on screen (``LaterChart``); an Altair chart at once.
    """
    if isinstance(chart, Figure):
        return LaterChart(chart)
    return _live(chart)


def chart_with_table(
    name: str, chart: Figure | Any, table: Any = None, *, table_name: str = "", level: int = 3
) -> list[w.Widget]:
    """A chart under its heading, then ``table`` (a DataFrame) of its figures, captioned as
    them: the chart's text alternative (WCAG 1.1.1) is where the chart is, for a screen
    reader and for anyone who reads numbers better than shapes.

    ``level`` is the chart's heading level; the table's own heading, one level down, is
    ``table_name`` (a ``Figure``'s ``table`` unless given), left out where it would only
    repeat the chart's name. Without a table, the heading and the chart."""
    parts = [html_box(f"<h{level}>{esc(name)}</h{level}>"), interactive(chart)]
    if table is None:
        return parts
    titled = table_name or (chart.table if isinstance(chart, Figure) else "") or name
    heading = f"<h{level + 1}>{esc(titled)}</h{level + 1}>" if titled != name else ""
    caption = f"The figures in the chart “{name}”"
    if len(table):
        body = table_html(table, caption=caption, label=titled)
    else:
        body = f'<p class="pk-hint">{esc(caption)}: none yet.</p>'
    return [*parts, html_box(heading + body)]


EMBED_OPTIONS = {"actions": False, "renderer": "svg"}


def _live(chart: Any, description: str = "") -> w.Widget:
    import altair as alt  # lazy: seconds to import, paid only when a chart is drawn

    global _offline
    if not _offline:
        alt.JupyterChart.enable_offline()
        _offline = True
    if description and chart["description"] is alt.Undefined:
        chart = chart.properties(description=description)
    return alt.JupyterChart(legends_below(chart), embed_options=EMBED_OPTIONS)


def legends_below(chart: Any) -> Any:
    """The chart with its legends under the plot, one entry a line, as shown on a page: a
    legend to the side made a chart too wide for a phone or 400 % zoom, where the page
    shrinks the whole chart to fit the screen (so nothing is cut off). Pictures for
    reports keep the plugin's own layout. A legend the plugin placed itself stays put."""
    import altair as alt  # lazy: as in _live, whose chart this is

    config = chart.config if chart.config is not alt.Undefined else alt.Config()
    legend = config.legend.to_dict() if config.legend is not alt.Undefined else {}
    return chart.configure_legend(**{"orient": "bottom", "direction": "vertical", **legend})


class _OnScreen(anywidget.AnyWidget):
    """Sends the kernel one message when the browser draws it."""

    _esm = "export default { render({ model }) { model.send({ shown: true }); } };"


class LaterChart(w.VBox):
    """A ``Figure`` on a page: its description and "Drawing the chart…" until the browser
    has drawn the page, then the chart. ``build()`` draws it at once (tests call it)."""

    def __init__(self, figure: Figure) -> None:
        self.figure = figure
        self.chart: Any = None  # the Altair chart, once drawn
        self.failed = False
        self._caption = html_box(f'<p class="pk-hint">{esc(figure.description)}</p>')
        self._screen = _OnScreen()
        self._screen.on_msg(lambda _widget, _content, _buffers: self.build())
        drawing = html_box('<p role="status">Drawing the chart…</p>')
        super().__init__([self._caption, drawing, self._screen])
        self.add_class("pk-chart")

    def build(self) -> Any:
        """Draw the chart in place of the placeholder; the Altair chart, or None if it could
        not be drawn (logged, and a plain message shown instead)."""
        if self.chart is not None or self.failed:
            return self.chart
        try:
            chart = self.figure.chart()
            shown = _live(chart, self.figure.description)
        except Exception:
            log.exception("Could not draw the chart “%s”", self.figure.description)
            self.failed = True
            shown = html_box('<div class="pk-warning">Sorry, this chart could not be drawn.</div>')
        else:
            self.chart = chart
        self.children = [self._caption, shown]
        self._screen.close()
        return self.chart


def png(chart: Figure | Any, scale: float = 2.0) -> bytes:
    """A static image of the chart (or of a ``Figure``'s) for reports and board papers."""
    import vl_convert as vlc  # lazy: only a picture for a report needs it

    drawn = chart.chart() if isinstance(chart, Figure) else chart
    return vlc.vegalite_to_png(drawn.to_dict(), scale=scale)
