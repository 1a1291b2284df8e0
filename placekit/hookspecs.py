"""The PlaceKit plugin contract.

Every hook is named ``register_*`` and receives a ``register`` callback rather than
returning objects, so the core can validate each registration as it is made and name the
plugin at fault (the pattern of datasette and llm). Each hook is documented in
``docs/hooks.md``; a test fails when one is not.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pluggy

#: The plugin API this PlaceKit provides (``placekit.PLUGIN_API``). A plugin module declares
#: the one it was written for as ``PLACEKIT_API``; a mismatch is reported instead of loading
#: the plugin. Raised only when a change would break existing plugins.
PLUGIN_API = 1

hookspec = pluggy.HookspecMarker("placekit")
hookimpl = pluggy.HookimplMarker("placekit")


@hookspec
def register_exercises(register: Callable[[Any], None]) -> None:
    """Register exercises: call ``register(exercise)`` once per ``placekit.Exercise``."""


@hookspec
def register_exporters(register: Callable[[Any], None]) -> None:
    """Register exporters: call ``register(exporter)`` once per ``placekit.Exporter``."""


@hookspec
def register_questionnaires(register: Callable[[Any], None]) -> None:
    """Register questionnaires declared as data: call ``register(path)`` once per file
    (TOML, YAML or JSON); each becomes an exercise with no code of its own."""


@hookspec
def register_workbook_templates(register: Callable[[Any], None]) -> None:
    """Register workbook templates: call ``register(path)`` once per template file (TOML or
    JSON): a design (exercises, order, welcome, durations) a facilitator can start a
    workbook from."""
