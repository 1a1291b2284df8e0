"""A server at its limit never fails a page: the page waits its turn, in plain words, and
opens by itself where the member was going; and a planned room's pages are ready ahead."""

from __future__ import annotations

import json
import re
import time
from pathlib import Path

import pytest
from playwright.sync_api import expect

from placekit.testing import join_team, running_server

pytestmark = pytest.mark.browser
PAGE_LOAD = 60_000
NAME_BOX = "Your name, as your team will see it"


def test_beyond_the_limit_a_page_waits_its_turn_and_opens_by_itself(tmp_path, browser) -> None:
    with running_server(tmp_path, options=["--max-kernels", "1"]) as server:
        workbook = server.new_workbook("Busy room")
        first = browser.new_context().new_page()
        join_team(first, workbook.team_link, "Ash", "Wicked, tame or critical?")
        expect(first.get_by_role("button", name="Add an issue")).to_be_visible(timeout=PAGE_LOAD)

        second = browser.new_context().new_page()
        answer = second.goto(workbook.team_link)
        assert answer is not None and answer.status == 503  # said to scripts and proxies
        status = second.get_by_role("status")
        expect(second.get_by_role("heading", level=1)).to_have_text(
            "PlaceKit is busy: your page opens in a moment"
        )
        expect(status).to_contain_text("Yours is next in line")
        third = browser.new_context().new_page()
        third.goto(workbook.team_link)
        expect(third.get_by_role("status")).to_contain_text("after 1 other")
        second.wait_for_timeout(6_000)  # several rounds of asking again: still waiting
        expect(second.get_by_role("heading", level=1)).to_contain_text("PlaceKit is busy")

        first.context.close()  # its kernel is shut down: the first in line goes in
        expect(second.get_by_label(NAME_BOX)).to_be_visible(timeout=PAGE_LOAD)
        assert "pk_turn" not in second.url  # the ticket is not left in a link to copy
        assert re.search(rf"code={re.escape(workbook.team_code)}", second.url)
        expect(third.get_by_role("heading", level=1)).to_contain_text("PlaceKit is busy")

        second.context.close()
        expect(third.get_by_label(NAME_BOX)).to_be_visible(timeout=PAGE_LOAD)
        third.context.close()
        log = server.log.read_text(errors="replace")
        assert "Traceback" not in log, log[-3000:]


def test_a_planned_room_has_its_pages_ready(tmp_path, browser) -> None:
    with running_server(tmp_path, options=["--room", "2"]) as server:
        printed = server.log.read_text(errors="replace")
        assert "Ready for a room of 2" in printed
        workbook = server.new_workbook("Planned room")
        # Voila logs each page it serves from a prestarted kernel.
        page = browser.new_context().new_page()
        join_team(page, workbook.team_link, "Bo", "Wicked, tame or critical?")
        expect(page.get_by_role("button", name="Add an issue")).to_be_visible(timeout=PAGE_LOAD)
        log = server.log.read_text(errors="replace")
        assert "Using pre-heated kernel" in log and "for index.ipynb" in log
        assert "for exercise.ipynb" in log
        page.context.close()


def test_kernels_talk_to_the_server_over_unix_sockets(tmp_path) -> None:
    """A kernel's channels are Unix sockets, not TCP ports: a burst cannot race kernels for
    ports ("Address already in use" killed pages)."""
    with running_server(tmp_path, options=["--room", "1"]) as server:
        folder = re.search(r"Storing connection files in (\S+?)\.?$", server.log.read_text(), re.M)
        assert folder is not None
        files: list[Path] = []
        for _ in range(180):  # the pool starts once the server listens: up to 90 s
            files = sorted(Path(folder.group(1)).glob("kernel-*.json"))
            if len(files) >= 2:  # one per notebook: index and exercise
                break
            time.sleep(0.5)
        assert files, "the planned room's kernels have started"
        for file in files:
            assert json.loads(file.read_text())["transport"] == "ipc"


def test_a_room_larger_than_planned_never_waits_for_a_refill(tmp_path, browser) -> None:
    """The planned room's kernel taken, the next visitor gets a kernel started for them, not
    the pool's refill, which waits a minute before it starts (Voila hands out the pool's
    first entry and awaits it, ready or not)."""
    with running_server(tmp_path, options=["--room", "1"]) as server:
        workbook = server.new_workbook("One more than planned")
        for _ in range(240):
            if "Kernel pool of index.ipynb is filled" in server.log.read_text(errors="replace"):
                break
            time.sleep(0.5)
        first = browser.new_context().new_page()
        first.goto(workbook.team_link)
        expect(first.get_by_label(NAME_BOX)).to_be_visible(timeout=PAGE_LOAD)
        second = browser.new_context().new_page()
        second.goto(workbook.team_link)
        # Sooner than the refill could exist (REFILL_DELAY_SECONDS, 60 s, then its start).
        expect(second.get_by_label(NAME_BOX)).to_be_visible(timeout=45_000)
        log = server.log.read_text(errors="replace")
        assert log.count("Using pre-heated kernel") == 1, log[-3000:]
        for page in (first, second):
            page.context.close()
