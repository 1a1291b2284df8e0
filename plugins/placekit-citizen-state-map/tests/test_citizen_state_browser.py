"""The citizen–state relationship map in a real Chromium against a real ``placekit serve``.

Ann lists two services (one named with markup, which must stay text), places each now and
where it should be with the keyboard-friendly radio buttons, names who could co-produce
one, checks and confirms the map, and sees the map and the moves. The facilitator sees the
same tables and chart, and downloads them.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest
from playwright.sync_api import BrowserContext, Page, expect

from placekit.testing import Server, choose_radio, continue_refused, join_team

pytestmark = pytest.mark.browser

PAGE_LOAD = 60_000  # ms
ACTION = 20_000  # ms
REPAIRS = "Housing <img src=x onerror=alert(1)> repairs"
YOUTH = "Youth offending"
QUESTIONS = (
    "Is it a transaction, or a relationship?",
    "Do people choose it, or is it required of them?",
    "Is it experienced one person at a time, or together?",
    "Who delivers it?",
    "Are the people who use it recipients, consumers or co-producers?",
)


def go_on(page: Page, progress: str, button: str = "Continue") -> None:
    pressed = page.get_by_role("button", name=button, exact=True)
    expect(pressed).to_be_enabled()
    pressed.click()
    expect(page.get_by_text(progress, exact=True)).to_be_visible()


def saved(page: Page) -> None:
    expect(page.locator(".pk-status")).to_contain_text(re.compile(r"Saved at \d\d:\d\d:\d\d"))


def place(page: Page, answers: tuple[str, ...], future: bool) -> None:
    for question, answer in zip(QUESTIONS, answers, strict=True):
        if future:
            question += (
                " What should they be?" if question.startswith("Are") else " Where should it be?"
            )
        choose_radio(page, question, answer)
    saved(page)


def no_injected_markup(page: Page) -> None:
    assert page.locator('img[src="x"]').count() == 0


def test_a_team_maps_its_services_and_sees_the_moves(
    new_context: Callable[..., BrowserContext], placekit_server: Server
) -> None:
    workbook = placekit_server.new_workbook("Eastvale <i>public service</i> board")
    context = new_context()
    context.set_default_timeout(ACTION)
    ann = context.new_page()
    ann.on("dialog", lambda dialog: pytest.fail(f"a dialog opened: {dialog.message}"))
    join_team(ann, workbook.team_link, "Ann (council)", "Citizen–state relationship map")
    expect(ann.get_by_text("Step 1 of 6: List your services", exact=True)).to_be_visible(
        timeout=PAGE_LOAD
    )
    for number, (name, provider) in enumerate(((REPAIRS, "Borough council"), (YOUTH, "")), 1):
        ann.get_by_role("button", name="Add a service").click()
        ann.get_by_label(f"Service {number}", exact=True).fill(name)
        if provider:
            ann.get_by_label("Who runs it? (optional)").first.fill(provider)
    saved(ann)

    go_on(ann, "Step 2 of 6: Where each is now — page 1 of 2")
    expect(ann.locator("strong").filter(has_text="Housing")).to_have_text(REPAIRS)
    no_injected_markup(ann)
    continue_refused(ann)
    place(ann, ("1 – Transactional", "2 – mostly voluntary", "1 – Experienced individually",
                "4 – mostly contracted out", "Consumer: people choose and use it, as customers"),
          future=False)  # fmt: skip
    go_on(ann, "Step 2 of 6: Where each is now — page 2 of 2")
    place(ann, ("4 – mostly high-touch", "5 – Enforced", "1 – Experienced individually",
                "1 – Provided by the state", "Recipient: the service is done to or for people"),
          future=False)  # fmt: skip
    go_on(ann, "Step 3 of 6: Where each should be — page 1 of 2")
    expect(ann.get_by_text("Now: 1 – transactional", exact=True)).to_be_visible()
    place(ann, ("3 – in between", "2 – mostly voluntary", "2 – mostly experienced individually",
                "4 – mostly contracted out",
                "Co-producer: people and the service make it work together"),
          future=True)  # fmt: skip
    go_on(ann, "Step 3 of 6: Where each should be — page 2 of 2")
    place(ann, ("5 – High-touch", "4 – mostly enforced", "3 – in between",
                "2 – mostly provided by the state",
                "Co-producer: people and the service make it work together"),
          future=True)  # fmt: skip

    go_on(ann, "Step 4 of 6: Who could co-produce them")
    ann.get_by_label(f"Others who could co-produce {YOUTH} (one per line, optional)").fill(
        "Youth forum\nMentoring scheme"
    )
    saved(ann)
    go_on(ann, "Step 5 of 6: Check the map")
    table = ann.locator("table").filter(has_text="The map: now → should be")
    row = table.locator("tbody tr").filter(has=ann.get_by_role("cell", name=YOUTH, exact=True))
    expect(row).to_contain_text("recipient → co-producer")
    expect(row).to_contain_text("4 → 5")
    no_injected_markup(ann)
    go_on(ann, "Step 6 of 6: The map and the moves", "Confirm and continue")
    expect(ann.get_by_text("The team confirmed this map on", exact=False)).to_be_visible()
    expect(
        ann.get_by_role("cell", name=f"{YOUTH}: people move from recipient to co-producer:"
                        " a bigger part for them in making it work")
    ).to_be_visible()  # fmt: skip
    expect(ann.locator(".vega-embed").first).to_be_visible()
    no_injected_markup(ann)

    fac = new_context().new_page()
    fac.set_default_timeout(ACTION)
    fac.goto(
        workbook.facilitator_link.replace("index.ipynb", "exercise.ipynb")
        + "&exercise=citizen-state"
    )
    expect(
        fac.get_by_role("heading", name="Citizen–state relationship map: team results")
    ).to_be_visible(timeout=PAGE_LOAD)
    moves = fac.locator(".widget-html-content").filter(
        has=fac.get_by_role("heading", name="The moves", exact=True)
    )
    expect(moves.locator("tbody tr")).to_have_count(8)
    expect(fac.get_by_role("heading", name="Where each service is, and should be")).to_be_visible()
    expect(fac.locator(".vega-embed").first).to_be_visible()
    expect(fac.get_by_role("cell", name=REPAIRS, exact=True).first).to_be_visible()
    no_injected_markup(fac)
    fac.get_by_role("button", name="Prepare the downloads").click()
    with fac.expect_download() as download:
        fac.get_by_role("link", name="All results (Excel)").click()
    book = openpyxl.load_workbook(io.BytesIO(Path(download.value.path()).read_bytes()))
    assert {"The map", "The moves", "Who could co-produce"} <= set(book.sheetnames)
    words = [row[-1] for row in book["The moves"].iter_rows(min_row=2, values_only=True)]
    assert (
        f"{YOUTH}: from mostly high-touch (4) to high-touch (5): 1 step towards high-touch" in words
    )
