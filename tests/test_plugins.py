"""The plugin contract: registering for one test, validation that names the plugin at fault,
and broken or disabled third-party packages that must not take the kit down."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from importlib.metadata import entry_points
from pathlib import Path
from typing import Any

import pytest

from placekit import hookimpl
from placekit.data.export import Exporter, write_csv
from placekit.data.responses import Responses
from placekit.exercise import Exercise, Page, Summary
from placekit.plugins import (
    PluginProblem,
    Registry,
    get_plugin_manager,
    get_registry,
    reset_registry,
)

FAKE_MODULE = "fakeplugin_broken"


@pytest.fixture(autouse=True)
def fresh_registry(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Every test starts from, and leaves behind, the registry the installed packages give."""
    monkeypatch.delenv("PLACEKIT_DISABLE_PLUGINS", raising=False)
    reset_registry(reload_plugins=True)
    yield
    reset_registry(reload_plugins=True)


@contextmanager
def registered(plugin: object, name: str) -> Iterator[Registry]:
    """datasette's pattern: register a plugin for the length of a ``with`` block."""
    pm = get_plugin_manager()
    pm.register(plugin, name=name)
    reset_registry()
    try:
        yield get_registry()
    finally:
        pm.unregister(name=name)
        reset_registry()


def make_exercise(ex_id: Any = "test-compass", title: Any = "Test compass") -> Exercise:
    attrs: dict[str, Any] = {
        "summary": "A place compass used only by tests",
        "steps": (("start", "Start"),),
    }
    if ex_id is not None:
        attrs["id"] = ex_id
    if title is not None:
        attrs["title"] = title

    def pages(self: Exercise, responses: Responses) -> Sequence[Page]:
        return ()

    def summarise(self: Exercise, responses: Responses) -> Summary:
        return Summary(notes=["nothing yet"])

    attrs.update(pages=pages, summarise=summarise)
    return type("TestExercise", (Exercise,), attrs)()


class ExercisePlugin:
    """A plugin object whose ``register_exercises`` registers the given objects."""

    def __init__(self, *objects: Any) -> None:
        self.objects = objects

    @hookimpl
    def register_exercises(self, register: Callable[[Any], None]) -> None:
        for obj in self.objects:
            register(obj)


class ExporterPlugin:
    def __init__(self, *objects: Any) -> None:
        self.objects = objects

    @hookimpl
    def register_exporters(self, register: Callable[[Any], None]) -> None:
        for obj in self.objects:
            register(obj)


class RaisingPlugin:
    @hookimpl
    def register_exercises(self, register: Callable[[Any], None]) -> None:
        raise RuntimeError("the plugin's own bug")


def problems_of(registry: Registry, plugin: str) -> list[PluginProblem]:
    return [p for p in registry.problems if p.plugin == plugin]


def installed_exercise_ids() -> set[str]:
    """The built-in exercises that are installed ("triage" once its package is)."""
    names = {ep.name for ep in entry_points(group="placekit")}
    return {"triage"} & names


# -- registering for one test ------------------------------------------------------------------


def test_a_plugin_registered_for_a_test_is_there_and_then_gone() -> None:
    exercise = make_exercise()
    before = get_registry()
    assert "test-compass" not in before.exercises

    with registered(ExercisePlugin(exercise), "test-compass-plugin") as registry:
        assert registry.exercises["test-compass"] is exercise
        assert registry.owners["exercise:test-compass"] == "test-compass-plugin"
        assert "test-compass-plugin" in registry.plugins
        assert get_registry() is registry
        assert installed_exercise_ids() <= set(registry.exercises)
        assert problems_of(registry, "test-compass-plugin") == []

    after = get_registry()
    assert "test-compass" not in after.exercises
    assert "exercise:test-compass" not in after.owners
    assert "test-compass-plugin" not in after.plugins
    assert get_plugin_manager().get_plugin("test-compass-plugin") is None
    assert set(after.exercises) == set(before.exercises)
    assert set(after.exporters) == set(before.exporters)


def test_a_plugin_can_add_an_exporter() -> None:
    board = Exporter("board-paper", "Board paper", "csv", "text/csv", write_csv, per_table=True)
    with registered(ExporterPlugin(board), "board-plugin") as registry:
        assert registry.exporters["board-paper"] is board
        assert {"csv", "excel"} <= set(registry.exporters)
    assert "board-paper" not in get_registry().exporters


# -- validation --------------------------------------------------------------------------------


def test_bad_registrations_are_problems_naming_the_plugin_and_others_still_load() -> None:
    first, second = make_exercise("test-dup"), make_exercise("test-dup", "Another title")
    good = make_exercise("test-good", "Good one")
    plugins = {
        "dup-first": ExercisePlugin(first),
        "dup-second": ExercisePlugin(second),
        "not-an-exercise": ExercisePlugin({"id": "dict-exercise", "title": "A dict"}),
        "bad-id": ExercisePlugin(make_exercise("Bad Id!")),
        "no-id": ExercisePlugin(make_exercise(None)),
        "no-title": ExercisePlugin(make_exercise("test-untitled", None)),
        "blank-title": ExercisePlugin(make_exercise("test-blank", "   ")),
        "raises": RaisingPlugin(),
        "csv-again": ExporterPlugin(
            Exporter("csv", "Another CSV", "csv", "text/csv", write_csv, per_table=True)
        ),
        "good": ExercisePlugin(good),
    }
    pm = get_plugin_manager()
    for name, plugin in plugins.items():
        pm.register(plugin, name=name)
    reset_registry()
    try:
        registry = get_registry()
        messages = {name: [p.message for p in problems_of(registry, name)] for name in plugins}
    finally:
        for name in plugins:
            pm.unregister(name=name)
        reset_registry()

    # The first to claim an id keeps it; the second is told who has it.
    assert registry.exercises["test-dup"] is first
    assert messages["dup-first"] == []
    (dup,) = messages["dup-second"]
    assert "'dup-second'" in dup and "'dup-first'" in dup and "'test-dup'" in dup

    (not_exercise,) = messages["not-an-exercise"]
    assert "'not-an-exercise'" in not_exercise and "not a placekit.Exercise" in not_exercise
    (bad_id,) = messages["bad-id"]
    assert "'bad-id'" in bad_id and "'Bad Id!'" in bad_id
    (no_id,) = messages["no-id"]
    assert "'no-id'" in no_id and "id None" in no_id
    (no_title,) = messages["no-title"]
    assert "'no-title'" in no_title and "without a title" in no_title
    (blank,) = messages["blank-title"]
    assert "'blank-title'" in blank and "without a title" in blank
    (csv_again,) = messages["csv-again"]
    assert "'csv-again'" in csv_again and "'placekit.data.export'" in csv_again
    # A hook that raises is pinned on its plugin, with the traceback kept for the log.
    (raised,) = problems_of(registry, "raises")
    assert raised.message == "the plugin's own bug"
    assert "RuntimeError" in raised.detail

    # Nothing malformed got in, and everything well-formed did.
    assert registry.exercises["test-good"] is good
    assert not {"dict-exercise", "Bad Id!", "test-untitled", "test-blank"} & set(registry.exercises)
    assert registry.exporters["csv"].label == "CSV"
    assert installed_exercise_ids() <= set(registry.exercises)

    after = get_registry()
    assert all(p.plugin not in plugins for p in after.problems)
    assert "test-dup" not in after.exercises and "test-good" not in after.exercises


def test_a_malformed_registration_costs_only_itself() -> None:
    """One bad registration is reported with the plugin's name; the plugin's good ones stay
    (a plugin shipping six questionnaires keeps five when one file is broken)."""
    fine = make_exercise("test-half-fine")
    with registered(ExercisePlugin(fine, object()), "half") as registry:
        (problem,) = problems_of(registry, "half")
        assert "'half'" in problem.message and "not a placekit.Exercise" in problem.message
        assert registry.exercises["test-half-fine"] is fine


def test_one_plugin_registering_an_id_twice_is_a_problem() -> None:
    first, second = make_exercise("test-twice"), make_exercise("test-twice")
    with registered(ExercisePlugin(first, second), "twice") as registry:
        (problem,) = problems_of(registry, "twice")
        assert "'twice'" in problem.message and "'test-twice'" in problem.message
        assert registry.exercises["test-twice"] is first  # the first claim stands


# -- installed packages (entry points) ---------------------------------------------------------


def make_distribution(
    where: Path, name: str, entry_points_: dict[str, str], modules: dict[str, str]
) -> None:
    """An installed distribution, as pip would leave it: a dist-info folder and modules."""
    info = where / f"{name}-0.1.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: 0.1\n")
    lines = "".join(f"{ep} = {target}\n" for ep, target in entry_points_.items())
    (info / "entry_points.txt").write_text(f"[placekit]\n{lines}")
    for module, source in modules.items():
        (where / f"{module}.py").write_text(textwrap.dedent(source))


@pytest.fixture
def broken_plugin(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An installed package ``fakeplugin`` whose module raises on import.

    The module leaves a marker file when it is imported, to tell whether it was tried.
    """
    make_distribution(
        tmp_path,
        "fakeplugin",
        {"fakeplugin": FAKE_MODULE},
        {
            FAKE_MODULE: """
                from pathlib import Path

                Path(__file__).with_name("imported.marker").touch()
                raise RuntimeError("fakeplugin is broken on purpose")
            """
        },
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.delitem(sys.modules, FAKE_MODULE, raising=False)
    return tmp_path


def test_a_broken_plugin_is_reported_and_the_kit_carries_on(broken_plugin: Path) -> None:
    reset_registry(reload_plugins=True)
    registry = get_registry()

    (problem,) = problems_of(registry, "fakeplugin")
    assert "fakeplugin is broken on purpose" in problem.message
    assert "failed to load" in problem.message
    assert "RuntimeError" in problem.detail
    assert (broken_plugin / "imported.marker").exists()
    assert "fakeplugin" not in registry.plugins

    assert installed_exercise_ids() <= set(registry.exercises)
    assert {"csv", "excel"} <= set(registry.exporters)
    if "triage" in installed_exercise_ids():
        assert problems_of(registry, "triage") == []


def run_cli(*args: str, pythonpath: Path, env: dict[str, str] | None = None) -> Any:
    script = Path(sys.executable).with_name("placekit")
    assert script.exists(), "the placekit command is installed with the package"
    environment = {k: v for k, v in os.environ.items() if k != "PLACEKIT_DISABLE_PLUGINS"}
    environment["PYTHONPATH"] = os.pathsep.join(
        [str(pythonpath)] + ([os.environ["PYTHONPATH"]] if os.environ.get("PYTHONPATH") else [])
    )
    environment["PLACEKIT_DB"] = str(pythonpath / "cli.db")
    environment.update(env or {})
    return subprocess.run(
        [str(script), *args], capture_output=True, text=True, env=environment, timeout=120
    )


def test_placekit_plugins_lists_plugins_and_names_the_broken_one(broken_plugin: Path) -> None:
    reset_registry(reload_plugins=True)
    loaded = get_registry().plugins

    result = run_cli("plugins", pythonpath=broken_plugin)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "Problems" in out
    listed, problems = out.split("Problems", 1)
    for name in loaded:
        assert name in listed
    assert "fakeplugin" not in listed
    assert "fakeplugin" in problems
    assert "fakeplugin is broken on purpose" in problems
    assert "Traceback" not in out


@pytest.mark.parametrize("setting", ["fakeplugin", FAKE_MODULE, " other-plugin , fakeplugin "])
def test_disabling_a_plugin_stops_it_loading(
    broken_plugin: Path, monkeypatch: pytest.MonkeyPatch, setting: str
) -> None:
    monkeypatch.setenv("PLACEKIT_DISABLE_PLUGINS", setting)
    reset_registry(reload_plugins=True)
    registry = get_registry()
    assert problems_of(registry, "fakeplugin") == []
    assert "fakeplugin" not in registry.plugins
    assert not (broken_plugin / "imported.marker").exists()
    assert installed_exercise_ids() <= set(registry.exercises)


def test_disabled_plugin_is_not_a_problem_in_the_cli(broken_plugin: Path) -> None:
    result = run_cli(
        "plugins", pythonpath=broken_plugin, env={"PLACEKIT_DISABLE_PLUGINS": "fakeplugin"}
    )
    assert result.returncode == 0, result.stderr
    assert "fakeplugin" not in result.stdout
    assert not (broken_plugin / "imported.marker").exists()


def test_an_installed_third_party_exercise_appears_with_no_core_edit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_distribution(
        tmp_path,
        "placekit_compass",
        {"compass": "pk_test_compass", "misnamed": "pk_test_misnamed"},
        {
            "pk_test_compass": """
                from placekit import hookimpl
                from placekit.exercise import Exercise, Summary

                PLACEKIT_API = 1

                class Compass(Exercise):
                    id = "test-installed-compass"
                    title = "Installed compass"
                    summary = "Comes from an installed package"
                    steps = (("start", "Start"),)

                    def pages(self, responses):
                        return ()

                    def summarise(self, responses):
                        return Summary()

                @hookimpl
                def register_exercises(register):
                    register(Compass())
            """,
            # A hook implementation whose argument is not the hook's: refused by pluggy.
            "pk_test_misnamed": """
                from placekit import hookimpl

                PLACEKIT_API = 1

                @hookimpl
                def register_exercises(callback):
                    callback(None)
            """,
        },
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    for module in ("pk_test_compass", "pk_test_misnamed"):
        monkeypatch.delitem(sys.modules, module, raising=False)
    reset_registry(reload_plugins=True)
    registry = get_registry()

    assert registry.exercises["test-installed-compass"].title == "Installed compass"
    assert registry.owners["exercise:test-installed-compass"] == "compass"
    assert "compass" in registry.plugins
    (misnamed,) = problems_of(registry, "misnamed")
    assert "failed to load" in misnamed.message and "callback" in misnamed.message
    assert installed_exercise_ids() <= set(registry.exercises)


def test_an_installed_plugin_cannot_take_over_a_built_in_id(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Entry points load before the core's own exporters; the core's ids still win."""
    make_distribution(
        tmp_path,
        "shadow",
        {"shadow": "pk_test_shadow"},
        {
            "pk_test_shadow": """
                from placekit import hookimpl
                from placekit.data.export import Exporter

                PLACEKIT_API = 1

                @hookimpl
                def register_exporters(register):
                    register(Exporter("csv", "Raw CSV", "csv", "text/csv", lambda t: b"raw"))
            """
        },
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.delitem(sys.modules, "pk_test_shadow", raising=False)
    reset_registry(reload_plugins=True)
    registry = get_registry()

    assert registry.exporters["csv"].label == "CSV"
    assert registry.owners["exporter:csv"] == "placekit.data.export"
    assert "excel" in registry.exporters
    assert problems_of(registry, "placekit.data.export") == []
    (problem,) = problems_of(registry, "shadow")
    assert "'shadow'" in problem.message and "'placekit.data.export'" in problem.message


@pytest.mark.parametrize(
    ("declared", "expected"),
    [
        ("", "does not say which PlaceKit plugin API it was written for: add PLACEKIT_API = 1"),
        (
            "PLACEKIT_API = 2",
            "written for PlaceKit plugin API 2, but this PlaceKit provides API 1: upgrade PlaceKit",
        ),
        (
            "PLACEKIT_API = 0",
            "written for PlaceKit plugin API 0, but this PlaceKit provides"
            " API 1: install a version of the plugin made for it",
        ),
    ],
)
def test_a_plugin_for_another_api_version_is_reported_not_loaded(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, declared: str, expected: str
) -> None:
    make_distribution(
        tmp_path,
        "oldplugin",
        {"oldplugin": "pk_test_old"},
        {
            "pk_test_old": f"""
                from placekit import hookimpl
                from placekit.exercise import Exercise, Summary

                {declared}

                class Old(Exercise):
                    id = "test-old-api"
                    title = "Old"
                    summary = "Written for another API"
                    steps = (("start", "Start"),)

                    def pages(self, responses):
                        return ()

                    def summarise(self, responses):
                        return Summary()

                @hookimpl
                def register_exercises(register):
                    register(Old())
            """
        },
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.delitem(sys.modules, "pk_test_old", raising=False)
    reset_registry(reload_plugins=True)
    registry = get_registry()
    (problem,) = problems_of(registry, "oldplugin")
    assert expected in problem.message
    assert "test-old-api" not in registry.exercises
    assert "triage" in registry.exercises  # the rest of the kit is unaffected
