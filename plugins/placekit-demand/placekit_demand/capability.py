"""Capability: what a system predictably achieves, read from an XmR chart.

A Vanguard "check" measures how long it really takes, from the customer's point of view,
to meet a need (from the first report to the fix, however many contacts in between), and
how predictably; Vanguard's own tool for it is a capability chart. It is Shewhart's chart
for individual values with the moving range chart beneath it (an *XmR* chart), as Donald
Wheeler teaches it (*Understanding Variation*, 1993) and as NHS England's *Making Data
Count* asks boards to read performance instead of red/amber/green ratings.

For values x₁ … xₙ in time order:

* the moving ranges are mRᵢ = |xᵢ − xᵢ₋₁| (n − 1 of them), their mean is mR̄;
* the centre line is the mean X̄, and the **natural process limits** are
  X̄ ± E₂·mR̄ with E₂ = 3/d₂ = 3/1.128 = 2.66 (Wheeler's rounding of 2.6596): what the
  system will go on producing, unless it changes;
* the moving range chart's upper limit is D₄·mR̄ with D₄ = 3.267 (its lower limit is 0).

Signals of special cause, with the rules of NHS England's *Making Data Count* (as the NHS-R
Community's NHSRplotthedots implements them), each marking every point of its pattern:

* **outside**: a point above the upper or below the lower limit;
* **shift**: a run of 7 or more points all above, or all below, the centre line (a point
  on it breaks the run);
* **trend**: 7 or more points in a row each higher (or each lower) than the one before,
  that is six rises or six falls (an equal value breaks it);
* **close to a limit**: 2 of 3 points in a row beyond two sigma (the outer third between
  the centre line and a limit) on the same side;
* and on the moving range chart, a moving range above its upper limit (a sudden jump).

Where the system changed (an experiment between study rounds), the chart can be split:
each period gets its own limits and signals, and no moving range spans the change.

Everything here is plain NumPy and pandas; the charts and pages only draw what it returns.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

D2 = 1.128  # the mean range of two normal values, in sigmas (d₂ for n = 2)
E2 = 3 / D2  # 2.6596, "2.66": natural process limits are X̄ ± E₂·mR̄
D4 = 3.267  # the moving range chart's upper limit is D₄·mR̄ (n = 2)
RUN = 7  # points in a shift or a trend (Making Data Count)

RULES = {
    "outside": "a point outside the natural process limits",
    "shift": f"{RUN} or more points in a row on one side of the centre line",
    "trend": f"{RUN} points in a row each higher, or each lower, than the one before",
    "close": "2 of 3 points in a row close to a limit (beyond two sigma), on one side",
    "jump": "a moving range above its upper limit (a sudden jump between two points)",
}
SHORT = {
    "outside": "outside the limits",
    "shift": "shift",
    "trend": "trend",
    "close": "close to a limit",
    "jump": "jump",
}
RULE_SET = (
    "Signals of special cause follow NHS England’s “Making Data Count” rules: "
    + "; ".join(RULES.values())
    + "."
)


@dataclass(frozen=True)
class Limits:
    """The centre line and limits of one period of an XmR chart."""

    n: int  # points
    mean: float  # X̄, the centre line
    mr_bar: float  # mR̄, the mean moving range
    upper: float  # X̄ + E₂·mR̄
    lower: float  # X̄ − E₂·mR̄ (may be below zero, where no value can go)
    mr_upper: float  # D₄·mR̄

    @property
    def sigma(self) -> float:
        """The within-process spread the limits stand on: mR̄ / d₂."""
        return self.mr_bar / D2


def moving_ranges(values: Sequence[float] | np.ndarray) -> np.ndarray:
    """|xᵢ − xᵢ₋₁| for each point after the first; NaN for the first."""
    x = np.asarray(values, dtype=float)
    out = np.full(len(x), np.nan)
    out[1:] = np.abs(np.diff(x))
    return out


def limits(values: Sequence[float] | np.ndarray) -> Limits:
    """The natural process limits of values in time order (at least two)."""
    x = np.asarray(values, dtype=float)
    if len(x) < 2:
        raise ValueError("an XmR chart needs at least two values")
    mr_bar = float(np.nanmean(moving_ranges(x)))
    mean = float(x.mean())
    return Limits(len(x), mean, mr_bar, mean + E2 * mr_bar, mean - E2 * mr_bar, D4 * mr_bar)


def _part_of_runs(hit_at_end: np.ndarray, length: int) -> np.ndarray:
    """Every point of each window of ``length`` that ends where ``hit_at_end`` is True."""
    marked = np.zeros(len(hit_at_end), dtype=bool)
    for end in np.flatnonzero(hit_at_end):
        marked[max(0, end - length + 1) : end + 1] = True
    return marked


def _runs(side: np.ndarray, length: int) -> np.ndarray:
    """Points in a run of at least ``length`` equal, non-zero ``side`` values."""
    ends = np.zeros(len(side), dtype=bool)
    count = 0
    for i, s in enumerate(side):
        count = count + 1 if s != 0 and i and side[i - 1] == s else (1 if s != 0 else 0)
        ends[i] = count >= length
    return _part_of_runs(ends, length)


def signals(values: Sequence[float] | np.ndarray, lim: Limits) -> dict[str, np.ndarray]:
    """For each rule of ``RULES``, which points are part of a signal (one period)."""
    x = np.asarray(values, dtype=float)
    side = np.sign(np.round(x - lim.mean, 12))
    rises = np.zeros(len(x))
    rises[1:] = np.sign(np.diff(x))
    # A trend of RUN points is RUN − 1 rises (or falls) in a row, each marked at its later
    # point: mark the point each run starts from too.
    trend = _runs(rises, RUN - 1)
    starts = np.flatnonzero(trend & ~np.concatenate([[False], trend[:-1]]))
    trend[starts - 1] = True
    two_sigma = 2 * lim.sigma
    near = np.where(x - lim.mean > two_sigma, 1, np.where(lim.mean - x > two_sigma, -1, 0))
    close = np.zeros(len(x), dtype=bool)
    for start in range(max(0, len(x) - 2)):
        window = slice(start, start + 3)
        for s in (1, -1):
            if (near[window] == s).sum() >= 2 and (side[window] == s).all():
                close[window] |= near[window] == s
    mr = moving_ranges(x)
    return {
        "outside": (x > lim.upper) | (x < lim.lower),
        "shift": _runs(side, RUN),
        "trend": trend,
        "close": close,
        "jump": np.nan_to_num(mr, nan=0.0) > lim.mr_upper,
    }


@dataclass(frozen=True)
class Chart:
    """An XmR chart: one row per point (``label``, ``value``, ``moving_range``,
    ``period``, the period's ``mean``, ``upper``, ``lower``, ``mr_bar``, ``mr_upper``,
    and a column per rule), and each period's limits."""

    points: pd.DataFrame
    periods: dict[str, Limits]
    unit: str = ""

    @property
    def latest(self) -> Limits:
        return list(self.periods.values())[-1]

    def signalled(self, period: str | None = None) -> list[str]:
        """The rules with a signal (in the latest period by default), in RULES order."""
        mine = self.points[self.points["period"] == (period or list(self.periods)[-1])]
        return [rule for rule in RULES if mine[rule].any()]


def xmr(
    values: Sequence[float] | np.ndarray,
    labels: Sequence[object] | None = None,
    periods: Sequence[str] | None = None,
    unit: str = "",
) -> Chart:
    """An XmR chart of values in time order; ``periods`` names each point's period
    ("Before", "After": consecutive, so the chart is split where the system changed).
    A period of fewer than two points takes no limits of its own: it joins the one before.
    """
    x = np.asarray(values, dtype=float)
    shown = list(labels) if labels is not None else list(range(1, len(x) + 1))
    named = list(periods) if periods is not None else ["All"] * len(x)
    names = list(dict.fromkeys(named))
    for i, name in enumerate(names[1:], 1):  # too short to stand alone
        if named.count(name) < 2:
            named = [names[i - 1] if p == name else p for p in named]
    frames = []
    found: dict[str, Limits] = {}
    for name in dict.fromkeys(named):
        at = np.array([p == name for p in named])
        part = x[at]
        lim = limits(part)
        found[name] = lim
        marks = signals(part, lim)
        frames.append(
            pd.DataFrame(
                {
                    "label": [shown[i] for i in np.flatnonzero(at)],
                    "value": part,
                    "moving_range": moving_ranges(part),
                    "period": name,
                    "mean": lim.mean,
                    "upper": lim.upper,
                    "lower": lim.lower,
                    "mr_bar": lim.mr_bar,
                    "mr_upper": lim.mr_upper,
                    **marks,
                }
            )
        )
    return Chart(pd.concat(frames, ignore_index=True), found, unit)


def split_periods(moments: Sequence[object], change: object | None) -> list[str]:
    """ "Before" and "After" for each moment around the day the system changed (or "All")."""
    if change is None:
        return ["All"] * len(moments)
    when = pd.Timestamp(change)
    return ["Before" if pd.Timestamp(m) < when else "After" for m in moments]


def _number(value: float) -> str:
    """A figure as a sentence says it: whole when large, one decimal when small."""
    if not math.isfinite(value):
        return "—"
    rounded = round(value) if abs(value) >= 10 else round(value, 1)
    text = f"{rounded:,.1f}" if isinstance(rounded, float) else f"{rounded:,}"
    return text.removesuffix(".0")


def reading(
    chart: Chart,
    subject: str,
    unit: str,
    *,
    tail: str = "",
    counted: str = "",
    verb: str = "took",
    floor: float | None = 0.0,
) -> str:
    """The chart in plain words, of its latest period: "Cases take between 2 and 41 days,
    end to end (…); 9 in 10 took under 30 days." ``floor`` is the least any value can be
    (no case takes less than no time): a lower limit at or below it reads "up to"."""
    lim = chart.latest
    period = list(chart.periods)[-1]
    mine = chart.points.loc[chart.points["period"] == period, "value"]
    upper = _number(lim.upper)
    if floor is not None and lim.lower <= floor:
        span = f"up to {upper} {unit}"
    else:
        span = f"between {_number(lim.lower)} and {upper} {unit}"
    p90 = float(np.percentile(mine, 90))
    since = " since the change" if period == "After" else ""
    who = f" {counted}" if counted else ""
    sentence = (
        f"{subject}{since} {span}{tail} (the natural process limits, around an average of"
        f" {_number(lim.mean)}); 9 in 10{who} {verb} under {_number(p90)} {unit}."
    )
    found = chart.signalled()
    if found:
        sentence += (
            " The chart shows signals of special cause ("
            + "; ".join(RULES[r] for r in found)
            + "): something changed or is unusual, so look at those points before trusting"
            " the limits as a prediction."
        )
    else:
        sentence += (
            " No signals of special cause: the system is stable, and this is what it will"
            " go on doing unless it is changed."
        )
    return sentence
