"""The ally map through the real wizard: what each person sees, and what never leaves it."""

from __future__ import annotations

import io
import json
from typing import Any

import openpyxl
import pytest
from placekit_relationships import data

import placekit
from placekit import offered, write_csv, write_excel
from placekit.testing import ExerciseDriver, TestWorkbook, html_of

SECRET_REFLECTION = "I held back the budget figures to win the vote"
SECRET_EVIDENCE = "Briefed against the plan in the corridor after the board"


def add_stakeholder(driver: ExerciseDriver, name: str, kind: str, org: str, circle: str) -> str:
    driver.press("Add a stakeholder")
    sid = list(data.stakeholders(driver.responses))[-1]
    driver.fill({f"{sid}.name": name, f"{sid}.kind": kind, f"{sid}.organisation": org,
                 f"{sid}.circle": circle})  # fmt: skip
    return sid


def build_map(exercise_driver: Any) -> dict[str, Any]:
    """Ann and Ben build an ally map; Ann reflects privately and records an observation."""
    ann = exercise_driver("allies", member="Ann")
    assert ann.page == "change"
    ann.fill({"main.statement": "Every discharge has a home to go to by winter"}).next()
    assert ann.page == "reflect"
    ann.fill({"me.reading": 2, "me.carrying": 4, "me.reflection": SECRET_REFLECTION})
    assert "Sheep" in ann.text  # her own result, shown to her
    ann.next()
    assert ann.page == "stakeholders"
    cabinet = add_stakeholder(ann, "Cabinet member", "role", "Borough council", "inner")
    tenants = add_stakeholder(ann, "Tenants' federation", "group", "", "outer")
    ann.next()
    ann.fill({f"{cabinet}.power": 5, f"{cabinet}.interest": 3, f"{cabinet}.stance": "unknown",
              f"{cabinet}.relationship": 0,
              f"{cabinet}.reading": 4, f"{cabinet}.carrying": 2})  # fmt: skip
    assert any("what you saw" in e for e in ann.errors)  # a rating needs its evidence
    ann.fill({f"{cabinet}.evidence": SECRET_EVIDENCE}).next()
    ann.fill({f"{tenants}.power": 2, f"{tenants}.interest": 5, f"{tenants}.stance": 1,
              f"{tenants}.relationship": 2}).next()  # fmt: skip
    assert ann.page == "ties"
    ben = exercise_driver("allies", member="Ben")
    ben.press("Continue")
    assert ben.page == "reflect"
    ben.fill({"me.reading": 5, "me.carrying": 5})
    ben.goto("ties")
    ben.press("Add a tie")
    (tie,) = ben.responses.records("tie")
    ben.fill({f"{tie}.source": tenants, f"{tie}.kind": "influences", f"{tie}.target": cabinet})
    ben.next()
    assert ben.page == "map"
    return {"ann": ann, "ben": ben, "cabinet": cabinet, "tenants": tenants}


def facilitator_html(workbook: TestWorkbook) -> str:
    return html_of(workbook.results("allies"))


def test_classification_plan_and_power_map(
    exercise_driver: Any, placekit_workbook: TestWorkbook
) -> None:
    made = build_map(exercise_driver)
    ben = made["ben"]
    table = data.ally_table(ben.responses)
    # Most urgent first: the powerful, unconnected, undecided cabinet member.
    assert list(table["Stakeholder"]) == ["Cabinet member", "Tenants' federation"]
    assert list(table["Ally status"]) == ["Needs to be an ally", "Ally"]
    assert table["Quadrant"][0] == "Keep satisfied (Context setter) (on the line)"
    assert table["Priority"][0] == 1.0
    assert "Tenants&#x27; federation influences Cabinet member" in ben.text or (
        "influences Cabinet member" in ben.text
    )
    ben.next()
    assert ben.page == f"plan/{made['cabinet']}"  # the one stakeholder who needs a plan
    ann_id = placekit_workbook.join("Ann").id
    ben.fill({f"{made['cabinet']}.bridge": "Tenants' federation",
              f"{made['cabinet']}.approach": "Invite to the residents' forum",
              f"{made['cabinet']}.owner": ann_id})  # fmt: skip
    ben.next()
    assert ben.page == "review"
    summary = placekit.open(placekit_workbook.facilitator_code).summary("allies")
    ally = summary.tables["Ally table"]
    assert ally.loc[0, "Owner"] == "Ann" and ally.loc[0, "Bridge"] == "Tenants' federation"
    assert set(summary.figures) >= {"Power and interest", "Power map"}
    assert list(summary.tables["Power map"]["Ties out"]) == ["", "influences Cabinet member"]


def test_private_answers_never_leave_the_wizard(
    exercise_driver: Any, placekit_workbook: TestWorkbook
) -> None:
    made = build_map(exercise_driver)
    ann, ben = made["ann"], made["ben"]
    secrets = (SECRET_REFLECTION, SECRET_EVIDENCE, "Sheep")

    # Ann sees her own reflection; Ben's reflection page shows his own, never hers.
    ann.goto("reflect")
    assert SECRET_REFLECTION in json.dumps(ann.inputs()["me.reflection"].value)
    ben.goto("reflect")
    assert ben.inputs()["me.reflection"].value == ""
    assert ben.inputs()["me.reading"].value == 5
    assert not any(s in ben.text for s in (SECRET_REFLECTION,))
    # The observed rating stays inside the team: Ben, a member, sees it on the map page.
    ben.goto("map")
    assert SECRET_EVIDENCE in ben.text and "Behaviour seen in this situation" in ben.text
    assert SECRET_REFLECTION not in ben.text

    # The facilitator's page, the analyst's frames, the summary and every export: none.
    page = facilitator_html(placekit_workbook)
    assert "Cabinet member" in page  # the results are there…
    for secret in secrets:
        assert secret not in page  # …the private answers are not
    wb = placekit.open(placekit_workbook.facilitator_code)
    frames = wb.frames("allies")
    assert "self_position" not in frames and "observed" not in frames
    dumped = " ".join(f.to_csv() for f in frames.values())
    for kind in ("self_position", "observed"):
        with pytest.raises(PermissionError):
            wb.frame("allies", kind)
    summary = wb.summary("allies")
    dumped += " ".join(t.to_csv() for t in summary.tables.values())
    dumped += json.dumps(
        [[f.description, f.chart().to_dict()] for f in summary.figures.values()], default=str
    )
    dumped += " ".join(summary.notes)
    dumped += write_csv({"t": summary.tables["Ally table"]}).decode("utf-8-sig")
    book = openpyxl.load_workbook(io.BytesIO(write_excel(summary.tables)))
    dumped += " ".join(str(c.value) for s in book.worksheets for row in s.iter_rows() for c in row)
    for secret in secrets:
        assert secret not in dumped
    # Nor can another exercise get them through a link.
    asking = placekit_workbook.responses("trust-audit")
    assert "Borough council" in offered(asking, "organisations")
    assert SECRET_EVIDENCE not in " ".join(offered(asking, "stakeholders"))


def test_stance_history_survives_edits(
    exercise_driver: Any, placekit_workbook: TestWorkbook
) -> None:
    made = build_map(exercise_driver)
    ann, cabinet = made["ann"], made["cabinet"]
    ann.goto("stakeholders")
    ann.fill({f"{cabinet}.name": "Cabinet member for housing"})  # an edit, not a move
    ann.goto("review")
    ann.fill({"latest.milestone": "After the budget meeting",
              f"{cabinet}.stance": 1,
              f"{cabinet}.stance_note": "Backed the pilot at cabinet"})  # fmt: skip
    moved = data.movement(ann.responses)
    mine = moved[moved["Stakeholder"] == "Cabinet member for housing"]
    assert list(mine["Stance"]) == ["Not known", "For"]
    assert list(mine["What changed"]) == ["", "Backed the pilot at cabinet"]
    assert "Backed the pilot at cabinet" in ann.text
    summary = placekit.open(placekit_workbook.facilitator_code).summary("allies")
    assert len(summary.tables["Stance movement"]) == 3  # two for cabinet, one for tenants
    assert "Stance over time" in summary.figures
    table = data.ally_table(ann.responses)
    assert list(table["Ally status"]) == ["Ally", "Ally"]  # now counted as an ally


def test_stance_over_time_reads_on_the_24_hour_clock() -> None:
    import re

    import pandas as pd
    import vl_convert
    from placekit_relationships.figures import movement_chart

    moved = pd.DataFrame(
        {
            "Stakeholder": ["Cabinet", "Cabinet", "Tenants"],
            "When": ["2026-05-14 19:38", "2026-05-14 21:05", "2026-05-14 20:10"],
            "Stance": ["Not known", "For", "Against"],
            "Stance score": [0, 1, -1],
            "What changed": ["", "Backed the pilot", ""],
        }
    )
    svg = vl_convert.vegalite_to_svg(movement_chart(moved).to_dict())
    labels = re.findall(r"<text[^>]*>([^<]*)</text>", svg)
    times = [label for label in labels if re.search(r"\d{2}:\d{2}", label)]
    assert times and all(re.search(r"\b(19|20|21):\d{2}\b", t) for t in times), times
    assert not [label for label in labels if re.search(r"\b(AM|PM)\b", label)]
