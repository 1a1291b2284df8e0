"""A questionnaire's results: from submitted records to the tables and charts people see.

Only submitted answers count, each respondent once per round. No table carries a
respondent's key or name, and every figure follows the workbook's group rule
(``responses.rule``: nothing below k people, counts and means from k, spread and
per-answer counts from 5 or k, comments from 5 or k), so the same tables are safe on the
facilitator's page, in the CSV and Excel downloads, in ``placekit export`` and in
``Workbook.summary``.
"""

from __future__ import annotations

from functools import partial
from typing import Any

import numpy as np
import pandas as pd

from placekit.data.privacy import GroupRule
from placekit.data.responses import Responses
from placekit.exercise import Figure, Summary
from placekit.questionnaires import rater_results, stats
from placekit.questionnaires.answers import answers_record, profile, targets
from placekit.questionnaires.charts import compass, heat_map
from placekit.questionnaires.model import Questionnaire
from placekit.questionnaires.rounds import Round, rounds, shown_rounds

NOTE = stats.NOTE


def collect(q: Questionnaire, responses: Responses, number: int) -> pd.DataFrame:
    """The long answers table of everyone who submitted round ``number``."""
    record = f"r{number}"
    rows = []
    for member, recs in responses.all_members("submission").items():
        if not (recs.get(record) or {}).get("submitted_at"):
            continue
        org = profile(responses, number, member).get("org", "")
        for target in targets(q, responses, number, member):
            rows.append(
                {
                    "respondent": member,
                    "round": number,
                    "target": target.name,
                    "perspective": target.perspective,
                    "rater_group": org if q.rate_each else "",
                    "answers": responses.get("answers", answers_record(number, target), member),
                }
            )
    return stats.answers_frame(rows, q)


_r = stats.rounded
_count = stats.whole_counts


def _titles(q: Questionnaire) -> dict[str, str]:
    return {d.id: d.title for d in q.dimensions}


def dimension_table(
    q: Questionnaire, scores: pd.DataFrame, rule: GroupRule, by: list[str] | None = None
) -> Any:
    table = stats.dimension_stats(scores, q, by or [])
    points = [str(p) for p in q.scale.points]
    flags = []
    for _i, r in table.iterrows():
        # A flag read from a withheld spread ("contested") would give the spread away.
        shown = rule.spread(r["n"])
        spread = (r["sd"], r["min"], r["max"]) if shown else (np.nan, np.nan, np.nan)
        flags.append(
            ", ".join(stats.flags_for(q, r["mean"], *spread)) if rule.counts(r["n"]) else ""
        )
    table["flags"] = flags
    spread = ["sd", "median", "min", "max", *points]
    return stats.withhold(table, rule, figures=["mean", "flags"], spread=spread)


def _show_dimensions(q: Questionnaire, table: pd.DataFrame) -> pd.DataFrame:
    points = [str(p) for p in q.scale.points]
    out = pd.DataFrame(
        {
            "Dimension": table["dimension"].map(_titles(q)),
            "People": _count(table["n"]),
            "Mean": table["mean"].map(_r),
            "SD": table["sd"].map(_r),
            "Median": table["median"].map(_r),
            "Lowest": table["min"].map(_r),
            "Highest": table["max"].map(_r),
        }
    )
    for p in points:
        out[f"Scored {p}"] = _count(table[p])
    out["Flags"] = table["flags"].fillna("")
    out[NOTE] = table[NOTE]
    return out


def item_table(
    q: Questionnaire, answers: pd.DataFrame, rule: GroupRule, by: list[str] | None = None
) -> Any:
    by = by or []
    table = stats.item_stats(answers, q, by)
    points = [str(p) for p in q.scale.points]
    spread = ["dont_know", "sd", "median", "min", "max", *points]
    # "Don't know" is a count per answer too, over everyone who answered the statement: an
    # item nobody rated (n = 0) would otherwise show that all of a few people said it.
    unsure = table["n"] + table["dont_know"] < rule.spread_min
    table = stats.withhold(table, rule, figures=["mean", "score_mean"], spread=spread)
    table["dont_know"] = table["dont_know"].where(~unsure, None)
    out = pd.DataFrame({f"{_heading(q)} rated": table[by[0]]}) if by else pd.DataFrame()
    out["Dimension"] = table["dimension"].map(_titles(q))
    out["Statement"] = table["text"]
    out["Reverse-scored"] = table["reverse"].map({True: "yes", False: ""})
    out["People"] = _count(table["n"])
    out["Don't know"] = _count(table["dont_know"])
    out["Mean answer"] = table["mean"].map(_r)
    out["Mean score"] = table["score_mean"].map(_r)
    out["SD"] = table["sd"].map(_r)
    for p in points:
        out[f"Answered {p}"] = _count(table[p])
    out[NOTE] = table[NOTE]
    return out


def own_scores(q: Questionnaire, responses: Responses, number: int) -> pd.DataFrame:
    """The respondent's own dimension scores (their page only; never aggregated here)."""
    rows = []
    for target in targets(q, responses, number):
        answers = stats.answers_frame(
            [
                {
                    "respondent": "me",
                    "round": number,
                    "target": target.name,
                    "perspective": target.perspective,
                    "answers": responses.get("answers", answers_record(number, target)),
                }
            ],
            q,
        )
        scores = stats.person_scores(answers, q).set_index("dimension")["score"]
        for dim in q.dimensions:
            row = {"About": target.name} if target.name else {}
            value = scores.get(dim.id, np.nan)
            rows.append(
                row
                | {
                    "Dimension": dim.title,
                    "Your score": _r(value) if not pd.isna(value) else "not enough answers",
                }
            )
    return pd.DataFrame(rows)


def team_table(q: Questionnaire, responses: Responses, number: int) -> pd.DataFrame:
    """Group figures per dimension for one round (what a respondent may see, once shown)."""
    scores = stats.person_scores(collect(q, responses, number), q)
    if q.rate_each:
        scores = scores[scores["perspective"] == "other"]
        table = dimension_table(q, scores, responses.rule, ["target"])
        shown = _show_dimensions(q, table)
        shown.insert(0, _heading(q), table["target"])
        return shown.drop(columns=[c for c in shown.columns if c.startswith("Scored ")])
    return _show_dimensions(q, dimension_table(q, scores, responses.rule))


def _comments(q: Questionnaire, responses: Responses, number: int) -> Any:
    """Free-text reflections, without names, in alphabetical order so their order says
    nothing about who wrote when. A question's comments are shown only once enough people
    wrote one: the rule's ``text_min`` for an anonymous questionnaire (wording can give a
    writer away, so it needs a larger crowd than a mean), else k."""
    texts = [r for r in q.reflections if r.type == "text"]
    if not texts:
        return None
    rule = responses.rule
    anonymous = q.anonymity == "anonymous"
    least = rule.text_min if anonymous else rule.k
    submitted = [
        m for m, recs in responses.all_members("submission").items() if f"r{number}" in recs
    ]
    rows = []
    for r in texts:
        given = [str(profile(responses, number, m).get(r.id) or "").strip() for m in submitted]
        found = sorted(text for text in given if text)
        # Counted over those who wrote one: five answers with two comments is two writers.
        if not found:
            continue
        if rule.text(len(found)) if anonymous else rule.counts(len(found)):
            rows += [{"Question": r.label, "Comment": text, NOTE: ""} for text in found]
        else:
            note = f"Withheld: comments are shown once at least {least} people have written one"
            rows.append({"Question": r.label, "Comment": np.nan, NOTE: note})
    return pd.DataFrame(rows, columns=["Question", "Comment", NOTE])


def _chosen(q: Questionnaire, responses: Responses, number: int) -> Any:
    """How many people chose each dimension to work on: a count per answer, so shown only
    from the rule's ``spread_min`` people."""
    picks = [r for r in q.reflections if r.type == "dimension"]
    if not picks:
        return None
    submitted = [
        m for m, recs in responses.all_members("submission").items() if f"r{number}" in recs
    ]
    rule = responses.rule
    rows = []
    for r in picks:
        chosen = [profile(responses, number, m).get(r.id) for m in submitted]
        for dim in q.dimensions:
            rows.append({"Question": r.label, "Dimension": dim.title, "n": chosen.count(dim.id)})
    if not rule.spread(len(submitted)):
        frame = pd.DataFrame(rows).assign(n=None)
        frame[NOTE] = stats.spread_note(rule.spread_min)
        return frame.rename(columns={"n": "People"})
    table = stats.withhold(pd.DataFrame(rows), rule)
    table["n"] = _count(table["n"])
    return table.rename(columns={"n": "People"})


def _prompts(q: Questionnaire, flagged: list[tuple[str, str, str]]) -> pd.DataFrame:
    rows = []
    for about, dim_id, flag in flagged:
        for text in q.prompts_for(dim_id, flag):
            rows.append(
                {"About": about, "Dimension": _titles(q)[dim_id], "Flag": flag, "Prompt": text}
            )
    return pd.DataFrame(rows, columns=["About", "Dimension", "Flag", "Prompt"])


def _comparison(
    q: Questionnaire, per_round: pd.DataFrame, keys: list[str], a: Round, b: Round
) -> pd.DataFrame:
    joined = stats.compare_rounds(per_round, keys, a.number, b.number)
    out = pd.DataFrame()
    if "target" in keys:
        out[_heading(q)] = joined["target"]
    out["Dimension"] = joined["dimension"].map(_titles(q))
    out[f"Round {a.number} people"] = _count(joined["n_a"])
    out[f"Round {a.number} mean"] = joined["mean_a"].map(_r)
    out[f"Round {b.number} people"] = _count(joined["n_b"])
    out[f"Round {b.number} mean"] = joined["mean_b"].map(_r)
    out["Change"] = joined["change"].map(_r)
    return out


def summarise(q: Questionnaire, responses: Responses) -> Summary:
    shown = shown_rounds(responses)
    summary = Summary()
    everyone = rounds(responses)
    if everyone and not everyone[-1].closed and q.anonymity == "anonymous":
        summary.notes.append(
            f"Round {everyone[-1].number} is collecting answers. Its results are shown when"
            " you close it: an anonymous questionnaire's figures never change while people"
            " are still answering, so no one's answers can be worked out from a change."
        )
    if not shown:
        return summary
    rule = responses.rule
    comments = (
        f" Comments are shown once at least {rule.text_min} people have written one."
        if q.anonymity == "anonymous" and any(r.type == "text" for r in q.reflections)
        else ""
    )
    summary.notes.append(
        f"Figures about fewer than {rule.k} people are withheld (shown as —) to keep answers"
        " anonymous, and so is spread (SD, median, lowest, highest, how many gave each"
        f" answer) about fewer than {rule.spread_min}.{comments} “Don't know” answers are"
        " counted but left out of every average."
    )
    latest = shown[-1]
    answers = collect(q, responses, latest.number)
    scores = stats.person_scores(answers, q)
    label = f" (round {latest.number})" if len(everyone) > 1 else ""
    if q.rate_each:
        _rated_each(q, responses, summary, answers, scores, shown, label)
    else:
        dims = dimension_table(q, scores, rule)
        summary.tables[f"Dimensions{label}"] = _show_dimensions(q, dims)
        summary.tables[f"Statements{label}"] = item_table(q, answers, rule)
        flagged = [
            ("The group", r["dimension"], f)
            for _i, r in dims.iterrows()
            for f in str(r["flags"] or "").split(", ")
            if f
        ]
        if q.prompts:
            summary.tables["Conversation prompts"] = _prompts(q, flagged)
        if len(shown) >= 2:
            a, b = shown[-2], shown[-1]
            both = pd.concat(
                [
                    dimension_table(
                        q, stats.person_scores(collect(q, responses, r.number), q), rule
                    ).assign(round=r.number)
                    for r in (a, b)
                ]
            )
            summary.tables["Change between rounds"] = _comparison(q, both, ["dimension"], a, b)
        means = {f"Round {r.number}": _means(q, responses, r, None) for r in shown[-2:]}
        summary.figures["Compass"] = Figure(
            partial(compass, q, means),
            f"The group's mean score on each dimension in {' and '.join(means).lower()},"
            " as a compass: points near the centre need the most attention. The table"
            f" “Dimensions{label}” has the same figures.",
            table=f"Dimensions{label}",
        )
        if q.raters:
            rater_results.add_team_profile(q, responses, summary, latest.number, label)
    chosen = _chosen(q, responses, latest.number)
    if chosen is not None:
        summary.tables["Chosen to work on"] = chosen
    comments = _comments(q, responses, latest.number)
    if comments is not None:
        summary.tables["Comments"] = comments
    return summary


def _means(
    q: Questionnaire, responses: Responses, rnd: Round, target: str | None, side: str = ""
) -> dict[str, float]:
    scores = stats.person_scores(collect(q, responses, rnd.number), q)
    if target is not None:
        scores = scores[(scores["target"] == target) & (scores["perspective"] == side)]
    table = dimension_table(q, scores, responses.rule)
    return {
        r["dimension"]: float(r["mean"])
        for _i, r in table.iterrows()
        if r["mean"] is not None and not pd.isna(r["mean"])
    }


def _heading(q: Questionnaire) -> str:
    """The column naming whom an answer is about: the questionnaire's own word for them."""
    return (q.rate_each.label if q.rate_each else "group").capitalize()


def _article(word: str) -> str:
    return "an" if word[:1].lower() in "aeiou" else "a"


def _rated_each(
    q: Questionnaire,
    responses: Responses,
    summary: Summary,
    answers: pd.DataFrame,
    scores: pd.DataFrame,
    shown: list[Round],
    label: str,
) -> None:
    titles = _titles(q)
    rule = responses.rule
    each = q.rate_each
    assert each is not None  # only called for a questionnaire rated for each of a list
    gaps = stats.gap_table(scores, q, rule)
    table = pd.DataFrame(
        {
            _heading(q): gaps["target"],
            "Dimension": gaps["dimension"].map(titles),
            "Self-view people": _count(gaps["self_n"]),
            "Self-view mean": gaps["self_mean"].map(_r),
            "Partners' people": _count(gaps["partner_n"]),
            "Partners' mean": gaps["partner_mean"].map(_r),
            "Gap (self − partners)": gaps["gap"].map(_r),
            "Partners' SD": gaps["partner_sd"].map(_r),
            "Partners' lowest": gaps["partner_min"].map(_r),
            "Partners' highest": gaps["partner_max"].map(_r),
            "Flags": gaps["flags"],
            NOTE: gaps[NOTE],
        }
    )
    summary.tables[f"Self-view and partners' view{label}"] = table
    with_gap = gaps.dropna(subset=["gap"]).head(5)
    flagged = [
        (r["target"], r["dimension"], f)
        for _i, r in with_gap.iterrows()
        for f in r["flags"].split(", ")
        if f in ("blind spot", "hidden strength")
    ]
    largest = pd.DataFrame(
        {
            _heading(q): with_gap["target"],
            "Dimension": with_gap["dimension"].map(titles),
            "Gap (self − partners)": with_gap["gap"].map(_r),
            "Partners' people": _count(with_gap["partner_n"]),
            "Flags": with_gap["flags"],
        }
    )
    if len(largest):
        summary.tables["Largest gaps"] = largest
    else:
        summary.notes.append(
            f"No gap between {_article(each.label)} {each.label}'s self-view and its partners'"
            " view can be shown"
            f" yet: both need answers from at least {rule.k} people."
        )
    spread = gaps.dropna(subset=["partner_sd"]).sort_values("partner_sd", ascending=False)
    spread = spread.head(5)
    summary.tables["Where partners disagree most"] = pd.DataFrame(
        {
            _heading(q): spread["target"],
            "Dimension": spread["dimension"].map(titles),
            "Partners' SD": spread["partner_sd"].map(_r),
            "Partners' lowest": spread["partner_min"].map(_r),
            "Partners' highest": spread["partner_max"].map(_r),
            "Partners' people": _count(spread["partner_n"]),
        }
    )
    other_flags = [
        (r["target"], r["dimension"], f)
        for _i, r in gaps.iterrows()
        for f in str(r["flags"] or "").split(", ")
        if f in ("contested", "low")
    ]
    summary.tables["Conversation prompts"] = _prompts(q, flagged + other_flags[:5])
    matrix = stats.rater_matrix(scores, q, rule)
    summary.tables[f"Ratings by rater {each.label}"] = pd.DataFrame(
        {
            "Rated by people from": matrix["rater_group"],
            f"{_heading(q)} rated": matrix["target"],
            "Dimension": matrix["dimension"].map(titles),
            "People": _count(matrix["n"]),
            "Mean": matrix["mean"].map(_r),
            NOTE: matrix[NOTE],
        }
    )
    partners = answers[answers["perspective"] == "other"]
    summary.tables["Statements (partners' view)"] = item_table(q, partners, rule, ["target"])
    if len(shown) >= 2:
        a, b = shown[-2], shown[-1]
        per_round = []
        for rnd in (a, b):
            theirs = stats.person_scores(collect(q, responses, rnd.number), q)
            theirs = theirs[theirs["perspective"] == "other"]
            per_round.append(dimension_table(q, theirs, rule, ["target"]).assign(round=rnd.number))
        summary.tables["Change in partners' view"] = _comparison(
            q, pd.concat(per_round), ["target", "dimension"], a, b
        )
    latest = shown[-1]
    rnd_targets = [t for t in latest.targets if t in set(gaps["target"])]
    for target in rnd_targets:
        series = {
            "Self-view": _means(q, responses, latest, target, "self"),
            "Partners' view": _means(q, responses, latest, target, "other"),
        }
        if any(series.values()):
            summary.figures[f"{target}: self-view and partners' view"] = Figure(
                partial(compass, q, series),
                f"{target}'s view of itself and its partners' view, as a compass of the mean"
                " score on each dimension: points near the centre need the most attention."
                f" The table “Self-view and partners' view{label}” has the same figures.",
                table=f"Self-view and partners' view{label}",
            )
    if len(matrix):
        summary.figures[f"Ratings by rater {each.label}"] = Figure(
            partial(heat_map, q, matrix),
            f"The mean score people from each {each.label} gave each {each.label} they"
            " rated, one panel per dimension; withheld cells are grey. The table"
            f" “Ratings by rater {each.label}” has the same figures.",
            table=f"Ratings by rater {each.label}",
        )
