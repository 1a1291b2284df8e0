"""The two lens files: each loads, has the shape the exercise notes give (C.2, C.3), is
registered by this plugin, and gives the facilitator a self-view against partners' view
once a round of answers is in and closed."""

from __future__ import annotations

import re

import pytest
from placekit_trust_lenses.plugin import FOLDER, files

from placekit.questionnaires import QuestionnaireExercise, load
from placekit.testing import TestWorkbook, registry

COVEY = FOLDER / "covey-trust-behaviours.toml"
HORSAGER = FOLDER / "horsager-trust-pillars.toml"
FACETS = ["Benevolence", "Honesty", "Openness", "Reliability", "Competence"]

# The exercise notes' mapping of each lens onto the five facets (C.2), by name.
COVEY_FACETS = {
    "Benevolence": ["demonstrate respect", "show loyalty", "listen first", "extend trust"],
    "Honesty": ["talk straight", "right wrongs", "confront reality"],
    "Openness": ["create transparency", "clarify expectations"],
    "Reliability": ["keep commitments", "practise accountability"],
    "Competence": ["deliver results", "get better"],
}
HORSAGER_FACETS = {
    "Benevolence": ["compassion", "connection", "contribution"],
    "Honesty": ["character"],
    "Openness": ["clarity"],
    "Reliability": ["commitment", "consistency"],
    "Competence": ["competency"],
}


def test_both_files_are_registered_by_this_plugin(placekit_workbook: TestWorkbook) -> None:
    assert files() == [COVEY, HORSAGER]
    loaded = registry()
    for path in files():
        exercise = placekit_workbook.exercise(load(path).id)
        assert isinstance(exercise, QuestionnaireExercise)
        assert loaded.owners[f"exercise:{exercise.id}"] == "trust-lenses"
    assert [p.message for p in loaded.problems if p.plugin == "trust-lenses"] == []


@pytest.mark.parametrize(
    ("path", "mapping", "scale", "author"),
    [(COVEY, COVEY_FACETS, (1, 5), "Covey"), (HORSAGER, HORSAGER_FACETS, (1, 6), "Horsager")],
    ids=["covey", "horsager"],
)
def test_each_lens_groups_its_behaviours_under_the_five_facets(
    path, mapping, scale, author
) -> None:
    q = load(path)
    assert [d.title for d in q.dimensions] == FACETS
    grouped = {d.title: [i.hint.removeprefix(f"{author}: ") for i in d.items] for d in q.dimensions}
    assert grouped == mapping
    assert (q.scale.low, q.scale.high) == scale and q.scale.dont_know
    # Rated, like the trust audit, for one's own organisation and each partner, anonymously.
    assert q.rate_each is not None and "{target}" in q.stem
    assert q.anonymity == "anonymous" and q.min_group >= 3
    assert not any(i.reverse for i in q.items)
    # Each statement is the kit's own sentence, not the behaviour's name restated.
    for item in q.items:
        name = item.hint.removeprefix(f"{author}: ")
        assert item.text.startswith("…") and len(item.text.split()) >= 8
        assert name.casefold() not in item.text.casefold(), item.id
    # The source is cited in the file, and named where respondents read.
    text = path.read_text(encoding="utf-8")
    assert re.search(rf"Source: .*{author}", text.replace("\n#", " "))
    assert author in q.intro and author in q.title


def test_every_facet_has_a_prompt_for_a_low_score_and_a_blind_spot() -> None:
    for path in files():
        q = load(path)
        for d in q.dimensions:
            assert q.prompts_for(d.id, "low") and q.prompts_for(d.id, "blind spot")


@pytest.mark.parametrize("path", files(), ids=lambda p: p.stem)
def test_a_closed_round_shows_each_organisation_as_its_partners_see_it(
    placekit_workbook: TestWorkbook, path
) -> None:
    """Four people from four organisations each rate their own and the other three (the
    engine's demo answers): every organisation then has three partners' ratings, enough to
    show, while each self-view is one person's and stays withheld."""
    q = load(path)
    exercise = placekit_workbook.exercise(q.id)
    names = ["Asha", "Ben", "Cara", "Dev"]

    def respond(member):
        return placekit_workbook.responses(q.id, member)

    exercise.seed_demo(respond, names)  # answers, submits and closes round 1
    summary = placekit_workbook.summary(q.id)
    table = summary.tables["Self-view and partners' view (round 1)"]
    assert len(table) == 4 * len(FACETS)  # four organisations, five facets each
    assert list(table["Dimension"][: len(FACETS)]) == FACETS
    assert set(table["Partners' people"]) == {3} and table["Partners' mean"].notna().all()
    assert table["Self-view mean"].isna().all()  # one person's: withheld
    statements = summary.tables["Statements (partners' view)"]
    assert len(statements) == 4 * len(q.items)  # each behaviour's own figures, too
