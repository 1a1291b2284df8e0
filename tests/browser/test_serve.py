"""``placekit serve`` as a newcomer meets it: a demo on the first run, links that work, and
data that survives a restart."""

from __future__ import annotations

import subprocess

import psutil
import pytest
from playwright.sync_api import expect

from placekit.testing import (
    join_team,
    page_kernel_id,
    parse_links,
    placekit_command,
    running_server,
)

pytestmark = pytest.mark.browser
PAGE_LOAD = 60_000


def test_first_run_seeds_a_demo_and_a_restart_keeps_everything(tmp_path, browser):
    with running_server(tmp_path) as first:
        output = first.log.read_text()
        assert "First run: created a demo workbook" in output
        assert first.demo.title == "Demo: Blackpool Better Start"
        assert first.demo.team_link.startswith(first.base_url + "/voila/render/index.ipynb?code=")
        context = browser.new_context()
        page = context.new_page()
        join_team(page, first.demo.team_link, "Dee")
        expect(page.get_by_text("Signed in as Dee")).to_be_visible()

    port = int(first.base_url.rsplit(":", 1)[1])
    with running_server(tmp_path, db=first.db, port=port) as second:  # same file and address
        output = second.log.read_text()
        assert "First run" not in output  # no second demo
        assert second.demo.team_code == first.demo.team_code
        page = context.new_page()
        # The member is remembered by this browser and their workbook is still there.
        page.goto(second.url("index", code=first.demo.team_code))
        expect(page.get_by_text("Signed in as Dee")).to_be_visible(timeout=PAGE_LOAD)
        page.goto(second.url("exercise", code=first.demo.facilitator_code, exercise="triage"))
        completion = page.locator("table").first
        expect(completion).to_contain_text("Asha (council)", timeout=PAGE_LOAD)
        expect(completion).to_contain_text("Dee")
    context.close()


def test_placekit_new_prints_a_link_that_opens_on_the_running_server(tmp_path, browser):
    with running_server(tmp_path) as server:
        env = server.env()
        env.pop("PLACEKIT_BASE_URL")  # another terminal: only the database is shared
        done = subprocess.run(
            [placekit_command(), "new", "Northtown"],
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
            check=True,
        )
        (workbook,) = parse_links(done.stdout)
        assert workbook.team_link.startswith(server.base_url + "/voila/render/index.ipynb")
        page = browser.new_page()
        page.goto(workbook.team_link)
        expect(page.get_by_text("Northtown", exact=True)).to_be_visible(timeout=PAGE_LOAD)
        expect(page.get_by_role("heading", name="Join your team’s workbook")).to_be_visible()
        page.close()


def test_a_page_asks_nothing_of_any_other_site(tmp_path, browser):
    """Every request a member's page makes goes to the PlaceKit server they came by: no CDN
    learns who takes part, a network that blocks other sites does not hold the page up, and
    a member who came by another name for the server than the printed links' (here
    "localhost") stays on it, with their browser's memory of them."""
    with running_server(tmp_path) as server:
        workbook = server.new_workbook("Eastbrook")
        came_by = server.base_url.replace("127.0.0.1", "localhost")
        page = browser.new_page()
        asked: list[str] = []
        page.on("request", lambda request: asked.append(request.url))
        link = workbook.team_link.replace(server.base_url, came_by)
        join_team(page, link, "Ash", "Wicked, tame or critical?")  # by the page's own link
        # Still known there: the exercise's first step, not the join page.
        expect(page.get_by_role("button", name="Add an issue")).to_be_visible(timeout=PAGE_LOAD)
        assert page.url.startswith(f"{came_by}/voila/render/exercise.ipynb?")
        page.close()
    ours = (came_by, came_by.replace("http", "ws", 1), "data:", "blob:")
    elsewhere = [url for url in asked if not url.startswith(ours)]
    assert asked and not elsewhere, elsewhere


def test_the_server_root_and_file_list_lead_to_the_workbooks_index(tmp_path):
    """Voila's own file list of the notebooks is not a page for members."""
    import urllib.error
    import urllib.request

    class Stay(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None  # look at the redirect itself

    opener = urllib.request.build_opener(Stay)
    with running_server(tmp_path) as server:
        for path in ("/", "/voila/tree", "/voila/tree/workbooks"):
            with pytest.raises(urllib.error.HTTPError) as answer:  # not served as a page
                opener.open(server.base_url + path, timeout=30)
            assert answer.value.code == 302, path
            assert answer.value.headers["Location"] == "/voila/render/index.ipynb", path
        with pytest.raises(urllib.error.HTTPError) as answer:  # the notebooks not listed
            opener.open(server.base_url + "/voila/api/contents", timeout=30)
        assert answer.value.code == 404


def kernel_of(page) -> psutil.Process:
    """The process of the kernel behind ``page``, found by its connection file."""
    kernel = page_kernel_id(page)
    for process in psutil.process_iter(["cmdline"]):
        if f"kernel-{kernel}.json" in " ".join(process.info["cmdline"] or ()):
            return process
    raise AssertionError(f"no process runs kernel {kernel}")


@pytest.mark.parametrize(
    ("options", "parent"),
    [((), "placekit.web.kernels.warm"), (("--cold-kernels",), "placekit.web.server")],
)
def test_a_pages_kernel_is_forked_from_the_warm_python_unless_told_not_to(
    tmp_path, browser, options, parent
):
    with running_server(tmp_path, options=options) as server:
        page = browser.new_page()
        join_team(page, server.demo.team_link, "Dee")
        expect(page.get_by_text("Signed in as Dee")).to_be_visible()
        assert parent in kernel_of(page).parent().cmdline()
        page.close()
