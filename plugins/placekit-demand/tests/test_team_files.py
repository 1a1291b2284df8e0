"""A team's own contact-centre export through the study, as the team found it: words the
kit does not use ("Walk-in"), its own categories, taking every demand back to Excel, and
how long a repair really takes."""

from __future__ import annotations

import base64
import datetime as dt
import io
import re
import subprocess
from typing import Any

import ipywidgets as w
import openpyxl
import pandas as pd
import pytest
from placekit_demand import data

import placekit
from placekit import ImportWidget, write_excel
from placekit.testing import (
    TestWorkbook,
    assert_plain_text,
    charts_of,
    html_of,
    placekit_command,
    press,
)

HEADER = (
    "Contact ID,Received,Service,Contact method,Notes from call,Handling time,Case ref,"
    "Category,Reported,Fixed\r\n"
)
CHANNELS = ("Walk-in", "Telephone", "E-mail", "Phone (mobile)")
CATEGORIES = tuple(f"CRM code {n:02d}" for n in range(1, 13))  # the case system's own


def export(first: int = 0, rows: int = 48) -> bytes:
    """A contact-centre export: 48 contacts about 24 repair cases (two contacts each)."""
    lines = [HEADER]
    for n in range(first, first + rows):
        case = n // 2
        day = dt.date(2024, 3, 1) + dt.timedelta(days=case % 20)
        fixed = day + dt.timedelta(days=3 + (case * 7) % 11)
        lines.append(
            f"c{n:04d},{day:%d/%m/%Y} {9 + n % 8:02d}:15,Housing repairs,"
            f"{CHANNELS[n % 4]},Where is my repair {case},{3 + n % 5},J{case:04d},"
            f"{CATEGORIES[case % 12]},{day:%d/%m/%Y},{fixed:%d/%m/%Y}\r\n"
        )
    return "".join(lines).encode("utf-8-sig")


@pytest.fixture
def team(placekit_workbook: TestWorkbook) -> TestWorkbook:
    responses = placekit_workbook.responses("demand")
    responses.save("study", "team", {"services": ["Housing repairs"], "channels": ["phone"]}, 0)
    responses.save("purpose", "team", {"statement": "Fix my home, first time"}, 0)
    return placekit_workbook


def find(widget: w.Widget, kind: type) -> list:
    found = [widget] if isinstance(widget, kind) else []
    for child in getattr(widget, "children", ()):
        found += find(child, kind)
    return found


def choose(widget: ImportWidget, name: str, content: bytes) -> None:
    widget.upload.value = (
        {
            "name": name,
            "type": "text/csv",
            "size": len(content),
            "content": memoryview(content),
            "last_modified": dt.datetime.now(),
        },
    )


def import_page(wizard: Any) -> ImportWidget:
    wizard.goto("import")
    (widget,) = find(wizard.body, ImportWidget)
    return widget


def dropdown(widget: w.Widget, starts: str) -> w.Dropdown:
    (found,) = [d for d in find(widget, w.Dropdown) if d.description.startswith(starts)]
    return found


def card_with(widget: w.Widget, text: str) -> w.VBox:
    (card,) = [
        c for c in find(widget, w.VBox) if "pk-card" in c._dom_classes and text in html_of(c)
    ]
    return card


def import_first_file(team: TestWorkbook) -> Any:
    wizard = team.wizard("demand", "Dee")
    widget = import_page(wizard)
    choose(widget, "repairs-march.csv", export())
    dropdown(widget, "What the person said").value = "Notes from call"
    widget.suggested.click()  # "Phone (mobile)": phone, as suggested
    press(widget, "Import 48 rows")
    return wizard


def test_a_contact_centre_export_imports_with_its_own_words_matched(team) -> None:
    wizard = team.wizard("demand", "Dee")
    widget = import_page(wizard)
    choose(widget, "repairs-march.csv", export())
    # The column the kit could not find by name is chosen by hand.
    dropdown(widget, "What the person said").value = "Notes from call"
    page = html_of(widget)
    assert "What the file’s words mean" in page
    assert dropdown(widget, "“Walk-in” (12 rows)").value == "face_to_face"
    assert dropdown(widget, "“Telephone” (12 rows)").value == "phone"
    assert "“E-mail”" not in page.split("What the file’s words mean")[1]  # it is "email"
    assert "Row 5, Channel: “Phone (mobile)” is not one of: Phone, Face to face, Email" in page
    assert_plain_text(widget, allow=["repairs-march.csv"])

    # A corrected file chosen again keeps the column chosen by hand.
    choose(widget, "repairs-march-2.csv", export())
    assert dropdown(widget, "What the person said").value == "Notes from call"
    dropdown(widget, "“Phone (mobile)” (12 rows)").value = "phone"
    press(widget, "Import 48 rows")
    frame = data.imported(wizard.responses)
    assert list(frame["channel"][:4]) == ["face_to_face", "phone", "email", "phone"]
    assert wizard.can_continue

    # Next month's file, on another day (a new page): nothing to match again.
    later = import_page(team.wizard("demand", "Eli"))
    choose(later, "repairs-april.csv", export(first=100))
    assert later.message.value == ""
    assert later.save_button.description == "Import 48 rows"


def test_the_files_own_types_are_offered_to_accept_rename_or_merge(team) -> None:
    wizard = import_first_file(team)
    wizard.goto("typology")
    page = html_of(wizard.body)
    assert "12 types found in your file: accept, rename or merge" in page
    assert "No demand types yet" not in page
    assert not wizard.can_continue
    wizard.next.click()  # says what is left to do, and stays
    assert wizard.page.id == "typology"
    assert "Accept, rename or merge the 12 types found in your file" in wizard.summary.value
    assert_plain_text(wizard.body)

    # Rename the first as the customer would put it, and accept it.
    card = card_with(wizard.body, "“CRM code 01”")
    (name,) = find(card, w.Text)
    assert name.description == "Name of type 1, in the customer’s words"
    name.value = "Where is my repair?"
    press(card, "Accept")
    assert "11 types found in your file" in html_of(wizard.body)
    # Merge the second into it.
    (merge,) = find(card_with(wizard.body, "“CRM code 02”"), w.Dropdown)
    assert merge.description == "Or merge it"
    merge.value = next(v for label, v in merge.options if label == "Where is my repair?")
    press(wizard.body, "Accept all 10 as they are")
    assert "types found in your file" not in html_of(wizard.body)

    frame = data.analysis_frame(wizard.responses)
    counts = frame["type"].value_counts()
    # Each code is 2 cases of 2 contacts: codes 01 and 02 are now one type.
    assert counts["Where is my repair?"] == 8 and counts["CRM code 03"] == 4
    assert "CRM code 01" not in counts and "CRM code 02" not in counts
    # Renamed later, the type keeps its demands.
    team_view = wizard.responses
    (type_id,) = [
        k for k, t in data.types(team_view).items() if t["label"] == "Where is my repair?"
    ]
    renamed = team_view.get("type", type_id) | {"label": "Is my repair booked?"}
    team_view.save("type", type_id, renamed, team_view.entry("type", type_id).version)
    assert data.analysis_frame(team_view)["type"].value_counts()["Is my repair booked?"] == 8


def test_every_demand_goes_back_to_excel_with_what_the_team_made_of_it(team, tmp_path) -> None:
    wizard = import_first_file(team)
    wizard.goto("classify")
    card = [c for c in find(wizard.body, w.VBox) if "pk-card" in c._dom_classes][0]
    find(card, w.ToggleButtons)[0].value = "failure"
    (reason,) = find(card, w.Text)
    reason.value = "No date given for the repair"
    verdicts = wizard.responses.records("verdict")
    (judged,) = list(verdicts)

    # `placekit export`, as a facilitator runs it (PLACEKIT_DB names this test's database).
    command = [placekit_command(), "export", team.facilitator_code, "demand", "--format", "csv"]
    subprocess.run([*command, "-o", str(tmp_path / "study.csv")], check=True)
    each = pd.read_csv(tmp_path / "study-each-demand.csv", encoding="utf-8-sig")
    assert len(each) == 48
    assert list(each.columns) == [
        "Demand reference", "When it arrived", "Service", "Channel", "What the person said",
        "Value or failure", "What we failed to do", "Kind of failure", "Demand type",
        "Predictable", "Contacted before", "Minutes spent", "Case reference", "Case started",
        "Case ended", "Study round", "Captured by", "Where it came from",
    ]  # fmt: skip
    row = each.set_index("Demand reference").loc[judged]
    assert row["Value or failure"] == "Failure"
    assert row["What we failed to do"] == "No date given for the repair"
    assert set(each["Channel"]) == {"Face to face", "Phone", "Email"}
    assert set(each["Value or failure"]) == {"Failure", "Not yet classified"}
    first_row = each.iloc[0]
    assert first_row["Demand type"] == "CRM code 01" and first_row["Case reference"] == "J0000"
    assert first_row["Case started"].startswith("2024-03-01")
    assert first_row["Case ended"].startswith("2024-03-04")
    assert first_row["Where it came from"] == "File: repairs-march.csv"

    # The same table in the Excel file, and among the facilitator's downloads.
    book = write_excel(placekit.open(team.facilitator_code).tables("demand"))
    sheet = openpyxl.load_workbook(io.BytesIO(book))["Each demand"]
    assert sheet.max_row == 49 and sheet["A1"].value == "Demand reference"
    results = team.results("demand")
    press(results, "Prepare the downloads")
    assert "Each demand (CSV)" in html_of(results)


def test_the_count_of_classified_demands_moves_as_cards_are_answered(team) -> None:
    wizard = import_first_file(team)
    wizard.goto("classify")
    assert "Classified 0 of 48 demands." in html_of(wizard.body)
    cards = find(wizard.body, w.ToggleButtons)
    cards[0].value = "value"
    cards[1].value = "unclear"
    assert "Classified 2 of 48 demands." in html_of(wizard.body)


def test_how_long_a_repair_really_takes(team) -> None:
    wizard = import_first_file(team)
    wizard.goto("capability")
    page = html_of(wizard.body)
    # 24 cases, each reported and fixed 3 to 13 days later, two contacts each.
    assert "Cases take up to" in page or "Cases take between" in page
    assert "9 in 10 took under" in page
    assert "Making Data Count" in page
    # The chart's table straight after it, captioned as its figures, and shown once.
    chart_at = page.index("<h3>Capability chart: end-to-end time</h3>")
    table_at = page.index("<h4>End-to-end time per case</h4>")
    assert chart_at < table_at < page.index("<h3>Daily demand: All types</h3>")
    assert "<caption>The figures in the chart “Capability chart: end-to-end time”" in page
    assert page.count("End-to-end time per case</h") == 1
    (chart, *daily) = charts_of(wizard.body)
    assert chart.to_dict()["title"] == "End-to-end time per case"
    assert_plain_text(wizard.body)
    summary = team.summary("demand")
    times = summary.tables["End-to-end time per case"]
    assert len(times) == 24 and set(times["Contacts"]) == {2}
    assert times["Days, end to end"].between(3, 13).all()

    # The team changed the system on 11 March: the chart is split there.
    wizard.responses.save("change", "team", {"changed_on": "2024-03-11"}, 0)
    limits = team.summary("demand").tables["Capability: end-to-end time"]
    assert list(limits["Period"]) == ["Before", "After"]


def test_no_page_of_the_demo_study_shows_an_internal_value(placekit_workbook) -> None:
    team = placekit_workbook
    exercise = team.exercise("demand")
    exercise.seed_demo(lambda _member: team.responses("demand"), [team.join("Dee").id])
    wizard = team.wizard("demand", "Dee")
    for page in wizard.pages:
        wizard.goto(page.id)
        assert_plain_text(wizard.body)
    results = team.results("demand")
    assert_plain_text(html_of(results))
    assert "Capability chart: end-to-end time" in html_of(results)


def test_repeat_contacts_on_one_case_and_its_dates_given_on_the_page(team) -> None:
    wizard = team.wizard("demand", "Dee")
    wizard.goto("capture")
    (words,) = find(wizard.body, w.Textarea)
    (case,) = [t for t in find(wizard.body, w.Text) if t.description.startswith("Case or job")]
    channel = find(wizard.body, w.ToggleButtons)[0]
    day = find(wizard.body, w.DatePicker)[0]
    (time,) = [t for t in find(wizard.body, w.Text) if t.description == "Time (hh:mm)"]
    for number in range(8):  # four repairs, each reported and then chased
        words.value = "My boiler has stopped" if number % 2 == 0 else "Where is my engineer?"
        channel.value = "phone"
        case.value = f"B{number // 2}"
        day.value, time.value = dt.date(2024, 3, 4 + number), "00:00"
        press(wizard.body, "Save and capture the next")
    assert case.value == ""  # ready for the next contact
    wizard.goto("capability")
    page = html_of(wizard.body)
    assert "When each case started and ended" in page
    assert "0 of 4 cases have an end date so far" in page
    pickers = find(wizard.body, w.DatePicker)
    ends = [d for d in pickers if d.description.startswith("When the need was met")]
    assert len(ends) == 4  # one per case, not per contact
    for number, end in enumerate(ends):
        end.value = dt.date(2024, 3, 20 + number)
    cases = team.summary("demand").tables["End-to-end time per case"]
    assert set(cases["Contacts"]) == {2}
    # Each case runs from its first contact (no start given) to the day it was met.
    assert sorted(cases["Days, end to end"]) == [13.0, 14.0, 15.0, 16.0]


def test_a_study_too_large_for_the_page_still_gives_every_demand(team, monkeypatch) -> None:
    from placekit_demand import per_demand

    import_first_file(team)
    monkeypatch.setattr(per_demand, "ON_THE_PAGE", 40)  # 48 demands: "too many" for a test
    summary = team.summary("demand")
    assert per_demand.TITLE not in summary.tables
    assert any("the study holds 48 demands, too many for one table" in n for n in summary.notes)
    results = team.results("demand")
    press(results, "Download every demand (CSV)")
    found = r'download="each-demand.csv" href="data:text/csv;base64,([^"]+)"'
    (link,) = re.findall(found, html_of(results))
    every = pd.read_csv(io.BytesIO(base64.b64decode(link)), encoding="utf-8-sig")
    assert len(every) == 48 and every["Channel"].iloc[0] == "Face to face"
