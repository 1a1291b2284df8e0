"""The demand study driven through its pages, as a member's clicks would: a real SQLite store,
the real upload widget, no browser. Imports are all or nothing."""

from __future__ import annotations

import datetime as dt
from typing import Any

import ipywidgets as w
import pytest
from placekit_demand import data

from placekit import ImportWidget
from placekit.testing import TestWorkbook

HEADER = "demand_id,captured_at,service,channel,verbatim\r\n"
GOOD = (
    HEADER
    + "d0001,04/03/2024 09:12,Housing repairs,phone,I reported a leak two weeks ago\r\n"
    + "d0002,04/03/2024 09:20,Housing repairs,Phone,My boiler has stopped working\r\n"
    + "d0003,05/03/2024 10:00,Housing repairs,e-mail,Where is my repair?\r\n"
    + "d0004,05/03/2024 11:00,Housing repairs,web form,where is my repair\r\n"
)


@pytest.fixture
def study(placekit_workbook: TestWorkbook) -> Any:
    """The real wizard Asha sees, with the team's services, channels and purpose set."""
    team = placekit_workbook.responses("demand")
    team.save("study", "team", {"services": ["Housing repairs"], "channels": ["phone"]}, 0)
    team.save("purpose", "team", {"statement": "Fix my home, first time"}, 0)
    return placekit_workbook.wizard("demand", "Asha")


def find(widget: w.Widget, kind: type) -> list:
    found = [widget] if isinstance(widget, kind) else []
    for child in getattr(widget, "children", ()):
        found += find(child, kind)
    return found


def upload(wizard: Any, name: str, content: bytes) -> ImportWidget:
    wizard.goto("import")
    (widget,) = find(wizard.body, ImportWidget)
    widget.upload.value = (
        {
            "name": name,
            "type": "text/csv",
            "size": len(content),
            "content": memoryview(content),
            "last_modified": dt.datetime.now(),
        },
    )
    return widget


def versions(wizard: Any) -> int:
    r = wizard.responses
    return len(r.dataset_history(data.DATASET))


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            b"demand_id,captured_at,service,channel\r\nd1,04/03/2024,Repairs,phone\r\n",
            "Required column missing: What the person said. The file has no column headed"
            " verbatim, what they said, customer words or description; choose which of its"
            " columns holds it.",
        ),
        (
            (HEADER + "d1,04/03/2024 09:12,Repairs,fax,Hello\r\n").encode(),
            "Row 2, Channel: “fax” is not one of: Phone, Face to face, Email, Web form,"
            " Letter, Social media, Referral from an agency, Home visit, Other",
        ),
        (
            (HEADER + "d1,2024-13-45,Repairs,phone,Hello\r\n").encode(),
            "Row 2, When it arrived: “2024-13-45” is not a date: use day/month/year, as"
            " 04/03/2024 or 04/03/2024 09:12 (or 2024-03-04T09:12)",
        ),
        (b"", "upload.csv: The file is empty."),
        (
            b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj",
            "upload.csv: This is a PDF file, not a spreadsheet. Export the data as CSV or"
            " Excel (.xlsx) and upload that file.",
        ),
    ],
)
def test_a_bad_file_says_exactly_what_is_wrong_and_saves_nothing(study, content, message):
    widget = upload(study, "upload.csv", content)
    assert message in widget.message.value.replace("&quot;", '"').replace("&#x27;", "'")
    assert "Nothing has been saved" in widget.message.value
    assert widget.save_button.disabled and widget.save_button.layout.display == "none"
    assert versions(study) == 0
    assert not study.can_continue  # still nothing to work on


def test_a_good_file_is_imported_whole_and_not_twice(study):
    widget = upload(study, "contacts.csv", GOOD.encode("utf-8-sig"))
    assert widget.message.value == ""
    assert widget.save_button.description == "Import 4 rows"
    widget.save_button.click()
    assert "Imported 4 demands from contacts.csv" in widget.done.value
    assert versions(study) == 1 and data.demand_count(study.responses) == 4
    assert study.can_continue
    frame = data.imported(study.responses)
    assert list(frame["channel"]) == ["phone", "phone", "email", "web_form"]
    # The same file again: every row is already in the study, and nothing is saved.
    again = upload(study, "contacts.csv", GOOD.encode("utf-8-sig"))
    assert "“d0001” is already in this study (was this file imported before?)" in (
        again.message.value
    )
    assert versions(study) == 1


def test_personal_data_in_a_file_is_flagged(study):
    content = (
        b"demand_id,captured_at,service,channel,verbatim,Customer name\r\n"
        b"d1,04/03/2024 09:12,Repairs,phone,Call me on 07700 900123,Ann Smith\r\n"
    )
    widget = upload(study, "export.csv", content)
    assert "Possible personal data" in widget.details.value
    assert "“Customer name” looks like it holds names" in widget.details.value
    assert "“verbatim” has what look like phone numbers" in widget.details.value


def test_capture_classify_type_and_see_the_measures(study):
    study.goto("capture")
    (verbatim,) = [t for t in find(study.body, w.Textarea)]
    channel = find(study.body, w.ToggleButtons)[0]
    save = [b for b in find(study.body, w.Button) if b.description.startswith("Save")][0]
    for words in ("Where is my repair?", "My boiler is broken", "where is my repair"):
        verbatim.value = words
        channel.value = "phone"
        save.click()
        assert verbatim.value == ""  # ready for the next contact
    assert len(study.responses.records("demand")) == 3

    study.goto("classify")
    cards = find(study.body, w.ToggleButtons)
    assert len(cards) == 3
    for card in cards:
        text = card.description
        assert text == "This demand is"
    saved = []
    for box in find(study.body, w.VBox):
        if "pk-card" in box._dom_classes:
            quote = box.children[0].value
            choice = find(box, w.ToggleButtons)[0]
            reason = [t for t in find(box, w.Text)][0]
            if "boiler" in quote:
                choice.value = "value"
            else:
                choice.value = "failure"
                assert not study.can_continue  # a failure needs its reason
                reason.value = "Did not say when we would come"
            saved.append(choice.value)
    assert sorted(saved) == ["failure", "failure", "value"]
    assert study.can_continue

    study.goto("typology")
    assert "Not in a type yet: 3 demands (2 different wordings)" in str(
        [h.value for h in find(study.body, w.HTML)]
    )
    starts = [b for b in find(study.body, w.Button) if b.description.startswith("New type")]
    starts[0].click()  # the most frequent wording: "where is my repair" (2 demands)
    types = data.types(study.responses)
    assert [t["label"] for t in types.values()] == ["Where is my repair?"]
    frame = data.analysis_frame(study.responses)
    assert int((frame["type"] == "Where is my repair?").sum()) == 2

    summary = study.exercise.summarise(study.responses.other(study.exercise))
    pareto = summary.tables["Pareto of failure types"]
    assert pareto.to_dict("records") == [
        {"Failure type": "Where is my repair?", "Failure demands": 2, "%": 100.0,
         "Cumulative %": 100.0, "Vital few": "yes"}
    ]  # fmt: skip
    assert summary.notes[0].startswith("Failure demand: 66.7% (95% interval")
    assert "Pareto of failure types" in summary.figures
    assert "Published levels (context, not targets)" in summary.tables


def test_identical_wordings_are_grouped_once(study):
    team = study.responses.other(study.exercise)
    for number, words in enumerate(["My toilet won't flush", "my toilet won't flush.", "Hi"]):
        team.save(
            "demand",
            f"c{number}",
            {"verbatim": words, "channel": "phone", "captured_at": "2024-03-04T09:00"},
            0,
        )
    table, demands, wordings = data.unassigned_wordings(team)
    assert (demands, wordings) == (3, 2)
    assert table.to_dict("records") == [
        {"verbatim": "My toilet won't flush", "demands": 2},
        {"verbatim": "Hi", "demands": 1},
    ]


def test_the_template_offered_for_download_imports_cleanly() -> None:
    from placekit_demand import capture
    from placekit_demand.file_schema import DEMAND_FILE

    from placekit import read_and_preview

    _raw, preview = read_and_preview(capture.TEMPLATE_ROWS.encode(), DEMAND_FILE, "template.csv")
    assert preview.ok and preview.unmatched == [] and preview.values == {}
    assert list(preview.frame["case_id"]) == ["R2041", "R2107"]
