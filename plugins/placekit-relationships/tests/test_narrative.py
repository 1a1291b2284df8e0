"""Public narrative through the real wizard: draft, share, feedback from two peers, revise."""

from __future__ import annotations

from typing import Any

import pandas as pd
from placekit_relationships import narrative_model as m

import placekit
from placekit import esc
from placekit.testing import ExerciseDriver, TestWorkbook

FIRST = "My gran's flat flooded in 1998 and no one came. Our street came. Join the rota today."
SECOND = (
    "The night my gran's flat flooded in 1998, no one official came. Our street did. Sign up"
    " for the Thursday rota today."
)
UNSHARED = "a line I am not ready to share"


def draft(driver: ExerciseDriver, values: list[str], telling: str) -> None:
    driver.goto("purpose")
    driver.fill({"mine.purpose": "Safe homes after hospital", "mine.audience": "Ward staff"})
    driver.next().fill({"mine.now_ask": "Join the rota"}).next()
    driver.fill({"mine.us_values": "\n".join(values), "mine.us_story": "The 1998 floods"})
    driver.next().fill({"mine.self_choice": "I knocked on doors"}).next()
    assert driver.page == "link"
    driver.fill({"mine.linked_text": telling})
    driver.press("Share this version with the team")


def listen(driver: ExerciseDriver, teller: str, scores: list[int], moved: str) -> None:
    record = m.feedback_id(teller, 1)
    driver.goto(f"listen/{record}")
    assert esc(FIRST) in driver.text  # the shared version (escaped, as all typed text is)
    driver.fill({f"{record}.FB1": scores[0]})
    assert driver.errors  # half a scoring is not enough
    driver.fill({f"{record}.{c}": s for c, s in zip(m.RUBRIC_IDS, scores, strict=True)})
    driver.fill({f"{record}.moved": moved})
    assert driver.errors == []


def test_a_timed_telling_is_described_against_its_time_box() -> None:
    assert m.timing_note({}) == ""
    assert m.timing_note({"told_in_seconds": 155}) == (
        "Told in 2:35: within a time box of 3 minutes."  # three minutes unless chosen
    )
    assert m.timing_note({"told_in_seconds": 135, "time_box": 2}) == (
        "Told in 2:15: 0:15 over a time box of 2 minutes."
    )


def test_drafted_given_feedback_by_two_peers_revised_and_compared(
    exercise_driver: Any, placekit_workbook: TestWorkbook
) -> None:
    ann = exercise_driver("narrative", member="Ann")
    draft(ann, ["Neighbourliness", "Fairness"], FIRST)
    ann_id = placekit_workbook.join("Ann").id
    assert ann.saved("version", "v1")["linked_text"] == FIRST

    ben = exercise_driver("narrative", member="Ben")
    assert UNSHARED not in ben.text
    listen(ben, ann_id, [4, 3, 3, 4, 2, 1, 3], "The flood")
    cara = exercise_driver("narrative", member="Cara")
    listen(cara, ann_id, [4, 4, 2, 4, 2, 2, 3], "Our street came")
    draft(cara, ["neighbourliness", "Courage"], "Cara's telling")

    # Ann revises after hearing the feedback and shares again.
    ann.goto("link")
    ann.fill({"mine.linked_text": SECOND})
    ann.press("Share this version with the team")
    ann.goto("self").fill({"mine.self_values": UNSHARED})  # a draft change she has not shared
    ann.goto("revise")
    text = ann.text
    assert "Version 1" in text and "Version 2" in text
    assert esc(FIRST) in text and esc(SECOND) in text  # both versions shown
    assert "What changed from version 1 to 2" in text
    table = m.criterion_table(ann.responses, ann_id)
    assert list(table["Version 1 n"]) == [2] * 7  # two listeners for every criterion
    assert list(table["Version 1 mean"]) == [4.0, 3.5, 2.5, 4.0, 2.0, 1.5, 3.0]
    focus = table.loc[table["Coaching focus"] == "yes", "Criterion"].str[:3]
    assert list(focus) == ["FB5", "FB6"]  # the two lowest
    radar = m.criterion_means(ann.responses, ann_id)
    assert list(radar) == ["Version 1"]  # version 2 has no feedback yet
    assert radar["Version 1"]["FB6"] == 1.5 and radar["Version 1"]["FB1"] == 4.0
    assert "Our street came" in text

    summary = placekit.open(placekit_workbook.facilitator_code).summary("narrative")
    board = summary.tables["Story of us: shared values"]
    assert board.iloc[0].to_dict() == {"Value": "Neighbourliness", "Members naming it": 2}
    per = summary.tables["Feedback per criterion"]
    # Means per criterion with n: Ann's version 1 had two listeners; Cara's story none.
    assert per.loc[0, "n"] == 2 and per.loc[0, "Mean"] == 4.0
    assert per.loc[5, "n"] == 2 and per.loc[5, "Mean"] == 1.5
    shared = summary.tables["Narratives shared"].set_index("Teller")
    # Ann shared two versions; the feedback so far is on version 1, and her row says so.
    assert shared.loc["Ann", "Versions"] == 2 and shared.loc["Ann", "Feedback on version"] == 1
    assert shared.loc["Ann", "Mean score"] == 2.93  # version 1's mean over the seven
    assert shared.loc["Ann", "Listeners"] == 2
    # Cara has had no feedback: her cells are empty ("—" on the page), and the counts
    # stay whole numbers ("2", never "2.0").
    assert shared.loc["Cara", "Versions"] == 1 and pd.isna(shared.loc["Cara", "Listeners"])
    shown = placekit.table_html(summary.tables["Narratives shared"])
    assert "2.0" not in shown and "—" in shown
    everything = " ".join(t.to_csv() for t in summary.tables.values())
    assert UNSHARED not in everything  # drafts are the member's own
    frames = placekit.open(placekit_workbook.facilitator_code).frames("narrative")
    assert "draft" not in frames
