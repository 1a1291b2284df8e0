"""Section E.6's charts (Vega-Altair): the power/interest grid, the power map, movement
over time, and the owl/fox/sheep/donkey grid. Each has a table beside it in the pages."""

from __future__ import annotations

import math
from typing import Any

import altair as alt
import pandas as pd

from placekit import PALETTE
from placekit_relationships import classify
from placekit_relationships.data import stance_label
from placekit_relationships.schema import CIRCLE_LABELS

STANCE_DOMAIN = [classify.STANCE_LABELS[k] for k in (2, 1, 0, -1, -2, None)]
STANCE_RANGE = [*PALETTE.diverging, PALETTE.unknown]
# A shape a stance as well as a colour (WCAG 1.4.1): for up, against down, neutral a square.
STANCE_SHAPES = alt.Scale(
    domain=STANCE_DOMAIN,
    range=["triangle-up", "triangle-up", "square", "triangle-down", "triangle-down", "circle"],
)


def _labels(items: list[tuple[float, float, str]]) -> alt.Chart:
    frame = pd.DataFrame(items, columns=["x", "y", "text"])
    return (
        alt.Chart(frame)
        .mark_text(color=PALETTE.muted, fontSize=12, fontWeight="bold")
        .encode(x="x:Q", y="y:Q", text="text:N")
    )


def power_interest_grid(classified: pd.DataFrame) -> alt.Chart:
    """Each stakeholder a dot: size is relationship strength, colour and shape the stance,
    the outline their circle; quadrant labels in Mendelow's and Eden & Ackermann's words."""
    frame = classified.assign(
        Stance=[stance_label(s) for s in classified["stance"]],
        Circle=[CIRCLE_LABELS.get(c, "") for c in classified["circle"]],
    )
    scale = alt.Scale(domain=[0.5, 5.5])
    dots = (
        alt.Chart(frame)
        .mark_point(filled=True, opacity=0.85, stroke=PALETTE.text)
        .encode(
            x=alt.X("interest:Q", title="Interest in the change", scale=scale),
            y=alt.Y("power:Q", title="Power over the change", scale=scale),
            size=alt.Size(
                "relationship:Q",
                title="Relationship (0–3)",
                scale=alt.Scale(domain=[0, 3], range=[80, 500]),
                legend=alt.Legend(values=[0, 1, 2, 3]),
            ),
            color=alt.Color("Stance:N", scale=alt.Scale(domain=STANCE_DOMAIN, range=STANCE_RANGE)),
            shape=alt.Shape("Stance:N", scale=STANCE_SHAPES),
            strokeWidth=alt.condition(alt.datum.circle == "inner", alt.value(3), alt.value(0.5)),
            tooltip=["name:N", "Circle:N", "power:Q", "interest:Q", "Stance:N", "status:N"],
        )
    )
    names = (
        alt.Chart(frame)
        .mark_text(align="left", dx=10, fontSize=11)
        .encode(x="interest:Q", y="power:Q", text="name:N")
    )
    lines = alt.Chart(pd.DataFrame({"v": [3.5]}))
    rules = lines.mark_rule(strokeDash=[4, 4], color=PALETTE.muted).encode(
        x="v:Q"
    ) + lines.mark_rule(strokeDash=[4, 4], color=PALETTE.muted).encode(y="v:Q")
    labels = _labels(
        [
            (4.75, 5.35, "Key player / Player"),
            (2.0, 5.35, "Keep satisfied / Context setter"),
            (4.75, 0.65, "Keep informed / Subject"),
            (2.0, 0.65, "Minimal effort / Crowd"),
        ]
    )
    return (rules + labels + dots + names).properties(width=520, height=420)


def _ring(radius: float, name: str) -> pd.DataFrame:
    steps = range(0, 361, 6)
    return pd.DataFrame(
        {
            "x": [radius * math.sin(math.radians(a)) for a in steps],
            "y": [radius * math.cos(math.radians(a)) for a in steps],
            "order": list(steps),
            "ring": name,
        }
    )


def power_map(positions: pd.DataFrame, ties: pd.DataFrame, change: str) -> alt.Chart:
    """Concentric circles, the change at the centre, with influence ties drawn between
    stakeholders (and team members, on the outermost ring)."""
    rings = pd.concat([_ring(1.0, "Inner circle"), _ring(2.0, "Outer circle")])
    axis = alt.Axis(labels=False, ticks=False, grid=False, domain=False, title=None)
    reach = 3.8 if (positions["ring"] == "team").any() else 3.0
    scale = alt.Scale(domain=[-reach, reach])
    circles = (
        alt.Chart(rings)
        .mark_line(color=PALETTE.neutral, strokeWidth=1.5)
        .encode(
            x=alt.X("x:Q", axis=axis, scale=scale),
            y=alt.Y("y:Q", axis=axis, scale=scale),
            detail="ring:N",
            order="order:Q",
        )
    )
    where = positions.set_index("node")[["x", "y"]]
    edges = ties[ties["source"].isin(where.index) & ties["target"].isin(where.index)]
    lines = pd.DataFrame(
        {
            "x": [where.at[s, "x"] for s in edges["source"]],
            "y": [where.at[s, "y"] for s in edges["source"]],
            "x2": [where.at[t, "x"] for t in edges["target"]],
            "y2": [where.at[t, "y"] for t in edges["target"]],
            "tie": [
                f"{a} {r} {b}"
                for a, r, b in zip(edges["From"], edges["Relationship"], edges["To"], strict=True)
            ],
            "strength": list(edges["Strength"]),
            "from": list(edges["From"]),
            "to": list(edges["To"]),
            "near": [f"|{a}|{b}|" for a, b in zip(edges["From"], edges["To"], strict=True)],
        }
    )
    # Focus on one stakeholder, as Kumu's maps let people do: their ties and the people at
    # the other end stay strong, the rest fades. A drop-down, so it works from the keyboard.
    everyone = "Everyone"
    focus = alt.param(
        name="focus",
        value=everyone,
        bind=alt.binding_select(
            options=[everyone, *sorted(positions["name"], key=str.lower)], name="Focus on "
        ),
    )
    near: dict[str, set[str]] = {name: {name} for name in positions["name"]}
    for a, b in zip(lines["from"], lines["to"], strict=True):
        near.setdefault(a, {a}).add(b)
        near.setdefault(b, {b}).add(a)
    in_focus = f"focus == '{everyone}' || indexof(datum.near, '|' + focus + '|') >= 0"
    links = (
        alt.Chart(lines)
        .mark_rule(color=PALETTE.accent)
        .encode(
            x="x:Q", y="y:Q", x2="x2:Q", y2="y2:Q",
            strokeWidth=alt.StrokeWidth("strength:Q", legend=None,
                                        scale=alt.Scale(domain=[1, 3], range=[1, 4])),
            opacity=alt.condition(in_focus, alt.value(0.8), alt.value(0.08)),
            tooltip=["tie:N"],
        )
        .add_params(focus)
    )  # fmt: skip
    where_label = {"inner": "Inner circle", "outer": "Outer circle", "unsure": "Not sure",
                   "team": "Our team"}  # fmt: skip
    shown = positions.assign(
        Where=[where_label.get(r, r) for r in positions["ring"]],
        near=["|" + "|".join(sorted(near.get(n, {n}))) + "|" for n in positions["name"]],
    )
    nodes = alt.Chart(shown).encode(
        x="x:Q", y="y:Q", opacity=alt.condition(in_focus, alt.value(1.0), alt.value(0.15))
    )
    where = list(where_label.values())
    dots = nodes.mark_point(size=160, filled=True).encode(
        color=alt.Color("Where:N", scale=alt.Scale(domain=where, range=PALETTE.for_series(4))),
        shape=alt.Shape("Where:N", scale=alt.Scale(domain=where, range=PALETTE.shapes_for(4))),
        tooltip=["name:N", "Where:N"],
    )
    names = nodes.mark_text(dy=-12, fontSize=11).encode(text="name:N")
    centre = _labels([(0.0, 0.0, change[:30] + ("…" if len(change) > 30 else ""))])
    return (circles + links + dots + names + centre).properties(width=520, height=520)


def movement_chart(movement: pd.DataFrame) -> alt.Chart:
    """Each stakeholder's stance, step by step, over time; each line named at its end, so
    no line is known by its colour alone."""
    shown = movement.dropna(subset=["Stance score"])
    # Vega-Lite's own time labels are 12-hour ("07 PM", "07:38" for 19:38): the 24-hour clock.
    x = alt.X("When:T", title="When", axis=alt.Axis(format="%-d %b %H:%M", labelAngle=0))
    when = alt.Tooltip("When:T", title="When", format="%-d %B %Y, %H:%M")
    y = alt.Y("Stance score:Q", title="Stance (−2 against … +2 for)",
              scale=alt.Scale(domain=[-2, 2]))  # fmt: skip
    lines = (
        alt.Chart(shown)
        .mark_line(point=True, interpolate="step-after")
        .encode(x=x, y=y, color="Stakeholder:N",
                tooltip=["Stakeholder:N", when, "Stance:N", "What changed:N"])
    )  # fmt: skip
    last = shown.sort_values("When").groupby("Stakeholder", as_index=False).tail(1)
    names = (
        alt.Chart(last)
        .mark_text(align="left", dx=8, fontSize=11, color=PALETTE.text)
        .encode(x=x, y=y, text="Stakeholder:N")
    )
    return (lines + names).properties(width=520, height=260)


def political_grid(points: list[dict[str, Any]]) -> alt.Chart:
    """Reading × carrying with the owl, fox, sheep and donkey quadrants. ``points`` holds
    ``who``, ``reading`` and ``carrying``; for behaviour seen in one situation only."""
    frame = pd.DataFrame(points, columns=["who", "reading", "carrying"])
    scale = alt.Scale(domain=[0.5, 5.5])
    lines = alt.Chart(pd.DataFrame({"v": [2.5]}))
    rules = lines.mark_rule(color=PALETTE.muted).encode(x="v:Q") + lines.mark_rule(
        color=PALETTE.muted
    ).encode(y="v:Q")
    labels = _labels(
        [(4.5, 5.3, "Owl"), (4.5, 0.7, "Fox"), (1.5, 5.3, "Sheep (lamb)"), (1.5, 0.7, "Donkey")]
    )
    dots = (
        alt.Chart(frame)
        .mark_circle(size=220, color=PALETTE.accent)
        .encode(
            x=alt.X("reading:Q", title="Reading the politics", scale=scale),
            y=alt.Y("carrying:Q", title="Acting with integrity", scale=scale),
            tooltip=["who:N", "reading:Q", "carrying:Q"],
        )
    )
    names = (
        alt.Chart(frame)
        .mark_text(dx=12, align="left")
        .encode(x="reading:Q", y="carrying:Q", text="who:N")
    )
    return (rules + labels + dots + names).properties(width=360, height=300)
