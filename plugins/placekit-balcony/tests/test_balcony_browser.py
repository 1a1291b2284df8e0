"""The weekly reflection in a real Chromium against a real ``placekit serve``.

Ann writes this week's reflection (markup in it stays text), reads the heat, reloads and
finds it all there. Bob, in his own browser, sees none of it; nor does the facilitator,
whose page shows head counts and the privacy note only. (Past weeks cannot be made in a
browser without waiting a week: reading them back is tested through the real wizard in
test_reflection.py.)
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from placekit.testing import Server, join_team

pytestmark = pytest.mark.browser

PAGE_LOAD = 60_000  # ms
ACTION = 20_000  # ms
SECRET = "I talked over the <img src=x onerror=alert(1)> tenants' rep again"
BALCONY = "From the balcony: what did you see this week that you could not see on the dance floor?"


def open_reflection(context: BrowserContext, workbook: Any, name: str) -> Page:
    context.set_default_timeout(ACTION)
    page = context.new_page()
    page.on("dialog", lambda dialog: pytest.fail(f"a dialog opened: {dialog.message}"))
    join_team(page, workbook.team_link, name, "Balcony and dance floor")
    expect(page.get_by_role("heading", name="From the balcony", exact=True)).to_be_visible(
        timeout=PAGE_LOAD
    )
    return page


def saved(page: Page) -> None:
    expect(page.locator(".pk-status")).to_contain_text(re.compile(r"Saved at \d\d:\d\d:\d\d"))


def test_a_reflection_is_saved_resumed_and_seen_by_its_writer_alone(
    new_context: Callable[..., BrowserContext], placekit_server: Server
) -> None:
    workbook = placekit_server.new_workbook("Eastvale leadership team")
    ann = open_reflection(new_context(), workbook, "Ann Quayle")
    expect(ann.get_by_text("Only you can see your reflections", exact=False)).to_be_visible()
    expect(ann.get_by_text(re.compile(r"^Week of \d{1,2} \w+ \d{4}$"))).to_be_visible()
    expect(ann.get_by_text("Nothing yet.", exact=False)).to_be_visible()
    heat = ann.get_by_role("radio", name="4 – Warm", exact=True)
    heat.check()
    expect(heat).to_be_checked()
    saved(ann)  # a choice saves at once
    ann.get_by_label(BALCONY).fill(SECRET)
    ann.get_by_label("Next week I will…").fill("Ask the quiet ones first")
    # Typed text saves after a pause in typing: "Saving…", then "Saved at".
    expect(ann.locator(".pk-status")).to_contain_text("Saving…")
    saved(ann)
    # A one-screen exercise: no next page to go to.
    expect(ann.get_by_role("button", name="Continue", exact=True)).to_be_disabled()

    ann.reload()
    expect(ann.get_by_label(BALCONY)).to_have_value(SECRET, timeout=PAGE_LOAD)
    expect(ann.get_by_label("Next week I will…")).to_have_value("Ask the quiet ones first")
    expect(ann.get_by_role("radio", name="4 – Warm", exact=True)).to_be_checked()
    assert ann.locator('img[src="x"]').count() == 0

    bob = open_reflection(new_context(), workbook, "Bob Marchetti")
    expect(bob.get_by_label(BALCONY)).to_have_value("")
    expect(bob.locator("body")).not_to_contain_text("tenants' rep")
    expect(bob.get_by_role("radio", checked=True)).to_have_count(0)

    fac = new_context().new_page()
    fac.set_default_timeout(ACTION)
    fac.goto(
        workbook.facilitator_link.replace("index.ipynb", "exercise.ipynb") + "&exercise=balcony"
    )
    expect(fac.get_by_role("heading", name="Balcony and dance floor: team results")).to_be_visible(
        timeout=PAGE_LOAD
    )
    expect(fac.get_by_text("private to them", exact=False)).to_be_visible()
    completion = fac.locator(".widget-html-content").filter(
        has=fac.get_by_role("heading", name="Completion", exact=True)
    )
    expect(completion.locator("tbody tr").first).to_contain_text("fewer than 3")
    body = fac.locator("body")
    for secret in ("tenants' rep", "Ask the quiet ones first", "Ann Quayle", "Bob Marchetti"):
        expect(body).not_to_contain_text(secret)
