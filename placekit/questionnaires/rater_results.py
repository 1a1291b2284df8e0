"""A 360's results: one leader's self against each rater group (for that leader alone),
and the team's anonymous profile (for the facilitator, exports and ``placekit.open()``).

A leader's report shows the columns ``raters.columns`` allows (a group of at least k, the
small groups pooled as "Others", "All raters"), per dimension and per statement. A cell is
withheld when fewer than k raters gave it a score (a "don't know" leaves a statement's cell
smaller than its group), and then, as in the trust audit's rater table, enough of the cells
beside it are withheld too that "All raters" minus the cells shown never gives a withheld
one away. No spread is shown: with groups of three to four raters, a lowest and a highest
would be single people's answers.

The team's profile never splits by leader or by rater group: per dimension, the mean over
leaders of their own score and of their raters' mean, shown only when at least k leaders
have both, each leader counting once however many people rated them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import partial

import numpy as np
import pandas as pd

from placekit.data.privacy import GroupRule
from placekit.data.responses import Responses
from placekit.exercise import Figure, Summary
from placekit.questionnaires import stats
from placekit.questionnaires.charts import compass
from placekit.questionnaires.model import Questionnaire
from placekit.questionnaires.raters import (
    EVERYONE,
    SUBJECT,
    Column,
    Rating,
    Subject,
    columns,
    counts,
    given_text,
    own_subject,
    ratings,
    ratings_given,
)

NOTE = stats.NOTE
GAP = "Gap (you − all raters)"
SMALL = "fewer than {k} raters gave a score"
BESIDE = "withheld so that a smaller group beside it cannot be worked out"
FLAG_WORDS = {
    "blind spot": "Blind spot: you rate yourself higher than your raters do",
    "hidden strength": "Hidden strength: your raters rate you higher than you do",
}


def rater_frame(q: Questionnaire, found: Sequence[Rating], subject: Subject) -> pd.DataFrame:
    """The long answers table (``stats.answers_frame``) of a 360's submitted ratings."""
    rows = [
        {
            "respondent": r.rater,
            "round": subject.number,
            "target": subject.code,
            "perspective": "other",
            "rater_group": r.group,
            "answers": r.answers,
        }
        for r in found
    ]
    return stats.answers_frame(rows, q)


def self_frame(q: Questionnaire, answers: dict, number: int) -> pd.DataFrame:
    row = {"respondent": "self", "round": number, "perspective": "self", "answers": answers}
    return stats.answers_frame([row], q)


def _cells(
    frame: pd.DataFrame, key: str, keys: Sequence[str], shown: Sequence[Column], rule: GroupRule
) -> dict[str, dict[str, tuple[float, str]]]:
    """key -> column id -> (mean or NaN, why withheld or ""), from rows of (rater_group,
    ``key``, score); a missing score (a "don't know", too few answers) is no score."""
    given = frame.dropna(subset=["score"])
    partition = [c.id for c in shown if c.id != EVERYONE]
    out: dict[str, dict[str, tuple[float, str]]] = {}
    for value in keys:
        mine = given[given[key] == value]
        figures = {}
        for col in shown:
            scores = mine[mine["rater_group"].isin(col.groups)]["score"]
            figures[col.id] = (len(scores), float(scores.mean()) if len(scores) else np.nan)
        why = {c: SMALL.format(k=rule.k) for c, (n, _m) in figures.items() if 0 < n < rule.k}
        hidden = [c for c in partition if c in why]
        covered = sum(figures[c][0] for c in hidden)
        if hidden and covered < rule.k:
            # "All raters" minus the cells shown would give the hidden cells away: hide
            # the smallest cells beside them until what is hidden covers k raters.
            for c in sorted((c for c in partition if c not in why), key=lambda c: figures[c][0]):
                if figures[c][0]:
                    why[c] = BESIDE
                    covered += figures[c][0]
                if covered >= rule.k:
                    break
            if covered < rule.k and figures.get(EVERYONE, (0, 0))[0]:
                why.setdefault(EVERYONE, BESIDE)
        out[value] = {
            c: (np.nan if c in why else mean, why.get(c, "")) for c, (_n, mean) in figures.items()
        }
    return out


def _note(row: dict[str, tuple[float, str]], shown: Sequence[Column]) -> str:
    """Which cells of a row are withheld and why: the small ones first, then those beside."""
    reasons = list(dict.fromkeys(why for _mean, why in row.values() if why))
    reasons.sort(key=lambda why: why == BESIDE)
    parts = [
        ", ".join(c.label for c in shown if row[c.id][1] == why) + f": {why}" for why in reasons
    ]
    return "; ".join(parts)


def _gap_flag(q: Questionnaire, gap: float) -> str:
    return ", ".join(stats.flags_for(q, np.nan, np.nan, np.nan, np.nan, gap))


@dataclass
class Report:
    """A leader's 360 results: ``columns`` shown, ``dimensions`` and ``statements`` tables
    (means to two decimals, withheld cells empty with a note), ``series`` for the compass
    and ``flagged`` (dimension id, flag) for the prompts."""

    columns: list[Column]
    dimensions: pd.DataFrame
    statements: pd.DataFrame
    series: dict[str, dict[str, float]] = field(default_factory=dict)
    flagged: list[tuple[str, str]] = field(default_factory=list)


def report(
    q: Questionnaire, own: pd.DataFrame, rated: pd.DataFrame, shown: list[Column], rule: GroupRule
) -> Report:
    """A leader's report from their own answers and their raters' (long answers tables)."""
    titles = {d.id: d.title for d in q.dimensions}
    mine = stats.person_scores(own, q).set_index("dimension")["score"]
    scores = stats.person_scores(rated, q)
    dims = _cells(scores, "dimension", [d.id for d in q.dimensions], shown, rule)
    rows, flagged = [], []
    series: dict[str, dict[str, float]] = {"You": {}}
    # One group that is every rater would be drawn twice over: the chart shows it once.
    drawn = [c for c in shown if not (c.id == EVERYONE and len(shown) == 2)]
    for dim in q.dimensions:
        you = float(mine.get(dim.id, np.nan))
        row = {"Dimension": dim.title, "You": stats.rounded(you)}
        if not np.isnan(you):
            series["You"][dim.id] = you
        for col in shown:
            mean = dims[dim.id][col.id][0]
            row[col.label] = stats.rounded(mean)
            if not np.isnan(mean) and col in drawn:
                series.setdefault(col.label, {})[dim.id] = mean
        everyone = dims[dim.id].get(EVERYONE, (np.nan, ""))[0] if shown else np.nan
        gap = you - everyone
        row[GAP] = stats.rounded(gap)
        flag = _gap_flag(q, gap)
        row["Flag"] = flag
        row[NOTE] = _note(dims[dim.id], shown) if shown else ""
        if flag:
            flagged.append((dim.id, flag))
        rows.append(row)
    labels = [c.label for c in shown]
    dimensions = pd.DataFrame(rows, columns=["Dimension", "You", *labels, GAP, "Flag", NOTE])
    own_items = own.set_index("item")["score"]
    items = _cells(rated, "item", [i.id for i in q.items], shown, rule)
    rows = []
    for item in q.items:
        you = float(own_items.get(item.id, np.nan))
        row = {"Dimension": titles[item.dimension], "Statement": item.text}
        row["You"] = stats.rounded(you)
        for col in shown:
            row[col.label] = stats.rounded(items[item.id][col.id][0])
        everyone = items[item.id].get(EVERYONE, (np.nan, ""))[0] if shown else np.nan
        row[GAP] = stats.rounded(you - everyone)
        row[NOTE] = _note(items[item.id], shown) if shown else ""
        rows.append(row)
    statements = pd.DataFrame(rows, columns=["Dimension", "Statement", "You", *labels, GAP, NOTE])
    return Report(shown, dimensions, statements, series, flagged)


def leader_report(q: Questionnaire, responses: Responses, number: int) -> Report:
    """The responding leader's own report for a round (their page only)."""
    subject = own_subject(responses, number)
    found = ratings(q, responses, subject) if subject else []
    shown = columns(q, counts(q, found), responses.rule)
    own = self_frame(q, responses.get("answers", f"r{number}"), number)
    rated = rater_frame(q, found, subject or Subject(number, ""))
    return report(q, own, rated, shown, responses.rule)


def prompts(q: Questionnaire, flagged: list[tuple[str, str]]) -> pd.DataFrame:
    titles = {d.id: d.title for d in q.dimensions}
    rows = [
        {"Dimension": titles[dim], "What it may mean": FLAG_WORDS.get(flag, flag), "Prompt": text}
        for dim, flag in flagged
        for text in q.prompts_for(dim, flag)
    ]
    return pd.DataFrame(rows, columns=["Dimension", "What it may mean", "Prompt"])


# -- the team's anonymous profile (facilitator, exports, placekit.open()) -------------------


def team_profile(q: Questionnaire, responses: Responses, number: int) -> pd.DataFrame:
    """Per dimension, over the leaders who have both their own score and at least k
    raters' (the "All raters" column of their own report): how many leaders, the mean of
    their own scores, the mean of their raters' means, and the gap. Fewer than k leaders:
    withheld. Each leader counts once, so the profile is no one leader's in disguise."""
    rule = responses.rule
    pairs: dict[str, list[tuple[float, float]]] = {d.id: [] for d in q.dimensions}
    for leader, recs in responses.all_members("submission").items():
        if not (recs.get(f"r{number}") or {}).get("submitted_at"):
            continue
        data = responses.get(SUBJECT, f"r{number}", leader)
        if not data.get("code"):
            continue
        subject = Subject(number, data["code"], data.get("closed_at") or "")
        found = ratings(q, responses, subject)
        shown = [c for c in columns(q, counts(q, found), rule) if c.id == EVERYONE]
        if not shown:
            continue
        own = self_frame(q, responses.get("answers", f"r{number}", leader), number)
        mine = stats.person_scores(own, q).set_index("dimension")["score"]
        scores = stats.person_scores(rater_frame(q, found, subject), q)
        cells = _cells(scores, "dimension", list(pairs), shown, rule)
        for dim in pairs:
            you, theirs = float(mine.get(dim, np.nan)), cells[dim][EVERYONE][0]
            if not (np.isnan(you) or np.isnan(theirs)):
                pairs[dim].append((you, theirs))
    rows = []
    for dim in q.dimensions:
        both = pairs[dim.id]
        ok = rule.counts(len(both))
        own_mean = float(np.mean([a for a, _b in both])) if ok else np.nan
        their_mean = float(np.mean([b for _a, b in both])) if ok else np.nan
        gap = own_mean - their_mean
        rows.append(
            {
                "Dimension": dim.title,
                "Leaders": rule.head_count(len(both)),
                "Leaders' own view": stats.rounded(own_mean),
                "Raters' view": stats.rounded(their_mean),
                "Gap (own − raters)": stats.rounded(gap),
                "Flags": _gap_flag(q, gap) if ok else "",
                NOTE: ""
                if ok or not both
                else f"Withheld: fewer than {rule.k} leaders have their own score and at least"
                f" {rule.k} raters' on this dimension",
            }
        )
    table = pd.DataFrame(rows)
    table["Leaders"] = stats.whole_counts(table["Leaders"])
    return table


def taking_part(q: Questionnaire, responses: Responses, number: int) -> pd.DataFrame:
    """How many took part in a round: leaders and raters, never split by leader or group."""
    rule = responses.rule
    leaders = rated = 0
    for leader, recs in responses.all_members("submission").items():
        if not (recs.get(f"r{number}") or {}).get("submitted_at"):
            continue
        leaders += 1
        data = responses.get(SUBJECT, f"r{number}", leader)
        if data.get("code"):
            rated += rule.counts(len(ratings(q, responses, Subject(number, data["code"]))))
    rows = [
        ("Leaders who rated themselves", rule.head_count(leaders)),
        (f"Leaders rated by at least {rule.k} people", rule.head_count(rated)),
        ("Ratings given, all leaders together", given_text(rule, ratings_given(responses, number))),
    ]
    return pd.DataFrame({"": [r[0] for r in rows], "People": [str(r[1]) for r in rows]})


def add_team_profile(
    q: Questionnaire, responses: Responses, summary: Summary, number: int, label: str
) -> None:
    """The facilitator's 360 tables and compass (what ``summarise`` adds for a 360)."""
    rule = responses.rule
    summary.notes.append(
        "This is a 360: each leader sees their own results, their self-view against each"
        " group of their raters, on their own page alone. Here is only the team's anonymous"
        " profile: the leaders' own view and their raters' view, each leader counting once,"
        f" shown where at least {rule.k} leaders have both. “Dimensions” and “Statements”"
        " are the leaders' own self-assessments, together."
    )
    summary.tables[f"Taking part{label}"] = taking_part(q, responses, number)
    table = team_profile(q, responses, number)
    summary.tables[f"Own view and raters' view{label}"] = table
    titles = {d.title: d.id for d in q.dimensions}
    series: dict[str, dict[str, float]] = {"Leaders' own view": {}, "Raters' view": {}}
    for _i, row in table.iterrows():
        for name in series:
            if not pd.isna(row[name]):
                series[name][titles[row["Dimension"]]] = float(row[name])
    if any(series.values()):
        summary.figures["Own view and raters' view"] = Figure(
            partial(compass, q, series),
            "The team's leaders' own view and their raters' view, as a compass of the mean"
            " score on each dimension: points near the centre need the most attention. The"
            f" table “Own view and raters' view{label}” has the same figures.",
            table=f"Own view and raters' view{label}",
        )
