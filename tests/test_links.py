"""Links between exercises: what one exercise records is offered where another needs it,
through ``Exercise.provides()`` and ``placekit.data.links``, never by reading another plugin."""

from __future__ import annotations

from typing import Any

import ipywidgets as w
from placekit_triage.plugin import involve_suggestions

from placekit.data.links import offered
from placekit.testing import TestWorkbook, html_of


def buttons(widget: Any, label: str) -> list[w.Button]:
    here = [widget] if isinstance(widget, w.Button) and widget.description == label else []
    return here + [b for child in getattr(widget, "children", ()) for b in buttons(child, label)]


def map_allies(workbook: TestWorkbook) -> None:
    team = workbook.responses("allies", "Ann")
    team.save("stakeholder", "s1", {"name": "Eastvale Homes", "kind": "organisation",
                                    "circle": "outer"}, 0)  # fmt: skip
    team.save("stakeholder", "s2", {"name": "Dr Rao", "kind": "person",
                                    "organisation": "Northtown NHS Trust", "circle": "inner",
                                    "power": 5, "interest": 5, "stance": 0,
                                    "relationship": 1}, 0)  # fmt: skip


def test_the_ally_maps_stakeholders_are_offered_to_the_triage(
    placekit_workbook: TestWorkbook,
) -> None:
    map_allies(placekit_workbook)
    asking = placekit_workbook.responses("trust-audit")  # any exercise that offers none
    assert offered(asking, "organisations") == [
        "Eastvale Homes",
        "Northtown NHS Trust",
    ]
    assert offered(asking, "people") == ["Dr Rao"]
    # Rated stakeholders first, most urgent relationship work first.
    assert offered(asking, "stakeholders") == ["Dr Rao", "Eastvale Homes"]
    hint = involve_suggestions(placekit_workbook.responses("triage", "Ben"))
    assert "Dr Rao; Eastvale Homes" in hint


def test_a_wicked_issue_from_the_triage_can_name_the_change(
    placekit_workbook: TestWorkbook, exercise_driver: Any
) -> None:
    team = placekit_workbook.responses("triage", "Ann")
    team.save("issue", "i1", {"title": "Rough sleeping in the town centre"}, 0)
    team.save("issue", "i2", {"title": "Missed bins"}, 0)
    team.save("decision", "i1", {"agreed_type": "wicked"}, 0)
    team.save("decision", "i2", {"agreed_type": "tame"}, 0)
    ben = exercise_driver("allies", member="Ben")
    issue = ben.inputs()["main.issue"]
    assert [value for _label, value in issue.options] == ["Rough sleeping in the town centre", ""]
    ben.fill({"main.issue": "Rough sleeping in the town centre"})
    assert ben.saved("change", "main")["issue"] == "Rough sleeping in the town centre"


def test_the_trust_audit_set_up_offers_the_organisations(
    placekit_workbook: TestWorkbook,
) -> None:
    map_allies(placekit_workbook)
    responses = placekit_workbook.responses("trust-audit")
    panel = responses.exercise.facilitator_panel(responses, lambda: None)
    assert "Named elsewhere: Eastvale Homes; Northtown NHS Trust" in html_of(panel)
    boxes = [c for c in panel.children if isinstance(c, w.Textarea)]
    boxes[0].value = "Borough council\neastvale homes"
    (add,) = buttons(panel, "Add the organisations named in other exercises")
    add.click()  # adds what is missing; nothing is saved until "Save the list"
    assert boxes[0].value.splitlines() == [
        "Borough council",
        "eastvale homes",
        "Northtown NHS Trust",
    ]
