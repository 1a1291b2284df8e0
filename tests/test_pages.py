"""Pages built from Python, as Voila builds them once the browser has sent the link."""

from __future__ import annotations

import pytest

from placekit.data.access import create_workbook, join, resolve
from placekit.data.store import Store
from placekit.testing import press
from placekit.web.pages import exercise_page, index_page


def text(widget) -> str:
    """All HTML shown inside a widget tree."""
    found = [getattr(widget, "value", "")] if hasattr(widget, "value") else []
    for child in getattr(widget, "children", ()):
        found.append(text(child))
    return "\n".join(str(v) for v in found)


@pytest.fixture
def workbook(tmp_path, monkeypatch):
    monkeypatch.setenv("PLACEKIT_DB", str(tmp_path / "pk.db"))
    store = Store()
    _id, team, facilitator = create_workbook(store, "<script>alert('x')</script> Better Start")
    return store, team, facilitator


@pytest.mark.parametrize(
    "bad",
    ["", "nope", "A" * 32, "<img src=x onerror=alert(1)>", "' OR 1=1 --", "x" * 500],
)
def test_a_wrong_code_shows_the_invalid_link_page_and_no_data(workbook, bad):
    index, exercise = text(index_page(bad)), text(exercise_page(bad, "triage"))
    assert "This link is not valid" in exercise
    # With no code at all the index is the public list of exercises, naming no workbook.
    assert ("Open the link" if bad == "" else "This link is not valid") in index
    assert "Better Start" not in index + exercise


def test_an_altered_code_is_invalid(workbook):
    _store, team, facilitator = workbook
    for code in (team, facilitator):
        altered = code[:-1] + ("A" if code[-1] != "A" else "B")
        assert "This link is not valid" in text(index_page(altered))


def test_team_link_asks_for_a_name_and_escapes_the_title(workbook):
    _store, team, _ = workbook
    shown = text(index_page(team))
    assert "Join your team" in shown
    assert "&lt;script&gt;" in shown and "<script>" not in shown


def test_facilitator_results_escape_what_members_typed(workbook):
    store, team, facilitator = workbook
    join(store, resolve(store, team), "<b>Bold</b> Ben")
    page = exercise_page(facilitator, "triage")
    press(page, "Prepare the downloads")
    shown = text(page)
    assert "team results" in shown
    assert "&lt;b&gt;Bold&lt;/b&gt; Ben" in shown and "<b>Bold</b>" not in shown
    assert 'download="' in shown and "(Excel)" in shown


def test_unknown_exercise_says_so(workbook):
    _store, team, _ = workbook
    assert "This exercise is not available" in text(exercise_page(team, "no-such-thing"))
