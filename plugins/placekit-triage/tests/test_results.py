"""The triage summary from stored responses: what the facilitator's page and exports show."""

from __future__ import annotations

import pandas as pd
import pytest
from placekit_triage.items import ITEM_IDS
from placekit_triage.plugin import confirm_answers

from placekit.testing import TestWorkbook

TAME = (0,) * 12
WICKED = (0, 0, 0) + (2,) * 9


@pytest.fixture
def triage(placekit_workbook: TestWorkbook):
    wb = placekit_workbook

    def member(name: str, mode: str, calls: list[tuple[str, tuple[int, ...]]], confirm=True):
        m = wb.join(name)
        r = wb.responses("triage", name)
        r.save("mode", "me", {"preferred_mode": mode, "confidence": 3}, 0)
        for issue_id, (gut, values) in zip(issues, calls, strict=True):
            r.save(
                "call", issue_id, {"gut_call": gut, **dict(zip(ITEM_IDS, values, strict=True))}, 0
            )
        if confirm:
            confirm_answers(r)
        return m

    team_r = wb.responses("triage")
    issues = ["a1", "b2", "c3"]
    for issue_id, title in zip(
        issues, ["Housing", "=cmd|' /C calc'!A0", "Knife crime"], strict=True
    ):
        team_r.save("issue", issue_id, {"title": title}, 0)
    return wb, member


def summary(wb: TestWorkbook):
    return wb.summary("triage")


def test_team_distribution_counts_only_confirmed_members(triage):
    wb, member = triage
    member("Ann", "command", [("tame", TAME), ("wicked", WICKED), ("tame", TAME)])
    member("Bob", "command", [("tame", TAME), ("wicked", WICKED), ("wicked", WICKED)])
    member("Cy", "leadership", [("wicked", WICKED)] * 3, confirm=False)
    team = summary(wb).tables["Team distribution per issue"]
    assert list(team["Issue"]) == ["Housing", "=cmd|' /C calc'!A0", "Knife crime"]
    assert list(team["Members"]) == [2, 2, 2]
    assert list(team["Tame"]) == [2, 0, 1] and list(team["Wicked"]) == [0, 2, 1]
    assert list(team["Agreement"]) == [1.0, 1.0, 0.5]
    assert team["Flags"].iloc[2].startswith("low agreement")


def test_agreement_note_and_grint_chart(triage):
    wb, member = triage
    member("Ann", "command", [("tame", TAME), ("wicked", WICKED), ("tame", TAME)])
    member("Bob", "command", [("tame", TAME), ("wicked", WICKED), ("wicked", WICKED)])
    result = summary(wb)
    # 2 raters, 3 issues, categories tame/wicked: P̄ = (1 + 1 + 0) / 3 = 2/3,
    # p_tame = p_wicked = 1/2 so P̄e = 1/2 and κ = (2/3 − 1/2) / (1/2) = 1/3.
    assert "0.33 — fair agreement" in result.notes[0]
    assert "2 of 2 members have confirmed their answers on all 3 issues" in result.notes[0]
    chart = result.figures["Grint chart"].chart().to_dict()
    marks = [layer["mark"]["type"] for layer in chart["layer"]]
    # Zones, their names, spokes, each member's point, each issue's centre, its agreed type.
    assert marks == ["area", "text", "text", "text", "rule", "point", "point", "text", "text"]
    zones = {row["Zone"] for rows in chart["datasets"].values() for row in rows if "Zone" in row}
    assert zones == {
        "Tame: management",
        "Wicked with tame components: leadership",
        "Wicked: leadership",
    }


def test_the_grint_zones_are_where_the_scoring_puts_an_issue():
    from placekit_triage import results, scoring

    # A member's point lies in the zone of its wicked index: an all-tame issue bottom-left
    # is in the tame zone (never "critical: command", which no position decides).
    for answers, zone in ((TAME, "Tame: management"), (WICKED, "Wicked: leadership")):
        s = scoring.score(dict(zip(ITEM_IDS, answers, strict=True)))
        low, high = results.ZONES[zone]
        assert scoring.uncertainty_at(low, s.collaboration) <= s.uncertainty
        assert s.uncertainty <= scoring.uncertainty_at(high, s.collaboration) or high == 1.0
        assert low <= s.wicked_index <= high


def test_framing_bias_is_withheld_for_small_groups(triage):
    wb, member = triage
    for name in ("Ann", "Bob", "Cy"):
        member(name, "command", [("tame", TAME)] * 3)
    member("Di", "leadership", [("wicked", WICKED)] * 3)
    # Four members in all: how many prefer each mode would tell Di's apart.
    (row,) = summary(wb).tables["Framing bias by preferred mode"].to_dict("records")
    assert row["Note"] == "Withheld: fewer than 5 members gave a preferred mode"
    assert pd.isna(row["Members"]) and pd.isna(row["Mean bias"])
    member("Ed", "command", [("tame", TAME)] * 3)
    bias = summary(wb).tables["Framing bias by preferred mode"]
    rows = bias.set_index("Preferred mode")
    assert rows.loc["Command", "Members"] == 4
    assert rows.loc["Command", "Mean bias"] != "withheld (fewer than 3 members)"
    assert rows.loc["Leadership", "Members"] == "fewer than 3"
    assert rows.loc["Leadership", "Mean bias"] == "withheld (fewer than 3 members)"
    assert "member" not in " ".join(bias.columns).lower().replace("members", "")


def test_excel_export_neutralises_an_issue_title_that_looks_like_a_formula(triage, tmp_path):
    import io

    import openpyxl

    from placekit import write_excel

    wb, member = triage
    member("Ann", "command", [("tame", TAME)] * 3)
    book = openpyxl.load_workbook(io.BytesIO(write_excel(summary(wb).tables)))
    cells = [c for row in book["Team distribution per issue"].iter_rows() for c in row]
    title = next(c for c in cells if c.value == "=cmd|' /C calc'!A0")
    assert title.data_type == "s" and title.quotePrefix  # text, never a formula
