"""The team's chosen reframes reach the public narrative's story of now as suggestions: a
button puts one into the member's challenge, after what they wrote, never by itself.
Driven through the real wizard; the reframing plugin is installed beside this one."""

from __future__ import annotations

from typing import Any

from placekit_relationships import narrative_model as m

from placekit.testing import TestWorkbook

REFRAME = "How might people get the right help, the first time, close to home?"
OTHER = "What keeps young people safe after school?"


def choose_reframe(workbook: TestWorkbook, number: int, reframe: str) -> None:
    """What the reframing exercise saves once a team has chosen a reframe for a problem."""
    team = workbook.responses("reframing", member="Cai")
    team.save("problem", f"p{number}", {"statement": f"Problem {number}"}, 0)
    team.save("reframe", f"r{number}", {"problem": f"p{number}", "text": reframe}, 0)
    team.save("decision", f"p{number}", {"chosen": f"r{number}"}, 0)


def test_a_chosen_reframe_is_offered_for_the_challenge_and_put_after_what_is_written(
    exercise_driver: Any, placekit_workbook: TestWorkbook
) -> None:
    ann = exercise_driver("narrative", member="Ann").goto("now")
    assert "Reframes your team has chosen" not in ann.text  # nothing chosen yet
    choose_reframe(placekit_workbook, 1, REFRAME)
    choose_reframe(placekit_workbook, 2, OTHER)
    ann = exercise_driver("narrative", member="Ann").goto("now")
    assert "Reframes your team has chosen" in ann.text
    # Suggested only: the challenge is as the member left it (empty) until they choose.
    assert ann.inputs()["mine.now_challenge"].value == ""
    assert ann.saved("draft", "mine") == {}
    ann.fill({"mine.now_challenge": "People wait hours in A&E."})
    ann.press(f"Add “{REFRAME}” to your challenge")
    expected = f"People wait hours in A&E.\n\n{REFRAME}"
    assert ann.saved("draft", "mine")["now_challenge"] == expected
    assert ann.inputs()["mine.now_challenge"].value == expected  # on screen, to edit
    # Used: not offered again; the other one still is.
    assert f"Add “{REFRAME}” to your challenge" not in ann.buttons()
    assert f"Add “{OTHER}” to your challenge" in ann.buttons()
    assert ann.errors == []


def test_another_members_draft_is_untouched(
    exercise_driver: Any, placekit_workbook: TestWorkbook
) -> None:
    choose_reframe(placekit_workbook, 1, REFRAME)
    ann = exercise_driver("narrative", member="Ann").goto("now")
    ann.press(f"Add “{REFRAME}” to your challenge")
    assert ann.saved("draft", "mine")["now_challenge"] == REFRAME
    bob = exercise_driver("narrative", member="Bob").goto("now")
    assert bob.inputs()["mine.now_challenge"].value == ""
    assert f"Add “{REFRAME}” to your challenge" in bob.buttons()


def test_unused_ignores_case_and_punctuation_and_with_suggestion_keeps_the_text() -> None:
    assert m.unused("We ask: how might people get the right help - the first time, close to"
                    " home?", [REFRAME, OTHER]) == [OTHER]  # fmt: skip
    assert m.unused("", [REFRAME, "  "]) == [REFRAME]
    assert m.unused("safer", ["safe"]) == ["safe"]  # a whole-word match, not a part of one
    assert m.with_suggestion(None, REFRAME) == REFRAME
    assert m.with_suggestion("Mine.  \n", REFRAME) == f"Mine.\n\n{REFRAME}"
