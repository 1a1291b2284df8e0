"""A workbook the facilitator designs, in a real Chromium against a real ``placekit serve``:
made with ``placekit new --exercises --welcome``, its member sees exactly those exercises,
in that order, with the welcome, the dates and "Start here"; the facilitator reorders one,
dates one and takes one out from their page, and the member's page follows."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from placekit import clock
from placekit.plugins import get_registry
from placekit.testing import check_accessibility, join_team

from .conftest import save_screenshot

pytestmark = pytest.mark.browser

PAGE_LOAD = 90_000  # ms
ACTION = 30_000  # ms
CHOSEN = ("trust-audit", "triage", "assets")
WELCOME = "Before Thursday, do the trust audit and your gut calls. On the day we do the rest."


def task_titles(page: Page) -> list[str]:
    return [t.strip() for t in page.locator("ul.pk-task-list .pk-task-name").all_inner_texts()]


def test_a_designed_workbook_shows_a_member_its_exercises_in_order_with_welcome_and_dates(
    browser: Browser, placekit_server: Any
) -> None:
    titles = [get_registry().exercises[e].title for e in CHOSEN]
    audit, triage, assets = titles
    workbook = placekit_server.new_workbook(
        "Blackpool <b>Better</b> Start", "--exercises", ",".join(CHOSEN), "--welcome", WELCOME
    )
    member_context = browser.new_context()
    member_context.set_default_timeout(ACTION)
    member = member_context.new_page()
    join_team(member, workbook.team_link, "Asha")
    expect(member.get_by_text(WELCOME)).to_be_visible(timeout=PAGE_LOAD)
    assert task_titles(member) == titles
    first = member.locator("li.pk-task").first
    expect(first).to_contain_text("Start here")
    expect(first).to_contain_text("Not started")
    expect(member.get_by_role("link", name=audit, exact=True)).to_be_visible()
    check_accessibility(member, "a member's designed workbook")

    # The facilitator moves triage up, closes the audit after a day, takes assets out.
    desk_context = browser.new_context()
    desk_context.set_default_timeout(ACTION)
    desk = desk_context.new_page()
    desk.goto(workbook.facilitator_link)
    expect(desk.get_by_role("heading", name="What members see")).to_be_visible(timeout=PAGE_LOAD)
    check_accessibility(desk, "the facilitator's design editor")
    adder = desk.get_by_label("Add an exercise").bounding_box()
    assert adder is not None and adder["height"] < 60, adder  # one line, not a 150 px box
    desk.get_by_role("button", name=f"Move {triage} up").focus()
    desk.keyboard.press("Enter")  # by keyboard; the focus stays with triage, now first
    expect(desk.get_by_role("status").filter(has_text=f"Saved: moved {triage} up")).to_be_visible()
    expect(desk.get_by_role("button", name=f"Move {triage} down")).to_be_focused()
    closes = clock.now().date() + dt.timedelta(days=2)
    picker = desk.get_by_label(f"{audit} closes after")
    picker.fill(closes.isoformat())
    picker.blur()
    expect(desk.get_by_text(f"Saved: set the dates of {audit}")).to_be_visible()
    desk.get_by_role("button", name=f"Take {assets} out").click()
    expect(desk.get_by_role("button", name=f"Put {assets} back")).to_be_visible()

    member.reload()
    expect(member.get_by_text(WELCOME)).to_be_visible(timeout=PAGE_LOAD)
    assert task_titles(member) == [triage, audit]
    day = f"{closes:%A} {closes.day} {closes:%B}"
    expect(member.locator("li.pk-task").nth(1)).to_contain_text(f"Open until {day}")
    save_screenshot(member, "designed-workbook-member")
    save_screenshot(desk, "designed-workbook-facilitator")

    # The exercise taken out cannot be opened from an old link; its results still can.
    member.goto(placekit_server.url("exercise", code=workbook.team_code, exercise="assets"))
    expect(
        member.get_by_role("heading", name="This exercise is not part of this workbook")
    ).to_be_visible(timeout=PAGE_LOAD)
    desk.goto(workbook.facilitator_link)
    expect(desk.get_by_role("heading", name="Taken out of the workbook")).to_be_visible(
        timeout=PAGE_LOAD
    )
    expect(desk.get_by_role("link", name=re.compile(re.escape(assets)))).to_be_visible()
    member_context.close()
    desk_context.close()
