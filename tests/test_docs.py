"""docs/hooks.md documents every hook, with the hook's real signature and working examples."""

from __future__ import annotations
import __future__ as future

import ast
import datetime as dt
import gc
import inspect
import re
import tomllib
import types
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

import placekit.data.store
from placekit import hookspecs
from placekit.data.access import Member
from placekit.data.export import Exporter
from placekit.data.privacy import hash_secret
from placekit.data.responses import Responses
from placekit.data.store import Store
from placekit.data.templates import Template
from placekit.exercise import Exercise
from placekit.plugins import get_plugin_manager, get_registry, reset_registry
from placekit.questionnaires.answers import submit
from placekit.questionnaires.exercise import QuestionnaireExercise
from placekit.questionnaires.rounds import close_round

DOC = Path(__file__).resolve().parents[1] / "docs" / "hooks.md"
MARKER = f"{hookspecs.hookspec.project_name}_spec"  # what @hookspec sets on a function
FENCE = re.compile(r"^```(\w*)\n(.*?)^```", re.DOTALL | re.MULTILINE)


def hookspec_functions() -> dict[str, Callable[..., Any]]:
    return {
        name: fn
        for name, fn in vars(hookspecs).items()
        if name.startswith("register_") and callable(fn) and hasattr(fn, MARKER)
    }


def sections() -> dict[str, str]:
    """``## heading`` -> the text up to the next ``##`` heading."""
    found: dict[str, str] = {}
    parts = re.split(r"^## +(.+?)\s*$", DOC.read_text(encoding="utf-8"), flags=re.MULTILINE)
    for heading, body in zip(parts[1::2], parts[2::2], strict=True):
        found[heading.strip().strip("`")] = body
    return found


def blocks(section: str, language: str) -> list[str]:
    return [code for lang, code in FENCE.findall(section) if lang == language]


def documented_signature(code: str, hook: str) -> inspect.Signature:
    """The signature of ``def <hook>(...)`` in a code block, read as hookspecs.py reads its own
    (annotations kept as written, thanks to ``from __future__ import annotations``)."""
    tree = ast.parse(code)
    (definition,) = [
        node for node in tree.body if isinstance(node, ast.FunctionDef) and node.name == hook
    ]
    definition.decorator_list = []
    definition.body = [ast.Pass()]
    module = ast.Module(body=[definition], type_ignores=[])
    namespace: dict[str, Any] = {}
    flags = future.annotations.compiler_flag
    code_object = compile(
        ast.fix_missing_locations(module), str(DOC), "exec", flags=flags, dont_inherit=True
    )
    exec(code_object, namespace)
    return inspect.signature(namespace[hook])


HOOKS = sorted(hookspec_functions())


def test_the_hookspecs_are_found() -> None:
    assert "register_exercises" in HOOKS and "register_exporters" in HOOKS


@pytest.mark.parametrize("hook", HOOKS)
def test_every_hook_has_a_section(hook: str) -> None:
    assert hook in sections(), f"docs/hooks.md has no '## {hook}' section"


@pytest.mark.parametrize("hook", HOOKS)
def test_the_documented_signature_is_the_hookspec(hook: str) -> None:
    code = blocks(sections().get(hook, ""), "python")
    assert code, f"the '## {hook}' section has no python code block with its signature"
    assert documented_signature(code[0], hook) == inspect.signature(hookspec_functions()[hook])


def test_no_section_documents_a_hook_that_does_not_exist() -> None:
    documented = {name for name in sections() if name.startswith("register_")}
    assert documented <= set(HOOKS)


def test_the_intro_covers_loading_disabling_and_broken_plugins() -> None:
    text = DOC.read_text(encoding="utf-8")
    intro = text.split("\n## register_", 1)[0]
    for topic in ("entry point", "PLACEKIT_DISABLE_PLUGINS", "broken", "placekit plugins"):
        assert topic in intro


@pytest.mark.parametrize("hook", HOOKS)
def test_each_section_declares_an_entry_point(hook: str) -> None:
    tomls = blocks(sections().get(hook, ""), "toml")
    assert tomls, f"the '## {hook}' section shows no pyproject.toml entry point"
    declared = tomllib.loads(tomls[0])["project"]["entry-points"]["placekit"]
    assert declared and all(isinstance(target, str) for target in declared.values())


# -- the examples work -------------------------------------------------------------------------


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    yield Store(tmp_path / "placekit.db")
    for engine in placekit.data.store._engines.values():
        engine.dispose()
    placekit.data.store._engines.clear()
    gc.collect()


@pytest.fixture
def restore_registry() -> Iterator[None]:
    yield
    reset_registry(reload_plugins=True)


def example_module(hook: str, folder: Path | None = None) -> types.ModuleType:
    """The section's example plugin as a module; with ``folder``, the module lives there
    beside the section's questionnaire and template files (TOML blocks with
    ``[[dimensions]]`` or ``[[exercises]]``)."""
    examples = [
        code
        for code in blocks(sections().get(hook, ""), "python")
        if "@hookimpl" in code and f"def {hook}(" in code
    ]
    assert examples, f"the '## {hook}' section has no example plugin module"
    module = types.ModuleType(f"docs_example_{hook}")
    if folder is not None:
        module.__file__ = str(folder / "plugin.py")
        for code in blocks(sections().get(hook, ""), "toml"):
            if "[[dimensions]]" in code or "[[exercises]]" in code:
                (folder / f"{tomllib.loads(code)['id']}.toml").write_text(code, encoding="utf-8")
    exec(compile(examples[0], f"{DOC}:{hook}", "exec"), module.__dict__)
    return module


@pytest.mark.parametrize("hook", HOOKS)
def test_the_example_plugin_registers_cleanly_and_works(
    hook: str, store: Store, restore_registry: None, tmp_path: Path
) -> None:
    name = f"docs-example-{hook}"
    pm = get_plugin_manager()
    pm.register(example_module(hook, tmp_path), name=name)
    reset_registry()
    try:
        registry = get_registry()
        assert [p.message for p in registry.problems if p.plugin == name] == []
        mine = [key for key, owner in registry.owners.items() if owner == name]
        assert mine, f"the {hook} example registered nothing"
        for key in mine:
            label, obj_id = key.split(":", 1)
            if isinstance(registry.exercises.get(obj_id), QuestionnaireExercise):
                check_questionnaire(registry.exercises[obj_id], store)
            elif label == "exercise":
                check_exercise(registry.exercises[obj_id], store)
            elif label == "template":
                check_template(registry.templates[obj_id])
            else:
                check_exporter(registry.exporters[obj_id])
    finally:
        pm.unregister(name=name)
        reset_registry()


def check_exercise(exercise: Exercise, store: Store) -> None:
    store.add_workbook("wb", "Docs", "t" * 32, "f" * 32)
    store.add_respondent("m-1", "wb", "k" * 32, "Asha", anonymous=False)
    assert exercise.pages(Responses(store, "wb", exercise, member="m-1"))
    exercise.summarise(Responses(store, "wb", exercise))  # nothing saved yet
    member = Responses(store, "wb", exercise, member="m-1")
    for kind in exercise.kinds:
        data = {f.name: (f.low if f.type == "scale" else "x") for f in kind.fields}
        assert kind.errors(data) == {}
        member.save(kind.name, "mine", data, base_version=0)
    summary = exercise.summarise(Responses(store, "wb", exercise))
    assert summary.tables and all(len(frame) == 1 for frame in summary.tables.values())


def check_questionnaire(exercise: QuestionnaireExercise, store: Store) -> None:
    """Three respondents answer every statement and submit; once the round is closed the
    summary counts each of them once per dimension."""
    store.add_workbook("wb", "Docs", "t" * 32, "f" * 32)
    for number in range(3):
        member = Member(f"m-{number}", "Anonymous", True, f"{number}" * 32)
        store.add_respondent(member.id, "wb", hash_secret(member.token), "Anonymous", True)
        mine = Responses.for_member(store, "wb", exercise, member)
        assert exercise.pages(mine)
        items = exercise.questionnaire.items
        mine.save("answers", "r1", {i.id: exercise.questionnaire.scale.low for i in items}, 0)
        submit(mine)
    facilitator = Responses(store, "wb", exercise)
    assert "collecting answers" in exercise.summarise(facilitator).notes[0]
    close_round(facilitator)
    summary = exercise.summarise(Responses(store, "wb", exercise))
    (dimensions,) = [frame for name, frame in summary.tables.items() if "Dimensions" in name]
    assert list(dimensions["People"]) == [3] * len(exercise.questionnaire.dimensions)


def check_template(template: Template) -> None:
    """The example starts a workbook with its exercises in order, its welcome and dates."""
    named = tuple(ex.id for ex in template.exercises)
    design, left_out = template.design(dt.date(2026, 5, 4), named)
    assert left_out == [] and design.exercises == named
    assert design.welcome and design.windows


def check_exporter(exporter: Exporter) -> None:
    payload = exporter.write({"Results": pd.DataFrame({"name": ["=1+1"], "n": [-1]})})
    assert isinstance(payload, bytes) and payload
    assert b"'=1+1" in payload  # the example neutralises formula-looking cells


# -- the tutorial and the reference: their code runs ---------------------------------------

RUNNABLE = ("tutorial.md", "reference.md")


@pytest.mark.parametrize("name", RUNNABLE)
def test_the_code_in_the_docs_runs(name: str, tmp_path: Path) -> None:
    """Every python block of the page, in order, as one test module run by pytest (so the
    tutorial's own tests run too, with placekit.testing's fixtures)."""
    import subprocess
    import sys

    text = (DOC.parent / name).read_text(encoding="utf-8")
    code = "\n\n".join(c for lang, c in FENCE.findall(text) if lang == "python")
    assert code.strip(), f"{name} has no python code"
    module = tmp_path / f"test_doc_{name.replace('.md', '')}.py"
    module.write_text(code, encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(module)],
        capture_output=True,
        text=True,
        check=False,
        cwd=tmp_path,
    )
    assert done.returncode in (0, 5), done.stdout + done.stderr  # 5: no test functions
    if "def test_" in code:
        assert " passed" in done.stdout and "failed" not in done.stdout, done.stdout


def test_the_docs_link_to_each_other() -> None:
    for name in ("tutorial.md", "reference.md", "publishing.md", "hooks.md"):
        assert (DOC.parent / name).exists()
    readme = (DOC.parents[1] / "README.md").read_text(encoding="utf-8")
    assert "docs/tutorial.md" in readme and "docs/reference.md" in readme
