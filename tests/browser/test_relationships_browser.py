"""The ally map in a real Chromium against a real ``placekit serve``.

Two members build an ally map in browsers of their own; one records a private
self-reflection and a team-only observation. The facilitator sees the grid, the power map
and the plan, never the reflection or the observation. One test, in order, to keep the
page loads (about 3-5 s each) few.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from placekit.testing import choose_radio, join_team

pytestmark = pytest.mark.browser

PAGE_LOAD = 60_000  # ms
ACTION = 20_000  # ms
REFLECTION = "I kept the discharge figures back at the last board"
EVIDENCE = "Briefed against the pilot after the March board"
CHANGE = "Every discharge has a home to go to by winter"


def go_on(page: Page, heading: str) -> None:
    button = page.get_by_role("button", name="Continue", exact=True)
    expect(button).to_be_enabled()
    button.click()
    expect(page.get_by_role("heading", name=heading)).to_be_visible()


def saved(page: Page) -> None:
    expect(page.locator(".pk-status")).to_contain_text(re.compile(r"Saved at \d\d:\d\d:\d\d"))


def join(context: BrowserContext, workbook: Any, name: str) -> Page:
    context.set_default_timeout(ACTION)
    page = context.new_page()
    page.on("dialog", lambda dialog: pytest.fail(f"a dialog opened: {dialog.message}"))
    join_team(page, workbook.team_link, name, "Allies and power map")
    expect(page.get_by_role("heading", name="Name the change")).to_be_visible(timeout=PAGE_LOAD)
    return page


def rate(page: Page, power: str, interest: str, stance: str, relationship: str) -> None:
    choose_radio(page, "Power over the change", power)
    choose_radio(page, "Interest in the change", interest)
    choose_radio(page, "Where they stand now", stance)
    choose_radio(page, "Our relationship with them", relationship)


def test_two_members_map_allies_and_the_facilitator_sees_no_private_answers(
    new_context: Callable[..., BrowserContext],
    make_workbook: Callable[[str], Any],
    screenshot: Callable[[Page, str], Path],
) -> None:
    workbook = make_workbook("Eastvale <b>discharge</b> team")

    # Ann names the change, reflects privately, lists and rates two stakeholders.
    ann = join(new_context(), workbook, "Ann (council)")
    ann.get_by_label("What do we want to change, and by when?").fill(CHANGE)
    saved(ann)
    go_on(ann, "Where am I in the politics of this?")
    expect(ann.get_by_text("Only you can see this page")).to_be_visible()
    choose_radio(ann, "Reading: how well am I reading the politics of this change?", "2")
    choose_radio(
        ann, "Carrying: how far am I acting with integrity here, rather than playing games?", "4"
    )
    ann.get_by_label("What I notice about myself (optional)").fill(REFLECTION)
    expect(ann.get_by_text("closest to the Sheep (lamb)", exact=False)).to_be_visible()
    saved(ann)
    screenshot(ann, "allies-self-reflection")
    go_on(ann, "Who is relevant to this change?")
    for number, (name, kind, circle) in enumerate(
        [
            ("Cabinet member for housing", "A role (whoever holds it)", "Inner circle: holds"
             " formal power to decide"),
            ("Tenants' federation", "A group (residents, a network, a committee)",
             "Outer circle: influences those who decide"),
        ],
        1,
    ):  # fmt: skip
        ann.get_by_role("button", name="Add a stakeholder").click()
        box = ann.get_by_label(f"Stakeholder {number} name", exact=True)
        box.fill(name)
        choose_radio(ann, f"Stakeholder {number} is", kind)
        choose_radio(ann, f"Stakeholder {number} circle", circle)
    saved(ann)
    go_on(ann, "Rate stakeholder 1 of 2")
    rate(ann, "5 – can decide it", "3", "We don't know", "0 – none")
    choose_radio(ann, "Reading the politics, as seen in this situation", "4")
    choose_radio(ann, "Acting with integrity, as seen in this situation", "2")
    ann.get_by_label("What we saw that makes us say so (required with a rating)").fill(EVIDENCE)
    saved(ann)
    go_on(ann, "Rate stakeholder 2 of 2")
    rate(ann, "2", "5 – cares a great deal", "+1 For", "2 – working")
    go_on(ann, "Who influences whom?")

    # Ben joins in his own browser: he sees the shared map, not Ann's reflection.
    ben = join(new_context(), workbook, "Ben (NHS)")
    expect(ben.get_by_label("What do we want to change, and by when?")).to_have_value(CHANGE)
    go_on(ben, "Where am I in the politics of this?")
    expect(ben.get_by_label("What I notice about myself (optional)")).to_have_value("")
    expect(ben.get_by_text(REFLECTION)).to_have_count(0)
    go_on(ben, "Who is relevant to this change?")
    expect(ben.get_by_label("Stakeholder 2 name", exact=True)).to_have_value("Tenants' federation")
    go_on(ben, "Rate stakeholder 1 of 2")
    go_on(ben, "Rate stakeholder 2 of 2")
    go_on(ben, "Who influences whom?")
    ben.get_by_role("button", name="Add a tie").click()
    choose_radio(ben, "Tie 1: who", "Tenants' federation")
    choose_radio(ben, "Tie 1: whom", "Cabinet member for housing")
    saved(ben)
    go_on(ben, "Where everyone stands")
    # Under its chart, the ally table is the chart's figures, in a region named for it.
    ally_table = ben.get_by_role("region", name="Ally table").locator("table")
    expect(ally_table.locator("caption")).to_have_text(
        "The figures in the chart “Power and interest”"
    )
    expect(ally_table.locator("tbody tr").first).to_contain_text("Needs to be an ally")
    # The team's observation is for the team: Ben sees it here, labelled as behaviour.
    expect(ben.get_by_text(EVIDENCE)).to_be_visible()
    expect(ben.locator(".vega-embed").first).to_be_visible()
    screenshot(ben, "allies-map-member")
    go_on(ben, "Plan relationship 1 of 1")
    ben.get_by_label("Bridge: who has the best relationship with them?").fill("Tenants' federation")
    ben.get_by_label("How we will approach them").fill("Invite them to the residents' forum")
    choose_radio(ben, "Who in the team owns this relationship", "Ann (council)")
    saved(ben)
    go_on(ben, "Review after a milestone")

    # The facilitator: the grid, the power map and the plan; no private answer anywhere.
    fac = new_context().new_page()
    fac.set_default_timeout(ACTION)
    fac.goto(
        workbook.facilitator_link.replace("index.ipynb", "exercise.ipynb") + "&exercise=allies"
    )
    expect(fac.get_by_role("heading", name="Allies and power map: team results")).to_be_visible(
        timeout=PAGE_LOAD
    )
    ally = fac.locator(".widget-html-content").filter(
        has=fac.get_by_role("heading", name="Ally table", exact=True)
    )
    row = ally.locator("tbody tr").first
    expect(row).to_contain_text("Cabinet member for housing")
    expect(row).to_contain_text("Needs to be an ally")
    expect(row).to_contain_text("Ann (council)")  # the plan's owner
    for heading in ("Power and interest", "Power map", "Influence ties", "Stance over time"):
        expect(fac.get_by_role("heading", name=heading, exact=True).first).to_be_visible()
    expect(fac.locator(".vega-embed")).to_have_count(3)  # the grid, the map, the movement
    power_map = fac.get_by_role("region", name="Power map").locator("table")
    expect(power_map).to_contain_text("influences Cabinet member for housing")
    # The map can focus on one stakeholder and their ties, chosen from a list (keyboard too).
    focus = fac.get_by_label("Focus on")
    expect(focus.locator("option")).to_contain_text(
        ["Everyone", "Cabinet member for housing", "Tenants' federation"]
    )
    focus.select_option("Tenants' federation")
    expect(focus).to_have_value("Tenants' federation")
    body = fac.locator("body")
    expect(body).not_to_contain_text(REFLECTION)
    expect(body).not_to_contain_text(EVIDENCE)
    expect(body).not_to_contain_text("Sheep")
    expect(body).not_to_contain_text("Behaviour seen in this situation")
    screenshot(fac, "allies-facilitator")
