"""A blind round run live in the room: a facilitator, the room's screen and three members.
Until the facilitator reveals the step, no member's page shows the team's answers, in the
page or in any widget message that reaches it; Reveal opens it on the screen and on every
member's page at once, without a reload; the room's timer counts down on both; a closed
round takes no more answers; the facilitator's second device follows the first."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from placekit.data.store import Store
from placekit.dev.demo import seed_demo
from placekit.testing import check_accessibility, run_in_the_room, running_server

pytestmark = pytest.mark.browser
PAGE_LOAD = 60_000
POOL_FILLS = 180_000  # ms: a --room server's first page, while its pool of kernels starts
LIVE = 10_000  # well over the 2 s target (bench/room.py --live measures it)
TEAM_VIEW = "The team so far"  # triage's "What the team thinks": the team's calls
WAITING = "This page opens here at that moment"


def heard(page: Page) -> list[str]:
    """Every widget message the page's kernel sends it, from now on."""
    frames: list[str] = []
    page.on(
        "websocket",
        lambda ws: ws.on("framereceived", lambda f: frames.append(f if isinstance(f, str) else "")),
    )
    return frames


def test_members_pages_wait_for_the_reveal_and_open_with_it(tmp_path, browser) -> None:
    # Kernels started ahead, as for a room (--room): the facilitator's two pages and two of
    # the members' come from that pool, the third member's page starts its own.
    with running_server(tmp_path, options=["--room", "4"]) as server:
        # The demo team: Asha and Ben have confirmed their calls, Cara has not.
        demo = seed_demo(Store(server.db))
        results = server.url("exercise", code=demo.facilitator, exercise="triage")
        facilitator = browser.new_context().new_page()
        # The door holds the first page until the room's pool has a kernel ready for it:
        # the pool starts eight (four per notebook), 30-60 s on this machine, measured.
        facilitator.goto(results)
        ready = facilitator.get_by_role("button", name="Run this in the room")
        expect(ready).to_be_visible(timeout=POOL_FILLS)
        run_in_the_room(facilitator, results)
        with facilitator.context.expect_page() as opened:
            facilitator.get_by_role("link", name=re.compile("Open the screen for the room")).click()
        screen = opened.value
        laptop = browser.new_context().new_page()  # the facilitator's second device
        laptop.goto(results)
        room_is_on = laptop.get_by_label("The room is on")
        expect(room_is_on).to_be_visible(timeout=PAGE_LOAD)

        members, messages = [], []
        for member in demo.members[:3]:
            page = browser.new_context().new_page()
            messages.append(heard(page))
            page.goto(server.url("exercise", code=demo.team, exercise="triage", me=member.token))
            expect(page.get_by_text("Live in the room.")).to_be_visible(timeout=PAGE_LOAD)
            tasks = page.get_by_role("list", name="Your progress")
            expect(tasks.get_by_role("listitem").nth(5)).to_contain_text("Opens at the reveal")
            members.append(page)
        expect(screen.locator("#joined")).to_have_text("3 joined", timeout=LIVE)

        # The facilitator puts the room on the Reveal step and starts a timer: each member's
        # page follows, and leads to the step, which waits.
        facilitator.get_by_label("The room is on").select_option(label="6. Reveal")
        minutes = facilitator.get_by_label("Timer, in minutes")
        minutes.fill("3")
        minutes.press("Tab")
        facilitator.get_by_role("button", name="Start the timer").click()
        expect(screen.get_by_role("timer")).to_have_text(re.compile(r"^[23]:[0-5][0-9]$"))
        for page in members:
            expect(page.get_by_text("The room is on step 6 of 9: Reveal.")).to_be_visible(
                timeout=LIVE
            )
            timer = page.get_by_role("timer")
            expect(timer).to_have_text(re.compile(r"^Time left: [23]:[0-5][0-9]$"), timeout=LIVE)
            first = timer.inner_text()
            expect(timer).not_to_have_text(first)  # counted down in the page
            page.get_by_role("button", name="Go to the room's step").click()
            expect(page.get_by_text(WAITING)).to_be_visible()
        check_accessibility(members[0], "a member's page waiting for the reveal")
        # The facilitator's other device follows: its controls show the room as it is.
        expect(laptop.get_by_role("status").filter(has_text="Timer running")).to_be_visible(
            timeout=LIVE
        )
        chosen = room_is_on.evaluate("el => el.options[el.selectedIndex].text")
        assert chosen.replace("\xa0", " ") == "6. Reveal"  # ipywidgets keeps the spaces
        for page, said in zip(members, messages, strict=True):
            expect(page.get_by_text(TEAM_VIEW)).to_have_count(0)
            assert said and not any(TEAM_VIEW in m for m in said)  # not sent, not hidden
        expect(screen.locator("#reveal")).to_contain_text("hidden until the facilitator")

        # Reveal: the screen and every member's page show the team's calls, no reload.
        for page in members:
            page.evaluate("window.pkNotReloaded = true")
        facilitator.get_by_role("button", name="Reveal this step to the room").click()
        expect(
            screen.locator("#reveal").get_by_role("heading", name="Revealed: Reveal")
        ).to_be_visible(timeout=LIVE)
        expect(laptop.get_by_role("button", name="Show it again, as it is now")).to_be_visible(
            timeout=LIVE
        )
        *confirmed, cara = members
        for page in confirmed:
            expect(page.get_by_text(TEAM_VIEW)).to_be_visible(timeout=LIVE)
            expect(page.get_by_text(WAITING)).to_have_count(0)
            assert page.evaluate("window.pkNotReloaded") is True
        # Cara has not confirmed her own calls: the step still asks that of her first.
        expect(
            cara.get_by_text("Your facilitator has revealed this step to the room.")
        ).to_be_visible(timeout=LIVE)
        expect(cara.get_by_text(TEAM_VIEW)).to_have_count(0)

        # A closed round: the page on it says so, and opens again when it is reopened.
        facilitator.get_by_label("The room is on").select_option(label="2. Your preferred mode")
        ann = members[0]
        ann.get_by_role("button", name="Go to the room's step").click(timeout=LIVE)
        expect(ann.get_by_role("heading", name="Your preferred mode")).to_be_visible()
        facilitator.get_by_role("button", name="Close the round").click()
        notice = ann.locator(".pk-notice").filter(
            has_text="Your facilitator has closed this round."
        )
        expect(notice).to_be_visible(timeout=LIVE)
        expect(screen.locator("#steps .pk-now")).to_contain_text("(round closed)", timeout=LIVE)
        facilitator.get_by_role("button", name="Open the round again").click()
        expect(ann.get_by_role("heading", name="Your preferred mode")).to_be_visible(timeout=LIVE)

        facilitator.get_by_role("button", name="End the live session").click()
        expect(ann.get_by_text("Live in the room.")).to_have_count(0, timeout=LIVE)
        expect(laptop.get_by_text("This live session has ended")).to_be_visible(timeout=LIVE)
        expect(laptop.get_by_role("button", name="Run this in the room")).to_be_visible()
        for page in (facilitator, laptop, screen, *members):
            page.context.close()
