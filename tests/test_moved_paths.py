"""A plugin written for plugin API 1 imported from the core's old flat modules; those
paths still work, each with a warning naming the new place."""

from __future__ import annotations

import subprocess
import sys

import pytest

import placekit


@pytest.mark.parametrize(
    "old,name,now",
    [
        ("placekit.ui", "button", placekit.button),
        ("placekit.responses", "Responses", placekit.Responses),
        ("placekit.pages", "download_link", placekit.download_link),
        ("placekit.pages", "results_view", None),
        ("placekit.importing", "Schema", placekit.Schema),
        ("placekit.questionnaire_rounds", "facilitator_panel", None),
    ],
)
def test_an_old_path_imports_with_a_warning(old: str, name: str, now: object) -> None:
    probe = (
        "import warnings, sys\n"
        "warnings.simplefilter('error', DeprecationWarning)\n"
        "try:\n"
        f"    exec('from {old} import {name}')\n"
        "except DeprecationWarning as w:\n"
        "    print('warned:', w)\n"
        "warnings.simplefilter('ignore', DeprecationWarning)\n"
        f"exec('from {old} import {name} as found')\n"
        "print('found:', found.__module__ if hasattr(found, '__module__') else found)\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert "warned:" in done.stdout and "moved to placekit." in done.stdout
    assert "plugin API 2" in done.stdout
    if now is not None:
        assert f"found: {now.__module__}" in done.stdout


def test_a_name_that_never_existed_is_still_an_import_error() -> None:
    with pytest.warns(DeprecationWarning), pytest.raises(ImportError):
        from placekit.ui import no_such_thing  # noqa: F401
