"""Questionnaire statistics against figures worked out by hand: reverse scoring, "don't
know", person scores, item and dimension figures, gaps, and small-group suppression."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from placekit.data.privacy import GroupRule
from placekit.questionnaires import stats
from placekit.questionnaires.model import DONT_KNOW as DK
from placekit.questionnaires.model import parse

BASE = {
    "id": "hand",
    "title": "Hand-worked",
    "summary": "For tests",
    "scale": {"low": 1, "high": 5},
    "dimensions": [
        {
            "id": "A",
            "title": "A",
            "items": [
                {"id": "A1", "text": "a one"},
                {"id": "A2", "text": "a two", "reverse": True},
                {"id": "A3", "text": "a three"},
            ],
        },
        {"id": "B", "title": "B", "items": [{"id": "B1", "text": "b one"}]},
    ],
}
Q = parse(BASE)

# Four people. p3 answers only one of A's three statements: under the 50 % rule they need
# two, so p3 has no A score. A2 is reverse-scored: on 1-5, an answer x scores 6 - x.
ANSWERS = {
    "p1": {"A1": 4, "A2": 2, "A3": DK, "B1": 5},  # A = (4 + 4) / 2 = 4.0
    "p2": {"A1": 5, "A2": 1, "A3": 3, "B1": DK},  # A = (5 + 5 + 3) / 3 = 13/3
    "p3": {"A1": DK, "A2": DK, "A3": 2, "B1": 3},  # A: too few answers
    "p4": {"A1": 2, "A2": 4, "A3": 2, "B1": 4},  # A = (2 + 2 + 2) / 3 = 2.0
}


def frame(q=Q, answers=ANSWERS) -> pd.DataFrame:
    return stats.answers_frame(
        [{"respondent": who, "round": 1, "answers": a} for who, a in answers.items()], q
    )


def test_reverse_scoring_and_dont_know() -> None:
    long = frame().set_index(["respondent", "item"])
    assert long.loc[("p1", "A2"), "value"] == 2 and long.loc[("p1", "A2"), "score"] == 4
    assert math.isnan(long.loc[("p1", "A3"), "value"])  # "don't know" is not a number
    assert math.isnan(long.loc[("p1", "A3"), "score"])


def test_a_stored_value_off_the_scale_counts_as_unanswered() -> None:
    long = frame(answers={"p1": {"A1": 9, "A2": True, "A3": "4", "B1": 3}})
    assert list(long["item"]) == ["B1"]


def test_person_scores_need_enough_answers() -> None:
    scores = stats.person_scores(frame(), Q).set_index(["respondent", "dimension"])["score"]
    assert scores[("p1", "A")] == pytest.approx(4.0)
    assert scores[("p2", "A")] == pytest.approx(13 / 3)
    assert math.isnan(scores[("p3", "A")])
    assert scores[("p4", "A")] == pytest.approx(2.0)
    assert math.isnan(scores[("p2", "B")])  # only "don't know"
    assert scores[("p1", "B")] == 5


def test_item_figures_exclude_dont_know_and_keep_the_distribution() -> None:
    items = stats.item_stats(frame(), Q).set_index("item")
    a1 = items.loc["A1"]
    # A1 answers 4, 5, 2 (p3 did not know): mean 11/3; sample SD sqrt(7/3) = 1.5275.
    assert a1["n"] == 3 and a1["dont_know"] == 1
    assert a1["mean"] == pytest.approx(11 / 3)
    assert a1["sd"] == pytest.approx(math.sqrt(7 / 3))
    assert (a1["median"], a1["min"], a1["max"]) == (4, 2, 5)
    assert [a1[str(p)] for p in range(1, 6)] == [0, 1, 0, 1, 1]
    a2 = items.loc["A2"]
    # A2 answers 2, 1, 4: as given mean 7/3; reverse-scored 4, 5, 2: mean 11/3.
    assert a2["mean"] == pytest.approx(7 / 3) and a2["score_mean"] == pytest.approx(11 / 3)
    assert [a2[str(p)] for p in range(1, 6)] == [1, 1, 0, 1, 0]  # answers as given
    assert items.loc["A3", "n"] == 3 and items.loc["A3", "dont_know"] == 1


def test_dimension_figures_over_people_with_a_score() -> None:
    dims = stats.dimension_stats(stats.person_scores(frame(), Q), Q).set_index("dimension")
    a = dims.loc["A"]
    # A scores 4, 13/3, 2 (p3 has none): mean 31/9 = 3.444; SD = 1.2620.
    assert a["n"] == 3
    assert a["mean"] == pytest.approx(31 / 9)
    assert a["sd"] == pytest.approx(1.26198, abs=1e-4)
    assert a["median"] == pytest.approx(4.0)
    # Scores are counted at their nearest scale point: 4 and 4.33 at 4, 2 at 2.
    assert [a[str(p)] for p in range(1, 6)] == [0, 1, 0, 2, 0]
    b = dims.loc["B"]
    assert (b["n"], b["mean"], b["sd"]) == (3, 4.0, 1.0)


def test_small_groups_are_withheld_with_a_reason() -> None:
    dims = stats.dimension_stats(stats.person_scores(frame(), Q), Q)
    spread = ["sd", "1", "2", "3", "4", "5"]
    # Three people: their mean is shown, their spread is not (it would be their answers).
    shown = stats.withhold(dims, GroupRule(3), figures=["mean"], spread=spread)
    for _i, row in shown.iterrows():
        assert row["n"] == 3 and row["mean"] is not None and row["sd"] is None
        assert row["4"] is None
        assert row[stats.NOTE] == "Spread withheld: fewer than 5 people answered"
    hidden = stats.withhold(dims, GroupRule(4), figures=["mean"], spread=spread)
    for _i, row in hidden.iterrows():
        assert row["n"] is None and row["mean"] is None and row["4"] is None
        assert row[stats.NOTE] == "Withheld: fewer than 4 people answered"


RATED = parse(
    BASE
    | {
        "scale": {"low": 1, "high": 6},
        "dimensions": [{"id": "R", "title": "Reliability", "items": [{"id": "R1", "text": "r"}]}],
        "rate_each": {},
    }
)


def rated(rows: list[tuple[str, str, str, str, int]]) -> pd.DataFrame:
    """(respondent, rater organisation, rated organisation, perspective, answer)."""
    long = stats.answers_frame(
        [
            {
                "respondent": who,
                "rater_group": org,
                "target": target,
                "perspective": side,
                "answers": {"R1": value},
            }
            for who, org, target, side, value in rows
        ],
        RATED,
    )
    return stats.person_scores(long, RATED)


def test_gap_between_self_view_and_partners_view() -> None:
    scores = rated(
        [
            ("c1", "Council", "Council", "self", 5),
            ("c2", "Council", "Council", "self", 5),
            ("c3", "Council", "Council", "self", 6),
            ("n1", "NHS", "Council", "other", 3),
            ("n2", "NHS", "Council", "other", 4),
            ("p1", "Police", "Council", "other", 2),
        ]
    )
    (row,) = stats.gap_table(scores, RATED, GroupRule(3)).to_dict("records")
    # Self 16/3 = 5.33, partners 3.0: a gap of 2.33, a blind spot, low trust. Three
    # partners' spread (SD 1, lowest 2, highest 4) would be their answers: withheld.
    assert row["self_n"] == 3 and row["self_mean"] == pytest.approx(16 / 3)
    assert row["partner_n"] == 3 and row["partner_mean"] == pytest.approx(3.0)
    assert math.isnan(row["partner_sd"]) and math.isnan(row["partner_max"])
    assert row["gap"] == pytest.approx(7 / 3)
    assert row["flags"] == "blind spot, low"
    assert "spread from fewer than 5 people withheld" in row[stats.NOTE]


def test_partners_spread_from_five_people() -> None:
    # Partners answer 1, 2, 4, 4, 5: mean 3.2, SD sqrt(10.8 / 4) = 1.6432, range 1 to 5.
    scores = rated(
        [(f"c{i}", "Council", "Council", "self", 5) for i in range(3)]
        + [(f"n{i}", "NHS", "Council", "other", v) for i, v in enumerate([1, 2, 4, 4, 5])]
    )
    (row,) = stats.gap_table(scores, RATED, GroupRule(3)).to_dict("records")
    assert row["partner_n"] == 5 and row["partner_mean"] == pytest.approx(3.2)
    assert row["partner_sd"] == pytest.approx(1.6432, abs=1e-4)
    assert (row["partner_min"], row["partner_max"]) == (1.0, 5.0)
    assert "contested" in row["flags"]  # a range of 4 on a 1–6 scale
    # A facilitator's k of 6 withholds the same five partners altogether.
    (strict,) = stats.gap_table(scores, RATED, GroupRule(6)).to_dict("records")
    assert strict["partner_n"] is None and math.isnan(strict["partner_mean"])


def test_no_gap_is_shown_when_either_side_is_too_small() -> None:
    scores = rated(
        [
            ("c1", "Council", "Council", "self", 6),
            ("c2", "Council", "Council", "self", 6),
            ("n1", "NHS", "Council", "other", 1),
            ("n2", "NHS", "Council", "other", 2),
            ("n3", "NHS", "Council", "other", 3),
        ]
    )
    (row,) = stats.gap_table(scores, RATED, GroupRule(3)).to_dict("records")
    assert row["self_n"] is None and math.isnan(row["self_mean"]) and math.isnan(row["gap"])
    assert row["partner_mean"] == pytest.approx(2.0)
    assert "Self-view from fewer than 3 people withheld" in row[stats.NOTE]


def test_a_withheld_cell_cannot_be_worked_out_from_the_cells_beside_it() -> None:
    # Partners' mean of the Council (4 people) is shown in the gap table. With the NHS
    # cell (3 people) shown too, the lone Police rater's answer would follow by subtraction.
    scores = rated(
        [
            ("n1", "NHS", "Council", "other", 3),
            ("n2", "NHS", "Council", "other", 4),
            ("n3", "NHS", "Council", "other", 5),
            ("p1", "Police", "Council", "other", 1),
        ]
    )
    matrix = stats.rater_matrix(scores, RATED, GroupRule(3)).set_index("rater_group")
    assert matrix.loc["Police", "mean"] is None and matrix.loc["Police", "n"] is None
    assert matrix.loc["NHS", "mean"] is None  # withheld as well
    assert "cannot be worked out" in matrix.loc["NHS", stats.NOTE]


def test_cells_are_shown_when_the_withheld_ones_cover_enough_people() -> None:
    scores = rated(
        [(f"n{i}", "NHS", "Council", "other", 4) for i in range(3)]
        + [(f"f{i}", "Fire", "Council", "other", 2) for i in range(3)]
        + [("p1", "Police", "Council", "other", 1), ("p2", "Police", "Council", "other", 6)]
    )
    matrix = stats.rater_matrix(scores, RATED, GroupRule(3)).set_index("rater_group")
    # Police (2 people) is withheld, then the smallest shown cell with it: together 5.
    assert matrix.loc["Police", "mean"] is None
    assert [matrix.loc[g, "mean"] is None for g in ("NHS", "Fire")].count(True) == 1
