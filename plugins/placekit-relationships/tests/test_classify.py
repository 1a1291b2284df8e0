"""Section E.5's rules against cases worked by hand, boundaries at 3 included."""

from __future__ import annotations

import pytest
from placekit_relationships import classify as c


@pytest.mark.parametrize(
    ("power", "interest", "mendelow", "eden"),
    [
        (5, 5, "Key player", "Player"),
        (4, 4, "Key player", "Player"),  # 4 is the lowest "high"
        (4, 3, "Keep satisfied", "Context setter"),  # 3 counts as low
        (5, 1, "Keep satisfied", "Context setter"),
        (3, 4, "Keep informed", "Subject"),  # power 3 is low
        (1, 5, "Keep informed", "Subject"),
        (3, 3, "Minimal effort", "Crowd"),  # both on the line: low and low
        (1, 1, "Minimal effort", "Crowd"),
    ],
)
def test_grid_quadrant(power: int, interest: int, mendelow: str, eden: str) -> None:
    quadrant = c.grid_quadrant(power, interest)
    assert (quadrant.mendelow, quadrant.eden) == (mendelow, eden)
    assert quadrant.label == f"{mendelow} ({eden})"


def test_three_is_drawn_on_the_boundary() -> None:
    assert c.on_boundary(3, 5) and c.on_boundary(5, 3)
    assert not c.on_boundary(4, 2) and not c.on_boundary(2, 4)


@pytest.mark.parametrize(
    ("stance", "power", "interest", "status"),
    [
        (2, 1, 1, c.ALLY),
        (1, 5, 5, c.ALLY),  # +1 is an ally whatever their power
        (-1, 4, 1, c.SIGNIFICANT_OPPONENT),
        (-2, 5, 5, c.SIGNIFICANT_OPPONENT),
        (-1, 3, 5, c.OPPONENT),  # power 3 is not significant
        (-2, 1, 1, c.OPPONENT),
        (0, 4, 1, c.NEEDS_TO_BE_ALLY),
        (None, 5, 5, c.NEEDS_TO_BE_ALLY),  # unknown stance counts as undecided
        (0, 3, 4, c.POTENTIAL_ALLY),
        (None, 1, 5, c.POTENTIAL_ALLY),
        (0, 3, 3, c.NEUTRAL),
        (None, 2, 1, c.NEUTRAL),
    ],
)
def test_ally_status(stance: int | None, power: int, interest: int, status: str) -> None:
    assert c.ally_status(stance, power, interest) == status


def test_priority_worked_by_hand() -> None:
    # 0.5*(5-1)/4 + 0.3*(1-0/3) + 0.2*1 = 0.5 + 0.3 + 0.2
    assert c.priority(5, 0, None) == 1.0
    # 0.5*0 + 0.3*0 + 0 : powerless, strong relationship, decided
    assert c.priority(1, 3, 2) == 0.0
    # 0.5*(3-1)/4 + 0.3*(1-1/3) + 0.2*1 = 0.25 + 0.2 + 0.2
    assert c.priority(3, 1, 0) == 0.65
    # 0.5*(4-1)/4 + 0.3*(1-2/3) + 0 = 0.375 + 0.1
    assert c.priority(4, 2, -1) == 0.475


def test_plans_are_for_key_players_and_those_who_need_to_be_allies() -> None:
    assert c.needs_plan(None, 4, 1)  # needs to be an ally
    assert c.needs_plan(2, 5, 5)  # key player, already an ally
    assert not c.needs_plan(0, 3, 5)  # potential ally, not key
    assert not c.needs_plan(-2, 2, 2)


@pytest.mark.parametrize(
    ("reading", "carrying", "animal"),
    [
        (3, 3, c.OWL),
        (5, 5, c.OWL),
        (3, 2, c.FOX),
        (2, 3, c.SHEEP),
        (2, 2, c.DONKEY),
        (1, 5, c.SHEEP),
        (None, 4, None),
        (4, None, None),
    ],
)
def test_political_quadrant(reading: int | None, carrying: int | None, animal: str | None) -> None:
    assert c.political_quadrant(reading, carrying) == animal
