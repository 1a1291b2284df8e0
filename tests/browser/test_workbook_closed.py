"""Closing a workbook in a real Chromium against a real ``placekit serve``: the facilitator
closes it from their page, and from then on every page is read-only (what was typed still
shows, nothing can be changed or added, no one new can join), while the results, and each
member's own data, can still be read."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from placekit.data.store import Store
from placekit.testing import join_team

pytestmark = pytest.mark.browser

PAGE_LOAD = 90_000  # ms
ACTION = 30_000  # ms
TITLE = "Closing <b>time</b> team"
ISSUE = "Closing-day <i>issue</i>"
#: The results page's buttons that only read: they stay working once it is closed.
READING = {"Refresh results", "Prepare the downloads", "Make a picture of this chart (PNG)"}
EDITABLE = (
    ".pk-app input:not([disabled]), .pk-app textarea:not([disabled]),"
    " .pk-app select:not([disabled])"
)


def enabled_buttons(page: Page) -> list[str]:
    return [
        b.inner_text().strip()
        for b in page.locator(".pk-app button:not([disabled])").all()
        if b.is_visible()
    ]


def expect_read_only(page: Page) -> None:
    expect(page.get_by_text(re.compile("This workbook was closed on"))).to_be_visible()
    expect(page.locator(EDITABLE)).to_have_count(0)


def test_closing_makes_every_page_read_only(
    browser: Browser, make_workbook: Callable[[str], Any], placekit_server: Any
) -> None:
    workbook = make_workbook(TITLE)
    member = browser.new_context()
    member.set_default_timeout(ACTION)
    page = member.new_page()
    join_team(page, workbook.team_link, "Rita <b>Reader</b>", exercise="Wicked, tame or critical?")
    expect(page.get_by_role("heading", name="What issues face your place?")).to_be_visible(
        timeout=PAGE_LOAD
    )
    page.get_by_role("button", name="Add an issue").click()
    page.get_by_label("Issue 1", exact=True).fill(ISSUE)
    expect(page.locator(".pk-status")).to_contain_text(re.compile(r"Saved at"))

    # The facilitator closes it, from their page.
    facilitator = browser.new_context()
    facilitator.set_default_timeout(ACTION)
    desk = facilitator.new_page()
    desk.goto(workbook.facilitator_link)
    close = desk.get_by_role("button", name="Close the workbook")
    expect(close).to_be_visible(timeout=PAGE_LOAD)
    close.click()
    expect(desk.get_by_role("alert")).to_contain_text("cannot be reopened")
    desk.get_by_role("button", name="Close it for good").click()
    expect(desk.get_by_text(re.compile("This workbook was closed on"))).to_be_visible()
    expect(desk.get_by_role("button", name="Close the workbook")).to_have_count(0)
    expect(desk.get_by_role("heading", name="Activity")).to_be_visible()
    expect(desk.get_by_text("Closed the workbook: read-only from now on")).to_be_visible()

    store = Store(str(placekit_server.db))
    workbook_id = store.workbook_by_code(workbook.team_code)[0]["id"]  # type: ignore[index]
    saved = len(store.current(workbook_id, "triage", include_deleted=True))

    # The member's exercise page: what they typed, read-only, page after page.
    page.reload()
    box = page.get_by_label("Issue 1", exact=True)
    expect(box).to_have_value(ISSUE, timeout=PAGE_LOAD)
    expect(box).to_be_disabled()
    expect_read_only(page)
    expect(page.get_by_role("button", name="Add an issue")).to_be_disabled()
    assert set(enabled_buttons(page)) <= {"Back", "Continue"}
    page.get_by_role("button", name="Continue", exact=True).click()
    expect(page.get_by_text(re.compile("Step 2 of"))).to_be_visible()
    expect_read_only(page)
    assert set(enabled_buttons(page)) <= {"Back", "Continue"}
    assert len(store.current(workbook_id, "triage", include_deleted=True)) == saved

    # The member's index: read-only, and their own data still theirs to download or erase.
    page.goto(workbook.team_link)
    expect(page.get_by_role("heading", name="Your workbook")).to_be_visible(timeout=PAGE_LOAD)
    expect(page.get_by_text("Rita <b>Reader</b>", exact=True)).to_be_visible()  # still text
    expect_read_only(page)
    page.get_by_role("button", name="Prepare my download").click()
    expect(page.get_by_role("link", name="My data (JSON)")).to_be_visible()
    expect(page.get_by_role("button", name="Erase my data")).to_be_enabled()

    # The facilitator's results: readable, with only the buttons that read still working.
    desk.goto(placekit_server.url("exercise", code=workbook.facilitator_code, exercise="triage"))
    expect(desk.get_by_role("heading", name=re.compile("team results"))).to_be_visible(
        timeout=PAGE_LOAD
    )
    expect_read_only(desk)
    assert "Refresh results" in enabled_buttons(desk)
    assert set(enabled_buttons(desk)) <= READING
    # Downloads first: a press while Refresh redraws the page can land on the old button.
    desk.get_by_role("button", name="Prepare the downloads").click()  # still downloadable
    with desk.expect_download() as download:
        desk.get_by_role("link", name="All results (Excel)").click()
    assert download.value.suggested_filename.endswith(".xlsx")
    desk.get_by_role("button", name="Refresh results").click()
    expect(desk.get_by_role("heading", name=re.compile("team results"))).to_be_visible()
    assert set(enabled_buttons(desk)) <= READING

    # Someone new with the team link: told it is closed, with nowhere to type a name.
    newcomer = browser.new_context().new_page()
    newcomer.goto(workbook.team_link)
    expect(newcomer.get_by_role("heading", name="This workbook is closed")).to_be_visible(
        timeout=PAGE_LOAD
    )
    expect(newcomer.get_by_label("Your name, as your team will see it")).to_have_count(0)
    expect(newcomer.get_by_text(TITLE, exact=True)).to_be_visible()  # HTML in it stays text
    for context in (member, facilitator, newcomer.context):
        context.close()
