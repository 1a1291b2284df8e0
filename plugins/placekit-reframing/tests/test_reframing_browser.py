"""Reframing in a real Chromium against a real ``placekit serve``, as a team does it.

Three members join one workbook in browsers of their own. Ann states the problem (with
markup in it, which must stay text), answers whose frame it is, writes two reframes,
checks and confirms her answers and votes; Bob adds a third reframe; once three have
voted the totals show, and Cai records the team's choice, then adds the chosen reframe to
the triage from its suggestions. The facilitator then sees the results, the chart and the
downloads, and no one's vote. One test, in order, to keep the page loads (seconds each)
few.

Run it with ``pytest -m browser plugins/placekit-reframing``: the ``placekit_server``
fixture (from ``placekit.testing``) starts ``placekit serve`` on a fresh database, and
``join_team`` joins as a new member does.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from playwright.sync_api import BrowserContext, Page, expect

from placekit.testing import Server, continue_refused, join_team

pytestmark = pytest.mark.browser

PAGE_LOAD = 60_000  # ms: a cold Voila page is interactive in seconds, on a busy machine more
ACTION = 20_000  # ms: one round trip to the kernel (a save, a page change)

PROBLEM = "Too many <img src=x onerror=alert(1)> hard-to-reach families miss appointments"
REFRAMES = (
    ("What makes an appointment easy to keep?", "Transport and childcare become part of it."),
    ("How might families choose when and where we meet?", "Home visits count as access."),
    ("What already helps families get to things on time?", "Schools and neighbours help."),
)
WHOSE = "The clinic's: it counts missed slots, not missed care"


def no_injected_markup(page: Page) -> None:
    assert page.locator('img[src="x"]').count() == 0


def saved(page: Page) -> None:
    expect(page.locator(".pk-status")).to_contain_text(re.compile(r"Saved at \d\d:\d\d:\d\d"))


def go_on(page: Page, progress: str, button: str = "Continue") -> None:
    """Press Continue (or Confirm) and wait for the next page's progress line."""
    pressed = page.get_by_role("button", name=button, exact=True)
    expect(pressed).to_be_enabled()
    pressed.click()
    expect(page.get_by_text(progress, exact=True)).to_be_visible()


def member(context: BrowserContext, server: Any, name: str) -> Page:
    context.set_default_timeout(ACTION)
    page = context.new_page()
    page.on("dialog", lambda dialog: pytest.fail(f"a dialog opened: {dialog.message}"))
    join_team(page, server.team_link, name, "Reframing")
    expect(page.get_by_text("Step 1 of 7: State the problem", exact=True)).to_be_visible(
        timeout=PAGE_LOAD
    )
    return page


def answer_whose_frame(page: Page, who: str) -> None:
    page.get_by_label("Whose frame is this?").fill(f"{WHOSE} ({who})")
    page.get_by_label("What would the people who use the service call it?").fill(
        f"Getting there with the children ({who})"
    )
    page.get_by_label("What would a partner call it?").fill(f"A transport problem ({who})")
    saved(page)


def add_reframe(page: Page, number: int, text: str, possible: str) -> None:
    page.get_by_role("button", name="Add a reframe").click()
    page.get_by_label(f"Reframe {number}: reframed as…").fill(text)
    page.get_by_label("What becomes possible if we call it this?").nth(number - 1).fill(possible)
    saved(page)


def confirm_and_vote(page: Page, votes: tuple[int, ...]) -> None:
    expect(page.get_by_role("heading", name="Check your answers")).to_be_visible()
    go_on(page, "Step 5 of 7: Vote", "Confirm and continue")
    for number in votes:
        box = page.get_by_role("checkbox", name=REFRAMES[number][0], exact=True)
        box.check()
        expect(box).to_be_checked()
    saved(page)
    go_on(page, "Step 6 of 7: Choose a reframe")


def test_a_team_reframes_a_problem_votes_and_chooses(
    new_context: Callable[..., BrowserContext], placekit_server: Server, tmp_path: Path
) -> None:
    workbook = placekit_server.new_workbook("Eastvale <b>families</b> team")

    # Ann: the problem as it is usually put, whose frame it is, two reframes.
    ann = member(new_context(), workbook, "Ann (health visiting)")
    continue_refused(ann, "Add the problem you want to reframe")
    ann.get_by_role("button", name="Add a problem").click()
    ann.get_by_label("Problem 1, as it is usually put").fill(PROBLEM)
    ann.get_by_label("Where do you hear it put this way? (optional)").fill("The clinic's report")
    saved(ann)
    go_on(ann, "Step 2 of 7: Whose frame is it?")
    expect(ann.get_by_text(PROBLEM, exact=True)).to_be_visible()  # shown as text
    no_injected_markup(ann)
    expect(ann.get_by_text("Who finds the service hard to reach", exact=False)).to_be_visible()
    answer_whose_frame(ann, "Ann")
    go_on(ann, "Step 3 of 7: Reframe it")
    expect(ann.get_by_text("Getting there with the children (Ann)")).to_be_visible()
    add_reframe(ann, 1, *REFRAMES[0])
    expect(ann.get_by_text("Written by Ann (health visiting)")).to_be_visible()
    add_reframe(ann, 2, *REFRAMES[1])
    go_on(ann, "Step 4 of 7: Check your answers")
    row = ann.locator("table.pk-table tbody tr").first
    expect(row.locator("td").nth(1)).to_have_text("3 of 3")
    expect(row.locator("td").nth(2)).to_have_text("2")
    confirm_and_vote(ann, (1,))
    expect(ann.get_by_text("Votes are shown once at least 3 members have voted")).to_be_visible()

    # Bob adds a third reframe and votes for two; Cai votes; the totals then show.
    bob = member(new_context(), workbook, "Bob (schools)")
    expect(bob.get_by_label("Problem 1, as it is usually put")).to_have_value(PROBLEM)
    go_on(bob, "Step 2 of 7: Whose frame is it?")
    answer_whose_frame(bob, "Bob")
    go_on(bob, "Step 3 of 7: Reframe it")
    expect(bob.get_by_label("Reframe 2: reframed as…")).to_have_value(REFRAMES[1][0])
    add_reframe(bob, 3, *REFRAMES[2])
    go_on(bob, "Step 4 of 7: Check your answers")
    confirm_and_vote(bob, (1, 2))

    cai = member(new_context(), workbook, "Cai (parents' forum)")
    go_on(cai, "Step 2 of 7: Whose frame is it?")
    answer_whose_frame(cai, "Cai")
    go_on(cai, "Step 3 of 7: Reframe it")
    go_on(cai, "Step 4 of 7: Check your answers")
    confirm_and_vote(cai, (1,))
    votes = cai.locator("table.pk-table").filter(has_text="The vote (3 members have voted)")
    first = votes.locator("tbody tr").first
    expect(first.locator("td").nth(0)).to_have_text("1st")
    expect(first.locator("td").nth(1)).to_have_text(REFRAMES[1][0])
    expect(first.locator("td").nth(2)).to_have_text("3")
    cai.get_by_role("radio", name=f"{REFRAMES[1][0]} (3 votes)", exact=True).check()
    cai.get_by_label("A first step this reframe opens up (optional)").fill("Ask ten families")
    saved(cai)
    go_on(cai, "Step 7 of 7: Take it further")
    expect(cai.get_by_role("cell", name=REFRAMES[1][0], exact=True)).to_be_visible()
    no_injected_markup(cai)

    # The chosen reframe reaches the triage: Cai opens it and adds it as an issue in one click.
    cai.get_by_role("link", name="All exercises", exact=True).click()
    cai.get_by_role("link", name="Wicked, tame or critical?").click()
    add = cai.get_by_role("button", name=f"Add “{REFRAMES[1][0]}” as an issue", exact=True)
    expect(add).to_be_visible(timeout=PAGE_LOAD)
    add.click()
    expect(cai.get_by_label("Issue 1", exact=True)).to_have_value(REFRAMES[1][0])
    expect(add).to_have_count(0)  # on the list now: no longer suggested

    # The facilitator: the choice, every reframe with its votes, the chart, the downloads.
    fac = new_context().new_page()
    fac.set_default_timeout(ACTION)
    fac.goto(
        workbook.facilitator_link.replace("index.ipynb", "exercise.ipynb") + "&exercise=reframing"
    )
    expect(fac.get_by_role("heading", name="Reframing: team results")).to_be_visible(
        timeout=PAGE_LOAD
    )
    chosen = fac.locator(".widget-html-content").filter(
        has=fac.get_by_role("heading", name="Chosen reframes", exact=True)
    )
    expect(chosen.locator("tbody tr").first).to_contain_text(REFRAMES[1][0])
    expect(chosen.locator("tbody tr").first).to_contain_text("Ask ten families")
    table = fac.locator(".widget-html-content").filter(
        has=fac.get_by_role("heading", name="Reframes and votes", exact=True)
    )
    expect(table.locator("tbody tr")).to_have_count(3)
    expect(fac.get_by_role("heading", name="Votes for each reframe")).to_be_visible()
    expect(fac.locator(".vega-embed").first).to_be_visible()
    expect(fac.get_by_text(PROBLEM).first).to_be_visible()
    no_injected_markup(fac)

    fac.get_by_role("button", name="Prepare the downloads").click()
    with fac.expect_download() as download:
        fac.get_by_role("link", name="All results (Excel)").click()
    book = openpyxl.load_workbook(io.BytesIO(Path(download.value.path()).read_bytes()))
    assert {"Completion", "Chosen reframes", "Reframes and votes"} <= set(book.sheetnames)
    votes_sheet = [[c.value for c in row] for row in book["Reframes and votes"].iter_rows()]
    header = votes_sheet[0]
    assert header[:2] == ["Problem", "Reframe"] and "Votes" in header
    by_reframe = {row[1]: row[header.index("Votes")] for row in votes_sheet[1:]}
    assert by_reframe == {REFRAMES[0][0]: 0, REFRAMES[1][0]: 3, REFRAMES[2][0]: 1}
    # Totals only: no sheet says who voted for what.
    assert "Member" not in header
