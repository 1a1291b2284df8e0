"""Vectorised type coercion of imported text columns, with every bad cell reported.

Each function takes one column of text as a pyarrow array (empty cells already null) and
returns the typed values plus a boolean mask of the cells that could not be read. Nothing
here loops over rows in Python: a million-row export has to stay interactive, so work is
done in Arrow/NumPy kernels, and text-to-value mappings (enums, booleans) are decided once
per *distinct* value, never once per row.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from placekit.importing.values import value_key

TRUE_WORDS = frozenset({"true", "yes", "y", "1", "t"})
FALSE_WORDS = frozenset({"false", "no", "n", "0", "f"})

_INT = r"^[+-]?\d+$"
_DECIMAL = r"^[+-]?(\d+\.?\d*|\.\d+)$"
# Fixed-width layouts tried first (a fast path: Arrow's strptime plus a day check), then a
# general pattern for the rest (single-digit days and hours, 2-digit years, seconds).
_FIXED = (
    ("%d/%m/%Y %H:%M", 16, 0),
    ("%d/%m/%Y %H:%M:%S", 19, 0),
    ("%d/%m/%Y", 10, 0),
    ("%Y-%m-%d %H:%M:%S", 19, 8),
    ("%Y-%m-%dT%H:%M:%S", 19, 8),
    ("%Y-%m-%dT%H:%M", 16, 8),
    ("%Y-%m-%d %H:%M", 16, 8),
    ("%Y-%m-%d", 10, 8),
)
_TIME = r"(?:[ T](?P<H>\d{1,2}):(?P<M>\d{2})(?::(?P<S>\d{2})(?:\.\d+)?)?)?"
_UK = r"^(?P<d>\d{1,2})[/.-](?P<m>\d{1,2})[/.-](?P<y>\d{4}|\d{2})" + _TIME + "$"
_ISO = r"^(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})" + _TIME + r"(?:Z|[+-]00:?00)?$"


def normalise_word(text: str) -> str:
    """Case, spacing, hyphens and underscores ignored: "Face-to-face " -> "face_to_face"."""
    return re.sub(r"[^0-9a-z]+", "_", text.strip().lower()).strip("_")


Column = pa.Array | pa.ChunkedArray  # a file's column as read: chunks are never copied together


def blank_to_null(column: Column) -> Column:
    """Trim whitespace and make empty cells null (as the user sees them: nothing there)."""
    trimmed = pc.utf8_trim_whitespace(column)
    return pc.if_else(pc.equal(trimmed, ""), pa.scalar(None, pa.string()), trimmed)


def _bad(mask: pa.Array) -> np.ndarray:
    return np.asarray(mask.fill_null(False).to_numpy(zero_copy_only=False), dtype=bool)


def _dictionary(column: Column) -> tuple[list[Any], np.ndarray]:
    """(distinct values, each row's index into them; ``len(values)`` for a null row)."""
    encoded = pc.dictionary_encode(column)
    if isinstance(encoded, pa.ChunkedArray):
        if not encoded.num_chunks:
            return [], np.zeros(0, dtype=np.int64)
        encoded = encoded.unify_dictionaries()  # every chunk then shares one dictionary
        words = encoded.chunk(0).dictionary.to_pylist()
        indices: Column = pa.chunked_array([c.indices for c in encoded.chunks])
    else:
        words, indices = encoded.dictionary.to_pylist(), encoded.indices
    return words, np.asarray(indices.fill_null(len(words)).to_numpy(zero_copy_only=False))


def coerce_choice(
    column: Column, choices: Sequence[str], lookup: Mapping[str, str]
) -> tuple[pd.Categorical, np.ndarray, list[str], np.ndarray]:
    """Enum values through ``lookup`` (``values.value_key`` of a word -> stored value, or
    "" for a word that means "empty"). Returns (values, unreadable mask, each distinct word,
    the rows holding each), the last two for showing what the file's words were read as.
    """
    words, indices = _dictionary(column)
    positions = {value: i for i, value in enumerate(choices)} | {"": -2}
    # One decision per distinct word; -1 marks an unknown word (and the null code), -2 a
    # word the person said means "empty".
    per_word = np.array(
        [positions.get(lookup.get(value_key(w), "\x00"), -1) for w in words] + [-1],
        dtype=np.int64,
    )
    codes = per_word[indices]
    bad = (codes == -1) & ~_bad(pc.is_null(column))
    codes = np.where(codes == -2, -1, codes)
    counts = np.bincount(indices, minlength=len(words) + 1)[: len(words)]
    return pd.Categorical.from_codes(codes, categories=list(choices)), bad, words, counts


def coerce_bool(column: Column) -> tuple[pd.array, np.ndarray]:
    """true/false, yes/no, y/n, 1/0 in any case."""
    distinct, indices = _dictionary(column)
    words = [normalise_word(w) for w in distinct]
    per_word = np.array(
        [1 if w in TRUE_WORDS else 0 if w in FALSE_WORDS else -1 for w in words] + [-2],
        dtype=np.int64,
    )
    codes = per_word[indices]
    values = pd.array(codes == 1, dtype="boolean")
    values[codes < 0] = pd.NA
    return values, codes == -1


def coerce_number(
    column: Column, integer: bool, minimum: float | None = None
) -> tuple[pd.array, np.ndarray, np.ndarray]:
    """Numbers; returns (values, unreadable mask, below-minimum mask)."""
    kind = pa.int64() if integer else pa.float64()
    try:  # the usual case, every cell a number: one cast, no pattern matching
        if integer:
            if not pc.all(pc.utf8_is_digit(column)).as_py():  # signs too: the slow path
                raise pa.ArrowInvalid("not plain digits")
        else:
            for letter in ("e", "n"):  # Arrow reads "1e5", "nan" and "inf"; people do not
                if pc.any(pc.match_substring(column, letter, ignore_case=True)).as_py():
                    raise pa.ArrowInvalid("letters")
        numbers = pc.cast(column, kind)
        unreadable = np.zeros(len(column), dtype=bool)
    except pa.ArrowInvalid:
        readable = pc.match_substring_regex(column, _INT if integer else _DECIMAL)
        unreadable = _bad(pc.and_(pc.is_valid(column), pc.invert(readable)))
        kept = pc.if_else(readable, column, pa.scalar(None, pa.string()))
        numbers = pc.cast(pc.replace_substring_regex(kept, r"^\+", ""), kind)  # "+2" is 2
    series = pd.array(numbers.to_pandas(), dtype="Int64" if integer else "Float64")
    low = np.zeros(len(column), dtype=bool)
    if minimum is not None:
        low = np.asarray((series < minimum).fillna(False), dtype=bool)
    return series, unreadable, low


def _days(year: np.ndarray, month: np.ndarray, day: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Dates from parts, and which parts make a real date (31/02 does not)."""
    months = (year - 1970) * 12 + np.clip(month, 1, 12) - 1
    start = months.astype("datetime64[M]").astype("datetime64[D]")
    after = (months + 1).astype("datetime64[M]").astype("datetime64[D]")
    dates = start + (np.clip(day, 1, 31) - 1)
    real = (month >= 1) & (month <= 12) & (day >= 1) & (dates < after)
    return dates, real


def _general(strings: Column) -> tuple[np.ndarray, np.ndarray]:
    """Any UK (day first) or ISO date, with an optional time: (seconds, readable)."""
    if isinstance(strings, pa.ChunkedArray):
        strings = strings.combine_chunks()  # only the rows the fast path could not read
    n = len(strings)
    seconds = np.zeros(n, dtype="datetime64[s]")
    readable = np.zeros(n, dtype=bool)
    for pattern in (_UK, _ISO):
        todo = np.flatnonzero(~readable)
        if not len(todo):
            break
        parts = pc.extract_regex(strings.take(pa.array(todo)), pattern)
        matched = _bad(pc.is_valid(parts))

        def part(name: str, default: int, parts: pa.StructArray = parts) -> np.ndarray:
            text = parts.field(name)
            text = pc.if_else(pc.equal(text, ""), pa.scalar(None, pa.string()), text)
            values = pc.cast(text, pa.int64()).fill_null(default)
            return values.to_numpy(zero_copy_only=False)

        year, month, day = part("y", 1970), part("m", 1), part("d", 1)
        year = np.where(year < 100, year + 2000, year)  # "24" is 2024 in a recent export
        hour, minute, second = part("H", 0), part("M", 0), part("S", 0)
        dates, real = _days(year, month, day)
        real &= (hour < 24) & (minute < 60) & (second < 60) & matched
        stamp = dates.astype("datetime64[s]") + (hour * 3600 + minute * 60 + second)
        seconds[todo[real]] = stamp[real]
        readable[todo[real]] = True
    return seconds, readable


def coerce_datetime(column: Column) -> tuple[np.ndarray, np.ndarray]:
    """Dates and times read day-first (UK) or ISO 8601; returns (datetime64[s], bad mask).

    A day that does not exist (31/02/2024) or a month above 12 (a US-ordered 03/25/2024) is
    reported, never rolled over into another date.
    """
    n = len(column)
    result = np.full(n, np.datetime64("NaT"), dtype="datetime64[s]")
    present = _bad(pc.is_valid(column))
    done = ~present
    lengths = pc.utf8_length(column).fill_null(0).to_numpy(zero_copy_only=False)
    for layout, width, day_at in _FIXED:
        todo = np.flatnonzero(~done & (lengths == width))
        if not len(todo):
            continue
        everything = len(todo) == n  # the usual case: no copy of the column
        strings = column if everything else column.take(pa.array(todo))
        parsed = pc.strptime(strings, format=layout, unit="s", error_is_null=True)
        # Arrow rolls 31/02 over into March: a real date keeps the day that was written.
        day = pc.utf8_slice_codeunits(strings, day_at, day_at + 2)
        digits = pc.and_(pc.is_valid(parsed), pc.match_substring_regex(day, r"^\d\d$"))
        written = pc.cast(pc.if_else(digits, day, "0"), pa.int64())
        ok = _bad(pc.and_(digits, pc.equal(pc.day(parsed), written)))
        values = parsed.to_numpy(zero_copy_only=False).astype("datetime64[s]")
        result[todo[ok]] = values[ok]
        done[todo[ok]] = True
    rest = np.flatnonzero(~done)
    if len(rest):
        seconds, readable = _general(column.take(pa.array(rest)))
        result[rest[readable]] = seconds[readable]
        done[rest[readable]] = True
    return result, ~done
