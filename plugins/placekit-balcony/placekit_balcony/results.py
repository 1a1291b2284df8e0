"""The facilitator's results: the team's heat, week by week, and nothing else.

Reflections are private: the core leaves them out of the responses ``summarise`` gets, so
no table here could show one even by mistake. The heat readings are figures-only and the
exercise is anonymous: a week's figures appear only for enough people
(``responses.rule``): a head count and mean from *k*, how many gave each reading from 5.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from placekit import PALETTE, Figure, Responses, Summary
from placekit_balcony import weeks
from placekit_balcony.schema import HEAT, HEAT_WORDS

COUNT_COLUMNS = [f"{n} {HEAT_WORDS[n]}" for n, _label in HEAT]
COLUMNS = ["Week", "Week starting", "People", "Mean heat", *COUNT_COLUMNS, "Note"]


def heat_table(responses: Responses, current: str | None = None) -> pd.DataFrame:
    """One row per week that is over. The week still going on is left out: its figures
    would move as each person answered, and the move would give their reading away."""
    rule = responses.rule
    current = current or weeks.current_week()
    rows = []
    for week, values in weeks.heat_by_week(responses.all_members("heat")).items():
        if week >= current:
            continue
        n = len(values)
        row: dict[str, Any] = {
            "Week": week,
            "Week starting": weeks.week_start(week).isoformat(),
            "People": rule.head_count(n),
            "Mean heat": round(sum(values) / n, 2) if rule.counts(n) else None,
        }
        for (level, _label), column in zip(HEAT, COUNT_COLUMNS, strict=True):
            row[column] = values.count(level) if rule.spread(n) else None
        if not rule.counts(n):
            row["Note"] = f"Withheld: fewer than {rule.k} people answered"
        elif not rule.spread(n):
            row["Note"] = f"How many gave each reading is shown from {rule.spread_min} people"
        else:
            row["Note"] = ""
        rows.append(row)
    frame = pd.DataFrame(rows, columns=COLUMNS)
    for column in COUNT_COLUMNS:
        frame[column] = frame[column].astype("Int64")  # withheld: missing, shown "—"
    return frame


def heat_chart(table: pd.DataFrame) -> Any:
    """The team's mean heat by week over the three bands: too cold, productive, too hot."""
    import altair as alt  # lazy: seconds to import, paid only once the chart is on screen

    shown = table.dropna(subset=["Mean heat"])
    width = 480  # px: the plot's, and where the bands' names end
    bands = pd.DataFrame(
        {
            "Band": ["Too cold", "Productive", "Too hot"],
            "low": [1.0, 2.5, 3.5],
            "high": [2.5, 3.5, 5.0],
        }
    )
    scale = alt.Scale(domain=[1, 5])
    zone = (
        alt.Chart(bands)
        .mark_rect(opacity=0.15)
        .encode(
            y=alt.Y("low:Q", scale=scale, title="Mean heat (1 too cold … 5 too hot)"),
            y2="high:Q",
            color=alt.Color(
                "Band:N",
                scale=alt.Scale(
                    domain=["Too cold", "Productive", "Too hot"],
                    range=[PALETTE.series[5], PALETTE.good, PALETTE.bad],
                ),
                legend=alt.Legend(title="Band"),
            ),
        )
    )
    line = (
        alt.Chart(shown)
        .mark_line(point=True, color=PALETTE.text)
        .encode(
            x=alt.X(
                "Week starting:O",
                title="Week starting",
                axis=alt.Axis(labelAngle=0, labelExpr="timeFormat(toDate(datum.value), '%-d %b')"),
            ),
            y=alt.Y("Mean heat:Q", scale=scale),
            tooltip=["Week:N", "Week starting:N", "People:N", "Mean heat:Q"],
        )
    )
    # Each band named inside it, at the right-hand edge, not only told by its colour.
    names = (
        alt.Chart(bands.assign(middle=(bands["low"] + bands["high"]) / 2))
        .mark_text(align="right", dx=-6, fontSize=12, color=PALETTE.muted)
        .encode(y=alt.Y("middle:Q", scale=scale), x=alt.value(width), text="Band:N")
    )
    return (zone + names + line).properties(width=width, height=260, title="The heat, week by week")


def summarise(responses: Responses) -> Summary:
    table = heat_table(responses)
    rule = responses.rule
    summary = Summary(
        tables={"The heat, week by week": table},
        notes=[
            "Each member's weekly reflection is private to them: it is not shown here, not"
            " exported, and not counted one person at a time.",
            f"The heat is shown for a week once the week is over and at least {rule.k}"
            " people have given it, as a mean; how many gave each reading once at least"
            f" {rule.spread_min} have. A mean near 3 is the productive zone.",
        ],
    )
    if table["Mean heat"].notna().any():
        summary.figures["The heat, week by week"] = Figure(
            lambda: heat_chart(table),
            "A line of the team's mean heat for each week, over three bands: too cold (below"
            " 2.5), productive (2.5 to 3.5) and too hot (above 3.5). The table “The heat,"
            " week by week” has the same figures.",
            table="The heat, week by week",
        )
    return summary
