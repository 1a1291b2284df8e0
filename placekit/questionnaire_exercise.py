"""A questionnaire file as an exercise: its records, guided pages, validation and results.

``QuestionnaireExercise(questionnaire)`` needs no code of its own: one page per dimension
(for a questionnaire rated for each organisation, one per organisation and dimension), a
"check your answers" page that submits, and a private results page. Answers save as they
are given; only submitted answers count, each respondent once per round.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from placekit.exercise import Exercise, Field, FieldError, Page, RecordKind, Summary
from placekit.questionnaire import DONT_KNOW, Dimension, Questionnaire
from placekit.questionnaire_rounds import (
    ROUND,
    current,
    facilitator_panel,
    submitted,
    target_id,
)
from placekit.responses import Responses


@dataclass(frozen=True)
class Target:
    """Whom a respondent's page is about: ``id`` "" for a plain questionnaire."""

    id: str
    name: str
    perspective: str  # "self", "other" or ""


def build_kinds(q: Questionnaire) -> tuple[RecordKind, ...]:
    answers = RecordKind(
        "answers",
        "member",
        tuple(
            Field(
                item.id,
                item.text,
                type="choice",
                required=item.required,
                hint=item.hint,
                choices=q.scale.choices(),
            )
            for item in q.items
        ),
        "One respondent's answers in one round (and, where rated for each, about one"
        " organisation); private to the respondent.",
    )
    profile_fields: list[Field] = []
    if q.rate_each:
        profile_fields += [
            Field("org", q.rate_each.own_question, type="choice", required=True),
            Field("partners", q.rate_each.partners_question, type="multichoice"),
        ]
    for r in q.reflections:
        if r.type == "dimension":
            choices = tuple((d.id, d.title) for d in q.dimensions)
            profile_fields.append(
                Field(r.id, r.label, "choice", r.required, r.hint, choices=choices)
            )
        else:
            profile_fields.append(Field(r.id, r.label, "text", r.required, r.hint))
    profile = RecordKind(
        "profile", "member", tuple(profile_fields), "A respondent's choices and reflections."
    )
    submission = RecordKind(
        "submission",
        "member",
        (Field("submitted_at", "Submitted at"),),
        "When a respondent submitted a round's answers; only submitted answers count.",
    )
    rounds = RecordKind(
        ROUND,
        "team",
        (
            Field("targets", "Organisations taking part", type="lines"),
            Field("opened_at", "Opened at"),
            Field("closed_at", "Closed at"),
        ),
        "Each round: the organisations taking part, and when it opened and closed.",
    )
    return (answers, profile, submission, rounds)


def build_steps(q: Questionnaire) -> tuple[tuple[str, str], ...]:
    steps: list[tuple[str, str]] = [("start", "Before you start")]
    if q.rate_each:
        steps += [("self", f"Your own {q.rate_each.label}"), ("partners", "Your partners")]
    else:
        steps += [(d.id, d.title) for d in q.dimensions]
    if q.reflections:
        steps.append(("reflect", "Reflect"))
    return (*steps, ("check", "Check your answers"), ("results", "Your results"))


# -- reading a respondent's records (pure) --------------------------------------------------


def round_no(responses: Responses) -> int:
    rnd = current(responses)
    return rnd.number if rnd else 1


def profile(responses: Responses, number: int, member: str | None = None) -> dict[str, Any]:
    return responses.get("profile", f"r{number}", member)


def targets(
    q: Questionnaire, responses: Responses, number: int, member: str | None = None
) -> list[Target]:
    """Whom the respondent rates this round: everyone once for a plain questionnaire; their
    own organisation, then each partner they chose, for one rated for each."""
    if q.rate_each is None:
        return [Target("", "", "")]
    rnd = current(responses)
    listed = list(rnd.targets) if rnd else []
    mine = profile(responses, number, member)
    own = mine.get("org")
    if own not in listed:
        return []
    found = [Target(target_id(own), own, "self")]
    for name in mine.get("partners") or []:
        if name in listed and name != own:
            found.append(Target(target_id(name), name, "other"))
    return found


def answers_record(number: int, target: Target) -> str:
    return f"r{number}.{target.id}" if target.id else f"r{number}"


def _short(text: str, limit: int = 70) -> str:
    text = text.lstrip("…. ")
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def dimension_errors(
    q: Questionnaire, responses: Responses, number: int, target: Target, dim: Dimension
) -> list[FieldError]:
    record = answers_record(number, target)
    values = responses.get("answers", record)
    allowed = {v for v, _label in q.scale.choices()}
    errors = []
    for item in dim.items:
        value = values.get(item.id)
        if value is None and not item.required:
            continue
        if value not in allowed or isinstance(value, bool):
            about = f" about {target.name}" if target.name else ""
            errors.append(
                FieldError(
                    f"Choose an answer{about} for “{_short(item.text)}”",
                    field=f"{record}.{item.id}",
                    record=record,
                )
            )
    return errors


def profile_errors(q: Questionnaire, responses: Responses, number: int) -> list[FieldError]:
    record = f"r{number}"
    mine = profile(responses, number)
    errors = []
    if q.rate_each is not None:
        rnd = current(responses)
        if mine.get("org") not in (rnd.targets if rnd else ()):
            errors.append(
                FieldError(f"Choose your {q.rate_each.label}", field=f"{record}.org", record=record)
            )
    return errors


def reflection_errors(q: Questionnaire, responses: Responses, number: int) -> list[FieldError]:
    record = f"r{number}"
    spec = responses.exercise.kind("profile")
    mine = profile(responses, number)
    errors = []
    for r in q.reflections:
        message = spec.field(r.id).check(mine.get(r.id))
        if message:
            errors.append(FieldError(message, field=f"{record}.{r.id}", record=record))
    return errors


def all_errors(q: Questionnaire, responses: Responses, number: int) -> list[FieldError]:
    errors = profile_errors(q, responses, number)
    for target in targets(q, responses, number):
        for dim in q.dimensions:
            missing = dimension_errors(q, responses, number, target, dim)
            if missing:
                about = f" ({target.name})" if target.name else ""
                errors.append(
                    FieldError(f"{dim.title}{about}: {len(missing)} question(s) not answered")
                )
    return errors + reflection_errors(q, responses, number)


def submit(responses: Responses) -> None:
    """Record that the respondent submitted this round (the check page's Confirm)."""
    record = f"r{round_no(responses)}"
    entry = responses.entry("submission", record)
    if entry and (entry.data or {}).get("submitted_at"):
        return  # submitted once, counted once
    # The day only: an anonymous record keeps no time finer than that (placekit.privacy).
    stamp = dt.datetime.now(dt.UTC).date().isoformat()
    responses.save(
        "submission", record, {"submitted_at": stamp}, base_version=entry.version if entry else 0
    )


def lock_reason(q: Questionnaire, responses: Responses) -> str | None:
    rnd = current(responses)
    if rnd is None or (q.rate_each is not None and not rnd.targets):
        return (
            f"Your facilitator has not yet listed the {q.rate_each.plural if q.rate_each else ''}"
            " taking part. Come back to this link later."
        )
    if rnd.closed and not submitted(responses, rnd.number):
        return (
            f"Round {rnd.number} has closed, so no more answers can be added. Your"
            " facilitator will let you know when the next round opens."
        )
    return None


class QuestionnaireExercise(Exercise):
    """An exercise made from a ``Questionnaire``: everything comes from the model."""

    def __init__(self, questionnaire: Questionnaire) -> None:
        q = questionnaire
        self.questionnaire = q
        # Exercise declares these as class attributes; each questionnaire sets its own.
        self.id = q.id  # type: ignore[misc]
        self.title = q.title  # type: ignore[misc]
        self.summary = q.summary  # type: ignore[misc]
        self.anonymity = q.anonymity  # type: ignore[misc]
        self.min_group = q.min_group  # type: ignore[misc]
        self.kinds = build_kinds(q)  # type: ignore[misc]
        self.primary_kind = "answers"  # type: ignore[misc]
        self.steps = build_steps(q)  # type: ignore[misc]

    def __repr__(self) -> str:
        return f"<QuestionnaireExercise {self.id!r} from {self.questionnaire.source}>"

    def seed_demo(self, respond: Callable[[str | None], Responses], members: list[str]) -> None:
        from placekit.questionnaire_demo import seed

        seed(self.questionnaire, respond, members)

    def pages(self, responses: Responses) -> Sequence[Page]:
        from placekit import questionnaire_pages as view

        q = self.questionnaire
        number = round_no(responses)
        prefix = f"r{number}"

        def locked(r: Responses) -> str | None:
            return lock_reason(q, r)

        def locked_until_submitted(r: Responses) -> str | None:
            if submitted(r, number):
                return None
            return locked(r) or "Check and submit your answers first."

        pages = [Page(f"{prefix}/start", "start", q.title, view.build_start(q), locked=locked)]
        if q.rate_each:
            pages.append(
                Page(
                    f"{prefix}/about",
                    "start",
                    f"About your {q.rate_each.label}",
                    view.build_about(q, number),
                    lambda r: profile_errors(q, r, number),
                    locked,
                )
            )
        rated = targets(q, responses, number)
        for target in rated:
            for dim in q.dimensions:
                step = (
                    ("self" if target.perspective == "self" else "partners")
                    if (q.rate_each)
                    else dim.id
                )
                title = f"{dim.title}: {target.name}" if target.name else dim.title
                pages.append(
                    Page(
                        f"{prefix}/{target.id or 'all'}/{dim.id}",
                        step,
                        title,
                        view.build_dimension(q, number, target, dim),
                        _checker(q, number, target, dim),
                        locked,
                    )
                )
        if q.rate_each:
            chosen = {t.perspective for t in rated}
            if "self" not in chosen:
                pages.append(
                    Page(
                        f"{prefix}/self",
                        "self",
                        f"Your own {q.rate_each.label}",
                        view.build_note(f"Choose your {q.rate_each.label} first."),
                        lambda r: profile_errors(q, r, number),
                        locked,
                    )
                )
            if "other" not in chosen:
                pages.append(
                    Page(
                        f"{prefix}/partners",
                        "partners",
                        "Your partners",
                        view.build_note(
                            f"You have not chosen any partner {q.rate_each.plural} to rate. Go"
                            " back to change that, or continue."
                        ),
                        locked=locked,
                    )
                )
            order = {"start": 0, "self": 1, "partners": 2}
            pages.sort(key=lambda p: order[p.step])
        if q.reflections:
            pages.append(
                Page(
                    f"{prefix}/reflect",
                    "reflect",
                    "Reflect",
                    view.build_reflect(q, number),
                    lambda r: reflection_errors(q, r, number),
                    locked,
                )
            )
        pages += [
            Page(
                f"{prefix}/check",
                "check",
                "Check your answers",
                view.build_check(q, number),
                lambda r: all_errors(q, r, number),
                locked,
                confirm=None if submitted(responses, number) else submit,
            ),
            Page(
                f"{prefix}/done",
                "results",
                "Your results",
                view.build_results(q, number),
                locked=locked_until_submitted,
            ),
        ]
        return pages

    def summarise(self, responses: Responses) -> Summary:
        from placekit.questionnaire_results import summarise

        return summarise(self.questionnaire, responses)

    def facilitator_panel(self, responses: Responses, redraw: Callable[[], None]) -> Any:
        return facilitator_panel(responses, redraw)


def _checker(
    q: Questionnaire, number: int, target: Target, dim: Dimension
) -> Callable[[Responses], list[FieldError]]:
    def check(responses: Responses) -> list[FieldError]:
        return dimension_errors(q, responses, number, target, dim)

    return check


def answer_label(q: Questionnaire, value: Any) -> str:
    if value == DONT_KNOW:
        return q.scale.dont_know or "Don't know"
    return dict(q.scale.choices()).get(value, "Not answered")
