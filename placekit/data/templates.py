"""Workbook templates: a design kept as a small file, to start other workbooks from.

A template holds what carries over from one team to the next: the exercises and their
order, the welcome, and the dates as durations counted from the workbook's start day
(``opens_after_days``, ``open_for_days``), not as days of the calendar. Plugins register
template files (``register_workbook_templates``); a facilitator downloads one from a
workbook's page, passes it to ``placekit new --template`` or uses it on another workbook's
page. Files are TOML or JSON:

    id = "development-day"
    title = "Place-based leadership development day"
    summary = "Before the day, the trust audit and gut calls; on the day, the rest."
    welcome = "Why we are doing this, and by when."

    [[exercises]]
    id = "trust-audit"
    open_for_days = 7        # optional: from the start day to the day before day 7

    [[exercises]]
    id = "triage"
    opens_after_days = 7     # optional: opens a week after the start day

Pure: no store, no plugins (a template may name exercises not installed here; using it
leaves them out and says so).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import tomllib
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import tomli_w

from placekit.data.design import MAX_WELCOME, Design, Window
from placekit.errors import PlaceKitError

_ID = re.compile(r"^[a-z][a-z0-9_-]{0,63}$")  # as exercise ids
_EXTENSIONS = (".toml", ".json")
_LONGEST = 3650  # days: ten years is a typo, not a plan


class TemplateError(PlaceKitError):
    """A template file that cannot be used; ``path`` is the file (or an upload's name), and
    ``problems`` says each thing wrong in it, as ``QuestionnaireError`` does."""

    def __init__(self, path: str, problems: list[str]) -> None:
        self.path = path
        self.problems = problems
        super().__init__(f"{path}: {'; '.join(problems)}")


@dataclass(frozen=True)
class TemplateExercise:
    id: str
    opens_after_days: int | None = None
    open_for_days: int | None = None

    def window(self, start: dt.date) -> Window:
        opens = start + dt.timedelta(days=self.opens_after_days or 0)
        closes = opens + dt.timedelta(days=self.open_for_days - 1) if self.open_for_days else None
        return Window(opens if self.opens_after_days else None, closes)


@dataclass(frozen=True)
class Template:
    id: str
    title: str
    summary: str = ""
    welcome: str = ""
    exercises: tuple[TemplateExercise, ...] = ()

    def design(self, start: dt.date, installed: Collection[str]) -> tuple[Design, list[str]]:
        """The design of a workbook starting on ``start``, and the ids it leaves out (not
        installed here)."""
        kept = [ex for ex in self.exercises if ex.id in installed]
        left_out = [ex.id for ex in self.exercises if ex.id not in installed]
        windows = {ex.id: ex.window(start) for ex in kept if ex.window(start) != Window()}
        design = Design(tuple(ex.id for ex in kept), (), self.welcome, windows)
        return design.checked(), left_out

    def as_data(self) -> dict[str, Any]:
        exercises = []
        for ex in self.exercises:
            row: dict[str, Any] = {"id": ex.id}
            if ex.opens_after_days:
                row["opens_after_days"] = ex.opens_after_days
            if ex.open_for_days:
                row["open_for_days"] = ex.open_for_days
            exercises.append(row)
        data = {"id": self.id, "title": self.title, "summary": self.summary}
        return {**data, "welcome": self.welcome, "exercises": exercises}

    def as_toml(self) -> str:
        return tomli_w.dumps(self.as_data(), multiline_strings=True)


def from_design(
    design: Design, *, id: str, title: str, start: dt.date, summary: str = ""
) -> Template:
    """A workbook's design as a template; its dates become durations from ``start`` (the
    workbook's start day: when it was made)."""
    exercises = []
    for ex in design.exercises:
        window = design.window(ex)
        opens = window.opens or start
        after = max(0, (opens - start).days) if window.opens else None
        for_days = (window.closes - max(opens, start)).days + 1 if window.closes else None
        exercises.append(
            TemplateExercise(ex, after or None, max(1, for_days) if for_days else None)
        )
    template = Template(id, title, summary, design.welcome, tuple(exercises))
    return parse(template.as_data(), title)  # checked as a file would be


def parse(raw: Any, source: str) -> Template:
    """A template from a file's contents; ``TemplateError`` lists every problem."""
    problems: list[str] = []
    if not isinstance(raw, Mapping):
        raise TemplateError(source, ["a template is a table of id, title and exercises"])
    tid, title = raw.get("id"), raw.get("title")
    if not isinstance(tid, str) or not _ID.match(tid):
        problems.append("id: 1-64 lower-case letters, digits, '-' or '_', starting with a letter")
    if not isinstance(title, str) or not title.strip():
        problems.append("title: give the template a title")
    texts = {k: raw.get(k, "") for k in ("summary", "welcome")}
    for key, text in texts.items():
        if not isinstance(text, str):
            problems.append(f"{key}: a piece of text")
    if isinstance(texts["welcome"], str) and len(texts["welcome"]) > MAX_WELCOME:
        problems.append(f"welcome: {MAX_WELCOME} characters or fewer")
    exercises: list[TemplateExercise] = []
    rows = raw.get("exercises")
    if not isinstance(rows, list) or not rows:
        problems.append("exercises: list at least one, as [[exercises]] with an id")
        rows = []
    for n, row in enumerate(rows, 1):
        where = f"exercise {n}"
        if not isinstance(row, Mapping) or not isinstance(row.get("id"), str):
            problems.append(f"{where}: give its id")
            continue
        if row["id"] in {ex.id for ex in exercises}:
            problems.append(f"{where}: {row['id']!r} is listed twice")
            continue
        days = {}
        for key, least in (("opens_after_days", 0), ("open_for_days", 1)):
            value = row.get(key)
            if value is not None and (
                isinstance(value, bool)
                or not isinstance(value, int)
                or not least <= value <= _LONGEST
            ):
                problems.append(f"{where} ({row['id']}): {key} is a whole number from {least}")
                value = None
            days[key] = value
        exercises.append(TemplateExercise(row["id"], **days))
    if problems:
        raise TemplateError(source, problems)
    return Template(
        tid,
        " ".join(title.split()),
        texts["summary"].strip(),
        texts["welcome"].strip(),
        tuple(exercises),
    )


def read(path: str | os.PathLike[str]) -> Template:
    """A template file (TOML or JSON), read and checked."""
    try:
        content = Path(path).read_bytes()
    except FileNotFoundError:
        raise TemplateError(str(path), ["the file does not exist"]) from None
    return loads(content, str(path))


def loads(content: bytes, name: str) -> Template:
    """A template from a file's bytes (an upload, say), its format told by ``name``'s
    ending; checked as ``read`` checks a file."""
    suffix = Path(name).suffix.lower()
    if suffix not in _EXTENSIONS:
        raise TemplateError(name, [f"use a .toml or .json file, not {suffix or 'no ending'!r}"])
    try:
        text = content.decode("utf-8")
        raw = tomllib.loads(text) if suffix == ".toml" else json.loads(text)
    except UnicodeDecodeError:
        raise TemplateError(name, ["the file is not UTF-8 text"]) from None
    except ValueError as exc:  # tomllib's and json's errors name the line
        raise TemplateError(name, [f"not valid {suffix[1:].upper()}: {exc}"]) from None
    return parse(raw, name)
