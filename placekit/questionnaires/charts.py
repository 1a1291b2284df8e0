"""Charts for questionnaires (Vega-Altair): a compass (radar) and a rater × rated heat map.

The compass reads as the Place Standard's does: points near the centre need the most
attention. Withheld figures are simply absent: a spoke with no point, a grey cell marked
"withheld".
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from placekit.questionnaires.model import Questionnaire
from placekit.widgets.radar import radar


def compass(q: Questionnaire, series: Mapping[str, Mapping[str, float]]) -> Any:
    """One polygon per series (a round, or self-view vs partners' view) over the dimensions.

    ``series`` maps a name to {dimension id: mean}; missing dimensions are left out.
    """
    return radar(
        [(d.id, d.title) for d in q.dimensions],
        q.scale.points,
        series,
        title=q.title,
        subtitle=f"{q.scale.low} at the centre, {q.scale.high} at the rim;"
        " withheld figures are left out",
    )


def heat_map(q: Questionnaire, matrix: pd.DataFrame) -> Any:
    """Rater (rows) × rated (columns), one panel per dimension, for a questionnaire rated
    for each of a list (organisations, say);
    withheld cells are grey and say so."""
    import altair as alt  # lazy: a second to import, paid only when a chart is drawn

    titles = {d.id: d.title for d in q.dimensions}
    label = q.rate_each.label if q.rate_each else "group"
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
    tooltip = ["Rated by:N", "Rated:N", "Dimension:N", "Label:N"]
    # Vega-Lite leaves out a mark whose colour field is missing, so a withheld cell is a
    # layer of its own, grey. Both fills are hidden from a screen reader (aria=False): the
    # labels on top say each cell's rater, rated and mean, and an empty layer (a panel with
    # every cell withheld) would otherwise be an unnamed image.
    cells = base.mark_rect(stroke="#ffffff", aria=False).encode(
        color=alt.Color(
            "Mean:Q",
            scale=alt.Scale(domain=[q.scale.low, q.scale.high], scheme="blues"),
            legend=alt.Legend(title="Mean"),
        ),
        tooltip=tooltip,
    )
    withheld = (
        base.transform_filter("!isValid(datum.Mean)")
        .mark_rect(stroke="#ffffff", color="#dddddd", aria=False)
        .encode(tooltip=tooltip)
    )
    labels = base.mark_text(fontSize=12).encode(text="Label:N")
    return (
        alt.layer(withheld, cells, labels, data=frame)
        .properties(width=160, height=160)
        .facet(
            facet=alt.Facet("Dimension:N", sort=[titles[d.id] for d in q.dimensions], title=None),
            columns=3,
        )
        .properties(title=f"Ratings by rater {label} (withheld cells in grey)")
        .configure_title(fontSize=16)
    )
