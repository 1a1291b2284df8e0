"""Tests for placekit_triage.scoring against hand-worked figures and a published example."""

from __future__ import annotations

import math
from fractions import Fraction

import pandas as pd
import pytest
from placekit_triage import items
from placekit_triage.scoring import (
    Score,
    classify,
    complete_raters,
    fleiss_kappa,
    framing_bias,
    issue_summary,
    kappa_band,
    most_common,
    score,
    scored,
    team_kappa,
    uncertainty_at,
)


def answers(c: tuple[int, int, int] = (0, 0, 0), w: tuple[int, ...] = (0,) * 9) -> dict[str, int]:
    assert len(w) == 9
    return dict(zip(items.ITEM_IDS, (*c, *w), strict=True))


# --------------------------------------------------------------------------------------------
# items


def test_items_follow_table_b4():
    assert [i.id for i in items.ITEMS] == list(items.ITEM_IDS)
    assert items.ITEM_IDS == (
        "C1",
        "C2",
        "C3",
        "W1",
        "W2",
        "W3",
        "W4",
        "W5",
        "W6",
        "W7",
        "W8",
        "W9",
    )
    assert [i.group for i in items.ITEMS] == ["critical"] * 3 + ["wicked"] * 9
    by_id = {i.id: i for i in items.ITEMS}
    assert by_id["W3"].labels == ("Clearly", "Partly", "No / disputed")
    assert by_id["C2"].labels == ("No", "Some would", "Yes")
    assert by_id["W4"].question == "Would we know when it is finished?"
    assert set(items.MODE_FOR_TYPE) == set(items.TYPES)
    assert len(items.DIALOGUE_PROMPTS) == 6


# --------------------------------------------------------------------------------------------
# score()


def test_all_zero_is_tame():
    assert score(answers()) == Score(0, 0.0, 0.0, 0.0, "tame")


def test_collaboration_and_uncertainty_use_their_own_items():
    #            W1 W2 W3 W4 W5 W6 W7 W8 W9
    s = score(answers(w=(2, 1, 0, 1, 2, 2, 0, 1, 1)))
    assert s.critical_score == 0
    assert s.wicked_index == pytest.approx(10 / 18)
    assert s.collaboration == pytest.approx(0.75)  # mean(W2=1, W5=2, W6=2, W8=1) / 2
    assert s.uncertainty == pytest.approx(0.4)  # mean(W1=2, W3=0, W4=1, W7=0, W9=1) / 2
    assert s.type == "mixed"


def test_all_two_is_wicked_with_full_axes():
    s = score(answers(w=(2,) * 9))
    assert (s.wicked_index, s.collaboration, s.uncertainty, s.type) == (1.0, 1.0, 1.0, "wicked")


@pytest.mark.parametrize(
    ("w", "index", "expected"),
    [
        # W-sums are integers, so the thresholds fall between sums: 0.60 * 18 = 10.8 and
        # 0.35 * 18 = 6.3. These are the sums either side of each threshold.
        ((2, 2, 2, 2, 2, 1, 0, 0, 0), 11 / 18, "wicked"),  # 0.611
        ((2, 2, 2, 2, 2, 0, 0, 0, 0), 10 / 18, "mixed"),  # 0.556
        ((1, 1, 1, 1, 1, 1, 1, 0, 0), 7 / 18, "mixed"),  # 0.389
        ((1, 1, 1, 1, 1, 1, 0, 0, 0), 6 / 18, "tame"),  # 0.333
    ],
)
def test_wicked_index_thresholds(w, index, expected):
    s = score(answers(w=w))
    assert s.wicked_index == pytest.approx(index)
    assert s.type == expected


def test_classify_at_exact_thresholds():
    assert classify(0, 0, 0.60) == "wicked"
    assert classify(0, 0, 0.5999999) == "mixed"
    assert classify(0, 0, 0.35) == "mixed"
    assert classify(0, 0, 0.3499999) == "tame"
    assert classify(2, 5, 0.0) == "critical"
    assert classify(1, 5, 0.0) == "tame"


def test_critical_needs_c1_two_and_score_five():
    s = score(answers(c=(2, 2, 1)))
    assert (s.critical_score, s.type) == (5, "critical")
    # The same total without C1 = 2 is not a crisis: the scale decides instead.
    s = score(answers(c=(1, 2, 2)))
    assert (s.critical_score, s.type) == (5, "tame")
    s = score(answers(c=(2, 1, 1)))
    assert (s.critical_score, s.type) == (4, "tame")
    s = score(answers(c=(2, 2, 2), w=(2,) * 9))
    assert (s.critical_score, s.type) == (6, "critical")  # the gate beats the wicked scale


def test_score_accepts_integral_floats_from_dataframes():
    a = {k: float(v) for k, v in answers(c=(2, 2, 1)).items()}
    s = score(a)
    assert s.critical_score == 5 and isinstance(s.critical_score, int)


def test_score_rejects_missing_item():
    a = answers()
    del a["W3"]
    with pytest.raises(ValueError, match="W3"):
        score(a)


@pytest.mark.parametrize("bad", [3, -1, 1.5, "2", None, True, math.nan, pd.NA])
def test_score_rejects_out_of_range(bad):
    a = answers()
    a["C2"] = bad
    with pytest.raises(ValueError, match="C2"):
        score(a)


# --------------------------------------------------------------------------------------------
# Fleiss' kappa

# Worked example from the Wikipedia article "Fleiss' kappa",
# https://en.wikipedia.org/wiki/Fleiss%27_kappa#Worked_example (10 subjects, 14 raters,
# 5 categories; the article gives P-bar = 0.378, P-bar-e = 0.213, kappa = 0.210).
# Method: Fleiss, J. L. (1971). Measuring nominal scale agreement among many raters.
# Psychological Bulletin, 76(5), 378-382.
# Checked by hand: sum_i (sum_j n_ij^2 - 14) = 688, so P-bar = 688 / (10 * 14 * 13) = 172/455;
# column totals 20, 28, 39, 21, 32 give P-bar-e = 4170 / 140^2 = 417/1960;
# kappa = (172/455 - 417/1960) / (1 - 417/1960) = 4211/20059 = 0.2099307...
WIKIPEDIA_TABLE = [
    [0, 0, 0, 0, 14],
    [0, 2, 6, 4, 2],
    [0, 0, 3, 5, 6],
    [0, 3, 9, 2, 0],
    [2, 2, 8, 1, 1],
    [7, 7, 0, 0, 0],
    [3, 2, 6, 3, 0],
    [2, 5, 3, 2, 2],
    [6, 5, 2, 1, 0],
    [0, 2, 2, 3, 7],
]


def test_fleiss_kappa_wikipedia_worked_example():
    kappa = fleiss_kappa(WIKIPEDIA_TABLE)
    assert kappa == pytest.approx(float(Fraction(4211, 20059)), abs=1e-12)
    assert round(kappa, 3) == 0.210
    assert kappa_band(kappa) == "fair"


def test_fleiss_kappa_accepts_a_dataframe():
    frame = pd.DataFrame(WIKIPEDIA_TABLE, columns=list("abcde"))
    assert fleiss_kappa(frame) == pytest.approx(4211 / 20059, abs=1e-12)


def test_fleiss_kappa_perfect_agreement_is_one():
    assert fleiss_kappa([[3, 0, 0], [0, 3, 0], [0, 0, 3], [3, 0, 0]]) == pytest.approx(1.0)


def test_fleiss_kappa_single_category_is_undefined():
    assert math.isnan(fleiss_kappa([[3, 0], [3, 0]]))


@pytest.mark.parametrize(
    "table",
    [
        [[2, 1], [1, 1]],  # unequal number of raters
        [[3, 0]],  # one subject
        [],  # no subjects
        [[1, 0], [0, 1]],  # one rater
        [[3, -1], [1, 1]],  # negative count
    ],
)
def test_fleiss_kappa_rejects_bad_tables(table):
    with pytest.raises(ValueError):
        fleiss_kappa(table)


@pytest.mark.parametrize(
    ("kappa", "band"),
    [
        (-0.05, "poor"),
        (0.0, "slight"),
        (0.20, "slight"),
        (0.21, "fair"),
        (0.40, "fair"),
        (0.41, "moderate"),
        (0.60, "moderate"),
        (0.61, "substantial"),
        (0.80, "substantial"),
        (0.81, "almost perfect"),
        (1.0, "almost perfect"),
    ],
)
def test_kappa_band(kappa, band):
    assert kappa_band(kappa) == band


def test_kappa_band_rejects_nan():
    with pytest.raises(ValueError):
        kappa_band(math.nan)


# --------------------------------------------------------------------------------------------
# A small team worked by hand: members m1..m3, issues I1..I3.
#
#        C1 C2 C3 | W1 W2 W3 W4 W5 W6 W7 W8 W9 | W-sum  type      gut
# I1 m1   0  0  0 |  0  0  0  0  0  0  0  0  0 |   0    tame      tame
# I1 m2   0  0  0 |  1  0  1  0  1  0  1  0  0 |   4    tame      tame
# I1 m3   0  0  0 |  1  2  1  1  2  1  0  1  0 |   9    mixed     tame
# I2 m1   0  0  0 |  2  2  2  2  2  2  2  2  2 |  18    wicked    wicked
# I2 m2   1  1  0 |  2  2  1  2  2  1  2  1  1 |  14    wicked    critical
# I2 m3   2  2  0 |  1  1  1  1  2  1  2  1  1 |  11    wicked    critical   (C=4: no crisis)
# I3 m1   2  2  1 |  1  1  1  1  2  1  1  1  0 |   9    critical  critical
# I3 m2   1  2  2 |  1  1  1  1  1  1  1  2  1 |  10    mixed     wicked     (C=5, C1=1)
# I3 m3   1  2  1 |  2  2  2  2  0  1  1  1  2 |  13    wicked    wicked
TEAM_ROWS = [
    ("I1", "m1", "tame", (0, 0, 0), (0, 0, 0, 0, 0, 0, 0, 0, 0)),
    ("I1", "m2", "tame", (0, 0, 0), (1, 0, 1, 0, 1, 0, 1, 0, 0)),
    ("I1", "m3", "tame", (0, 0, 0), (1, 2, 1, 1, 2, 1, 0, 1, 0)),
    ("I2", "m1", "wicked", (0, 0, 0), (2, 2, 2, 2, 2, 2, 2, 2, 2)),
    ("I2", "m2", "critical", (1, 1, 0), (2, 2, 1, 2, 2, 1, 2, 1, 1)),
    ("I2", "m3", "critical", (2, 2, 0), (1, 1, 1, 1, 2, 1, 2, 1, 1)),
    ("I3", "m1", "critical", (2, 2, 1), (1, 1, 1, 1, 2, 1, 1, 1, 0)),
    ("I3", "m2", "wicked", (1, 2, 2), (1, 1, 1, 1, 1, 1, 1, 2, 1)),
    ("I3", "m3", "wicked", (1, 2, 1), (2, 2, 2, 2, 0, 1, 1, 1, 2)),
]


def team_frame(rows=TEAM_ROWS) -> pd.DataFrame:
    records = []
    for issue, member, gut, c, w in rows:
        records.append(
            {
                "issue_id": issue,
                "member_id": member,
                "gut_call": gut,
                **answers(c, w),
                "revised_call": pd.NA,
            }
        )
    return pd.DataFrame(records)


@pytest.fixture
def team() -> pd.DataFrame:
    return scored(team_frame())


def test_scored_adds_columns_and_keeps_input(team):
    raw = team_frame()
    assert list(team.columns) == [
        *raw.columns,
        "critical_score",
        "wicked_index",
        "collaboration",
        "uncertainty",
        "computed_type",
    ]
    assert list(team["computed_type"]) == [
        "tame",
        "tame",
        "mixed",
        "wicked",
        "wicked",
        "wicked",
        "critical",
        "mixed",
        "wicked",
    ]
    assert list(team["critical_score"]) == [0, 0, 0, 0, 2, 4, 5, 5, 4]
    assert team["wicked_index"].tolist() == pytest.approx(
        [x / 18 for x in (0, 4, 9, 18, 14, 11, 9, 10, 13)]
    )
    assert "computed_type" not in raw.columns  # a copy, not the caller's frame


def test_scored_empty_input_keeps_columns():
    out = scored(pd.DataFrame())
    assert out.empty
    for col in (
        "issue_id",
        "member_id",
        "gut_call",
        *items.ITEM_IDS,
        "critical_score",
        "wicked_index",
        "collaboration",
        "uncertainty",
        "computed_type",
    ):
        assert col in out.columns


def test_scored_names_row_and_item_on_bad_answer():
    raw = team_frame()
    raw.loc[4, "W5"] = 7
    with pytest.raises(ValueError, match=r"I2.*m2.*W5"):
        scored(raw)
    raw = team_frame().drop(columns="C3")
    with pytest.raises(ValueError, match="C3"):
        scored(raw)


def test_scored_handles_na_answer_as_error():
    raw = team_frame()
    raw["W1"] = raw["W1"].astype("Int64")
    raw.loc[0, "W1"] = pd.NA
    with pytest.raises(ValueError, match="W1"):
        scored(raw)


def test_issue_summary_hand_figures(team):
    s = issue_summary(team)
    assert list(s.index) == ["I1", "I2", "I3"]
    assert s.index.name == "issue_id"
    assert "member_id" not in s.columns

    i1, i2, i3 = s.loc["I1"], s.loc["I2"], s.loc["I3"]
    assert (i1["n"], i1["tame"], i1["mixed"], i1["wicked"], i1["critical"]) == (3, 2, 1, 0, 0)
    assert (i1["gut_tame"], i1["gut_mixed"], i1["gut_wicked"], i1["gut_critical"]) == (3, 0, 0, 0)
    assert (i2["gut_wicked"], i2["gut_critical"]) == (1, 2)

    # Agreement ratio: modal count / n.
    assert i1["modal_type"] == "tame" and i1["agreement_ratio"] == pytest.approx(2 / 3)
    assert i2["modal_type"] == "wicked" and i2["agreement_ratio"] == 1.0
    # I3 is a three-way tie: the first type in TYPES order is shown, and it is flagged.
    assert i3["modal_type"] == "mixed" and i3["agreement_ratio"] == pytest.approx(1 / 3)
    assert list(s["agreement_flag"]) == [False, False, True]

    # Index spread: W-sums 0/4/9, 18/14/11, 9/10/13 (over 18).
    assert i1["index_range"] == pytest.approx(9 / 18)  # 0.50 >= 0.40
    assert i2["index_range"] == pytest.approx(7 / 18)  # 0.389 < 0.40
    assert i3["index_range"] == pytest.approx(4 / 18)
    assert i1["index_sd"] == pytest.approx(math.sqrt(61 / 3) / 18)  # sample SD
    assert i2["index_sd"] == pytest.approx(math.sqrt(37 / 3) / 18)
    assert i3["index_sd"] == pytest.approx(math.sqrt(13 / 3) / 18)
    assert list(s["spread_flag"]) == [True, False, False]

    # Gut-call mismatch.
    assert i1["mismatch_share"] == pytest.approx(1 / 3)
    assert i2["mismatch_share"] == pytest.approx(2 / 3)
    assert i3["mismatch_share"] == pytest.approx(1 / 3)  # gut "wicked" vs computed "mixed"
    assert list(s["mismatch_flag"]) == [False, True, False]

    # Disputed items by n*sum(x^2) - (sum x)^2: I1 W2=8, W5=6; I2 C1=C2=6 (tie, order);
    # I3 W5=W9=6 ahead of C1, C3, W1.. at 2 (tie, order).
    assert list(s["disputed_items"]) == ["W2, W5", "C1, C2", "W5, W9"]

    assert list(s["flagged"]) == [True, True, True]


def test_issue_summary_boundaries_and_single_member():
    wicked, tame = (2,) * 9, (0,) * 9
    rows = [
        # Five members, three computed wicked: ratio exactly 0.6 is not flagged; two of four
        # gut calls mismatch (one member gave none): share exactly 0.5 is flagged.
        ("A", "m1", "wicked", (0, 0, 0), wicked),
        ("A", "m2", "wicked", (0, 0, 0), wicked),
        ("A", "m3", "tame", (0, 0, 0), wicked),
        ("A", "m4", "wicked", (0, 0, 0), tame),
        ("A", "m5", None, (0, 0, 0), tame),
        # One member: no SD, no disputed items.
        ("B", "m1", "tame", (0, 0, 0), tame),
    ]
    s = issue_summary(scored(team_frame(rows)))
    a, b = s.loc["A"], s.loc["B"]
    assert a["agreement_ratio"] == pytest.approx(0.6) and not a["agreement_flag"]
    assert a["mismatch_share"] == pytest.approx(0.5) and a["mismatch_flag"]
    assert a["index_range"] == 1.0 and a["spread_flag"]
    assert b["n"] == 1 and math.isnan(b["index_sd"]) and b["index_range"] == 0.0
    assert b["disputed_items"] == "" and not b["flagged"]


def test_spread_flag_at_exactly_040():
    # W-sums cannot give a range of exactly 0.40 (7.2 / 18), so set the indexes directly;
    # 0.7 - 0.3 is 0.3999999999999999 in floating point and must still count as 0.40.
    frame = scored(
        team_frame(
            [
                ("A", "m1", "tame", (0, 0, 0), (0,) * 9),
                ("A", "m2", "tame", (0, 0, 0), (0,) * 9),
                ("B", "m1", "tame", (0, 0, 0), (0,) * 9),
                ("B", "m2", "tame", (0, 0, 0), (0,) * 9),
            ]
        )
    )
    frame["wicked_index"] = [0.3, 0.7, 0.3, 0.69]
    s = issue_summary(frame)
    assert list(s["spread_flag"]) == [True, False]


def test_disputed_items_only_where_people_disagree():
    same = (1, 0, 2, 1, 0, 2, 1, 0, 2)
    other = (1, 0, 2, 1, 0, 2, 1, 0, 1)  # differs only on W9
    s = issue_summary(
        scored(
            team_frame(
                [
                    ("A", "m1", "tame", (0, 0, 0), same),
                    ("A", "m2", "tame", (0, 0, 0), same),
                    ("B", "m1", "tame", (0, 0, 0), same),
                    ("B", "m2", "tame", (0, 0, 0), other),
                ]
            )
        )
    )
    assert list(s["disputed_items"]) == ["", "W9"]


def test_issue_summary_empty():
    s = issue_summary(scored(pd.DataFrame()))
    assert s.empty and "agreement_ratio" in s.columns and s.index.name == "issue_id"


def test_team_kappa_matches_hand_computation(team):
    # Counts per issue over (tame, mixed, wicked, critical): I1 (2,1,0,0), I2 (0,0,3,0),
    # I3 (0,1,1,1). P_i = 1/3, 1, 0 -> P-bar = 4/9. Totals 2,2,4,1 of 9 -> P-bar-e = 25/81.
    # kappa = (4/9 - 25/81) / (1 - 25/81) = 11/56.
    assert team_kappa(team) == pytest.approx(11 / 56)
    assert kappa_band(11 / 56) == "slight"


def test_team_kappa_ignores_members_who_skipped_an_issue(team):
    extra = scored(team_frame([("I1", "m4", "wicked", (2, 2, 2), (2,) * 9)]))
    assert team_kappa(pd.concat([team, extra], ignore_index=True)) == pytest.approx(11 / 56)


def test_team_kappa_none_when_too_little(team):
    assert team_kappa(team[team["issue_id"] == "I1"]) is None  # one issue
    assert team_kappa(team[team["member_id"] == "m1"]) is None  # one rater
    assert team_kappa(scored(pd.DataFrame())) is None


def test_team_kappa_over_the_issues_on_the_list_counts_only_who_rated_them_all(team):
    # A fourth issue, rated by m1 and m2 only (m3 has still to answer it): kappa over all
    # four issues is over m1 and m2 alone, and a fifth issue no one rated leaves no one.
    extra = scored(
        team_frame(
            [
                ("I4", "m1", "tame", (0, 0, 0), (0,) * 9),
                ("I4", "m2", "tame", (0, 0, 0), (0,) * 9),
            ]
        )
    )
    both = pd.concat([team, extra], ignore_index=True)
    issues = ["I1", "I2", "I3", "I4"]
    assert complete_raters(both, issues) == ["m1", "m2"]
    # m1, m2 over I1..I4: (tame, tame), (wicked, wicked), (critical, mixed), (tame, tame).
    # P_i = 1, 1, 0, 1 -> P-bar = 3/4. Shares: tame 4/8, mixed 1/8, wicked 2/8, critical
    # 1/8 -> P-bar-e = (16 + 1 + 4 + 1) / 64 = 22/64. kappa = (48/64 - 22/64) / (42/64).
    assert team_kappa(both, issues) == pytest.approx(26 / 42)
    assert team_kappa(both) == pytest.approx(26 / 42)  # the same issues, found in the data
    assert complete_raters(both, [*issues, "I5"]) == []
    assert team_kappa(both, [*issues, "I5"]) is None


def test_most_common_reports_every_type_of_a_tie():
    assert most_common({"tame": 2, "wicked": 1}) == ["tame"]
    assert most_common({"tame": 2, "wicked": 2, "critical": 0}) == ["tame", "wicked"]
    assert most_common({"critical": 1, "tame": 1, "wicked": 1}) == ["tame", "wicked", "critical"]
    assert most_common({}) == [] and most_common({"tame": 0}) == []


@pytest.mark.parametrize("collaboration", [0.0, 0.25, 0.5, 1.0])
@pytest.mark.parametrize("index", [0.35, 0.6])
def test_the_grint_zone_lines_have_the_index_they_stand_for(collaboration, index):
    # On the line, 4 collaboration + 5 uncertainty = 9 index (B.5's W items split 4 / 5).
    y = uncertainty_at(index, collaboration)
    assert (4 * collaboration + 5 * y) / 9 == pytest.approx(index)


def test_the_grint_axes_split_the_wicked_items_between_them():
    # What uncertainty_at relies on: each W item on exactly one axis.
    from placekit_triage.scoring import _COLLABORATION_ITEMS, _UNCERTAINTY_ITEMS

    assert sorted(_COLLABORATION_ITEMS + _UNCERTAINTY_ITEMS) == list(items.WICKED_ITEMS)


def test_framing_bias_aggregates_by_mode_only(team):
    # Modes of classifications: m1 management, leadership, command; m2 management,
    # leadership, leadership; m3 leadership x3. Team shares: command 1/9, management 2/9,
    # leadership 6/9.
    # m1 prefers command:    1/3 - 1/9 = 2/9   (not flagged)
    # m2 prefers leadership: 2/3 - 6/9 = 0     (not flagged)
    # m3 prefers leadership: 3/3 - 6/9 = 1/3   (flagged, >= 0.25)
    modes = pd.DataFrame(
        {"member_id": ["m1", "m2", "m3"], "preferred_mode": ["command", "lead", "leadership"]}
    )
    out = framing_bias(team, modes)
    assert list(out.columns) == ["preferred_mode", "members", "mean_bias", "flagged_members"]
    assert "member_id" not in out.columns
    assert not out.isin(["m1", "m2", "m3"]).any().any()
    rows = out.set_index("preferred_mode")
    assert list(rows.index) == ["command", "management", "leadership"]
    assert rows.loc["command", "members"] == 1
    assert rows.loc["command", "mean_bias"] == pytest.approx(2 / 9)
    assert rows.loc["command", "flagged_members"] == 0
    assert rows.loc["management", "members"] == 0
    assert math.isnan(rows.loc["management", "mean_bias"])
    assert rows.loc["leadership", "members"] == 2
    assert rows.loc["leadership", "mean_bias"] == pytest.approx(1 / 6)
    assert rows.loc["leadership", "flagged_members"] == 1


def test_framing_bias_flags_exactly_a_quarter():
    # Team of 4 classifications: m1 has critical + tame, m2 two tame -> command share 1/4.
    # m1 prefers command: 1/2 - 1/4 = 0.25, which is flagged (>=).
    rows = [
        ("I1", "m1", "critical", (2, 2, 2), (0,) * 9),
        ("I2", "m1", "tame", (0, 0, 0), (0,) * 9),
        ("I1", "m2", "tame", (0, 0, 0), (0,) * 9),
        ("I2", "m2", "tame", (0, 0, 0), (0,) * 9),
    ]
    modes = pd.DataFrame({"member_id": ["m1"], "preferred_mode": ["command"]})
    out = framing_bias(scored(team_frame(rows)), modes).set_index("preferred_mode")
    assert out.loc["command", "mean_bias"] == pytest.approx(0.25)
    assert out.loc["command", "flagged_members"] == 1


def test_framing_bias_rejects_unknown_mode(team):
    modes = pd.DataFrame({"member_id": ["m1"], "preferred_mode": ["dictate"]})
    with pytest.raises(ValueError, match="dictate"):
        framing_bias(team, modes)
