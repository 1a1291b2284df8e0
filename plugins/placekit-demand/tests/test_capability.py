"""The XmR chart against a published worked example, and the signal rules one by one.

Limits: NIST/SEMATECH e-Handbook of Statistical Methods, section 6.3.2.2 "Individuals
Control Charts" (https://www.itl.nist.gov/div898/handbook/pmc/section3/pmc322.htm). Its
example: "A new process was studied in order to monitor flow rate. The first 10 batches
resulted in" 49.6, 47.6, 49.9, 51.3, 47.8, 51.2, 52.6, 52.4, 53.6, 52.1, giving
x̄ = 50.81, MR̄ = 1.8778, UCL = 55.8041, LCL = 45.8159 for the individuals and
UCL = 3.267 × 1.8778 for the moving ranges, "and on both charts the process is in control,
since none of the plotted points fall outside either the UCL or LCL".

Signals: NHS England and NHS Improvement, "Making Data Count" (2019), with its rules as
the NHS-R Community's NHSRplotthedots package implements them: a point outside the
limits; 7 points in a row on one side of the mean; 7 points in a row each rising (or each
falling); 2 of 3 points beyond two sigma on one side.
"""

from __future__ import annotations

import pandas as pd
import pytest
from placekit_demand import capability

NIST_FLOW_RATE = [49.6, 47.6, 49.9, 51.3, 47.8, 51.2, 52.6, 52.4, 53.6, 52.1]


def test_the_limits_are_the_nist_handbooks() -> None:
    lim = capability.limits(NIST_FLOW_RATE)
    assert lim.mean == pytest.approx(50.81, abs=1e-9)
    assert lim.mr_bar == pytest.approx(1.8778, abs=5e-5)
    assert lim.upper == pytest.approx(55.8041, abs=5e-5)
    assert lim.lower == pytest.approx(45.8159, abs=5e-5)
    assert lim.mr_upper == pytest.approx(3.267 * 1.8778, abs=5e-4)
    chart = capability.xmr(NIST_FLOW_RATE)
    assert chart.signalled() == []  # "the process is in control"
    assert list(chart.points["moving_range"].round(1))[1:] == [
        2.0, 2.3, 1.4, 3.5, 3.4, 1.4, 0.2, 1.2, 1.5
    ]  # fmt: skip


def _marked(values: list[float], rule: str) -> list[int]:
    chart = capability.xmr(values)
    return [i for i, hit in enumerate(chart.points[rule]) if hit]


STEADY = [10, 12, 9, 11, 10, 13, 9, 11, 10, 12, 9, 11, 10, 12]


def test_a_point_outside_the_limits_is_a_signal() -> None:
    assert _marked([*STEADY, 40], "outside") == [14]


def test_seven_in_a_row_on_one_side_is_a_shift_and_six_is_not() -> None:
    # Mean 11.5 over these: seven points above it in a row, at positions 6 to 12.
    six = [8, 9, 8, 9, 8, 9, 13, 14, 13, 14, 13, 14, 9, 8]
    seven = [8, 9, 8, 9, 8, 9, 13, 14, 13, 14, 13, 14, 14, 8]
    assert _marked(six, "shift") == []
    assert _marked(seven, "shift") == [6, 7, 8, 9, 10, 11, 12]


def test_six_rises_in_a_row_are_a_trend_and_an_equal_value_breaks_one() -> None:
    rising = [10, 12, 9, 11, 10, 11, 12, 13, 14, 15, 16, 10, 12]
    assert _marked(rising, "trend") == [4, 5, 6, 7, 8, 9, 10]
    broken = [10, 12, 9, 11, 10, 11, 12, 12, 14, 15, 16, 10, 12]
    assert _marked(broken, "trend") == []


def test_two_of_three_close_to_a_limit_on_one_side() -> None:
    values = [*STEADY, 16.5, 12, 17]
    lim = capability.limits(values)
    assert lim.mean + 2 * lim.sigma < 16.5 < 17 < lim.upper  # both beyond two sigma, inside
    assert _marked(values, "close") == [14, 16]


def test_a_jump_between_two_points_shows_on_the_moving_range_chart() -> None:
    assert _marked([*STEADY, 1, 12], "jump") == [14, 15]


def test_a_split_chart_has_limits_of_its_own_either_side_of_the_change() -> None:
    days = pd.date_range("2024-03-01", periods=20, freq="D")
    before = [30, 34, 28, 33, 31, 35, 29, 32, 30, 33]
    after = [12, 14, 11, 13, 12, 15, 11, 13, 12, 14]
    periods = capability.split_periods(days, "2024-03-11")
    chart = capability.xmr(before + after, labels=list(days), periods=periods)
    assert list(chart.periods) == ["Before", "After"]
    assert chart.periods["Before"].mean == pytest.approx(31.5)
    assert chart.periods["After"].mean == pytest.approx(12.7)
    # No moving range spans the change: the first point after it starts afresh.
    assert pd.isna(chart.points.loc[10, "moving_range"])
    assert chart.signalled("After") == [] and chart.signalled("Before") == []
    unsplit = capability.xmr(before + after)
    assert "shift" in unsplit.signalled()  # one chart over both hides the change as a "shift"


def test_the_reading_is_in_plain_words() -> None:
    times = [12, 30, 8, 22, 41, 15, 9, 27, 18, 33, 6, 24, 14, 29, 11, 20]
    sentence = capability.reading(capability.xmr(times), "Repairs take", "days")
    lim = capability.limits(times)
    assert lim.lower < 0  # no repair takes less than no time: "up to"
    assert sentence.startswith(
        f"Repairs take up to {round(lim.upper)} days (the natural process limits, around"
        " an average of 20); 9 in 10 took under 32 days."
    )
    assert "No signals of special cause" in sentence
    slower = [t + 30 for t in times]  # every repair a month later: a lower limit above 0
    assert capability.reading(capability.xmr(slower), "Repairs take", "days").startswith(
        f"Repairs take between {lim.lower + 30:.1f} and {round(lim.upper + 30)} days"
    )
