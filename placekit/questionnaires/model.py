"""Questionnaires declared as data: loading and checking a TOML, YAML or JSON file.

A plugin ships a file (id, title, intro, a scale, dimensions holding items, reverse flags,
anonymity, minimum group size, optional prompts and reflection questions) and registers its
path through the ``register_questionnaires`` hook. A file may take its scale and statements
from another file (``statements_from``), and may declare that it rates a person
(``subject = "a person"`` with ``[[rater_groups]]``): a 360, where each respondent rates
themselves and invites others, by group, to rate them on the same statements.

This module turns the file into a frozen ``Questionnaire`` and refuses a malformed one with
every problem listed, each naming the file, the item (or dimension) and what is wrong, so a
typo is caught when the kit starts rather than on a respondent's screen. No widgets and no
pandas here: loading is cheap enough for every kernel start.
"""

from __future__ import annotations

import json
import math
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from placekit.errors import PlaceKitError

Anonymity = Literal["named", "optional", "anonymous"]
FLAGS = ("blind spot", "hidden strength", "contested", "low", "strength")
DONT_KNOW = "dk"  # what a "don't know" answer is stored as (never a number: never averaged)
KIT_MIN_GROUP = 3  # an anonymous questionnaire may raise this, never lower it
SUBJECTS = ("a person",)  # what a questionnaire may be about besides the respondent
MAX_RATER_GROUPS = 8

_QID = re.compile(r"^[a-z][a-z0-9_-]{0,63}$")
_PART_ID = re.compile(r"^[A-Za-z][A-Za-z0-9_-]{0,31}$")
_EXTENSIONS = (".toml", ".json", ".yaml", ".yml")
_BAD_PART_ID = "id must be letters, digits, '-' or '_', starting with a letter"


class QuestionnaireError(PlaceKitError, ValueError):
    """A questionnaire file that cannot be used; the message names the file and each problem."""

    def __init__(self, path: Path | str, problems: list[str]) -> None:
        self.path = Path(path)
        self.problems = problems
        listed = "; ".join(problems)
        super().__init__(f"{self.path.name}: {listed}")


@dataclass(frozen=True)
class Scale:
    low: int
    high: int
    labels: Mapping[int, str] = field(default_factory=dict)
    dont_know: str | None = "Don't know"

    @property
    def points(self) -> range:
        return range(self.low, self.high + 1)

    def label(self, value: int) -> str:
        text = self.labels.get(value, "")
        if len(self.labels) == len(self.points):
            return text  # every point named: the name alone reads best
        return f"{value} – {text}" if text else str(value)

    def choices(self) -> tuple[tuple[Any, str], ...]:
        """(stored value, label) for every answer a respondent can give."""
        found: list[tuple[Any, str]] = [(v, self.label(v)) for v in self.points]
        if self.dont_know:
            found.append((DONT_KNOW, self.dont_know))
        return tuple(found)

    def reverse(self, value: float) -> float:
        """A reverse-scored item's answer on the common direction (7 − x on a 1–6 scale)."""
        return self.low + self.high - value


@dataclass(frozen=True)
class Item:
    id: str
    text: str
    dimension: str
    reverse: bool = False
    required: bool = True
    hint: str = ""


@dataclass(frozen=True)
class Dimension:
    id: str
    title: str
    description: str
    items: tuple[Item, ...]


@dataclass(frozen=True)
class Prompt:
    """A conversation or coaching prompt for a dimension showing a flag ("*": any)."""

    dimension: str
    flag: str
    text: str


@dataclass(frozen=True)
class Reflection:
    """A question after the ratings: free text, or one dimension chosen from the list."""

    id: str
    label: str
    type: Literal["text", "dimension"] = "text"
    hint: str = ""
    required: bool = False


@dataclass(frozen=True)
class RateEach:
    """Items rated once for each of a list the facilitator sets (the trust audit's
    organisations): the respondent's own (the self-view) and each partner they choose."""

    label: str = "organisation"
    plural: str = "organisations"
    own_question: str = "Which organisation do you work for?"
    partners_question: str = "Which partner organisations do you work with closely enough to rate?"
    self_name: str = "your own organisation ({target})"


@dataclass(frozen=True)
class RaterGroup:
    """One group of people a person invites to rate them (their peers, say): ``label``
    heads the group's link and results; ``one`` and ``many`` count its raters ("1 peer",
    "3 peers"); ``hint`` says whom to send the link to."""

    id: str
    label: str
    one: str
    many: str
    hint: str = ""


@dataclass(frozen=True)
class Raters:
    """What a questionnaire about a person (``subject = "a person"``) asks of the people
    the respondent invites. ``{subject}`` in ``intro`` and ``stem`` becomes the name the
    respondent gives their raters; ``scale`` is the questionnaire's, with the raters' own
    labels if the file gives them ("Not like them" where the respondent reads "Not like me")."""

    groups: tuple[RaterGroup, ...]
    intro: str
    stem: str
    scale: Scale

    def group(self, group_id: str) -> RaterGroup | None:
        return next((g for g in self.groups if g.id == group_id), None)


@dataclass(frozen=True)
class Flags:
    """Thresholds on the scale's own units. A questionnaire declares its own in ``[flags]``
    (the trust audit's are C.5's); those it leaves out default to shares of its scale."""

    gap: float
    contested_sd: float
    low: float
    strength: float


@dataclass(frozen=True)
class Questionnaire:
    id: str
    title: str
    summary: str
    intro: str
    scale: Scale
    dimensions: tuple[Dimension, ...]
    stem: str = ""
    anonymity: Anonymity = "anonymous"
    min_group: int = KIT_MIN_GROUP
    min_answered: float = 0.5  # share of a dimension's items needed for a person's score
    flags: Flags = Flags(1.0, 1.2, 3.5, 4.5)
    prompts: tuple[Prompt, ...] = ()
    reflections: tuple[Reflection, ...] = ()
    rate_each: RateEach | None = None
    #: "a person" for a 360 (the respondent rates themselves and invites raters), else "".
    subject: str = ""
    raters: Raters | None = None
    source: str = ""  # the file it came from
    statements_source: str = ""  # the file its scale and statements came from, if another

    @property
    def items(self) -> tuple[Item, ...]:
        return tuple(item for d in self.dimensions for item in d.items)

    def item(self, item_id: str) -> Item:
        for item in self.items:
            if item.id == item_id:
                return item
        raise KeyError(f"{self.id!r} has no item {item_id!r}")

    def dimension(self, dimension_id: str) -> Dimension:
        for dimension in self.dimensions:
            if dimension.id == dimension_id:
                return dimension
        known = ", ".join(d.id for d in self.dimensions)
        raise KeyError(f"{self.id!r} has no dimension {dimension_id!r} (its dimensions: {known})")

    def needed(self, dimension: Dimension) -> int:
        """How many of a dimension's items a person must answer for a dimension score."""
        return max(1, math.ceil(self.min_answered * len(dimension.items) - 1e-9))

    def prompts_for(self, dimension: str, flag: str) -> list[str]:
        """The prompts written for this dimension and flag, else those for any dimension."""
        own = [p.text for p in self.prompts if p.flag == flag and p.dimension == dimension]
        return own or [p.text for p in self.prompts if p.flag == flag and p.dimension == "*"]


# -- reading files ---------------------------------------------------------------------------


def read_file(path: Path) -> Any:
    suffix = path.suffix.lower()
    text = path.read_text(encoding="utf-8")
    if suffix == ".toml":
        return tomllib.loads(text)
    if suffix == ".json":
        return json.loads(text)
    # PyYAML comes with Voila (through jupyter_events), so YAML costs no extra dependency.
    import yaml

    return yaml.safe_load(text)


def load(path: str | Path) -> Questionnaire:
    """Read and check a questionnaire file; ``QuestionnaireError`` lists every problem."""
    path = Path(path)
    if path.suffix.lower() not in _EXTENSIONS:
        raise QuestionnaireError(path, [f"use a .toml, .json or .yaml file, not {path.suffix!r}"])
    try:
        raw = read_file(path)
    except FileNotFoundError:
        raise QuestionnaireError(path, ["the file does not exist"]) from None
    except UnicodeDecodeError:
        raise QuestionnaireError(path, ["the file is not UTF-8 text"]) from None
    except Exception as exc:  # tomllib/json/yaml each name the line of a syntax error
        raise QuestionnaireError(path, [f"not valid {path.suffix[1:].upper()}: {exc}"]) from None
    return parse(raw, path)


def parse(raw: Any, path: str | Path = "<questionnaire>") -> Questionnaire:
    """Check an already-read mapping (what ``load`` does after reading the file)."""
    checker = _Checker()
    questionnaire = checker.questionnaire(raw, Path(path))
    if checker.problems:
        raise QuestionnaireError(path, checker.problems)
    assert questionnaire is not None
    return questionnaire


# -- checking ----------------------------------------------------------------------------------

_TOP = {
    "id", "title", "summary", "intro", "stem", "anonymity", "min_group", "min_answered",
    "scale", "dimensions", "flags", "prompts", "reflections", "rate_each", "statements_from",
    "subject", "rater_groups", "rater_intro", "rater_stem", "rater_labels",
}  # fmt: skip
_RATERS = ("rater_groups", "rater_intro", "rater_stem", "rater_labels")
_RATER_GROUP = {"id", "label", "one", "many", "hint"}
_SCALE = {"low", "high", "labels", "dont_know"}
_DIMENSION = {"id", "title", "description", "items"}
_ITEM = {"id", "text", "reverse", "required", "hint"}
_PROMPT = {"dimension", "flag", "text"}
_REFLECTION = {"id", "label", "type", "hint", "required"}
_RATE_EACH = {"label", "plural", "own_question", "partners_question", "self_name"}
_FLAGS = {"gap", "contested_sd", "low", "strength"}


class _Checker:
    def __init__(self) -> None:
        self.problems: list[str] = []

    def fail(self, where: str, message: str) -> None:
        self.problems.append(f"{where}: {message}" if where else message)

    def table(self, value: Any, where: str, allowed: set[str]) -> dict[str, Any]:
        if not isinstance(value, dict):
            self.fail(where, f"must be a table of settings, not {type(value).__name__}")
            return {}
        for key in sorted(set(value) - allowed):
            # Unknown keys are refused: "revese = true" must not silently score forwards.
            self.fail(where, f"unknown setting {key!r} (known: {', '.join(sorted(allowed))})")
        return value

    def text(self, data: dict[str, Any], key: str, where: str, required: bool = True) -> str:
        value = data.get(key)
        if value is None:
            if required:
                self.fail(where, f"{key!r} is missing")
            return ""
        if not isinstance(value, str) or (required and not value.strip()):
            self.fail(where, f"{key!r} must be text" + (" that is not empty" if required else ""))
            return ""
        return value.strip()

    def flag(self, data: dict[str, Any], key: str, where: str, default: bool) -> bool:
        value = data.get(key, default)
        if not isinstance(value, bool):
            self.fail(where, f"{key!r} must be true or false, not {value!r}")
            return default
        return value

    def number(self, data: dict[str, Any], key: str, where: str, default: Any) -> Any:
        value = data.get(key, default)
        if isinstance(value, bool) or not isinstance(value, int | float):
            self.fail(where, f"{key!r} must be a number, not {value!r}")
            return default
        return value

    def questionnaire(self, raw: Any, path: Path) -> Questionnaire | None:
        data = self.table(raw, "", _TOP)
        if not data:
            if not self.problems:
                self.fail("", "the file is empty")
            return None
        qid = self.text(data, "id", "")
        if qid and not _QID.match(qid):
            self.fail("", f"id {qid!r} must be 1-64 lower-case letters, digits, '-' or '_',"
                      " starting with a letter")  # fmt: skip
        title = self.text(data, "title", "")
        summary = self.text(data, "summary", "")
        intro = self.text(data, "intro", "", required=False)
        stem = self.text(data, "stem", "", required=False)
        anonymity = data.get("anonymity", "anonymous")
        if anonymity not in ("named", "optional", "anonymous"):
            self.fail(
                "", f"anonymity must be 'named', 'optional' or 'anonymous', not {anonymity!r}"
            )
            anonymity = "anonymous"
        min_group = data.get("min_group", KIT_MIN_GROUP)
        if isinstance(min_group, bool) or not isinstance(min_group, int) or min_group < 1:
            self.fail("", f"min_group must be a whole number of at least 1, not {min_group!r}")
            min_group = KIT_MIN_GROUP
        elif anonymity == "anonymous" and min_group < KIT_MIN_GROUP:
            self.fail("", f"min_group is {min_group}, but an anonymous questionnaire must"
                      f" withhold figures about fewer than {KIT_MIN_GROUP} people")  # fmt: skip
            min_group = KIT_MIN_GROUP
        min_answered = self.number(data, "min_answered", "", 0.5)
        if not 0 < min_answered <= 1:
            self.fail("", f"min_answered must be a share above 0 and at most 1, not {min_answered}")
            min_answered = 0.5
        statements_from = self.text(data, "statements_from", "", required=False)
        shared = None
        if statements_from:
            shared = self.shared(statements_from, data, path)
            scale, dimensions = (shared.scale, shared.dimensions) if shared else (None, ())
        else:
            scale = self.scale(data.get("scale"))
            dimensions = self.dimensions(data.get("dimensions"), scale)
        rate_each = self.rate_each(data.get("rate_each"))
        if "{target}" in stem and rate_each is None:
            self.fail("", "stem mentions {target} but there is no [rate_each] section")
        subject, raters = self.raters(data, scale)
        if subject and rate_each is not None:
            self.fail("", "a questionnaire rates either a person (subject) or each of a list"
                      " ([rate_each]), not both")  # fmt: skip
        if subject and anonymity != "anonymous":
            self.fail("", f"a questionnaire about {subject} must be anonymous: its raters are"
                      " promised that no one can tell which answers are theirs")  # fmt: skip
        dim_ids = {d.id for d in dimensions}
        prompts = self.prompts(data.get("prompts", []), dim_ids)
        reflections = self.reflections(data.get("reflections", []), scale, dimensions)
        flags = self.flags(data.get("flags", {}), scale)
        if scale is None or self.problems:
            return None
        return Questionnaire(
            id=qid,
            title=title,
            summary=summary,
            intro=intro,
            scale=scale,
            dimensions=dimensions,
            stem=stem,
            anonymity=anonymity,
            min_group=min_group,
            min_answered=float(min_answered),
            flags=flags,
            prompts=prompts,
            reflections=reflections,
            rate_each=rate_each,
            subject=subject,
            raters=raters,
            source=str(path),
            statements_source=shared.source if shared else "",
        )

    def shared(self, name: str, data: dict[str, Any], path: Path) -> Questionnaire | None:
        """The questionnaire whose scale and statements this file takes (``statements_from``,
        a path relative to this file): reused, not copied, so the two always ask the same."""
        for key in ("scale", "dimensions"):
            if key in data:
                self.fail("", f"{key!r} comes from statements_from = {name!r}: declare it in"
                          " one file only")  # fmt: skip
        if Path(name).is_absolute():
            self.fail("", f"statements_from must be a path relative to this file, not {name!r}")
            return None
        other = path.parent / name
        if other.resolve() == path.resolve():
            self.fail("", "statements_from names this file itself")
            return None
        try:
            found = load(other)
        except QuestionnaireError as problem:
            self.fail("", f"statements_from = {name!r}: " + "; ".join(problem.problems))
            return None
        if found.statements_source:
            self.fail("", f"statements_from = {name!r} takes its statements from another file"
                      " too; name that file instead")  # fmt: skip
            return None
        return found

    def raters(self, data: dict[str, Any], scale: Scale | None) -> tuple[str, Raters | None]:
        """``subject`` and what its raters are asked (``rater_*``, ``[[rater_groups]]``)."""
        subject = data.get("subject")
        if subject is None:
            for key in _RATERS:
                if key in data:
                    self.fail("", f"{key!r} is for a questionnaire about a person: add"
                              ' subject = "a person"')  # fmt: skip
            return "", None
        if subject not in SUBJECTS:
            known = ", ".join(repr(s) for s in SUBJECTS)
            self.fail("", f"subject must be {known}, not {subject!r}")
            return "", None
        groups = self.rater_groups(data.get("rater_groups"))
        intro = self.text(data, "rater_intro", "", required=False)
        stem = self.text(data, "rater_stem", "", required=False) or "How like {subject} is this?"
        rater_scale = scale
        labels = data.get("rater_labels")
        if labels is not None and scale is not None:
            points = len(scale.points)
            if (
                not isinstance(labels, list)
                or len(labels) != points
                or not all(isinstance(t, str) and t.strip() for t in labels)
            ):
                self.fail("", f"rater_labels must list {points} names, one per point of the"
                          f" scale ({scale.low} to {scale.high})")  # fmt: skip
            else:
                named = dict(zip(scale.points, (t.strip() for t in labels), strict=True))
                rater_scale = Scale(scale.low, scale.high, named, scale.dont_know)
        if rater_scale is None:
            return subject, None
        return subject, Raters(groups, intro, stem, rater_scale)

    def rater_groups(self, raw: Any) -> tuple[RaterGroup, ...]:
        if not isinstance(raw, list) or not raw:
            self.fail("", "a questionnaire about a person needs at least one [[rater_groups]]"
                      " entry")  # fmt: skip
            return ()
        if len(raw) > MAX_RATER_GROUPS:
            self.fail("", f"list {MAX_RATER_GROUPS} rater groups or fewer, not {len(raw)}")
        found: list[RaterGroup] = []
        for number, entry in enumerate(raw, 1):
            where = f"rater group {number}"
            if isinstance(entry, dict) and isinstance(entry.get("id"), str):
                where = f"rater group {entry['id'].strip()!r}"
            data = self.table(entry, where, _RATER_GROUP)
            if not data:
                continue
            group_id = self.text(data, "id", where)
            if group_id and not _PART_ID.match(group_id):
                self.fail(where, _BAD_PART_ID)
            if group_id in {g.id for g in found}:
                self.fail(where, "another rater group already has this id")
            found.append(
                RaterGroup(
                    group_id,
                    self.text(data, "label", where),
                    self.text(data, "one", where),
                    self.text(data, "many", where),
                    self.text(data, "hint", where, required=False),
                )
            )
        return tuple(found)

    def scale(self, raw: Any) -> Scale | None:
        if raw is None:
            self.fail("scale", "the [scale] section is missing")
            return None
        data = self.table(raw, "scale", _SCALE)
        low, high = data.get("low"), data.get("high")
        if not all(isinstance(v, int) and not isinstance(v, bool) for v in (low, high)):
            self.fail("scale", f"low and high must be whole numbers, not {low!r} and {high!r}")
            return None
        if not low < high or high - low > 10:
            self.fail("scale", f"needs low < high and at most 11 points, not {low} to {high}")
            return None
        labels: dict[int, str] = {}
        raw_labels = data.get("labels", {})
        if isinstance(raw_labels, list):
            if len(raw_labels) != high - low + 1:
                self.fail("scale", f"labels lists {len(raw_labels)} names for"
                          f" {high - low + 1} points ({low} to {high})")  # fmt: skip
            labels = dict(zip(range(low, high + 1), map(str, raw_labels), strict=False))
        elif isinstance(raw_labels, dict):
            for key, text in raw_labels.items():
                try:
                    point = int(key)
                except (TypeError, ValueError):
                    point = None
                if point is None or not low <= point <= high:
                    self.fail(
                        "scale", f"label for {key!r}, which is not a point from {low} to {high}"
                    )
                elif not isinstance(text, str) or not text.strip():
                    self.fail("scale", f"label for {point} must be text")
                else:
                    labels[point] = text.strip()
        else:
            self.fail("scale", "labels must be a list of names or a table of point = name")
        dont_know = data.get("dont_know", "Don't know")
        if dont_know is False:
            dont_know = None
        elif not isinstance(dont_know, str) or not dont_know.strip():
            self.fail("scale", "dont_know must be the option's text, or false for none")
            dont_know = None
        return Scale(low, high, labels, dont_know)

    def dimensions(self, raw: Any, scale: Scale | None) -> tuple[Dimension, ...]:
        if not isinstance(raw, list) or not raw:
            self.fail("", "there must be at least one [[dimensions]] entry")
            return ()
        found: list[Dimension] = []
        seen_dims: set[str] = set()
        seen_items: dict[str, str] = {}
        for number, entry in enumerate(raw, 1):
            where = f"dimension {number}"
            if isinstance(entry, dict) and isinstance(entry.get("id"), str):
                where = f"dimension {entry['id'].strip()!r}"
            data = self.table(entry, where, _DIMENSION)
            dim_id = self.text(data, "id", where) if data else ""
            if dim_id:
                where = f"dimension {dim_id!r}"
                if not _PART_ID.match(dim_id):
                    self.fail(where, _BAD_PART_ID)
                if dim_id in seen_dims:
                    self.fail(where, "another dimension already has this id")
                seen_dims.add(dim_id)
            title = self.text(data, "title", where) if data else ""
            description = self.text(data, "description", where, required=False) if data else ""
            raw_items = data.get("items") if data else None
            if not isinstance(raw_items, list) or not raw_items:
                if data:
                    self.fail(where, "has no items")
                raw_items = []
            items = []
            for item_number, raw_item in enumerate(raw_items, 1):
                item = self.item(raw_item, dim_id, f"{where}, item {item_number}", seen_items)
                if item:
                    items.append(item)
            found.append(Dimension(dim_id, title, description, tuple(items)))
        return tuple(found)

    def item(self, raw: Any, dim_id: str, where: str, seen: dict[str, str]) -> Item | None:
        if isinstance(raw, dict) and isinstance(raw.get("id"), str) and raw["id"].strip():
            where = f"item {raw['id'].strip()!r}"  # name the item in every message about it
        data = self.table(raw, where, _ITEM)
        if not data:
            return None
        item_id = self.text(data, "id", where)
        if item_id:
            if not _PART_ID.match(item_id):
                self.fail(where, _BAD_PART_ID)
            if item_id in seen:
                self.fail(where, f"the id is used twice (also in dimension {seen[item_id]!r})")
            seen[item_id] = dim_id
        text = self.text(data, "text", where)
        reverse = self.flag(data, "reverse", where, False)
        required = self.flag(data, "required", where, True)
        hint = self.text(data, "hint", where, required=False)
        return Item(item_id, text, dim_id, reverse, required, hint)

    def prompts(self, raw: Any, dim_ids: set[str]) -> tuple[Prompt, ...]:
        if not isinstance(raw, list):
            self.fail("prompts", "must be a list of [[prompts]] entries")
            return ()
        found = []
        for number, entry in enumerate(raw, 1):
            where = f"prompt {number}"
            data = self.table(entry, where, _PROMPT)
            dim = self.text(data, "dimension", where) if data else ""
            if dim and dim != "*" and dim not in dim_ids:
                self.fail(where, f"dimension {dim!r} is not one of this questionnaire's")
            flag = self.text(data, "flag", where) if data else ""
            if flag and flag not in FLAGS:
                self.fail(where, f"flag {flag!r} is not one of {', '.join(FLAGS)}")
            text = self.text(data, "text", where) if data else ""
            found.append(Prompt(dim, flag, text))
        return tuple(found)

    def reflections(
        self, raw: Any, scale: Scale | None, dims: tuple[Dimension, ...]
    ) -> tuple[Reflection, ...]:
        if not isinstance(raw, list):
            self.fail("reflections", "must be a list of [[reflections]] entries")
            return ()
        item_ids = {i.id for d in dims for i in d.items}
        found = []
        for number, entry in enumerate(raw, 1):
            where = f"reflection {number}"
            data = self.table(entry, where, _REFLECTION)
            if not data:
                continue
            rid = self.text(data, "id", where)
            if rid:
                where = f"reflection {rid!r}"
                if not _PART_ID.match(rid) or rid in item_ids or rid in ("org", "partners"):
                    self.fail(where, "id must be a new name: letters, digits, '-' or '_'")
            kind = data.get("type", "text")
            if kind not in ("text", "dimension"):
                self.fail(where, f"type must be 'text' or 'dimension', not {kind!r}")
                kind = "text"
            found.append(
                Reflection(
                    rid,
                    self.text(data, "label", where),
                    kind,
                    self.text(data, "hint", where, required=False),
                    self.flag(data, "required", where, False),
                )
            )
        return tuple(found)

    def rate_each(self, raw: Any) -> RateEach | None:
        if raw is None:
            return None
        data = self.table(raw, "rate_each", _RATE_EACH)
        texts = {k: self.text(data, k, "rate_each", required=False) for k in _RATE_EACH}
        if texts["self_name"] and "{target}" not in texts["self_name"]:
            self.fail("rate_each", "self_name must contain {target}")
        return RateEach(**{k: v for k, v in texts.items() if v})

    def flags(self, raw: Any, scale: Scale | None) -> Flags:
        span = (scale.high - scale.low) if scale else 5
        low = scale.low if scale else 1
        data = self.table(raw, "flags", _FLAGS)
        # Defaults as shares of the scale (a fifth of it for a gap, and so on).
        return Flags(
            gap=float(self.number(data, "gap", "flags", span * 0.2)),
            contested_sd=float(self.number(data, "contested_sd", "flags", span * 0.24)),
            low=float(self.number(data, "low", "flags", low + span * 0.5)),
            strength=float(self.number(data, "strength", "flags", low + span * 0.7)),
        )
