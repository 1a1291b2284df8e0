"""docs/reference.md's table of link names is the whole truth about the shipped plugins:
every name an installed exercise offers (``Exercise.provides()``) or asks for
(``offered``/``offers`` with the name written out) has a row, the row names each exercise
that offers it, and no row is left that nothing uses.

What is offered is read from the registry; what is asked for is read from the source of
every installed plugin (and the core, whose questionnaire set-up asks too), since asking
happens inside pages and is declared nowhere else.
"""

from __future__ import annotations

import ast
import importlib
import re
from pathlib import Path

from placekit.plugins import get_plugin_manager
from placekit.testing import registry

REFERENCE = Path(__file__).resolve().parents[1] / "docs" / "reference.md"
ASKING = {"offered", "offers"}  # placekit's two ways of asking for a name
# The functions themselves: they pass on whatever name they are given.
DEFINES = Path(importlib.import_module("placekit.data.links").__file__ or "").resolve()


def documented() -> dict[str, tuple[str, str]]:
    """Link name -> (its "offered by" cell, its "asked for by" cell), from the table under
    "### Links between exercises"."""
    text = REFERENCE.read_text(encoding="utf-8")
    section = text.split("### Links between exercises", 1)[1].split("\n## ", 1)[0]
    rows: dict[str, tuple[str, str]] = {}
    for line in section.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if not line.startswith("| `") or len(cells) != 4:
            continue
        (name,) = re.findall(r"`([^`]+)`", cells[0])
        assert name not in rows, f"{name!r} has two rows in docs/reference.md"
        rows[name] = (cells[1], cells[2])
    assert rows, "docs/reference.md has no table of link names under Links between exercises"
    return rows


def offered_by() -> dict[str, set[str]]:
    """Link name -> the ids of the installed exercises that offer it."""
    found: dict[str, set[str]] = {}
    for exercise_id, exercise in registry().exercises.items():
        for name in exercise.provides():
            found.setdefault(name, set()).add(exercise_id)
    return found


def plugin_sources() -> set[Path]:
    """Every Python file of every installed plugin's package, and of the package each
    registered exercise's class comes from (the core's, for questionnaire exercises)."""
    packages = {
        getattr(plugin, "__name__", type(plugin).__module__).split(".")[0]
        for _name, plugin in get_plugin_manager().list_name_plugin()
    }
    packages |= {type(ex).__module__.split(".")[0] for ex in registry().exercises.values()}
    files: set[Path] = set()
    for package in packages:
        module = importlib.import_module(package)
        if not hasattr(module, "__path__"):  # a plugin that is one module, not a package
            files.add(Path(module.__file__ or "").resolve())
            continue
        for root in module.__path__:
            files |= {p.resolve() for p in Path(root).rglob("*.py") if "tests" not in p.parts}
    return files


def asked_for() -> tuple[dict[str, set[str]], list[str]]:
    """(link name -> the files that ask for it, calls whose name is not written out)."""
    found: dict[str, set[str]] = {}
    unreadable: list[str] = []
    for path in sorted(plugin_sources()):
        if path == DEFINES:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            called = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
            # Asking takes (responses, name); a one-argument ``offers`` is something else
            # (the asset importer's parser of "what an institution offers").
            name = node.args[1] if len(node.args) > 1 else None
            name = next((k.value for k in node.keywords if k.arg == "name"), name)
            if called not in ASKING or name is None:
                continue
            if isinstance(name, ast.Constant) and isinstance(name.value, str):
                found.setdefault(name.value, set()).add(f"{path.parent.name}/{path.name}")
            else:
                unreadable.append(f"{path}:{node.lineno}")
    return found, unreadable


def test_every_name_offered_is_in_the_table_with_who_offers_it() -> None:
    rows = documented()
    offered = offered_by()
    assert offered, "no installed exercise offers anything: the registry did not load"
    missing = sorted(set(offered) - set(rows))
    assert not missing, f"offered but not in docs/reference.md's table of link names: {missing}"
    for name, exercises in offered.items():
        cell = rows[name][0]
        unnamed = sorted(e for e in exercises if f"`{e}`" not in cell)
        assert not unnamed, f"{name!r}: the table's “offered by” does not name {unnamed}"


def test_every_name_asked_for_is_in_the_table() -> None:
    rows = documented()
    asked, unreadable = asked_for()
    assert "organisations" in asked, "the scan found nothing: is the source where it looks?"
    # A name worked out at run time cannot be checked against the table: write it out.
    assert not unreadable, f"ask for a link by a name written out as a string: {unreadable}"
    missing = sorted(set(asked) - set(rows))
    assert not missing, (
        f"asked for but not in docs/reference.md's table of link names: {missing}"
        f" (asked in {sorted(f for n in missing for f in asked[n])})"
    )
    for name, (_by, askers) in rows.items():
        nobody = askers.startswith("none")
        if name in asked:
            assert not nobody, f"{name!r} is asked for ({sorted(asked[name])}); the table says none"
        else:
            assert nobody, f"the table says {name!r} is asked for, but no shipped plugin asks"


def test_no_row_is_left_that_nothing_offers() -> None:
    stale = sorted(set(documented()) - set(offered_by()))
    assert not stale, f"docs/reference.md lists link names no installed exercise offers: {stale}"
