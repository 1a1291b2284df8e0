"""Workbook templates registered by plugins (``register_workbook_templates``): the designs
the kit ships, and template files that are broken, clash or name what is not installed."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from placekit import Exercise, Summary, hookimpl
from placekit.data.design import Window
from placekit.plugins import PluginProblem, Registry, reset_registry
from placekit.testing import registry

SHIPPED = {
    "trust-and-relationships": "Trust and relationships",
    "understanding-demand": "Understanding demand",
    "development-day": "Place-based leadership development day",
}


@pytest.fixture(autouse=True)
def fresh_registry(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The registry the installed packages give, before and after each test."""
    monkeypatch.delenv("PLACEKIT_DISABLE_PLUGINS", raising=False)
    reset_registry(reload_plugins=True)
    yield
    reset_registry(reload_plugins=True)


class TemplatePlugin:
    """A plugin whose ``register_workbook_templates`` registers the given paths, and whose
    ``register_exercises`` registers the given exercises."""

    def __init__(self, *paths: Any, exercises: tuple[Any, ...] = ()) -> None:
        self.paths = paths
        self.exercises = exercises

    @hookimpl
    def register_workbook_templates(self, register: Callable[[Any], None]) -> None:
        for path in self.paths:
            register(path)

    @hookimpl
    def register_exercises(self, register: Callable[[Any], None]) -> None:
        for exercise in self.exercises:
            register(exercise)


class Walk(Exercise):
    id = "test-walk"
    title = "Walk the patch"
    summary = "An exercise used only by these tests."
    steps = (("walk", "Walk"),)

    def pages(self, responses: Any) -> tuple[()]:
        return ()

    def summarise(self, responses: Any) -> Summary:
        return Summary()


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def template_file(folder: Path, template_id: str, *exercises: str, title: str = "A day") -> Path:
    rows = "".join(f'\n[[exercises]]\nid = "{ex}"\n' for ex in exercises)
    return write(folder, f"{template_id}.toml", f'id = "{template_id}"\ntitle = "{title}"\n{rows}')


def problems_of(loaded: Registry, plugin: str) -> list[PluginProblem]:
    return [p for p in loaded.problems if p.plugin == plugin]


# -- the designs the kit ships ------------------------------------------------------------------


def test_the_shipped_designs_register_with_their_titles() -> None:
    loaded = registry()
    assert problems_of(loaded, "designs") == []
    for template_id, title in SHIPPED.items():
        assert loaded.templates[template_id].title == title
        assert loaded.owners[f"template:{template_id}"] == "designs"
        assert loaded.templates[template_id].summary and loaded.templates[template_id].welcome


@pytest.mark.parametrize("template_id", sorted(SHIPPED))
def test_every_exercise_a_shipped_design_names_is_installed(template_id: str) -> None:
    loaded = registry()
    template = loaded.templates[template_id]
    named = [ex.id for ex in template.exercises]
    assert set(named) <= set(loaded.exercises), set(named) - set(loaded.exercises)
    design, left_out = template.design(dt.date(2026, 5, 4), loaded.exercises)
    assert left_out == [] and list(design.exercises) == named


def test_the_development_day_is_before_on_and_after_the_day() -> None:
    template = registry().templates["development-day"]
    design, _ = template.design(dt.date(2026, 5, 4), registry().exercises)
    day = dt.date(2026, 5, 11)  # day 7
    # Members answer the audit by the evening before; the triage's last steps are the day's.
    assert design.window("trust-audit") == Window(closes=day - dt.timedelta(days=1))
    assert design.window("triage") == Window(closes=day)
    for on in ("assets", "narrative"):
        assert (design.window(on).opens, design.window(on).closes) == (day, day)
    assert design.window("balcony").opens == day + dt.timedelta(days=1)
    assert design.window("balcony").closes is None


# -- templates registered by a plugin -----------------------------------------------------------


def test_a_plugin_template_registers_and_may_name_exercises_not_installed(
    register_plugin, tmp_path: Path
) -> None:
    """Exercise ids are not checked when a template registers: it may name another
    plugin's exercises, and a workbook started from it leaves out those not installed."""
    path = template_file(tmp_path, "test-away-day", "trust-audit", "test-not-installed")
    register_plugin(TemplatePlugin(path), name="away")
    loaded = registry()
    assert problems_of(loaded, "away") == []
    template = loaded.templates["test-away-day"]
    assert loaded.owners["template:test-away-day"] == "away"
    design, left_out = template.design(dt.date(2026, 5, 4), loaded.exercises)
    assert left_out == ["test-not-installed"] and design.exercises == ("trust-audit",)


def test_a_broken_template_costs_only_itself(register_plugin, tmp_path: Path) -> None:
    good = template_file(tmp_path, "test-good-day", "triage")
    broken = write(
        tmp_path,
        "broken.toml",
        'id = "Not An Id"\ntitle = "Broken"\n\n[[exercises]]\nid = "triage"\nopen_for_days = 0\n',
    )
    unreadable = write(tmp_path, "unreadable.toml", 'id = "test-oops"\ntitle = \n')
    not_a_path = {"id": "test-dict"}
    plugin = TemplatePlugin(broken, good, unreadable, not_a_path, exercises=(Walk(),))
    register_plugin(plugin, name="half")
    loaded = registry()
    messages = [p.message for p in problems_of(loaded, "half")]
    assert len(messages) == 3, messages
    first, second, third = messages
    # Named: the plugin, the file, and each thing wrong in it, all at once.
    assert "'half'" in first and str(broken) in first
    assert "id: 1-64 lower-case letters" in first
    assert "exercise 1 (triage): open_for_days is a whole number from 1" in first
    assert "'half'" in second and str(unreadable) in second and "not valid TOML" in second
    assert "'half'" in third and "pass the file's path" in third
    # The plugin's good template is kept, and so is its exercise.
    assert isinstance(loaded.exercises["test-walk"], Walk)
    assert loaded.templates["test-good-day"].exercises[0].id == "triage"
    assert loaded.owners["template:test-good-day"] == "half"
    assert not {"test-oops", "test-dict"} & set(loaded.templates)


def test_a_missing_template_file_is_named(register_plugin, tmp_path: Path) -> None:
    missing = tmp_path / "missing.json"
    register_plugin(TemplatePlugin(missing), name="gappy")
    loaded = registry()
    (problem,) = problems_of(loaded, "gappy")
    assert "'gappy'" in problem.message and "missing.json" in problem.message
    assert "the file does not exist" in problem.message
    assert set(SHIPPED) <= set(loaded.templates)  # other plugins' templates are untouched


def test_a_second_plugin_registering_a_template_id_is_refused(
    register_plugin, tmp_path: Path
) -> None:
    (tmp_path / "one").mkdir()
    (tmp_path / "two").mkdir()
    first = template_file(tmp_path / "one", "test-shared", "triage", title="First")
    second = template_file(tmp_path / "two", "test-shared", "assets", title="Second")
    register_plugin(TemplatePlugin(first), name="first-plugin")
    register_plugin(TemplatePlugin(second), name="second-plugin")
    loaded = registry()
    assert problems_of(loaded, "first-plugin") == []
    (refused,) = problems_of(loaded, "second-plugin")
    assert refused.message == (
        "plugin 'second-plugin' registered template id 'test-shared',"
        " which plugin 'first-plugin' already registered"
    )
    assert loaded.templates["test-shared"].title == "First"
    assert loaded.owners["template:test-shared"] == "first-plugin"


def test_a_plugin_cannot_take_a_shipped_designs_id(register_plugin, tmp_path: Path) -> None:
    mine = template_file(tmp_path, "development-day", "triage", title="Mine")
    register_plugin(TemplatePlugin(mine), name="late")
    loaded = registry()
    (refused,) = problems_of(loaded, "late")
    assert "'development-day'" in refused.message and "'designs'" in refused.message
    assert loaded.templates["development-day"].title == SHIPPED["development-day"]
