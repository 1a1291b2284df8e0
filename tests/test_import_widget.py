"""The import widget as a person uses it: choose a file, say what its columns and words
mean, choose a corrected file, come back with the next export."""

from __future__ import annotations

import datetime as dt
from typing import Any

import ipywidgets as w

from placekit import Column, ImportWidget, Schema
from placekit.testing import html_of

SCHEMA = Schema(
    (
        Column("ref", "id", required=True, unique=True, label="Reference"),
        Column(
            "channel",
            "choice",
            required=True,
            choices=("phone", "face_to_face", "email"),
            choice_aliases={"walk in": "face_to_face", "telephone": "phone"},
            choice_labels={"phone": "Phone", "face_to_face": "Face to face", "email": "Email"},
            label="Channel",
        ),
        Column("words", "text", required=True, label="What they said"),
        Column("team", "string", label="Team"),
    )
)


def choose(widget: ImportWidget, text: str, name: str = "export.csv") -> None:
    content = text.encode()
    widget.upload.value = (
        {
            "name": name,
            "type": "text/csv",
            "size": len(content),
            "content": memoryview(content),
            "last_modified": dt.datetime.now(),
        },
    )


def dropdown(widget: ImportWidget, starts: str) -> w.Dropdown:
    (found,) = [
        d
        for box in (widget.mapping_box, widget.values_box)
        for d in box.children
        if isinstance(d, w.Dropdown) and d.description.startswith(starts)
    ]
    return found


def widget_with_memory() -> tuple[ImportWidget, list[dict[str, Any]]]:
    kept: list[dict[str, Any]] = []
    return ImportWidget(SCHEMA, lambda p, f: f"{p.rows} saved", remember=kept.append), kept


EXPORT = (
    "ref,channel,Said,Unit\r\n"
    "a,Walk-in,Hello,Repairs\r\n"
    "b,Telephone,Hi,Repairs\r\n"
    "c,Phone call,Where is it,Repairs\r\n"
    "d,Phone call,Still waiting,Repairs\r\n"
)


def test_the_files_words_are_shown_with_what_they_are_read_as() -> None:
    widget, kept = widget_with_memory()
    choose(widget, EXPORT)
    dropdown(widget, "What they said").value = "Said"
    page = html_of(widget)
    assert "What the file’s words mean" in page
    assert dropdown(widget, "“Walk-in” (1 row)").value == "face_to_face"
    assert dropdown(widget, "“Telephone” (1 row)").value == "phone"
    unknown = dropdown(widget, "“Phone call” (2 rows)")
    assert ("Phone (suggested)", "phone") in unknown.options
    assert "Row 4, Channel: “Phone call” is not one of: Phone, Face to face, Email" in page
    assert "1 word in the file is not one this exercise records" in page
    assert "face_to_face" not in widget.message.value  # plain words, not codes
    assert widget.save_button.layout.display == "none"

    widget.suggested.click()  # "Use the 1 suggested meaning"
    assert unknown.value == "phone"
    assert widget.message.value == "" and widget.save_button.description == "Import 4 rows"
    assert kept[-1] == {"columns": {"words": "Said"}, "values": {"channel": {"phonecall": "phone"}}}

    dropdown(widget, "“Walk-in”").value = "email"  # a synonym can be changed too
    assert kept[-1]["values"]["channel"] == {"phonecall": "phone", "walkin": "email"}
    widget.save_button.click()
    assert "4 saved" in widget.done.value


def test_a_change_updates_the_inputs_on_the_page_instead_of_drawing_new_ones() -> None:
    widget, _kept = widget_with_memory()
    choose(widget, EXPORT)
    said, team = dropdown(widget, "What they said"), dropdown(widget, "Team")
    said.value = "Said"
    words = dropdown(widget, "“Phone call”")
    words.value = "phone"
    team.value = "Unit"
    assert dropdown(widget, "What they said") is said and dropdown(widget, "Team") is team
    assert dropdown(widget, "“Phone call”") is words
    # One heading is one column: choosing "Said" for Team takes it from What they said.
    team.value = "Said"
    assert said.value == "" and "Required column missing: What they said" in html_of(widget)


def test_a_corrected_file_chosen_again_keeps_every_mapping() -> None:
    widget, _kept = widget_with_memory()
    choose(widget, EXPORT)
    dropdown(widget, "What they said").value = "Said"
    dropdown(widget, "“Phone call”").value = "phone"
    corrected = EXPORT.replace("Walk-in", "Telephone") + "e,Phone call,Again,Repairs\r\n"
    choose(widget, corrected, "export-fixed.csv")
    assert dropdown(widget, "What they said").value == "Said"
    assert dropdown(widget, "“Phone call” (3 rows)").value == "phone"
    assert widget.save_button.description == "Import 5 rows"


def test_what_the_team_chose_before_means_the_next_file_needs_no_matching() -> None:
    first, kept = widget_with_memory()
    choose(first, EXPORT)
    dropdown(first, "What they said").value = "Said"
    dropdown(first, "“Phone call”").value = "phone"
    # Next week, a new page (a new kernel) with what the study remembered.
    later = ImportWidget(SCHEMA, lambda p, f: "saved", memory=kept[-1])
    choose(later, EXPORT.replace("a,", "z,", 1), "next-week.csv")
    assert later.message.value == ""
    assert later.save_button.description == "Import 4 rows"
