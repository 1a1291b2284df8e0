"""Spotting columns that probably hold personal data, by heading and by a sample of cells.

An export from a case system often carries names, phone numbers and addresses that a study
does not need and must not keep (UK GDPR data minimisation). This only warns: it reads the
heading and a spread-out sample of cells, so it is quick on a million rows and can miss
things. The person importing is told what was found and asked to remove it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pyarrow as pa
import pyarrow.compute as pc

SAMPLE = 2000  # cells read per column, spread over the whole file

# Words that, as a whole word of a heading, suggest personal data.
_HEADING_WORDS: dict[str, str] = {
    "name": "names",
    "forename": "names",
    "forenames": "names",
    "firstname": "names",
    "surname": "names",
    "lastname": "names",
    "fullname": "names",
    "email": "email addresses",
    "e_mail": "email addresses",
    "phone": "phone numbers",
    "telephone": "phone numbers",
    "tel": "phone numbers",
    "mobile": "phone numbers",
    "address": "addresses",
    "street": "addresses",
    "postcode": "postcodes",
    "post_code": "postcodes",
    "nhs": "NHS numbers",
    "dob": "dates of birth",
    "birth": "dates of birth",
    "nino": "National Insurance numbers",
    "national_insurance": "National Insurance numbers",
}

# (what it is, pattern searched for anywhere in a cell)
_CONTENT: tuple[tuple[str, str], ...] = (
    ("email addresses", r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+\.[A-Za-z0-9.-]+"),
    ("phone numbers", r"(?:^|[^\d])(?:\+44\s?|0)(?:\d[\s-]?){9,10}(?:$|[^\d])"),
    ("postcodes", r"(?i)\b[A-Z]{1,2}\d[A-Z\d]?\s*\d[ABD-HJLNP-UW-Z]{2}\b"),
    ("NHS numbers", r"(?:^|[^\d])\d{3}[\s-]?\d{3}[\s-]?\d{4}(?:$|[^\d])"),
)


@dataclass(frozen=True)
class PersonalData:
    """A column that looks like it holds personal data, and why."""

    column: str  # the heading as it is in the file
    what: str  # "phone numbers", "names", ...
    evidence: str  # "heading" or "3 of 2,000 sampled cells"

    @property
    def message(self) -> str:
        if self.evidence == "heading":
            return f"“{self.column}” looks like it holds {self.what} (from its heading)"
        return f"“{self.column}” has what look like {self.what} in {self.evidence}"


def heading_words(heading: str) -> set[str]:
    normal = re.sub(r"[^0-9a-z]+", "_", heading.lower()).strip("_")
    words = set(normal.split("_")) | {normal}
    # "first_name" and "date_of_birth" as one word too.
    parts = normal.split("_")
    words |= {a + b for a, b in zip(parts, parts[1:], strict=False)}
    words |= {f"{a}_{b}" for a, b in zip(parts, parts[1:], strict=False)}
    return words


def by_heading(heading: str) -> str | None:
    """What a heading suggests the column holds, if personal."""
    for word in sorted(heading_words(heading)):
        if word in _HEADING_WORDS:
            return _HEADING_WORDS[word]
    return None


def _sample(column: pa.Array | pa.ChunkedArray) -> pa.Array | pa.ChunkedArray:
    """Up to SAMPLE cells spread over the column (a stride, not the first rows: an export
    sorted by date would otherwise be judged by one morning)."""
    if len(column) > 4 * SAMPLE:
        step = len(column) // (4 * SAMPLE)
        column = column.take(pa.array(range(0, len(column), step)))  # before any copy
    present = column.drop_null()
    if len(present) <= SAMPLE:
        return present
    step = len(present) // SAMPLE
    return present.take(pa.array(range(0, step * SAMPLE, step)))


def _is_nhs_number(text: str) -> bool:
    """The NHS number's own check digit (modulus 11), so a ten-digit case ref is not flagged."""
    digits = [int(c) for c in re.sub(r"\D", "", text)]
    if len(digits) != 10:
        return False
    check = 11 - sum(d * w for d, w in zip(digits[:9], range(10, 1, -1), strict=True)) % 11
    return (0 if check == 11 else check) == digits[9] and check != 10


def by_content(column: pa.Array) -> list[tuple[str, int, int]]:
    """(what, cells matching, cells sampled) for each kind of personal data seen."""
    sample = _sample(column)
    found = []
    for what, pattern in _CONTENT:
        hits = sample.filter(pc.match_substring_regex(sample, pattern))
        if what == "NHS numbers":
            found_numbers = [
                m.group(0)
                for text in hits.to_pylist()
                for m in re.finditer(r"\d{3}[\s-]?\d{3}[\s-]?\d{4}", text)
            ]
            count = sum(_is_nhs_number(n) for n in found_numbers)
        else:
            count = len(hits)
        if count:
            found.append((what, count, len(sample)))
    return found


def scan(headings: list[str], columns: list[pa.Array]) -> list[PersonalData]:
    """Every column that looks personal, by heading first, then by content."""
    flags: list[PersonalData] = []
    for heading, column in zip(headings, columns, strict=True):
        what = by_heading(heading)
        if what:
            flags.append(PersonalData(heading, what, "heading"))
            continue
        for kind, count, sampled in by_content(column):
            flags.append(PersonalData(heading, kind, f"{count:,} of {sampled:,} sampled cells"))
    return flags
