"""Registers every questionnaire file in ``questionnaires/``: no Python per questionnaire.

Adding a questionnaire to this plugin is adding a file; the core checks it when the kit
starts and reports a malformed one, naming the file, the item and the problem.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from placekit import hookimpl

PLACEKIT_API = 1

FOLDER = Path(__file__).resolve().parent / "questionnaires"

# The order they appear in on the index page: the partnership exercise first, then the
# place, then the personal self-assessments (the six dimensions' 360 beside its
# self-assessment, whose statements it reuses).
ORDER = (
    "trust-audit.toml",
    "place-compass.toml",
    "conversation-levels.toml",
    "systems-leadership.toml",
    "systems-leadership-360.toml",
    "gm-leadership-expectations.toml",
    "five-ways-to-wellbeing.toml",
)


def files() -> list[Path]:
    known = [FOLDER / name for name in ORDER]
    extra = sorted(p for p in FOLDER.glob("*.toml") if p.name not in ORDER)
    return known + extra


@hookimpl
def register_questionnaires(register: Callable[[Any], None]) -> None:
    for path in files():
        register(path)
