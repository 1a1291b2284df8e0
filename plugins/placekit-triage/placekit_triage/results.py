"""The triage results: team distribution, disagreement flags, kappa, Grint chart, decisions."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd

from placekit import PALETTE, Figure, Responses, Summary
from placekit_triage import data, scoring
from placekit_triage.items import MODE_LABELS, TYPE_LABELS, TYPES

FLAG_TEXT = {
    "agreement_flag": "low agreement",
    "spread_flag": "wide spread",
    "mismatch_flag": "gut ≠ diagnosis",
}

# What a spread shows for one member: a plain dash and why, never an empty or "None" cell.
NEEDS_TWO = "— (needs 2 or more members)"


def team_table(responses: Responses) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(scored classifications, per-issue summary with titles and readable columns)."""
    titles = {k: v.get("title", "") for k, v in data.issues(responses).items()}
    scored = scoring.scored(data.classifications(responses))
    summary = scoring.issue_summary(scored)
    rows = []
    for issue_id, title in titles.items():
        if issue_id not in summary.index:
            rows.append({"Issue": title, "Members": 0})
            continue
        s = summary.loc[issue_id]
        flags = [text for column, text in FLAG_TEXT.items() if bool(s[column])]
        alone = int(s["n"]) < 2  # one member has no spread to show
        rows.append(
            {
                "Issue": title,
                "Members": int(s["n"]),
                "Tame": int(s["tame"]),
                "Mixed": int(s["mixed"]),
                "Wicked": int(s["wicked"]),
                "Critical": int(s["critical"]),
                "Most common": most_common_text({t: int(s[t]) for t in TYPES}),
                "Agreement": round(float(s["agreement_ratio"]), 2),
                "Wicked index SD": NEEDS_TWO if alone else _round(s["index_sd"]),
                "Wicked index range": NEEDS_TWO if alone else _round(s["index_range"]),
                "Gut ≠ diagnosis": _round(s["mismatch_share"], "— (no gut calls)"),
                "Most disputed items": s["disputed_items"] or "—",
                "Flags": ", ".join(flags),
            }
        )
    return scored, pd.DataFrame(rows)


def _round(value: Any, missing: str = "—") -> float | str:
    return missing if pd.isna(value) else round(float(value), 2)


def _and(words: list[str]) -> str:
    return " and ".join([", ".join(words[:-1]), words[-1]]) if len(words) > 1 else "".join(words)


def most_common_text(counts: dict[str, int]) -> str:
    """The most common type in words: "Wicked", or for a tie "Tied: tame and wicked, 2
    each", never one type of a tie as if it were the answer."""
    top = scoring.most_common(counts)
    if not top:
        return "—"
    if len(top) == 1:
        return TYPE_LABELS[top[0]]
    return f"Tied: {_and([TYPE_LABELS[t].lower() for t in top])}, {counts[top[0]]} each"


def flagged_issue_ids(responses: Responses) -> list[str]:
    summary = scoring.issue_summary(scoring.scored(data.classifications(responses)))
    return [i for i in data.issues(responses) if i in summary.index and summary.loc[i, "flagged"]]


def individual_table(responses: Responses, scored: pd.DataFrame) -> pd.DataFrame:
    names = {m["id"]: m["display_name"] for m in responses.members}
    titles = {k: v.get("title", "") for k, v in data.issues(responses).items()}
    return pd.DataFrame(
        [
            {
                "Issue": titles.get(r.issue_id, ""),
                "Member": names.get(r.member_id, ""),
                "Gut call": TYPE_LABELS.get(r.gut_call, ""),
                "Diagnosed as": TYPE_LABELS[r.computed_type],
                "Wicked index": round(r.wicked_index, 2),
                "Critical score": int(r.critical_score),
                "Revised call": TYPE_LABELS.get(r.revised_call or "", ""),
            }
            for r in scored.itertuples()
        ],
        columns=[
            "Issue",
            "Member",
            "Gut call",
            "Diagnosed as",
            "Wicked index",
            "Critical score",
            "Revised call",
        ],
    )


def decision_table(responses: Responses, scored: pd.DataFrame | None = None) -> pd.DataFrame:
    """Each issue's agreed type and response, beside what the team's diagnosis said."""
    if scored is None:
        scored = scoring.scored(data.classifications(responses))
    diagnosis = diagnosis_text(scoring.issue_summary(scored))
    decisions = responses.records("decision")
    revisit = responses.get("review", "team").get("revisit_on")
    rows = []
    for issue_id, issue in data.issues(responses).items():
        d = decisions.get(issue_id, {})
        rows.append(
            {
                "Issue": issue.get("title", ""),
                "Agreed type": TYPE_LABELS.get(d.get("agreed_type") or "", ""),
                "The diagnosis said": diagnosis.get(issue_id, "No answers yet"),
                "Mode": MODE_LABELS.get(d.get("mode") or "", ""),
                "Response": d.get("response_summary", ""),
                "Questions to ask": "; ".join(d.get("questions_to_ask") or []),
                "Tame components": "; ".join(d.get("tame_components") or []),
                "Who to involve": "; ".join(d.get("who_to_involve") or []),
                "Command time limit": d.get("command_time_limit") or "",
                "Revisit on": revisit or "",
            }
        )
    return pd.DataFrame(rows)


def diagnosis_text(summary: pd.DataFrame) -> dict[str, str]:
    """Issue id -> what the members' answers pointed to, in words ("Tame (3 of 3)")."""
    found = {}
    for issue_id, s in summary.iterrows():
        counts = {t: int(s[t]) for t in TYPES}
        top = scoring.most_common(counts)
        text = most_common_text(counts)
        found[str(issue_id)] = text if len(top) != 1 else f"{text} ({counts[top[0]]} of {s['n']})"
    return found


@dataclass(frozen=True)
class Agreement:
    """Who has confirmed, and the kappa over exactly them: what the reveal and the
    facilitator both say, so the two always agree."""

    members: int  # who have joined the workbook
    issues: int  # on the list now
    confirmed: int  # members who have confirmed their answers on every issue
    partial: int  # members who confirmed earlier issues, not yet one added since
    late: tuple[str, ...]  # the titles those members have still to answer
    kappa: float | None  # Fleiss' kappa over the confirmed members and every issue

    def sentences(self) -> list[str]:
        said = [
            f"{self.confirmed} of {self.members} members have confirmed their answers on"
            f" {'the one issue' if self.issues == 1 else f'all {self.issues} issues'}."
        ]
        if self.partial:
            who = "1 member has" if self.partial == 1 else f"{self.partial} members have"
            said.append(
                f"{who} still to answer {_and([f'“{t}”' for t in self.late])}, added after"
                " they confirmed; until then their answers on the other issues are in the"
                " table but not in the agreement figure."
            )
        if self.kappa is None:
            said.append(
                "Fleiss' kappa needs at least two issues and two members who have confirmed"
                " all of them, and cannot be worked out when every answer points to the same"
                " type."
            )
        else:
            said.append(
                f"Agreement across the {self.issues} issues among those {self.confirmed}"
                f" members (Fleiss' kappa): {self.kappa:.2f} — {scoring.kappa_band(self.kappa)}"
                " agreement beyond chance."
            )
        return said

    def text(self) -> str:
        return " ".join(self.sentences())


def agreement(responses: Responses, scored: pd.DataFrame) -> Agreement:
    """The team's agreement as one set of raters: the members who have confirmed every
    issue now on the list, and the kappa over them (``scoring.complete_raters``)."""
    issue_ids = list(data.issues(responses))
    complete = scoring.complete_raters(scored, issue_ids)
    rated: dict[str, set[str]] = {}
    for member, issue in zip(scored["member_id"], scored["issue_id"], strict=True):
        rated.setdefault(member, set()).add(issue)
    partial = [m for m in rated if m not in complete]
    missing = {i for m in partial for i in issue_ids if i not in rated[m]}
    titles = {k: v.get("title", "") for k, v in data.issues(responses).items()}
    return Agreement(
        members=len(responses.members),
        issues=len(issue_ids),
        confirmed=len(complete),
        partial=len(partial),
        late=tuple(titles[i] for i in issue_ids if i in missing),
        kappa=scoring.team_kappa(scored, issue_ids) if complete else None,
    )


def bias_table(scored: pd.DataFrame, responses: Responses) -> pd.DataFrame:
    """Framing bias by preferred mode. Preferred modes are figures-only: how many prefer
    each is a count per answer, shown only from the rule's ``spread_min`` members in all;
    a mode fewer than k prefer shows neither its count nor its bias."""
    columns = ["Preferred mode", "Members", "Mean bias", "Members flagged", "Note"]
    modes = data.modes(responses)
    frame = scoring.framing_bias(scored, modes) if len(scored) and len(modes) else None
    if frame is None:
        return pd.DataFrame(columns=columns)
    rule = responses.rule
    if not rule.spread(int(frame["members"].sum())):
        note = f"Withheld: fewer than {rule.spread_min} members gave a preferred mode"
        return pd.DataFrame([{"Preferred mode": "All", "Note": note}], columns=columns)
    small = frame["members"] < rule.k
    withheld = f"withheld (fewer than {rule.k} members)"
    return pd.DataFrame(
        {
            "Preferred mode": [MODE_LABELS.get(m, m) for m in frame["preferred_mode"]],
            "Members": [rule.head_count(int(n)) for n in frame["members"]],
            "Mean bias": frame["mean_bias"].round(2).astype(object).where(~small, withheld),
            "Members flagged": frame["flagged_members"]
            .astype(int)
            .astype(object)
            .where(~small, withheld),
            "Note": "",
        },
        columns=columns,
    )


# The shape each type is drawn with on the Grint chart: a member's diagnosis, and (larger,
# outlined) the type the team agreed. Shape as well as colour, so it reads without colour.
SHAPES = {"tame": "circle", "mixed": "square", "wicked": "diamond", "critical": "triangle-up"}
NOT_AGREED = "Not agreed yet"


def placement(responses: Responses, scored: pd.DataFrame) -> list[dict[str, str]]:
    """Per issue with answers: its title, the agreed type (or "Not agreed yet"), the
    diagnosis in words, and whether the team agreed a type the diagnosis did not point to
    (a tie counts as pointing to each of its types)."""
    summary = scoring.issue_summary(scored)
    said = diagnosis_text(summary)
    decisions = responses.records("decision")
    found = []
    for issue_id, issue in data.issues(responses).items():
        if issue_id not in summary.index:
            continue
        agreed = decisions.get(issue_id, {}).get("agreed_type")
        top = scoring.most_common({t: int(summary.loc[issue_id, t]) for t in TYPES})
        found.append(
            {
                "issue": issue.get("title", ""),
                "agreed": TYPE_LABELS.get(agreed or "", NOT_AGREED),
                "diagnosis": said[issue_id],
                "differs": "yes" if agreed in TYPES and agreed not in top else "",
            }
        )
    return found


def placement_text(rows: list[dict[str, str]]) -> str:
    """In words, which issues the team placed differently from the diagnosis."""
    differ = [r for r in rows if r["differs"]]
    waiting = [r["issue"] for r in rows if r["agreed"] == NOT_AGREED]
    if differ:
        listed = "; ".join(
            f"“{r['issue']}”: agreed {r['agreed']}, the diagnosis said {r['diagnosis']}"
            for r in differ
        )
        said = f"The team placed {len(differ)} of {len(rows)} issues differently from the"
        said += f" diagnosis: {listed}."
    elif len(waiting) < len(rows):
        said = "Every issue the team has agreed on is the type the diagnosis pointed to."
    else:
        said = "The team has not agreed a type for any issue yet."
    if waiting and len(waiting) < len(rows):
        said += f" Not agreed yet: {_and([f'“{t}”' for t in waiting])}."
    return said


def grint_chart(responses: Responses, scored: pd.DataFrame) -> Any:
    """Each member's (collaboration, uncertainty) per issue over the zones of Grint's
    typology, with lines to each issue's team centroid so spread is visible (B.7), and at
    each centroid the type the team agreed.

    The zones are where B.5's wicked index puts a point (diagonal bands, tame bottom-left to
    wicked top-right). Critical is decided by the crisis questions, not by position, so a
    critical diagnosis is a shape (a triangle), wherever it sits.
    """
    import altair as alt  # lazy: seconds to import, paid only once the chart is on screen

    names = {m["id"]: m["display_name"] for m in responses.members}
    # Issues are numbered as on the check-your-answers page, in the legend and beside each
    # team centre, so they are told apart by more than their colour (WCAG 1.4.1).
    numbers = {k: n for n, k in enumerate(data.issues(responses), 1)}
    titles = {k: f"{numbers[k]}. {v.get('title', '')}" for k, v in data.issues(responses).items()}
    number_of = {titles[k]: n for k, n in numbers.items()}
    decisions = responses.records("decision")
    points = pd.DataFrame(
        {
            "Issue": [titles.get(i, "") for i in scored["issue_id"]],
            "Member": [names.get(m, "") for m in scored["member_id"]],
            "Diagnosed as": [TYPE_LABELS[t] for t in scored["computed_type"]],
            "Collaboration": scored["collaboration"].astype(float),
            "Uncertainty": scored["uncertainty"].astype(float),
        }
    )
    centroids = points.groupby("Issue", as_index=False, sort=False)[
        ["Collaboration", "Uncertainty"]
    ].mean()
    agreed_of = {
        titles.get(i, ""): d.get("agreed_type") for i, d in decisions.items() if i in titles
    }
    centroids["Agreed type"] = [
        TYPE_LABELS.get(agreed_of.get(t) or "", NOT_AGREED) for t in centroids["Issue"]
    ]
    centroids["Label"] = [
        f"{number_of[t]} · " + (a if a == NOT_AGREED else f"Agreed: {a}")
        for t, a in zip(centroids["Issue"], centroids["Agreed type"], strict=True)
    ]
    # Each label beside its marker, on the side with room, and never off the chart's top.
    centroids["Label x"] = [x + (-0.03 if x > 0.6 else 0.03) for x in centroids["Collaboration"]]
    centroids["Label y"] = [y + (-0.05 if y > 0.9 else 0.03) for y in centroids["Uncertainty"]]
    centroids["Side"] = ["right" if x > 0.6 else "left" for x in centroids["Collaboration"]]
    spokes = points.merge(centroids, on="Issue", suffixes=("", " (team)"))
    zones = _zones()
    scale = alt.Scale(domain=[0, 1])
    x_axis = alt.X("x:Q", scale=scale, title="Need for collaboration →")
    y_axis = alt.Y("y:Q", scale=scale, title="Uncertainty about the solution →")
    band = (
        alt.Chart(zones)
        .mark_area(opacity=0.18, interpolate="linear")
        .encode(
            x=x_axis,
            y=y_axis,
            y2="y2:Q",
            color=alt.Color(
                "Zone:N",
                sort=list(ZONES),
                scale=alt.Scale(domain=list(ZONES), range=PALETTE.for_series(3)),
                legend=alt.Legend(title="Zone"),
            ),
        )
    )
    labels = [
        alt.Chart(pd.DataFrame([place]))
        .mark_text(
            fontSize=13, color=PALETTE.text, align=place["align"], baseline=place["baseline"]
        )
        .encode(x=alt.X("x:Q", scale=scale), y=alt.Y("y:Q", scale=scale), text="Zone:N")
        for place in ZONE_LABELS
    ]
    shape_scale = alt.Scale(
        domain=[TYPE_LABELS[t] for t in SHAPES] + [NOT_AGREED],
        range=[*SHAPES.values(), "cross"],
    )
    lines = (
        alt.Chart(spokes)
        .mark_rule(opacity=0.5)
        .encode(
            x="Collaboration:Q",
            y="Uncertainty:Q",
            x2="Collaboration (team):Q",
            y2="Uncertainty (team):Q",
            color=alt.Color("Issue:N", legend=None),
        )
    )
    dots = (
        alt.Chart(points)
        .mark_point(size=90, opacity=0.85, filled=True)
        .encode(
            x="Collaboration:Q",
            y="Uncertainty:Q",
            color=alt.Color("Issue:N", legend=alt.Legend(title="Issue")),
            shape=alt.Shape(
                "Diagnosed as:N", scale=shape_scale, legend=alt.Legend(title="Type (shape)")
            ),
            tooltip=["Issue", "Member", "Diagnosed as", "Collaboration", "Uncertainty"],
        )
    )
    middle = (
        alt.Chart(centroids)
        .mark_point(size=320, filled=True, stroke=PALETTE.text, strokeWidth=2)
        .encode(
            x="Collaboration:Q",
            y="Uncertainty:Q",
            color=alt.Color("Issue:N", legend=None),
            shape=alt.Shape("Agreed type:N", scale=shape_scale, legend=None),
            tooltip=["Issue", "Agreed type", "Collaboration", "Uncertainty"],
        )
    )
    agreed = [
        alt.Chart(centroids)
        .transform_filter(alt.datum.Side == side)
        .mark_text(align=side, baseline="middle", fontSize=13, fontWeight="bold")
        .encode(
            x=alt.X("Label x:Q", scale=scale),
            y=alt.Y("Label y:Q", scale=scale),
            text="Label:N",
            color=alt.value(PALETTE.text),
        )
        for side in ("left", "right")
    ]
    return (
        alt.layer(band, *labels, lines, dots, middle, *agreed)
        .resolve_scale(color="independent", shape="shared")
        .properties(
            width=520, height=420, title="Grint chart: each member's view and the agreed type"
        )
        .configure_axis(labelFontSize=13, titleFontSize=15)
        .configure_legend(labelFontSize=13, titleFontSize=14, labelLimit=320)
        .configure_title(fontSize=17)
    )


ZONES = {
    "Tame: management": (0.0, scoring.MIXED_MIN_INDEX),
    "Wicked with tame components: leadership": (scoring.MIXED_MIN_INDEX, scoring.WICKED_MIN_INDEX),
    "Wicked: leadership": (scoring.WICKED_MIN_INDEX, 1.0),
}
# Each zone's name inside its band, clear of the axes and the corners where points gather.
ZONE_LABELS = [
    {"Zone": zone, "x": x, "y": y, "align": align, "baseline": baseline}
    for zone, x, y, align, baseline in zip(
        ZONES,
        (0.02, 0.5, 0.98),
        (0.35, scoring.uncertainty_at(0.475, 0.5), 0.62),
        ("left", "center", "right"),
        ("middle", "middle", "middle"),
        strict=True,
    )
]


def _zones(steps: int = 100) -> pd.DataFrame:
    """Each zone's band as an area: from the line of its lower index to that of its upper
    one, sampled across the chart and clipped to it (the lines are straight, the clip is
    not)."""
    rows = []
    for zone, (low, high) in ZONES.items():
        for k in range(steps + 1):
            x = k / steps
            rows.append(
                {
                    "Zone": zone,
                    "x": x,
                    "y": min(1.0, max(0.0, scoring.uncertainty_at(low, x))),
                    "y2": min(1.0, max(0.0, scoring.uncertainty_at(high, x))),
                }
            )
    return pd.DataFrame(rows)


def chart_description(responses: Responses, scored: pd.DataFrame) -> str:
    return (
        "Each member's view of each issue, placed by the need for collaboration and the"
        " uncertainty about the solution (from the tame-or-wicked questions, W1 to W9) over"
        " the zones those answers fall in, tame bottom-left to wicked top-right. A member's"
        " shape is where their answers point (a triangle: critical, which the crisis"
        " questions C1 to C3 decide wherever it sits); the larger outlined shape, labelled,"
        " is the team's average for the issue and the type the team agreed. "
        + placement_text(placement(responses, scored))
        + " The table “Classifications by member” lists the same calls."
    )


def summarise(responses: Responses) -> Summary:
    scored, team = team_table(responses)
    summary = Summary(
        tables={
            "Team distribution per issue": team,
            "Classifications by member": individual_table(responses, scored),
            "Framing bias by preferred mode": bias_table(scored, responses),
            "Decisions": decision_table(responses, scored),
        },
        notes=[agreement(responses, scored).text()],
    )
    if len(scored):
        summary.figures["Grint chart"] = Figure(
            lambda: grint_chart(responses, scored),
            chart_description(responses, scored),
            table="Classifications by member",
        )
    return summary


def revealed(responses: Responses, step: str) -> Summary | None:
    """What the room's screen shows when the facilitator reveals the "Reveal" step in a
    live session: the gut calls on each issue, then the gut calls against the diagnosis.
    Counts only, never who called what (the results page has that, for the facilitator)."""
    if step != "reveal":
        return None
    titles = {k: v.get("title", "") for k, v in data.issues(responses).items()}
    summary = scoring.issue_summary(scoring.scored(data.classifications(responses)))
    gut, against = [], []
    for issue_id, title in titles.items():
        if issue_id not in summary.index:
            continue
        s = summary.loc[issue_id]
        gut.append(
            {"Issue": title, "Members": int(s["n"])}
            | {TYPE_LABELS[t]: int(s[f"gut_{t}"]) for t in TYPES}
        )
        gut_counts = {t: int(s[f"gut_{t}"]) for t in TYPES}
        against.append(
            {
                "Issue": title,
                "Most common gut call": most_common_text(gut_counts),
                "Most common diagnosis": most_common_text({t: int(s[t]) for t in TYPES}),
                "Gut ≠ diagnosis": _round(s["mismatch_share"], "— (no gut calls)"),
            }
        )
    if not gut:
        return Summary(notes=["No one has confirmed their calls yet: nothing to reveal."])
    return Summary(
        tables={
            "Gut calls on each issue": pd.DataFrame(gut),
            "Gut call against the diagnosis": pd.DataFrame(against),
        }
    )
