"""axe-core on every page type of each kind of installed exercise, in a real Chromium on a
real ``placekit serve``: each step a member can open (questions, check your answers,
their results) and each facilitator results page, with the demo's answers in them.

WCAG 2.2 AA allows no critical or serious finding and no content outside a landmark;
``check_accessibility`` fails on any and prints each page's counts. The exercise tests
check their own pages with errors showing; the triage test checks the index, join and
invalid-link pages. A plugin installed here is swept too, with the answers its
``seed_demo`` gives.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from placekit.data.store import Store
from placekit.dev.demo import seed_demo
from placekit.plugins import get_registry
from placekit.testing import Server, check_accessibility

pytestmark = pytest.mark.browser

PAGE_LOAD = 60_000  # ms: a Voila page is interactive after ~3-5 s, rarely ~20 s
ACTION = 30_000  # ms: a step change; a results page draws its charts after it shows
_STEP = re.compile(r"Step (\d+) of (\d+)")


@pytest.fixture(scope="module")
def seeded(placekit_server: Server) -> Any:
    """A workbook of the demo's members and answers, in the running server's database."""
    return seed_demo(Store(placekit_server.db), title="Accessibility sweep")


def one_of_each_kind() -> list[Any]:
    """The installed exercises, one for each kind of page: exercises built by the same
    class with the same options have the same pages (the questionnaires written as TOML
    share one engine, whose pages differ only with rating each of a list or inviting
    raters). Seventeen exercises are eleven kinds today; checking each once saves minutes."""
    kinds: dict[tuple[Any, ...], Any] = {}
    for exercise in get_registry().exercises.values():
        q = getattr(exercise, "questionnaire", None)
        shape = (bool(q.rate_each), bool(q.raters)) if q is not None else ()
        kinds.setdefault((type(exercise), exercise.anonymity, shape), exercise)
    return list(kinds.values())


def exercise_links(page: Page, titles: list[str]) -> dict[str, str]:
    """Each exercise's link on a workbook's page (a member's or the facilitator's)."""
    found = {}
    for title in titles:
        link = page.get_by_role("link", name=title, exact=True)
        expect(link).to_have_count(1)
        found[title] = link.evaluate("a => a.href")  # made whole: a page's links are relative
    return found


def test_every_members_step_passes_axe(
    browser: Browser, placekit_server: Server, seeded: Any
) -> None:
    exercises = one_of_each_kind()
    asha = seeded.members[0]
    context = browser.new_context()
    context.set_default_timeout(ACTION)
    page = context.new_page()
    page.goto(placekit_server.url("index", code=seeded.team, me=asha.token))
    expect(page.get_by_role("heading", name="Your workbook")).to_be_visible(timeout=PAGE_LOAD)
    links = exercise_links(page, [e.title for e in exercises])
    swept = 0
    for exercise in exercises:
        page.goto(links[exercise.title])
        progress = page.locator("[data-pk-title]")  # the step's "Step 3 of 9: …"
        expect(progress).to_contain_text(_STEP, timeout=PAGE_LOAD)
        steps = page.locator("ol.pk-tasks > li")
        expect(steps).to_have_count(len(exercise.steps))
        for number, (_step_id, title) in enumerate(exercise.steps, 1):
            step = steps.nth(number - 1).get_by_role("link")
            if step.count() == 0:
                continue  # "Cannot start yet": there is no page to check
            step.click()
            expect(progress).to_contain_text(f"Step {number} of {len(exercise.steps)}")
            check_accessibility(page, f"{exercise.title}, step {number}: {title}")
            swept += 1
    # Every kind had a page to check, and the demo's answers open most steps.
    assert swept >= 2 * len(exercises), swept
    context.close()


def test_every_facilitator_results_page_passes_axe(
    browser: Browser, placekit_server: Server, seeded: Any
) -> None:
    exercises = one_of_each_kind()
    context = browser.new_context()
    context.set_default_timeout(ACTION)
    page = context.new_page()
    page.goto(placekit_server.url("index", code=seeded.facilitator))
    expect(page.get_by_role("heading", name="Facilitator view")).to_be_visible(timeout=PAGE_LOAD)
    check_accessibility(page, "the facilitator page (demo answers)")
    links = exercise_links(page, [e.title for e in exercises])
    for exercise in exercises:
        page.goto(links[exercise.title])
        heading = page.get_by_role("heading", name=f"{exercise.title}: team results")
        expect(heading).to_be_visible(timeout=PAGE_LOAD)
        expect(page.get_by_text("Drawing the chart…")).to_have_count(0)
        charts = page.locator(".pk-chart")
        for number in range(charts.count()):  # each drawn, or its "could not be drawn"
            expect(charts.nth(number).locator("svg.marks, .pk-warning")).to_have_count(1)
        check_accessibility(page, f"{exercise.title}: facilitator results")
    context.close()
