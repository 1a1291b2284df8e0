"""PlaceKit: guided Jupyter workbooks for place-based leadership teams."""

from __future__ import annotations

from typing import TYPE_CHECKING

from placekit.hookspecs import hookimpl

if TYPE_CHECKING:
    from placekit.workbook import Workbook

__all__ = ["PLUGIN_API", "hookimpl", "open"]

#: The plugin API this PlaceKit provides. A plugin module declares the one it was written
#: for as ``PLACEKIT_API``; a mismatch is reported instead of loading the plugin. Raised
#: only when a change would break existing plugins.
PLUGIN_API = 1


def open(code: str, db: str | None = None) -> Workbook:  # noqa: A001 - reads like a file
    """Open a workbook by its team or facilitator code, for analysis in Python.

    >>> wb = placekit.open("…facilitator code…")
    >>> wb.frame("triage")
    """
    from placekit.workbook import open_workbook

    return open_workbook(code, db=db)
