"""Real-browser fixtures for PlaceKit's own tests: a real ``placekit serve`` and Debian's
Chromium. The server fixture (``placekit_server``) comes from ``placekit.testing``, the
same pytest plugin that plugin authors use; this file adds only what this suite needs.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from placekit.testing import ServedWorkbook, Server, chromium_launch_args

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"

# A page is interactive ~3-5 s after loading and a widget round trip is well under a
# second, but a 2-core machine under load can take far longer: wait generously.
EXPECT_TIMEOUT = 20_000  # ms
expect.set_options(timeout=EXPECT_TIMEOUT)


@pytest.fixture(scope="session")
def make_workbook(placekit_server: Server) -> Callable[[str], ServedWorkbook]:
    """Create a workbook with the real ``placekit new``; returns its title and links."""

    def make(title: str) -> ServedWorkbook:
        workbook = placekit_server.new_workbook(title)
        assert workbook.team_link.startswith(placekit_server.base_url)
        assert workbook.team_code != workbook.facilitator_code
        return workbook

    return make


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict) -> dict:
    return chromium_launch_args(browser_type_launch_args)


def save_screenshot(page: Page, name: str) -> Path:
    """The whole page as test-artifacts/<name>.png.

    Voila scrolls inside ``#rendered_cells``, so a full-page screenshot alone stops at the
    window; the window is made as tall as the content for the shot, then put back.
    """
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    size = page.viewport_size or {"width": 1280, "height": 720}
    height = page.evaluate(
        """() => {
          const cells = document.querySelector('#rendered_cells');
          const hidden = cells ? cells.scrollHeight - cells.clientHeight : 0;
          return document.documentElement.scrollHeight + Math.max(hidden, 0);
        }"""
    )
    page.set_viewport_size({"width": size["width"], "height": min(max(height, 400), 10000)})
    try:
        page.wait_for_timeout(300)  # let the layout settle at the new size
        page.screenshot(path=path, full_page=True)
    finally:
        page.set_viewport_size(size)
    return path


@pytest.fixture
def screenshot() -> Callable[[Page, str], Path]:
    return save_screenshot
