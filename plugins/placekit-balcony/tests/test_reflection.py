"""The weekly reflection in the real wizard, and what reaches anyone else: nothing but the
team's heat, week by week, once the week is over and enough people gave it."""

from __future__ import annotations

import datetime as dt
import json

import pandas as pd
import pytest
from placekit_balcony import weeks

import placekit
from placekit.testing import TestWorkbook, html_of

EXERCISE = "balcony"
SECRET = "I talked over the <b>tenants' rep</b> again"


def test_a_member_writes_this_weeks_reflection_and_it_stays_theirs(
    exercise_driver, placekit_workbook: TestWorkbook
) -> None:
    ann = exercise_driver(EXERCISE, member="Ann")
    week = weeks.current_week()
    assert ann.page == "week" and "Only you can see your reflections" in ann.text
    assert weeks.week_label(week) in ann.text
    assert ann.errors == [] and "Nothing yet" in ann.text
    ann.fill({f"{week}.balcony": SECRET, f"{week}.heat": 4, f"{week}.next_step": "Listen first"})
    assert ann.saved("reflection", week)["balcony"] == SECRET
    assert ann.saved("heat", week) == {"heat": 4}
    # Stored anonymously: no author and no time on the record.
    entry = ann.responses.entry("reflection", week)
    assert entry.author is None and entry.saved_at is None

    bob = exercise_driver(EXERCISE, member="Bob")
    assert bob.inputs()[f"{week}.balcony"].value == ""
    assert SECRET not in bob.text and "tenants" not in bob.text

    # The facilitator's page and every download: no reflection, and this week's heat
    # (still open, one reading) is not there at all.
    page = html_of(placekit_workbook.results(EXERCISE))
    assert "tenants" not in page and "Listen first" not in page
    summary = placekit_workbook.summary(EXERCISE)
    shown = json.dumps({name: t.to_csv() for name, t in summary.tables.items()})
    assert "tenants" not in shown and week not in shown
    # An analyst gets figures only, never anyone's rows.
    analyst = placekit.open(placekit_workbook.facilitator_code)
    with pytest.raises(PermissionError, match="anonymous"):
        analyst.frame(EXERCISE, "reflection")
    assert "tenants" not in json.dumps({n: t.to_csv() for n, t in analyst.tables(EXERCISE).items()})


def test_a_member_reads_back_their_own_past_weeks(
    exercise_driver, placekit_workbook: TestWorkbook
) -> None:
    now = weeks.current_week()
    monday = weeks.week_start(now)
    last, before = (weeks.week_of(monday - dt.timedelta(weeks=n)) for n in (1, 2))
    mine = placekit_workbook.responses(EXERCISE, member="Ann")
    mine.save("reflection", before, {"balcony": "Everyone deferred to the chair"}, 0)
    mine.save("heat", before, {"heat": 2}, 0)
    mine.save("reflection", last, {"balcony": SECRET, "loss": "Their <i>say</i>"}, 0)

    ann = exercise_driver(EXERCISE, member="Ann")
    text = ann.text
    assert "You have reflected in 2 earlier weeks; 2 in a row up to now" in text
    assert text.index(weeks.week_label(last)) < text.index(weeks.week_label(before))
    assert f"{weeks.week_label(before)} · heat: cool</summary>" in text
    assert "I talked over the &lt;b&gt;tenants&#x27; rep&lt;/b&gt; again" in text
    assert "<b>tenants" not in text and "Their &lt;i&gt;say&lt;/i&gt;" in text
    # This week's inputs are empty: last week's reflection is history, not this week's.
    assert ann.inputs()[f"{now}.balcony"].value == ""
    assert f"{last}.balcony" not in ann.inputs()

    bob = exercise_driver(EXERCISE, member="Bob")
    assert "deferred" not in bob.text and "Nothing yet" in bob.text


@pytest.mark.parametrize(
    ("readings", "people", "mean", "counts"),
    [
        ((3, 4), "fewer than 3", None, None),
        ((3, 4, 5), 3, 4.0, None),
        ((1, 3, 3, 5, 5), 5, 3.4, [1, 0, 2, 0, 2]),
    ],
)
def test_the_heat_shows_only_for_enough_people_and_only_once_the_week_is_over(
    placekit_workbook: TestWorkbook, readings, people, mean, counts
) -> None:
    last = weeks.week_of(weeks.week_start(weeks.current_week()) - dt.timedelta(days=1))
    for number, heat in enumerate(readings):
        mine = placekit_workbook.responses(EXERCISE, member=f"Member {number}")
        mine.save("heat", last, {"heat": heat}, 0)
        mine.save("heat", weeks.current_week(), {"heat": heat}, 0)  # this week: left out
    table = placekit_workbook.summary(EXERCISE).tables["The heat, week by week"]
    assert list(table["Week"]) == [last]
    row = table.iloc[0]
    assert row["People"] == people
    assert pd.isna(row["Mean heat"]) if mean is None else row["Mean heat"] == mean
    shown = [row[c] for c in ("1 too cold", "2 cool", "3 productive", "4 warm", "5 too hot")]
    if counts is None:
        assert all(pd.isna(value) for value in shown)  # withheld below 5 people
    else:
        assert [int(v) for v in shown] == counts
    figures = placekit_workbook.summary(EXERCISE).figures
    assert ("The heat, week by week" in figures) == (mean is not None)
    if mean is not None:
        chart = figures["The heat, week by week"].chart().to_dict()
        assert chart["title"] == "The heat, week by week"


def test_the_completion_table_counts_heads_never_names(
    exercise_driver, placekit_workbook: TestWorkbook
) -> None:
    names = ("Tamsin Quayle", "Obi Marchetti")
    for name in names:
        exercise_driver(EXERCISE, member=name).fill({f"{weeks.current_week()}.heat": 3})
    page = html_of(placekit_workbook.results(EXERCISE))
    assert "fewer than 3" in page
    assert not [name for name in names if name in page]
