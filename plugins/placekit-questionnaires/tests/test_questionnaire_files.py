"""The questionnaires this plugin ships: each loads, and says what the exercise notes ask."""

from __future__ import annotations

import pytest
from placekit_questionnaires.plugin import FOLDER, files

from placekit.questionnaires import QuestionnaireExercise, load
from placekit.testing import TestWorkbook, registry

EXPECTED = {
    # id: (dimensions, items, scale, reverse-scored items)
    "trust-audit": (5, 15, (1, 6), 5),
    "place-compass": (14, 14, (1, 7), 0),
    "conversation-levels": (3, 9, (1, 5), 0),
    "systems-leadership": (6, 18, (1, 5), 0),
    "systems-leadership-360": (6, 18, (1, 5), 0),
    "gm-leadership-expectations": (9, 9, (1, 5), 0),
    "five-ways-to-wellbeing": (5, 5, (1, 5), 0),
}


def test_every_file_in_the_folder_is_registered(placekit_workbook: TestWorkbook) -> None:
    assert {p.name for p in FOLDER.iterdir() if p.suffix == ".toml"} == {p.name for p in files()}
    loaded = registry()
    for questionnaire_id in EXPECTED:
        assert isinstance(placekit_workbook.exercise(questionnaire_id), QuestionnaireExercise)
        assert loaded.owners[f"exercise:{questionnaire_id}"] == "questionnaires"
    assert [p for p in loaded.problems if p.plugin == "questionnaires"] == []


@pytest.mark.parametrize("path", files(), ids=lambda p: p.stem)
def test_each_questionnaire_has_the_shape_the_notes_give(path) -> None:
    q = load(path)
    dimensions, items, scale, reverse = EXPECTED[q.id]
    assert len(q.dimensions) == dimensions and len(q.items) == items
    assert (q.scale.low, q.scale.high) == scale
    assert sum(i.reverse for i in q.items) == reverse
    assert q.anonymity == "anonymous" and q.min_group >= 3
    assert q.scale.dont_know  # "don't know" is always offered
    assert q.intro and q.summary


def test_the_trust_audit_rates_each_organisation_on_five_facets() -> None:
    q = load(FOLDER / "trust-audit.toml")
    assert [d.title for d in q.dimensions] == [
        "Benevolence",
        "Honesty",
        "Openness",
        "Reliability",
        "Competence",
    ]
    assert q.rate_each is not None and "{target}" in q.stem
    # One statement in each facet is worded the other way, and a facet score needs 2 of 3.
    assert all(sum(i.reverse for i in d.items) == 1 for d in q.dimensions)
    assert all(q.needed(d) == 2 for d in q.dimensions)
    # Every facet has a prompt for a blind spot or a low score, written or general.
    for d in q.dimensions:
        assert q.prompts_for(d.id, "blind spot") or q.prompts_for(d.id, "low")


def test_the_place_compass_uses_its_own_words() -> None:
    q = load(FOLDER / "place-compass.toml")
    assert len({d.title for d in q.dimensions}) == 14
    assert q.scale.label(1) == "1 – A lot of room for improvement"
    assert q.scale.label(7) == "7 – Very little room for improvement"
    # The kit's own wording: no question is the official tool's "Can I…?" / "Do I…?" form.
    assert not [i.text for i in q.items if i.text.startswith(("Can I", "Do I", "Does "))]
