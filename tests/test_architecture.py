"""The core's shape (docs/architecture.md): no import cycles, and each layer imports only
the layers below it. Function-local imports count; ``if TYPE_CHECKING:`` imports do not, as
they never run."""

from __future__ import annotations

import ast
from pathlib import Path

import grimp
import pytest

# Top to bottom; a layer may import any layer below it, never one above. Modules sharing a
# line are independent of each other.
LAYERS = [
    "__main__",  # python -m placekit: the command line, nothing more
    "cli",
    {"lab", "dev", "testing"},
    "web",
    "live",
    "plugins",
    "questionnaires",
    "widgets",
    {"data", "importing"},
    "exercise",
    {"hookspecs", "clock", "errors", "_moved"},
]


@pytest.fixture(scope="module")
def graph() -> grimp.ImportGraph:
    return grimp.build_graph("placekit", exclude_type_checking_imports=True, cache_dir=None)


def cycles(graph: grimp.ImportGraph) -> list[list[str]]:
    """Every group of modules that import each other, directly or round a loop (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(module: str) -> None:
        index[module] = low[module] = len(index)
        stack.append(module)
        for other in sorted(graph.find_modules_directly_imported_by(module)):
            if other not in index:
                visit(other)
                low[module] = min(low[module], low[other])
            elif other in stack:
                low[module] = min(low[module], index[other])
        if low[module] == index[module]:
            group = []
            while True:
                member = stack.pop()
                group.append(member)
                if member == module:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for module in sorted(graph.modules):
        if module not in index:
            visit(module)
    return found


def test_no_module_of_the_core_imports_itself_round_a_loop(graph: grimp.ImportGraph) -> None:
    assert cycles(graph) == []


def test_the_cycle_finder_finds_a_loop() -> None:
    loop = grimp.ImportGraph()
    for name in ("pkg", "pkg.a", "pkg.b", "pkg.c"):
        loop.add_module(name)
    loop.add_import(importer="pkg.a", imported="pkg.b")
    loop.add_import(importer="pkg.b", imported="pkg.c")
    loop.add_import(importer="pkg.c", imported="pkg.a")
    assert cycles(loop) == [["pkg.a", "pkg.b", "pkg.c"]]


def test_each_layer_imports_only_the_layers_below_it(graph: grimp.ImportGraph) -> None:
    layers = [grimp.Layer(*sorted(x)) if isinstance(x, set) else x for x in LAYERS]
    illegal = graph.find_illegal_dependencies_for_layers(layers=layers, containers={"placekit"})
    shown = sorted(
        f"{dep.importer} -> {dep.imported}: "
        + "; ".join(
            " -> ".join([min(route.heads), *route.middle, min(route.tails)]) for route in dep.routes
        )
        for dep in illegal
    )
    assert shown == []


def test_every_module_of_the_core_has_a_layer(graph: grimp.ImportGraph) -> None:
    named = {n for layer in LAYERS for n in ([layer] if isinstance(layer, str) else layer)}
    children = {m.split(".")[1] for m in graph.modules if m != "placekit"}
    assert children <= named, f"no layer for: {sorted(children - named)}"


def test_every_import_inside_a_function_says_why_it_is_lazy() -> None:
    """An import inside a function is there on purpose (start-up time, an optional
    library), and says so in a comment on it or just above it."""

    unexplained = []
    root = Path(__file__).resolve().parents[1] / "placekit"
    for path in sorted(root.rglob("*.py")):
        lines = path.read_text(encoding="utf-8").split("\n")
        for node in ast.walk(ast.parse("\n".join(lines))):
            if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            for inner in ast.walk(node):
                if isinstance(inner, ast.Import | ast.ImportFrom):
                    near = "\n".join(lines[max(0, inner.lineno - 4) : inner.lineno])
                    if "#" not in near and "lazy" not in near.lower():
                        unexplained.append(f"{path.relative_to(root)}:{inner.lineno}")
    assert unexplained == []
