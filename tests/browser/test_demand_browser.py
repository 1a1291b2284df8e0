"""The demand study in a real Chromium against a real ``placekit serve``, on a phone-sized
screen: scope, capture five demands, import a file (a bad one first), classify, build
types, see the Pareto, and reload to find the same page; then a contact-centre export
with its own words ("Walk-in") and categories, through to the capability chart."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from placekit.testing import assert_plain_text, join_team

pytestmark = pytest.mark.browser

PAGE_LOAD = 60_000  # ms: a Voila page is interactive after ~3-5 s, rarely ~20 s
ACTION = 30_000  # ms: one widget round trip on a busy two-core machine
NARROW = {"width": 375, "height": 812}  # a phone
DEMAND = "Demand analysis: value and failure demand"

CAPTURED = (
    ("I reported a leak two weeks ago and nobody has come", "Phone"),
    ("My boiler has stopped working", "Phone"),
    ("When is someone coming about my window?", "Email"),
    ("Where is my repair?", "Phone"),
    ("The engineer came but didn't have the part", "Email"),
)
# A case-system export whose progress-chasing contacts were already coded as failure.
HEADER = "demand_id,captured_at,service,channel,verbatim,handling_minutes,classification\r\n"
ROWS = [
    f"f{n:03d},0{1 + n % 9}/03/2024 {9 + n % 8:02d}:15,Housing repairs,"
    f"{'phone' if n % 3 else 'Web form'},{text},{4 + n % 5},"
    f"{'failure' if 'repair' in text else ''}\r\n"
    for n, text in enumerate(
        ["Where is my repair?"] * 8
        + ["My toilet won't flush"] * 6
        + ["You came but did not fix it"] * 4
        + ["I can't make that appointment"] * 2
    )
]
GOOD_FILE = (HEADER + "".join(ROWS)).encode("utf-8-sig")
BAD_FILE = (HEADER + ROWS[0] + "f999,04/03/2024 10:00,Housing repairs,fax,Hello,3,\r\n").encode()


def go_on(page: Page, step: str) -> None:
    button = page.get_by_role("button", name="Continue", exact=True)
    expect(button).to_be_enabled()
    button.click()
    expect(page.get_by_text(step)).to_be_visible()


def choose_file(page: Page, name: str, content: bytes) -> None:
    # As a person does it: press the button, pick the file in the browser's file chooser.
    with page.expect_file_chooser() as chooser:
        page.locator(".pk-upload").click()
    chooser.value.set_files({"name": name, "mimeType": "text/csv", "buffer": content})


def test_a_demand_study_from_capture_to_pareto(
    new_context: Callable[..., BrowserContext],
    make_workbook: Callable[[str], Any],
    screenshot: Callable[[Page, str], Path],
) -> None:
    workbook = make_workbook("Northtown repairs demand study")
    context = new_context(viewport=NARROW)
    context.set_default_timeout(ACTION)
    page = context.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))

    join_team(page, workbook.team_link, "Dee (repairs call handler)", DEMAND)
    expect(page.get_by_text("Step 1 of 8: Scope the study")).to_be_visible(timeout=PAGE_LOAD)

    # 1. Scope, 2. purpose.
    page.get_by_label("Services in the study (one per line)").fill("Housing repairs")
    # Several answers to one question: a group of checkboxes named by the question.
    channels = page.get_by_role("group", name="Channels to listen on")
    channels.get_by_role("checkbox", name="Phone").check()
    channels.get_by_role("checkbox", name="Email").check()
    expect(page.locator(".pk-status")).to_contain_text(re.compile(r"Saved at"))
    screenshot(page, "demand-scope")
    go_on(page, "Step 2 of 8")
    page.get_by_label("What is this service for, from the citizen’s point of view?").fill(
        "Fix my home properly, at a time that suits me"
    )
    go_on(page, "Step 3 of 8: Capture or import demands — page 1 of 2")

    # 3. Capture five demands, as on the phone to a tenant.
    words = page.get_by_label("What did they say or write? Their words, not ours")
    for number, (said, channel) in enumerate(CAPTURED, 1):
        words.fill(said)
        page.get_by_role("button", name=channel, exact=True).click()
        page.get_by_role("button", name="Save and capture the next").click()
        expect(page.get_by_role("heading", name=f"Captured so far: {number}")).to_be_visible()
        expect(words).to_have_value("")
    expect(page.get_by_text(f"“{CAPTURED[-1][0]}”")).to_be_visible()
    # Nothing sticks out of a phone's screen: the form fits its width.
    width = page.evaluate("() => document.querySelector('.pk-app').scrollWidth")
    assert width <= NARROW["width"], width
    screenshot(page, "demand-capture-narrow")
    go_on(page, "page 2 of 2")

    # 3b. Import: a bad file is refused with its problem named; the good one goes in whole.
    choose_file(page, "bad.csv", BAD_FILE)
    summary = page.locator(".pk-error-summary")
    expect(summary).to_contain_text("1 problem to fix before importing")
    expect(summary).to_contain_text("Row 3, Channel: “fax” is not one of: Phone, Face to face")
    expect(summary).to_contain_text("Nothing has been saved")
    choose_file(page, "repairs-export.csv", GOOD_FILE)
    importing = page.get_by_role("button", name=f"Import {len(ROWS)} rows")
    expect(importing).to_be_visible()
    importing.click()
    expect(
        page.get_by_text(f"Imported {len(ROWS)} demands from repairs-export.csv")
    ).to_be_visible()
    screenshot(page, "demand-import")
    go_on(page, "Step 4 of 8: Classify demands")

    # 4. Classify the first few: each saves as it is answered.
    expect(page.get_by_text(f"Classified 8 of {len(ROWS) + len(CAPTURED)} demands")).to_be_visible()
    cards = page.locator(".pk-card")
    expect(cards).to_have_count(5)
    for number in range(3):
        card = cards.nth(number)
        said = card.locator("blockquote").inner_text().lower()
        if any(word in said for word in ("repair", "come", "fix", "engineer")):
            card.get_by_role("button", name="Failure", exact=True).click()
            reason = card.get_by_label("What did we fail to do, or do right?")
            expect(reason).to_be_visible()
            reason.fill("We did not do it right first time")
            reason.press("Enter")
        else:
            card.get_by_role("button", name="Value", exact=True).click()
        # The error summary above the cards comes and goes as each answer is checked; wait
        # for it to settle so the next click does not land on a card that has just moved.
        expect(page.locator(".pk-error-summary")).to_have_count(0)
    # The count moves as each card is answered: 8 came classified in the file, 3 more now.
    expect(
        page.get_by_text(f"Classified 11 of {len(ROWS) + len(CAPTURED)} demands")
    ).to_be_visible()
    go_on(page, "Step 5 of 8: Build the typology")

    # 5. Typology: the most frequent wording becomes a type in the customer's words.
    expect(page.get_by_text(re.compile(r"Not in a type yet: 25 demands"))).to_be_visible()
    page.locator(".pk-card").first.get_by_role("button", name="New type from this wording").click()
    expect(page.get_by_label("Demand type, in the customer’s words", exact=True)).to_have_value(
        "Where is my repair?"
    )
    expect(page.get_by_text(re.compile(r"Not in a type yet: 1[0-9] demands"))).to_be_visible()
    page.get_by_role("radio", name="Yes", exact=True).check()
    expect(page.locator(".pk-status")).to_contain_text(re.compile(r"Saved at"))
    screenshot(page, "demand-typology")
    go_on(page, "Step 6 of 8: Analyse")

    # 6. The measures and the Pareto.
    expect(page.get_by_role("heading", name="Pareto of failure types")).to_be_visible()
    expect(page.locator(".vega-embed").locator("canvas, svg.marks").first).to_be_visible()
    expect(page.locator(".pk-notice").filter(has_text="Failure demand:").first).to_be_visible()
    expect(page.get_by_role("heading", name="Published levels")).to_be_visible()
    expect(page.get_by_text("these are not targets")).to_be_visible()
    screenshot(page, "demand-analyse")

    # Leave and come back: the same page.
    page.reload()
    expect(page.get_by_text("Step 6 of 8: Analyse")).to_be_visible(timeout=PAGE_LOAD)
    expect(page.get_by_role("heading", name="Pareto of failure types")).to_be_visible()
    assert page.locator('img[src="x"]').count() == 0
    assert dialogs == []
    context.close()


def test_a_case_system_export_bigger_than_tornados_limit_uploads_whole(
    new_context: Callable[..., BrowserContext],
    make_workbook: Callable[[str], Any],
) -> None:
    # An uploaded file crosses to the kernel as one websocket message; Tornado closes the
    # connection on any message over 10 MiB unless `placekit serve` raises its limit.
    row = (
        "x{n:06d},04/03/2024 10:{m:02d},Housing repairs,phone,"
        "I rang last week about the damp in the back bedroom and nobody has called me back"
        " about when someone is coming,{h},failure\r\n"
    )
    body = "".join(row.format(n=n, m=n % 60, h=3 + n % 7) for n in range(75_000))
    big = (HEADER + body).encode()
    assert len(big) > 12 * 1024 * 1024
    workbook = make_workbook("Northtown repairs, a whole year")
    context = new_context()
    context.set_default_timeout(ACTION)
    page = context.new_page()
    join_team(page, workbook.team_link, "Eli (performance team)", DEMAND)
    expect(page.get_by_text("Step 1 of 8: Scope the study")).to_be_visible(timeout=PAGE_LOAD)
    page.get_by_label("Services in the study (one per line)").fill("Housing repairs")
    page.get_by_role("checkbox", name="Phone").check()
    go_on(page, "Step 2 of 8")
    page.get_by_label("What is this service for, from the citizen’s point of view?").fill(
        "Fix my home properly, at a time that suits me"
    )
    go_on(page, "page 1 of 2")
    go_on(page, "page 2 of 2")
    choose_file(page, "repairs-year.csv", big)
    expect(page.get_by_role("button", name="Import 75,000 rows")).to_be_visible(timeout=120_000)
    context.close()


# A contact-centre export as teams bring them: its own channel words, its own categories,
# and a case reference with the days each repair was reported and fixed.
EXPORT_HEADER = (
    "Contact ID,Received,Service,Contact method,Notes from call,Case ref,Category,Reported,"
    "Fixed\r\n"
)
EXPORT_CHANNELS = ("Walk-in", "Telephone", "E-mail", "Phone (mobile)")
EXPORT_TYPES = ("Repair chase", "New repair", "Appointment change")


def contact_centre_export() -> bytes:
    rows = [EXPORT_HEADER]
    for n in range(48):
        case = n // 2
        day = 1 + case % 20
        fixed = day + 3 + (case * 7) % 8
        rows.append(
            f"x{n:03d},{day:02d}/03/2024 {9 + n % 8:02d}:15,Housing repairs,"
            f"{EXPORT_CHANNELS[n % 4]},Where is my repair {case},J{case:03d},"
            f"{EXPORT_TYPES[case % 3]},{day:02d}/03/2024,{fixed:02d}/03/2024\r\n"
        )
    return "".join(rows).encode("utf-8-sig")


def test_a_contact_centre_export_with_its_own_words_to_the_capability_chart(
    new_context: Callable[..., BrowserContext],
    make_workbook: Callable[[str], Any],
    screenshot: Callable[[Page, str], Path],
) -> None:
    workbook = make_workbook("Southtown repairs, an export")
    context = new_context()
    context.set_default_timeout(ACTION)
    page = context.new_page()
    join_team(page, workbook.team_link, "Fay (contact centre lead)", DEMAND)
    expect(page.get_by_text("Step 1 of 8: Scope the study")).to_be_visible(timeout=PAGE_LOAD)
    page.get_by_label("Services in the study (one per line)").fill("Housing repairs")
    page.get_by_role("checkbox", name="Phone").check()
    go_on(page, "Step 2 of 8")
    page.get_by_label("What is this service for, from the citizen’s point of view?").fill(
        "Fix my home properly, at a time that suits me"
    )
    go_on(page, "page 1 of 2")
    go_on(page, "page 2 of 2")

    choose_file(page, "contacts-march.csv", contact_centre_export())
    # Its words are read as the study's, in plain words; the one it cannot read is asked.
    expect(page.get_by_role("heading", name="What the file’s words mean")).to_be_visible()
    walk_in = page.get_by_label("“Walk-in” (12 rows)")
    expect(walk_in.locator("option:checked")).to_have_text("Face to face")
    unknown = page.get_by_label("“Phone (mobile)” (12 rows)")
    expect(page.locator(".pk-import .pk-error-summary")).to_contain_text(
        "“Phone (mobile)” is not one of: Phone, Face to face, Email"
    )
    page.get_by_label("What the person said (required)").select_option("Notes from call")
    unknown.select_option(label="Phone (suggested)")
    assert_plain_text(page, allow=["contacts-march.csv"])
    screenshot(page, "demand-import-words")
    importing = page.get_by_role("button", name="Import 48 rows")
    importing.click()
    expect(page.get_by_text("Imported 48 demands from contacts-march.csv")).to_be_visible()
    go_on(page, "Step 4 of 8: Classify demands")
    expect(page.get_by_text("Classified 0 of 48 demands")).to_be_visible()
    page.locator(".pk-card").first.get_by_role("button", name="Value", exact=True).click()
    expect(page.get_by_text("Classified 1 of 48 demands")).to_be_visible()
    go_on(page, "Step 5 of 8: Build the typology")

    # The export's own categories are offered as types.
    expect(page.get_by_text("3 types found in your file: accept, rename or merge")).to_be_visible()
    page.get_by_role("button", name="Accept all 3 as they are").click()
    radios = page.get_by_role("radio", name="Yes", exact=True)
    expect(radios).to_have_count(3)
    for number in range(3):
        radios.nth(number).check()
        expect(page.locator(".pk-status")).to_contain_text(re.compile(r"Saved at"))
    go_on(page, "Step 6 of 8: Analyse")
    go_on(page, "page 2 of 2")

    # How long a repair really takes: the capability chart, its reading and its rules.
    expect(page.get_by_role("heading", name="Capability chart: end-to-end time")).to_be_visible()
    expect(page.locator(".pk-notice").filter(has_text="Cases take").first).to_be_visible()
    expect(page.get_by_text("Making Data Count").first).to_be_visible()
    expect(page.locator(".vega-embed").locator("canvas, svg.marks").first).to_be_visible()
    assert_plain_text(page)
    screenshot(page, "demand-capability")
    context.close()
