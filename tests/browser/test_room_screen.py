"""The room's screen in a live session: the facilitator opens it from the exercise's page;
it shows the join code and a QR code of the team link, and as members join and work, who
has joined and how far the room has got, within two seconds and without a reload; a server
restart mid-session only pauses it; ending the session says so on the screen."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from placekit.testing import check_accessibility, join_team, run_in_the_room, running_server

pytestmark = pytest.mark.browser
PAGE_LOAD = 60_000
TRIAGE = "Wicked, tame or critical?"


def shows(screen: Page, text: str) -> None:
    """The screen's room comes to show ``text`` by itself (how soon: bench/room.py)."""
    room = screen.locator("#joined, #names, #steps").filter(has_text=text).first
    expect(room).to_be_visible(timeout=30_000)


def test_the_room_s_screen_follows_the_room_live(tmp_path, browser) -> None:
    with running_server(tmp_path) as server:
        workbook = server.new_workbook("Riverside <Partnership>")
        results = server.url("exercise", code=workbook.facilitator_code, exercise="triage")
        facilitator = browser.new_context().new_page()
        code = run_in_the_room(facilitator, results)
        with facilitator.context.expect_page() as opened:
            facilitator.get_by_role("link", name=re.compile("Open the screen for the room")).click()
        screen = opened.value
        screen.set_viewport_size({"width": 1280, "height": 720})
        expect(screen.get_by_role("heading", name=TRIAGE)).to_be_visible()
        expect(screen.get_by_text("Riverside <Partnership>")).to_be_visible()  # as text
        expect(screen.locator(".pk-code [aria-hidden=true]")).to_have_text(code)
        expect(screen.get_by_text(f"{server.base_url}/join")).to_be_visible()
        expect(screen.locator("#joined")).to_have_text("0 joined")
        qr = screen.locator(".pk-join svg")
        expect(qr).to_be_visible()
        box = qr.bounding_box()
        assert box and box["width"] >= 200 and box["y"] + box["height"] <= 720  # on screen
        expect(
            screen.get_by_text(f"A QR code of the team's link, {workbook.team_link}")
        ).to_be_attached()
        check_accessibility(screen, "the room's screen")
        screen.evaluate("window.pkNotReloaded = true")

        # Members join: one by the code on the screen, two by the team link.
        ann = browser.new_context().new_page()
        ann.goto(f"{server.base_url}/join?code={code}")  # straight to the room's exercise
        ann.get_by_label("Your name, as your team will see it").fill("Ann <b>")
        ann.get_by_role("button", name="Start").click()
        expect(ann.get_by_role("heading", name="What issues face your place?")).to_be_visible(
            timeout=PAGE_LOAD
        )
        shows(screen, "Ann <b>")
        expect(screen.locator("#joined")).to_have_text("1 joined")
        members = [ann]
        for name in ("Bo", "Cy"):
            page = browser.new_context().new_page()
            join_team(page, workbook.team_link, name)
            # Their workbook page says what the room is doing, and leads there.
            live = page.locator(".pk-notice").filter(has_text="Live in the room now")
            live.get_by_role("link", name=f"Join the room: {TRIAGE}").click()
            expect(page.get_by_role("heading", name="What issues face your place?")).to_be_visible(
                timeout=PAGE_LOAD
            )
            shows(screen, name)
            members.append(page)
        expect(screen.locator("#joined")).to_have_text("3 joined")
        expect(screen.locator("#steps li").first).to_have_text("List issues: 0 of 3 done")

        # The facilitator, on their own device, puts the room on a step and starts a timer.
        facilitator.get_by_label("The room is on").select_option(label="3. Gut call")
        expect(screen.locator("#steps .pk-now")).to_have_text("Now: Gut call: 0 of 3 done")
        expect(screen.locator("#steps [aria-current=step]")).to_have_count(1)
        blind = screen.locator("#reveal")
        expect(blind.get_by_role("heading", name="Gut call")).to_be_visible()
        expect(blind).to_contain_text("hidden until the facilitator reveals them")
        minutes = facilitator.get_by_label("Timer, in minutes")
        minutes.fill("2")
        minutes.press("Tab")
        facilitator.get_by_role("button", name="Start the timer").click()
        timer = screen.get_by_role("timer")
        expect(timer).to_have_text(re.compile(r"^[12]:[0-5][0-9]$"))
        first = timer.inner_text()
        expect(timer).not_to_have_text(first)  # it counts down by itself
        facilitator.get_by_role("button", name="Pause").click()
        expect(timer).to_have_text(re.compile(r"^1:[0-5][0-9] \(paused\)$"))
        expect(facilitator.get_by_role("status").filter(has_text="Timer paused at")).to_be_visible()

        # Ann lists three issues: her first step is done, and the screen says so.
        for number, title in enumerate(("Housing", "Youth violence", "Bus routes"), 1):
            ann.get_by_role("button", name="Add an issue").click()
            ann.get_by_label(f"Issue {number}", exact=True).fill(title)
        # Answered in full, though not yet checked: the room counts it (the task list
        # says "In progress" until her answers are checked, at step 5).
        ann.get_by_role("button", name="Continue", exact=True).click()
        expect(ann.get_by_text("Step 2 of 9")).to_be_visible()
        shows(screen, "List issues: 1 of 3 done")
        assert screen.evaluate("window.pkNotReloaded") is True
        screen.set_viewport_size({"width": 1920, "height": 1080})
        check_accessibility(screen, "the room's screen, at 1920 by 1080, with a room")
        # Reveal: the room's screen shows the step's team result, counts only.
        facilitator.get_by_label("The room is on").select_option(label="6. Reveal")
        expect(blind.get_by_role("heading", name="Reveal")).to_be_visible()
        facilitator.get_by_role("button", name="Reveal this step to the room").click()
        expect(blind.get_by_role("heading", name="Revealed: Reveal")).to_be_visible()
        expect(blind).to_contain_text("No one has confirmed their calls yet")
        expect(screen.get_by_role("status")).to_have_text("Revealed: Reveal")
        expect(
            facilitator.get_by_role("button", name="Show it again, as it is now")
        ).to_be_visible()
        db, port = server.db, int(server.base_url.rsplit(":", 1)[1])

        # The server stops: the screen keeps what it shows, and says it is trying again.
    expect(screen.get_by_role("status")).to_contain_text("trying again", timeout=30_000)
    expect(screen.locator("#joined")).to_have_text("3 joined")

    with running_server(tmp_path, db=db, port=port) as server:
        expect(screen.get_by_role("status")).to_have_text("", timeout=30_000)
        dee = browser.new_context().new_page()
        join_team(dee, workbook.team_link, "Dee", TRIAGE)
        shows(screen, "Dee")
        expect(screen.locator("#joined")).to_have_text("4 joined")
        expect(timer).to_have_text(re.compile(r"^1:[0-5][0-9] \(paused\)$"))  # kept, too
        screen.reload()  # drawn by the server as it stands: the reveal is kept
        expect(blind.get_by_role("heading", name="Revealed: Reveal")).to_be_visible()
        screen.evaluate("window.pkNotReloaded = true")
        assert screen.evaluate("window.pkNotReloaded") is True

        facilitator.goto(results)
        facilitator.get_by_role("button", name="End the live session").click(timeout=PAGE_LOAD)
        expect(screen.get_by_role("heading", name="This live session has ended")).to_be_visible()
        expect(screen.locator(".pk-code")).to_have_count(0)  # the code is off the screen
        screen.reload()
        expect(screen.get_by_role("heading", name="This live session has ended")).to_be_visible()
        assert screen.get_by_text(code).count() == 0
        wrong = browser.new_context().new_page()
        wrong.goto(f"{server.base_url}/live/{'0' * 32}")
        expect(wrong.get_by_role("heading", name="There is no live session here")).to_be_visible()
        for page in (facilitator, screen, wrong, dee, *members):
            page.context.close()
