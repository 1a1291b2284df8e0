"""Scoring and disagreement statistics for the triage exercise (EXERCISES.md, B.5 and B.6).

Pure Python and pandas, no widgets, so it can be tested on its own and reused by exports.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import pandas as pd

from .items import CRITICAL_ITEMS, ITEM_IDS, MODE_FOR_TYPE, MODES, TYPES, WICKED_ITEMS

# --- B.5 thresholds: starting values, to be calibrated against facilitator judgement ---------
CRITICAL_C1 = 2  # harm must be clearly happening/imminent ...
CRITICAL_MIN_SCORE = 5  # ... and the whole gate near its maximum of 6
WICKED_MIN_INDEX = 0.60
MIXED_MIN_INDEX = 0.35

# --- B.6 flag thresholds ---------------------------------------------------------------------
AGREEMENT_FLAG_BELOW = 0.6  # agreement ratio < this
SPREAD_FLAG_RANGE = 0.40  # wicked_index range >= this
MISMATCH_FLAG_SHARE = 0.5  # gut-call / computed-type mismatch share >= this
BIAS_FLAG = 0.25  # framing bias >= this
DISPUTED_ITEM_COUNT = 2

ANSWER_VALUES = (0, 1, 2)
_MAX_WICKED_SUM = 2 * len(WICKED_ITEMS)  # 18
_COLLABORATION_ITEMS = ("W2", "W5", "W6", "W8")  # x-axis of the Grint chart
_UNCERTAINTY_ITEMS = ("W1", "W3", "W4", "W7", "W9")  # y-axis of the Grint chart
# Differences of floats (range, bias) can land one ulp under a threshold they equal exactly.
_EPS = 1e-9

SUMMARY_COLUMNS = (
    "n",
    *TYPES,
    *(f"gut_{t}" for t in TYPES),
    "modal_type",
    "agreement_ratio",
    "agreement_flag",
    "index_sd",
    "index_range",
    "spread_flag",
    "mismatch_share",
    "mismatch_flag",
    "disputed_items",
    "flagged",
)
BIAS_COLUMNS = ("preferred_mode", "members", "mean_bias", "flagged_members")

# Spellings other parts of the kit may store for the same type / mode.
_TYPE_ALIASES = {
    "wicked_with_tame_components": "mixed",
    "wicked with tame components": "mixed",
    "wicked-with-tame-components": "mixed",
}
_MODE_ALIASES = {"manage": "management", "lead": "leadership"}


@dataclass(frozen=True)
class Score:
    """One member's reading of one issue (B.5)."""

    critical_score: int  # C1 + C2 + C3, 0..6
    wicked_index: float  # (W1 + ... + W9) / 18, 0..1
    collaboration: float  # mean(W2, W5, W6, W8) / 2, 0..1
    uncertainty: float  # mean(W1, W3, W4, W7, W9) / 2, 0..1
    type: str  # one of TYPES


def _answer(answers: Mapping[str, Any], item: str) -> int:
    if item not in answers:
        raise ValueError(f"item {item} is missing: every item C1-C3 and W1-W9 needs an answer")
    value = answers[item]
    # bool is an int subclass and NA/NaN/strings must not slip through as answers.
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or value not in ANSWER_VALUES:
        raise ValueError(f"item {item} must be answered 0, 1 or 2, got {value!r}")
    return int(value)


def classify(c1: int, critical_score: int, wicked_index: float) -> str:
    """Apply the B.5 decision rule to already-computed figures; returns one of TYPES.

    Separate from score() because W-sums are integers, so score() can never produce an index
    of exactly 0.60 or 0.35; this lets the boundaries themselves be tested.
    """
    if c1 == CRITICAL_C1 and critical_score >= CRITICAL_MIN_SCORE:
        return "critical"  # the crisis gate overrides the tame/wicked scale
    if wicked_index >= WICKED_MIN_INDEX:
        return "wicked"
    if wicked_index >= MIXED_MIN_INDEX:
        return "mixed"
    return "tame"


def score(answers: Mapping[str, int]) -> Score:
    """Score one member's answers to C1-C3 and W1-W9 (B.5). Raises ValueError on a bad item."""
    a = {item: _answer(answers, item) for item in ITEM_IDS}
    critical_score = sum(a[i] for i in CRITICAL_ITEMS)
    wicked_index = sum(a[i] for i in WICKED_ITEMS) / _MAX_WICKED_SUM
    collaboration = sum(a[i] for i in _COLLABORATION_ITEMS) / len(_COLLABORATION_ITEMS) / 2
    uncertainty = sum(a[i] for i in _UNCERTAINTY_ITEMS) / len(_UNCERTAINTY_ITEMS) / 2
    return Score(
        critical_score=critical_score,
        wicked_index=wicked_index,
        collaboration=collaboration,
        uncertainty=uncertainty,
        type=classify(a["C1"], critical_score, wicked_index),
    )


def uncertainty_at(index: float, collaboration: float) -> float:
    """The uncertainty at which a point on the Grint chart with this collaboration has this
    wicked index, unclipped. The chart's axes split the nine W items 4 / 5, so
    index = (4 collaboration + 5 uncertainty) / 9: each threshold of B.5 is a straight line
    across the chart, and the zones between them are diagonal bands."""
    n_x, n_y = len(_COLLABORATION_ITEMS), len(_UNCERTAINTY_ITEMS)
    return ((n_x + n_y) * index - n_x * collaboration) / n_y


def _require(df: pd.DataFrame, columns: Sequence[str], what: str) -> None:
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise ValueError(f"{what}: missing column(s) {', '.join(missing)}")


def scored(classifications: pd.DataFrame) -> pd.DataFrame:
    """Return a copy of the classifications with the B.5 figures and computed_type added.

    Expects issue_id, member_id, gut_call and C1..C3, W1..W9; revised_call and any other
    columns pass through untouched (the computed type comes from the answers alone).
    """
    out = classifications.copy()
    if out.empty:
        # Keep a stable shape so downstream code can rely on the columns being there.
        for col in ("issue_id", "member_id", "gut_call", *ITEM_IDS):
            if col not in out.columns:
                out[col] = pd.Series(dtype=object)
        out["critical_score"] = pd.Series(dtype="int64")
        for col in ("wicked_index", "collaboration", "uncertainty"):
            out[col] = pd.Series(dtype="float64")
        out["computed_type"] = pd.Series(dtype=str)
        return out

    _require(out, ("issue_id", "member_id", *ITEM_IDS), "scored()")
    dupes = out.duplicated(["issue_id", "member_id"])
    if dupes.any():
        first = out.loc[dupes].iloc[0]
        raise ValueError(
            f"scored(): member {first['member_id']!r} has more than one classification "
            f"of issue {first['issue_id']!r}"
        )

    scores = []
    keys = zip(out["issue_id"], out["member_id"], strict=True)
    for (issue, member), answers in zip(keys, out[list(ITEM_IDS)].to_dict("records"), strict=True):
        try:
            scores.append(score(answers))
        except ValueError as err:
            # Name the row as well as the item so the facilitator can find it.
            raise ValueError(f"issue {issue!r}, member {member!r}: {err}") from None

    out["critical_score"] = pd.Series(
        [s.critical_score for s in scores], index=out.index, dtype="int64"
    )
    out["wicked_index"] = [s.wicked_index for s in scores]
    out["collaboration"] = [s.collaboration for s in scores]
    out["uncertainty"] = [s.uncertainty for s in scores]
    out["computed_type"] = pd.Series([s.type for s in scores], index=out.index, dtype=str)
    return out


def _norm_type(value: Any) -> str | None:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    text = str(value).strip().lower()
    return _TYPE_ALIASES.get(text, text)


def _spread_key(values: Sequence[int]) -> int:
    # n * sum(x^2) - (sum x)^2 = n (n - 1) * sample variance: an exact integer that ranks items
    # the same way as their SD, so ties stay ties instead of differing in the last float bit.
    n = len(values)
    return n * sum(v * v for v in values) - sum(values) ** 2


def _disputed(group: pd.DataFrame) -> str:
    if len(group) < 2:
        return ""
    keys = {item: _spread_key([int(v) for v in group[item]]) for item in ITEM_IDS}
    # Only items people actually disagree on; ties go to the earlier item in C1..W9 order.
    ranked = sorted(
        (item for item in ITEM_IDS if keys[item] > 0),
        key=lambda item: (-keys[item], ITEM_IDS.index(item)),
    )
    return ", ".join(ranked[:DISPUTED_ITEM_COUNT])


def _empty_summary() -> pd.DataFrame:
    dtypes: dict[str, Any] = {c: "int64" for c in ("n", *TYPES, *(f"gut_{t}" for t in TYPES))}
    dtypes.update(
        {c: "float64" for c in ("agreement_ratio", "index_sd", "index_range", "mismatch_share")}
    )
    dtypes.update(
        {c: "bool" for c in ("agreement_flag", "spread_flag", "mismatch_flag", "flagged")}
    )
    dtypes.update({"modal_type": str, "disputed_items": str})
    frame = pd.DataFrame({c: pd.Series(dtype=dtypes[c]) for c in SUMMARY_COLUMNS})
    frame.index = pd.Index([], name="issue_id", dtype=object)
    return frame


def issue_summary(scored_df: pd.DataFrame) -> pd.DataFrame:
    """One row per issue (index issue_id, in order of first appearance) with the B.6 figures."""
    if scored_df.empty:
        return _empty_summary()
    _require(
        scored_df,
        ("issue_id", "gut_call", "computed_type", "wicked_index", *ITEM_IDS),
        "issue_summary() needs the output of scored()",
    )

    rows = {}
    for issue, group in scored_df.groupby("issue_id", sort=False):
        n = len(group)
        computed = [_norm_type(v) for v in group["computed_type"]]
        gut = [_norm_type(v) for v in group["gut_call"]]
        counts = {t: computed.count(t) for t in TYPES}
        # Ties go to the first type in TYPES order; a tie always means ratio <= 0.5, so the
        # issue is flagged for dialogue whichever type is shown.
        modal = max(TYPES, key=lambda t: (counts[t], -TYPES.index(t)))
        ratio = counts[modal] / n
        index = group["wicked_index"].astype("float64")
        index_range = float(index.max() - index.min())
        # Members without a gut call cannot mismatch; share is over those who gave one.
        called = [(g, c) for g, c in zip(gut, computed, strict=True) if g is not None]
        mismatch = sum(g != c for g, c in called) / len(called) if called else math.nan
        row: dict[str, Any] = {"n": n, **counts}
        row.update({f"gut_{t}": gut.count(t) for t in TYPES})
        row.update(
            modal_type=modal,
            agreement_ratio=ratio,
            agreement_flag=ratio < AGREEMENT_FLAG_BELOW,
            index_sd=float(index.std(ddof=1)) if n >= 2 else math.nan,
            index_range=index_range,
            spread_flag=index_range >= SPREAD_FLAG_RANGE - _EPS,
            mismatch_share=mismatch,
            mismatch_flag=bool(called) and mismatch >= MISMATCH_FLAG_SHARE,
            disputed_items=_disputed(group),
        )
        row["flagged"] = row["agreement_flag"] or row["spread_flag"] or row["mismatch_flag"]
        rows[issue] = row

    summary = pd.DataFrame.from_dict(rows, orient="index")[list(SUMMARY_COLUMNS)]
    summary.index.name = "issue_id"
    return summary


def fleiss_kappa(counts: pd.DataFrame | Sequence[Sequence[float]]) -> float:
    """Fleiss' kappa (Fleiss 1971) of a subjects x categories table of rating counts.

    Every subject must be rated by the same number of raters. Returns NaN when every rating
    falls in one category: chance agreement is then 1 and kappa is undefined (0/0).
    """
    if isinstance(counts, pd.DataFrame):
        table = counts.to_numpy().tolist()
    else:
        table = [list(row) for row in counts]
    if len(table) < 2:
        raise ValueError("Fleiss' kappa needs at least 2 subjects")
    if any(len(row) != len(table[0]) for row in table) or not table[0]:
        raise ValueError("every subject needs a count for each category")
    if any(x < 0 for row in table for x in row):
        raise ValueError("rating counts cannot be negative")
    raters = sum(table[0])
    if any(sum(row) != raters for row in table):
        raise ValueError("every subject must be rated by the same number of raters")
    if raters < 2:
        raise ValueError("Fleiss' kappa needs at least 2 raters per subject")

    n_subjects = len(table)
    # P_i: share of agreeing rater pairs on subject i; P-bar is their mean.
    p_bar = (
        sum((sum(x * x for x in row) - raters) / (raters * (raters - 1)) for row in table)
        / n_subjects
    )
    # P-bar-e: chance agreement from the overall share of ratings in each category.
    totals = [sum(col) for col in zip(*table, strict=True)]
    p_e = sum((t / (n_subjects * raters)) ** 2 for t in totals)
    if math.isclose(p_e, 1.0):
        return math.nan
    return (p_bar - p_e) / (1 - p_e)


def kappa_band(kappa: float) -> str:
    """Landis & Koch (1977) reading of a kappa value; each band includes its upper bound."""
    if math.isnan(kappa):
        raise ValueError("kappa is undefined (NaN), so it has no reading band")
    if kappa < 0:
        return "poor"
    for upper, band in (
        (0.20, "slight"),
        (0.40, "fair"),
        (0.60, "moderate"),
        (0.80, "substantial"),
    ):
        if kappa <= upper:
            return band
    return "almost perfect"


def complete_raters(scored_df: pd.DataFrame, issues: Sequence[str] | None = None) -> list[str]:
    """The members who rated every one of ``issues`` (default: every issue anyone rated),
    in order of first appearance: the raters Fleiss' kappa is worked out over."""
    if scored_df.empty:
        return []
    _require(scored_df, ("issue_id", "member_id"), "complete_raters() needs scored() output")
    wanted = set(pd.unique(scored_df["issue_id"]) if issues is None else issues)
    if not wanted:
        return []
    rated = scored_df[scored_df["issue_id"].isin(wanted)]
    per_member = rated.groupby("member_id", sort=False)["issue_id"].nunique()
    return [str(m) for m in per_member.index[per_member == len(wanted)]]


def team_kappa(scored_df: pd.DataFrame, issues: Sequence[str] | None = None) -> float | None:
    """Fleiss' kappa of computed types across ``issues`` (default: every issue anyone rated),
    over the members who rated every one of them (``complete_raters``).

    None when it cannot be computed: fewer than 2 issues, fewer than 2 such members, or every
    rating in one type (kappa undefined).
    """
    if scored_df.empty:
        return None
    _require(
        scored_df,
        ("issue_id", "member_id", "computed_type"),
        "team_kappa() needs the output of scored()",
    )
    wanted = list(pd.unique(scored_df["issue_id"]) if issues is None else dict.fromkeys(issues))
    if len(wanted) < 2:
        return None
    # Fleiss needs the same number of raters per issue, so keep only complete raters.
    complete = complete_raters(scored_df, wanted)
    if len(complete) < 2:
        return None
    rated = scored_df[scored_df["member_id"].isin(complete) & scored_df["issue_id"].isin(wanted)]
    table = [
        [sum(_norm_type(v) == t for v in group["computed_type"]) for t in TYPES]
        for _, group in rated.groupby("issue_id", sort=False)
    ]
    kappa = fleiss_kappa(table)
    return None if math.isnan(kappa) else kappa


def most_common(counts: Mapping[str, int]) -> list[str]:
    """The types with the highest count, in TYPES order: one when there is a clear most
    common type, several when they tie, none when nothing was counted."""
    top = max((counts.get(t, 0) for t in TYPES), default=0)
    return [t for t in TYPES if top and counts.get(t, 0) == top]


def _norm_mode(value: Any) -> str | None:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    text = str(value).strip().lower()
    text = _MODE_ALIASES.get(text, text)
    if text not in MODES:
        raise ValueError(f"preferred_mode must be one of {', '.join(MODES)}, got {value!r}")
    return text


def framing_bias(scored_df: pd.DataFrame, modes: pd.DataFrame) -> pd.DataFrame:
    """Grint's preferred-mode check (B.6), reported only in aggregate by preferred mode.

    A member's bias is the share of their classifications whose mode (via MODE_FOR_TYPE)
    equals their preferred mode, minus the whole team's share for that mode. The result has
    one row per mode in MODES order; members with no preference or no classification are left
    out of the counts. No member ids appear in the output.
    """
    _require(modes, ("member_id", "preferred_mode"), "framing_bias() modes")
    if modes["member_id"].duplicated().any():
        raise ValueError("framing_bias(): a member has more than one preferred_mode")
    preferred = {
        member: mode
        for member, mode in zip(
            modes["member_id"], map(_norm_mode, modes["preferred_mode"]), strict=True
        )
        if mode is not None
    }

    biases: dict[str, list[Fraction]] = {m: [] for m in MODES}
    if not scored_df.empty:
        _require(
            scored_df, ("member_id", "computed_type"), "framing_bias() needs the output of scored()"
        )
        types = [_norm_type(t) for t in scored_df["computed_type"]]
        unknown = sorted({str(t) for t in types if t not in MODE_FOR_TYPE})
        if unknown:
            raise ValueError(f"framing_bias(): unknown computed_type {', '.join(unknown)}")
        mode_of = [MODE_FOR_TYPE[t] for t in types]
        members = list(scored_df["member_id"])
        total = len(mode_of)
        # Exact fractions, so a bias of exactly +0.25 is flagged rather than lost to rounding.
        team_share = {m: Fraction(mode_of.count(m), total) for m in MODES}
        for member, mode in preferred.items():
            own = [md for mb, md in zip(members, mode_of, strict=True) if mb == member]
            if own:
                biases[mode].append(Fraction(own.count(mode), len(own)) - team_share[mode])

    threshold = Fraction(str(BIAS_FLAG))
    return pd.DataFrame(
        {
            "preferred_mode": pd.Series(list(MODES), dtype=str),
            "members": pd.Series([len(biases[m]) for m in MODES], dtype="int64"),
            "mean_bias": pd.Series(
                [float(sum(biases[m]) / len(biases[m])) if biases[m] else math.nan for m in MODES],
                dtype="float64",
            ),
            "flagged_members": pd.Series(
                [sum(b >= threshold for b in biases[m]) for m in MODES], dtype="int64"
            ),
        },
        columns=list(BIAS_COLUMNS),
    )
