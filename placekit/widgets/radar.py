"""A radar chart (Vega-Altair): one polygon per series over a few scored axes.

Altair has no polar line mark, so the radar is drawn on an ordinary x/y plane from
coordinates worked out here: the scale's lowest point at the centre, its highest at the rim.
Altair and pandas are imported when a chart is drawn, not when this module is.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

from placekit.widgets.palette import PALETTE


def _xy(index: int, count: int, radius: float) -> tuple[float, float]:
    angle = 2 * math.pi * index / count  # clockwise from the top
    return radius * math.sin(angle), radius * math.cos(angle)


def radar(
    axes: Sequence[tuple[str, str]],
    points: Sequence[int],
    series: Mapping[str, Mapping[str, float]],
    title: str,
    subtitle: str = "",
) -> Any:
    """``axes`` are (id, label) pairs, clockwise from the top; ``points`` the scale's points,
    drawn as rings; ``series`` maps a name to {axis id: value}. An axis missing from a
    series is left out of its polygon."""
    import altair as alt  # lazy: seconds to import, paid only when a chart is drawn
    import pandas as pd  # lazy, as for Altair: only a chart being drawn needs it

    count = len(axes)
    low, high = min(points), max(points)

    def radius(value: float) -> float:
        return (value - low) / (high - low)

    rings = []
    for point in points:
        for i in range(count + 1):
            x, y = _xy(i % count, count, radius(point))
            rings.append({"ring": point, "order": i, "x": x, "y": y})
    spokes, labels = [], []
    for i, (_axis, label) in enumerate(axes):
        x, y = _xy(i, count, 1.0)
        spokes.append({"x": 0.0, "y": 0.0, "x2": x, "y2": y})
        lx, ly = _xy(i, count, 1.16)
        align = "center" if abs(lx) < 0.2 else ("left" if lx > 0 else "right")
        labels.append({"x": lx, "y": ly, "label": label, "align": align})
    marks = []
    for name, values in series.items():
        present = [(i, axis, label) for i, (axis, label) in enumerate(axes) if axis in values]
        for order, (i, axis, label) in enumerate(present + present[:1]):
            x, y = _xy(i, count, radius(values[axis]))
            marks.append(
                {
                    "Series": name,
                    "order": order,
                    "x": x,
                    "y": y,
                    "Dimension": label,
                    "Mean": round(values[axis], 2),
                }
            )
    domain = alt.Scale(domain=[-1.45, 1.45])
    axis_x = alt.X("x:Q", scale=domain, axis=None)
    axis_y = alt.Y("y:Q", scale=domain, axis=None)
    grid = (
        alt.Chart(pd.DataFrame(rings))
        .mark_line(color=PALETTE.neutral, strokeWidth=0.8)
        .encode(x=axis_x, y=axis_y, detail="ring:N", order="order:Q")
    )
    rules = (
        alt.Chart(pd.DataFrame(spokes))
        .mark_rule(color=PALETTE.neutral)
        .encode(x=axis_x, y=axis_y, x2="x2:Q", y2="y2:Q")
    )
    names = alt.Chart(pd.DataFrame(labels)).encode(x=axis_x, y=axis_y, text="label:N")
    text = alt.layer(
        *(
            names.transform_filter(alt.datum.align == side).mark_text(
                align=side, baseline="middle", fontSize=12
            )
            for side in ("left", "right", "center")
        )
    )
    layers = [grid, rules, text]
    if marks:
        frame = pd.DataFrame(marks)
        names, n = list(series), len(series)
        legend = alt.Legend(title=None, orient="bottom")  # one legend: colour, shape and dash

        def by_series(values: list[Any]) -> Any:
            return alt.Scale(domain=names, range=values)

        colour = alt.Color("Series:N", scale=by_series(PALETTE.for_series(n)), legend=legend)
        polygon = alt.Chart(frame).encode(x=axis_x, y=axis_y, color=colour)
        dash = alt.StrokeDash("Series:N", scale=by_series(PALETTE.dashes_for(n)), legend=legend)
        shape = alt.Shape("Series:N", scale=by_series(PALETTE.shapes_for(n)), legend=legend)
        layers += [
            polygon.mark_line(strokeWidth=2.5).encode(order="order:Q", strokeDash=dash),
            polygon.mark_point(size=80, opacity=1, filled=True).encode(
                shape=shape, tooltip=["Series:N", "Dimension:N", "Mean:Q"]
            ),
        ]
    return (
        alt.layer(*layers)
        .properties(width=440, height=440, title=alt.Title(title, subtitle=subtitle))
        .configure_view(stroke=None)
        .configure_title(fontSize=16, subtitleFontSize=12)
        .configure_legend(labelFontSize=13, labelLimit=320)
    )
