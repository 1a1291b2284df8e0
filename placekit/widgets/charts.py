"""Charts: Vega-Altair, one library for every exercise.

Why Altair: its charts render interactively in Voila and JupyterLab through an anywidget
whose JavaScript ships in the ``vl-convert-python`` wheel (no CDN, works offline), and the
same chart exports to PNG/SVG for reports through vl-convert with no browser.
"""

from __future__ import annotations

from typing import Any

import ipywidgets as w

_offline = False


def interactive(chart: Any) -> w.Widget:
    """The chart as a live widget, with its JavaScript served from the Python package."""
    import altair as alt  # lazy: a second to import, paid only when a chart is drawn

    global _offline
    if not _offline:
        alt.JupyterChart.enable_offline()
        _offline = True
    return alt.JupyterChart(chart)


def png(chart: Any, scale: float = 2.0) -> bytes:
    """A static image of the chart for reports and board papers."""
    import vl_convert as vlc  # lazy: only a picture for a report needs it

    return vlc.vegalite_to_png(chart.to_dict(), scale=scale)
