"""What every page pays before its first widget: no heavy library on the start-up path.

Voila starts a kernel per page load and every kernel loads every installed plugin, so an
import at plugin load costs every visitor (measured: Altair there made a cold page 1.5x
an empty notebook instead of 1.2x; see bench/voila_tti.py). A member's page needs neither
pandas nor Arrow, and a facilitator's results page shows before its charts are drawn, so
it never waits for Altair. Timing belongs to bench/; this checks the cause,
deterministically, each check in a fresh interpreter as a page's kernel is.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

#: What no page may import before its first widget.
HEAVY = ("altair", "vl_convert", "networkx", "voila", "jupyter_server", "openpyxl")
#: What a member's page and the index do not need either: tables are for results.
TABLES = ("pandas", "numpy", "pyarrow", "sqlalchemy.orm")
#: Member pages that show or read a table, and so may import pandas: the asset map's and
#: the demand study's file imports, and the story-of-us board of shared values.
TABLE_PAGES = {("assets", "inventory"), ("demand", "import"), ("narrative", "board")}

# Run first in every probe: notes which line of PlaceKit or a plugin first imported each
# watched module, so a failure names the import to make lazy.
WATCH = f"""
import json, os, sys, traceback
WATCHED = {HEAVY + TABLES!r}
FIRST = {{}}

class Watch:
    def find_spec(self, name, path=None, target=None):
        if name in WATCHED and name not in FIRST:
            ours = [f for f in traceback.extract_stack() if "placekit" in f.filename]
            FIRST[name] = f"{{ours[-1].filename}}:{{ours[-1].lineno}}" if ours else "?"

sys.meta_path.insert(0, Watch())

def loaded(names):
    return {{m: FIRST.get(m, "?") for m in names if m in sys.modules}}
"""

WORKBOOK = """
from placekit.data.access import create_workbook
from placekit.data.store import Store
from placekit.plugins import get_registry
from placekit.testing import ExerciseDriver, TestWorkbook, charts_of

store = Store(os.environ["PLACEKIT_DB"])
_id, team, facilitator = create_workbook(store, "Probe")
workbook = TestWorkbook(store, "Probe", team, facilitator)
exercises = get_registry().exercises
"""


def probe(tmp_path: Path, code: str) -> Any:
    """Run ``code`` after WATCH in a fresh interpreter with a throwaway database; the JSON
    it prints last."""
    done = subprocess.run(
        [sys.executable, "-c", WATCH + code],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={"PLACEKIT_DB": str(tmp_path / "pk.db"), "PATH": "/usr/bin:/bin"},
        timeout=600,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_loading_every_plugin_imports_no_heavy_library(tmp_path: Path) -> None:
    exercises, found = probe(
        tmp_path,
        "import placekit.web.pages\n"
        "from placekit.plugins import get_registry\n"
        "registry = get_registry()\n"
        f"print(json.dumps([sorted(registry.exercises), loaded({HEAVY + TABLES!r})]))",
    )
    assert {"triage", "assets", "demand", "trust-audit", "allies", "narrative"} <= set(exercises)
    assert found == {}, f"imported while loading plugins (first by): {found}"


def test_a_members_pages_import_no_heavy_library(tmp_path: Path) -> None:
    """Every page a new member can open, in every installed exercise, but those that show
    a table (``TABLE_PAGES``): the wizard, the task list and the page itself."""
    found = probe(
        tmp_path,
        WORKBOOK
        + f"""
found = {{}}
for exercise_id in sorted(exercises):
    ann = ExerciseDriver(workbook, exercise_id, "Ann")
    for page in ann.wizard.pages:
        if (exercise_id, page.id) in {TABLE_PAGES!r} or page.locked(ann.responses):
            continue
        ann.goto(page.id)
        found = loaded({HEAVY + TABLES!r})
        if found:
            found["page"] = f"{{exercise_id}}: {{page.id}}"
            break
    if found:
        break
print(json.dumps(found))
""",
    )
    assert found == {}, f"imported by a member's page (first by): {found}"


def test_results_pages_show_before_altair_then_draw_their_charts(tmp_path: Path) -> None:
    """Each exercise's results page, with the demo's answers: built without importing
    Altair; drawing its charts (as the page does once on screen) gives every figure."""
    before, charts = probe(
        tmp_path,
        WORKBOOK
        + """
names = ["Ann", "Bob", "Cy", "Di", "Ed"]
by_id = {workbook.join(name).id: name for name in names}
for exercise in exercises.values():
    exercise.seed_demo(lambda m, e=exercise.id: workbook.responses(e, by_id.get(m)), list(by_id))
views = {exercise_id: workbook.results(exercise_id) for exercise_id in exercises}
before = loaded(("altair", "vl_convert"))
charts = {}
for exercise_id, view in views.items():
    figures = workbook.summary(exercise_id).figures
    charts[exercise_id] = [len(charts_of(view)), len(figures)]
print(json.dumps([before, charts]))
""",
    )
    assert before == {}, f"imported while building results pages (first by): {before}"
    assert all(drawn == figures for drawn, figures in charts.values()), charts
    assert sum(drawn for drawn, _figures in charts.values()) >= 5, charts
