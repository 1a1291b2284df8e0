"""The Exercise API: what a plugin provides, as plain Python with no widgets.

An exercise declares its metadata, the kinds of record it stores (its data schema), and
its pages; its ``summarise()`` turns stored responses into tables, figures and notes. The
widgets in a page are built from ``Field`` declarations by the wizard, so an exercise's
logic can be tested without a browser or a kernel.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar, Literal

if TYPE_CHECKING:
    import pandas as pd

    from placekit.data.access import Guest
    from placekit.data.responses import Responses
    from placekit.web.wizard import PageContext

Scope = Literal["team", "member"]
FieldType = Literal["string", "text", "choice", "multichoice", "scale", "date", "lines", "bool"]


@dataclass(frozen=True)
class Field:
    """One input in a page and one column in the stored data."""

    name: str
    label: str
    type: FieldType = "string"
    required: bool = False
    hint: str = ""
    choices: tuple[tuple[str, str], ...] = ()  # (stored value, label shown)
    low: int | None = None  # for "scale"
    high: int | None = None
    max_length: int = 200  # for "string"

    def check(self, value: Any) -> str | None:
        """A plain-English error for a bad value, or None when the value is acceptable."""
        empty = value is None or value == "" or value == []
        if empty:
            return f"{self.label}: this is required" if self.required else None
        if self.type == "string" and len(str(value)) > self.max_length:
            return f"{self.label}: use {self.max_length} characters or fewer"
        if self.type == "choice" and value not in {v for v, _ in self.choices}:
            return f"{self.label}: choose one of the options"
        if self.type == "multichoice":
            known = {v for v, _ in self.choices}
            if not isinstance(value, list) or (known and not set(value) <= known):
                return f"{self.label}: choose from the options"
        if self.type == "scale":
            if isinstance(value, bool) or not isinstance(value, int):
                return f"{self.label}: choose a value from {self.low} to {self.high}"
            if not (self.low or 0) <= value <= (self.high if self.high is not None else value):
                return f"{self.label}: choose a value from {self.low} to {self.high}"
        return None


@dataclass(frozen=True)
class RecordKind:
    """A kind of record an exercise stores: shared by the team or private to a member."""

    name: str
    scope: Scope
    fields: tuple[Field, ...]
    description: str = ""
    #: Kept inside the wizard: a private "member" kind is seen by its member only, a private
    #: "team" kind by the team's members only. Neither reaches the facilitator's page,
    #: ``summarise()``, exports or ``placekit.open(...).frames()`` (a self-reflection, say).
    private: bool = False
    #: Used in the team's figures but never shown one person at a time: not in
    #: ``placekit.open(...)``'s frames or responses, nor in any export of records (a
    #: member's preferred mode, say, that only the team's pattern may show).
    figures_only: bool = False

    def field(self, name: str) -> Field:
        for f in self.fields:
            if f.name == name:
                return f
        known = ", ".join(f.name for f in self.fields)
        raise KeyError(f"record kind {self.name!r} has no field {name!r} (its fields: {known})")

    def errors(self, data: Mapping[str, Any]) -> dict[str, str]:
        """Field name -> error for every field of ``data`` that breaks its declaration."""
        found = {f.name: f.check(data.get(f.name)) for f in self.fields}
        return {name: message for name, message in found.items() if message}


@dataclass(frozen=True)
class FieldError:
    """A problem to show beside a field and in the page's error summary."""

    message: str
    field: str | None = None  # the bound field's name, to place the message beside it
    record: str | None = None


def field_errors(
    responses: Responses, kind: str, record: str, names: Sequence[str], prefix: str = ""
) -> list[FieldError]:
    """The declared rules of some fields of one record, as errors placed beside each field
    (the usual body of a page's ``validate``)."""
    spec = responses.exercise.kind(kind)
    values = responses.get(kind, record)
    found = []
    for name in names:
        message = spec.field(name).check(values.get(name))
        if message:
            found.append(FieldError(prefix + message, field=f"{record}.{name}", record=record))
    return found


@dataclass(frozen=True)
class Page:
    """One page of the wizard: one thing per page.

    ``build`` makes the page's widgets from a ``placekit.PageContext``.
    ``validate`` and ``locked`` are pure: they read the responses and say what stops the
    member moving on, or why the page cannot be opened yet. ``confirm`` makes a page a
    "check your answers" page: the wizard's Next button becomes "Confirm" and calls it.
    """

    id: str
    step: str  # the task-list step this page belongs to
    title: str
    build: Callable[[PageContext], Any]
    validate: Callable[[Responses], list[FieldError]] = lambda _r: []
    locked: Callable[[Responses], str | None] = lambda _r: None
    confirm: Callable[[Responses], None] | None = None


@dataclass(eq=False)
class Figure:
    """A chart drawn only once it is on screen: ``draw()`` makes the Altair chart, and
    ``description`` says in words what it shows (shown at once, and beside the chart).

    Altair takes seconds to import, which a page would otherwise make every visitor wait
    for before anything shows; a page shows a ``Figure`` with ``interactive_chart``.
    """

    draw: Callable[[], Any]
    description: str
    #: The name of the summary table that holds the chart's figures, where one does: the
    #: results page puts that table straight after the chart, captioned as its figures.
    table: str = ""
    _chart: Any = field(default=None, init=False, repr=False)

    def chart(self) -> Any:
        """The Altair chart, drawn the first time it is asked for."""
        if self._chart is None:
            self._chart = self.draw()
        return self._chart

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> Any:
        """In JupyterLab a figure shows as its chart."""
        return self.chart()._repr_mimebundle_(include=include, exclude=exclude)


@dataclass
class Summary:
    """What ``Exercise.summarise()`` returns: titled tables, figures and notes."""

    tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    figures: dict[str, Any] = field(default_factory=dict)  # Figures (or Altair charts)
    notes: list[str] = field(default_factory=list)


class Exercise(ABC):
    """Base class for every exercise. Subclass it and register an instance."""

    id: ClassVar[str]
    title: ClassVar[str]
    summary: ClassVar[str]
    #: "named": members give a display name; "optional": they may stay anonymous;
    #: "anonymous": no names are asked for.
    anonymity: ClassVar[Literal["named", "optional", "anonymous"]] = "named"
    #: The fewest people a figure shown outside the group may cover; for an anonymous
    #: exercise the facilitator's completion view shows head counts below it only vaguely.
    min_group: ClassVar[int] = 3
    kinds: ClassVar[tuple[RecordKind, ...]] = ()
    primary_kind: ClassVar[str] = ""
    steps: ClassVar[tuple[tuple[str, str], ...]] = ()  # (step id, title) in order
    #: Steps whose pages show members the team's answers, each with the step whose Reveal
    #: opens it (optional). In a live session such a step stays closed to members, a blind
    #: round, until the facilitator reveals that step to the room; outside one it opens as
    #: usual. Name for Reveal only steps ``revealed`` has a result for.
    held_until_revealed: ClassVar[Mapping[str, str]] = {}
    #: Team record kinds the members build together, each with the step whose Reveal
    #: shows them to all (optional). In a live session each member sees only the records
    #: of these kinds they saved themselves, a blind round for a shared map, until the
    #: facilitator reveals that step; outside one everyone sees all of them, as usual.
    own_until_revealed: ClassVar[Mapping[str, str]] = {}

    def kind(self, name: str) -> RecordKind:
        for k in self.kinds:
            if k.name == name:
                return k
        raise KeyError(f"{self.id} has no record kind {name!r}")

    @abstractmethod
    def pages(self, responses: Responses) -> Sequence[Page]:
        """The member's pages, in order; may depend on what has been saved so far."""

    def seed_demo(self, respond: Callable[[str | None], Responses], members: list[str]) -> None:
        """Fill the demo workbook with example answers (optional).

        ``respond(member_id)`` gives a ``Responses`` to save through; ``None`` for team data.
        """
        return None

    @abstractmethod
    def summarise(self, responses: Responses) -> Summary:
        """Turn stored responses into tables, figures and notes. Must be pure."""

    def provides(self) -> Mapping[str, Callable[[Responses], list[str]]]:
        """Named lists this exercise offers to other exercises in the same workbook
        (optional), for example ``{"organisations": organisation_names}``. Each function
        gets this exercise's responses as the facilitator sees them (private kinds left
        out) and returns plain strings; ``placekit.data.links.offered()`` collects them."""
        return {}

    def facilitator_panel(self, responses: Responses, redraw: Callable[[], None]) -> Any:
        """Controls shown above the results on the facilitator's page (optional): set-up
        the exercise needs, or opening and closing rounds. Call ``redraw()`` after a change.
        """
        return None

    def revealed(self, step: str, responses: Responses) -> Summary | None:
        """What the room's screen shows of ``step`` when the facilitator presses Reveal in
        a live session (optional): the team's result for it, as tables, figures and notes
        made from ``responses`` (the facilitator's view, so every privacy and small-group
        rule holds as on the results page). None: the step has nothing to reveal."""
        return None

    def guest_view(self, guest: Guest) -> Exercise | None:
        """What someone who opens one of this exercise's guest links sees (optional; only
        an anonymous exercise has guests): an exercise with this one's ``id`` and
        ``kinds`` and the guest's own ``steps`` and ``pages``, or None when the link's
        ``guest.scope`` opens nothing, and the page says the link is not valid. Guest
        links are made with ``Responses.guest_link``."""
        return None
