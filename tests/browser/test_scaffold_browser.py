"""A plugin made by ``placekit new-plugin`` is a real, installable exercise: once
pip-installed it is listed, served and usable in the browser with no edit to PlaceKit,
its own tests pass, and uninstalling it removes it."""

from __future__ import annotations

import subprocess
import sys

import pytest
from playwright.sync_api import expect

from placekit.testing import continue_refused, join_team, placekit_command

pytestmark = pytest.mark.browser
PAGE_LOAD = 60_000
TITLE = "Walk the patch"
DIST = "placekit-walk-the-patch"


def pip(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pip", *args], capture_output=True, text=True, check=False
    )


def placekit(*args: str, env=None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [placekit_command(), *args], capture_output=True, text=True, check=False, env=env
    )


@pytest.fixture
def installed_plugin(tmp_path):
    pip("uninstall", "-y", DIST)  # left over from an interrupted run
    made = placekit("new-plugin", TITLE, "--dir", str(tmp_path))
    assert made.returncode == 0, made.stderr
    folder = tmp_path / DIST
    # No build isolation: hatchling is already installed, and nothing is downloaded.
    done = pip("install", "--quiet", "--no-build-isolation", "-e", str(folder))
    assert done.returncode == 0, done.stderr
    try:
        yield folder
    finally:
        gone = pip("uninstall", "-y", DIST)
        assert gone.returncode == 0, gone.stderr
        assert "walk-the-patch" not in placekit("plugins").stdout


def test_a_scaffolded_plugin_installs_and_works_end_to_end(
    installed_plugin, placekit_server, browser
):
    listed = placekit("plugins")
    assert "walk-the-patch (placekit-walk-the-patch 0.1.0): walk-the-patch" in listed.stdout

    own_tests = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(installed_plugin)],
        capture_output=True,
        text=True,
        check=False,
        cwd=installed_plugin,
    )
    assert own_tests.returncode == 0, own_tests.stdout + own_tests.stderr
    assert "4 passed" in own_tests.stdout

    # The server was started before the plugin was installed: each new page finds it.
    workbook = placekit_server.new_workbook("Scaffold check")
    page = browser.new_context().new_page()
    page.goto(placekit_server.url("index"))
    expect(page.get_by_role("heading", name=TITLE, exact=True)).to_be_visible(timeout=PAGE_LOAD)
    join_team(page, workbook.team_link, "Pat")
    page.get_by_role("link", name=TITLE, exact=True).click()
    expect(page.get_by_text("Step 1 of 2: Your focus")).to_be_visible(timeout=PAGE_LOAD)
    continue_refused(page)
    page.get_by_label("What do you want to work on?").fill("Safer routes to school")
    expect(page.locator(".pk-error-summary")).to_have_count(0)
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_text("Step 2 of 2: Your confidence")).to_be_visible()
    page.get_by_role("radio", name="4", exact=True).check()
    expect(page.locator(".pk-status")).to_contain_text("Saved")

    page.reload()
    expect(page.get_by_text("Step 2 of 2: Your confidence")).to_be_visible(timeout=PAGE_LOAD)
    expect(page.get_by_role("radio", name="4", exact=True)).to_be_checked()
    page.get_by_role("button", name="Back").click()
    expect(page.get_by_label("What do you want to work on?")).to_have_value(
        "Safer routes to school"
    )
    page.context.close()
