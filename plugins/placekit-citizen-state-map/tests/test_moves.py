"""Positions and moves in plain words: pure functions over a placement's data."""

from __future__ import annotations

from placekit_citizen_state_map import moves
from placekit_citizen_state_map.schema import AXES, AXIS, ROLES

HOUSING = {
    "touch_now": 1, "touch_future": 4,
    "compulsion_now": 2, "compulsion_future": 2,
    "experience_now": 3, "experience_future": 1,
    "provider_now": 5, "provider_future": 5,
    "role_now": "recipient", "role_future": "coproducer",
}  # fmt: skip


def test_each_axis_reads_from_its_low_pole_to_its_high_pole() -> None:
    assert [a.title for a in AXES] == [
        "Transactional ↔ High-touch",
        "Voluntary ↔ Enforced",
        "Experienced individually ↔ Experienced collectively",
        "Provided by the state ↔ Contracted out",
    ]
    touch = AXIS["touch"]
    assert [label for _v, label in touch.choices()] == [
        "1 – Transactional",
        "2 – mostly transactional",
        "3 – in between",
        "4 – mostly high-touch",
        "5 – High-touch",
    ]
    assert touch.words(3) == "between transactional and high-touch"
    assert [r for r, _label in ROLES] == ["recipient", "consumer", "coproducer"]


def test_the_moves_are_said_in_plain_words_and_unchanged_scales_have_none() -> None:
    found = moves.moves("Housing repairs", HOUSING)
    assert [(m.dimension, m.now, m.future, m.change) for m in found] == [
        ("touch", 1, 4, 3),
        ("experience", 3, 1, -2),
        ("role", 1, 3, 2),
    ]
    assert found[0].words == (
        "from transactional (1) to mostly high-touch (4): 3 steps towards high-touch"
    )
    assert found[1].words == (
        "from between experienced individually and experienced collectively (3) to"
        " experienced individually (1): 2 steps towards experienced individually"
    )
    assert found[2].words == (
        "people move from recipient to co-producer: a bigger part for them in making it work"
    )
    back = moves.role_move("Parking", "coproducer", "consumer")
    assert back.words.endswith("a smaller part for them in making it work")
    assert moves.axis_move("Parking", "provider", 2, 3).words.endswith(
        "1 step towards contracted out"
    )


def test_unanswered_or_odd_values_make_no_move() -> None:
    half = {"touch_now": 2, "touch_future": None, "role_now": "recipient", "role_future": "x"}
    assert moves.moves("Half done", half) == []
    assert moves.moves("Odd", {"touch_now": True, "touch_future": 5}) == []  # True is not 1
    assert moves.moves("Odd", {"touch_now": 0, "touch_future": 6}) == []


def test_positions_for_the_map_table() -> None:
    assert moves.position_text(HOUSING, "touch") == "1 → 4"
    assert moves.position_text(HOUSING, "compulsion") == "2 (no change)"
    assert moves.position_text(HOUSING, "role") == "recipient → co-producer"
    assert moves.position_text({}, "touch") == "? → ?"
    assert moves.position_text({"role_now": "consumer"}, "role") == "consumer → ?"


def test_placed_needs_every_scale_for_that_time() -> None:
    assert moves.placed(HOUSING, "now") and moves.placed(HOUSING, "future")
    assert not moves.placed(HOUSING | {"provider_future": None}, "future")
    assert moves.placed(HOUSING | {"provider_future": None}, "now")
    assert not moves.placed({}, "now")


def test_services_towards_coproduction() -> None:
    same = HOUSING | {"role_now": "consumer", "role_future": "consumer"}
    assert moves.towards_coproduction({"a": HOUSING, "b": same, "c": {}}) == ["a"]


def test_the_fingerprint_changes_with_any_placement_or_name_and_only_then() -> None:
    services = {"s1": {"name": "Housing repairs"}, "s2": {"name": "Libraries"}}
    placements = {"s1": HOUSING}
    first = moves.fingerprint(services, placements)
    assert first == moves.fingerprint(dict(reversed(services.items())), placements)
    assert first != moves.fingerprint(services, {"s1": HOUSING | {"touch_future": 5}})
    assert first != moves.fingerprint(services | {"s2": {"name": "Library"}}, placements)
    assert first != moves.fingerprint({"s1": services["s1"]}, placements)
    assert len(first) == 32
