"""The public API: one curated list of names, every one documented, and the built-in
plugins using nothing else from the core (the same footing as a third-party plugin)."""

from __future__ import annotations

import ast
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

import placekit
import placekit.questionnaires
import placekit.testing

ROOT = Path(__file__).resolve().parents[1]
REFERENCE = (ROOT / "docs" / "reference.md").read_text(encoding="utf-8")
#: The modules a plugin may import from, and what each offers.
PUBLIC = {
    "placekit": set(placekit.__all__),
    "placekit.testing": set(placekit.testing.__all__),
    "placekit.questionnaires": set(placekit.questionnaires.__all__),
}


def _type_checking_names() -> set[str]:
    tree = ast.parse((ROOT / "placekit" / "__init__.py").read_text(encoding="utf-8"))
    (block,) = [
        n for n in tree.body if isinstance(n, ast.If) and "TYPE_CHECKING" in ast.unparse(n.test)
    ]
    return {
        a.asname or a.name
        for n in ast.walk(block)
        if isinstance(n, ast.ImportFrom)
        for a in n.names
    }


def test_type_checkers_see_exactly_the_public_names() -> None:
    assert _type_checking_names() == set(placekit.__all__) - {"open"}


@pytest.mark.parametrize("name", sorted(placekit.__all__))
def test_every_public_name_loads(name: str) -> None:
    assert getattr(placekit, name) is not None
    assert name in dir(placekit)


def test_an_unknown_name_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="no attribute 'Exercize'"):
        placekit.Exercize  # noqa: B018


@pytest.mark.parametrize(
    "module,name", sorted((module, name) for module, names in PUBLIC.items() for name in names)
)
def test_every_public_name_is_documented(module: str, name: str) -> None:
    assert re.search(rf"`(placekit\.)?{re.escape(name)}\b", REFERENCE), (
        f"{module}.{name} is public but docs/reference.md does not mention it"
    )


def private_imports(source: str) -> list[str]:
    """Imports from the core that are not public, as "module: name"."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            root = node.module.split(".")[0]
            if root != "placekit":
                continue
            allowed = PUBLIC.get(node.module)
            for alias in node.names:
                if allowed is None or alias.name not in allowed:
                    found.append(f"{node.module}: {alias.name}")
        elif isinstance(node, ast.Import):
            found += [a.name for a in node.names if a.name.startswith("placekit.")]
    return found


def test_the_check_catches_a_private_import() -> None:
    source = "from placekit.data.store import Store\nfrom placekit import Responses, _PUBLIC\n"
    assert private_imports(source) == ["placekit.data.store: Store", "placekit: _PUBLIC"]


@pytest.mark.parametrize(
    "path", sorted(ROOT.glob("plugins/*/**/*.py")), ids=lambda p: str(p.relative_to(ROOT))
)
def test_built_in_plugins_import_only_public_names(path: Path) -> None:
    assert private_imports(path.read_text(encoding="utf-8")) == []


def test_the_scaffold_imports_only_public_names() -> None:
    for template in (ROOT / "placekit" / "dev" / "templates").rglob("*.py.tmpl"):
        source = re.sub(r"\$\w+", "name", template.read_text(encoding="utf-8"))
        assert private_imports(source) == [], template.name


def test_import_placekit_loads_nothing_heavy() -> None:
    probe = (
        "import json, sys, placekit\n"
        "heavy = ('ipywidgets', 'pandas', 'sqlalchemy', 'altair', 'pyarrow')\n"
        "print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] in heavy)))"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert json.loads(done.stdout) == [], done.stderr
