"""Moving around the wizard as a member does (GOV.UK patterns), on the core tests' own small
exercise: the task list's rows open their step, a change made from "check your answers"
comes back to it, the last page leads back to all exercises, a member whose page is closed
to them lands on what needs them, and the conflict box shows values as a member reads them.
"""

from __future__ import annotations

import pytest

from placekit.exercise import Field, Page
from placekit.testing import TestWorkbook, assert_plain_text, html_of, press
from placekit.web.wizard import Wizard, position_key, shown_value, step_states
from tests.fixture_exercise import (
    CHECK_IN,
    check_in_fixture,  # noqa: F401 - the ``check_in`` fixture
)


def ready_to_confirm(check_in: TestWorkbook, name: str = "Ann") -> Wizard:
    """A member with the team's items listed and their answers given, on the check page."""
    wz = check_in.wizard(CHECK_IN, name)
    for title in ("Tea urn", "Biscuits"):
        press(wz, "Add an item")
        item_id = list(wz.responses.records("item"))[-1]
        wz.context.inputs[f"{item_id}.title"].value = title
        wz.context.flush()
    wz.next.click()
    wz.context.inputs["me.mood"].value = "Fine"
    wz.context.inputs["me.energy"].value = 3
    wz.context.flush()
    wz.next.click()
    assert wz.page.id == "check"
    return wz


def test_a_change_made_from_check_your_answers_comes_back_to_it(check_in: TestWorkbook) -> None:
    wz = ready_to_confirm(check_in)
    wz.goto("items")  # what a "Change" button on the check page does
    assert wz.page.id == "items"
    wz.next.click()  # not on to the next page in order ("answers"): back to the check page
    assert wz.page.id == "check"
    wz.goto("answers")
    wz.back.click()  # Back returns there too
    assert wz.page.id == "check"
    # Remembered across a reload, like the page itself.
    wz.goto("items")
    again = check_in.wizard(CHECK_IN, "Ann")
    assert again.page.id == "items"
    again.next.click()
    assert again.page.id == "check"
    # Moving on from the check page itself is as usual, and nothing is remembered after.
    again.next.click()  # confirm
    assert again.page.id == "after"
    again.goto("items")
    again.next.click()
    assert again.page.id == "answers"


def test_the_task_list_rows_open_their_step_and_locked_ones_are_not_links(
    check_in: TestWorkbook,
) -> None:
    wz = check_in.wizard(CHECK_IN, "Ann")
    assert wz.tasks.links == ["items", "answers", None, None, "trouble"]
    with pytest.raises(ValueError, match="no link to step 'check'"):
        wz.tasks.choose("check")
    wz.tasks.choose("trouble")  # as a click on the row does
    assert wz.page.id == "trouble"
    wz.tasks.choose("answers")
    assert wz.page.id == "answers"
    wz = ready_to_confirm(check_in, "Bob")
    assert wz.tasks.links == ["items", "answers", "check", None, "trouble"]
    wz.tasks.choose("items")
    wz.next.click()  # opened from the task list, not a change: on in order
    assert wz.page.id == "answers"


def test_a_step_is_completed_only_once_its_answers_are_confirmed(check_in: TestWorkbook) -> None:
    wz = ready_to_confirm(check_in)
    assert "Completed" not in wz.tasks.value
    wz.next.click()  # confirm
    assert wz.tasks.value.count("Completed") == 4  # all but "Trouble", never opened


def test_the_last_page_leads_back_to_all_exercises(check_in: TestWorkbook) -> None:
    wz = check_in.wizard(CHECK_IN, "Ann")
    wz.set_home("https://example.org/index?code=abc")
    assert wz.finish.value == ""  # not on the first page
    wz.goto("trouble")  # the last page
    assert wz.next.disabled
    assert 'href="https://example.org/index?code=abc">Back to all exercises</a>' in wz.finish.value


def test_a_member_whose_page_is_closed_to_them_lands_on_what_needs_them(
    check_in: TestWorkbook,
) -> None:
    wz = ready_to_confirm(check_in)
    wz.next.click()  # confirm
    assert wz.page.id == "after"
    # The exercise now needs something of Ann before "after" opens again (here: a changed
    # answer makes her confirmation void).
    answers = check_in.responses(CHECK_IN, "Ann")
    answers.save("answer", "me", {"mood": "", "energy": 3}, answers.entry("answer", "me").version)
    entry = answers.entry("confirmation", "me")
    answers.save("confirmation", "me", None, entry.version)
    again = check_in.wizard(CHECK_IN, "Ann")
    assert again.page.id == "answers"  # not the first page: the one that needs her


def test_values_in_the_conflict_box_read_as_the_page_shows_them() -> None:
    choice = Field("mode", "Mode", type="choice", choices=(("leadership", "Leadership"),))
    assert shown_value(choice, "leadership") == "Leadership"
    assert shown_value(choice, "retired") == "retired"  # no longer an option: as stored
    scale = Field("n", "N", type="scale", low=1, high=2, choices=((1, "1 – low"), (2, "2")))
    assert shown_value(scale, 1) == "1 – low" and shown_value(scale, True) == "True"
    lines = Field("q", "Questions", type="lines")
    assert shown_value(lines, ["Who?", "Why here?"]) == "Who?\nWhy here?"
    many = Field("m", "M", type="multichoice", choices=(("a_b", "A and B"), ("c", "C")))
    assert shown_value(many, ["a_b", "c"]) == "A and B\nC"
    assert shown_value(Field("d", "D", type="date"), "2026-12-02") == "2 December 2026"
    assert shown_value(Field("b", "B", type="bool"), False) == "No"
    for empty in (None, "", []):
        assert shown_value(lines, empty) == "(blank)"


def test_a_conflict_on_a_text_field_marks_it_and_keeping_theirs_reads_as_saved(
    check_in: TestWorkbook,
) -> None:
    ann = check_in.wizard(CHECK_IN, "Ann")
    press(ann, "Add an item")
    item = list(ann.responses.records("item"))[-1]
    bob = check_in.wizard(CHECK_IN, "Bob")
    ann.context.inputs[f"{item}.title"].value = "Ann's urn"
    ann.context.flush()
    bob.context.inputs[f"{item}.title"].value = "Bob's urn"
    bob.context.flush()
    box = html_of(bob.conflict)
    assert "The versions differ in: “Item”." in box and "Differs" in box
    assert_plain_text(bob.conflict)
    press(bob.conflict, "Keep their version")
    assert "Saved: you kept their version" in bob.status.value
    assert bob.context.inputs[f"{item}.title"].value == "Ann's urn"


def test_a_later_rounds_check_page_holds_back_only_its_own_steps(check_in: TestWorkbook) -> None:
    """Two rounds of the same steps: round 1 confirmed, round 2 waiting. Round 1's steps
    before its own check page are not held back by round 2's."""

    def page(page_id: str, step: str, confirm: bool = False) -> Page:
        done = (lambda _r: None) if confirm else None
        return Page(page_id, step, page_id, lambda _c: None, confirm=done)

    responses = check_in.responses(CHECK_IN, "Ann")
    pages = [
        page("1/items", "items"),
        page("1/check", "check"),  # confirmed: listed with confirm=None
        page("1/after", "after"),
        page("2/answers", "answers"),
        page("2/check", "check", confirm=True),
        page("trouble", "trouble"),
    ]
    responses._put(position_key(responses.member), {"visited": [p.id for p in pages]}, 0)
    found = step_states(check_in.exercise(CHECK_IN), pages, responses)
    states = {step: state.value for step, state in found.items()}
    assert states == {
        "items": "Completed",  # round 1's, confirmed by round 1's check page
        "answers": "In progress",  # round 2's, waiting for round 2's
        "check": "In progress",
        "after": "In progress",  # between the two check pages: round 2 confirms it
        "trouble": "Completed",
    }
