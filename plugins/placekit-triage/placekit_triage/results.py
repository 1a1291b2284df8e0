"""The triage results: team distribution, disagreement flags, kappa, Grint chart, decisions."""

from __future__ import annotations

from typing import Any

import pandas as pd

from placekit import PALETTE, Figure, Responses, Summary
from placekit_triage import data, scoring
from placekit_triage.items import MODE_LABELS, TYPE_LABELS

FLAG_TEXT = {
    "agreement_flag": "low agreement",
    "spread_flag": "wide spread",
    "mismatch_flag": "gut ≠ diagnosis",
}


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
        rows.append(
            {
                "Issue": title,
                "Members": int(s["n"]),
                "Tame": int(s["tame"]),
                "Mixed": int(s["mixed"]),
                "Wicked": int(s["wicked"]),
                "Critical": int(s["critical"]),
                "Most common": TYPE_LABELS.get(s["modal_type"], ""),
                "Agreement": round(float(s["agreement_ratio"]), 2),
                "Wicked index SD": _round(s["index_sd"]),
                "Wicked index range": _round(s["index_range"]),
                "Gut ≠ diagnosis": _round(s["mismatch_share"]),
                "Most disputed items": s["disputed_items"],
                "Flags": ", ".join(flags),
            }
        )
    return scored, pd.DataFrame(rows)


def _round(value: Any) -> float | None:
    return None if pd.isna(value) else round(float(value), 2)


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


def decision_table(responses: Responses) -> pd.DataFrame:
    decisions = responses.records("decision")
    revisit = responses.get("review", "team").get("revisit_on")
    rows = []
    for issue_id, issue in data.issues(responses).items():
        d = decisions.get(issue_id, {})
        rows.append(
            {
                "Issue": issue.get("title", ""),
                "Agreed type": TYPE_LABELS.get(d.get("agreed_type") or "", ""),
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


def kappa_note(scored: pd.DataFrame) -> str:
    kappa = scoring.team_kappa(scored)
    if kappa is None:
        return (
            "Fleiss' kappa needs at least two issues classified by the same two or more"
            " members (or is undefined because every classification was the same type)."
        )
    return (
        f"Agreement across issues (Fleiss' kappa): {kappa:.2f} — "
        f"{scoring.kappa_band(kappa)} agreement beyond chance."
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


def grint_chart(responses: Responses, scored: pd.DataFrame) -> Any:
    """Each member's (collaboration, uncertainty) per issue over the three zones of Grint's
    typology, with lines to each issue's team centroid so spread is visible (B.7)."""
    import altair as alt  # lazy: seconds to import, paid only once the chart is on screen

    names = {m["id"]: m["display_name"] for m in responses.members}
    titles = {k: v.get("title", "") for k, v in data.issues(responses).items()}
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
    spokes = points.merge(centroids, on="Issue", suffixes=("", " (team)"))
    zones = pd.DataFrame(
        {
            "Zone": ["Critical: command", "Tame: management", "Wicked: leadership"],
            "x": [0.0, 1 / 3, 2 / 3],
            "x2": [1 / 3, 2 / 3, 1.0],
        }
    )
    scale = alt.Scale(domain=[0, 1])
    base = alt.Chart(zones).encode(
        x=alt.X("x:Q", scale=scale, title="Need for collaboration →"),
        x2="x2:Q",
        y=alt.Y("x:Q", scale=scale, title="Uncertainty about the solution →"),
        y2="x2:Q",
    )
    band = base.mark_rect(opacity=0.18).encode(
        color=alt.Color(
            "Zone:N",
            scale=alt.Scale(range=PALETTE.for_series(3)),
            legend=alt.Legend(title="Zone"),
        )
    )
    # Labels sit inside each band's top-left corner, clear of the axes.
    label = (
        alt.Chart(zones)
        .mark_text(align="left", baseline="top", dx=4, dy=4, fontSize=13)
        .encode(x=alt.X("x:Q", scale=scale), y=alt.Y("x2:Q", scale=scale), text="Zone:N")
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
        .mark_circle(size=90, opacity=0.85)
        .encode(
            x="Collaboration:Q",
            y="Uncertainty:Q",
            color=alt.Color("Issue:N", legend=alt.Legend(title="Issue")),
            tooltip=["Issue", "Member", "Diagnosed as", "Collaboration", "Uncertainty"],
        )
    )
    middle = (
        alt.Chart(centroids)
        .mark_point(shape="diamond", size=220, filled=True, stroke=PALETTE.text)
        .encode(
            x="Collaboration:Q",
            y="Uncertainty:Q",
            color=alt.Color("Issue:N", legend=None),
            tooltip=["Issue", "Collaboration", "Uncertainty"],
        )
    )
    return (
        alt.layer(band, label, lines, dots, middle)
        .resolve_scale(color="independent")
        .properties(width=520, height=420, title="Grint chart: each member's view of each issue")
        .configure_axis(labelFontSize=13, titleFontSize=15)
        .configure_legend(labelFontSize=13, titleFontSize=14, labelLimit=320)
        .configure_title(fontSize=17)
    )


def summarise(responses: Responses) -> Summary:
    scored, team = team_table(responses)
    summary = Summary(
        tables={
            "Team distribution per issue": team,
            "Classifications by member": individual_table(responses, scored),
            "Framing bias by preferred mode": bias_table(scored, responses),
            "Decisions": decision_table(responses),
        },
        notes=[kappa_note(scored)],
    )
    if len(scored):
        summary.figures["Grint chart"] = Figure(
            lambda: grint_chart(responses, scored),
            "Each member's view of each issue, placed by the need for collaboration and the"
            " uncertainty about the solution over Grint's three zones (critical, tame,"
            " wicked), with a diamond at the team's average for each issue. The table"
            " “Classifications by member” lists the same calls.",
        )
    return summary
