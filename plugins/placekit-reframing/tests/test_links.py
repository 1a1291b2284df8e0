"""Links between exercises, both ways, by name and without importing each other.

- The chosen reframe is offered to other exercises as ``"reframes"``: a small exercise
  written for the test asks for it with ``placekit.offered``, as the triage and the public
  narrative do.
- The problems page suggests the ``"wicked issues"`` another exercise offers (the triage
  does): the same small exercise offers some, through ``Exercise.provides()``.

The small exercise is registered for each test only, with the ``register_plugin`` fixture.
"""

from __future__ import annotations

import sys

import pytest

from placekit import Exercise, Offer, Page, Summary, esc, hookimpl, offered, offers
from placekit.testing import TestWorkbook

PLACEKIT_API = 1


class Agenda(Exercise):
    """Stands for any exercise that would take a reframe as a suggestion."""

    id = "test-agenda"
    title = "Agenda"
    summary = "Asks for reframes."
    kinds = ()
    steps = (("agenda", "Agenda"),)

    def pages(self, responses):
        def build(ctx):
            items = "".join(f"<li>{esc(text)}</li>" for text in offered(ctx.responses, "reframes"))
            return ctx.html(f"<ul>{items}</ul>")

        return [Page("agenda", "agenda", "Agenda", build)]

    def summarise(self, responses):
        return Summary()

    def provides(self):
        return {"wicked issues": lambda responses: WICKED}


WICKED = ["Rough sleeping in the town centre", "Delayed hospital discharges"]


@hookimpl
def register_exercises(register):
    register(Agenda())


@pytest.fixture(autouse=True)
def agenda(register_plugin) -> None:
    register_plugin(sys.modules[__name__], name="test-agenda")


def choose(workbook: TestWorkbook, statement: str, reframe: str) -> None:
    team = workbook.responses("reframing", member="Ann")
    team.save("problem", f"p-{len(statement)}", {"statement": statement}, 0)
    rid = f"r-{len(reframe)}"
    team.save("reframe", rid, {"problem": f"p-{len(statement)}", "text": reframe,
                               "possible": "More people could act."}, 0)  # fmt: skip
    team.save("decision", f"p-{len(statement)}", {"chosen": rid}, 0)


def test_only_chosen_reframes_are_offered_in_the_problems_order(
    placekit_workbook: TestWorkbook,
) -> None:
    asking = placekit_workbook.responses("test-agenda", member="Bob")
    assert offered(asking, "reframes") == []
    team = placekit_workbook.responses("reframing", member="Ann")
    team.save("problem", "p1", {"statement": "Bed blocking"}, 0)
    team.save("reframe", "r1", {"problem": "p1", "text": "Getting people home", "possible": "x"}, 0)
    assert offered(asking, "reframes") == []  # written, not yet chosen
    team.save("decision", "p1", {"chosen": "r1"}, 0)
    choose(placekit_workbook, "Knife crime in the town centre", "What keeps young people safe?")
    assert offers(asking, "reframes") == [
        Offer("Getting people home", "Reframing"),
        Offer("What keeps young people safe?", "Reframing"),
    ]


def test_an_exercise_shows_what_is_offered_as_text(exercise_driver, placekit_workbook) -> None:
    choose(placekit_workbook, "Problem families", "<script>alert(1)</script> What helps?")
    bob = exercise_driver("test-agenda", member="Bob")
    # offered() hands over plain text, as typed; the asking page escapes it, like any text.
    assert "<li>&lt;script&gt;alert(1)&lt;/script&gt; What helps?</li>" in bob.text


def test_wicked_issues_from_elsewhere_are_suggested_as_problems(exercise_driver) -> None:
    ann = exercise_driver("reframing", member="Ann")
    assert "Wicked issues your team has recorded" in ann.text
    ann.press("Add “Delayed hospital discharges” as a problem")
    (problem,) = ann.responses.records("problem").values()
    assert problem == {
        "statement": "Delayed hospital discharges",
        "heard_from": "Recorded in Agenda",
    }
    # Once on the list it is no longer suggested; the other still is.
    assert "Add “Rough sleeping in the town centre” as a problem" in ann.buttons()
    assert "Add “Delayed hospital discharges” as a problem" not in ann.buttons()
    assert ann.errors == []
