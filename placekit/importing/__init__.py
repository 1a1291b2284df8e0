"""Importing: reading a team's own files (CSV, Excel) against a declared schema, cell by
cell, with plain-English problems and a personal-data scan. Pure Python and pandas.
"""

from __future__ import annotations

import warnings
from typing import Any

_SUBMODULES = {"coerce", "files", "personal_data"}


def __getattr__(name: str) -> Any:
    # Plugin API 1 imported these from ``placekit.importing`` itself (now ``.files``).
    if name in _SUBMODULES or name.startswith("__"):
        raise AttributeError(f"module 'placekit.importing' has no attribute {name!r}")
    from placekit.importing import files

    if not hasattr(files, name):
        raise AttributeError(f"module 'placekit.importing' has no attribute {name!r}")
    warnings.warn(
        f"placekit.importing.{name} moved to placekit.importing.files; import it from"
        " placekit itself where it is public. The old path goes with plugin API 2.",
        DeprecationWarning,
        stacklevel=2,
    )
    return getattr(files, name)
