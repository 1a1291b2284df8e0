"""Running an exercise live, its first part: the facilitator presses "Run this in the room"
and gets a short join code; people type it on PlaceKit's front page and reach the team's
join page; it survives a restart; once the session ends, or for a wrong code, the server's
join page says so plainly; guessing is cut off with a plain message."""

from __future__ import annotations

import urllib.error
import urllib.request

import pytest
from playwright.sync_api import Page, expect

from placekit.testing import check_accessibility, run_in_the_room, running_server

pytestmark = pytest.mark.browser
PAGE_LOAD = 60_000
NAME_BOX = "Your name, as your team will see it"
CODE_BOX = "The join code on the screen, such as K7P-3QX"


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def answer(url: str) -> tuple[int, dict[str, str]]:
    """The status and headers ``url`` answers with, redirects not followed."""
    try:
        with urllib.request.build_opener(_NoRedirects).open(url, timeout=30) as got:
            return got.status, dict(got.headers)
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers)


def type_code(page: Page, front: str, typed: str) -> None:
    page.goto(front)
    box = page.get_by_label(CODE_BOX)
    expect(box).to_be_visible(timeout=PAGE_LOAD)
    box.fill(typed)
    page.get_by_role("button", name="Join", exact=True).click()


def test_a_short_code_joins_the_room_while_the_session_runs(tmp_path, browser) -> None:
    with running_server(tmp_path) as server:
        workbook = server.new_workbook("Live room")
        results = server.url("exercise", code=workbook.facilitator_code, exercise="triage")
        facilitator = browser.new_context().new_page()
        code = run_in_the_room(facilitator, results)
        # A screen reader reads it a character at a time, as it is to be typed.
        read_out = facilitator.locator(".pk-join-code .pk-visually-hidden")
        expect(read_out).to_have_text(" ".join(code.replace("-", "")))
        expect(facilitator.get_by_text(f"{server.base_url}/join")).to_be_visible()
        check_accessibility(facilitator, "the facilitator's page, live in the room")

        # A member at the front page types it as read off a screen: lower case, a space.
        member = browser.new_context().new_page()
        type_code(member, server.url("index"), f"{code[:3].lower()} {code[4:].lower()}")
        expect(member.get_by_label(NAME_BOX)).to_be_visible(timeout=PAGE_LOAD)
        # The team's join page of the exercise the room is doing, and no more.
        assert f"code={workbook.team_code}" in member.url and "exercise=triage" in member.url
        db, port = server.db, int(server.base_url.rsplit(":", 1)[1])

    with running_server(tmp_path, db=db, port=port) as server:  # a restart mid-session
        status, headers = answer(f"{server.base_url}/join?code={code}")
        assert status == 302 and f"code={workbook.team_code}" in headers["Location"]

        wrong = browser.new_context().new_page()
        type_code(wrong, server.url("index"), "AAA-AAA")
        expect(wrong.get_by_role("alert")).to_contain_text("does not open a live session")
        expect(wrong.get_by_label("The join code on the screen")).to_have_value("AAA-AAA")
        assert wrong.title().startswith("Error: ")
        check_accessibility(wrong, "the join page, with a wrong code")

        facilitator.goto(results)
        facilitator.get_by_role("button", name="End the live session").click(timeout=PAGE_LOAD)
        expect(facilitator.get_by_role("button", name="Run this in the room")).to_be_visible()
        status, _ = answer(f"{server.base_url}/join?code={code}")
        assert status == 404  # the code on the slide opens nothing now

        # Guessing: beyond ten wrong codes a minute from one address, a plain "wait".
        statuses = [answer(f"{server.base_url}/join?code=BBB-BBB")[0] for _ in range(10)]
        assert statuses[-1] == 429 and set(statuses) == {404, 429}
        status, headers = answer(f"{server.base_url}/join?code={code}")
        assert status == 429 and headers["Retry-After"] == "60"
        wrong.reload()
        expect(wrong.get_by_role("alert")).to_contain_text("Too many codes have been tried")
        for page in (facilitator, member, wrong):
            page.context.close()
