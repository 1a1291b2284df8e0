"""The demand study's charts (D.7), from small aggregate tables only: a chart never carries
row-level data to the browser."""

from __future__ import annotations

from typing import Any

import pandas as pd

from placekit import PALETTE

COLOURS = {"Value": PALETTE.good, "Failure": PALETTE.bad, "Unclear": PALETTE.neutral}


def pareto_chart(table: pd.DataFrame) -> Any:
    """Bars of failure demands per type, the cumulative % line, an 80% rule, and the vital
    few in red (the rest grey)."""
    import altair as alt  # lazy: seconds to import, paid only once a chart is on screen

    data = table.assign(**{"Vital few": table["Vital few"].map({"yes": "Vital few"}).fillna("")})
    order = list(data["Failure type"])
    x = alt.X(
        "Failure type:N", sort=order, title=None, axis=alt.Axis(labelAngle=-30, labelLimit=220)
    )
    bars = (
        alt.Chart(data)
        .mark_bar()
        .encode(
            x=x,
            y=alt.Y("Failure demands:Q", title="Failure demands"),
            color=alt.condition(
                alt.datum["Vital few"] == "Vital few",
                alt.value(PALETTE.bad),
                alt.value(PALETTE.neutral),
            ),
            tooltip=["Failure type", "Failure demands", "%", "Cumulative %", "Vital few"],
        )
    )
    line = (
        alt.Chart(data)
        .mark_line(point=True, color=PALETTE.text)
        .encode(
            x=x,
            y=alt.Y("Cumulative %:Q", scale=alt.Scale(domain=[0, 100]), title="Cumulative %"),
        )
    )
    rule = (
        alt.Chart(pd.DataFrame({"y": [80]}))
        .mark_rule(strokeDash=[6, 4], color=PALETTE.accent)
        .encode(y=alt.Y("y:Q", scale=alt.Scale(domain=[0, 100])))
    )
    return (
        alt.layer(bars, alt.layer(line, rule))
        .resolve_scale(y="independent")
        .properties(
            width=560,
            height=320,
            title="Pareto of failure types (red: the vital few, reaching 80%)",
        )
        .configure_axis(labelFontSize=13, titleFontSize=14)
        .configure_title(fontSize=16)
    )


def split_chart(table: pd.DataFrame, label: str) -> Any:
    """Stacked bars of value / failure / unclear per channel or service."""
    import altair as alt  # lazy, as in pareto_chart

    long = table.melt(
        id_vars=[label],
        value_vars=["Value", "Failure", "Unclear"],
        var_name="Class",
        value_name="Demands",
    )
    return (
        alt.Chart(long)
        .mark_bar()
        .encode(
            y=alt.Y(f"{label}:N", sort="-x", title=None, axis=alt.Axis(labelLimit=240)),
            x=alt.X("Demands:Q", stack="zero"),
            color=alt.Color(
                "Class:N",
                scale=alt.Scale(domain=list(COLOURS), range=list(COLOURS.values())),
                legend=alt.Legend(title=None, orient="bottom"),
            ),
            tooltip=[label, "Class", "Demands"],
        )
        .properties(width=520, title=f"Value, failure and unclear demand by {label.lower()}")
        .configure_axis(labelFontSize=13, titleFontSize=14)
        .configure_title(fontSize=16)
    )
