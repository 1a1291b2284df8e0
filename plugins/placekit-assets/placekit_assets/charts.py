"""The asset map's figures (Vega-Altair): category counts and the network map."""

from __future__ import annotations

import altair as alt
import networkx as nx
import pandas as pd

from placekit import PALETTE
from placekit_assets.network import layout
from placekit_assets.schema import CATEGORIES, CATEGORY

LEGEND = alt.Scale(domain=[c.short for c in CATEGORIES], range=PALETTE.for_series(len(CATEGORIES)))
# A shape a category as well as a colour (WCAG 1.4.1); one legend shows both.
SHAPES = alt.Scale(domain=[c.short for c in CATEGORIES], range=PALETTE.shapes_for(len(CATEGORIES)))


def category_chart(counts: pd.DataFrame) -> alt.Chart:
    """Counts per category (``Category``, ``Assets``), every category shown, gaps too."""
    shorts = counts.assign(Short=[CATEGORY[c].short for c in counts["category"]])
    return (
        alt.Chart(shorts)
        .mark_bar()
        .encode(
            x=alt.X("Assets:Q", title="Assets", axis=alt.Axis(tickMinStep=1)),
            y=alt.Y("Short:N", title=None, sort=[c.short for c in CATEGORIES]),
            color=alt.Color("Short:N", scale=LEGEND, legend=None),
            tooltip=[alt.Tooltip("Category:N"), alt.Tooltip("Assets:Q")],
        )
        .properties(
            width=480,
            height=220,
            description="Bar chart of how many assets the team has recorded in each"
            " category. The same figures are in the table “Assets by category”.",
        )
    )


def network_chart(g: nx.Graph) -> alt.Chart:
    """Assets as marks, their shape and colour by category, sized by connections; links as lines
    (dashed where assets could work together but do not yet). Isolated assets get a red
    ring. The text alternative is the table of each asset and what it connects to."""
    positions = layout(g)
    nodes = pd.DataFrame(
        [
            {
                "x": positions[n][0],
                "y": positions[n][1],
                "Asset": g.nodes[n]["name"],
                "Category": CATEGORY[g.nodes[n]["category"]].short
                if g.nodes[n]["category"] in CATEGORY
                else "",
                "Connections": g.degree(n),
                "Isolated": "Not connected yet" if g.degree(n) == 0 else "",
            }
            for n in g.nodes
        ],
        columns=["x", "y", "Asset", "Category", "Connections", "Isolated"],
    )
    edges = pd.DataFrame(
        [
            {
                "x": positions[a][0],
                "y": positions[a][1],
                "x2": positions[b][0],
                "y2": positions[b][1],
                "Link": "Could work together"
                if d.get("status") == "potential"
                else "Work together now",
                "Between": f"{g.nodes[a]['name']} – {g.nodes[b]['name']}",
            }
            for a, b, d in g.edges(data=True)
        ],
        columns=["x", "y", "x2", "y2", "Link", "Between"],
    )
    axis = alt.Axis(labels=False, ticks=False, grid=False, domain=False, title=None)
    # Room round the edge so names at the outside of the map are not cut off.
    room = alt.Scale(padding=70, zero=False, nice=False)
    lines = (
        alt.Chart(edges)
        .mark_rule(color=PALETTE.muted, strokeWidth=2)
        .encode(
            x=alt.X("x:Q", axis=axis, scale=room),
            y=alt.Y("y:Q", axis=axis, scale=room),
            x2="x2:Q",
            y2="y2:Q",
            strokeDash=alt.StrokeDash(
                "Link:N",
                scale=alt.Scale(
                    domain=["Work together now", "Could work together"], range=[[1, 0], [6, 4]]
                ),
                legend=alt.Legend(title="Link"),
            ),
            tooltip=["Between:N", "Link:N"],
        )
    )
    circles = (
        alt.Chart(nodes)
        .mark_point(filled=True, opacity=0.95, stroke=PALETTE.bad)
        .encode(
            x=alt.X("x:Q", axis=axis, scale=room),
            y=alt.Y("y:Q", axis=axis, scale=room),
            color=alt.Color("Category:N", scale=LEGEND, legend=alt.Legend(title="Category")),
            shape=alt.Shape("Category:N", scale=SHAPES, legend=alt.Legend(title="Category")),
            size=alt.Size(
                "Connections:Q",
                scale=alt.Scale(range=[150, 1200], zero=False),
                legend=alt.Legend(title="Connections", tickMinStep=1),
            ),
            strokeWidth=alt.condition(alt.datum.Connections == 0, alt.value(3), alt.value(0)),
            tooltip=["Asset:N", "Category:N", "Connections:Q", "Isolated:N"],
        )
    )
    labels = (
        alt.Chart(nodes)
        .mark_text(dy=-16, fontSize=12, color=PALETTE.text)
        .encode(
            x=alt.X("x:Q", axis=axis, scale=room),
            y=alt.Y("y:Q", axis=axis, scale=room),
            text="Asset:N",
        )
    )
    described = (
        f"Network map of {len(nodes)} assets and {len(edges)} links between them. Each"
        " asset is a mark whose shape and colour show its category, sized by its number of"
        " connections."
        " The table “Each asset and what it connects to” gives the same information as text."
    )
    return (
        alt.layer(lines, circles, labels)
        .properties(width=640, height=440, description=described)
        .configure_view(stroke=None)
    )
