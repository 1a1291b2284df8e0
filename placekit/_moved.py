"""Old import paths of plugin API 1, kept working with a warning until plugin API 2.

The core used to be one flat folder, and plugins imported from its modules directly
(``from placekit.ui import button``). Those modules moved into subpackages and everything
a plugin needs is now public in ``placekit`` itself. A plugin written against the old paths
still loads: importing one gives a stand-in module that finds each name where it went, and
warns once (``DeprecationWarning``) saying what to import instead.
"""

from __future__ import annotations

import importlib
import importlib.abc
import importlib.machinery
import sys
import types
import warnings
from typing import Any

#: Old module -> the modules its names went to, searched in order.
MOVED: dict[str, tuple[str, ...]] = {
    "placekit.access": ("placekit.data.access",),
    "placekit.store": ("placekit.data.store",),
    "placekit.privacy": ("placekit.data.privacy",),
    "placekit.responses": ("placekit.data.responses",),
    "placekit.links": ("placekit.data.links",),
    "placekit.upgrade": ("placekit.data.upgrade",),
    "placekit.export": ("placekit.data.export",),
    "placekit.coerce": ("placekit.importing.coerce",),
    "placekit.personal_data": ("placekit.importing.personal_data",),
    "placekit.ui": ("placekit.widgets.html",),
    "placekit.checkbox_group": ("placekit.widgets.checkboxes",),
    "placekit.stopwatch": ("placekit.widgets.stopwatch",),
    "placekit.radar_chart": ("placekit.widgets.radar",),
    "placekit.charts": ("placekit.widgets.charts",),
    "placekit.import_widget": ("placekit.widgets.import_widget",),
    "placekit.pages": ("placekit.web.pages", "placekit.web.results", "placekit.widgets.download"),
    "placekit.wizard": ("placekit.web.wizard",),
    "placekit.serve": ("placekit.web.serve",),
    "placekit.browser": ("placekit.web.browser",),
    "placekit.logs": ("placekit.web.logs",),
    "placekit.questionnaire": ("placekit.questionnaires.model",),
    "placekit.questionnaire_exercise": (
        "placekit.questionnaires.exercise",
        "placekit.questionnaires.answers",
    ),
    "placekit.questionnaire_pages": ("placekit.questionnaires.pages",),
    "placekit.questionnaire_results": ("placekit.questionnaires.results",),
    "placekit.questionnaire_rounds": (
        "placekit.questionnaires.rounds",
        "placekit.questionnaires.rounds_panel",
    ),
    "placekit.questionnaire_demo": ("placekit.questionnaires.demo",),
    "placekit.survey_stats": ("placekit.questionnaires.stats",),
    "placekit.survey_charts": ("placekit.questionnaires.charts",),
    "placekit.workbook": ("placekit.lab.workbook",),
    "placekit.scaffold": ("placekit.dev.scaffold",),
    "placekit.demo": ("placekit.dev.demo",),
}


def stand_in(old: str, targets: tuple[str, ...]) -> types.ModuleType:
    """A module named ``old`` whose attributes are looked up in ``targets``."""
    module = types.ModuleType(old, f"Moved: see {', '.join(targets)} (plugin API 1 path).")

    def find(name: str) -> Any:
        for target in targets:
            found = importlib.import_module(target)
            if hasattr(found, name):
                return getattr(found, name)
        raise AttributeError(f"module {old!r} has no attribute {name!r}")

    module.__getattr__ = find  # type: ignore[method-assign]
    return module


class _MovedFinder(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    def find_spec(self, fullname: str, path: Any = None, target: Any = None) -> Any:
        if fullname not in MOVED:
            return None
        return importlib.machinery.ModuleSpec(fullname, self)

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> types.ModuleType:
        warnings.warn(
            f"{spec.name} moved to {MOVED[spec.name][0]}; import what a plugin needs from"
            " placekit itself (see docs/reference.md). The old path goes with plugin API 2.",
            DeprecationWarning,
            stacklevel=2,
        )
        return stand_in(spec.name, MOVED[spec.name])

    def exec_module(self, module: types.ModuleType) -> None:
        return None


def install() -> None:
    """Let the old paths import (once per process)."""
    if not any(isinstance(f, _MovedFinder) for f in sys.meta_path):
        sys.meta_path.append(_MovedFinder())
