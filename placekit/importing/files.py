"""Importing CSV and Excel files into a declared schema, with every problem found up front.

Shared by any exercise that takes a spreadsheet (demand records, asset lists, …):

1. ``read_file`` reads the bytes of an upload: CSV in UTF-8 (with or without a byte-order
   mark) or Windows-1252, comma / semicolon / tab separated, or an Excel workbook (.xlsx);
   anything else (a PDF, an image, an old .xls) gets a plain message saying what to do.
   Every cell is read as text, so nothing is guessed before the schema has its say.
2. ``match_columns`` pairs file headings with schema columns by normalised name and
   aliases; the person importing can map the others explicitly.
3. ``preview`` converts every column to its type (UK dates day first; the words of a
   choice column matched as ``values`` says, with the person's own ``values`` choices) and
   returns the typed ``DataFrame`` with **every** problem as (row as numbered in the
   user's spreadsheet, column, value, message), plus personal-data warnings and what each
   unusual word of a choice column was read as. Messages name columns and values in the
   schema's plain words (``Column.label``, ``choice_labels``), never internal codes.
   Nothing is saved here: the caller saves all rows in one transaction, or none.

All of it is vectorised (Arrow and NumPy), because a case-system export can hold a million
rows and the preview must stay interactive.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pcsv

from placekit.errors import PlaceKitError
from placekit.importing import coerce, values
from placekit.importing.personal_data import PersonalData, scan
from placekit.importing.values import ValueMatch

ColumnType = Literal["id", "string", "text", "choice", "bool", "int", "decimal", "datetime"]
Progress = Callable[[float, str], None]  # (fraction done, what is happening)

_FIX = "Export the data as CSV or Excel (.xlsx) and upload that file."


class UnreadableFile(PlaceKitError):
    """The file cannot be read as a table at all; the message says why and what to do."""


@dataclass(frozen=True)
class Column:
    """One column of a schema: how it is named in files and what it may hold."""

    name: str
    type: ColumnType = "string"
    required: bool = False
    aliases: tuple[str, ...] = ()  # other headings that mean this column
    choices: tuple[str, ...] = ()  # stored values, for "choice"
    choice_aliases: Mapping[str, str] = field(default_factory=dict)  # other word -> value
    choice_labels: Mapping[str, str] = field(default_factory=dict)  # value -> plain words
    max_length: int | None = None  # for text types
    minimum: float | None = None  # for numbers
    unique: bool = False
    label: str = ""  # shown in the mapping step; defaults to the name

    @property
    def title(self) -> str:
        return self.label or self.name

    def label_of(self, value: str) -> str:
        """A stored value in plain words ("face_to_face" is "Face to face")."""
        if value == values.EMPTY:
            return "(leave it empty)"
        return self.choice_labels.get(value) or value.replace("_", " ").capitalize()


@dataclass(frozen=True)
class Schema:
    columns: tuple[Column, ...]

    def column(self, name: str) -> Column:
        for column in self.columns:
            if column.name == name:
                return column
        raise KeyError(f"the file has no column {name!r} (its columns: {', '.join(self.names)})")

    @property
    def names(self) -> list[str]:
        return [c.name for c in self.columns]

    def empty(self) -> pd.DataFrame:
        """A table of this schema with no rows: every column there, of its own type."""
        return pd.DataFrame({c.name: _empty(c, 0) for c in self.columns})


@dataclass
class RawTable:
    """A file as read: every cell as text (null when empty), headings as in the file."""

    headings: list[str]
    columns: list[pa.Array | pa.ChunkedArray]
    rows: np.ndarray  # each data row's number as the user's spreadsheet shows it
    source: str  # "CSV (UTF-8)", "CSV (Windows-1252)", "Excel", ...
    problems: list[tuple[int | None, str, str, str]] = field(default_factory=list)
    # What ``preview`` worked out from this table, kept so that a new column or value
    # mapping redoes only the column it changes (each change was a full re-check).
    converted: dict[tuple[object, ...], tuple[object, ...]] = field(
        default_factory=dict, repr=False
    )
    personal: list[PersonalData] | None = field(default=None, repr=False)

    def __len__(self) -> int:
        return len(self.rows)

    def column(self, heading: str) -> pa.Array:
        return self.columns[self.headings.index(heading)]


PROBLEM_COLUMNS = ["row", "column", "value", "message"]


@dataclass
class Preview:
    """What an import would save, and everything wrong with it. ``ok`` means save-able."""

    frame: pd.DataFrame  # schema columns, typed; index is the file's row number
    problems: pd.DataFrame  # row (None for the whole file), column, value, message
    mapping: dict[str, str]  # schema column -> file heading
    unmatched: list[str]  # file headings not imported
    missing: list[str]  # required schema columns with no heading
    personal: list[PersonalData]
    source: str
    #: schema column -> its unusual words (synonyms, the person's choices, unknown words)
    values: dict[str, list[ValueMatch]] = field(default_factory=dict)
    titles: dict[str, str] = field(default_factory=dict)  # schema column -> plain name

    @property
    def ok(self) -> bool:
        return not len(self.problems) and not self.missing

    @property
    def rows(self) -> int:
        return len(self.frame)

    def messages(self, limit: int | None = None) -> list[str]:
        """Problems as sentences: "Row 4, channel: “fax” is not one of …"."""
        shown = self.problems if limit is None else self.problems.head(limit)
        out = []
        for row, column, _value, message in shown.itertuples(index=False):
            name = self.titles.get(column, column)
            if pd.isna(row):
                out.append(message)
            else:
                out.append(f"Row {row}, {name}: {message}" if column else f"Row {row}: {message}")
        return out

    @property
    def unknown(self) -> list[ValueMatch]:
        """Words of choice columns that nothing says the meaning of yet."""
        return [m for found in self.values.values() for m in found if m.how == "unknown"]

    def problem_counts(self) -> pd.DataFrame:
        """Problems per column, most first: the shape of what is wrong in a big file."""
        if not len(self.problems):
            return pd.DataFrame(columns=["Column", "Problems"])
        counts = self.problems["column"].value_counts(sort=True)
        names = [self.titles.get(c, c) or "(whole row)" for c in counts.index]
        return pd.DataFrame({"Column": names, "Problems": counts.to_numpy()})


# -- reading -------------------------------------------------------------------------------

_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"%PDF", "This is a PDF file, not a spreadsheet."),
    (b"\x89PNG", "This is an image (PNG), not a spreadsheet."),
    (b"\xff\xd8\xff", "This is an image (JPEG), not a spreadsheet."),
    (b"GIF8", "This is an image (GIF), not a spreadsheet."),
    (
        b"\xd0\xcf\x11\xe0",
        "This is an old-style Excel or Word file (.xls or .doc). Open it and save it as"
        " Excel Workbook (.xlsx) or CSV, then upload that file.",
    ),
)


def read_file(data: bytes, filename: str = "", progress: Progress | None = None) -> RawTable:
    """Read an upload's bytes as a table of text; ``UnreadableFile`` when it is not one."""
    if not data or (len(data) < 4096 and not data.strip(b"\xef\xbb\xbf \t\r\n")):
        raise UnreadableFile("The file is empty.")
    for magic, message in _MAGIC:
        if data.startswith(magic):
            raise UnreadableFile(message if message.endswith("file.") else f"{message} {_FIX}")
    if data.startswith(b"PK\x03\x04"):
        return _read_excel(data, progress)
    if b"\x00" in data[:65536]:
        raise UnreadableFile(f"This is not a CSV or Excel file: it holds binary data. {_FIX}")
    return _read_csv(data, filename, progress)


def _header_line(data: bytes) -> tuple[list[str], str, bool]:
    """(headings, delimiter, is UTF-8) from the first line, decoded either way."""
    end = data.find(b"\n")
    first = (data if end < 0 else data[:end]).rstrip(b"\r")
    utf8 = True
    try:
        text = first.decode("utf-8-sig")
    except UnicodeDecodeError:
        text, utf8 = first.decode("cp1252", errors="replace"), False
    # The separator is the one that splits the header most: Excel in some locales and some
    # case systems write semicolons or tabs.
    delimiter = max((",", ";", "\t"), key=lambda d: (text.count(d), d == ","))
    headings = next(csv.reader([text], delimiter=delimiter), [])
    return headings, delimiter, utf8


def _clean_headings(headings: Sequence[object]) -> list[str]:
    """Headings trimmed, blanks named by position, repeats numbered, so each is unique."""
    seen: dict[str, int] = {}
    out = []
    for number, heading in enumerate(headings, 1):
        text = " ".join(str(heading if heading is not None else "").split()) or (f"Column {number}")
        seen[text] = seen.get(text, 0) + 1
        out.append(text if seen[text] == 1 else f"{text} ({seen[text]})")
    return out


def _parse(
    data: bytes,
    names: list[str],
    delimiter: str,
    encoding: str,
    newlines: bool,
    handler: Callable[[pcsv.InvalidRow], str],
    threads: bool = True,
) -> pa.Table:
    return pcsv.read_csv(
        io.BytesIO(data),
        read_options=pcsv.ReadOptions(
            column_names=names,
            skip_rows=1,
            encoding=encoding,
            block_size=1 << 20,
            use_threads=threads,
        ),
        # Blank lines are kept (and skipped by the handler) so that every later row keeps
        # the number the user's spreadsheet shows.
        parse_options=pcsv.ParseOptions(
            delimiter=delimiter,
            newlines_in_values=newlines,
            invalid_row_handler=handler,
            ignore_empty_lines=False,
        ),
        # Empty cells become null while parsing, which is much cheaper than after.
        convert_options=pcsv.ConvertOptions(
            column_types={n: pa.string() for n in names},
            null_values=[""],
            strings_can_be_null=True,
            quoted_strings_can_be_null=True,
        ),
    )


def _read_csv(data: bytes, filename: str, progress: Progress | None) -> RawTable:
    headings, delimiter, utf8 = _header_line(data)
    if not any(h.strip() for h in headings):
        raise UnreadableFile("The first row of the file is empty: it should hold column headings.")
    names = [f"c{i}" for i in range(len(headings))]
    bad_rows: list[tuple[int | None, str, str, str]] = []
    blank_rows: list[int | None] = []

    def wrong_width(row: pcsv.InvalidRow) -> str:
        number = row.number if row.number and row.number > 0 else None  # header is row 1
        if not row.text.strip():
            blank_rows.append(number)  # a blank line: not data, and not a problem
            return "skip"
        bad_rows.append(
            (
                number,
                "",
                row.text[:80],
                f"this row has {row.actual_columns} values but the header has"
                f" {row.expected_columns} columns: “{row.text[:80]}”",
            )
        )
        return "skip"

    if progress:
        progress(0.05, "Reading the file")
    encodings = ["utf8", "cp1252"] if utf8 else ["cp1252"]
    # Parsing without quoted line breaks is much faster; a file that has them shows rows of
    # the wrong width, and is then parsed again allowing them. (With under four columns a
    # split row could have the right width by chance, so those files take the safe path.)
    modes = (False, True) if len(names) >= 4 else (True,)
    table = None
    encoding = encodings[0]
    for encoding in encodings:
        try:
            for newlines in modes:
                bad_rows.clear()
                blank_rows.clear()
                table = _parse(data, names, delimiter, encoding, newlines, wrong_width)
                if not bad_rows:
                    break
            if bad_rows or blank_rows:
                # Arrow numbers skipped rows only when parsing on one thread: parse once
                # more (a file with broken or blank lines only) so each can be placed.
                bad_rows.clear()
                blank_rows.clear()
                table = _parse(data, names, delimiter, encoding, True, wrong_width, False)
            break
        except (pa.ArrowInvalid, UnicodeDecodeError) as problem:
            table = None
            text = str(problem)
            if "UTF8" in text or "utf-8" in text.lower() or isinstance(problem, UnicodeDecodeError):
                continue  # not UTF-8: try Windows-1252, what Excel on Windows writes
            raise UnreadableFile(f"The file could not be read as CSV: {text[:200]}") from None
    if table is None:
        raise UnreadableFile(
            "The file's text could not be read (it is neither UTF-8 nor Windows-1252)."
            " In Excel, save it as “CSV UTF-8” and upload that file."
        )
    source = "CSV (UTF-8)" if encoding == "utf8" else "CSV (Windows-1252)"
    if data.startswith(b"\xef\xbb\xbf"):
        source = "CSV (UTF-8 with byte-order mark)"
    if table.num_rows == 0 and not bad_rows:
        raise UnreadableFile("The file has column headings but no rows of data.")
    columns = [table.column(i) for i in range(table.num_columns)]
    # A row that is empty in every column (blank lines at the end of an export) is not data.
    empty = np.ones(table.num_rows, dtype=bool)
    for column in columns:
        empty &= np.asarray(pc.is_null(column).to_numpy(zero_copy_only=False), dtype=bool)
    rows = np.arange(2, table.num_rows + len(bad_rows) + len(blank_rows) + 2, dtype=np.int64)
    skipped = [number for number, *_ in bad_rows if number is not None]
    skipped += [number for number in blank_rows if number is not None]
    if skipped:  # rows after a skipped one keep the numbers the user's spreadsheet shows
        rows = rows[~np.isin(rows, skipped)]
    rows = rows[: table.num_rows]
    if empty.any():
        keep = pa.array(~empty)
        columns = [c.filter(keep) for c in columns]
        rows = rows[~empty]
    if not len(rows) and not bad_rows:
        raise UnreadableFile("The file has column headings but no rows of data.")
    return RawTable(_clean_headings(headings), columns, rows, source, bad_rows)


def _read_excel(data: bytes, progress: Progress | None) -> RawTable:
    import openpyxl  # lazy: only an Excel file needs it

    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as problem:
        raise UnreadableFile(
            f"This is a zip file but not an Excel workbook (.xlsx). {_FIX}"
        ) from problem
    try:
        sheet = book.worksheets[0]
        total = max((sheet.max_row or 1) - 1, 1)
        rows_iter = sheet.iter_rows(values_only=True)
        header = next(rows_iter, None)
        if header is None or not any(v is not None and str(v).strip() for v in header):
            raise UnreadableFile("The first sheet is empty: its first row should hold headings.")
        width = len(header)
        cells: list[list[str | None]] = [[] for _ in range(width)]
        numbers: list[int] = []
        for number, values in enumerate(rows_iter, 2):
            if not any(v is not None and str(v).strip() != "" for v in values):
                continue
            numbers.append(number)
            for i in range(width):
                value = values[i] if i < len(values) else None
                cells[i].append(None if value is None else _excel_text(value))
            if progress and number % 20000 == 0:
                progress(0.05 + 0.45 * min(number / total, 1.0), "Reading the workbook")
    finally:
        book.close()
    if not numbers:
        raise UnreadableFile("The file has column headings but no rows of data.")
    columns = [coerce.blank_to_null(pa.array(c, type=pa.string())) for c in cells]
    return RawTable(_clean_headings(header), columns, np.array(numbers, dtype=np.int64), "Excel")


def _excel_text(value: object) -> str:
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, dt.date):
        return value.strftime("%Y-%m-%d")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


# -- matching ------------------------------------------------------------------------------


def normalise_heading(heading: str) -> str:
    """ "Captured At ", "captured-at" and "CAPTURED_AT" all become "captured_at"."""
    return re.sub(r"[^0-9a-z]+", "_", heading.lower()).strip("_")


def match_columns(headings: Sequence[str], schema: Schema) -> dict[str, str]:
    """Schema column -> file heading, by normalised name first, then by alias."""
    by_name = {}
    for heading in headings:
        by_name.setdefault(normalise_heading(heading), heading)
    found: dict[str, str] = {}
    for column in schema.columns:
        for candidate in (column.name, *column.aliases):
            heading = by_name.get(normalise_heading(candidate))
            if heading is not None and heading not in found.values():
                found[column.name] = heading
                break
    return found


# -- converting ----------------------------------------------------------------------------


def _problems(
    rows: np.ndarray, bad: np.ndarray, column: str, values: pa.Array, message: str
) -> pd.DataFrame:
    """Problem rows for every marked cell; ``{value}`` in the message is the cell's text."""
    where = np.flatnonzero(bad)
    if not len(where):  # the usual case: skip even an empty take over a chunked column
        return pd.DataFrame(columns=PROBLEM_COLUMNS)
    texts = pd.Series(
        values.take(pa.array(where)).to_pandas(), dtype="str" if len(where) else object
    ).fillna("")
    if "{value}" in message:
        before, after = message.split("{value}", 1)
        messages = before + "“" + texts.astype(str) + "”" + after
    else:
        messages = pd.Series([message] * len(where), dtype=object)
    return pd.DataFrame(
        {
            "row": pd.array(rows[where], dtype="Int64"),
            "column": column,
            "value": texts.to_numpy(dtype=object),
            "message": messages.to_numpy(dtype=object),
        }
    )


def _choice_message(column: Column) -> str:
    return "{value} is not one of: " + ", ".join(column.label_of(c) for c in column.choices)


def _convert(
    column: Column,
    cells: pa.Array,
    rows: np.ndarray,
    chosen: Mapping[str, str] | None = None,
) -> tuple[object, list[pd.DataFrame], list[ValueMatch]]:
    found: list[pd.DataFrame] = []
    words: list[ValueMatch] = []
    name = column.name
    if column.type in ("int", "decimal", "datetime"):
        cells = coerce.blank_to_null(cells)  # " 6.5 " is 6.5; only these need trimming
    if column.required:
        # Empty, or only spaces (a cell that looks empty is empty).
        blank = pc.or_kleene(pc.is_null(cells), pc.utf8_is_space(cells))
        found.append(_problems(rows, coerce._bad(blank), name, cells, "this is empty"))
    if column.type == "choice":
        read = values.lookup(column, chosen)
        typed, bad, distinct, counts = coerce.coerce_choice(cells, column.choices, read)
        found.append(_problems(rows, bad, name, cells, _choice_message(column)))
        words = values.matches(column, distinct, counts, chosen)
    elif column.type == "bool":
        typed, bad = coerce.coerce_bool(cells)
        found.append(_problems(rows, bad, name, cells, "{value} is not yes/no or true/false"))
    elif column.type in ("int", "decimal"):
        whole = column.type == "int"
        typed, bad, low = coerce.coerce_number(cells, whole, column.minimum)
        kind = "a whole number" if whole else "a number"
        found.append(_problems(rows, bad, name, cells, "{value} is not " + kind))
        if column.minimum is not None:
            found.append(
                _problems(rows, low, name, cells, "{value} is below " + f"{column.minimum:g}")
            )
    elif column.type == "datetime":
        stamps, bad = coerce.coerce_datetime(cells)
        typed = pd.Series(stamps.astype("datetime64[ns]"))
        found.append(
            _problems(
                rows,
                bad,
                name,
                cells,
                "{value} is not a date: use day/month/year, as 04/03/2024 or"
                " 04/03/2024 09:12 (or 2024-03-04T09:12)",
            )
        )
    else:
        if column.type == "string":
            # Short labels (service, team) repeat: as categories, later group-bys and the
            # stored Parquet are far cheaper than on a million separate strings.
            typed = pc.dictionary_encode(cells).to_pandas()
        else:
            typed = pd.Series(cells.to_pandas(), dtype="str")
        if column.max_length is not None:
            long = coerce._bad(pc.greater(pc.utf8_length(cells), column.max_length))
            found.append(
                _problems(
                    rows,
                    long,
                    name,
                    cells,
                    f"this is longer than {column.max_length} characters",
                )
            )
    present = len(cells) - cells.null_count
    if column.unique and len(pc.unique(cells)) - (1 if cells.null_count else 0) < present:
        keys = pd.Series(cells.to_pandas(), dtype="str")
        repeated = keys.duplicated(keep=False).to_numpy() & keys.notna().to_numpy()
        found.append(
            _problems(rows, repeated, name, cells, "{value} appears more than once in the file")
        )
    return typed, found, words


def preview(
    raw: RawTable,
    schema: Schema,
    mapping: Mapping[str, str] | None = None,
    progress: Progress | None = None,
    meanings: Mapping[str, Mapping[str, str]] | None = None,
) -> Preview:
    """Convert a file to the schema and find every problem; saves nothing.

    ``mapping`` (schema column -> file heading) overrides the automatic matching; a schema
    column mapped to ``""`` is treated as absent from the file, and a heading this file
    does not have is passed over (a mapping kept from an earlier file). ``meanings``
    (schema column -> ``values.value_key`` of a word -> stored value, or ``""`` for empty)
    says what words of a choice column mean, over the schema's own synonyms.

    Each column's conversion is kept on ``raw``, so calling this again with one mapping
    changed redoes only that column.
    """
    matched = match_columns(raw.headings, schema)
    for name, heading in (mapping or {}).items():
        if heading and heading in raw.headings:
            matched = {k: v for k, v in matched.items() if v != heading}
            matched[name] = heading
        elif not heading:
            matched.pop(name, None)
    missing = [c.name for c in schema.columns if c.required and c.name not in matched]
    frames: list[pd.DataFrame] = [
        pd.DataFrame(raw.problems, columns=PROBLEM_COLUMNS).astype({"row": "Int64"})
    ]
    for name in missing:
        column = schema.column(name)
        # Headings are matched with case and "_" ignored: say them as a person writes them.
        headings = [h.replace("_", " ") for h in [name, *column.aliases] if h][:4]
        headings = list(dict.fromkeys(headings))
        named = ", ".join(headings[:-1]) + f" or {headings[-1]}" if len(headings) > 1 else name
        frames.append(
            pd.DataFrame(
                [
                    (
                        None,
                        name,
                        "",
                        f"Required column missing: {column.title}. The file has no column"
                        f" headed {named}; choose which of its columns holds it.",
                    )
                ],
                columns=PROBLEM_COLUMNS,
            ).astype({"row": "Int64"})
        )
    data: dict[str, object] = {}
    words: dict[str, list[ValueMatch]] = {}
    present = [c for c in schema.columns if c.name in matched]
    for number, column in enumerate(present):
        if progress:
            progress(0.5 + 0.4 * number / max(len(present), 1), f"Checking {column.title}")
        heading = matched[column.name]
        chosen = dict((meanings or {}).get(column.name) or {}) if column.type == "choice" else {}
        key = (column.name, id(column), heading, tuple(sorted(chosen.items())))
        if key not in raw.converted:
            # The column is kept with its result, so its id cannot be reused meanwhile.
            raw.converted[key] = (column, *_convert(column, raw.column(heading), raw.rows, chosen))
        _column, typed, found, matches = raw.converted[key]
        data[column.name] = typed
        frames.extend(f for f in found if len(f))
        if matches:
            words[column.name] = matches
    frame = pd.DataFrame(
        {
            c.name: (_as_array(data[c.name]) if c.name in data else _empty(c, len(raw.rows)))
            for c in schema.columns
        },
        index=pd.Index(raw.rows, name="row"),
    )
    problems = [f for f in frames if len(f)]
    all_problems = (
        pd.concat(problems, ignore_index=True)
        if problems
        else pd.DataFrame(columns=PROBLEM_COLUMNS).astype({"row": "Int64"})
    )
    if len(all_problems):
        # Whole-file problems first, then in the order of the file, left to right.
        order = {name: i for i, name in enumerate(schema.names)}
        all_problems = (
            all_problems.assign(
                _file=all_problems["row"].isna(),
                _col=all_problems["column"].map(order).fillna(-1),
            )
            .sort_values(["_file", "row", "_col"], ascending=[False, True, True], kind="stable")
            .drop(columns=["_file", "_col"])
            .reset_index(drop=True)
        )
    used = set(matched.values())
    unmatched = [h for h in raw.headings if h not in used]
    if raw.personal is None:
        raw.personal = scan(raw.headings, raw.columns)
    if progress:
        progress(0.9, "Checked")
    return Preview(
        frame,
        all_problems,
        matched,
        unmatched,
        missing,
        raw.personal,
        raw.source,
        words,
        {c.name: c.title for c in schema.columns},
    )


def _as_array(values: object) -> object:
    if isinstance(values, pd.Series):
        return values.to_numpy() if values.dtype.kind == "M" else values.array
    return values


def _empty(column: Column, n: int) -> object:
    """A column the file does not have: all missing, of the right type."""
    if column.type == "choice":
        return pd.Categorical.from_codes(np.full(n, -1), categories=list(column.choices))
    dtype = {"bool": "boolean", "int": "Int64", "decimal": "Float64"}.get(column.type)
    if dtype:
        return pd.Series(pd.NA, index=range(n), dtype=dtype).array
    if column.type == "datetime":
        return np.full(n, np.datetime64("NaT"), dtype="datetime64[ns]")
    return pd.Series(None, index=range(n), dtype="str").array


def read_and_preview(
    data: bytes,
    schema: Schema,
    filename: str = "",
    mapping: Mapping[str, str] | None = None,
    progress: Progress | None = None,
    meanings: Mapping[str, Mapping[str, str]] | None = None,
) -> tuple[RawTable, Preview]:
    """``read_file`` then ``preview``: the whole check of one upload."""
    raw = read_file(data, filename, progress)
    return raw, preview(raw, schema, mapping, progress, meanings)
