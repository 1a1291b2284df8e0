"""The demand study's charts (D.7), from small aggregate tables only: a chart never carries
row-level data to the browser."""

from __future__ import annotations

from typing import Any

import pandas as pd

from placekit import PALETTE

COLOURS = {"Value": PALETTE.good, "Failure": PALETTE.bad, "Unclear": PALETTE.neutral}


def pareto_chart(table: pd.DataFrame) -> Any:
    """Bars of failure demands per type, the cumulative % line, an 80% rule, and the vital
    few in red and named (the rest grey)."""
    import altair as alt  # lazy: seconds to import, paid only once a chart is on screen

    group = table["Vital few"].map({"yes": "Vital few"}).fillna("The rest")
    data = table.assign(**{"Vital few": group})
    order = list(data["Failure type"])
    x = alt.X(
        "Failure type:N", sort=order, title=None, axis=alt.Axis(labelAngle=-30, labelLimit=220)
    )
    y = alt.Y("Failure demands:Q", title="Failure demands")
    bars = (
        alt.Chart(data)
        .mark_bar()
        .encode(
            x=x,
            y=y,
            color=alt.Color(
                "Vital few:N",
                scale=alt.Scale(
                    domain=["Vital few", "The rest"], range=[PALETTE.bad, PALETTE.neutral]
                ),
                legend=alt.Legend(title=None),
            ),
            tooltip=["Failure type", "Failure demands", "%", "Cumulative %", "Vital few"],
        )
    )
    # The vital few named on their bars, not told by their red alone.
    named = (
        alt.Chart(data)
        .transform_filter(alt.datum["Vital few"] == "Vital few")
        .mark_text(baseline="bottom", dy=-3, fontSize=11, color=PALETTE.text)
        .encode(x=x, y=y, text="Vital few:N")
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
        alt.layer(bars + named, alt.layer(line, rule))
        .resolve_scale(y="independent")
        .properties(
            width=560,
            height=320,
            title="Pareto of failure types (the vital few, in red, reach 80%)",
        )
        .configure_axis(labelFontSize=13, titleFontSize=14)
        .configure_title(fontSize=16)
    )


def split_chart(table: pd.DataFrame, label: str) -> Any:
    """Bars of value, failure and unclear demand per channel or service, a panel a class."""
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
            x=alt.X("Demands:Q", title="Demands"),
            color=alt.Color(
                "Class:N",
                scale=alt.Scale(domain=list(COLOURS), range=list(COLOURS.values())),
                legend=None,
            ),
            tooltip=[label, "Class", "Demands"],
        )
        .properties(width=150)
        # A panel a class, named above it: the class is read, not told by colour alone.
        .facet(column=alt.Column("Class:N", sort=list(COLOURS), title=None,
                                 header=alt.Header(labelFontSize=14, labelFontWeight="bold")))
        .properties(title=f"Value, failure and unclear demand by {label.lower()}")
        .configure_axis(labelFontSize=13, titleFontSize=14)
        .configure_title(fontSize=16)
    )  # fmt: skip


def xmr_chart(chart: Any, title: str, y_title: str) -> Any:
    """An XmR chart (``capability.Chart``): the values with their average and natural
    process limits (each period its own), and the moving ranges beneath; points that
    signal special cause as red diamonds. A lower limit below zero is not drawn (nothing is below
    zero here)."""
    import altair as alt  # lazy, as in pareto_chart

    points = chart.points.reset_index(drop=True)
    data = points.assign(
        order=range(1, len(points) + 1),
        label=points["label"].astype(str),
        lower=points["lower"].where(points["lower"] > 0),
        signal=points[["outside", "shift", "trend", "close"]]
        .any(axis=1)
        .map({True: "Signal", False: "Common cause"}),
        jumped=points["jump"].map({True: "Signal", False: "Common cause"}),
    )
    x = alt.X("order:Q", title=None, axis=alt.Axis(tickMinStep=1, format="d"))
    signal_colour = alt.Scale(
        domain=["Common cause", "Signal"], range=[PALETTE.series[0], PALETTE.bad]
    )
    signal_shape = alt.Scale(domain=["Common cause", "Signal"], range=["circle", "diamond"])
    signal_size = alt.Scale(domain=["Common cause", "Signal"], range=[50, 140])
    legend = alt.Legend(title=None)  # one legend for both: a red diamond is a signal

    def panel(value: str, centre: str, upper: str, lower: str | None, flag: str, name: str) -> Any:
        base = alt.Chart(data).encode(x=x)
        tooltip = ["label", alt.Tooltip(f"{value}:Q", format=".1f"), "period"]
        layers = [
            base.mark_line(color=PALETTE.series[0]).encode(y=alt.Y(f"{value}:Q", title=name)),
            base.mark_point(filled=True).encode(
                y=f"{value}:Q",
                color=alt.Color(f"{flag}:N", scale=signal_colour, legend=legend),
                shape=alt.Shape(f"{flag}:N", scale=signal_shape, legend=legend),
                size=alt.Size(f"{flag}:N", scale=signal_size, legend=None),
                tooltip=tooltip,
            ),
            base.mark_line(color=PALETTE.text).encode(y=f"{centre}:Q", detail="period:N"),
            base.mark_line(color=PALETTE.muted, strokeDash=[6, 4]).encode(
                y=f"{upper}:Q", detail="period:N"
            ),
        ]
        if lower:
            layers.append(
                base.mark_line(color=PALETTE.muted, strokeDash=[6, 4]).encode(
                    y=f"{lower}:Q", detail="period:N"
                )
            )
        return alt.layer(*layers).properties(width=560, height=220)

    individuals = panel("value", "mean", "upper", "lower", "signal", y_title)
    ranges = panel("moving_range", "mr_bar", "mr_upper", None, "jumped", "Moving range")
    return (
        alt.vconcat(individuals, ranges.properties(height=140))
        .properties(title=title)
        .configure_axis(labelFontSize=13, titleFontSize=14)
        .configure_title(fontSize=16)
    )
