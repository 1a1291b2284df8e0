"""What every page pays before its first widget: no heavy library on the start-up path.

Voila starts a kernel per page load and every kernel loads every installed plugin, so an
import at plugin load costs every visitor (measured: Altair there made a cold page 1.5x
an empty notebook instead of 1.2x; see bench/voila_tti.py). Timing belongs to bench/;
this checks the cause, deterministically.
"""

from __future__ import annotations

import json
import subprocess
import sys

HEAVY = ("altair", "vl_convert", "networkx", "voila", "jupyter_server", "openpyxl")


def test_loading_every_plugin_imports_no_heavy_library(tmp_path):
    probe = (
        "import json, sys\n"
        "import placekit.web.pages\n"
        "from placekit.plugins import get_registry\n"
        "registry = get_registry()\n"
        f"loaded = [m for m in {HEAVY!r} if m in sys.modules]\n"
        "print(json.dumps([sorted(registry.exercises), loaded]))"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe],
        capture_output=True,
        text=True,
        check=True,
        cwd=tmp_path,
        env={"PLACEKIT_DB": str(tmp_path / "pk.db"), "PATH": "/usr/bin:/bin"},
    )
    exercises, loaded = json.loads(done.stdout.strip().splitlines()[-1])
    assert {"triage", "assets", "demand", "trust-audit", "allies", "narrative"} <= set(exercises)
    assert loaded == [], f"imported while loading plugins: {loaded}"
