"""The demo workbook a first run creates: every exercise shows real results at once."""

from __future__ import annotations

from pathlib import Path

import pytest

import placekit
from placekit.data.store import Store
from placekit.dev.demo import DEMO_MEMBERS, seed_demo
from placekit.plugins import get_registry


@pytest.fixture
def demo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> placekit.Workbook:
    monkeypatch.setenv("PLACEKIT_DB", str(tmp_path / "demo.db"))
    facilitator = seed_demo(Store()).facilitator
    return placekit.open(facilitator)


def test_the_trust_audit_demo_shows_partners_views_and_withholds_one_persons_self_view(
    demo: placekit.Workbook,
) -> None:
    table = demo.summary("trust-audit").tables["Self-view and partners' view (round 1)"]
    # Four organisations, one demo member each: three partners rate each organisation, so
    # that view shows; each self-view is one person's, so it is withheld.
    assert set(table["Partners' people"]) == {len(DEMO_MEMBERS) - 1}
    assert table["Self-view mean"].isna().all()
    assert table["Note"].str.contains("withheld").all()


def test_every_questionnaire_in_the_demo_has_results_from_every_member(
    demo: placekit.Workbook,
) -> None:
    for exercise in get_registry().exercises.values():
        if not hasattr(exercise, "questionnaire") or exercise.questionnaire.rate_each:
            continue
        dimensions = demo.summary(exercise.id).tables["Dimensions (round 1)"]
        assert set(dimensions["People"]) == {len(DEMO_MEMBERS)}, exercise.id


def test_the_demo_is_the_same_on_every_first_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    tables = []
    for run in (1, 2):
        monkeypatch.setenv("PLACEKIT_DB", str(tmp_path / f"demo{run}.db"))
        facilitator = seed_demo(Store()).facilitator
        tables.append(placekit.open(facilitator).summary("place-compass").tables)
    assert tables[0]["Dimensions (round 1)"].equals(tables[1]["Dimensions (round 1)"])
