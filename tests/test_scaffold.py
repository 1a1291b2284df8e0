"""``placekit new-plugin``: safe names and a package that is complete on its own."""

from __future__ import annotations

import datetime as dt
import importlib.util
import keyword
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from placekit.dev.scaffold import create_plugin, derive_names
from placekit.plugins import _ID
from placekit.testing import placekit_command, registry


@pytest.mark.parametrize(
    ("title", "dist", "package", "exercise_id", "class_name"),
    [
        (
            "Five ways to wellbeing",
            "placekit-five-ways-to-wellbeing",
            "placekit_five_ways_to_wellbeing",
            "five-ways-to-wellbeing",
            "FiveWaysToWellbeing",
        ),
        (
            "Café – façade: l'été!",
            "placekit-cafe-facade-l-ete",
            "placekit_cafe_facade_l_ete",
            "cafe-facade-l-ete",
            "CafeFacadeLEte",
        ),
        ("  5 Ways  ", "placekit-5-ways", "placekit_5_ways", "exercise-5-ways", "Exercise5Ways"),
        (
            "class import",
            "placekit-class-import",
            "placekit_class_import",
            "class-import",
            "ClassImport",
        ),
    ],
)
def test_names_are_derived_safely(title, dist, package, exercise_id, class_name):
    names = derive_names(title)
    assert (names.dist, names.package, names.exercise_id, names.class_name) == (
        dist,
        package,
        exercise_id,
        class_name,
    )
    assert names.package.isidentifier() and not keyword.iskeyword(names.package)
    assert names.class_name.isidentifier()
    assert _ID.match(names.exercise_id)


def test_a_very_long_title_still_gives_valid_names():
    names = derive_names("A " + "very " * 40 + "long title")
    assert len(names.dist) <= 60 and _ID.match(names.exercise_id)
    assert not names.dist.endswith("-")


@pytest.mark.parametrize("title", ["", "   ", "!!!", "—"])
def test_a_title_with_no_letters_is_refused(title):
    with pytest.raises(ValueError, match="at least one letter or digit"):
        derive_names(title)


def test_the_package_has_everything_a_plugin_needs(tmp_path: Path):
    folder = create_plugin("Five ways to wellbeing", tmp_path)
    files = {str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file()}
    assert files == {
        "pyproject.toml",
        "README.md",
        "placekit_five_ways_to_wellbeing/__init__.py",
        "placekit_five_ways_to_wellbeing/plugin.py",
        "placekit_five_ways_to_wellbeing/questionnaire.toml",
        "placekit_five_ways_to_wellbeing/workbook.toml",
        "tests/test_placekit_five_ways_to_wellbeing.py",
    }
    project = tomllib.loads((folder / "pyproject.toml").read_text())
    assert project["project"]["name"] == "placekit-five-ways-to-wellbeing"
    assert project["project"]["entry-points"]["placekit"] == {
        "five-ways-to-wellbeing": "placekit_five_ways_to_wellbeing.plugin"
    }
    code = (folder / "placekit_five_ways_to_wellbeing" / "plugin.py").read_text()
    assert "PLACEKIT_API = 1" in code and 'id = "five-ways-to-wellbeing"' in code
    from placekit.questionnaires.model import load

    example = load(folder / "placekit_five_ways_to_wellbeing/questionnaire.toml")
    assert example.id == "five-ways-to-wellbeing-check-in"
    # Linted as the author will lint it: from its own folder, with PlaceKit third-party.
    lint = subprocess.run(
        [
            sys.executable,
            "-m",
            "ruff",
            "check",
            "--isolated",
            "--line-length",
            "100",
            "--select",
            "E,F,W,I,B,UP",
            ".",
        ],
        capture_output=True,
        text=True,
        check=False,
        cwd=folder,
    )
    assert lint.returncode == 0, lint.stdout


def test_the_scaffolded_plugin_registers_its_workbook_template(
    tmp_path: Path, register_plugin
) -> None:
    """Its example template names its own exercise and questionnaire, registers with no
    problem, and starts a workbook with both (the plugin is loaded from its folder, as an
    installed copy would be, for this test alone)."""
    folder = create_plugin("Street stories", tmp_path)
    spec = importlib.util.spec_from_file_location(
        "placekit_street_stories_plugin", folder / "placekit_street_stories" / "plugin.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    register_plugin(module, name="street-stories")
    loaded = registry()
    assert [p.message for p in loaded.problems if p.plugin == "street-stories"] == []
    template = loaded.templates["street-stories"]
    assert loaded.owners["template:street-stories"] == "street-stories"
    assert template.title == "Street stories" and template.welcome
    named = [ex.id for ex in template.exercises]
    assert named == ["street-stories", "street-stories-check-in"]
    design, left_out = template.design(dt.date(2026, 5, 4), loaded.exercises)
    assert left_out == [] and list(design.exercises) == named
    assert design.window("street-stories").closes == dt.date(2026, 5, 17)
    assert design.window("street-stories-check-in").opens == dt.date(2026, 5, 11)


def test_the_cli_refuses_to_overwrite_a_folder(tmp_path: Path):
    run = [placekit_command(), "new-plugin", "Trust walk", "--dir", str(tmp_path)]
    first = subprocess.run(run, capture_output=True, text=True, check=False)
    assert first.returncode == 0 and "placekit-trust-walk" in first.stdout
    again = subprocess.run(run, capture_output=True, text=True, check=False)
    assert again.returncode == 1 and "already exists" in again.stderr
