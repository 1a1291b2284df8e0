"""The asset map in a real Chromium against a real ``placekit serve``: two members add and
link assets and plan an action, a reload resumes exactly where a member was, and the
facilitator sees the network map, its text alternative and the plan."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import BrowserContext, Locator, Page, expect

from placekit.testing import continue_refused, join_team

pytestmark = pytest.mark.browser

PAGE_LOAD = 60_000  # ms: a Voila page is interactive after ~3-5 s, rarely ~20 s
ACTION = 30_000  # ms: one widget round trip on a busy two-core machine
GROUP = "Knit & Natter <b>club</b>"  # typed HTML stays text


def open_member(
    new_context: Callable[..., BrowserContext], workbook: Any, name: str
) -> tuple[Page, list[str]]:
    context = new_context()
    context.set_default_timeout(ACTION)
    page = context.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    join_team(page, workbook.team_link, name, "Asset map")
    expect(page.get_by_text("Step 1 of 6: Reframe the question")).to_be_visible(timeout=PAGE_LOAD)
    return page, dialogs


def row_of(page: Page, table: Locator, first_cell: str) -> Locator:
    """The table row whose first cell reads exactly ``first_cell``."""
    exact = re.compile("^" + re.escape(first_cell) + "$")
    return table.locator("tbody tr").filter(has=page.locator("td:first-child", has_text=exact))


def go_on(page: Page, step: str) -> None:
    button = page.get_by_role("button", name="Continue", exact=True)
    expect(button).to_be_enabled()
    button.click()
    expect(page.get_by_text(step)).to_be_visible()


def test_two_members_map_link_and_plan_and_the_facilitator_sees_it(
    new_context: Callable[..., BrowserContext],
    make_workbook: Callable[[str], Any],
    screenshot: Callable[[Page, str], Path],
) -> None:
    workbook = make_workbook("Eastvale asset map")

    # -- Asha frames the map and records a group --------------------------------------------
    asha, asha_dialogs = open_member(new_context, workbook, "Asha (council)")
    asha.get_by_label("The place you are mapping").fill("Eastvale")
    question = asha.get_by_label("Your focus question")
    question.fill("Why are older people isolated?")
    expect(asha.get_by_text("Your question mentions")).to_be_visible()
    question.fill("What helps older people in Eastvale stay connected?")
    expect(asha.get_by_text("Your question mentions")).to_have_count(0)
    asha.get_by_role("radio", name="Only assets that are already public").check()
    go_on(asha, "Step 2 of 6: Record assets by category — page 1 of 6")
    go_on(asha, "page 2 of 6")
    asha.get_by_role("button", name="Add an asset: associations and groups").click()
    expect(asha.get_by_role("heading", name="Editing a new asset")).to_be_visible()
    continue_refused(asha, "Give asset 1 a name")
    asha.get_by_label("Name of the asset").fill(GROUP)
    asha.get_by_label("Who looks after it").fill("Volunteers")
    expect(asha.locator(".pk-error-summary")).to_have_count(0)
    expect(asha.locator(".pk-status")).to_contain_text("Saved at")
    screenshot(asha, "assets-category-form")

    # Leave and come back: the same page, the same asset open, everything typed still there.
    asha.reload()
    expect(asha.get_by_text("Step 2 of 6: Record assets by category — page 2 of 6")).to_be_visible(
        timeout=PAGE_LOAD
    )
    expect(asha.get_by_label("Name of the asset")).to_have_value(GROUP)
    expect(asha.get_by_label("Who looks after it")).to_have_value("Volunteers")
    expect(asha.get_by_text(GROUP, exact=True).first).to_be_visible()
    assert asha.locator("b").filter(has_text="club").count() == 0

    # -- Ben adds an institution, links it to Asha's group, and plans an action -------------
    ben, ben_dialogs = open_member(new_context, workbook, "Ben (NHS)")
    expect(ben.get_by_label("The place you are mapping")).to_have_value("Eastvale")
    go_on(ben, "page 1 of 6")
    go_on(ben, "page 2 of 6")
    expect(ben.get_by_text(GROUP, exact=True)).to_be_visible()
    go_on(ben, "page 3 of 6")
    ben.get_by_role("button", name="Add an asset: institutions").click()
    ben.get_by_label("Name of the asset").fill("Eastvale Library")
    ben.get_by_label("Postcode").fill("ne1 4st")
    offers = ben.get_by_role("group", name="What does it hold that the community could use?")
    offers.get_by_role("checkbox", name=re.compile("^Space")).check()
    offers.get_by_role("checkbox", name="Data and local knowledge").check()
    expect(ben.get_by_role("button", name="Continue", exact=True)).to_be_enabled()
    for page_number in (4, 5, 6):
        go_on(ben, f"page {page_number} of 6")
    go_on(ben, "Step 3 of 6: Check the whole inventory")
    expect(ben.get_by_text("Showing 2 of 2 matching assets")).to_be_visible()
    expect(ben.get_by_label("Name of Eastvale Library")).to_have_value("Eastvale Library")
    ben.get_by_label("Strength of Eastvale Library").select_option("4")
    ben.get_by_role("button", name=re.compile("^Category")).click()  # sort by category
    expect(ben.get_by_text("sorted by category A to Z")).to_be_visible()
    # The rows are drawn afresh from what is saved: the new strength is there.
    expect(ben.get_by_label("Strength of Eastvale Library")).to_have_value("4")
    screenshot(ben, "assets-inventory-table")
    go_on(ben, "Step 4 of 6: Connect assets")
    ben.get_by_label("First asset").select_option(label=f"{GROUP} (Associations)")
    ben.get_by_label("Second asset").select_option(label="Eastvale Library (Institutions)")
    ben.get_by_role("button", name="Link these assets").click()
    table = ben.locator("table").filter(has_text="Each asset and what it connects to")
    expect(row_of(ben, table, GROUP).locator("td").nth(3)).to_have_text("Eastvale Library")
    go_on(ben, "Step 5 of 6: Choose what to mobilise")
    ben.get_by_role("button", name="Add an action").click()
    ben.get_by_label("What will you do?").fill("Knitting afternoons in the library")
    together = ben.get_by_role("group", name="Assets it brings together")
    together.get_by_role("checkbox", name=f"{GROUP} (Associations)").check()
    together.get_by_role("checkbox", name="Eastvale Library (Institutions)").check()
    ben.get_by_role("radio", name="The community can do this with some help").check()
    ben.get_by_label("Who leads it?").fill("Library manager")
    ben.get_by_label("First step done by").fill("2025-11-01")
    expect(ben.get_by_role("button", name="Continue", exact=True)).to_be_enabled()
    go_on(ben, "Step 6 of 6: Co-produce and review")
    expect(ben.locator(".vega-embed").first).to_be_visible()
    screenshot(ben, "assets-review")

    # -- the facilitator sees the network and the plan ---------------------------------------
    context = new_context()
    context.set_default_timeout(ACTION)
    facilitator = context.new_page()
    facilitator.goto(workbook.facilitator_link)
    expect(facilitator.get_by_role("heading", name="Facilitator view")).to_be_visible(
        timeout=PAGE_LOAD
    )
    facilitator.get_by_role("link", name="Asset map").click()
    expect(facilitator.get_by_role("heading", name="Asset map: team results")).to_be_visible(
        timeout=PAGE_LOAD
    )
    expect(facilitator.get_by_role("heading", name="Network map")).to_be_visible()
    chart = facilitator.locator(".vega-embed").locator("canvas, svg.marks")
    expect(chart.first).to_be_visible()
    alternative = facilitator.locator(".widget-html-content").filter(
        has=facilitator.get_by_role("heading", name="Each asset and what it connects to")
    )
    library = row_of(facilitator, alternative, "Eastvale Library")
    expect(library.locator("td").nth(3)).to_have_text(GROUP)
    plan = facilitator.locator(".widget-html-content").filter(
        has=facilitator.get_by_role("heading", name="Mobilisation plan", exact=True)
    )
    action = plan.locator("tbody tr").filter(has_text="Knitting afternoons in the library")
    expect(action.locator("td").nth(2)).to_have_text(f"Eastvale Library; {GROUP}")
    expect(action.locator("td").nth(4)).to_have_text("Library manager")
    expect(action.locator("td").nth(7)).to_have_text("2025-11-01")
    offered = facilitator.locator(".widget-html-content").filter(
        has=facilitator.get_by_role("heading", name="What institutions could offer")
    )
    expect(row_of(facilitator, offered, "Data and local knowledge")).to_contain_text(
        "Eastvale Library"
    )
    facilitator.get_by_role("button", name="Prepare the downloads").click()
    expect(facilitator.get_by_role("link", name="All results (Excel)")).to_be_visible()
    expect(facilitator.get_by_role("link", name="Asset inventory (CSV)")).to_be_visible()
    assert facilitator.locator("b").filter(has_text="club").count() == 0
    screenshot(facilitator, "assets-facilitator-results")
    assert asha_dialogs == [] and ben_dialogs == []
