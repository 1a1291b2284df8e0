"""The core's building blocks, on a small exercise of the tests' own (not any plugin's
wording): the record list, the confirm box, and the traps a plugin author used to fall in."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from typing import Any

import ipywidgets as w
import pytest

import placekit
from placekit import (
    ConfirmBox,
    ConflictError,
    DatasetConflictError,
    Exercise,
    Field,
    Page,
    PageContext,
    PlaceKitError,
    RecordKind,
    RecordList,
    Responses,
    Schema,
    Summary,
    hookimpl,
)
from placekit.testing import TestWorkbook, html_of, press

IDEA = RecordKind("idea", "team", (Field("title", "Idea", required=True),))
NOTE = RecordKind("note", "member", (Field("text", "Note"),))


def build_ideas(ctx: PageContext) -> w.Widget:
    return RecordList(
        ctx,
        "idea",
        noun="idea",
        inputs=lambda rid, n: [ctx.field("idea", rid, "title", label=f"Idea {n}")],
        new=lambda: {"title": ""},
        limit=3,
        confirm=True,
        undo=True,
        reorder=True,
    )


def build_notes(ctx: PageContext) -> w.Widget:
    return RecordList(
        ctx,
        "note",
        noun="note",
        inputs=lambda rid, n: [ctx.field("note", rid, "text", label=f"Note {n}")],
        summary=lambda rid, data, n: f"<strong>{placekit.esc(data.get('text') or '-')}</strong>",
        label=lambda rid, data, n: data.get("text") or "the empty note",
    )


class Ideas(Exercise):
    id = "test-ideas"
    title = "Ideas"
    summary = "A list of ideas, for the core's own tests."
    kinds = (IDEA, NOTE)
    primary_kind = "idea"
    steps = (("ideas", "Ideas"), ("notes", "Notes"))

    def pages(self, responses: Responses) -> Sequence[Page]:
        return [
            Page("ideas", "ideas", "Ideas", build_ideas),
            Page("notes", "notes", "Notes", build_notes),
        ]

    def summarise(self, responses: Responses) -> Summary:
        return Summary()


class Plugin:
    def __init__(self, *exercises: Exercise) -> None:
        self.exercises = exercises

    @hookimpl
    def register_exercises(self, register: Callable[[Any], None]) -> None:
        for exercise in self.exercises:
            register(exercise)


@pytest.fixture
def ideas(register_plugin: Callable[..., None], placekit_workbook: TestWorkbook) -> TestWorkbook:
    register_plugin(Plugin(Ideas()), "test-ideas")
    return placekit_workbook


def titles(wb: TestWorkbook) -> list[str]:
    return [d["title"] for d in wb.responses("test-ideas").records("idea").values()]


def test_a_record_list_adds_up_to_its_limit(ideas: TestWorkbook, exercise_driver) -> None:
    ann = exercise_driver("test-ideas", member="Ann")
    for _ in range(3):
        ann.press("Add an idea")
    assert "Idea 3" in ann.text and len(titles(ideas)) == 3
    with pytest.raises(AssertionError, match="disabled"):
        ann.press("Add an idea")  # the limit is 3


def test_removing_asks_first_and_can_be_undone(ideas: TestWorkbook, exercise_driver) -> None:
    ann = exercise_driver("test-ideas", member="Ann")
    ann.press("Add an idea")
    (first,) = ideas.responses("test-ideas").records("idea")
    ann.fill({f"{first}.title": "Street party"})
    ann.press("Remove idea 1")
    assert "Remove “idea 1”? You can undo this." in ann.text
    ann.press("Cancel")
    assert titles(ideas) == ["Street party"]
    ann.press("Remove idea 1").press("Yes, remove idea 1")
    assert titles(ideas) == []
    assert "Recently removed" in ann.text
    ann.press("Undo removing idea")
    assert titles(ideas) == ["Street party"]
    assert "Undo removing idea" not in ann.buttons()


def test_a_new_order_is_the_teams(ideas: TestWorkbook, exercise_driver) -> None:
    ann = exercise_driver("test-ideas", member="Ann")
    for _ in range(3):
        ann.press("Add an idea")
    ids = list(ideas.responses("test-ideas").records("idea"))
    ann.fill({f"{ids[0]}.title": "A", f"{ids[1]}.title": "B", f"{ids[2]}.title": "C"})
    assert "Move idea 1 up" in ann.buttons()
    with pytest.raises(AssertionError, match="disabled"):
        ann.press("Move idea 1 up")
    ann.press("Move idea 3 up")
    bob = exercise_driver("test-ideas", member="Bob")
    shown = [bob.inputs()[f"{i}.title"].value for i in ids]
    assert shown == ["A", "B", "C"]  # the inputs themselves keep their records' ids
    labels = [b.description for b in _labelled(bob.wizard, "Idea ")]
    assert labels == ["Idea 1", "Idea 2", "Idea 3"]
    values = [b.value for b in _labelled(bob.wizard, "Idea ")]
    assert values == ["A", "C", "B"]


def _labelled(widget: Any, start: str) -> list[Any]:
    here = [widget] if str(getattr(widget, "description", "")).startswith(start) else []
    return here + [x for c in getattr(widget, "children", ()) for x in _labelled(c, start)]


def test_one_record_is_open_at_a_time_and_stays_open_after_a_reload(
    ideas: TestWorkbook, exercise_driver
) -> None:
    ann = exercise_driver("test-ideas", member="Ann").goto("notes")
    ann.press("Add a note")
    (first,) = ideas.responses("test-ideas", "Ann").records("note")
    assert list(ann.inputs()) == [f"{first}.text"]  # a new record opens for editing
    ann.fill({f"{first}.text": "Ask the library"}).press("Done")
    assert ann.inputs() == {}
    ann.press("Add a note")
    again = exercise_driver("test-ideas", member="Ann")  # the same member, a new tab
    (second,) = [r for r in ideas.responses("test-ideas", "Ann").records("note") if r != first]
    assert again.page == "notes" and list(again.inputs()) == [f"{second}.text"]
    again.press("Edit Ask the library")
    assert list(again.inputs()) == [f"{first}.text"]
    bob = exercise_driver("test-ideas", member="Bob").goto("notes")
    assert "Ask the library" not in bob.text  # a member kind: Ann's notes are Ann's


def test_a_confirm_box_runs_the_action_only_on_yes() -> None:
    done: list[str] = []
    box = ConfirmBox()
    box.ask("Close the round?", "Yes, close it", lambda: done.append("closed"))
    assert box.asking and 'role="alert"' in html_of(box)
    press(box, "Cancel")
    assert not box.asking and done == []
    box.ask("Close the round?", "Yes, close it", lambda: done.append("closed"))
    press(box, "Yes, close it")
    assert done == ["closed"] and not box.asking


# -- the traps ----------------------------------------------------------------------------


class NoSteps(Ideas):
    id = "test-no-steps"
    steps = ()


class WrongPrimary(Ideas):
    id = "test-wrong-primary"
    primary_kind = "ideas"


class StrayStep(Ideas):
    id = "test-stray-step"

    def pages(self, responses: Responses) -> Sequence[Page]:
        return [*super().pages(responses), Page("extra", "nowhere", "Extra", build_ideas)]


def test_an_exercise_with_no_steps_or_a_wrong_primary_kind_is_refused(
    register_plugin: Callable[..., None],
) -> None:
    register_plugin(Plugin(NoSteps(), WrongPrimary(), Ideas()), "traps")
    loaded = placekit.testing.registry()
    messages = [p.message for p in loaded.problems if p.plugin == "traps"]
    assert any("'test-no-steps' without steps" in m for m in messages)
    assert any("primary_kind 'ideas' is not one of its kinds (idea, note)" in m for m in messages)
    assert "test-ideas" in loaded.exercises  # the plugin's good exercise still loads


def test_a_page_of_an_undeclared_step_is_a_plugin_problem(
    register_plugin: Callable[..., None],
    placekit_workbook: TestWorkbook,
    exercise_driver,
    caplog: pytest.LogCaptureFixture,
) -> None:
    register_plugin(Plugin(StrayStep()), "stray")
    with caplog.at_level(logging.ERROR, logger="placekit"):
        ann = exercise_driver("test-stray-step", member="Ann")
        ann.goto("extra")
    assert "belongs to step 'nowhere', which the exercise's steps do not declare" in caplog.text
    # Shown locked, with the plugin's message, never as "Step 0 of 2" with its inputs.
    assert "because of a problem in the “stray” plugin" in ann.text
    assert "Step 0" not in ann.text and ann.inputs() == {}


def test_a_misspelt_field_or_column_names_the_ones_there_are() -> None:
    with pytest.raises(KeyError, match=r"no field 'titel' \(its fields: title\)"):
        IDEA.field("titel")
    schema = Schema((placekit.Column("name", "Name"),))
    with pytest.raises(KeyError, match=r"no column 'nmae' \(its columns: name\)"):
        schema.column("nmae")
    assert list(schema.empty().columns) == ["name"] and len(schema.empty()) == 0


def test_every_refusal_is_a_placekit_error() -> None:
    assert issubclass(DatasetConflictError, ConflictError)
    assert issubclass(ConflictError, PlaceKitError)
    from placekit.data.access import InvalidLink
    from placekit.questionnaires import QuestionnaireError

    assert issubclass(InvalidLink, PlaceKitError) and issubclass(QuestionnaireError, PlaceKitError)
