"""The triage exercise driven through the real wizard, as the page's widgets would be: real
store, no browser, the public API only."""

from __future__ import annotations

import logging
import re

from placekit.testing import TestWorkbook, assert_plain_text, html_of, press

ITEMS = ["C1", "C2", "C3", "W1", "W2", "W3", "W4", "W5", "W6", "W7", "W8", "W9"]
_TASK = re.compile(r'<span>\d+\. ([^<]*)</span><span class="[^"]*">([^<]*)</span>')


def add_issues(wz, titles: list[str]) -> None:
    for title in titles:
        press(wz, "Add an issue")
        issue_id = list(wz.responses.records("issue"))[-1]
        wz.context.inputs[f"{issue_id}.title"].value = title
        wz.context.flush()


def task_list(wz) -> dict[str, str]:
    """Step title -> the state the task list shows beside it."""
    return dict(_TASK.findall(wz.tasks.value))


def field_class(widget) -> str:
    """The class naming a field on the page, which the error summary's links point at."""
    (found,) = [c for c in widget._dom_classes if c.startswith("pk-field-")]
    return found


def test_continue_goes_on_only_when_the_page_is_valid(placekit_workbook: TestWorkbook):
    wz = placekit_workbook.wizard("triage", "Ann")
    assert wz.page.id == "issues"
    assert not wz.can_continue
    wz.next.click()
    assert wz.page.id == "issues"
    assert "Add at least 3 issues (0 so far)" in wz.summary.value
    add_issues(wz, ["Housing", "Knife crime"])
    assert not wz.can_continue
    add_issues(wz, [""])
    issue_id = list(wz.responses.records("issue"))[-1]
    title = wz.context.inputs[f"{issue_id}.title"]
    wz.next.click()
    assert wz.page.id == "issues"
    assert "Enter a title for issue 3" in wz.summary.value
    assert 'role="alert"' in wz.summary.value
    # The error links to its field: the summary names the class the input carries.
    assert f'data-pk-field="{field_class(title)}"' in wz.summary.value
    assert "Enter a title" in html_of(wz.body)
    title.value = "housing"
    wz.context.flush()
    assert "already on the list" in wz.summary.value
    title.value = "Town centre"
    wz.context.flush()
    assert wz.can_continue and wz.summary.value == ""
    wz.next.click()
    assert wz.page.id == "mode"


def test_answers_resume_exactly_after_reopening(placekit_workbook: TestWorkbook):
    wz = placekit_workbook.wizard("triage", "Ann")
    add_issues(wz, ["Housing", "Knife crime", "A&E"])
    wz.next.click()
    wz.context.inputs["me.preferred_mode"].value = "leadership"
    wz.context.inputs["me.confidence"].value = 4
    wz.next.click()
    assert wz.page.id == "gut"
    issues = list(wz.responses.records("issue"))
    wz.context.inputs[f"{issues[0]}.gut_call"].value = "wicked"

    again = placekit_workbook.wizard("triage", "Ann")  # a new page load, the same database
    assert again.page.id == "gut"
    assert again.context.inputs[f"{issues[0]}.gut_call"].value == "wicked"
    again.back.click()
    assert again.context.inputs["me.preferred_mode"].value == "leadership"
    assert again.context.inputs["me.confidence"].value == 4


def complete_blind_steps(wz, answers: int) -> None:
    wz.context.inputs["me.preferred_mode"].value = "command"
    wz.context.inputs["me.confidence"].value = 3
    wz.next.click()
    for issue_id in wz.responses.records("issue"):
        wz.context.inputs[f"{issue_id}.gut_call"].value = "tame"
    wz.next.click()
    while wz.page.id.startswith("diagnose/"):
        for item in ITEMS:
            wz.context.inputs[f"{wz.page.id.split('/')[1]}.{item}"].value = answers
        wz.next.click()


def test_check_answers_confirms_and_locks_the_blind_answers(placekit_workbook: TestWorkbook):
    wz = placekit_workbook.wizard("triage", "Ann")
    add_issues(wz, ["Housing", "Knife crime", "<img src=x onerror=alert(1)>"])
    wz.next.click()
    assert task_list(wz)["Reveal"] == "Cannot start yet"
    complete_blind_steps(wz, answers=0)
    assert wz.page.id == "check"
    html = wz.body.children[1].children[0].value
    assert "&lt;img src=x onerror=alert(1)&gt;" in html and "<img" not in html
    assert wz.next.description == "Confirm and continue"
    wz.next.click()
    assert wz.page.id == "reveal"
    assert "1 of 1 members have confirmed" in wz.body.children[1].children[0].value
    assert_plain_text(wz)  # no None, nan or stored names on the reveal
    wz.goto("gut")
    assert all(i.disabled for i in wz.context.inputs.values())


def test_two_people_editing_one_decision_get_a_conflict_not_an_overwrite(
    placekit_workbook: TestWorkbook,
):
    a = placekit_workbook.wizard("triage", "Ann")
    add_issues(a, ["Housing", "Knife crime", "A&E"])
    a.next.click()
    complete_blind_steps(a, answers=2)
    a.next.click()  # confirm
    b = placekit_workbook.wizard("triage", "Bob")
    b.goto("mode")
    complete_blind_steps(b, answers=2)
    b.next.click()
    issue_id = list(a.responses.records("issue"))[0]
    a.goto(f"decide/{issue_id}")
    b.goto(f"decide/{issue_id}")
    a.context.inputs[f"{issue_id}.response_summary"].value = "Ann's plan"
    a.context.flush()
    b.context.inputs[f"{issue_id}.response_summary"].value = "Bob's plan"
    b.context.flush()
    warning = b.conflict.children[0].value
    assert "Someone else changed this" in warning
    assert "Ann" in warning and "Ann&#x27;s plan" in warning and "Bob&#x27;s plan" in warning

    def saved_plans() -> list[str]:
        history = placekit_workbook.responses("triage").history("decision", issue_id)
        return [e.data["response_summary"] for e in history]

    assert saved_plans() == ["Ann's plan"]
    press(b.conflict, "Save my version instead")
    assert saved_plans() == ["Ann's plan", "Bob's plan"]


def test_a_failure_inside_a_page_shows_a_plain_message_and_is_logged(
    placekit_workbook: TestWorkbook, caplog
):
    wz = placekit_workbook.wizard("triage", "Ann")

    def broken(_b):
        raise RuntimeError("boom")

    wz.guard(broken)(None)
    assert "Something went wrong on our side" in wz.problem.value
    assert "boom" not in wz.problem.value
    assert any(
        r.levelno == logging.ERROR and "boom" in (r.exc_text or str(r.exc_info))
        for r in caplog.records
    )


def test_an_out_of_range_stored_answer_shows_as_unanswered_and_blocks_continue(
    placekit_workbook: TestWorkbook,
):
    wz = placekit_workbook.wizard("triage", "Ann")
    add_issues(wz, ["Housing", "Knife crime", "A&E"])
    wz.next.click()
    wz.responses.save("mode", "me", {"preferred_mode": "dictator", "confidence": 9}, 0)
    again = placekit_workbook.wizard("triage", "Ann")
    assert again.page.id == "mode"
    assert again.context.inputs["me.preferred_mode"].value is None
    assert not again.can_continue
    again.next.click()
    assert again.page.id == "mode"
    assert "choose one of the options" in again.summary.value
    assert "choose a value from 1 to 5" in again.summary.value
