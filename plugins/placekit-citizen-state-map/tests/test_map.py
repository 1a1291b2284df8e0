"""The relationship map through the real wizard: services, placements now and where they
should be, the asset map's assets linked to the services they could co-produce, the
check-and-confirm page, and the results."""

from __future__ import annotations

import sys

from placekit_citizen_state_map import data
from placekit_citizen_state_map.schema import AXES

from placekit import Exercise, Page, Summary, hookimpl
from placekit.testing import ExerciseDriver, TestWorkbook, charts_of, registry

EXERCISE = "citizen-state"
PLACEKIT_API = 1  # the small exercise below is registered as a plugin for one test


def add_service(member: ExerciseDriver, name: str, provider: str = "") -> str:
    member.press("Add a service")
    sid = list(member.responses.records("service"))[-1]
    member.fill({f"{sid}.name": name, f"{sid}.provider": provider})
    return sid


def place(member: ExerciseDriver, sid: str, when: str, values: tuple[int, ...], role: str) -> None:
    assert member.page == f"{when}/{sid}"
    member.fill(
        {f"{sid}.{a.id}_{when}": v for a, v in zip(AXES, values, strict=True)}
        | {f"{sid}.role_{when}": role}
    )


def ticks(member: ExerciseDriver, sid: str) -> list[str]:
    """The labels of a service's asset checkboxes (the group's first child is its legend)."""
    return [box.description for box in member.inputs()[f"{sid}.assets"].children[1:]]


def test_the_plugin_loads_cleanly() -> None:
    loaded = registry()
    assert EXERCISE in loaded.exercises
    assert [p.message for p in loaded.problems if p.plugin == "citizen-state"] == []


def test_a_team_maps_two_services_confirms_and_sees_the_moves(
    exercise_driver, placekit_workbook: TestWorkbook
) -> None:
    ann = exercise_driver(EXERCISE, member="Ann")
    assert ann.errors == ["Add at least one service"]
    repairs = add_service(ann, "Housing <b>repairs</b>", "Borough council")
    youth = add_service(ann, "housing <b>REPAIRS</b> ")
    assert ann.errors == ["Service 2 – it is already on the list"]
    ann.fill({f"{youth}.name": "Youth offending"}).next()

    place(ann, repairs, "now", (1, 2, 1, 4), "consumer")
    assert "Housing &lt;b&gt;repairs&lt;/b&gt;" in ann.text
    ann.next()
    place(ann, youth, "now", (4, 5, 1, 1), "recipient")
    ann.next()
    assert ann.page == f"future/{repairs}"
    assert "Now: 1 – transactional" in ann.text and "Now: consumer" in ann.text
    assert len(ann.errors) == 5  # four scales and the role, none answered yet
    place(ann, repairs, "future", (3, 2, 2, 4), "coproducer")
    ann.next()
    place(ann, youth, "future", (5, 4, 3, 2), "coproducer")
    ann.next()

    # No asset map in this workbook: the page says how assets would appear; others by hand.
    assert ann.page == "coproduce" and "When your team maps its assets" in ann.text
    ann.fill({f"{youth}.others": "Youth forum\nMentoring scheme"}).next()

    assert ann.page == "check" and ann.wizard.next.description == "Confirm and continue"
    assert "1 → 3" in ann.text and "recipient → co-producer" in ann.text
    ann.next()  # confirm
    assert ann.page == "map"
    assert data.agreed(ann.responses)
    assert "The team confirmed this map on" in ann.text
    assert "Youth offending: people move from recipient to co-producer" in ann.text
    (chart,) = charts_of(ann.wizard)
    assert chart.to_dict()["title"] == "Where each service is now, and where it should be"

    summary = placekit_workbook.summary(EXERCISE)
    mapped = summary.tables["The map"].set_index("Service")
    assert mapped.loc["Housing <b>repairs</b>", "Transactional ↔ High-touch"] == "1 → 3"
    assert mapped.loc["Housing <b>repairs</b>", "Voluntary ↔ Enforced"] == "2 (no change)"
    assert mapped.loc["Youth offending", "Recipient, consumer or co-producer"] == (
        "recipient → co-producer"
    )
    moved = summary.tables["The moves"]
    assert list(moved["Change"].abs())[0] == 2  # biggest move first
    assert len(moved) == 8  # repairs: touch, experience, role; youth: all four and the role
    co = summary.tables["Who could co-produce"].set_index("Service")
    assert co.loc["Youth offending", "Others who could"] == "Youth forum; Mentoring scheme"
    assert "2 of 2 should give the people who use them a bigger part" in " ".join(summary.notes)
    # Offered to other exercises in the workbook, as "services".
    assert data.service_names(placekit_workbook.responses(EXERCISE)) == [
        "Housing <b>repairs</b>",
        "Youth offending",
    ]

    # A change after confirming: the check step asks for confirmation again, and says why.
    bob = exercise_driver(EXERCISE, member="Bob")
    bob.goto(f"future/{youth}").fill({f"{youth}.touch_future": 3})
    bob.goto("check")
    assert "has changed since the team confirmed it" in bob.text
    assert bob.wizard.next.description == "Confirm and continue"
    assert "check it again" in " ".join(placekit_workbook.summary(EXERCISE).notes)


def test_the_asset_maps_assets_can_be_linked_to_a_service(
    exercise_driver, placekit_workbook: TestWorkbook
) -> None:
    assets = placekit_workbook.responses("assets", member="Cai")
    for number, (name, category) in enumerate(
        [("Knit and Natter", "association"), ("Eastvale Library", "institution")]
    ):
        assets.save("asset", f"a{number}", {"name": name, "category": category}, 0)
    ann = exercise_driver(EXERCISE, member="Ann")
    libraries = add_service(ann, "Libraries")
    ann.goto("coproduce")
    assert "The assets your team has mapped in this workbook are listed" in ann.text
    # The asset map's own order: most connected first, then by name.
    assert ticks(ann, libraries) == ["Eastvale Library", "Knit and Natter"]
    ann.fill({f"{libraries}.assets": ("Knit and Natter",)})
    assert ann.saved("coproduction", libraries) == {"assets": ["Knit and Natter"]}
    co = placekit_workbook.summary(EXERCISE).tables["Who could co-produce"]
    assert list(co["Assets that could co-produce it"]) == ["Knit and Natter"]
    # An asset removed from the asset map stays shown where it was chosen.
    assets.save("asset", "a0", None, 1)
    again = exercise_driver(EXERCISE, member="Ann").goto("coproduce")
    assert ticks(again, libraries) == ["Eastvale Library", "Knit and Natter"]


class Inventory(Exercise):
    """Any exercise that offers "assets": the map asks for the name, not for the asset map."""

    id = "test-inventory"
    title = "Inventory"
    summary = "Offers assets."
    steps = (("list", "List"),)

    def pages(self, responses):
        return [Page("list", "list", "List", lambda ctx: ctx.html(""))]

    def summarise(self, responses):
        return Summary()

    def provides(self):
        return {"assets": lambda responses: ["Eastvale Time Bank", "Eastvale  time bank"]}


@hookimpl
def register_exercises(register):
    register(Inventory())


def test_assets_come_through_the_link_by_name_from_any_exercise(
    exercise_driver, register_plugin
) -> None:
    register_plugin(sys.modules[__name__], name="test-inventory")
    ann = exercise_driver(EXERCISE, member="Ann")
    libraries = add_service(ann, "Libraries")
    ann.goto("coproduce")
    assert ticks(ann, libraries) == ["Eastvale Time Bank"]  # offered twice, listed once


def test_every_page_builds_with_nothing_saved_and_the_later_ones_wait(exercise_driver) -> None:
    ann = exercise_driver(EXERCISE, member="Ann")
    for page in ann.wizard.pages:
        ann.goto(page.id)
        assert "could not be shown" not in ann.text
    assert ann.wizard.pages[-1].locked(ann.responses) == "Check and confirm the map first."
