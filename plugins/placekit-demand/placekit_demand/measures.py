"""The measures of a demand study (EXERCISES.md D.6), as pure pandas functions.

Input is an *analysis frame*: one row per demand with ``classification`` (value / failure /
unclear, missing when not yet classified), ``type`` (the demand type's label in customer
terms, missing when not typed), ``predictable`` (yes / no / unsure), ``channel``,
``service``, ``captured_at``, ``repeat_contact``, ``prior_contacts``,
``resolved_first_point``, ``handling_minutes``, ``round`` and ``verbatim``. Everything is a
group-by, so a million rows take a second, and the results are small tables.

Failure-demand share is failure / (value + failure): ``unclear`` is reported beside it and
never silently dropped (D.6).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

Z = 1.96  # 95 % (D.6)
VITAL_FEW = 80.0  # cumulative % the "vital few" failure types reach
CLASSES = ("value", "failure", "unclear")
DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def wilson(failures: int | np.ndarray, n: int | np.ndarray, z: float = Z) -> tuple:
    """Wilson score interval for a proportion (Wilson 1927), as D.6 gives it.

    ``centre = (p̂ + z²/2n)/(1 + z²/n)``, ``half = z·sqrt(p̂(1−p̂)/n + z²/4n²)/(1 + z²/n)``.
    Returns (low, high), kept inside [0, 1] (floating point leaves 0 failures a hair
    below zero, which would read "-0.0 %"); NaN where n is 0. Works on scalars and arrays.
    """
    f = np.asarray(failures, dtype=float)
    m = np.asarray(n, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        p = f / m
        denominator = 1 + z**2 / m
        centre = (p + z**2 / (2 * m)) / denominator
        half = z * np.sqrt(p * (1 - p) / m + z**2 / (4 * m**2)) / denominator
        low = np.where(m > 0, np.clip(centre - half, 0.0, 1.0), np.nan)
        high = np.where(m > 0, np.clip(centre + half, 0.0, 1.0), np.nan)
    if low.ndim == 0:
        return float(low), float(high)
    return low, high


def newcombe(f1: int, n1: int, f2: int, n2: int, z: float = Z) -> tuple[float, float, float]:
    """Difference p2 − p1 of two proportions with Newcombe's hybrid score interval (method 10,
    Newcombe 1998), built from each proportion's Wilson interval."""
    if not n1 or not n2:
        return (math.nan, math.nan, math.nan)
    p1, p2 = f1 / n1, f2 / n2
    l1, u1 = wilson(f1, n1, z)
    l2, u2 = wilson(f2, n2, z)
    d = p2 - p1
    return (
        d,
        d - math.sqrt((p2 - l2) ** 2 + (u1 - p1) ** 2),
        d + math.sqrt((u2 - p2) ** 2 + (p1 - l1) ** 2),
    )


@dataclass(frozen=True)
class Share:
    """Failure-demand share with its interval and every count behind it."""

    value: int
    failure: int
    unclear: int
    unclassified: int

    @property
    def n(self) -> int:
        return self.value + self.failure

    @property
    def share(self) -> float:
        return self.failure / self.n if self.n else math.nan

    @property
    def interval(self) -> tuple[float, float]:
        return wilson(self.failure, self.n)

    def sentence(self) -> str:
        if not self.n:
            return "No demand has been classified as value or failure yet."
        low, high = self.interval
        return (
            f"Failure demand: {100 * self.share:.1f}% (95% interval {100 * low:.1f}%"
            f" to {100 * high:.1f}%, n = {self.n:,} value and failure demands)."
            f" Unclear: {self.unclear:,}. Not yet classified: {self.unclassified:,}."
        )


def _counts(frame: pd.DataFrame) -> dict[str, int]:
    found = frame["classification"].value_counts(dropna=False)
    counts = {k: int(found.get(k, 0)) for k in ("value", "failure", "unclear")}
    counts["unclassified"] = int(len(frame) - sum(counts.values()))
    return counts


def failure_share(frame: pd.DataFrame) -> Share:
    return Share(**_counts(frame))


def _codes(keys: pd.Series) -> tuple[np.ndarray, list]:
    """(integer code per row, -1 when missing; the labels) for any key column, cheaply for
    categoricals (the imported columns are) and by factorizing otherwise."""
    if isinstance(keys.dtype, pd.CategoricalDtype):
        return np.asarray(keys.cat.codes), list(keys.cat.categories)
    codes, uniques = pd.factorize(keys, sort=True)
    return codes, list(uniques)


def _class_codes(classification: pd.Series) -> np.ndarray:
    """0 value, 1 failure, 2 unclear, -1 not classified."""
    if isinstance(classification.dtype, pd.CategoricalDtype) and list(
        classification.cat.categories
    ) == list(CLASSES):
        return np.asarray(classification.cat.codes)
    return np.asarray(pd.Categorical(classification, categories=CLASSES).codes)


def crosstab(keys: pd.Series, classification: pd.Series) -> pd.DataFrame:
    """Counts of value / failure / unclear per key (keys with no classified demand kept
    out), by one ``bincount`` over integer codes: no per-group Python."""
    codes, labels = _codes(keys)
    classes = _class_codes(classification)
    ok = (codes >= 0) & (classes >= 0)
    counts = np.bincount(codes[ok] * 3 + classes[ok], minlength=len(labels) * 3).reshape(
        len(labels), 3
    )
    table = pd.DataFrame(counts, index=labels, columns=list(CLASSES))
    return table[table.sum(axis=1) > 0]


def _percent(values: np.ndarray | pd.Series) -> np.ndarray:
    """Percentages to one decimal, with no "-0.0" (a rounded tiny negative)."""
    return np.round(np.asarray(values, dtype=float), 1) + 0.0


def _slice_table(keys: pd.Series, classification: pd.Series, label: str) -> pd.DataFrame:
    table = crosstab(keys, classification)
    n = table["value"] + table["failure"]
    low, high = wilson(table["failure"].to_numpy(), n.to_numpy())
    with np.errstate(divide="ignore", invalid="ignore"):
        share = np.where(n > 0, 100 * table["failure"] / n, np.nan)
    return pd.DataFrame(
        {
            label: [str(k) for k in table.index],
            "Value": table["value"].to_numpy(),
            "Failure": table["failure"].to_numpy(),
            "Unclear": table["unclear"].to_numpy(),
            "n (value + failure)": n.to_numpy(),
            "Failure %": _percent(share),
            "95% low %": _percent(100 * low),
            "95% high %": _percent(100 * high),
        }
    )


def share_by(frame: pd.DataFrame, column: str, label: str) -> pd.DataFrame:
    """Failure share per value of ``column`` (channel, service), with n and the interval."""
    table = _slice_table(frame[column], frame["classification"], label)
    return table.sort_values("n (value + failure)", ascending=False, kind="stable").reset_index(
        drop=True
    )


def share_by_day(frame: pd.DataFrame) -> pd.DataFrame:
    day = frame["captured_at"].dt.day_of_week.to_numpy(dtype=float, na_value=-1).astype(int)
    days = pd.Series(pd.Categorical.from_codes(day, categories=list(DAYS)))
    return _slice_table(days, frame["classification"], "Day")


def share_by_hour(frame: pd.DataFrame) -> pd.DataFrame:
    hour = frame["captured_at"].dt.hour.to_numpy(dtype=float, na_value=-1).astype(int)
    labels = [f"{h:02d}:00" for h in range(24)]
    return _slice_table(
        pd.Series(pd.Categorical.from_codes(hour, categories=labels)),
        frame["classification"],
        "Hour",
    )


def typology(frame: pd.DataFrame) -> pd.DataFrame:
    """Count and % per demand type, with its value / failure split and predictability."""
    columns = [
        "Demand type",
        "Demands",
        "% of typed",
        "Value",
        "Failure",
        "Unclear",
        "Failure %",
        "Predictable",
    ]
    codes, labels = _codes(frame["type"])
    if not (codes >= 0).any():
        return pd.DataFrame(columns=columns)
    counts = np.bincount(codes[codes >= 0], minlength=len(labels))
    split = crosstab(frame["type"], frame["classification"]).reindex(labels, fill_value=0)
    # The type's predictability: the most common judgement among its demands.
    judged = np.asarray(
        pd.Categorical(frame["predictable"], categories=("yes", "no", "unsure")).codes
    )
    both = (codes >= 0) & (judged >= 0)
    votes = np.bincount(codes[both] * 3 + judged[both], minlength=len(labels) * 3).reshape(-1, 3)
    predictable = np.where(
        votes.sum(axis=1) > 0, np.array(["yes", "no", "unsure"])[votes.argmax(axis=1)], ""
    )
    order = np.argsort(-counts, kind="stable")
    order = order[counts[order] > 0]
    n = (split["value"] + split["failure"]).to_numpy()[order]
    failure = split["failure"].to_numpy()[order]
    with np.errstate(divide="ignore", invalid="ignore"):
        share = np.where(n > 0, 100 * failure / n, np.nan)
    return pd.DataFrame(
        {
            "Demand type": [str(labels[i]) for i in order],
            "Demands": counts[order],
            "% of typed": np.round(100 * counts[order] / counts.sum(), 1),
            "Value": split["value"].to_numpy()[order],
            "Failure": failure,
            "Unclear": split["unclear"].to_numpy()[order],
            "Failure %": np.round(share, 1),
            "Predictable": predictable[order],
        },
        columns=columns,
    )


def pareto(frame: pd.DataFrame) -> pd.DataFrame:
    """Failure types by count, cumulative %, and the vital few: the types needed to reach
    80% of typed failure demand (the type that crosses 80% is one of them)."""
    failing = frame["type"][(frame["classification"] == "failure").to_numpy()]
    counts = failing.value_counts()
    counts = counts[counts > 0]
    if not len(counts):
        return pd.DataFrame(
            columns=["Failure type", "Failure demands", "%", "Cumulative %", "Vital few"]
        )
    counts = counts.sort_values(ascending=False, kind="stable")
    share = 100 * counts.to_numpy() / counts.sum()
    cumulative = np.cumsum(share)
    before = cumulative - share
    return pd.DataFrame(
        {
            "Failure type": counts.index.astype(str),
            "Failure demands": counts.to_numpy(),
            "%": np.round(share, 1),
            "Cumulative %": np.round(cumulative, 1),
            "Vital few": np.where(before < VITAL_FEW - 1e-9, "yes", ""),
        }
    )


@dataclass(frozen=True)
class Rate:
    """A count out of n, for the measures table."""

    count: int
    n: int

    @property
    def percent(self) -> float:
        return 100 * self.count / self.n if self.n else math.nan


def predictability(frame: pd.DataFrame) -> tuple[Rate, Rate]:
    """(% of typed demand in predictable types, % of typed failure demand likewise)."""
    typed = frame["type"].notna().to_numpy()
    yes = (frame["predictable"] == "yes").to_numpy()
    failure = (frame["classification"] == "failure").to_numpy() & typed
    return (
        Rate(int((yes & typed).sum()), int(typed.sum())),
        Rate(int((yes & failure).sum()), int(failure.sum())),
    )


def first_point_resolution(frame: pd.DataFrame) -> Rate:
    """Value demands resolved at the first point of contact, of those where it is known."""
    value = frame.loc[frame["classification"] == "value", "resolved_first_point"]
    known = value.dropna()
    return Rate(int(known.astype(bool).sum()), len(known))


def repeat_rate(frame: pd.DataFrame) -> tuple[Rate, float, int]:
    """(demands that are repeats, of those where known; mean prior contacts; its n)."""
    known = frame["repeat_contact"].dropna()
    prior = pd.to_numeric(frame["prior_contacts"], errors="coerce").dropna()
    mean = float(prior.mean()) if len(prior) else math.nan
    return Rate(int(known.astype(bool).sum()), len(known)), mean, len(prior)


@dataclass(frozen=True)
class Capacity:
    """Handling minutes on failure out of value + failure; unclear demands are not in
    either, and are counted so the measure can say it left them out (D.6)."""

    failure: float  # minutes on failure demand
    total: float  # minutes on value + failure demand
    timed: int  # value and failure demands with minutes known
    unclear: int  # unclear demands with minutes known, left out
    unclear_minutes: float

    @property
    def share(self) -> float:
        return self.failure / self.total if self.total else math.nan


def capacity(frame: pd.DataFrame) -> Capacity:
    """Capacity consumed by failure, from handling minutes (unclear demands left out)."""
    minutes = pd.to_numeric(frame["handling_minutes"], errors="coerce").to_numpy(
        dtype=float, na_value=np.nan
    )
    classes = _class_codes(frame["classification"])
    known = ~np.isnan(minutes)
    timed = known & ((classes == 0) | (classes == 1))
    unclear = known & (classes == 2)
    return Capacity(
        float(minutes[timed & (classes == 1)].sum()),
        float(minutes[timed].sum()),
        int(timed.sum()),
        int(unclear.sum()),
        float(minutes[unclear].sum()),
    )


def rounds(frame: pd.DataFrame) -> pd.DataFrame:
    """Failure share per study round, and the change from the round before with Newcombe's
    interval for a difference of proportions."""
    table = _slice_table(frame["round"].astype("Int64"), frame["classification"], "Round")
    rows = table.to_dict("records")
    for earlier, later in zip(rows, rows[1:], strict=False):
        d, low, high = newcombe(
            earlier["Failure"],
            earlier["n (value + failure)"],
            later["Failure"],
            later["n (value + failure)"],
        )
        later.update(
            {
                "Change (points)": round(100 * d, 1),
                "Change 95% low": round(100 * low, 1),
                "Change 95% high": round(100 * high, 1),
            }
        )
    return pd.DataFrame(rows)


def verbatim_sample(
    frame: pd.DataFrame, types: list[str], per_type: int = 5, seed: int = 0
) -> pd.DataFrame:
    """A random sample of failure verbatims for each given type (the verbatim wall, D.7)."""
    wanted = (frame["classification"] == "failure").to_numpy() & frame["type"].isin(types)
    failures = frame.loc[wanted.to_numpy(), ["type", "verbatim"]]
    parts = []
    for label in types:
        mine = failures[(failures["type"] == label).to_numpy()]
        if len(mine):
            parts.append(mine.sample(min(per_type, len(mine)), random_state=seed))
    if not parts:
        return pd.DataFrame(columns=["Failure type", "What the person said"])
    chosen = pd.concat(parts)
    return pd.DataFrame(
        {
            "Failure type": chosen["type"].astype(str).to_numpy(),
            "What the person said": chosen["verbatim"].astype(str).to_numpy(),
        }
    )


def _capacity_words(used: Capacity) -> str:
    words = (
        f"{100 * used.share:.1f}% ({used.failure:,.0f} of {used.total:,.0f} minutes on value"
        " and failure demand"
    )
    if used.unclear:
        plural = "s" if used.unclear != 1 else ""
        words += (
            f"; leaves out {used.unclear:,} unclear demand{plural},"
            f" {used.unclear_minutes:,.0f} minute{'' if round(used.unclear_minutes) == 1 else 's'}"
        )
    return words + ")"


def measures_table(frame: pd.DataFrame) -> pd.DataFrame:
    """Every headline measure of D.6 as one readable table (Measure, Result, n)."""

    def pct(rate: Rate) -> str:
        return "—" if not rate.n else f"{rate.percent:.1f}%"

    share = failure_share(frame)
    low, high = share.interval
    all_types, failure_types = predictability(frame)
    fpr = first_point_resolution(frame)
    repeats, mean_prior, prior_n = repeat_rate(frame)
    used = capacity(frame)
    rows = [
        (
            "Failure demand (failure ÷ value + failure)",
            "—"
            if not share.n
            else f"{100 * share.share:.1f}% (95% interval {100 * low:.1f}–{100 * high:.1f}%)",
            share.n,
        ),
        ("Unclear (reported separately)", f"{share.unclear:,}", share.unclear),
        ("Not yet classified", f"{share.unclassified:,}", share.unclassified),
        ("Typed demand in predictable types", pct(all_types), all_types.n),
        ("Typed failure demand in predictable types", pct(failure_types), failure_types.n),
        ("Value demand resolved at first point (one-stop)", pct(fpr), fpr.n),
        ("Repeat contacts", pct(repeats), repeats.n),
        (
            "Mean prior contacts",
            "—" if not prior_n else f"{mean_prior:.2f}",
            prior_n,
        ),
        (
            "Capacity consumed by failure (handling minutes)",
            ("—" if not used.total else _capacity_words(used)),
            used.timed,
        ),
    ]
    return pd.DataFrame(rows, columns=["Measure", "Result", "n"])
