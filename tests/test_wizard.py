"""The wizard driven from Python, as the page's widgets would be: real store, no browser.

On the tests' own small exercise (``tests/fixture_exercise.py``), not any plugin's wording.
"""

from __future__ import annotations

import logging
import re

import pytest

from placekit.data.responses import Responses
from placekit.data.store import Store
from placekit.testing import TestWorkbook, html_of, press
from placekit.web.wizard import Wizard, anchor_class
from tests.fixture_exercise import (
    CHECK_IN,
    CHECK_IN_PLUGIN,
    CheckIn,
    check_in_fixture,  # noqa: F401 - the ``check_in`` fixture
)

_TASK = re.compile(
    r'<li(?P<current> class="pk-current" aria-current="step")?><span>\d+\. (?P<title>[^<]*)'
    r'</span><span class="[^"]*">(?P<state>[^<]*)</span></li>'
)


def add_items(wz: Wizard, titles: list[str]) -> list[str]:
    """Press "Add an item" and type each title, as a member would; the new items' ids."""
    added = []
    for title in titles:
        press(wz, "Add an item")
        item_id = list(wz.responses.records("item"))[-1]
        wz.context.inputs[f"{item_id}.title"].value = title
        wz.context.flush()
        added.append(item_id)
    return added


def answer(wz: Wizard, mood: str, energy: int) -> None:
    wz.context.inputs["me.mood"].value = mood
    wz.context.inputs["me.energy"].value = energy
    wz.context.flush()


def task_list(wz: Wizard) -> dict[str, str]:
    """Step title -> the state the task list shows beside it."""
    return {m["title"]: m["state"] for m in _TASK.finditer(wz.tasks.value)}


def current_step(wz: Wizard) -> list[str]:
    return [m["title"] for m in _TASK.finditer(wz.tasks.value) if m["current"]]


def test_continue_goes_on_only_when_the_page_is_valid(check_in: TestWorkbook) -> None:
    wz = check_in.wizard(CHECK_IN, "Ann")
    assert wz.page.id == "items"
    # Continue is never greyed out (GOV.UK): pressing it stays and says what is wrong.
    assert not wz.next.disabled and not wz.can_continue
    assert wz.summary.value == ""
    wz.next.click()
    assert wz.page.id == "items"
    assert "Add at least 2 items (0 so far)" in wz.summary.value
    add_items(wz, ["Tea urn"])
    assert not wz.can_continue
    assert "Add at least 2 items (1 so far)" in wz.summary.value
    (second,) = add_items(wz, [""])
    wz.next.click()
    assert wz.page.id == "items"
    assert "Enter a title for item 2" in wz.summary.value
    assert "Add at least" not in wz.summary.value
    wz.context.inputs[f"{second}.title"].value = "Biscuits"
    wz.context.flush()
    assert wz.can_continue and wz.summary.value == ""
    wz.next.click()
    assert wz.page.id == "answers"


def test_continue_says_what_is_wrong_even_where_the_next_page_waits_on_others(
    check_in: TestWorkbook,
) -> None:
    wz = check_in.wizard(CHECK_IN, "Ann")
    wz.open_step("answers")  # the team's items are not listed yet: the check page waits
    assert wz.page.id == "answers" and task_list(wz)["Check your answers"] == "Cannot start yet"
    assert not wz.next.disabled
    wz.next.click()
    assert wz.page.id == "answers" and "There is a problem" in wz.summary.value
    answer(wz, "Busy, but fine", 4)
    # Now nothing on this page is wrong and there is nowhere to go: greyed out.
    assert wz.summary.value == "" and wz.next.disabled


def test_errors_show_only_after_a_failed_continue_each_linked_to_its_field(
    check_in: TestWorkbook,
) -> None:
    wz = check_in.wizard(CHECK_IN, "Ann")
    _first, second = add_items(wz, ["Tea urn", ""])
    slot = f"{second}.title"
    title = wz.context.inputs[slot]
    # Before the member has tried to go on: nothing red, nothing listed.
    assert wz.summary.value == ""
    assert "Enter a title for item 2" not in html_of(wz.body)
    classes = list(title._dom_classes)
    wz.next.click()
    # A Continue that fails: the summary is announced and takes focus (the page's script
    # focuses [data-pk-focus]); the error links to its field and shows beside it.
    assert 'role="alert"' in wz.summary.value and "data-pk-focus" in wz.summary.value
    assert "There is a problem" in wz.summary.value
    assert f'data-pk-field="{anchor_class(slot)}"' in wz.summary.value
    assert anchor_class(slot) in title._dom_classes
    assert "Error: </span>Enter a title for item 2" in html_of(wz.body)
    # The message beside it marks the question red; the input itself is left alone (a
    # change to a radio group's classes makes the browser redraw it and lose focus).
    assert list(title._dom_classes) == classes
    # Pressed again with the same error: announced again (a screen reader hears each try).
    first_try = wz.summary.value
    wz.next.click()
    assert wz.summary.value != first_try and 'role="alert"' in wz.summary.value
    # Put right: the message goes at once, quietly, and then the whole summary.
    title.value = "Biscuits"
    wz.context.flush()
    assert "Enter a title" not in html_of(wz.body)
    assert wz.summary.value == ""


def test_a_saved_change_that_leaves_the_errors_as_they_were_is_not_read_out_again(
    check_in: TestWorkbook,
) -> None:
    wz = check_in.wizard(CHECK_IN, "Ann")
    _first, second = add_items(wz, ["Tea urn", ""])
    wz.next.click()
    announced = wz.summary.value
    wz.context.inputs[f"{_first}.title"].value = "Tea urn, large"
    wz.context.flush()
    assert wz.summary.value == announced  # not redrawn: an alert redrawn is read out again
    (third,) = add_items(wz, [""])
    assert "Enter a title for item 3" in wz.summary.value  # the list follows the answers,
    assert 'role="alert"' not in wz.summary.value  # quietly
    assert "data-pk-focus" not in wz.summary.value  # and without taking focus


def test_moving_to_another_page_puts_focus_on_its_heading_and_titles_the_tab(
    check_in: TestWorkbook,
) -> None:
    wz = check_in.wizard(CHECK_IN, "Ann")
    # Opened (not moved to): focus stays where the browser puts it, at the top.
    assert "data-pk-focus" not in html_of(wz.body)
    assert 'data-pk-title="Step 1 of' in wz.progress.value
    add_items(wz, ["Tea urn", "Biscuits"])
    wz.next.click()
    heading = html_of(wz.body)
    assert '<h2 tabindex="-1" data-pk-focus>' in heading
    step = re.search(r'data-pk-title="([^"]*)"', wz.progress.value).group(1)
    assert step.startswith("Step 2 of ") and step.endswith(" – PlaceKit")
    assert wz.exercise.title in step
    wz.back.click()
    assert '<h2 tabindex="-1" data-pk-focus>' in html_of(wz.body)
    assert 'data-pk-title="Step 1 of' in wz.progress.value
    # A page rebuilt where it is (a record added) keeps focus where the member is.
    wz.context.rebuild()
    assert "data-pk-focus" not in html_of(wz.body)


def test_answers_and_the_page_resume_exactly_after_reopening(check_in: TestWorkbook) -> None:
    wz = check_in.wizard(CHECK_IN, "Ann")
    add_items(wz, ["Tea urn", "Biscuits"])
    wz.next.click()
    answer(wz, "Busy, but fine", 4)

    # A new page load: a fresh kernel's store and responses, the same database.
    exercise = check_in.exercise(CHECK_IN)
    fresh = Responses.for_member(
        Store(check_in.store.url), check_in.access.workbook_id, exercise, check_in.join("Ann")
    )
    again = Wizard(exercise, fresh)
    assert again.page.id == "answers"
    assert again.context.inputs["me.mood"].value == "Busy, but fine"
    assert again.context.inputs["me.energy"].value == 4
    again.back.click()
    assert again.page.id == "items"
    assert [i.value for i in again.context.inputs.values()] == ["Tea urn", "Biscuits"]
    # Going back is remembered too.
    assert check_in.wizard(CHECK_IN, "Ann").page.id == "items"


def test_check_your_answers_confirms_and_then_locks_the_answers(check_in: TestWorkbook) -> None:
    check_in.join("Bob")
    wz = check_in.wizard(CHECK_IN, "Ann")
    add_items(wz, ["Tea urn", "Biscuits"])
    wz.next.click()
    answer(wz, "<img src=x onerror=alert(1)>", 3)
    assert task_list(wz)["Afterwards"] == "Cannot start yet"
    wz.next.click()
    assert wz.page.id == "check"
    html = html_of(wz.body)
    assert "&lt;img src=x onerror=alert(1)&gt;" in html and "<img" not in html
    assert wz.next.description == "Confirm and continue"
    wz.next.click()
    assert wz.page.id == "after"
    assert "1 of 2 members have confirmed" in html_of(wz.body)
    assert check_in.responses(CHECK_IN, "Ann").get("confirmation", "me")["confirmed_at"]
    wz.goto("answers")
    inputs = wz.context.inputs
    assert inputs and all(i.disabled for i in inputs.values())
    assert inputs["me.energy"].value == 3
    wz.goto("check")
    assert "You have confirmed your answers" in html_of(wz.body)
    assert wz.next.description == "Continue"
    # Confirming is one member's: Bob's answers stay open, his next page closed.
    bob = check_in.wizard(CHECK_IN, "Bob")
    bob.goto("answers")
    assert not any(i.disabled for i in bob.context.inputs.values())
    bob.goto("after")
    assert "Confirm your answers first." in html_of(bob.body) and bob.context.inputs == {}


def test_two_members_editing_one_item_get_a_conflict_not_an_overwrite(
    check_in: TestWorkbook,
) -> None:
    ann = check_in.wizard(CHECK_IN, "Ann")
    item, _other = add_items(ann, ["Tea urn", "Biscuits"])
    bob = check_in.wizard(CHECK_IN, "Bob")  # Bob opens the list before Ann's next change
    ann.context.inputs[f"{item}.title"].value = "Ann's urn"
    ann.context.flush()
    bob.context.inputs[f"{item}.title"].value = "Bob's urn"
    bob.context.flush()

    warning = html_of(bob.conflict)
    assert "Someone else changed this" in warning
    assert "Ann" in warning and "Ann&#x27;s urn" in warning and "Bob&#x27;s urn" in warning
    assert "Not saved" in bob.status.value

    def titles() -> list[str]:
        return [e.data["title"] for e in check_in.responses(CHECK_IN).history("item", item)]

    assert titles() == ["", "Tea urn", "Ann's urn"]  # Bob's change overwrote nothing
    press(bob.conflict, "Save my version instead")
    assert titles() == ["", "Tea urn", "Ann's urn", "Bob's urn"]
    assert bob.conflict.children == ()
    assert bob.context.inputs[f"{item}.title"].value == "Bob's urn"


def test_a_failing_button_shows_a_plain_message_and_is_logged(
    check_in: TestWorkbook, caplog: pytest.LogCaptureFixture
) -> None:
    wz = check_in.wizard(CHECK_IN, "Ann")
    wz.goto("trouble")
    with caplog.at_level(logging.ERROR, logger="placekit"):
        press(wz, "Cause a problem")
    assert "Something went wrong on our side" in wz.problem.value
    assert "boom" not in html_of(wz)
    assert any(
        r.levelno == logging.ERROR and "boom in a button" in (r.exc_text or str(r.exc_info))
        for r in caplog.records
    )
    assert "(plugin 'check-in-plugin', exercise 'test-check-in')" in caplog.text
    wz.back.click()  # the workbook still works
    assert wz.page.id == "after" and wz.problem.value == ""


def test_a_page_that_fails_to_build_names_the_plugin_and_is_logged(
    check_in: TestWorkbook, caplog: pytest.LogCaptureFixture
) -> None:
    exercise = check_in.exercise(CHECK_IN)
    assert isinstance(exercise, CheckIn)
    exercise.failing = True
    wz = check_in.wizard(CHECK_IN, "Ann")
    with caplog.at_level(logging.ERROR, logger="placekit"):
        wz.goto("trouble")
    shown = html_of(wz)
    assert f"because of a problem in the “{CHECK_IN_PLUGIN}” plugin" in shown
    assert "Your answers are saved" in shown
    assert "boom" not in shown and "Cause a problem" not in shown
    assert any(
        CHECK_IN_PLUGIN in r.getMessage()
        and r.levelno == logging.ERROR
        and "boom in the page's build" in (r.exc_text or str(r.exc_info))
        for r in caplog.records
    )
    wz.goto("items")  # the rest of the workbook still works
    add_items(wz, ["Tea urn"])
    wz.next.click()
    assert "Add at least 2 items (1 so far)" in wz.summary.value


@pytest.mark.parametrize("stored", [9, 0, "4", True, 4.0])
def test_an_out_of_range_stored_answer_shows_as_unanswered_and_blocks_continue(
    check_in: TestWorkbook, stored: object
) -> None:
    wz = check_in.wizard(CHECK_IN, "Ann")
    add_items(wz, ["Tea urn", "Biscuits"])
    wz.next.click()
    assert wz.page.id == "answers"
    check_in.responses(CHECK_IN, "Ann").save("answer", "me", {"mood": "Fine", "energy": stored}, 0)
    again = check_in.wizard(CHECK_IN, "Ann")
    assert again.page.id == "answers"
    assert again.context.inputs["me.mood"].value == "Fine"
    assert again.context.inputs["me.energy"].value is None
    assert not again.can_continue
    again.next.click()
    assert again.page.id == "answers"
    assert "choose a value from 1 to 5" in again.summary.value


def test_the_task_list_shows_each_steps_state(check_in: TestWorkbook) -> None:
    wz = check_in.wizard(CHECK_IN, "Ann")
    assert task_list(wz) == {
        "Team items": "In progress",  # open on screen, not yet valid
        "Your answers": "Not started",
        "Check your answers": "Cannot start yet",  # locked until the team lists its items
        "Afterwards": "Cannot start yet",
        "Trouble": "Not started",
    }
    assert current_step(wz) == ["Team items"]
    assert "Step 1 of 5: Team items" in wz.progress.value
    add_items(wz, ["Tea urn", "Biscuits"])
    # Valid, but "check your answers" still to confirm it: not "Completed" yet.
    assert task_list(wz)["Team items"] == "In progress"
    assert task_list(wz)["Check your answers"] == "Not started"
    wz.next.click()
    assert task_list(wz)["Your answers"] == "In progress"
    assert current_step(wz) == ["Your answers"]
    answer(wz, "Fine", 2)
    assert task_list(wz)["Your answers"] == "In progress"
    wz.next.click()
    # On the check page, everything valid, but nothing confirmed yet: not "Completed".
    assert wz.page.id == "check" and task_list(wz)["Check your answers"] == "In progress"
    assert set(task_list(wz).values()) == {"In progress", "Cannot start yet", "Not started"}
    wz.next.click()  # confirm
    assert task_list(wz) == {
        "Team items": "Completed",
        "Your answers": "Completed",
        "Check your answers": "Completed",
        "Afterwards": "Completed",
        "Trouble": "Not started",
    }
    # Another member has confirmed nothing: the team's items, open before him, are in
    # progress until he confirms; his own steps are not started.
    bob = check_in.wizard(CHECK_IN, "Bob")
    assert task_list(bob)["Team items"] == "In progress"
    assert task_list(bob)["Your answers"] == "Not started"
    assert task_list(bob)["Afterwards"] == "Cannot start yet"
