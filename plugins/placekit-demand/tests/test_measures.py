"""The measures of section D.6 against figures worked out by hand.

Sources for the intervals:
* Wilson score interval: E. B. Wilson (1927), "Probable inference, the law of succession,
  and statistical inference", JASA 22:209-212; the formula as EXERCISES.md D.6 gives it:
  centre = (p̂ + z²/2n)/(1 + z²/n), half = z·sqrt(p̂(1−p̂)/n + z²/4n²)/(1 + z²/n), z = 1.96.
* Difference of two proportions: R. G. Newcombe (1998), "Interval estimation for the
  difference between independent proportions: comparison of eleven methods", Statistics in
  Medicine 17:873-890, method 10 (hybrid score), whose example 56/70 − 48/80 has the
  interval +0.0524 to +0.3339.
"""

from __future__ import annotations

import math

import pandas as pd
import pytest
from placekit_demand import measures

T = True
F = False
NA = pd.NA
REPAIR, CAME, BILL, BOILER = (
    "Where is my repair?",
    "You came but did not fix it",
    "Wrong bill",
    "Fix my boiler",
)

# (channel, class, type, predictable, minutes, repeat, prior, resolved, when, round)
ROWS = [
    ("phone", "failure", REPAIR, "yes", 10, T, 2, F, "2024-03-04 09:10", 1),
    ("phone", "failure", REPAIR, "yes", 6, T, 1, F, "2024-03-04 10:00", 1),
    ("phone", "failure", CAME, "yes", 8, T, 3, F, "2024-03-05 09:30", 1),
    ("phone", "failure", BILL, "no", 4, F, 0, T, "2024-03-05 14:00", 1),
    ("phone", "value", BOILER, "yes", 5, F, 0, T, "2024-03-06 09:05", 1),
    ("phone", "value", BOILER, "yes", 7, F, 0, F, "2024-03-06 09:50", 1),
    ("email", "failure", REPAIR, "yes", None, NA, None, NA, "2024-03-04 11:00", 2),
    ("email", "value", BOILER, "yes", 3, F, 0, T, "2024-03-07 16:00", 2),
    ("email", "value", None, None, 2, NA, None, T, "2024-03-07 16:30", 2),
    ("email", "unclear", None, None, 1, NA, None, NA, "2024-03-07 16:45", 2),
    ("phone", None, None, None, None, NA, None, NA, "2024-03-08 12:00", 2),
]


@pytest.fixture
def frame() -> pd.DataFrame:
    columns = [
        "channel", "classification", "type", "predictable", "handling_minutes",
        "repeat_contact", "prior_contacts", "resolved_first_point", "captured_at", "round",
    ]  # fmt: skip
    df = pd.DataFrame(ROWS, columns=columns)
    df["classification"] = pd.Categorical(df["classification"], ["value", "failure", "unclear"])
    df["repeat_contact"] = df["repeat_contact"].astype("boolean")
    df["resolved_first_point"] = df["resolved_first_point"].astype("boolean")
    df["prior_contacts"] = df["prior_contacts"].astype("Int64")
    df["handling_minutes"] = df["handling_minutes"].astype("Float64")
    df["captured_at"] = pd.to_datetime(df["captured_at"])
    df["service"] = "Housing repairs"
    df["verbatim"] = [f"words {i}" for i in range(len(df))]
    return df


def test_wilson_interval_worked_by_hand() -> None:
    # 3 of 10: p̂ = 0.3, z²/n = 0.38416, centre = 0.49208/1.38416 = 0.355508,
    # half = 1.96·sqrt(0.021 + 0.009604)/1.38416 = 0.247718 → (0.107789, 0.603227).
    low, high = measures.wilson(3, 10)
    assert low == pytest.approx(0.107789, abs=1e-6)
    assert high == pytest.approx(0.603227, abs=1e-6)
    # At the edges the interval stays inside [0, 1] and is not of zero width.
    assert measures.wilson(0, 10)[0] == pytest.approx(0.0, abs=1e-12)
    assert measures.wilson(0, 10)[1] == pytest.approx(0.277540, abs=1e-6)
    assert all(math.isnan(x) for x in measures.wilson(0, 0))


def test_newcombe_difference_matches_the_published_example() -> None:
    d, low, high = measures.newcombe(48, 80, 56, 70)
    assert d == pytest.approx(0.2)
    assert (round(low, 4), round(high, 4)) == (0.0524, 0.3339)


def test_failure_share_keeps_unclear_and_unclassified_apart(frame) -> None:
    share = measures.failure_share(frame)
    assert (share.value, share.failure, share.unclear, share.unclassified) == (4, 5, 1, 1)
    assert share.n == 9 and share.share == pytest.approx(5 / 9)
    # 5 of 9: p̂ = 0.555556, z²/n = 0.426844, centre = 0.768978/1.426844 = 0.538937,
    # half = 1.96·sqrt(0.0274348 + 0.0118568)/1.426844 = 0.272288 → (0.266649, 0.811225).
    low, high = share.interval
    assert low == pytest.approx(0.266649, abs=1e-5) and high == pytest.approx(0.811225, abs=1e-5)
    assert share.sentence() == (
        "Failure demand: 55.6% (95% interval 26.7% to 81.1%, n = 9 value and failure"
        " demands). Unclear: 1. Not yet classified: 1."
    )


def test_share_by_channel_day_and_hour(frame) -> None:
    channels = measures.share_by(frame, "channel", "Channel")
    assert channels[["Channel", "Value", "Failure", "Unclear", "n (value + failure)"]].to_dict(
        "records"
    ) == [
        {"Channel": "phone", "Value": 2, "Failure": 4, "Unclear": 0, "n (value + failure)": 6},
        {"Channel": "email", "Value": 2, "Failure": 1, "Unclear": 1, "n (value + failure)": 3},
    ]
    assert list(channels["Failure %"]) == [66.7, 33.3]
    low, high = measures.wilson(4, 6)
    assert channels["95% low %"].iloc[0] == round(100 * low, 1)
    days = measures.share_by_day(frame)
    assert list(days["Day"]) == ["Monday", "Tuesday", "Wednesday", "Thursday"]
    assert list(days["Failure"]) == [3, 2, 0, 0] and list(days["Unclear"]) == [0, 0, 0, 1]
    hours = measures.share_by_hour(frame)
    assert list(hours["Hour"]) == ["09:00", "10:00", "11:00", "14:00", "16:00"]
    assert list(hours["Value"] + hours["Failure"] + hours["Unclear"]) == [4, 1, 1, 1, 3]


def test_pareto_marks_the_vital_few(frame) -> None:
    pareto = measures.pareto(frame)
    assert pareto.to_dict("records") == [
        {"Failure type": REPAIR, "Failure demands": 3, "%": 60.0, "Cumulative %": 60.0,
         "Vital few": "yes"},
        {"Failure type": CAME, "Failure demands": 1, "%": 20.0, "Cumulative %": 80.0,
         "Vital few": "yes"},
        {"Failure type": BILL, "Failure demands": 1, "%": 20.0, "Cumulative %": 100.0,
         "Vital few": ""},
    ]  # fmt: skip


def test_typology_table(frame) -> None:
    table = measures.typology(frame).set_index("Demand type")
    assert list(table["Demands"]) == [3, 3, 1, 1]
    assert table.loc[BOILER, "Value"] == 3 and table.loc[BOILER, "Failure %"] == 0.0
    assert table.loc[REPAIR, "Failure %"] == 100.0
    assert table.loc[REPAIR, "% of typed"] == 37.5
    assert table.loc[BILL, "Predictable"] == "no"


def test_predictability_resolution_repeats_and_capacity(frame) -> None:
    typed, failure = measures.predictability(frame)
    assert (typed.count, typed.n, failure.count, failure.n) == (7, 8, 4, 5)
    fpr = measures.first_point_resolution(frame)
    assert (fpr.count, fpr.n, fpr.percent) == (3, 4, 75.0)
    repeats, mean_prior, prior_n = measures.repeat_rate(frame)
    assert (repeats.count, repeats.n) == (3, 7)
    assert mean_prior == pytest.approx(6 / 7) and prior_n == 7
    used = measures.capacity(frame)
    assert (used.failure, used.total, used.timed) == (28.0, 45.0, 8)
    assert (used.unclear, used.unclear_minutes) == (1, 1.0)
    table = measures.measures_table(frame).set_index("Measure")
    # Unclear demands are in neither value nor failure: the measure says it left them out.
    assert table.loc["Capacity consumed by failure (handling minutes)", "Result"] == (
        "62.2% (28 of 45 minutes on value and failure demand; leaves out 1 unclear"
        " demand, 1 minute)"
    )
    assert table.loc["Failure demand (failure ÷ value + failure)", "Result"] == (
        "55.6% (95% interval 26.7–81.1%)"
    )


def test_round_to_round_change_with_its_interval(frame) -> None:
    table = measures.rounds(frame)
    assert list(table["Round"]) == ["1", "2"]
    assert list(table["Failure %"]) == [66.7, 33.3]
    d, low, high = measures.newcombe(4, 6, 1, 3)
    assert table["Change (points)"].iloc[1] == round(100 * d, 1) == -33.3
    assert table["Change 95% low"].iloc[1] == round(100 * low, 1)
    assert table["Change 95% high"].iloc[1] == round(100 * high, 1)
    assert pd.isna(table["Change (points)"].iloc[0])


def test_verbatim_wall_samples_each_top_failure_type(frame) -> None:
    wall = measures.verbatim_sample(frame, [REPAIR, CAME], per_type=2)
    assert list(wall["Failure type"]) == [REPAIR, REPAIR, CAME]
    assert set(wall["What the person said"]) <= {"words 0", "words 1", "words 6", "words 2"}


def test_a_slice_with_no_failures_reads_zero_not_minus_zero() -> None:
    # With 0 failures of 5, the Wilson lower bound works out at -2.8e-17 in floating point.
    five = pd.DataFrame(
        {
            "service": ["Repairs"] * 5,
            "classification": pd.Categorical(["value"] * 5, ["value", "failure", "unclear"]),
        }
    )
    table = measures.share_by(five, "service", "Service")
    assert table[["Failure %", "95% low %"]].to_dict("records") == [
        {"Failure %": 0.0, "95% low %": 0.0}
    ]
    assert str(table["95% low %"].iloc[0]) == "0.0"  # never "-0.0"
