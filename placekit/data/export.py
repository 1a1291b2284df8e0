"""Exporters turn an exercise's result tables into files; CSV and Excel are built in.

Exporters are a hook (``register_exporters``) so a plugin can add, say, a board-paper
format. No text cell may become a live formula in someone's spreadsheet (a name typed as
``=HYPERLINK(…)``): CSV cells get the apostrophe prefix (``neutralise()``); Excel cells are
stored as text with Excel's quote-prefix flag, so the reader sees exactly what was typed.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from placekit import clock
from placekit.hookspecs import hookimpl

if TYPE_CHECKING:
    import pandas as pd

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Exporter:
    id: str
    label: str
    extension: str
    media_type: str
    #: tables (title -> DataFrame) -> file bytes
    write: Callable[[Mapping[str, pd.DataFrame]], bytes]
    #: True when each table is a file of its own (CSV); False for one file of all (Excel)
    per_table: bool = False


def _neutral(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value  # the apostrophe spreadsheets read as "this is text"
    return value


def neutralise(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy in which no text cell (or header) can be read as a spreadsheet formula."""
    import pandas as pd  # lazy: every kernel loads this module with the plugins; few export

    out = frame.copy()
    out.columns = [_neutral(str(c)) for c in out.columns]
    for column in out.columns:
        if out[column].dtype == object or pd.api.types.is_string_dtype(out[column]):
            out[column] = out[column].map(_neutral)
    return out


def _local_naive(value: Any) -> Any:
    if isinstance(value, datetime) and value.tzinfo is not None:
        return clock.local(value).replace(tzinfo=None)
    return value


def _plain(frame: pd.DataFrame) -> pd.DataFrame:
    # Excel cannot store time zones: write the time the place's clocks showed (placekit.clock).
    import pandas as pd  # lazy, as in neutralise

    out = frame.copy()
    for column in out.columns:
        if isinstance(out[column].dtype, pd.DatetimeTZDtype):
            out[column] = out[column].dt.tz_convert(clock.zone()).dt.tz_localize(None)
        elif out[column].dtype == object:
            # Aware datetimes with different offsets (or mixed with text) stay objects.
            out[column] = out[column].map(_local_naive)
    return out


def write_csv(tables: Mapping[str, pd.DataFrame]) -> bytes:
    (frame,) = tables.values()
    # utf-8-sig so Excel on Windows opens accented names correctly.
    return neutralise(frame).to_csv(index=False).encode("utf-8-sig")


def sheet_name(title: str, taken: set[str]) -> str:
    """A valid, unique Excel sheet name (≤ 31 characters, none of []:*?/\\).

    Excel also refuses a name that starts or ends with an apostrophe, and "History".
    """
    base = re.sub(r"[\[\]:*?/\\\x00-\x1f]", " ", title).strip(" '")[:31].strip(" '") or "Sheet"
    name, n = base, 2
    while name.lower() in taken or name.lower() == "history":
        suffix = f" ({n})"
        name, n = base[: 31 - len(suffix)] + suffix, n + 1
    taken.add(name.lower())
    return name


def write_excel(tables: Mapping[str, pd.DataFrame]) -> bytes:
    import pandas as pd  # lazy, as in neutralise

    buffer = io.BytesIO()
    taken: set[str] = set()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        for title, frame in tables.items():
            name = sheet_name(title, taken)
            _plain(frame).to_excel(writer, sheet_name=name, index=False)
            for row in writer.sheets[name].iter_rows():
                for cell in row:
                    if isinstance(cell.value, str) and cell.value.startswith(FORMULA_START):
                        # Text, never a formula; Excel's own "quote prefix" flag does what a
                        # typed apostrophe does without putting one in the board paper.
                        cell.data_type = "s"
                        cell.quotePrefix = True
    return buffer.getvalue()


CSV = Exporter("csv", "CSV", "csv", "text/csv", write_csv, per_table=True)
EXCEL = Exporter(
    "excel",
    "Excel",
    "xlsx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    write_excel,
)


@dataclass(frozen=True)
class ExportFile:
    """One file an exporter made: what to call it, what it is, and its bytes."""

    filename: str
    label: str
    media_type: str
    payload: bytes


def file_slug(text: str) -> str:
    """``text`` as a file name part: lower-case letters and digits joined by ``-``."""
    keep = "".join(c.lower() if c.isalnum() else "-" for c in text)
    return "-".join(part for part in keep.split("-") if part)[:60] or "results"


def export_files(
    exporter: Exporter, title: str, tables: Mapping[str, pd.DataFrame]
) -> list[ExportFile]:
    """The files ``exporter`` makes of ``tables``, named from ``title``: one file of every
    table (``<title>.xlsx``), or for a per-table format one file each
    (``<title>-<table>.csv``). The facilitator's page and ``placekit export`` both write
    exactly these."""
    stem = file_slug(title)
    if not exporter.per_table:
        name = f"{stem}.{exporter.extension}"
        label = f"All results ({exporter.label})"
        return [ExportFile(name, label, exporter.media_type, exporter.write(tables))]
    return [
        ExportFile(
            f"{stem}-{file_slug(name)}.{exporter.extension}",
            f"{name} ({exporter.label})",
            exporter.media_type,
            exporter.write({name: frame}),
        )
        for name, frame in tables.items()
    ]


@hookimpl
def register_exporters(register: Callable[[Exporter], None]) -> None:
    register(CSV)
    register(EXCEL)
