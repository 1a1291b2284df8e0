"""Accessibility by hand, as WCAG 2.2 AA asks, in a real Chromium on a real ``placekit serve``.

- A member completes the whole triage with the keyboard alone (Tab, Shift+Tab, arrows,
  Space, Enter), and after each Continue focus is on the new step's heading.
- On a phone 320 px wide, no two labels, inputs or buttons overlap and nothing scrolls
  sideways on the join page and on radio steps; a screenshot of each is saved.

The tests run in file order and share one workbook: the second member finds the issues
the first one listed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from placekit_triage.items import ITEMS
from playwright.sync_api import Browser, Page, expect

from placekit.testing import (
    activate,
    check_reflow,
    choose_radio,
    choose_radio_by_keyboard,
    moved_to,
    tab_to,
    type_into,
)

pytestmark = pytest.mark.browser

PAGE_LOAD = 60_000  # ms: a Voila page is interactive after ~3-5 s, rarely ~20 s
EXERCISE = "Wicked, tame or critical?"
ISSUES = ("Delayed hospital discharges", "Rough sleeping in the town centre", "Youth violence")
# The first diagnostic answers as 0 / 1 / 2, per issue: a wicked, a tame and a mixed one.
ANSWERS = ((2,) * 12, (0,) * 12, (1, 0) * 6)


@pytest.fixture(scope="module")
def workbook(make_workbook: Callable[[str], Any]) -> Any:
    return make_workbook("Keyboard and phone team")


@pytest.fixture
def phone(browser: Browser) -> Iterator[Page]:
    """A page in a browser 320 CSS px wide: WCAG 1.4.10's width, a small phone or a
    1280 px screen at 400 % zoom."""
    context = browser.new_context(viewport={"width": 320, "height": 640})
    context.set_default_timeout(30_000)
    yield context.new_page()
    context.close()


def step(page: Page, text: str) -> None:
    """Press Continue by keyboard and check the member is on ``text``, focus on its heading."""
    activate(page, page.get_by_role("button", name="Continue", exact=True))
    moved_to(page, text, EXERCISE)


def test_a_member_completes_the_triage_with_the_keyboard_alone(
    browser: Browser, workbook: Any
) -> None:
    context = browser.new_context()
    context.set_default_timeout(20_000)
    page = context.new_page()
    page.goto(workbook.team_link)
    name = page.get_by_label("Your name, as your team will see it")
    expect(name).to_be_visible(timeout=PAGE_LOAD)

    # The first stop on every page is GOV.UK's skip link; it moves focus to the content.
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to main content")
    expect(skip).to_be_focused()
    type_into(page, name, "Dev Sharma (police)")
    page.keyboard.press("Enter")  # as in a web form: Enter in the name box presses Start
    expect(page.get_by_role("heading", name="Your workbook")).to_be_visible(timeout=PAGE_LOAD)

    activate(page, page.get_by_role("link", name=EXERCISE))
    expect(page.get_by_text("Step 1 of 9: List issues")).to_be_visible(timeout=PAGE_LOAD)

    for number, title in enumerate(ISSUES, 1):
        activate(page, page.get_by_role("button", name="Add an issue"), key="Space")
        box = page.get_by_label(f"Issue {number}", exact=True)
        if number == 1:
            type_into(page, box, title + " typo")
            # Back with Shift+Tab from the button after it, and mend the title.
            tab_to(page, page.get_by_role("button", name="Add an issue"))
            tab_to(page, box, backwards=True)
            page.keyboard.press("End")  # a box reached by Tab has all its text selected
            for _ in " typo":
                page.keyboard.press("Backspace")
        else:
            type_into(page, box, title)
        expect(box).to_have_value(title)
    step(page, "Step 2 of 9: Your preferred mode")

    # A failed Continue: focus on the summary; its link takes focus to the question.
    activate(page, page.get_by_role("button", name="Continue", exact=True))
    summary = page.locator(".pk-error-summary")
    expect(summary).to_be_focused()
    link = summary.get_by_role("link").first
    activate(page, link)
    first_option = page.get_by_role("radio").first
    expect(first_option).to_be_focused()
    choose_radio_by_keyboard(
        page,
        "When something goes wrong, my instinct is to…",
        "Ask questions and get people working it out together (lead)",
    )
    choose_radio_by_keyboard(page, "How sure are you of that?", "4")
    step(page, "Step 3 of 9: Gut call")

    for title, gut in zip(ISSUES, ("Wicked", "Tame", "Critical"), strict=True):
        choose_radio_by_keyboard(page, title, gut)
    step(page, "Step 4 of 9: Diagnostic questions — page 1 of 3")

    for number, answers in enumerate(ANSWERS, 1):
        for item, value in zip(ITEMS, answers, strict=True):
            choose_radio_by_keyboard(page, f"{item.id}. {item.question}", item.labels[value])
        if number == 1:
            # Shift+Tab goes back up the page; the first answer is still as chosen.
            first = page.get_by_role("radio", name=ITEMS[0].labels[answers[0]], exact=True)
            tab_to(page, first.first, backwards=True)
            expect(first.first).to_be_checked()
        step(
            page,
            f"Step 4 of 9: Diagnostic questions — page {number + 1} of 3"
            if number < 3
            else "Step 5 of 9: Check your answers",
        )

    activate(page, page.get_by_role("button", name="Confirm and continue"))
    moved_to(page, "Step 6 of 9: Reveal", EXERCISE)
    expect(page.get_by_role("heading", name="What the team thinks")).to_be_visible()
    context.close()


def test_at_320_px_the_join_page_and_radio_steps_reflow(
    phone: Page, workbook: Any, screenshot: Callable[[Page, str], Any]
) -> None:
    page = phone
    page.goto(workbook.team_link)
    name = page.get_by_label("Your name, as your team will see it")
    expect(name).to_be_visible(timeout=PAGE_LOAD)
    check_reflow(page, "the join page at 320 px")
    screenshot(page, "reflow-320-join")

    name.fill("Efua Mensah (housing)")
    page.get_by_role("button", name="Start").click()
    page.get_by_role("link", name=EXERCISE).click()
    expect(page.get_by_text("Step 1 of 9: List issues")).to_be_visible(timeout=PAGE_LOAD)
    check_reflow(page, "a text step at 320 px (triage: list issues)")
    page.get_by_role("button", name="Continue", exact=True).click()
    moved_to(page, "Step 2 of 9: Your preferred mode", EXERCISE)
    check_reflow(page, "a radio step at 320 px (triage: preferred mode)")
    screenshot(page, "reflow-320-radio-step")

    choose_radio(
        page,
        "When something goes wrong, my instinct is to…",
        "Organise a process and apply what has worked before (manage)",
    )
    choose_radio(page, "How sure are you of that?", "3")
    page.get_by_role("button", name="Continue", exact=True).click()
    moved_to(page, "Step 3 of 9: Gut call", EXERCISE)
    for title in ISSUES:
        choose_radio(page, title, "Wicked")
    page.get_by_role("button", name="Continue", exact=True).click()
    moved_to(page, "Step 4 of 9: Diagnostic questions — page 1 of 3", EXERCISE)
    # The longest labels in PlaceKit: twelve questions of three long answers each.
    check_reflow(page, "a page of radio questions at 320 px (triage: diagnostics)")
    screenshot(page, "reflow-320-diagnostics")


def test_at_320_px_the_results_and_their_charts_fit_the_screen(
    phone: Page, workbook: Any, screenshot: Callable[[Page, str], Any]
) -> None:
    page = phone
    page.goto(workbook.facilitator_link)
    page.get_by_role("link", name=EXERCISE).click()
    expect(page.get_by_role("heading", name=f"{EXERCISE}: team results")).to_be_visible(
        timeout=PAGE_LOAD
    )
    chart = page.locator(".pk-chart svg.marks")
    expect(chart).to_have_count(1)  # the Grint chart, drawn
    box = chart.bounding_box()
    assert box and box["x"] >= 0 and box["x"] + box["width"] <= 320, box
    # Shrunk to fit, it keeps its shape, and its legends are under the plot.
    width, height = chart.evaluate("svg => [svg.viewBox.baseVal.width, svg.viewBox.baseVal.height]")
    assert abs(box["width"] / box["height"] - width / height) < 0.02

    def tops_and_bottoms(selector: str) -> list[tuple[float, float]]:
        boxes = chart.locator(selector).evaluate_all(
            "gs => gs.map(g => { const b = g.getBoundingClientRect(); return [b.top, b.bottom]; })"
        )
        return [tuple(b) for b in boxes]

    legends, axes = tops_and_bottoms("g.role-legend"), tops_and_bottoms("g.role-axis")
    assert legends and axes
    assert min(top for top, _ in legends) >= max(bottom for _, bottom in axes) - 1
    # Each issue has a number, in the legend and by its team centre: not colour alone.
    texts = chart.locator("text").evaluate_all("ts => ts.map(t => t.textContent)")
    for number, title in enumerate(ISSUES, 1):
        assert f"{number}. {title}" in texts, texts
    check_reflow(page, "facilitator results at 320 px (triage)")
    screenshot(page, "reflow-320-results")
