"""The designs this plugin ships: each is registered, reads as the facilitator will see it,
and names only exercises the built-in plugins provide."""

from __future__ import annotations

import tomllib

import pytest
from placekit_designs.plugin import FOLDER, files

from placekit.testing import registry

EXPECTED = {
    # id: (title, exercises in order)
    "trust-and-relationships": (
        "Trust and relationships",
        ("trust-audit", "horsager-trust-pillars", "allies", "conversation-levels"),
    ),
    "understanding-demand": ("Understanding demand", ("demand", "citizen-state", "reframing")),
    "development-day": (
        "Place-based leadership development day",
        ("trust-audit", "triage", "assets", "narrative", "balcony"),
    ),
}


def test_every_file_in_the_folder_is_registered() -> None:
    assert sorted(p.name for p in FOLDER.iterdir() if p.suffix == ".toml") == [
        p.name for p in files()
    ]
    loaded = registry()
    assert [p.message for p in loaded.problems if p.plugin == "designs"] == []
    for template_id, (title, exercises) in EXPECTED.items():
        template = loaded.templates[template_id]
        assert loaded.owners[f"template:{template_id}"] == "designs"
        assert template.title == title
        assert tuple(ex.id for ex in template.exercises) == exercises


@pytest.mark.parametrize("path", files(), ids=lambda p: p.stem)
def test_each_design_names_only_installed_exercises(path) -> None:
    raw = tomllib.loads(path.read_text(encoding="utf-8"))
    named = {row["id"] for row in raw["exercises"]}
    assert named <= set(registry().exercises), named - set(registry().exercises)
    # What a facilitator reads in `placekit templates`, and members read first.
    assert raw["summary"].strip() and raw["welcome"].strip()
    assert raw["id"] == path.stem


def test_the_development_day_keeps_its_shape() -> None:
    """Before the day (the audit to the evening before, the triage to the end of the day
    itself), on the day (day 7 only), and after it (from day 8, open-ended)."""
    days = {
        ex.id: (ex.opens_after_days, ex.open_for_days)
        for ex in registry().templates["development-day"].exercises
    }
    assert days == {
        "trust-audit": (None, 7),
        "triage": (None, 8),
        "assets": (7, 1),
        "narrative": (7, 1),
        "balcony": (8, None),
    }
