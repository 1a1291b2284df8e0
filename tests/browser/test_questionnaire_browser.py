"""The trust audit in a real Chromium against a real ``placekit serve``.

Three respondents from two organisations answer anonymously in browsers of their own; the
facilitator lists the organisations, closes the round and sees the results with small
groups withheld. Then twenty respondents answer at the same moment, and every answer is in
the database exactly once.
"""

from __future__ import annotations

import asyncio
import csv
import io
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from playwright.async_api import async_playwright
from playwright.sync_api import BrowserContext, Locator, Page, expect

from placekit.data.access import join, resolve
from placekit.data.responses import Responses
from placekit.data.store import Store
from placekit.plugins import get_registry
from placekit.questionnaires.answers import answers_record, submit, targets
from placekit.questionnaires.rounds import set_targets
from placekit.testing import check_accessibility

pytestmark = pytest.mark.browser

PAGE_LOAD = 90_000  # ms
ACTION = 30_000  # ms
COUNCIL, NHS = "Eastvale Council", "Eastvale NHS <Trust>"  # HTML in a name stays text
XSS = "<img src=x onerror=alert(1)>"

QUESTIONNAIRE = get_registry().exercises["trust-audit"].questionnaire  # type: ignore[attr-defined]
LABELS = dict(QUESTIONNAIRE.scale.choices())  # 1..6 -> "Strongly disagree"…, "dk"


@dataclass(frozen=True)
class Respondent:
    org: str
    own: int  # the score every statement about their own organisation should come to
    partner: int | str  # about the partner ("dk": don't know, for one statement per facet)
    comment: str


RESPONDENTS = (
    Respondent(COUNCIL, 5, 3, XSS),
    Respondent(COUNCIL, 6, 2, ""),
    Respondent(NHS, 4, "dk", "Share plans earlier"),
)


def label_for(item: Any, score: int | str) -> str:
    """The answer to click so that the statement scores ``score`` (reverse items flip)."""
    if score == "dk":
        return LABELS["dk"]
    value = QUESTIONNAIRE.scale.reverse(score) if item.reverse else score
    return LABELS[int(value)]


def choose(page: Page, question: str, answer: str) -> None:
    label = page.locator("label.widget-label").filter(
        has_text=re.compile("^" + re.escape(question) + "$")
    )
    group = page.locator(".widget-radio").filter(has=label)
    radio = group.get_by_role("radio", name=answer, exact=True)
    radio.check()
    expect(radio).to_be_checked()


def go_on(page: Page, progress: str) -> None:
    button = page.get_by_role("button", name=re.compile("^(Continue|Confirm and continue)$"))
    expect(button).to_be_enabled()
    button.click()
    expect(page.get_by_text(progress)).to_be_visible()


def no_injected_markup(page: Page) -> None:
    assert page.locator('img[src="x"]').count() == 0


def respond(
    context: BrowserContext, link: str, who: Respondent, shoot: Callable[[Page, str], Path] | None
) -> list[str]:
    context.set_default_timeout(ACTION)
    page = context.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(link)
    expect(page.get_by_text("you are not asked for your name")).to_be_visible(timeout=PAGE_LOAD)
    expect(page.get_by_label("Your name, as your team will see it")).to_have_count(0)
    page.get_by_role("button", name="Start").click()
    expect(page.get_by_text("Step 1 of 6: Before you start — page 1 of 2")).to_be_visible()
    promise = "Your answers are anonymous: they are stored with no link to you"
    expect(page.get_by_text(promise, exact=False)).to_be_visible()
    if shoot:
        shoot(page, "trust-audit-start")
    go_on(page, "page 2 of 2")
    choose(page, "Which organisation do you work for?", who.org)
    partner = NHS if who.org == COUNCIL else COUNCIL
    box = page.get_by_role("checkbox", name=partner, exact=True)
    box.check()
    expect(box).to_be_checked()
    expect(page.get_by_role("checkbox", name=who.org, exact=True)).to_have_count(0)
    no_injected_markup(page)
    for step, about, score in (("Step 2", who.org, who.own), ("Step 3", partner, who.partner)):
        for number, dim in enumerate(QUESTIONNAIRE.dimensions, 1):
            go_on(page, f"{step} of 6")
            expect(page.get_by_role("heading", name=f"{dim.title}: {about}")).to_be_visible()
            expect(page.get_by_text(f"page {number} of 5")).to_be_visible()
            for index, item in enumerate(dim.items):
                # "Don't know" for one statement per facet: still two of three answered.
                value = who.own if score == "dk" and index else score
                choose(page, item.text, label_for(item, value))
            if shoot and step == "Step 2" and number == 1:
                shoot(page, "trust-audit-facet-page")
                check_accessibility(page, "a questionnaire page (trust audit)")
                # Leave and come back: the same page, the answers still there.
                page.reload()
                expect(
                    page.get_by_text("Step 2 of 6: Your own organisation — page 1 of 5")
                ).to_be_visible(timeout=PAGE_LOAD)
                for item in dim.items:
                    group = page.locator(".widget-radio").filter(
                        has=page.locator("label.widget-label").filter(
                            has_text=re.compile("^" + re.escape(item.text) + "$")
                        )
                    )
                    expect(group.get_by_role("radio", checked=True)).to_have_count(
                        1, timeout=PAGE_LOAD
                    )
    go_on(page, "Step 4 of 6: Reflect")
    if who.comment:
        page.get_by_label(QUESTIONNAIRE.reflections[0].label).fill(who.comment)
        expect(page.locator(".pk-status")).to_contain_text("Saved at")
    go_on(page, "Step 5 of 6: Check your answers")
    expect(page.get_by_role("heading", name=f"Reliability: {partner}")).to_be_visible()
    no_injected_markup(page)
    if shoot:
        shoot(page, "trust-audit-check")
        check_accessibility(page, "check your answers (trust audit)")
    go_on(page, "Step 6 of 6: Your results")
    expect(page.get_by_text("Your answers are submitted. Thank you.")).to_be_visible()
    expect(page.get_by_text("once the round has closed")).to_be_visible()
    if shoot:
        shoot(page, "trust-audit-own-results")
        check_accessibility(page, "a respondent's results (trust audit)")
    return dialogs


def seed(store: Store, team: str, org: str, own: int, partner: int) -> None:
    """Someone who answered earlier (through the same code the pages use)."""
    ex = get_registry().exercises["trust-audit"]
    access = resolve(store, team)
    mine = Responses.for_member(store, access.workbook_id, ex, join(store, access, "", True))
    other = NHS if org == COUNCIL else COUNCIL
    mine.save("profile", "r1", {"org": org, "partners": [other]}, 0)
    for target in targets(ex.questionnaire, mine, 1):
        score = own if target.perspective == "self" else partner
        answers = {i.id: int(label_value(i, score)) for i in ex.questionnaire.items}
        mine.save("answers", answers_record(1, target), answers, 0)
    submit(mine)


def label_value(item: Any, score: int) -> int:
    return int(QUESTIONNAIRE.scale.reverse(score)) if item.reverse else score


def cell(table: Locator, row_name: str, dimension: str, column: int) -> Locator:
    row = (
        table.locator("tbody tr")
        .filter(has=table.page.get_by_role("cell", name=row_name, exact=True))
        .filter(has=table.page.get_by_role("cell", name=dimension, exact=True))
    )
    return row.locator("td").nth(column)


def test_three_respondents_from_two_organisations_and_the_facilitator(
    new_context: Callable[..., BrowserContext],
    make_workbook: Callable[[str], Any],
    placekit_server: Any,
    screenshot: Callable[[Page, str], Path],
    tmp_path: Path,
) -> None:
    workbook = make_workbook("Eastvale trust partnership")
    results = placekit_server.url(
        "exercise", code=workbook.facilitator_code, exercise="trust-audit"
    )
    facilitator = new_context().new_page()
    facilitator.set_default_timeout(ACTION)
    facilitator.goto(results)
    heading = facilitator.get_by_role("heading", name="Trust audit: team results")
    expect(heading).to_be_visible(timeout=PAGE_LOAD)
    facilitator.get_by_label("Organisations taking part (one per line)").fill(f"{COUNCIL}\n{NHS}")
    facilitator.get_by_role("button", name="Save the list").click()
    expect(facilitator.get_by_text("Round 1 is open: collecting answers")).to_be_visible()

    store = Store(placekit_server.db)
    seed(store, workbook.team_code, COUNCIL, 4, 4)
    seed(store, workbook.team_code, NHS, 5, 5)
    link = placekit_server.url("exercise", code=workbook.team_code, exercise="trust-audit")
    for number, who in enumerate(RESPONDENTS):
        context = new_context()
        assert respond(context, link, who, screenshot if number == 0 else None) == []
        context.close()

    facilitator.reload()
    expect(heading).to_be_visible(timeout=PAGE_LOAD)
    status = facilitator.locator("table.pk-table").filter(has_text="Submitted")
    expect(status.locator("td").first).to_have_text("5")
    completion = facilitator.locator(".widget-html-content").filter(
        has=facilitator.get_by_role("heading", name="Completion", exact=True)
    )
    expect(completion.locator("thead th").first).to_have_text("Step")  # counts, no names
    expect(facilitator.get_by_text("Anonymous member")).to_have_count(0)
    expect(facilitator.get_by_role("heading", name="Self-view and partners' view")).to_have_count(0)

    facilitator.get_by_role("button", name="Close round 1 and show results").click()
    facilitator.get_by_role("button", name="Yes, close round 1").click()
    gaps = (
        facilitator.locator(".widget-html-content")
        .filter(
            has=facilitator.get_by_role("heading", name="Self-view and partners' view", exact=True)
        )
        .locator("table")
    )
    expect(gaps).to_be_visible()
    expect(facilitator.get_by_text("Round 1 is closed on")).to_be_visible()
    # The Council rates itself 5, 6 and 4 (3 people): shown. The NHS's own view (2 people)
    # and its view of the Council (2 people) are withheld, with the reason.
    expect(cell(gaps, COUNCIL, "Honesty", 2)).to_have_text("3")
    expect(cell(gaps, COUNCIL, "Honesty", 3)).to_have_text("5.0")
    expect(cell(gaps, COUNCIL, "Honesty", 5)).to_have_text("—")
    expect(cell(gaps, NHS, "Honesty", 3)).to_have_text("—")
    expect(cell(gaps, NHS, "Honesty", 5)).to_have_text("3.0")  # the Council's view: 3, 2, 4
    # Three partners' spread would be their answers: withheld too (spread needs 5).
    expect(cell(gaps, NHS, "Honesty", 11)).to_have_text(
        "Self-view from fewer than 3 people withheld; partners' spread from fewer than 5"
        " people withheld"
    )
    comments = facilitator.locator(".widget-html-content").filter(
        has=facilitator.get_by_role("heading", name="Comments", exact=True)
    )
    # Three people's comments could be told apart by their wording: shown only from 5.
    expect(comments.get_by_text("comments are shown once at least 5 people")).to_be_visible()
    expect(comments.get_by_role("cell", name=XSS, exact=True)).to_have_count(0)
    expect(facilitator.locator(".vega-embed svg.marks").first).to_be_visible()
    no_injected_markup(facilitator)
    screenshot(facilitator, "trust-audit-facilitator-results")
    check_accessibility(facilitator, "facilitator results with radar charts (trust audit)")

    facilitator.get_by_role("button", name="Prepare the downloads").click()
    with facilitator.expect_download() as info:
        facilitator.get_by_role("link", name="Self-view and partners' view (CSV)").click()
    rows = list(csv.DictReader(io.StringIO(Path(info.value.path()).read_text("utf-8-sig"))))
    assert {r["Organisation"] for r in rows} == {COUNCIL, NHS}
    for row in rows:
        if row["Organisation"] == NHS:
            assert row["Self-view mean"] == "" and row["Self-view people"] == ""
    with facilitator.expect_download() as info:
        facilitator.get_by_role("link", name="All results (Excel)").click()
    book = openpyxl.load_workbook(io.BytesIO(Path(info.value.path()).read_bytes()))
    cells = " ".join(
        str(v) for sheet in book.worksheets for row in sheet.iter_rows(values_only=True)
        for v in row if v is not None
    )  # fmt: skip
    assert "Self-view from fewer than 3 people withheld" in cells
    for member in store.respondents(resolve(store, workbook.team_code).workbook_id):
        for secret in (member["id"], member["display_name"]):  # tokens are not stored at all
            assert secret not in cells


# -- twenty at once ----------------------------------------------------------------------------

CONCURRENT = 20


async def _one(browser: Any, link: str, number: int, org: str) -> None:
    context = await browser.new_context()
    context.set_default_timeout(120_000)
    page = await context.new_page()
    try:
        # A page streams in as its cells run; under a burst the whole stream can take longer
        # than the member waits for the form, which is what counts, so wait for that.
        await page.goto(link, wait_until="commit")
        await page.get_by_role("button", name="Start").click(timeout=240_000)
        next_button = page.get_by_role(
            "button", name=re.compile("^(Continue|Confirm and continue)$")
        )

        async def go_on(progress: str) -> None:
            await page.get_by_text(progress).wait_for()
            await next_button.click()

        await go_on("page 1 of 2")
        await page.get_by_role("radio", name=org, exact=True).check()
        await go_on("page 2 of 2")
        for index, dim in enumerate(QUESTIONNAIRE.dimensions, 1):
            await page.get_by_text(f"Your own organisation — page {index} of 5").wait_for()
            for item in dim.items:
                value = 1 + (number + index) % 6
                group = page.locator(".widget-radio").filter(
                    has=page.locator("label.widget-label").filter(
                        has_text=re.compile("^" + re.escape(item.text) + "$")
                    )
                )
                radio = group.get_by_role("radio", name=LABELS[value], exact=True)
                await radio.check()
            await next_button.click()
        await go_on("Step 3 of 6: Your partners")
        await go_on("Step 4 of 6: Reflect")
        await go_on("Step 5 of 6: Check your answers")
        await page.get_by_text("Step 6 of 6: Your results").wait_for()
        await page.get_by_text("Your answers are submitted. Thank you.").wait_for()
    finally:
        await context.close()


def _run_concurrently(link: str, failures: list[BaseException]) -> None:
    async def main() -> None:
        async with async_playwright() as p:
            browser = await p.chromium.launch(executable_path="/usr/bin/chromium")
            try:
                found = await asyncio.gather(
                    *(_one(browser, link, n, COUNCIL if n % 2 else NHS) for n in range(CONCURRENT)),
                    return_exceptions=True,
                )
            finally:
                await browser.close()
            failures.extend(f for f in found if isinstance(f, BaseException))

    asyncio.run(main())


def test_twenty_respondents_at_once_lose_nothing_and_count_once(
    make_workbook: Callable[[str], Any], placekit_server: Any
) -> None:
    workbook = make_workbook("Twenty at once")
    store = Store(placekit_server.db)
    ex = get_registry().exercises["trust-audit"]
    access = resolve(store, workbook.team_code)
    assert set_targets(Responses(store, access.workbook_id, ex), [COUNCIL, NHS]) is None
    link = placekit_server.url("exercise", code=workbook.team_code, exercise="trust-audit")
    failures: list[BaseException] = []
    # The async API in a thread of its own: the sync fixtures' event loop stays untouched.
    worker = threading.Thread(target=_run_concurrently, args=(link, failures))
    worker.start()
    worker.join(timeout=600)
    assert not worker.is_alive() and failures == [], (failures, placekit_server.log_tail())

    responses = Responses(store, access.workbook_id, ex)
    submitted = responses.all_members("submission")
    assert len(submitted) == CONCURRENT
    answers = responses.all_members("answers")
    received = sorted(
        tuple(sorted(records[answers_record(1, targets(QUESTIONNAIRE, responses, 1, m)[0])]
                     .items()))
        for m, records in answers.items()
    )  # fmt: skip
    expected = sorted(
        tuple(
            sorted(
                (item.id, 1 + (n + index) % 6)
                for index, dim in enumerate(QUESTIONNAIRE.dimensions, 1)
                for item in dim.items
            )
        )
        for n in range(CONCURRENT)
    )
    assert received == expected  # every answer there, none twice, none changed
    for member in submitted:
        key = f"submission/{member}/r1"
        history = store.history(access.workbook_id, "trust-audit", key, anonymous=True)
        assert len(history) == 1
    from placekit.questionnaires.results import collect

    frame = collect(QUESTIONNAIRE, responses, 1)
    assert frame.groupby("item")["respondent"].nunique().eq(CONCURRENT).all()
    assert len(frame) == CONCURRENT * len(QUESTIONNAIRE.items)
