"""The facilitator's results: the reframes and their votes, the choices, the team's
answers to the framing questions, and a chart of the vote.

``summarise`` is pure: the team's responses in, a ``Summary`` out. Its tables are what the
facilitator's page shows and what CSV, Excel and ``placekit export`` write. Votes are
figures-only records: only totals appear, and only for a problem on which at least *k*
members have voted (``responses.rule``), so no one's vote can be worked out.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from placekit import PALETTE, Figure, Responses, Summary
from placekit_reframing import data, logic
from placekit_reframing.schema import LENS_LABELS

REFRAME_COLUMNS = [
    "Problem",
    "Reframe",
    "What becomes possible",
    "Comes from",
    "Written by",
    "Votes",
    "Place",
    "Chosen",
]


def reframe_table(responses: Responses) -> pd.DataFrame:
    """One row per reframe of every problem on the list, with its votes where they may be
    shown (``None`` otherwise)."""
    rule = responses.rule
    rows = []
    for pid, problem in data.problems(responses).items():
        found = data.reframes(responses, pid)
        shown = rule.counts(data.voters(responses, pid))
        counts = data.counts(responses, pid)
        places = {r.reframe: logic.place_text(r) for r in logic.ranking(counts)}
        picked = data.decision(responses, pid).get("chosen")
        for rid, reframe in found.items():
            rows.append(
                {
                    "Problem": problem.get("statement", ""),
                    "Reframe": reframe.get("text", ""),
                    "What becomes possible": reframe.get("possible", ""),
                    "Comes from": LENS_LABELS.get(reframe.get("lens") or "", ""),
                    "Written by": reframe.get("by", ""),
                    "Votes": counts[rid] if shown else None,
                    "Place": places[rid] if shown else "",
                    "Chosen": "yes" if rid == picked else "",
                }
            )
    frame = pd.DataFrame(rows, columns=REFRAME_COLUMNS)
    frame["Votes"] = frame["Votes"].astype("Int64")  # withheld votes: missing, shown "—"
    return frame


def choices_table(responses: Responses) -> pd.DataFrame:
    """Each problem and the reframe the team chose, with why and a first step."""
    rows = []
    for pid, problem in data.problems(responses).items():
        picked = data.chosen(responses, pid)
        decision = data.decision(responses, pid)
        rows.append(
            {
                "Problem, as it is usually put": problem.get("statement", ""),
                "Chosen reframe": picked.get("text", "") if picked else "",
                "What becomes possible": picked.get("possible", "") if picked else "",
                "Why this one": decision.get("why", "") if picked else "",
                "A first step": decision.get("first_step", "") if picked else "",
            }
        )
    columns = [
        "Problem, as it is usually put",
        "Chosen reframe",
        "What becomes possible",
        "Why this one",
        "A first step",
    ]
    return pd.DataFrame(rows, columns=columns)


def lens_table(responses: Responses) -> pd.DataFrame:
    """Each member's answers to the framing questions (a named exercise: the team sees
    these on its pages too, without names)."""
    names = data.names(responses)
    problems = data.problems(responses)
    rows = []
    for member, records in responses.all_members("lens").items():
        for pid, answers in records.items():
            if pid not in problems:
                continue
            rows.append(
                {
                    "Problem": problems[pid].get("statement", ""),
                    "Member": names.get(member, ""),
                    "Whose frame is this?": answers.get("whose_frame", ""),
                    "What the people who use the service would call it": answers.get(
                        "users_words", ""
                    ),
                    "What a partner would call it": answers.get("partner_words", ""),
                    "Partner in mind": answers.get("partner", ""),
                }
            )
    columns = [
        "Problem",
        "Member",
        "Whose frame is this?",
        "What the people who use the service would call it",
        "What a partner would call it",
        "Partner in mind",
    ]
    return pd.DataFrame(rows, columns=columns)


def participation_table(responses: Responses) -> pd.DataFrame:
    rule = responses.rule
    rows = []
    for pid, problem in data.problems(responses).items():
        rows.append(
            {
                "Problem": problem.get("statement", ""),
                "Reframes": len(data.reframes(responses, pid)),
                "Members who answered the questions": sum(
                    data.lens_complete(records.get(pid, {}))
                    for records in responses.all_members("lens").values()
                ),
                "Members who voted": rule.head_count(data.voters(responses, pid)),
            }
        )
    columns = ["Problem", "Reframes", "Members who answered the questions", "Members who voted"]
    return pd.DataFrame(rows, columns=columns)


def vote_chart(table: pd.DataFrame) -> Any:
    """Votes per reframe, one panel per problem, the chosen reframe in GOV.UK blue and
    named."""
    import altair as alt  # lazy: seconds to import, paid only once the chart is on screen

    shown = table.dropna(subset=["Votes"]).copy()
    shown["Votes"] = shown["Votes"].astype(int)
    shown["Chosen reframe"] = shown["Chosen"].map({"yes": "Chosen"}).fillna("Not chosen")
    x = alt.X("Votes:Q", title="Votes", axis=alt.Axis(tickMinStep=1))
    y = alt.Y("Reframe:N", sort="-x", title=None, axis=alt.Axis(labelLimit=360))
    bars = (
        alt.Chart()
        .mark_bar()
        .encode(
            x=x,
            y=y,
            color=alt.Color(
                "Chosen reframe:N",
                scale=alt.Scale(
                    domain=["Chosen", "Not chosen"], range=[PALETTE.accent, PALETTE.neutral]
                ),
                legend=alt.Legend(title=None),
            ),
            tooltip=["Problem:N", "Reframe:N", "Votes:Q", "Chosen reframe:N"],
        )
    )
    # The chosen reframe named at the end of its bar, not told by its blue alone.
    chosen = (
        alt.Chart()
        .transform_filter(alt.datum["Chosen reframe"] == "Chosen")
        .mark_text(align="left", dx=4, fontSize=12, fontWeight="bold", color=PALETTE.text)
        .encode(x=x, y=y, text="Chosen reframe:N")
    )
    return (
        alt.layer(bars, chosen, data=shown)
        .properties(width=360)
        .facet(
            row=alt.Row(
                "Problem:N",
                title=None,
                sort=None,
                # The problem above its panel, read across, not turned on its side.
                header=alt.Header(
                    labelAngle=0, labelAlign="left", labelOrient="top", labelLimit=640
                ),
            )
        )
        .resolve_scale(y="independent")
        .properties(title="Votes for each reframe")
    )


def summarise(responses: Responses) -> Summary:
    rule = responses.rule
    reframes = reframe_table(responses)
    problems = data.problems(responses)
    members = len(responses.members)
    confirmed = sum(
        data.has_confirmed_all(responses, member) for member in _owners(responses, "submission")
    )
    notes = [
        f"{len(problems)} problem{'s' if len(problems) != 1 else ''}, {len(reframes)}"
        f" reframe{'s' if len(reframes) != 1 else ''}; {confirmed} of {members} members have"
        " confirmed their answers.",
        f"Votes are shown for a problem once at least {rule.k} members have voted on it, and"
        " only as totals: no one's vote is shown or exported.",
    ]
    summary = Summary(
        tables={
            "Chosen reframes": choices_table(responses),
            "Reframes and votes": reframes,
            "The team's answers": lens_table(responses),
            "Participation": participation_table(responses),
        },
        notes=notes,
    )
    if reframes["Votes"].notna().any():
        summary.figures["Votes for each reframe"] = Figure(
            lambda: vote_chart(reframes),
            "Bars of the votes each reframe received, one panel per problem, longest first;"
            " the reframe the team chose is blue and marked “Chosen”. The table “Reframes and"
            " votes” has the same figures.",
            table="Reframes and votes",
        )
    return summary


def _owners(responses: Responses, kind: str) -> list[str]:
    return list(responses.all_members(kind))
