"""Two lenses on the trust audit, declared as data: Covey's thirteen behaviours of trust
and Horsager's eight pillars (exercise notes, C.2 and C.3). Each is a file in
``questionnaires/``; PlaceKit's questionnaire engine makes each an exercise, with no Python
of its own. Adding another lens is adding a file here.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from placekit import hookimpl

PLACEKIT_API = 1

FOLDER = Path(__file__).resolve().parent / "questionnaires"


def files() -> list[Path]:
    return sorted(FOLDER.glob("*.toml"))


@hookimpl
def register_questionnaires(register: Callable[[Any], None]) -> None:
    for path in files():
        register(path)
