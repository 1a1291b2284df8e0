"""The triage exercise in a real Chromium against a real ``placekit serve``.

Three members of a new workbook join in their own browsers and complete the triage; the
facilitator sees the results and downloads them; hostile text stays text; altered links
show nothing. The tests run in file order and share one workbook: the facilitator and
escaping tests use what the members' test entered.
"""

from __future__ import annotations

import csv
import io
import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from placekit_triage.items import ITEMS
from playwright.sync_api import BrowserContext, Locator, Page, expect

from placekit.testing import (
    assert_plain_text,
    check_accessibility,
    choose_radio,
    continue_refused,
    moved_to,
    radio_group,
)

pytestmark = pytest.mark.browser

PAGE_LOAD = 60_000  # ms: a Voila page is interactive after ~3-5 s, rarely ~20 s
ACTION = 20_000  # ms: one widget round trip to the kernel (a save, a page change)

XSS = "<img src=x onerror=alert(1)>"
ISSUES = (XSS, "Delayed hospital discharges", "-20% youth services budget")
TITLE = "Northtown & Eastvale <i>place</i> team"


@dataclass(frozen=True)
class Member:
    name: str
    mode: str
    confidence: str
    gut: tuple[str, str, str]  # one per issue, as the radio label reads
    answers: tuple[tuple[int, ...], ...]  # per issue, the 12 answers as 0 / 1 / 2


MEMBERS = (
    Member(
        "Asha Patel (council)",
        "Take charge and tell people what to do (command)",
        "4",
        ("Critical", "Wicked", "Tame"),
        (
            (2, 2, 2, 1, 1, 1, 1, 2, 2, 1, 1, 1),
            (0, 0, 0, 2, 2, 2, 2, 2, 2, 2, 2, 2),
            (0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0),
        ),
    ),
    Member(
        "Ben Okafor (NHS)",
        "Ask questions and get people working it out together (lead)",
        "5 – very sure",
        ("Wicked", "Wicked", "Tame"),
        (
            (1, 1, 0, 1, 2, 1, 1, 2, 2, 1, 2, 1),
            (0, 1, 0, 2, 2, 2, 2, 2, 2, 2, 2, 2),
            (0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0),
        ),
    ),
    Member(
        # A name that a spreadsheet would run as a formula if it were not neutralised.
        '=HYPERLINK("http://evil.example","Cara")',
        "Organise a process and apply what has worked before (manage)",
        "1 – not at all sure",
        ("Critical", "Wicked", "Wicked"),
        (
            (2, 2, 1, 2, 1, 1, 1, 2, 1, 1, 1, 1),
            (0, 0, 0, 1, 2, 2, 2, 1, 2, 2, 2, 2),
            (0, 0, 0, 1, 1, 1, 0, 1, 0, 1, 0, 1),
        ),
    ),
)


@dataclass
class Shared:
    """What the members' test leaves for the tests after it."""

    completed: list[str] = field(default_factory=list)
    first_member_state: Any = None


SHARED = Shared()


@pytest.fixture(scope="module")
def workbook(make_workbook: Callable[[str], Any]) -> Any:
    return make_workbook(TITLE)


# -- helpers -------------------------------------------------------------------------------


def watch(page: Page) -> list[str]:
    """Record every JavaScript dialog (an injected ``alert`` would open one) and dismiss it."""
    dialogs: list[str] = []

    def opened(dialog: Any) -> None:
        dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    page.on("dialog", opened)
    return dialogs


def open_page(context: BrowserContext) -> tuple[Page, list[str]]:
    context.set_default_timeout(ACTION)
    page = context.new_page()
    return page, watch(page)


def no_injected_markup(page: Page) -> None:
    """No element made from a user's text: the XSS title never became an <img>."""
    assert page.locator('img[src="x"]').count() == 0
    assert page.locator("img[onerror]").count() == 0


def continue_button(page: Page) -> Locator:
    return page.get_by_role("button", name="Continue", exact=True)


def go_on(page: Page, step: str) -> None:
    continue_button(page).click()
    moved_to(page, step, "Wicked, tame or critical?")


def error_summary(page: Page) -> Locator:
    return page.locator(".pk-error-summary")


def expect_blocked(page: Page, *messages: str) -> None:
    """Continue does not go on, and the error summary explains why, naming what is missing."""
    continue_refused(page, *messages)


def item_question(item: Any) -> str:
    return f"{item.id}. {item.question}"


def answer_diagnostics(page: Page, answers: tuple[int, ...], check_blocked: bool) -> None:
    for number, (item, value) in enumerate(zip(ITEMS, answers, strict=True)):
        if check_blocked and number == len(ITEMS) - 1:
            # Every question but the last answered: still blocked, and it says which.
            expect_blocked(page, item.id)
        choose_radio(page, item_question(item), item.labels[value])


def expect_diagnostics(page: Page, answers: tuple[int, ...]) -> None:
    for item, value in zip(ITEMS, answers, strict=True):
        group = radio_group(page, item_question(item))
        expect(group.get_by_role("radio", name=item.labels[value], exact=True)).to_be_checked()
        expect(group.get_by_role("radio", checked=True)).to_have_count(1)


def expect_saved(page: Page) -> None:
    expect(page.locator(".pk-status")).to_contain_text(re.compile(r"Saved at \d\d:\d\d:\d\d"))


def load(page: Page, url: str, ready: Locator) -> None:
    page.goto(url)
    expect(ready).to_be_visible(timeout=PAGE_LOAD)


# -- members -------------------------------------------------------------------------------


def add_issues(page: Page, shoot: Callable[[Page, str], Path]) -> None:
    expect(page.get_by_role("heading", name="What issues face your place?")).to_be_visible()
    expect_blocked(page, "3")
    for number, title in enumerate(ISSUES, 1):
        page.get_by_role("button", name="Add an issue").click()
        box = page.get_by_label(f"Issue {number}", exact=True)
        expect(box).to_be_visible()
        if number == 1:
            # A new, empty issue: Continue names it in the summary at the top, and the
            # error is shown beside the field.
            expect_blocked(page, "Enter a title for issue 1")
            question = page.locator(".pk-question").filter(has=box)
            expect(question).to_have_css("border-left-color", "rgb(212, 53, 28)")  # red
            expect(page.locator(".pk-error").first).to_contain_text("Error: Enter a title")
            # A screen reader reads the error with the field, which is marked invalid.
            expect(box).to_have_accessible_description(re.compile("^Error: Enter a title"))
            expect(box).to_have_attribute("aria-invalid", "true")
            shoot(page, "wizard-page-with-errors")
            check_accessibility(page, "a step with errors (triage: list issues)")
            # The error in the summary is a link that moves to the field.
            error_summary(page).get_by_role("link", name="Enter a title for issue 1").click()
            expect(box).to_be_focused()
        box.fill(title)
    expect(error_summary(page)).to_have_count(0)
    expect(page.get_by_label("Issue 1", exact=True)).not_to_have_attribute("aria-invalid", "true")
    expect_saved(page)
    status = page.locator(".pk-status")
    expect(status).to_have_attribute("role", "status")  # "Saved at" is read out, politely
    expect(status).to_have_attribute("aria-live", "polite")


def complete_triage(
    context: BrowserContext,
    workbook: Any,
    member: Member,
    *,
    first: bool,
    last: bool,
    shoot: Callable[[Page, str], Path],
) -> list[str]:
    """One member joins with the team link and completes the triage up to the reveal."""
    page, dialogs = open_page(context)
    join_name = page.get_by_label("Your name, as your team will see it")
    load(page, workbook.team_link, join_name)
    expect(page.get_by_role("heading", name="Join your team’s workbook")).to_be_visible()
    expect(page.get_by_text(TITLE, exact=True)).to_be_visible()
    if first:
        shoot(page, "join")
        check_accessibility(page, "the join page")
        page.get_by_role("button", name="Start").click()  # no name yet
        expect(page.get_by_role("alert")).to_contain_text("name")
        expect(page.get_by_role("heading", name="Your workbook")).to_have_count(0)
    join_name.fill(member.name)
    page.get_by_role("button", name="Start").click()
    expect(page.get_by_role("heading", name="Your workbook")).to_be_visible()
    expect(page.get_by_text(f"Signed in as {member.name}")).to_be_visible()
    if first:
        shoot(page, "workbook-index")
        check_accessibility(page, "the workbook page")
    no_injected_markup(page)
    assert_plain_text(page)

    page.get_by_role("link", name="Wicked, tame or critical?").click()
    expect(page.get_by_text("Step 1 of 9: List issues")).to_be_visible(timeout=PAGE_LOAD)
    expect(page.get_by_role("heading", name="Wicked, tame or critical?")).to_be_visible()
    expect(page).to_have_title("Step 1 of 9: List issues – Wicked, tame or critical? – PlaceKit")
    if first:
        add_issues(page, shoot)
        # Prose, not code: the description box is in the page's own font.
        font = page.get_by_label("What the issue is about (optional)").first.evaluate(
            "box => getComputedStyle(box).fontFamily"
        )
        assert "monospace" not in font.lower(), font
    else:
        # The issues one member added are on everyone's list.
        for number, title in enumerate(ISSUES, 1):
            expect(page.get_by_label(f"Issue {number}", exact=True)).to_have_value(title)
        expect(page.get_by_label("Issue 4", exact=True)).to_have_count(0)
    assert_plain_text(page)
    go_on(page, "Step 2 of 9: Your preferred mode")

    expect_blocked(page, "When something goes wrong, my instinct is to")
    if first:
        check_accessibility(page, "a radio step with errors (triage: preferred mode)")
    choose_radio(page, "When something goes wrong, my instinct is to…", member.mode)
    expect_blocked(page, "How sure are you of that?")
    choose_radio(page, "How sure are you of that?", member.confidence)
    expect_saved(page)
    expect(error_summary(page)).to_have_count(0)
    assert_plain_text(page)
    go_on(page, "Step 3 of 9: Gut call")

    # One question per issue, named by the issue's title: the XSS title as plain text.
    expect_blocked(page, XSS)
    expect_definitions(page, ("Tame", "Wicked", "Critical"))
    assert_plain_text(page)
    expect(page.get_by_text(XSS, exact=True).first).to_be_visible()
    no_injected_markup(page)
    for title, gut in zip(ISSUES, member.gut, strict=True):
        choose_radio(page, title, gut)
    go_on(page, "Step 4 of 9: Diagnostic questions — page 1 of 3")

    for number, (title, answers) in enumerate(zip(ISSUES, member.answers, strict=True), 1):
        expect(page.get_by_text(f"page {number} of 3")).to_be_visible()
        expect(page.locator("strong").filter(has_text=title)).to_have_text(title)
        no_injected_markup(page)
        if first and number == 1:
            expect_blocked(page, "C1")
        answer_diagnostics(page, answers, check_blocked=first and number == 1)
        expect(continue_button(page)).to_be_enabled()
        expect_saved(page)
        assert_plain_text(page)
        if first and number == 1:
            shoot(page, "diagnostic-page")
            check_accessibility(page, "a page of radio questions (triage: diagnostics)")
            # Leave mid-way and come back: the same page, every answer still there.
            page.reload()
            expect(
                page.get_by_text("Step 4 of 9: Diagnostic questions — page 1 of 3")
            ).to_be_visible(timeout=PAGE_LOAD)
            expect(join_name).to_have_count(0)  # no need to join again
            expect_diagnostics(page, answers)
            expect(continue_button(page)).to_be_enabled()
        step = (
            f"Step 4 of 9: Diagnostic questions — page {number + 1} of 3"
            if number < 3
            else "Step 5 of 9: Check your answers"
        )
        go_on(page, step)

    expect(page.get_by_role("heading", name="Check your answers")).to_be_visible()
    table = page.locator("table.pk-table")
    for number, (title, gut) in enumerate(zip(ISSUES, member.gut, strict=True), 1):
        row = table.locator("tr").filter(has_text=f"{number}. {title}")
        expect(row).to_have_count(1)
        expect(row.locator("td").nth(0)).to_have_text(f"{number}. {title}")
        expect(row.locator("td").nth(1)).to_have_text(gut)
        expect(row.locator("td").nth(2)).to_have_text("12 of 12")
    no_injected_markup(page)
    assert_plain_text(page)
    confirm = page.get_by_role("button", name="Confirm and continue")
    expect(confirm).to_be_enabled()
    if first:
        shoot(page, "check-your-answers")
        check_accessibility(page, "check your answers (triage)")
    confirm.click()

    expect(page.get_by_text("Step 6 of 9: Reveal")).to_be_visible()
    expect(page.get_by_role("heading", name="What the team thinks")).to_be_visible()
    yours = page.locator("table.pk-table").first
    for title, gut in zip(ISSUES, member.gut, strict=True):
        row = yours.locator("tr").filter(has=page.get_by_role("cell", name=title, exact=True))
        expect(row).to_have_count(1)
        expect(row.locator("td").nth(1)).to_have_text(gut)
    expect_definitions(page, ("Tame", "Wicked", "Critical", "Wicked with tame components"))
    if last:
        expect(
            page.get_by_text(f"{len(MEMBERS)} of {len(MEMBERS)} members have confirmed")
        ).to_be_visible()
        expect(page.get_by_text("Fleiss' kappa")).to_be_visible()
        shoot(page, "reveal")
        check_accessibility(page, "member results (triage: reveal)")
    no_injected_markup(page)
    assert_plain_text(page)
    return dialogs


def expect_definitions(page: Page, words: tuple[str, ...]) -> None:
    """What each word means is on the page, with the authority it calls for (Grint)."""
    terms = page.locator("dl.pk-terms")
    expect(terms.locator("dt")).to_have_text(list(words))
    for authority in ("management", "leadership", "command"):
        expect(terms).to_contain_text(f"Calls for {authority}")


def test_three_members_complete_the_triage(
    new_context: Callable[..., BrowserContext],
    workbook: Any,
    screenshot: Callable[[Page, str], Path],
) -> None:
    for number, member in enumerate(MEMBERS):
        # Each member in a browser of their own: nothing shared but the link.
        context = new_context()
        dialogs = complete_triage(
            context,
            workbook,
            member,
            first=number == 0,
            last=number == len(MEMBERS) - 1,
            shoot=screenshot,
        )
        assert dialogs == []
        if number == 0:
            SHARED.first_member_state = context.storage_state()
        SHARED.completed.append(member.name)
        context.close()


def _needs_members() -> None:
    if len(SHARED.completed) != len(MEMBERS):
        # Never a silent skip: this test checks what the members' test entered.
        pytest.fail(
            "run the whole file: test_three_members_complete_the_triage fills the"
            " workbook this test reads, and it did not complete"
        )


# -- facilitator -----------------------------------------------------------------------------


def open_results(page: Page, workbook: Any, joined: int = len(MEMBERS)) -> None:
    load(page, workbook.facilitator_link, page.get_by_role("heading", name="Facilitator view"))
    expect(page.get_by_role("heading", name=f"Members who have joined ({joined})")).to_be_visible()
    for member in MEMBERS:
        expect(page.get_by_role("listitem").filter(has_text=member.name).last).to_be_visible()
    check_accessibility(page, "the facilitator page")
    page.get_by_role("link", name="Wicked, tame or critical?").click()
    expect(
        page.get_by_role("heading", name="Wicked, tame or critical?: team results")
    ).to_be_visible(timeout=PAGE_LOAD)


def section_table(page: Page, heading: str) -> Locator:
    box = page.locator(".widget-html-content").filter(
        has=page.get_by_role("heading", name=heading, exact=True)
    )
    return box.locator("table")


def test_facilitator_sees_results_and_downloads_them(
    new_context: Callable[..., BrowserContext],
    workbook: Any,
    screenshot: Callable[[Page, str], Path],
    tmp_path: Path,
) -> None:
    _needs_members()
    page, dialogs = open_page(new_context())
    open_results(page, workbook)

    completion = section_table(page, "Completion")
    expect(completion).to_have_count(1)
    for member in MEMBERS:
        row = completion.locator("tbody tr").filter(
            has=page.get_by_role("cell", name=member.name, exact=True)
        )
        expect(row).to_have_count(1)
        expect(row.locator("td").nth(1)).to_have_text("Completed")  # List issues
        expect(row.locator("td").nth(5)).to_have_text("Completed")  # Check your answers
    expect(completion.locator("tbody tr")).to_have_count(len(MEMBERS))

    distribution = section_table(page, "Team distribution per issue")
    for title in ISSUES:
        row = distribution.locator("tbody tr").filter(
            has=page.get_by_role("cell", name=title, exact=True)
        )
        expect(row).to_have_count(1)
        expect(row.locator("td").nth(1)).to_have_text(str(len(MEMBERS)))  # Members
    expect(page.locator(".pk-notice").filter(has_text="Fleiss' kappa")).to_be_visible()
    expect(page.get_by_role("heading", name="Decisions")).to_be_visible()

    expect(page.get_by_role("heading", name="Grint chart")).to_be_visible()
    chart = page.locator(".vega-embed svg.marks")
    expect(chart.first).to_be_visible(timeout=ACTION)
    # Drawn as SVG, named by its description for a screen reader, with no unnamed menu.
    drawing = page.locator(".vega-embed:has(svg.marks)").first
    expect(drawing).to_have_attribute("role", "graphics-document")
    expect(drawing).to_have_attribute("aria-label", re.compile(r"\w{3,}"))
    expect(page.locator(".vega-embed details")).to_have_count(0)
    for title in ISSUES:  # the legend names each issue, as text
        expect(page.locator(".vega-embed text").filter(has_text=title).first).to_be_attached()
    no_injected_markup(page)
    assert_plain_text(page)
    check_accessibility(page, "facilitator results (triage)")

    page.get_by_role("button", name="Prepare the downloads").click()
    expect(page.get_by_role("link", name=re.compile(r"\(CSV\)$"))).to_have_count(5)
    excel_link = page.get_by_role("link", name="All results (Excel)")
    expect(excel_link).to_be_visible()
    screenshot(page, "facilitator-results")

    with page.expect_download() as download_info:
        excel_link.click()
    download = download_info.value
    assert download.suggested_filename.endswith(".xlsx")
    excel = tmp_path / download.suggested_filename
    download.save_as(excel)
    book = openpyxl.load_workbook(excel)
    assert {"Completion", "Team distribution per issue", "Decisions"} <= set(book.sheetnames)
    cells = [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row]
    assert not [c.coordinate for c in cells if c.data_type == "f"], "a cell became a formula"
    issue_column = [c.value for c in book["Team distribution per issue"]["A"]]
    assert issue_column[0] == "Issue"
    assert XSS in issue_column and "Delayed hospital discharges" in issue_column
    # Neutralised as Excel text (quote prefix): shown as typed, never a formula.
    budget = next(c for c in book["Team distribution per issue"]["A"] if c.value == ISSUES[2])
    assert budget.data_type == "s" and budget.quotePrefix
    members = {c.value: c for c in book["Completion"]["A"]}
    assert MEMBERS[2].name in members and MEMBERS[0].name in members, members
    assert members[MEMBERS[2].name].quotePrefix

    csv_link = page.get_by_role("link", name="Team distribution per issue (CSV)")
    with page.expect_download() as download_info:
        csv_link.click()
    rows = list(csv.reader(io.StringIO(_read(download_info.value).decode("utf-8-sig"))))
    titles = [row[0] for row in rows[1:]]
    assert sorted(titles) == sorted(
        [XSS, "Delayed hospital discharges", "'-20% youth services budget"]
    )
    assert dialogs == []


def _read(download: Any) -> bytes:
    return Path(download.path()).read_bytes()


# -- escaping ------------------------------------------------------------------------------


def test_html_in_a_title_is_shown_as_text_everywhere(
    new_context: Callable[..., BrowserContext], workbook: Any
) -> None:
    """The member comes back in the same browser (no joining) and walks back through every
    page that shows the issue titles; the facilitator's results show them too."""
    _needs_members()
    member, dialogs = open_page(new_context(storage_state=SHARED.first_member_state))
    load(
        member,
        workbook.team_link,
        member.get_by_text(f"Signed in as {MEMBERS[0].name}"),
    )
    expect(member.get_by_label("Your name, as your team will see it")).to_have_count(0)
    no_injected_markup(member)
    member.get_by_role("link", name="Wicked, tame or critical?").click()
    # Resumed where they left off: the reveal.
    expect(member.get_by_text("Step 6 of 9: Reveal")).to_be_visible(timeout=PAGE_LOAD)
    expect(member.get_by_role("cell", name=XSS, exact=True).first).to_be_visible()
    no_injected_markup(member)
    back = member.get_by_role("button", name="Back")
    back.click()
    expect(member.get_by_text("Step 5 of 9: Check your answers")).to_be_visible()
    expect(member.get_by_role("cell", name=f"1. {XSS}", exact=True)).to_be_visible()
    expect(member.get_by_text("You have confirmed your answers.")).to_be_visible()
    no_injected_markup(member)
    for page_number in (3, 2, 1):
        back.click()
        expect(member.get_by_text(f"page {page_number} of 3")).to_be_visible()
    expect(member.locator("strong").filter(has_text=XSS)).to_have_text(XSS)
    # After confirming, answers are shown but locked.
    expect(member.get_by_role("radio").first).to_be_disabled()
    no_injected_markup(member)
    back.click()
    expect(member.get_by_text("Step 3 of 9: Gut call")).to_be_visible()
    expect(member.locator("label.widget-label").filter(has_text=XSS)).to_have_text(XSS)
    no_injected_markup(member)
    for _ in range(2):
        back.click()
    expect(member.get_by_text("Step 1 of 9: List issues")).to_be_visible()
    expect(member.get_by_label("Issue 1", exact=True)).to_have_value(XSS)
    no_injected_markup(member)
    assert dialogs == []

    facilitator, dialogs = open_page(new_context())
    open_results(facilitator, workbook)
    expect(facilitator.get_by_role("cell", name=XSS, exact=True).first).to_be_visible()
    expect(facilitator.locator(".vega-embed").first).to_be_visible()
    no_injected_markup(facilitator)
    assert dialogs == []


# -- links that open nothing -------------------------------------------------------------------


def _one_character_changed(code: str) -> str:
    position = len(code) // 2
    replacement = "A" if code[position] != "A" else "B"
    return code[:position] + replacement + code[position + 1 :]


def test_altered_links_show_only_that_the_link_is_not_valid(
    new_context: Callable[..., BrowserContext],
    placekit_server: Any,
    workbook: Any,
    screenshot: Callable[[Page, str], Path],
) -> None:
    page, dialogs = open_page(new_context())
    links = {
        "wrong team code": placekit_server.url(
            "index", code=_one_character_changed(workbook.team_code)
        ),
        "wrong facilitator code": placekit_server.url(
            "exercise", code=_one_character_changed(workbook.facilitator_code), exercise="triage"
        ),
        "malformed code": placekit_server.url(
            "exercise", code=workbook.team_code[:-3] + "<>!", exercise="triage"
        ),
        "made-up code": placekit_server.url("index", code=secrets.token_urlsafe(24)),
    }
    for number, (what, url) in enumerate(links.items()):
        load(page, url, page.get_by_role("heading", name="This link is not valid"))
        text = page.locator("body").inner_text()
        for secret in ("Northtown", *ISSUES, *(m.name for m in MEMBERS), "Demo:"):
            assert secret not in text, f"{what}: the page shows {secret!r}"
        expect(page.get_by_role("button")).to_have_count(0)
        expect(page.get_by_role("textbox")).to_have_count(0)
        if number == 0:
            screenshot(page, "invalid-link")
            check_accessibility(page, "an invalid link")
    assert dialogs == []


# -- an issue added after the team confirmed ---------------------------------------------------

LATE = "Knife crime near the station"
LATE_ANSWERS = (0, 0, 0, 2, 2, 2, 1, 2, 2, 2, 1, 2)


def test_an_issue_added_late_is_asked_alone_of_those_who_had_confirmed(
    new_context: Callable[..., BrowserContext],
    workbook: Any,
    screenshot: Callable[[Page, str], Path],
) -> None:
    """A fourth member adds an issue after the others confirmed. The first member, back in
    their own browser, is told why, asked about that issue alone (everything else stays as
    confirmed), comes back to "check your answers" after changing an answer, sees the team
    again, and the facilitator's page says the same about who has confirmed."""
    _needs_members()
    newcomer, dialogs = open_page(new_context())
    load(newcomer, workbook.team_link, newcomer.get_by_label("Your name, as your team will see it"))
    newcomer.get_by_label("Your name, as your team will see it").fill("Dev Singh (police)")
    newcomer.get_by_role("button", name="Start").click()
    newcomer.get_by_role("link", name="Wicked, tame or critical?").click()
    expect(newcomer.get_by_text("Step 1 of 9: List issues")).to_be_visible(timeout=PAGE_LOAD)
    newcomer.get_by_role("button", name="Add an issue").click()
    newcomer.get_by_label("Issue 4", exact=True).fill(LATE)
    expect_saved(newcomer)
    assert dialogs == []

    member, dialogs = open_page(new_context(storage_state=SHARED.first_member_state))
    load(member, workbook.team_link, member.get_by_text(f"Signed in as {MEMBERS[0].name}"))
    # Not "Completed" on the index: there is an answer to give and confirm.
    row = member.locator("ul.pk-task-list li").filter(has_text="Wicked, tame or critical?")
    expect(row).not_to_contain_text("Completed")
    member.get_by_role("link", name="Wicked, tame or critical?").click()
    # Back where they left (the first page, after the walk back through every page), and
    # told why they are asked again.
    expect(member.get_by_text("Step 1 of 9: List issues")).to_be_visible(timeout=PAGE_LOAD)
    why = f"A new issue was added after you confirmed: “{LATE}”"
    notice = member.get_by_role("status").filter(has_text="A new issue was added")
    expect(notice).to_contain_text(why)
    assert_plain_text(member)
    # A row of the task list opens its step.
    member.locator("ol.pk-tasks").get_by_role("link", name="3. Gut call").click()
    expect(member.get_by_text("Step 3 of 9: Gut call")).to_be_visible()
    expect(notice).to_contain_text(why)
    expect(member.locator(".widget-radio")).to_have_count(1)  # asked about that issue alone
    expect_definitions(member, ("Tame", "Wicked", "Critical"))
    assert_plain_text(member)
    screenshot(member, "late-issue")
    choose_radio(member, LATE, "Wicked")
    go_on(member, "Step 4 of 9: Diagnostic questions")
    expect(
        member.get_by_role("heading", name="Diagnostic questions: new issue 1 of 1")
    ).to_be_visible()
    answer_diagnostics(member, LATE_ANSWERS, check_blocked=False)
    expect_saved(member)
    assert_plain_text(member)
    go_on(member, "Step 5 of 9: Check your answers")
    rows = member.locator("table.pk-table tbody tr")
    expect(rows).to_have_count(len(ISSUES) + 1)
    expect(rows.nth(0)).to_contain_text("Confirmed")
    expect(rows.nth(3)).to_contain_text("Not confirmed yet")
    expect(member.get_by_role("button", name="Change answers for issue 1")).to_have_count(0)
    # Change an answer from the check page: Continue comes back here, not on in order (to
    # the diagnostic questions).
    member.get_by_role("button", name="Change gut call").click()
    expect(member.get_by_text("Step 3 of 9: Gut call")).to_be_visible()
    choose_radio(member, LATE, "Tame")
    expect_saved(member)
    go_on(member, "Step 5 of 9: Check your answers")
    expect(rows.nth(3).locator("td").nth(1)).to_have_text("Tame")
    assert_plain_text(member)
    member.get_by_role("button", name="Confirm and continue").click()

    expect(member.get_by_text("Step 6 of 9: Reveal")).to_be_visible()
    said = f"1 of {len(MEMBERS) + 1} members have confirmed their answers on all 4 issues."
    expect(member.get_by_text(said)).to_be_visible()
    expect(member.get_by_text(f"2 members have still to answer “{LATE}”")).to_be_visible()
    assert_plain_text(member)
    # The last step leads back to all exercises.
    member.locator("ol.pk-tasks").get_by_role("link", name="9. Finish and revisit").click()
    expect(member.get_by_text("Step 9 of 9: Finish and revisit")).to_be_visible()
    assert_plain_text(member)
    member.get_by_role("link", name="Back to all exercises").click()
    expect(member.get_by_role("heading", name="Your workbook")).to_be_visible(timeout=PAGE_LOAD)
    assert dialogs == []

    facilitator, dialogs = open_page(new_context())
    open_results(facilitator, workbook, joined=len(MEMBERS) + 1)
    expect(facilitator.locator(".pk-notice").filter(has_text="Fleiss' kappa")).to_contain_text(said)
    assert_plain_text(facilitator)
    assert dialogs == []
