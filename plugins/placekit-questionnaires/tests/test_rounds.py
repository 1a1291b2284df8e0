"""A facilitator compares a team's results between two rounds of a self-assessment."""

from __future__ import annotations

import pandas as pd
import pytest

from placekit.questionnaires import close_round, open_next_round, submit
from placekit.testing import TestWorkbook

EXERCISE = "five-ways-to-wellbeing"


@pytest.fixture
def five_ways(placekit_workbook: TestWorkbook):
    wb = placekit_workbook
    ex = wb.exercise(EXERCISE)

    def answer_round(number: int, connect: list[int]) -> None:
        for value in connect:
            name = f"r{len(wb.members)}"  # a new respondent each time
            wb.join(name, anonymous=True)
            mine = wb.responses(EXERCISE, name)
            answers = {"CONNECT": value, "ACTIVE": 3, "NOTICE": "dk", "LEARN": 2, "GIVE": 4}
            mine.save("answers", f"r{number}", answers, 0)
            mine.save("profile", f"r{number}", {"focus": "connect", "action": "Call Sam"}, 0)
            submit(mine)

    return wb, ex, answer_round


def test_two_closed_rounds_are_compared(five_ways) -> None:
    wb, ex, answer_round = five_ways
    facilitator = wb.responses(EXERCISE)
    answer_round(1, [2, 2, 3])
    close_round(facilitator)
    open_next_round(wb.responses(EXERCISE))
    answer_round(2, [4, 5, 4, 3, 4])
    close_round(wb.responses(EXERCISE))
    summary = ex.summarise(wb.responses(EXERCISE))
    change = summary.tables["Change between rounds"].set_index("Dimension")
    # Connect: round 1 mean 7/3 = 2.33 (3 people), round 2 mean 20/5 = 4.0 (5 people).
    assert change.loc["Connect", "Round 1 people"] == 3
    assert change.loc["Connect", "Round 1 mean"] == pytest.approx(2.33)
    assert change.loc["Connect", "Round 2 people"] == 5
    assert change.loc["Connect", "Round 2 mean"] == pytest.approx(4.0)
    assert change.loc["Connect", "Change"] == pytest.approx(1.67)
    # Everyone said "prefer not to say" for Take notice: counted, never averaged.
    assert change.loc["Take notice"].isna()[["Round 1 mean", "Round 2 mean", "Change"]].all()
    dims = summary.tables["Dimensions (round 2)"].set_index("Dimension")
    assert dims.loc["Connect", "People"] == 5
    statements = summary.tables["Statements (round 2)"].set_index("Statement")
    notice = statements.filter(like="notice", axis=0).iloc[0]
    assert notice["Don't know"] == 5 and notice["People"] == 0
    # Both rounds are drawn on the compass, one polygon each.
    datasets = summary.figures["Compass"].chart().to_dict()["datasets"].values()
    series = {row["Series"] for rows in datasets for row in rows if "Series" in row}
    assert series == {"Round 1", "Round 2"}
    chosen = summary.tables["Chosen to work on"].set_index("Dimension")
    assert chosen.loc["Connect", "People"] == 5 and chosen.loc["Give", "People"] == 0
    comments = summary.tables["Comments"]
    assert list(comments["Comment"]) == ["Call Sam"] * 5


def test_a_round_with_too_few_people_shows_no_figures(five_ways) -> None:
    wb, ex, answer_round = five_ways
    answer_round(1, [5, 1])
    close_round(wb.responses(EXERCISE))
    summary = ex.summarise(wb.responses(EXERCISE))
    dims = summary.tables["Dimensions"]
    assert dims["Mean"].isna().all()
    dims = dims.set_index("Dimension")
    assert dims.loc["Connect", "Note"] == "Withheld: fewer than 3 people answered"
    assert pd.isna(dims.loc["Connect", "People"])
    # No one gave a rating for Take notice: nothing to withhold, and nothing to show.
    assert dims.loc["Take notice", "People"] == 0 and dims.loc["Take notice", "Note"] == ""
    assert summary.tables["Comments"]["Comment"].isna().all()
