"""PlaceKit: guided Jupyter workbooks for place-based leadership teams."""

from __future__ import annotations

from typing import TYPE_CHECKING

from placekit.hookspecs import hookimpl

if TYPE_CHECKING:
    from placekit.workbook import Workbook

__all__ = ["hookimpl", "open"]


def open(code: str, db: str | None = None) -> Workbook:  # noqa: A001 - reads like a file
    """Open a workbook by its team or facilitator code, for analysis in Python.

    >>> wb = placekit.open("…facilitator code…")
    >>> wb.frame("triage")
    """
    from placekit.workbook import open_workbook

    return open_workbook(code, db=db)
