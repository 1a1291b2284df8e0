"""What the words in a file's choice columns mean: "Walk-in" in a contact-centre export is
the kit's "face to face", "Telephone" its "phone".

Every distinct word of a choice column is decided once (never once per row):

* **exact**: the stored value or its label, case, spacing and punctuation ignored
  ("Face-to-face", "FACE TO FACE" and "face_to_face" are one word);
* **synonym**: one of the column's ``choice_aliases`` (the schema's own knowledge of how
  exports write things), read at once but listed, so the person importing sees it and can
  change it;
* **chosen**: what the person importing said it means (remembered for the next file);
* **unknown**: none of those. It is a problem until someone chooses; ``suggest`` offers
  the likeliest value (a near spelling, or a value whose words the file's word contains),
  which is never applied without that choice, since "Not a failure" contains "failure".

Pure Python: the import widget shows these, ``files.preview`` applies them.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from placekit.importing.files import Column

#: What a person can map a word to besides a value: leave the cell empty (optional columns).
EMPTY = ""

How = Literal["synonym", "chosen", "unknown"]


def value_key(text: object) -> str:
    """A word as matched: letters and digits only, lower case ("E-mail" is "email")."""
    return re.sub(r"[^0-9a-z]+", "", str(text).lower())


def _words(text: str) -> set[str]:
    return {w for w in re.split(r"[^0-9a-z]+", text.lower()) if len(w) > 2}


@dataclass(frozen=True)
class ValueMatch:
    """One distinct word of a file's choice column that is not written as a value is."""

    column: str  # the schema column
    text: str  # the word as the file first writes it
    key: str  # ``value_key(text)``: how it is remembered
    rows: int  # how many rows hold it
    value: str | None  # the stored value it is read as; EMPTY for empty; None: unknown
    how: How
    suggestion: str | None = None  # for an unknown word: the likeliest value, if any


def exact(column: Column) -> dict[str, str]:
    """key -> value for each value and its label: words that need no matching."""
    found = {value_key(v): v for v in column.choices}
    found |= {value_key(label): v for v, label in column.choice_labels.items()}
    return found


def synonyms(column: Column) -> dict[str, str]:
    """key -> value for the column's aliases that are not already exact words."""
    known = exact(column)
    return {
        value_key(word): value
        for word, value in column.choice_aliases.items()
        if value_key(word) not in known and (value in column.choices or value == EMPTY)
    }


def lookup(column: Column, chosen: Mapping[str, str] | None = None) -> dict[str, str]:
    """key -> value for every word this column can read, the person's choices first."""
    allowed = set(column.choices) | ({EMPTY} if not column.required else set())
    picked = {k: v for k, v in (chosen or {}).items() if v in allowed}
    return exact(column) | synonyms(column) | picked


def suggest(text: str, column: Column) -> str | None:
    """The likeliest value for a word the column cannot read, or None.

    First a near spelling of a value, label or alias ("Emial" for "Email"); then a value
    whose words all appear in the file's word ("Phone call" has "phone"), when just one
    value does.
    """
    key = value_key(text)
    if not key:
        return None
    names: dict[str, str] = {}
    for value in column.choices:
        names[value] = value
        names[column.choice_labels.get(value, value)] = value
    for word, value in column.choice_aliases.items():
        if value in column.choices:
            names[word] = value
    keys = {value_key(n): v for n, v in names.items() if value_key(n)}
    close = difflib.get_close_matches(key, list(keys), n=1, cutoff=0.8)
    if close:
        return keys[close[0]]
    words = _words(text)
    within = {v for n, v in names.items() if _words(n) and _words(n) <= words}
    return within.pop() if len(within) == 1 else None


def matches(
    column: Column,
    words: Iterable[str],
    counts: Iterable[int],
    chosen: Mapping[str, str] | None = None,
) -> list[ValueMatch]:
    """The words of one column to show the person importing (each distinct word with its
    row count), most frequent first: synonyms, their own choices and unknown words.
    Several spellings of one key ("E-mail", "e-mail") are one entry."""
    known = exact(column)
    alias = synonyms(column)
    picked = lookup(column, chosen)
    merged: dict[str, tuple[str, int]] = {}
    for word, count in zip(words, counts, strict=True):
        key = value_key(word)
        if not count or key in known:
            continue
        first, total = merged.get(key, (word, 0))
        merged[key] = (first, total + int(count))
    found = []
    for key, (text, rows) in merged.items():
        if chosen and key in chosen and key in picked:
            found.append(ValueMatch(column.name, text, key, rows, picked[key], "chosen"))
        elif key in alias:
            found.append(ValueMatch(column.name, text, key, rows, alias[key], "synonym"))
        else:
            found.append(
                ValueMatch(column.name, text, key, rows, None, "unknown", suggest(text, column))
            )
    return sorted(found, key=lambda m: (-m.rows, m.text.lower()))
