"""The map and the moves, for the facilitator and the team: tables in plain words, and a
chart of where each service is and should be.

``summarise`` is pure (the team's responses in, a ``Summary`` out); the team's own "map"
page shows the same tables and chart. All records here are the team's (services are not
people), so no small-group rule applies to them.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd

from placekit import PALETTE, Figure, Responses, Summary
from placekit_citizen_state_map import data, moves
from placekit_citizen_state_map.schema import AXES, ROLE_RANK

ROLE_HEADING = "Recipient, consumer or co-producer"
MAP_COLUMNS = ["Service", "Run by", *(a.title for a in AXES), ROLE_HEADING]


def map_table(responses: Responses) -> pd.DataFrame:
    """One row per service: each scale as "now → should be" (1 to 5, or the role)."""
    placements = data.placements(responses)
    rows = []
    for sid, service in data.services(responses).items():
        placement = placements.get(sid, {})
        row = {"Service": service.get("name", ""), "Run by": service.get("provider", "")}
        for axis in AXES:
            row[axis.title] = moves.position_text(placement, axis.id)
        row[ROLE_HEADING] = moves.position_text(placement, "role")
        rows.append(row)
    return pd.DataFrame(rows, columns=MAP_COLUMNS)


def moves_table(responses: Responses) -> pd.DataFrame:
    """Every move, biggest first: the numbers, and the move in plain words."""
    services = data.services(responses)
    rows = []
    for sid, placement in data.placements(responses).items():
        name = services[sid].get("name", "")
        for move in moves.moves(name, placement):
            rows.append(
                {
                    "Service": move.service,
                    "Scale": move.title,
                    "Now": move.now,
                    "Should be": move.future,
                    "Change": move.change,
                    "In plain words": f"{move.service}: {move.words}",
                }
            )
    frame = pd.DataFrame(
        rows, columns=["Service", "Scale", "Now", "Should be", "Change", "In plain words"]
    )
    order = frame["Change"].abs().sort_values(ascending=False, kind="stable").index
    return frame.loc[order].reset_index(drop=True)


def coproduction_table(responses: Responses) -> pd.DataFrame:
    placements = data.placements(responses)
    rows = []
    for sid, service in data.services(responses).items():
        linked = responses.get("coproduction", sid)
        placement = placements.get(sid, {})
        rows.append(
            {
                "Service": service.get("name", ""),
                "People's part, now → should be": moves.position_text(placement, "role"),
                "Assets that could co-produce it": "; ".join(linked.get("assets") or []),
                "Others who could": "; ".join(linked.get("others") or []),
            }
        )
    columns = [
        "Service",
        "People's part, now → should be",
        "Assets that could co-produce it",
        "Others who could",
    ]
    return pd.DataFrame(rows, columns=columns)


ROLE_SCALE = "Recipient, consumer or co-producer"


def chart_frame(responses: Responses) -> pd.DataFrame:
    """One row per service and scale with both ends answered: the chart's data (the role
    as its rank: 1 recipient, 2 consumer, 3 co-producer)."""
    services = data.services(responses)
    rows = []
    for sid, placement in data.placements(responses).items():
        name = services[sid].get("name", "")
        for axis in AXES:
            now, future = placement.get(f"{axis.id}_now"), placement.get(f"{axis.id}_future")
            if isinstance(now, int) and isinstance(future, int):
                rows.append({"Service": name, "Scale": axis_heading(axis), "Now": now,
                             "Should be": future})  # fmt: skip
        now, future = placement.get("role_now"), placement.get("role_future")
        if now in ROLE_RANK and future in ROLE_RANK:
            rows.append({"Service": name, "Scale": ROLE_SCALE, "Now": ROLE_RANK[now],
                         "Should be": ROLE_RANK[future]})  # fmt: skip
    return pd.DataFrame(rows, columns=["Service", "Scale", "Now", "Should be"])


def axis_heading(axis: Any) -> str:
    return f"{axis.low} (1) ↔ {axis.high} (5)"


def map_chart(frame: pd.DataFrame) -> Any:
    """A panel per scale, each service a line from where it is now (grey circle) to where it
    should be (blue diamond): the four 1-to-5 scales in a grid, and the role below them on
    its own three-point scale."""
    import altair as alt  # lazy: seconds to import, paid only once the chart is on screen

    def dumbbell(rows: pd.DataFrame, domain: list[int], axis: Any) -> Any:
        base = alt.Chart(rows)
        scale = alt.Scale(domain=domain, nice=False)
        y = alt.Y("Service:N", title=None, sort=None, axis=alt.Axis(labelLimit=220))
        line = base.mark_rule(color=PALETTE.muted, strokeWidth=2).encode(
            x=alt.X("Now:Q", title=None, scale=scale, axis=axis), x2="Should be:Q", y=y
        )
        ends = (
            base.transform_fold(["Now", "Should be"], as_=["When", "Position"])
            .mark_point(size=110, filled=True, opacity=1)
            .encode(
                x=alt.X("Position:Q", scale=scale, axis=axis),
                y=y,
                color=alt.Color(
                    "When:N",
                    scale=alt.Scale(
                        domain=["Now", "Should be"], range=[PALETTE.muted, PALETTE.accent]
                    ),
                    legend=alt.Legend(title=None),
                ),
                shape=alt.Shape(
                    "When:N",
                    scale=alt.Scale(domain=["Now", "Should be"], range=["circle", "diamond"]),
                ),
                tooltip=["Service:N", "When:N", "Position:Q"],
            )
        )
        return alt.layer(line, ends).properties(width=220, height=alt.Step(26))

    order = [axis_heading(a) for a in AXES]
    scales = frame[frame["Scale"] != ROLE_SCALE]
    roles = frame[frame["Scale"] == ROLE_SCALE]
    grid = dumbbell(scales, [1, 5], alt.Axis(values=[1, 2, 3, 4, 5], format="d")).facet(
        facet=alt.Facet(
            "Scale:N", title=None, sort=order, header=alt.Header(labelLimit=0, labelFontSize=12)
        ),
        columns=2,
    )
    role_axis = alt.Axis(
        values=[1, 2, 3],
        labelExpr="['', 'Recipient', 'Consumer', 'Co-producer'][datum.value]",
    )
    role = dumbbell(roles, [1, 3], role_axis).properties(title=ROLE_SCALE)
    return alt.vconcat(grid, role).properties(
        title="Where each service is now, and where it should be"
    )


def notes(responses: Responses) -> list[str]:
    services = data.services(responses)
    placements = data.placements(responses)
    found = [f"{len(services)} service{'s' if len(services) != 1 else ''} on the map."]
    towards = moves.towards_coproduction(placements)
    if placements:
        found.append(
            f"{len(towards)} of {len(services)} should give the people who use them a bigger"
            " part (towards co-production)"
            + (f": {', '.join(services[s].get('name', '') for s in towards)}." if towards else ".")
        )
    agreement = data.agreement(responses)
    on = day_text(agreement.get("agreed_on"))
    if not agreement:
        found.append("The team has not yet checked and confirmed the map.")
    elif data.agreed(responses):
        found.append(f"The team confirmed this map on {on}.")
    else:
        found.append(f"The map has changed since the team confirmed it on {on}: check it again.")
    return found


def summarise(responses: Responses) -> Summary:
    frame = chart_frame(responses)
    summary = Summary(
        tables={
            "The map": map_table(responses),
            "The moves": moves_table(responses),
            "Who could co-produce": coproduction_table(responses),
        },
        notes=notes(responses),
    )
    if len(frame):
        summary.figures["Where each service is, and should be"] = Figure(
            lambda: map_chart(frame),
            "One panel per scale. In each, a line for every service from where it is now"
            " (a grey circle) to where it should be (a blue diamond); a single mark means no"
            " change. The tables “The map” and “The moves” have the same information.",
            table="The map",
        )
    return summary


def day_text(value: object) -> str:
    """ "2026-12-02" → "2 December 2026"."""
    try:
        day = dt.date.fromisoformat(str(value))
    except ValueError:
        return str(value or "")
    return f"{day.day} {day:%B %Y}"
