"""The asset map's pages in the real wizard, driven from Python as two members would."""

from __future__ import annotations

from typing import Any

import ipywidgets as w
from placekit_assets import data

from placekit import new_record_id
from placekit.testing import ExerciseDriver


def buttons(widget: Any) -> dict[str, w.Button]:
    found: dict[str, w.Button] = {}
    if isinstance(widget, w.Button):
        found[widget.description] = widget
    for child in getattr(widget, "children", ()):
        found |= buttons(child)
    return found


def widgets_of(widget: Any, kind: type) -> list[Any]:
    found = [widget] if isinstance(widget, kind) else []
    for child in getattr(widget, "children", ()):
        found += widgets_of(child, kind)
    return found


def new_asset_id(driver: ExerciseDriver) -> str:
    assert driver.wizard.context is not None
    return driver.wizard.context.opened("asset")


def test_reframe_then_two_members_record_assets(exercise_driver) -> None:
    ann = exercise_driver("assets", member="Ann")
    assert ann.page == "reframe"
    ann.fill({"map.place": "Eastvale", "map.focus_question": "Why are people isolated?"})
    assert "mentions <strong>why, isolated</strong>" in ann.text
    ann.fill(
        {
            "map.focus_question": "What helps people in Eastvale stay connected?",
            "map.consent_model": "public_only",
        }
    )
    assert "mentions" not in ann.text
    ann.next()
    assert ann.page == "recognise/individual"
    ann.next()
    assert ann.page == "recognise/association"
    ann.press("Add an asset: associations and groups")
    choir = new_asset_id(ann)
    assert ann.errors == ["Give asset 1 a name"]
    ann.fill({f"{choir}.name": "Eastvale Choir", f"{choir}.steward_name": "Volunteers"})
    assert ann.errors == []
    saved = ann.saved("asset", choir)
    assert saved["category"] == "association" and saved["identified_by"] == "Ann"

    bob = exercise_driver("assets", member="Bob")
    bob.goto("recognise/association")
    assert "Eastvale Choir" in bob.text
    bob.press("Add an asset: associations and groups")
    copy = new_asset_id(bob)
    bob.fill({f"{copy}.name": "eastvale choir"})
    assert bob.errors == [
        "“eastvale choir” is already on the map: change the name, or delete this copy"
    ]
    bob.fill({f"{copy}.name": "Tenants' association"})
    assert bob.errors == []

    # Both change the choir at once: the second is shown both versions, nothing is lost.
    ann.goto("recognise/association")
    ann.press("Edit Eastvale Choir")
    bob.wizard.show()
    bob.press("Edit Eastvale Choir")
    ann.fill({f"{choir}.description": "Sings at the care home"})
    bob.fill({f"{choir}.description": "Rehearses in the library"})
    assert "Someone else changed this" in bob.text
    assert "Sings at the care home" in bob.text and "Rehearses in the library" in bob.text
    assert ann.saved("asset", choir)["description"] == "Sings at the care home"
    bob.press("Save my version instead")
    assert ann.saved("asset", choir)["description"] == "Rehearses in the library"


def test_individuals_need_consent(exercise_driver) -> None:
    ann = exercise_driver("assets", member="Ann")
    ann.goto("recognise/individual")
    ann.press("Add an asset: people's gifts and skills")
    person = new_asset_id(ann)
    ann.fill({f"{person}.name": "Maureen, retired electrician"})
    assert ann.errors == [
        "Maureen, retired electrician: record a person's gifts only once they have agreed"
        " to be on the map"
    ]
    ann.fill({f"{person}.consent_recorded": True})
    assert ann.errors == []


def add(driver: ExerciseDriver, name: str, category: str) -> str:
    responses = driver.responses
    asset_id = new_record_id()
    responses.save("asset", asset_id, data.new_asset(responses, category, name=name), 0)
    return asset_id


def test_inventory_table_sorts_filters_edits_deletes_and_undoes(exercise_driver) -> None:
    ann = exercise_driver("assets", member="Ann")
    park = add(ann, "Park", "physical")
    add(ann, "Allotments", "physical")
    add(ann, "School", "institution")
    ann.goto("inventory")
    assert "Showing 3 of 3 matching assets (3 on the map), sorted by name A to Z" in ann.text
    names = [t.value for t in widgets_of(ann.wizard, w.Text) if t.description.startswith("Name")]
    assert names == ["Allotments", "Park", "School"]
    ann.press("Name ▲")
    names = [t.value for t in widgets_of(ann.wizard, w.Text) if t.description.startswith("Name")]
    assert names == ["School", "Park", "Allotments"]
    show = next(d for d in widgets_of(ann.wizard, w.Dropdown) if d.description == "Show")
    show.value = "physical"
    assert "Showing 2 of 2 matching assets (3 on the map)" in ann.text

    ann.fill({f"{park}.steward_name": "Town council"})
    assert ann.saved("asset", park)["steward_name"] == "Town council"
    strength = next(
        d for d in widgets_of(ann.wizard, w.Dropdown) if d.description == "Strength of Park"
    )
    strength.value = 4
    assert ann.saved("asset", park)["strength"] == 4

    ann.press("Delete Park")
    assert "Delete “Park” from the map? You can undo this." in ann.text
    assert ann.saved("asset", park)["name"] == "Park"  # not yet
    ann.press("Yes, delete Park")
    assert ann.saved("asset", park) == {}
    assert "Showing 1 of 1 matching assets (2 on the map)" in ann.text
    ann.press("Undo deleting Park")
    restored = ann.saved("asset", park)
    assert restored["name"] == "Park" and restored["strength"] == 4
    assert "Undo deleting Park" not in buttons(ann.wizard)


def test_link_mobilise_and_review(exercise_driver) -> None:
    ann = exercise_driver("assets", member="Ann")
    choir = add(ann, "Choir", "association")
    hall = add(ann, "Church hall", "physical")
    add(ann, "Credit union", "economic")
    ann.goto("connect")
    first, second = (
        d for d in widgets_of(ann.wizard, w.Dropdown) if d.description.endswith("asset")
    )
    first.value, second.value = choir, hall
    ann.press("Link these assets")
    assert data.link_id(choir, hall) in ann.responses.records("link")
    assert "Not connected to anything yet: Credit union" in ann.text
    first, second = (
        d for d in widgets_of(ann.wizard, w.Dropdown) if d.description.endswith("asset")
    )
    first.value, second.value = hall, choir
    ann.press("Link these assets")
    assert "are already linked" in ann.text

    ann.goto("mobilise")
    ann.press("Add an action")
    action = ann.wizard.context.opened("action")
    assert ann.errors  # title, assets, mode, lead and date are needed
    ann.fill(
        {
            f"{action}.assets": (choir, hall),
            f"{action}.title": "Winter singing afternoons",
            f"{action}.mode": "community_with_help",
            f"{action}.lead": "Choir secretary",
        }
    )
    import datetime as dt

    ann.fill({f"{action}.due": dt.date(2025, 11, 1)})
    assert ann.errors == []
    ann.next()
    assert ann.page == "review"
    text = ann.text
    assert "Winter singing afternoons" in text and "Choir; Church hall" in text
    assert "Each asset and what it connects to" in text
    assert "(Excel)" in text and "(CSV)" in text


def test_stewards_are_offered_from_and_to_the_other_exercises(
    exercise_driver, placekit_workbook
) -> None:
    from placekit import offered

    allies = placekit_workbook.responses("allies")
    tenants = "Eastvale Tenants' Association"
    allies.save("stakeholder", "s1", {"name": tenants, "kind": "group", "circle": "outer"}, 0)
    ann = exercise_driver("assets", member="Ann")
    ann.goto("recognise/association")
    ann.press("Add an asset: associations and groups")
    choir = new_asset_id(ann)
    ann.fill({f"{choir}.name": "Eastvale Choir", f"{choir}.steward_type": "association"})
    # The ally map's stakeholder is there to choose, instead of typing it again.
    (pick,) = (d for d in widgets_of(ann.wizard, w.Dropdown) if d.description.startswith("Or "))
    assert tenants in pick.options[1]
    pick.value = tenants
    ann.wizard.context.flush()
    assert ann.saved("asset", choir)["steward_name"] == tenants
    assert pick.value is None  # ready to choose again

    # And the other way: the map's organisations are offered to the trust audit.
    assert offered(placekit_workbook.responses("trust-audit"), "organisations") == [tenants]
    assert tenants in offered(placekit_workbook.responses("triage"), "stakeholders")
