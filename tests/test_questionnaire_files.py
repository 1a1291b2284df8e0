"""Questionnaire files: what loads, and how a malformed one is refused at load time."""

from __future__ import annotations

import json
import textwrap
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from placekit import hookimpl
from placekit.plugins import get_plugin_manager, get_registry, reset_registry
from placekit.questionnaires.exercise import QuestionnaireExercise
from placekit.questionnaires.model import DONT_KNOW, QuestionnaireError, load

GOOD = """
id = "pulse"
title = "Team pulse"
summary = "How the team is working."
intro = "First paragraph.\\n\\nSecond."
stem = "Over the last month…"

[scale]
low = 1
high = 5
labels = { 1 = "Never", 5 = "Always" }

[[dimensions]]
id = "focus"
title = "Focus"
  [[dimensions.items]]
  id = "F1"
  text = "We worked on what matters."
  [[dimensions.items]]
  id = "F2"
  text = "Meetings went round in circles."
  reverse = true

[[dimensions]]
id = "energy"
title = "Energy"
  [[dimensions.items]]
  id = "E1"
  text = "I had energy for the work."
"""


def write(tmp_path: Path, text: str, name: str = "pulse.toml") -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def problems(tmp_path: Path, text: str) -> str:
    with pytest.raises(QuestionnaireError) as raised:
        load(write(tmp_path, text))
    return str(raised.value)


def test_a_good_file_loads_into_the_model(tmp_path: Path) -> None:
    q = load(write(tmp_path, GOOD))
    assert (q.id, q.title, q.anonymity, q.min_group) == ("pulse", "Team pulse", "anonymous", 3)
    assert [d.id for d in q.dimensions] == ["focus", "energy"]
    assert [(i.id, i.dimension, i.reverse) for i in q.items] == [
        ("F1", "focus", False),
        ("F2", "focus", True),
        ("E1", "energy", False),
    ]
    # Partly labelled scales show the number with the name; "don't know" is offered.
    assert q.scale.choices() == (
        (1, "1 – Never"),
        (2, "2"),
        (3, "3"),
        (4, "4"),
        (5, "5 – Always"),
        (DONT_KNOW, "Don't know"),
    )
    assert q.scale.reverse(2) == 4 and q.scale.reverse(5) == 1


def test_yaml_and_json_files_load_the_same(tmp_path: Path) -> None:
    import tomllib

    import yaml

    data = tomllib.loads(GOOD)
    from_json = load(write(tmp_path, json.dumps(data), "pulse.json"))
    from_yaml = load(write(tmp_path, yaml.safe_dump(data), "pulse.yaml"))
    from_toml = load(write(tmp_path, GOOD))
    assert from_json.items == from_yaml.items == from_toml.items


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (("reverse = true", 'reverse = "yes"'), "item 'F2': 'reverse' must be true or false"),
        (("reverse = true", "revese = true"), "item 'F2': unknown setting 'revese'"),
        (('id = "E1"', 'id = "F1"'), "item 'F1': the id is used twice (also in dimension"),
        (('text = "I had energy for the work."', 'text = ""'), "item 'E1': 'text' must be text"),
        (("high = 5", "high = 0"), "scale: needs low < high"),
        (
            ('labels = { 1 = "Never", 5 = "Always" }', 'labels = ["Never", "Always"]'),
            "scale: labels lists 2 names for 5 points",
        ),
        (
            ('labels = { 1 = "Never", 5 = "Always" }', 'labels = { 9 = "Never" }'),
            "scale: label for '9', which is not a point from 1 to 5",
        ),
        (('id = "energy"', 'id = "focus"'), "dimension 'focus': another dimension already"),
        (('id = "pulse"', 'id = "Pulse Check"'), "id 'Pulse Check' must be 1-64 lower-case"),
        (('title = "Team pulse"', "title = 3"), "'title' must be text"),
    ],
)
def test_a_malformed_file_is_refused_naming_the_item_and_the_problem(
    tmp_path: Path, change: tuple[str, str], expected: str
) -> None:
    old, new = change
    assert old in GOOD
    message = problems(tmp_path, GOOD.replace(old, new, 1))
    assert message.startswith("pulse.toml: ")
    assert expected in message


def test_every_problem_is_listed_at_once(tmp_path: Path) -> None:
    text = GOOD.replace("reverse = true", 'reverse = "yes"').replace('id = "E1"', 'id = "F1"')
    message = problems(tmp_path, text)
    assert "item 'F2': 'reverse' must be true or false" in message
    assert "item 'F1': the id is used twice" in message


def test_anonymous_questionnaires_cannot_lower_the_minimum_group(tmp_path: Path) -> None:
    message = problems(tmp_path, "min_group = 2\n" + GOOD)
    assert "min_group is 2, but an anonymous questionnaire must withhold" in message
    named = load(write(tmp_path, 'min_group = 1\nanonymity = "named"\n' + GOOD))
    assert named.min_group == 1


def test_prompts_must_name_a_real_dimension_and_flag(tmp_path: Path) -> None:
    text = GOOD + '\n[[prompts]]\ndimension = "speed"\nflag = "awful"\ntext = "Why?"\n'
    message = problems(tmp_path, text)
    assert "prompt 1: dimension 'speed' is not one of this questionnaire's" in message
    assert "prompt 1: flag 'awful' is not one of" in message


def test_syntax_errors_name_the_line(tmp_path: Path) -> None:
    message = problems(tmp_path, GOOD.replace('title = "Team pulse"', "title = Team pulse"))
    assert message.startswith("pulse.toml: not valid TOML:") and "line 3" in message


def test_missing_scale_and_dimensions_are_named(tmp_path: Path) -> None:
    message = problems(tmp_path, 'id = "x"\ntitle = "X"\nsummary = "S"\n')
    assert "scale: the [scale] section is missing" in message
    assert "there must be at least one [[dimensions]] entry" in message


def test_a_target_stem_needs_rate_each(tmp_path: Path) -> None:
    text = GOOD.replace('stem = "Over the last month…"', 'stem = "How does {target} do?"')
    assert "stem mentions {target} but there is no [rate_each] section" in problems(tmp_path, text)


# -- registration through the hook -------------------------------------------------------------


class QuestionnairePlugin:
    def __init__(self, *paths: Any) -> None:
        self.paths = paths

    @hookimpl
    def register_questionnaires(self, register: Callable[[Any], None]) -> None:
        for path in self.paths:
            register(path)


@pytest.fixture
def plugin_slot() -> Iterator[Callable[[Any], None]]:
    """Register one plugin object for the test (datasette's pattern)."""
    pm = get_plugin_manager()

    def add(plugin: Any) -> None:
        pm.register(plugin, name="test-questionnaires")
        reset_registry()

    yield add
    if pm.get_plugin("test-questionnaires") is not None:
        pm.unregister(name="test-questionnaires")
    reset_registry()


def test_a_registered_file_becomes_an_exercise(
    tmp_path: Path, plugin_slot: Callable[[Any], None]
) -> None:
    plugin_slot(QuestionnairePlugin(write(tmp_path, GOOD)))
    registry = get_registry()
    exercise = registry.exercises["pulse"]
    assert isinstance(exercise, QuestionnaireExercise)
    assert exercise.anonymity == "anonymous" and exercise.min_group == 3
    assert registry.owners["exercise:pulse"] == "test-questionnaires"
    assert [p for p in registry.problems if p.plugin == "test-questionnaires"] == []


def test_a_malformed_registered_file_is_reported_naming_plugin_file_and_item(
    tmp_path: Path, plugin_slot: Callable[[Any], None]
) -> None:
    bad = write(tmp_path, GOOD.replace("reverse = true", "reverse = 1"), "broken.toml")
    plugin_slot(QuestionnairePlugin(bad))
    registry = get_registry()
    assert "pulse" not in registry.exercises
    (problem,) = [p for p in registry.problems if p.plugin == "test-questionnaires"]
    assert "plugin 'test-questionnaires'" in problem.message
    assert "broken.toml" in problem.message
    assert "item 'F2': 'reverse' must be true or false, not 1" in problem.message
    # The kit carries on: the built-in exercises are still there.
    assert "triage" in registry.exercises and "trust-audit" in registry.exercises


def test_a_questionnaire_id_cannot_take_an_existing_exercise(
    tmp_path: Path, plugin_slot: Callable[[Any], None]
) -> None:
    plugin_slot(QuestionnairePlugin(write(tmp_path, GOOD.replace('"pulse"', '"triage"', 1))))
    registry = get_registry()
    assert not isinstance(registry.exercises["triage"], QuestionnaireExercise)
    (problem,) = [p for p in registry.problems if p.plugin == "test-questionnaires"]
    assert "'triage', which plugin 'triage' already registered" in problem.message


def test_registering_something_that_is_not_a_path_is_refused(
    plugin_slot: Callable[[Any], None],
) -> None:
    plugin_slot(QuestionnairePlugin({"id": "pulse"}))
    (problem,) = [p for p in get_registry().problems if p.plugin == "test-questionnaires"]
    assert "pass the file's path" in problem.message
