"""The wizard driven from Python, as the page's widgets would be: real store, no browser."""

from __future__ import annotations

import logging

import pytest

from placekit.data.access import create_workbook, join, resolve
from placekit.data.responses import Responses
from placekit.data.store import Store
from placekit.plugins import get_registry
from placekit.testing import press
from placekit.web.wizard import StepState, Wizard, anchor_class, step_states

ITEMS = ["C1", "C2", "C3", "W1", "W2", "W3", "W4", "W5", "W6", "W7", "W8", "W9"]


@pytest.fixture
def team(tmp_path, monkeypatch):
    monkeypatch.setenv("PLACEKIT_DB", str(tmp_path / "pk.db"))
    store = Store()
    _id, code, facilitator = create_workbook(store, "Test place")
    access = resolve(store, code)
    return store, access, facilitator


def wizard(store, access, member) -> Wizard:
    ex = get_registry().exercises["triage"]
    return Wizard(ex, Responses(store, access.workbook_id, ex, member.id), "heading")


def add_issues(wz: Wizard, titles: list[str]) -> None:
    for title in titles:
        press(wz, "Add an issue")
        issue_id = list(wz.responses.records("issue"))[-1]
        wz.context.inputs[f"{issue_id}.title"].value = title
        wz.context.flush()


def test_next_is_enabled_only_when_the_page_is_valid(team):
    store, access, _ = team
    wz = wizard(store, access, join(store, access, "Ann"))
    assert wz.page.id == "issues"
    assert wz.next.disabled
    assert "Add at least 3 issues (0 so far)" in wz.summary.value
    add_issues(wz, ["Housing", "Knife crime"])
    assert wz.next.disabled
    add_issues(wz, [""])
    issue_id = list(wz.responses.records("issue"))[-1]
    assert "Enter a title for issue 3" in wz.summary.value
    # The error links to its field: the summary names the class the input carries.
    field_class = anchor_class(f"{issue_id}.title")
    assert f'data-pk-field="{field_class}"' in wz.summary.value
    assert field_class in wz.context.inputs[f"{issue_id}.title"]._dom_classes
    # Untouched: listed quietly, not marked red beside the field.
    assert "pk-error-summary-pending" in wz.summary.value
    assert wz.context._error_slots[f"{issue_id}.title"].value == ""
    wz.context.inputs[f"{issue_id}.title"].value = "x"
    wz.context.inputs[f"{issue_id}.title"].value = ""
    wz.context.flush()
    assert "Enter a title" in wz.context._error_slots[f"{issue_id}.title"].value
    assert 'role="alert"' in wz.summary.value
    wz.context.inputs[f"{issue_id}.title"].value = "housing"
    wz.context.flush()
    assert "already on the list" in wz.summary.value
    wz.context.inputs[f"{issue_id}.title"].value = "Town centre"
    wz.context.flush()
    assert not wz.next.disabled and wz.summary.value == ""
    wz.next.click()
    assert wz.page.id == "mode"


def test_answers_resume_exactly_after_reopening(team):
    store, access, _ = team
    ann = join(store, access, "Ann")
    wz = wizard(store, access, ann)
    add_issues(wz, ["Housing", "Knife crime", "A&E"])
    wz.next.click()
    wz.context.inputs["me.preferred_mode"].value = "leadership"
    wz.context.inputs["me.confidence"].value = 4
    wz.next.click()
    assert wz.page.id == "gut"
    issues = list(wz.responses.records("issue"))
    wz.context.inputs[f"{issues[0]}.gut_call"].value = "wicked"

    again = wizard(Store(), access, ann)  # a new page load: fresh kernel, same database
    assert again.page.id == "gut"
    assert again.context.inputs[f"{issues[0]}.gut_call"].value == "wicked"
    again.back.click()
    assert again.context.inputs["me.preferred_mode"].value == "leadership"
    assert again.context.inputs["me.confidence"].value == 4


def complete_blind_steps(wz: Wizard, answers: int) -> None:
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


def test_check_answers_confirms_and_locks_the_blind_answers(team):
    store, access, _ = team
    wz = wizard(store, access, join(store, access, "Ann"))
    add_issues(wz, ["Housing", "Knife crime", "<img src=x onerror=alert(1)>"])
    wz.next.click()
    states = step_states(wz.exercise, wz.pages, wz.responses)
    assert states["reveal"] is StepState.LOCKED
    complete_blind_steps(wz, answers=0)
    assert wz.page.id == "check"
    html = wz.body.children[1].children[0].value
    assert "&lt;img src=x onerror=alert(1)&gt;" in html and "<img" not in html
    assert wz.next.description == "Confirm and continue"
    wz.next.click()
    assert wz.page.id == "reveal"
    assert "1 of 1 members have confirmed" in wz.body.children[1].children[0].value
    wz.goto("gut")
    assert all(i.disabled for i in wz.context.inputs.values())


def test_two_people_editing_one_decision_get_a_conflict_not_an_overwrite(team):
    store, access, _ = team
    ann, bob = join(store, access, "Ann"), join(store, access, "Bob")
    a = wizard(store, access, ann)
    add_issues(a, ["Housing", "Knife crime", "A&E"])
    a.next.click()
    complete_blind_steps(a, answers=2)
    a.next.click()  # confirm
    b = wizard(store, access, bob)
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
    history = store.history(access.workbook_id, "triage", f"decision/{issue_id}")
    assert [e.data["response_summary"] for e in history] == ["Ann's plan"]
    keep_mine = b.conflict.children[1].children[1]
    keep_mine.click()
    history = store.history(access.workbook_id, "triage", f"decision/{issue_id}")
    assert [e.data["response_summary"] for e in history] == ["Ann's plan", "Bob's plan"]


def test_a_failure_inside_a_page_shows_a_plain_message_and_is_logged(team, caplog):
    store, access, _ = team
    wz = wizard(store, access, join(store, access, "Ann"))

    def broken(_b):
        raise RuntimeError("boom")

    wz.guard(broken)(None)
    assert "Something went wrong on our side" in wz.problem.value
    assert "boom" not in wz.problem.value
    assert any(
        r.levelno == logging.ERROR and "boom" in (r.exc_text or str(r.exc_info))
        for r in caplog.records
    )


def test_an_out_of_range_stored_answer_shows_as_unanswered_and_blocks_continue(team):
    store, access, _ = team
    ann = join(store, access, "Ann")
    wz = wizard(store, access, ann)
    add_issues(wz, ["Housing", "Knife crime", "A&E"])
    wz.next.click()
    wz.responses.save("mode", "me", {"preferred_mode": "dictator", "confidence": 9}, 0)
    again = wizard(store, access, ann)
    assert again.page.id == "mode"
    assert again.context.inputs["me.preferred_mode"].value is None
    assert again.next.disabled
    assert "choose one of the options" in again.summary.value
    assert "choose a value from 1 to 5" in again.summary.value
