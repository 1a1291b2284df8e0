"""A page's kernel lives as long as its page: shut down when the tab closes or reloads, and
a page whose kernel or server has gone says so at once, takes no more typing, and resumes
after a reload."""

from __future__ import annotations

import time
import urllib.error
import urllib.request

import pytest
from playwright.sync_api import expect

from placekit.data.access import resolve
from placekit.data.responses import Responses
from placekit.data.store import Store
from placekit.plugins import get_registry
from placekit.testing import Server, join_team, page_kernel_id, running_server

pytestmark = pytest.mark.browser
PAGE_LOAD = 60_000


def alive(server: Server, kernel: str) -> bool:
    """Whether the server still runs this kernel (a GET of its API starts nothing)."""
    try:
        with urllib.request.urlopen(f"{server.base_url}/api/kernels/{kernel}", timeout=10):
            return True
    except urllib.error.HTTPError as error:
        if error.code == 404:
            return False
        raise


def titles(server: Server, team_code: str) -> list[str]:
    """The triage issues' titles as stored: what the member's typing has saved so far."""
    store = Store(server.db)
    access = resolve(store, team_code)
    triage = get_registry().exercises["triage"]
    return [
        i.get("title")
        for i in Responses(store, access.workbook_id, triage).records("issue").values()
    ]


def wait_until(condition, seconds: float) -> float:
    """Seconds taken for ``condition()`` to hold; fails the test after ``seconds``."""
    start = time.monotonic()
    while not condition():
        if time.monotonic() - start > seconds:
            raise AssertionError(f"still not true after {seconds} s")
        time.sleep(0.5)
    return time.monotonic() - start


def test_a_closed_or_reloaded_tab_leaves_no_kernel_behind(placekit_server, browser) -> None:
    server = placekit_server
    context = browser.new_context()
    page = context.new_page()
    page.goto(server.demo.team_link)
    expect(page.get_by_label("Your name, as your team will see it")).to_be_visible(
        timeout=PAGE_LOAD
    )
    first = page_kernel_id(page)
    assert alive(server, first)

    page.reload()
    expect(page.get_by_label("Your name, as your team will see it")).to_be_visible(
        timeout=PAGE_LOAD
    )
    second = page_kernel_id(page)
    assert second != first
    wait_until(lambda: not alive(server, first), 20)  # the reloaded page's old kernel
    assert alive(server, second)

    page.close()
    taken = wait_until(lambda: not alive(server, second), 20)
    assert taken < 20  # seconds, where culling alone would take minutes
    context.close()


def test_a_restarted_server_is_said_at_once_and_the_reload_resumes(tmp_path, browser) -> None:
    context = browser.new_context()
    page = context.new_page()
    with running_server(tmp_path) as first:
        workbook = first.new_workbook("Restarted")
        join_team(page, workbook.team_link, "Dee", "Wicked, tame or critical?")
        add = page.get_by_role("button", name="Add an issue")
        expect(add).to_be_visible(timeout=PAGE_LOAD)
        add.click()
        page.get_by_label("Issue 1", exact=True).fill("Damp homes")
        wait_until(lambda: "Damp homes" in titles(first, workbook.team_code), 20)
    port = int(first.base_url.rsplit(":", 1)[1])

    lost = page.get_by_role("alert").filter(has_text="Connection lost")
    expect(lost).to_be_visible(timeout=20_000)
    expect(lost).to_contain_text("Your answers up to")
    expect(lost).to_contain_text("are saved. Reload to carry on.")
    assert page.get_by_label("Issue 1", exact=True).is_disabled()  # nothing typed is lost
    expect(page.get_by_role("button", name="Reload")).to_be_focused()

    with running_server(tmp_path, db=first.db, port=port) as second:
        page.wait_for_timeout(10_000)  # a stale page left open on the new server a while
        stale = second.log.read_text(errors="replace")
        assert "Traceback" not in stale and "Uncaught exception" not in stale, stale[-3000:]
        page.get_by_role("button", name="Reload").click()
        expect(page.get_by_label("Issue 1", exact=True)).to_have_value(
            "Damp homes", timeout=PAGE_LOAD
        )
        expect(page.get_by_text("Connection lost")).to_have_count(0)
    context.close()
