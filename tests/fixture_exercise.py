"""A small exercise of the core tests' own, in neutral wording: a team "Check-in".

The team keeps a list of items (a ``placekit.RecordList`` of a team kind); each member
gives a required text answer and a 1–5 scale; a "check your answers" page confirms them
(``Page(confirm=...)``), which stores a confirmation and makes the answers read-only; a
page after it opens only once confirmed; and a last page can raise on demand, in its
build (``CheckIn.failing``) or from a button, to test how the core handles a failure.

Use it through the ``check_in`` fixture, which registers it for one test as the plugin
``CHECK_IN_PLUGIN`` and gives the test's workbook::

    from tests.fixture_exercise import CHECK_IN
    from tests.fixture_exercise import check_in_fixture  # noqa: F401 - the fixture

    def test_something(check_in: TestWorkbook) -> None:
        wizard = check_in.wizard(CHECK_IN, "Ann")
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any

import ipywidgets as w
import pytest

from placekit import (
    Exercise,
    Field,
    FieldError,
    Page,
    PageContext,
    RecordKind,
    RecordList,
    Responses,
    Summary,
    button,
    esc,
    field_errors,
    hookimpl,
)
from placekit.testing import TestWorkbook

CHECK_IN = "test-check-in"
CHECK_IN_PLUGIN = "check-in-plugin"
MIN_ITEMS = 2

ITEM = RecordKind("item", "team", (Field("title", "Item", required=True),))
ANSWER = RecordKind(
    "answer",
    "member",
    (
        Field("mood", "How is the week going?", type="text", required=True),
        Field("energy", "Energy, from 1 to 5", type="scale", required=True, low=1, high=5),
    ),
)
CONFIRMATION = RecordKind("confirmation", "member", (Field("confirmed_at", "Confirmed at"),))

# (step id, title) as the task list shows them
STEPS = (
    ("items", "Team items"),
    ("answers", "Your answers"),
    ("check", "Check your answers"),
    ("after", "Afterwards"),
    ("trouble", "Trouble"),
)


# -- rules (pure) ---------------------------------------------------------------------------


def validate_items(responses: Responses) -> list[FieldError]:
    items = responses.records("item")
    errors = [
        FieldError(f"Enter a title for item {number}", field=f"{item_id}.title")
        for number, (item_id, item) in enumerate(items.items(), 1)
        if not str(item.get("title") or "").strip()
    ]
    if len(items) < MIN_ITEMS:
        errors.append(FieldError(f"Add at least {MIN_ITEMS} items ({len(items)} so far)"))
    return errors


def validate_answers(responses: Responses) -> list[FieldError]:
    return field_errors(responses, "answer", "me", ["mood", "energy"])


def confirmed(responses: Responses) -> bool:
    return bool(responses.get("confirmation", "me").get("confirmed_at"))


def locked_until_items(responses: Responses) -> str | None:
    return "The team needs its items listed first." if validate_items(responses) else None


def locked_until_confirmed(responses: Responses) -> str | None:
    return None if confirmed(responses) else "Confirm your answers first."


def confirm_answers(responses: Responses) -> None:
    entry = responses.entry("confirmation", "me")
    responses.save(
        "confirmation",
        "me",
        {"confirmed_at": dt.datetime.now(dt.UTC).isoformat()},
        base_version=entry.version if entry else 0,
    )


# -- pages ----------------------------------------------------------------------------------


def build_items(ctx: PageContext) -> w.Widget:
    return RecordList(
        ctx,
        "item",
        noun="item",
        inputs=lambda item_id, number: [
            ctx.field("item", item_id, "title", label=f"Item {number}")
        ],
        new=lambda: {"title": ""},
    )


def build_answers(ctx: PageContext) -> w.Widget:
    ctx.read_only = confirmed(ctx.responses)  # confirmed answers are kept as they were
    return w.VBox(
        [
            ctx.field("answer", "me", "mood", slot="me.mood"),
            ctx.field("answer", "me", "energy", slot="me.energy"),
        ]
    )


def build_check(ctx: PageContext) -> w.Widget:
    answer = ctx.responses.get("answer", "me")
    done = confirmed(ctx.responses)
    return ctx.html(
        f"<p>How the week is going: {esc(answer.get('mood', ''))}</p>"
        f"<p>Energy: {esc(answer.get('energy', ''))}</p>"
        + (
            "<p>You have confirmed your answers.</p>"
            if done
            else "<p>When you confirm, your answers are kept as they are.</p>"
        )
    )


def build_after(ctx: PageContext) -> w.Widget:
    everyone = ctx.responses.all_members("confirmation").values()
    done = sum(bool(records.get("me", {}).get("confirmed_at")) for records in everyone)
    members = len(ctx.responses.members)
    return ctx.html(f"<p>{done} of {members} members have confirmed their answers.</p>")


class CheckIn(Exercise):
    id = CHECK_IN
    title = "Check-in"
    summary = "A team check-in, for the core's own tests."
    kinds = (ITEM, ANSWER, CONFIRMATION)
    primary_kind = "answer"
    steps = STEPS

    def __init__(self) -> None:
        #: Set by a test: the "trouble" page's build raises.
        self.failing = False

    def pages(self, responses: Responses) -> Sequence[Page]:
        return [
            Page("items", "items", "The team's items", build_items, validate_items),
            Page("answers", "answers", "Your answers", build_answers, validate_answers),
            Page(
                "check",
                "check",
                "Check your answers",
                build_check,
                validate_answers,
                locked_until_items,
                confirm=None if confirmed(responses) else confirm_answers,
            ),
            Page("after", "after", "Afterwards", build_after, locked=locked_until_confirmed),
            Page("trouble", "trouble", "Trouble", self.build_trouble),
        ]

    def build_trouble(self, ctx: PageContext) -> w.Widget:
        if self.failing:
            raise RuntimeError("boom in the page's build")

        def fail(_b: Any) -> None:
            raise RuntimeError("boom in a button")

        cause = button("Cause a problem")
        cause.on_click(ctx.guard(fail))
        return w.VBox([ctx.html("<p>This page can fail on demand.</p>"), cause])

    def summarise(self, responses: Responses) -> Summary:
        return Summary()


class CheckInPlugin:
    def __init__(self, exercise: CheckIn) -> None:
        self.exercise = exercise

    @hookimpl
    def register_exercises(self, register: Callable[[Any], None]) -> None:
        register(self.exercise)


@pytest.fixture(name="check_in")
def check_in_fixture(
    register_plugin: Callable[..., None], placekit_workbook: TestWorkbook
) -> TestWorkbook:
    """The test's workbook, with the Check-in exercise installed as ``CHECK_IN_PLUGIN``."""
    register_plugin(CheckInPlugin(CheckIn()), CHECK_IN_PLUGIN)
    return placekit_workbook
