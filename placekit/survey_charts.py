"""Charts for questionnaires (Vega-Altair): a compass (radar) and a rater × rated heat map.

Altair has no polar line mark, so the compass is drawn on an ordinary x/y plane from
coordinates worked out here: the scale's lowest point at the centre, its highest at the
rim (the Place Standard's reading: points near the centre need the most attention).
Withheld figures are simply absent: a spoke with no point, a grey cell marked "withheld".
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import pandas as pd

from placekit.questionnaire import Questionnaire

PALETTE = ["#1d70b8", "#d4351c", "#00703c", "#f47738", "#4c2c92", "#5694ca"]


def _xy(index: int, count: int, radius: float) -> tuple[float, float]:
    angle = 2 * math.pi * index / count  # clockwise from the top
    return radius * math.sin(angle), radius * math.cos(angle)


def compass(q: Questionnaire, series: Mapping[str, Mapping[str, float]]) -> Any:
    """One polygon per series (a round, or self-view vs partners' view) over the dimensions.

    ``series`` maps a name to {dimension id: mean}; missing dimensions are left out.
    """
    import altair as alt

    dims = list(q.dimensions)
    count = len(dims)
    low, high = q.scale.low, q.scale.high

    def radius(value: float) -> float:
        return (value - low) / (high - low)

    rings = []
    for point in q.scale.points:
        for i in range(count + 1):
            x, y = _xy(i % count, count, radius(point))
            rings.append({"ring": point, "order": i, "x": x, "y": y})
    spokes, labels = [], []
    for i, dim in enumerate(dims):
        x, y = _xy(i, count, 1.0)
        spokes.append({"x": 0.0, "y": 0.0, "x2": x, "y2": y})
        lx, ly = _xy(i, count, 1.16)
        align = "center" if abs(lx) < 0.2 else ("left" if lx > 0 else "right")
        labels.append({"x": lx, "y": ly, "label": dim.title, "align": align})
    points = []
    for name, means in series.items():
        present = [(i, d) for i, d in enumerate(dims) if d.id in means]
        for order, (i, dim) in enumerate(present + present[:1]):
            x, y = _xy(i, count, radius(means[dim.id]))
            points.append(
                {
                    "Series": name,
                    "order": order,
                    "x": x,
                    "y": y,
                    "Dimension": dim.title,
                    "Mean": round(means[dim.id], 2),
                }
            )
    domain = alt.Scale(domain=[-1.45, 1.45])
    axis_x = alt.X("x:Q", scale=domain, axis=None)
    axis_y = alt.Y("y:Q", scale=domain, axis=None)
    grid = (
        alt.Chart(pd.DataFrame(rings))
        .mark_line(color="#b1b4b6", strokeWidth=0.8)
        .encode(x=axis_x, y=axis_y, detail="ring:N", order="order:Q")
    )
    rules = (
        alt.Chart(pd.DataFrame(spokes))
        .mark_rule(color="#b1b4b6")
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
    if points:
        frame = pd.DataFrame(points)
        colour = alt.Color(
            "Series:N",
            scale=alt.Scale(domain=list(series), range=PALETTE[: len(series)]),
            legend=alt.Legend(title=None, orient="bottom"),
        )
        shape = alt.Chart(frame).encode(x=axis_x, y=axis_y, color=colour)
        layers += [
            shape.mark_line(strokeWidth=2.5).encode(order="order:Q", detail="Series:N"),
            shape.mark_circle(size=70, opacity=1).encode(
                tooltip=["Series:N", "Dimension:N", "Mean:Q"]
            ),
        ]
    subtitle = f"{low} at the centre, {high} at the rim; withheld figures are left out"
    return (
        alt.layer(*layers)
        .properties(width=440, height=440, title=alt.Title(q.title, subtitle=subtitle))
        .configure_view(stroke=None)
        .configure_title(fontSize=16, subtitleFontSize=12)
        .configure_legend(labelFontSize=13, labelLimit=320)
    )


def heat_map(q: Questionnaire, matrix: pd.DataFrame) -> Any:
    """Rater organisation (rows) × rated organisation (columns), one panel per dimension;
    withheld cells are grey and say so."""
    import altair as alt

    titles = {d.id: d.title for d in q.dimensions}
    frame = pd.DataFrame(
        {
            "Rated by": matrix["rater_group"],
            "Rated": matrix["target"],
            "Dimension": matrix["dimension"].map(titles),
            "Mean": pd.to_numeric(matrix["mean"], errors="coerce"),
        }
    )
    frame["Label"] = frame["Mean"].map(lambda v: "withheld" if pd.isna(v) else f"{v:.1f}")
    base = alt.Chart().encode(
        x=alt.X("Rated:N", title="Organisation rated", axis=alt.Axis(labelLimit=160)),
        y=alt.Y("Rated by:N", title="Rated by people from", axis=alt.Axis(labelLimit=160)),
    )
    cells = base.mark_rect(stroke="#ffffff").encode(
        color=alt.condition(
            "isValid(datum.Mean)",
            alt.Color(
                "Mean:Q",
                scale=alt.Scale(domain=[q.scale.low, q.scale.high], scheme="blues"),
                legend=alt.Legend(title="Mean"),
            ),
            alt.value("#dddddd"),
        ),
        tooltip=["Rated by:N", "Rated:N", "Dimension:N", "Label:N"],
    )
    labels = base.mark_text(fontSize=12).encode(text="Label:N")
    return (
        alt.layer(cells, labels, data=frame)
        .properties(width=160, height=160)
        .facet(
            facet=alt.Facet("Dimension:N", sort=[titles[d.id] for d in q.dimensions], title=None),
            columns=3,
        )
        .properties(title="Ratings by rater organisation (withheld cells in grey)")
        .configure_title(fontSize=16)
    )
