"""What a plugin's browser tests add to the fixtures ``placekit.testing`` gives: point
pytest-playwright at a Chromium already on the machine (nothing is downloaded), and wait
as long for an assertion as for an action, since a page's kernel can be slow to answer on
a busy machine."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from placekit.testing import chromium_launch_args

# ms: a round trip to the page's kernel, with room for a busy machine
expect.set_options(timeout=30_000)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict) -> dict:
    return chromium_launch_args(browser_type_launch_args)
