"""Record kinds declared private stay in the wizard: a member's own for a member kind, the
team's for a team kind; never the facilitator's view, summaries, frames or links."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import pytest

import placekit
from placekit import hookimpl
from placekit.data.links import offered, offers
from placekit.data.responses import Responses
from placekit.exercise import Exercise, Field, Page, RecordKind, Summary
from placekit.testing import TestWorkbook

DIARY = RecordKind("diary", "member", (Field("note", "Note to self", type="text"),), private=True)
HUNCH = RecordKind("hunch", "team", (Field("text", "Team-only hunch", type="text"),), private=True)
PARTNER = RecordKind("partner", "team", (Field("name", "Partner"),))


class Partners(Exercise):
    id = "partners"
    title = "Partners"
    summary = "Who we work with."
    kinds = (DIARY, HUNCH, PARTNER)
    primary_kind = "partner"
    steps = (("partners", "Partners"),)

    def pages(self, responses: Responses) -> Sequence[Page]:
        return []

    def summarise(self, responses: Responses) -> Summary:
        import pandas as pd

        everything = [dict(e.data or {}) for e in responses.entries.values()]
        return Summary(tables={"All": pd.DataFrame(everything)})

    def provides(self) -> dict[str, Callable[[Responses], list[str]]]:
        def hunches(responses: Responses) -> list[str]:  # tries to leak; gets nothing
            return [r["text"] for r in responses.records("hunch").values()]

        return {
            "organisations": lambda r: [p["name"] for p in r.records("partner").values()],
            "hunches": hunches,
        }


class Broken(Exercise):
    id = "broken-offer"
    title = "Broken"
    summary = "Its provider raises."
    steps = (("offer", "Offer"),)

    def pages(self, responses: Responses) -> Sequence[Page]:
        return []

    def summarise(self, responses: Responses) -> Summary:
        return Summary()

    def provides(self) -> dict[str, Callable[[Responses], list[str]]]:
        return {"organisations": lambda r: 1 / 0}  # type: ignore[dict-item]


class Plugin:
    @hookimpl
    def register_exercises(self, register: Callable[[Any], None]) -> None:
        register(Partners())
        register(Broken())


@pytest.fixture
def workbook(placekit_workbook: TestWorkbook, register_plugin: Callable[..., None]) -> TestWorkbook:
    register_plugin(Plugin(), name="partners-plugin")
    ann = placekit_workbook.responses("partners", "Ann")
    ann.save("diary", "d1", {"note": "Ann's secret"}, 0)
    ann.save("hunch", "h1", {"text": "The chair will block it"}, 0)
    ann.save("partner", "p1", {"name": "Eastvale Homes"}, 0)
    ann.save("partner", "p2", {"name": "  eastvale   homes "}, 0)
    ann.save("partner", "p3", {"name": "Northtown NHS Trust"}, 0)
    placekit_workbook.responses("partners", "Ben").save("diary", "d1", {"note": "Ben's"}, 0)
    return placekit_workbook


def test_members_see_their_own_private_records_and_the_teams(workbook: TestWorkbook) -> None:
    ann, ben = workbook.responses("partners", "Ann"), workbook.responses("partners", "Ben")
    assert ann.get("diary", "d1") == {"note": "Ann's secret"}
    assert ben.get("diary", "d1") == {"note": "Ben's"}
    assert list(ben.all_members("diary")) == [workbook.join("Ben").id]  # not Ann's
    assert "Ann's secret" not in ben.frame("diary").to_csv()
    assert ben.get("hunch", "h1") == {"text": "The chair will block it"}  # team-private
    # The facilitator's view cannot be turned into a member's (there was once as_member).
    facilitator = workbook.responses("partners")
    assert not any(name for name in dir(facilitator) if "member" in name and "as" in name)


def test_the_facilitator_summary_frames_and_links_never_see_them(
    workbook: TestWorkbook,
) -> None:
    facilitator = workbook.responses("partners")
    assert facilitator.records("hunch") == {} and facilitator.all_members("diary") == {}
    wb = placekit.open(workbook.facilitator_code)
    shown = wb.summary("partners").tables["All"].to_csv()
    assert "Eastvale Homes" in shown
    assert "secret" not in shown and "chair" not in shown and "Ben's" not in shown
    assert set(wb.frames("partners")) == {"partner"}
    with pytest.raises(PermissionError):
        wb.frame("partners", "diary")
    assert offered(workbook.responses("trust-audit"), "hunches") == []


def test_offered_collects_each_exercises_list_once(workbook: TestWorkbook) -> None:
    found = offers(workbook.responses("trust-audit"), "organisations")
    # Spacing and case do not make a second entry; the broken provider is skipped.
    assert [(o.text, o.source) for o in found] == [
        ("Eastvale Homes", "Partners"),
        ("Northtown NHS Trust", "Partners"),
    ]
    assert offered(workbook.responses("partners"), "organisations") == []  # not its own
    assert offered(workbook.responses("trust-audit"), "no such list") == []
