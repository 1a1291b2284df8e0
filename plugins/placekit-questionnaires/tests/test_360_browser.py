"""The six dimensions' 360 in a real Chromium against a real ``placekit serve``: invite,
rate, and the leader's results.

Ann joins her team's workbook, opens the 360 and finds a link for each rater group on
"Invite raters". A colleague opens the peers' link in a browser of their own: they are
told whom they are rating and that they are anonymous, are asked no name, rate every
statement and send. Two more peers answer the same link from Python
(``placekit.questionnaires.rate``), to keep the page loads few. Ann rates herself, closes
her 360 and sees herself against her peers in a table and a chart. A link cut short, and
the link once the 360 is closed, each say so in the page.

Run it with ``pytest -m browser plugins/placekit-questionnaires/tests/test_360_browser.py``.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from placekit.questionnaires import rate
from placekit.testing import Server, choose_radio, join_team, registry

pytestmark = pytest.mark.browser

PAGE_LOAD = 90_000  # ms: a cold Voila page is interactive in seconds, on a busy machine more
ACTION = 30_000  # ms: one round trip to the kernel (a save, a page change)
EX = "systems-leadership-360"
TITLE = "Six dimensions of systems leadership: 360"
EXERCISE = registry().exercises[EX]
Q = EXERCISE.questionnaire  # type: ignore[attr-defined]


def go_on(page: Page, progress: str, button: str = "Continue") -> None:
    """Press Continue (or Confirm) and wait for the next page's progress line."""
    pressed = page.get_by_role("button", name=button, exact=True)
    expect(pressed).to_be_enabled()
    pressed.click()
    expect(page.get_by_text(progress, exact=True)).to_be_visible()


def rate_every_statement(page: Page, answer: str, first_step: int, steps: int) -> None:
    """On each dimension's page in turn: choose ``answer`` for every statement, go on."""
    titles = [d.title for d in Q.dimensions] + ["Check your answers"]
    for number, dim in enumerate(Q.dimensions):
        for item in dim.items:
            choose_radio(page, item.text, answer)
        go_on(page, f"Step {first_step + number + 1} of {steps}: {titles[number + 1]}")


def test_invite_rate_and_see_the_results(
    new_context: Callable[..., BrowserContext], placekit_server: Server
) -> None:
    workbook = placekit_server.new_workbook("Eastvale leadership team")
    ann = new_context().new_page()
    ann.context.set_default_timeout(ACTION)
    ann.on("dialog", lambda dialog: pytest.fail(f"a dialog opened: {dialog.message}"))
    join_team(ann, workbook.team_link, "Ann Quayle", TITLE)
    expect(ann.get_by_text("Step 1 of 10: Before you start", exact=True)).to_be_visible(
        timeout=PAGE_LOAD
    )
    expect(ann.get_by_text("This is a 360.", exact=False)).to_be_visible()
    go_on(ann, "Step 2 of 10: Invite raters")
    expect(ann.get_by_label("Your name, as your raters will see it")).to_have_value("Ann Quayle")
    expect(ann.get_by_text("No one has answered yet.")).to_be_visible()
    peers = ann.locator("li").filter(
        has=ann.get_by_role("heading", name="Colleagues and peers", exact=True)
    )
    link = peers.locator("code").inner_text().strip()
    assert link.startswith(placekit_server.base_url) and "exercise=" + EX in link
    assert "Ann" not in link  # the name travels encoded; nothing in the link is a rater's

    rater = new_context().new_page()
    rater.context.set_default_timeout(ACTION)
    rater.goto(link)
    expect(rater.get_by_text("Step 1 of 9: Before you start", exact=True)).to_be_visible(
        timeout=PAGE_LOAD
    )
    expect(
        rater.get_by_text("You are rating Ann Quayle, as one of their colleagues and peers")
    ).to_be_visible()
    expect(rater.get_by_text("Your answers are anonymous.", exact=False)).to_be_visible()
    expect(rater.get_by_label("Your name, as your team will see it")).to_have_count(0)
    go_on(rater, f"Step 2 of 9: {Q.dimensions[0].title}")
    expect(rater.get_by_text("How like Ann Quayle is this?")).to_be_visible()
    rate_every_statement(rater, "Somewhat like them", 2, 9)
    expect(rater.get_by_role("heading", name=Q.dimensions[0].title)).to_be_visible()
    go_on(rater, "Step 9 of 9: Thank you", "Confirm and continue")
    expect(rater.get_by_text("Thank you. Your answers about Ann Quayle are in.")).to_be_visible()
    for score in (3, 2):  # two more peers, by the same link
        rate(EXERCISE, link, {item.id: score for item in Q.items}, db=placekit_server.db)

    go_on(ann, f"Step 3 of 10: {Q.dimensions[0].title}")
    rate_every_statement(ann, "Mostly like me", 3, 10)
    go_on(ann, "Step 10 of 10: Your 360 results", "Confirm and continue")
    expect(ann.get_by_text("3 colleagues and peers have answered.")).to_be_visible()
    expect(
        ann.get_by_text("Your results appear when you close your 360", exact=False)
    ).to_be_visible()
    ann.get_by_role("button", name="Close my 360 and show my results").click()
    ann.get_by_role("button", name="Yes, close my 360").click()
    expect(ann.get_by_text("Your 360 is closed.", exact=False)).to_be_visible()
    dimensions = ann.locator("table").filter(has_text="Gap (you − all raters)").first
    expect(
        dimensions.get_by_role("columnheader", name="Colleagues and peers", exact=True)
    ).to_be_visible()
    expect(dimensions.get_by_role("columnheader", name="All raters", exact=True)).to_be_visible()
    # Peers answered 3, 3 and 2 on every statement: 8/3 = 2.67; she said 4: a gap of 1.33.
    feeling = dimensions.locator("tr").filter(has_text=Q.dimensions[0].title)
    expect(feeling).to_contain_text("2.67")
    expect(feeling).to_contain_text("1.33")
    expect(feeling).to_contain_text("blind spot")
    expect(
        ann.get_by_text("The table “Each dimension” has the same figures", exact=False)
    ).to_be_visible()
    expect(ann.locator(".vega-embed").locator("canvas, svg.marks").first).to_be_visible(
        timeout=PAGE_LOAD
    )

    late = new_context().new_page()
    late.context.set_default_timeout(ACTION)
    late.goto(link)
    expect(late.get_by_text("Ann Quayle's 360 has closed", exact=False)).to_be_visible(
        timeout=PAGE_LOAD
    )
    cut = re.sub(r"(code=[^&]{40})[^&]*", r"\1", link)
    late.goto(cut)
    expect(late.get_by_role("heading", name="This link is not valid")).to_be_visible(
        timeout=PAGE_LOAD
    )
    expect(late.get_by_text("ask the person who sent it", exact=False)).to_be_visible()
