"""Weeks and a member's history: pure functions, no store."""

from __future__ import annotations

import datetime as dt

import pytest
from placekit_balcony import weeks


@pytest.mark.parametrize(
    ("day", "week"),
    [
        (dt.date(2026, 2, 9), "2026-W07"),  # a Monday
        (dt.date(2026, 2, 15), "2026-W07"),  # the Sunday of the same week
        (dt.date(2026, 2, 16), "2026-W08"),
        (dt.date(2027, 1, 1), "2026-W53"),  # a Friday that belongs to the year before's week
        (dt.date(2024, 12, 30), "2025-W01"),  # and a Monday that belongs to the next year's
    ],
)
def test_a_day_belongs_to_its_iso_week(day: dt.date, week: str) -> None:
    assert weeks.week_of(day) == week
    assert weeks.week_start(week) <= day < weeks.week_start(week) + dt.timedelta(days=7)


def test_week_names_and_labels() -> None:
    assert weeks.week_label("2026-W07") == "Week of 9 February 2026"
    assert weeks.is_week("2026-W07") and not weeks.is_week("2026-W54")
    assert not weeks.is_week("me") and not weeks.is_week("2026-07")
    with pytest.raises(ValueError, match="not a week"):
        weeks.week_start("last week")
    assert weeks.current_week(dt.date(2026, 3, 4)) == "2026-W10"


def test_history_lists_earlier_weeks_with_something_in_them_newest_first() -> None:
    reflections = {
        "2026-W05": {"balcony": "Nobody mentioned the budget"},
        "2026-W06": {"balcony": "  ", "next_step": ""},  # opened, nothing written
        "2026-W07": {"balcony": "This week's, not history yet"},
        "_misc": {"balcony": "not a week"},
    }
    heat = {"2026-W04": {"heat": 5}, "2026-W05": {"heat": 3}, "2026-W06": {"heat": True}}
    past = weeks.history(reflections, heat, current="2026-W07")
    assert [(p.week, p.heat, p.heat_words) for p in past] == [
        ("2026-W05", 3, "productive"),
        ("2026-W04", 5, "too hot"),
    ]
    assert past[1].reflection == {} and past[0].label == "Week of 26 January 2026"
    assert weeks.history({}, {}, "2026-W07") == []


def test_a_streak_counts_weeks_in_a_row_up_to_this_week_or_the_last() -> None:
    assert weeks.streak(["2026-W05", "2026-W06", "2026-W07"], "2026-W07") == 3
    assert weeks.streak(["2026-W05", "2026-W06"], "2026-W07") == 2  # this week not yet done
    assert weeks.streak(["2026-W04", "2026-W06"], "2026-W07") == 1
    assert weeks.streak(["2026-W04"], "2026-W07") == 0
    assert weeks.streak(["2025-W52", "2026-W01"], "2026-W01") == 2  # across the new year


def test_heat_by_week_gathers_every_members_readings_and_ignores_the_rest() -> None:
    readings = {
        "a1": {"2026-W05": {"heat": 3}, "2026-W06": {"heat": 4}},
        "a2": {"2026-W05": {"heat": 5}, "2026-W06": {"heat": None}, "x": {"heat": 2}},
        "a3": {"2026-W05": {"heat": 9}, "2026-W04": {"heat": 1}},
    }
    assert weeks.heat_by_week(readings) == {
        "2026-W04": [1],
        "2026-W05": [3, 5],
        "2026-W06": [4],
    }
