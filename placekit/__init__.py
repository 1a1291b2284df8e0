"""PlaceKit: guided Jupyter workbooks for place-based leadership teams.

This module is the public API: everything a plugin or an analyst needs is importable from
``placekit`` (and test helpers from ``placekit.testing``, the questionnaire engine from
``placekit.questionnaires``). Every name here is documented in ``docs/reference.md``; a test
fails when one is not, and when a built-in plugin imports anything else from the core.

Names load on first use (PEP 562), so ``import placekit`` costs almost nothing: a page pays
for widgets, pandas or the store only when it uses them.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from placekit import _moved

_moved.install()  # plugin API 1's import paths keep working, with a warning

# Public name -> "module:attribute". Grouped as docs/reference.md is.
_PUBLIC: dict[str, str] = {
    # the plugin contract
    "PLUGIN_API": "placekit.hookspecs:PLUGIN_API",
    "hookimpl": "placekit.hookspecs:hookimpl",
    "Exercise": "placekit.exercise:Exercise",
    "Page": "placekit.exercise:Page",
    "Field": "placekit.exercise:Field",
    "RecordKind": "placekit.exercise:RecordKind",
    "Summary": "placekit.exercise:Summary",
    "Figure": "placekit.exercise:Figure",
    "FieldError": "placekit.exercise:FieldError",
    "field_errors": "placekit.exercise:field_errors",
    "PageContext": "placekit.web.wizard:PageContext",
    "Exporter": "placekit.data.export:Exporter",
    # responses and links between exercises
    "Responses": "placekit.data.responses:Responses",
    "Entry": "placekit.data.store:Entry",
    "DatasetVersion": "placekit.data.store:DatasetVersion",
    "GroupRule": "placekit.data.privacy:GroupRule",
    "offered": "placekit.data.links:offered",
    "offers": "placekit.data.links:offers",
    "Offer": "placekit.data.links:Offer",
    # errors
    "PlaceKitError": "placekit.errors:PlaceKitError",
    "ConflictError": "placekit.data.store:ConflictError",
    "DatasetConflictError": "placekit.data.store:DatasetConflictError",
    # building blocks for pages
    "esc": "placekit.widgets.html:esc",
    "html_box": "placekit.widgets.html:html_box",
    "button": "placekit.widgets.html:button",
    "table_html": "placekit.widgets.html:table_html",
    "interactive_chart": "placekit.widgets.charts:interactive",
    "chart_with_table": "placekit.widgets.charts:chart_with_table",
    "radar_chart": "placekit.widgets.radar:radar",
    "PALETTE": "placekit.widgets.palette:PALETTE",
    "Stopwatch": "placekit.widgets.stopwatch:Stopwatch",
    "CheckboxGroup": "placekit.widgets.checkboxes:CheckboxGroup",
    "ConfirmBox": "placekit.widgets.confirm:ConfirmBox",
    "RecordList": "placekit.widgets.record_list:RecordList",
    "removed_list": "placekit.widgets.record_list:removed_list",
    "new_record_id": "placekit.data.records:new_record_id",
    "recently_removed": "placekit.data.records:recently_removed",
    "ImportWidget": "placekit.widgets.import_widget:ImportWidget",
    "download_link": "placekit.widgets.download:download_link",
    "downloads": "placekit.web.results:downloads",
    # tables into files
    "write_csv": "placekit.data.export:write_csv",
    "write_excel": "placekit.data.export:write_excel",
    "neutralise": "placekit.data.export:neutralise",
    "export_files": "placekit.data.export:export_files",
    "ExportFile": "placekit.data.export:ExportFile",
    # reading a team's own files
    "Schema": "placekit.importing.files:Schema",
    "Column": "placekit.importing.files:Column",
    "Preview": "placekit.importing.files:Preview",
    "PROBLEM_COLUMNS": "placekit.importing.files:PROBLEM_COLUMNS",
    "read_and_preview": "placekit.importing.files:read_and_preview",
    "match_columns": "placekit.importing.files:match_columns",
    "normalise_word": "placekit.importing.coerce:normalise_word",
    # the place's clock
    "now": "placekit.clock:now",
    "local_time": "placekit.clock:local",
    # for analysts
    "Workbook": "placekit.lab.workbook:Workbook",
}

__all__ = ["open", *_PUBLIC]


def __getattr__(name: str) -> Any:
    target = _PUBLIC.get(name)
    if target is None:
        raise AttributeError(f"module 'placekit' has no attribute {name!r}")
    module, attribute = target.split(":")
    value = getattr(importlib.import_module(module), attribute)
    globals()[name] = value  # later lookups skip __getattr__
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})


def open(code: str, db: str | None = None) -> Workbook:  # noqa: A001 - reads like a file
    """Open a workbook by its team or facilitator code, for analysis in Python.

    >>> wb = placekit.open("…facilitator code…")
    >>> wb.frame("triage")
    """
    from placekit.lab.workbook import open_workbook  # lazy: the store loads when used

    return open_workbook(code, db=db)


if TYPE_CHECKING:  # the same names, for type checkers and editors (a test keeps them equal)
    from placekit.clock import local as local_time
    from placekit.clock import now
    from placekit.data.export import (
        Exporter,
        ExportFile,
        export_files,
        neutralise,
        write_csv,
        write_excel,
    )
    from placekit.data.links import Offer, offered, offers
    from placekit.data.privacy import GroupRule
    from placekit.data.records import new_record_id, recently_removed
    from placekit.data.responses import Responses
    from placekit.data.store import ConflictError, DatasetConflictError, DatasetVersion, Entry
    from placekit.errors import PlaceKitError
    from placekit.exercise import (
        Exercise,
        Field,
        FieldError,
        Figure,
        Page,
        RecordKind,
        Summary,
        field_errors,
    )
    from placekit.hookspecs import PLUGIN_API, hookimpl
    from placekit.importing.coerce import normalise_word
    from placekit.importing.files import (
        PROBLEM_COLUMNS,
        Column,
        Preview,
        Schema,
        match_columns,
        read_and_preview,
    )
    from placekit.lab.workbook import Workbook
    from placekit.web.results import downloads
    from placekit.web.wizard import PageContext
    from placekit.widgets.charts import chart_with_table
    from placekit.widgets.charts import interactive as interactive_chart
    from placekit.widgets.checkboxes import CheckboxGroup
    from placekit.widgets.confirm import ConfirmBox
    from placekit.widgets.download import download_link
    from placekit.widgets.html import button, esc, html_box, table_html
    from placekit.widgets.import_widget import ImportWidget
    from placekit.widgets.palette import PALETTE
    from placekit.widgets.radar import radar as radar_chart
    from placekit.widgets.record_list import RecordList, removed_list
    from placekit.widgets.stopwatch import Stopwatch
