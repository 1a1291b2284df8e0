"""Registers every workbook template in ``designs/``: a ready design is a file, not code.

Adding a design to this plugin is adding a file; the core checks it when the kit starts
and reports a malformed one, naming the file and each problem. A design may name
exercises from other plugins: a workbook started from it leaves out, and names, any that
are not installed.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from placekit import hookimpl

PLACEKIT_API = 1

FOLDER = Path(__file__).resolve().parent / "designs"


def files() -> list[Path]:
    return sorted(FOLDER.glob("*.toml"))


@hookimpl
def register_workbook_templates(register: Callable[[Any], None]) -> None:
    for path in files():
        register(path)
