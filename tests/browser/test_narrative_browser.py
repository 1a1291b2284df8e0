"""Public narrative in a real Chromium: Ann drafts and shares her story, Ben and Cara
listen and score it on the rubric, Ann revises and sees both versions and the feedback."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from placekit_relationships.narrative_model import RUBRIC
from playwright.sync_api import BrowserContext, Page, expect

from placekit.testing import join_team

pytestmark = pytest.mark.browser

PAGE_LOAD = 60_000  # ms
ACTION = 20_000  # ms
FIRST = "The winter my gran waited nine days to leave hospital, no one owned it. We can."
SECOND = "The winter my gran waited nine days on a ward, our street brought her home. Join us."


def go_on(page: Page, heading: str) -> None:
    button = page.get_by_role("button", name="Continue", exact=True)
    expect(button).to_be_enabled()
    button.click()
    expect(page.get_by_role("heading", name=heading, exact=True)).to_be_visible()


def start(context: BrowserContext, workbook: Any, name: str) -> Page:
    context.set_default_timeout(ACTION)
    page = context.new_page()
    join_team(page, workbook.team_link, name, "Public narrative")
    expect(page.get_by_role("heading", name="Purpose and audience", exact=True)).to_be_visible(
        timeout=PAGE_LOAD
    )
    page.get_by_label("What change are you trying to lead?").fill("Safe discharge")
    page.get_by_label("Who is the “us” you need to move?").fill("Ward staff and neighbours")
    expect(page.locator(".pk-status")).to_contain_text("Saved at")
    return page


def score(page: Page, values: tuple[int, ...]) -> None:
    for (criterion, text), value in zip(RUBRIC, values, strict=True):
        group = page.locator(".widget-radio").filter(
            has=page.locator("label.widget-label").filter(
                has_text=re.compile("^" + re.escape(f"{criterion}. {text}") + "$")
            )
        )
        label = {1: "1 – not yet", 4: "4 – strongly"}.get(value, str(value))
        radio = group.get_by_role("radio", name=label, exact=True)
        radio.check()
        expect(radio).to_be_checked()


def test_a_story_told_scored_by_two_peers_revised_and_compared(
    new_context: Callable[..., BrowserContext],
    make_workbook: Callable[[str], Any],
    screenshot: Callable[[Page, str], Path],
) -> None:
    workbook = make_workbook("Eastvale narrative team")
    ann = start(new_context(), workbook, "Ann (council)")
    go_on(ann, "Story of now")
    go_on(ann, "Story of us")
    ann.get_by_label(re.compile("^The us: which values")).fill("Neighbourliness\nDignity")
    go_on(ann, "Story of self")
    go_on(ann, "Link and share")
    ann.get_by_label("Your linked telling: self, then us, then now").fill(FIRST)
    # A practice telling timed against a two-minute time box; the time goes with the version.
    ann.get_by_role("radio", name="2 minutes", exact=True).check()
    expect(ann.locator(".pk-stopwatch-time")).to_have_text("0:00 of 2:00")
    ann.get_by_role("button", name="Start timing a practice telling").click()
    expect(ann.locator(".pk-stopwatch-time")).to_have_text(re.compile(r"^0:0[1-9] of 2:00$"))
    ann.get_by_role("button", name="Stop").click()
    expect(
        ann.get_by_text(re.compile(r"^Last time: 0:0[1-9]: within the time box\.$"))
    ).to_be_visible()
    expect(ann.locator(".pk-status")).to_contain_text("Saved at")
    screenshot(ann, "narrative-link-timed")
    ann.get_by_role("button", name="Share this version with the team").click()
    expect(ann.get_by_text("You have shared 1 version.")).to_be_visible()

    for name, values in (
        ("Ben (NHS)", (4, 3, 3, 4, 2, 1, 3)),
        ("Cara (VCSE)", (4, 4, 2, 4, 2, 2, 3)),
    ):
        peer = start(new_context(), workbook, name)
        for heading in ("Story of now", "Story of us", "Story of self", "Link and share"):
            go_on(peer, heading)
        go_on(peer, "Listen to Ann (council)")
        expect(peer.get_by_text(FIRST)).to_be_visible()
        score(peer, values)
        peer.get_by_label("What moved me").fill(f"{name}: the nine days")
        expect(peer.locator(".pk-status")).to_contain_text("Saved at")
        go_on(peer, "Feedback and versions")
        peer.context.close()

    # Ann revises with what she heard and shares again; both versions are shown.
    ann.get_by_label("Your linked telling: self, then us, then now").fill(SECOND)
    ann.get_by_role("button", name="Share this version with the team").click()
    expect(ann.get_by_text("You have shared 2 versions.")).to_be_visible()
    go_on(ann, "Listen and give feedback")
    go_on(ann, "Feedback and versions")
    for heading in ("Version 1", "Version 2", "What changed from version 1 to 2"):
        expect(ann.get_by_role("heading", name=heading, exact=True)).to_be_visible()
    expect(ann.get_by_text(FIRST).first).to_be_visible()
    expect(ann.get_by_text(SECOND).first).to_be_visible()
    table = ann.locator("table").filter(has_text="Coaching focus")
    row = table.locator("tbody tr").filter(has_text="FB6.")
    expect(row).to_contain_text("1.5")  # the mean of 1 and 2
    expect(row.locator("td").nth(2)).to_have_text("2")  # n: two listeners
    expect(ann.get_by_text("Cara (VCSE): the nine days")).to_be_visible()
    told = re.compile(r"^Told in 0:0[1-9]: within a time box of 2 minutes\.$")
    expect(ann.get_by_text(told)).to_have_count(1)  # version 1's; version 2 was not timed
    expect(ann.locator(".vega-embed").locator("canvas, svg.marks").first).to_be_visible()
    screenshot(ann, "narrative-versions")
