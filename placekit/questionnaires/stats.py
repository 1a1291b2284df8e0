"""Questionnaire statistics, pure: answers in, figures out, small groups withheld.

Everything here works on a long table of answers, one row per respondent, target and item,
with these columns (``answers_frame`` builds it from records):

``respondent`` (opaque; used for counting, never output), ``round``, ``target`` (the rated
organisation, or "" for a plain questionnaire), ``perspective`` ("self", "other" or ""),
``rater_group`` (the respondent's own organisation, or ""), ``item``, ``dimension``,
``value`` (the answer as given; NaN for "don't know") and ``score`` (the value after reverse
scoring, what dimension scores are made of).

Rules (section 0.3 of the exercise notes): "don't know" is excluded from every mean and
counted on its own; SD is the sample SD; ``n`` is the number of people whose answers a
figure uses. What may be shown is ``placekit.data.privacy.GroupRule``'s: about fewer than k
people nothing (with a plain note saying why); from k, head counts and means; spread (SD,
median, lowest, highest, how many gave each answer, "don't know" counts) only from
``rule.spread_min``, since with three people their lowest, median and highest are their
three answers.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
import pandas as pd

from placekit.data.privacy import GroupRule
from placekit.questionnaires.model import DONT_KNOW, Questionnaire

ANSWER_COLUMNS = [
    "respondent", "round", "target", "perspective", "rater_group", "item", "dimension",
    "value", "score",
]  # fmt: skip
NOTE = "Note"


def withheld_note(min_group: int) -> str:
    return f"Withheld: fewer than {min_group} people answered"


def spread_note(spread_min: int) -> str:
    return f"Spread withheld: fewer than {spread_min} people answered"


def rounded(value: Any) -> Any:
    """Two decimals for display; withheld (None/NaN) becomes NaN, shown as "—" and exported
    as an empty cell."""
    if value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value)):
        return np.nan
    return round(float(value), 2) if isinstance(value, int | float) else value


def whole_counts(values: pd.Series) -> pd.Series:
    """Head counts as whole numbers; withheld ones missing (shown "—", exported empty)."""
    return pd.to_numeric(values, errors="coerce").astype("Int64")


def answers_frame(rows: Iterable[dict[str, Any]], q: Questionnaire) -> pd.DataFrame:
    """The long answers table from rows of (respondent, round, target, perspective,
    rater_group, answers: item id -> stored value). Unanswered items are left out; a stored
    value that is not on the scale (an edited file) counts as unanswered."""
    items = {i.id: i for i in q.items}
    out = []
    for row in rows:
        for item_id, raw in (row.get("answers") or {}).items():
            item = items.get(item_id)
            if item is None:
                continue
            if raw == DONT_KNOW:
                value = np.nan
            elif isinstance(raw, int) and not isinstance(raw, bool) and raw in q.scale.points:
                value = float(raw)
            else:
                continue
            score = q.scale.reverse(value) if item.reverse else value
            out.append(
                {
                    "respondent": row["respondent"],
                    "round": int(row.get("round", 1)),
                    "target": row.get("target", ""),
                    "perspective": row.get("perspective", ""),
                    "rater_group": row.get("rater_group", ""),
                    "item": item_id,
                    "dimension": item.dimension,
                    "value": value,
                    "score": score,
                }
            )
    frame = pd.DataFrame(out, columns=ANSWER_COLUMNS)
    return frame.astype({"value": float, "score": float})


def describe(values: Sequence[float] | pd.Series, points: Iterable[int]) -> dict[str, Any]:
    """n, mean, SD (sample), median, min, max and the count at each scale point.

    Values between points (a person's dimension score of 4.5) are counted at the nearest
    point, halves rounding up, so the distribution of scores stays on the scale.
    """
    series = pd.Series(values, dtype=float).dropna()
    n = int(series.size)
    found: dict[str, Any] = {
        "n": n,
        "mean": float(series.mean()) if n else np.nan,
        "sd": float(series.std(ddof=1)) if n >= 2 else np.nan,
        "median": float(series.median()) if n else np.nan,
        "min": float(series.min()) if n else np.nan,
        "max": float(series.max()) if n else np.nan,
    }
    nearest = np.floor(series + 0.5)
    for point in points:
        found[str(point)] = int((nearest == point).sum())
    return found


def person_scores(answers: pd.DataFrame, q: Questionnaire) -> pd.DataFrame:
    """One row per respondent, round, target and dimension: the mean of the person's
    answered items (after reverse scoring), or NaN when they answered fewer than the
    questionnaire's ``min_answered`` share (C.5: at least 2 of 3)."""
    keys = ["respondent", "round", "target", "perspective", "rater_group"]
    columns = [*keys, "dimension", "score", "answered"]
    if answers.empty:
        return pd.DataFrame(columns=columns)
    needed = {d.id: q.needed(d) for d in q.dimensions}
    grouped = answers.groupby([*keys, "dimension"], sort=False)["score"]
    frame = grouped.agg(score="mean", answered="count").reset_index()
    short = frame["answered"] < frame["dimension"].map(needed)
    frame.loc[short, "score"] = np.nan
    return frame[columns]


def _groups(frame: pd.DataFrame, by: Sequence[str]) -> Iterable[tuple[tuple[Any, ...], Any]]:
    if not by:
        yield (), frame
        return
    for key, part in frame.groupby(list(by), sort=False):
        yield (key if isinstance(key, tuple) else (key,)), part


def item_stats(answers: pd.DataFrame, q: Questionnaire, by: Sequence[str] = ()) -> pd.DataFrame:
    """Per group and item: people answering, "don't know" count, mean answer as given,
    mean score after reverse scoring, SD, median, min, max and the distribution."""
    points = list(q.scale.points)
    rows = []
    for key, part in _groups(answers, by):
        for item in q.items:
            mine = part[part["item"] == item.id]
            if mine.empty:
                continue
            figures = describe(mine["value"], points)
            rows.append(
                dict(zip(by, key, strict=True))
                | {
                    "dimension": item.dimension,
                    "item": item.id,
                    "text": item.text,
                    "reverse": item.reverse,
                    "dont_know": int(mine["value"].isna().sum()),
                }
                | figures
                | {"score_mean": float(mine["score"].mean()) if figures["n"] else np.nan}
            )
    base = [*by, "dimension", "item", "text", "reverse", "dont_know"]
    stats = ["n", "mean", "score_mean", "sd", "median", "min", "max"]
    return pd.DataFrame(rows, columns=[*base, *stats, *map(str, points)])


def dimension_stats(scores: pd.DataFrame, q: Questionnaire, by: Sequence[str] = ()) -> pd.DataFrame:
    """Per group and dimension: figures over the people who have a dimension score."""
    points = list(q.scale.points)
    rows = []
    for key, part in _groups(scores, by):
        for dim in q.dimensions:
            mine = part[part["dimension"] == dim.id]
            if mine.empty:
                continue
            rows.append(
                dict(zip(by, key, strict=True))
                | {"dimension": dim.id}
                | describe(mine["score"], points)
            )
    stats = ["n", "mean", "sd", "median", "min", "max"]
    return pd.DataFrame(rows, columns=[*by, "dimension", *stats, *map(str, points)])


def withhold(
    frame: pd.DataFrame,
    rule: GroupRule,
    n_column: str = "n",
    figures: Sequence[str] = (),
    spread: Sequence[str] = (),
) -> pd.DataFrame:
    """A copy with what ``rule`` does not allow blanked, and a note saying why: for groups
    of 1 to k − 1 people, ``n`` and every column in ``figures`` and ``spread``; for groups
    of k up to ``rule.spread_min`` − 1, the ``spread`` columns."""
    out = frame.copy()
    if NOTE not in out.columns:
        out[NOTE] = ""
    if out.empty:
        return out
    n = pd.to_numeric(out[n_column], errors="coerce").fillna(0)
    small = (n > 0) & (n < rule.k)
    thin = (n >= rule.k) & (n < rule.spread_min)
    for column in [n_column, *figures, *spread]:
        out[column] = out[column].astype(object).where(~small, None)
    for column in spread:
        out[column] = out[column].astype(object).where(~thin, None)
    out.loc[small, NOTE] = withheld_note(rule.k)
    if len(spread):
        out.loc[thin, NOTE] = spread_note(rule.spread_min)
    return out


def flags_for(
    q: Questionnaire, mean: float, sd: float, low: float, high: float, gap: float = np.nan
) -> list[str]:
    """The flags (C.5) a shown figure earns; NaN figures earn none."""
    f = q.flags
    span = q.scale.high - q.scale.low
    found = []
    if not np.isnan(gap):
        if gap >= f.gap:
            found.append("blind spot")
        elif gap <= -f.gap:
            found.append("hidden strength")
    if not np.isnan(sd) and (sd >= f.contested_sd or (high - low) >= 0.6 * span):
        found.append("contested")
    if not np.isnan(mean):
        if mean < f.low:
            found.append("low")
        elif mean >= f.strength:
            found.append("strength")
    return found


def gap_table(scores: pd.DataFrame, q: Questionnaire, rule: GroupRule) -> pd.DataFrame:
    """Per rated organisation and dimension: how it rates itself, how partners rate it, the
    gap (self − partners), partners' spread and the flags. Small groups are withheld, and
    partners' spread below ``rule.spread_min``; a gap is shown only when both sides are."""
    rows = []
    m = rule.k
    for (round_, target), part in scores.groupby(["round", "target"], sort=False):
        for dim in q.dimensions:
            mine = part[part["dimension"] == dim.id]
            own = describe(mine[mine["perspective"] == "self"]["score"], [])
            theirs = describe(mine[mine["perspective"] == "other"]["score"], [])
            own_ok, theirs_ok = own["n"] >= m, theirs["n"] >= m
            gap = own["mean"] - theirs["mean"] if own_ok and theirs_ok else np.nan
            shown = theirs if theirs_ok else dict.fromkeys(theirs, np.nan)
            if not rule.spread(theirs["n"]):  # a flag from a hidden spread would show it
                shown = shown | {"sd": np.nan, "min": np.nan, "max": np.nan}
            notes = []
            if 0 < own["n"] < m:
                notes.append(f"self-view from fewer than {m} people withheld")
            if 0 < theirs["n"] < m:
                notes.append(f"partners' view from fewer than {m} people withheld")
            elif theirs_ok and not rule.spread(theirs["n"]):
                notes.append(f"partners' spread from fewer than {rule.spread_min} people withheld")
            rows.append(
                {
                    "round": round_,
                    "target": target,
                    "dimension": dim.id,
                    "self_n": own["n"] if own_ok or not own["n"] else None,
                    "self_mean": own["mean"] if own_ok else np.nan,
                    "partner_n": theirs["n"] if theirs_ok or not theirs["n"] else None,
                    "partner_mean": shown["mean"],
                    "partner_sd": shown["sd"],
                    "partner_min": shown["min"],
                    "partner_max": shown["max"],
                    "gap": gap,
                    "flags": ", ".join(
                        flags_for(q, shown["mean"], shown["sd"], shown["min"], shown["max"], gap)
                    ),
                    NOTE: "; ".join(notes).capitalize(),
                }
            )
    columns = [
        "round", "target", "dimension", "self_n", "self_mean", "partner_n", "partner_mean",
        "partner_sd", "partner_min", "partner_max", "gap", "flags", NOTE,
    ]  # fmt: skip
    frame = pd.DataFrame(rows, columns=columns)
    if frame.empty:
        return frame
    # Largest gaps first (C.5), ties broken by the larger partner group, then the rest.
    frame["_abs"] = frame["gap"].abs()
    frame["_n"] = pd.to_numeric(frame["partner_n"], errors="coerce")
    frame = frame.sort_values(["_abs", "_n"], ascending=[False, False], na_position="last")
    return frame.drop(columns=["_abs", "_n"]).reset_index(drop=True)


def rater_matrix(scores: pd.DataFrame, q: Questionnaire, rule: GroupRule) -> pd.DataFrame:
    """Mean score per rater organisation, rated organisation and dimension (the heat map).

    Cells from fewer than k people are withheld. Because the partners' mean of an
    organisation is shown elsewhere, a lone withheld cell could be worked out from it and
    the cells beside it; so cells are withheld in addition (smallest first) until the
    withheld cells of a column cover at least k people between them.
    """
    m = rule.k
    rows = []
    grouped = scores.dropna(subset=["score"]).groupby(
        ["round", "target", "dimension", "rater_group", "perspective"], sort=False
    )
    for (round_, target, dim, rater, perspective), part in grouped:
        rows.append(
            {
                "round": round_,
                "rater_group": rater,
                "target": target,
                "perspective": perspective,
                "dimension": dim,
                "n": int(part["respondent"].nunique()),
                "mean": float(part["score"].mean()),
            }
        )
    frame = pd.DataFrame(
        rows, columns=["round", "rater_group", "target", "perspective", "dimension", "n", "mean"]
    )
    frame["withheld"] = frame["n"] < m
    for _key, column in frame[frame["perspective"] == "other"].groupby(
        ["round", "target", "dimension"]
    ):
        hidden = column[column["withheld"]]
        covered = int(hidden["n"].sum())
        if hidden.empty or covered >= m:
            continue
        for index in column[~column["withheld"]].sort_values("n").index:
            frame.loc[index, "withheld"] = True
            covered += int(frame.loc[index, "n"])
            if covered >= m:
                break
    frame[NOTE] = np.where(
        frame["withheld"],
        np.where(
            frame["n"] < m,
            withheld_note(m),
            "Withheld so that a smaller group beside it cannot be worked out",
        ),
        "",
    )
    frame["mean"] = frame["mean"].astype(object).where(~frame["withheld"], None)
    frame["n"] = frame["n"].astype(object).where(frame["n"] >= m, None)
    return frame.drop(columns=["withheld"])


def compare_rounds(
    stats_by_round: pd.DataFrame, keys: Sequence[str], first: int, second: int
) -> pd.DataFrame:
    """Change in mean between two rounds per key, from already-withheld figures: a change
    is shown only where both rounds' means are."""
    a = stats_by_round[stats_by_round["round"] == first].set_index(list(keys))
    b = stats_by_round[stats_by_round["round"] == second].set_index(list(keys))
    joined = a[["n", "mean"]].merge(
        b[["n", "mean"]], how="outer", left_index=True, right_index=True, suffixes=("_a", "_b")
    )
    mean_a = pd.to_numeric(joined["mean_a"], errors="coerce")
    mean_b = pd.to_numeric(joined["mean_b"], errors="coerce")
    joined["change"] = mean_b - mean_a
    return joined.reset_index()
