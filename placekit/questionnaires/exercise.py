"""A questionnaire file as an exercise: its records, guided pages, validation and results.

``QuestionnaireExercise(questionnaire)`` needs no code of its own: one page per dimension
(for a questionnaire rated for each organisation, one per organisation and dimension), a
"check your answers" page that submits, and a private results page. Answers save as they
are given; only submitted answers count, each respondent once per round.

A questionnaire about a person (a 360) adds an "Invite raters" page, whose links open the
questionnaire to each rater group as guests (``guest_view``: a ``RaterView``), and makes
the results page the leader's own 360 results.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from placekit.data.responses import Responses
from placekit.exercise import Exercise, Field, FieldError, Page, RecordKind, Summary
from placekit.questionnaires.answers import (
    Target,
    all_errors,
    dimension_errors,
    lock_reason,
    profile_errors,
    reflection_errors,
    round_no,
    submit,
    targets,
)
from placekit.questionnaires.model import Dimension, Questionnaire, load
from placekit.questionnaires.raters import (
    RATED,
    RATING,
    SUBJECT,
    Invitation,
    all_rating_errors,
    invitation,
    rater_lock,
    rating_errors,
    rating_submitted,
    submit_rating,
)
from placekit.questionnaires.rounds import ROUND, submitted

if TYPE_CHECKING:
    from placekit.data.access import Guest


def item_fields(q: Questionnaire, choices: Any) -> tuple[Field, ...]:
    """One choice field per statement: the respondent's own answers and a rater's share
    them, each with the scale as that reader sees it."""
    return tuple(
        Field(
            item.id,
            item.text,
            type="choice",
            required=item.required,
            hint=item.hint,
            choices=choices,
        )
        for item in q.items
    )


def build_kinds(q: Questionnaire) -> tuple[RecordKind, ...]:
    plural = q.rate_each.plural if q.rate_each else "those rated"
    answers = RecordKind(
        "answers",
        "member",
        item_fields(q, q.scale.choices()),
        "One respondent's answers in one round (and, where rated for each, about one"
        f" {q.rate_each.label if q.rate_each else 'of a list'}); private to the respondent.",
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
            Field("targets", f"{plural.capitalize()} taking part", type="lines"),
            Field("opened_at", "Opened at"),
            Field("closed_at", "Closed at"),
        ),
        f"Each round: the {plural} taking part, and when it opened and closed.",
    )
    if q.raters is None:
        return (answers, profile, submission, rounds)
    return (answers, profile, submission, rounds, *rater_kinds(q))


def rater_kinds(q: Questionnaire) -> tuple[RecordKind, ...]:
    """A 360's records besides the leader's own answers: their 360 per round, and each
    rater's answers and submission, filed under the rater's respondent key."""
    assert q.raters is not None
    subject = RecordKind(
        SUBJECT,
        "member",
        (Field("code", "The 360's code"), Field("closed_at", "Closed on")),
        "A leader's 360 in one round (record r<round>): the random code its raters' links"
        " and answers carry, and the day the leader closed it.",
    )
    rating = RecordKind(
        RATING,
        "member",
        item_fields(q, q.raters.scale.choices()),
        "One rater's answers about one 360 (record r<round>.<code>).",
    )
    groups = tuple((g.id, g.label) for g in q.raters.groups)
    rated = RecordKind(
        RATED,
        "member",
        (
            Field("group", "Rater group", type="choice", choices=groups),
            Field("submitted_at", "Submitted on"),
        ),
        "A rater's submission (record r<round>.<code>): their group and the day; only"
        " submitted ratings count.",
    )
    return (subject, rating, rated)


def build_steps(q: Questionnaire) -> tuple[tuple[str, str], ...]:
    steps: list[tuple[str, str]] = [("start", "Before you start")]
    if q.raters:
        steps.append(("invite", "Invite raters"))
    if q.rate_each:
        steps += [("self", f"Your own {q.rate_each.label}"), ("partners", "Your partners")]
    else:
        steps += [(d.id, d.title) for d in q.dimensions]
    if q.reflections:
        steps.append(("reflect", "Reflect"))
    results = "Your 360 results" if q.raters else "Your results"
    return (*steps, ("check", "Check your answers"), ("results", results))


def from_file(path: str | os.PathLike[str]) -> QuestionnaireExercise:
    """The exercise a questionnaire file declares; raises ``QuestionnaireError`` naming
    each problem in the file."""
    return QuestionnaireExercise(load(Path(path)))


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
        # "Your results" shows the group's profile beside the member's own; a 360's
        # results are one leader's, and a 360 is not run in the room.
        self.held_until_revealed = {} if q.raters else {"results": "results"}  # type: ignore[misc]

    def __repr__(self) -> str:
        return f"<QuestionnaireExercise {self.id!r} from {self.questionnaire.source}>"

    def seed_demo(self, respond: Callable[[str | None], Responses], members: list[str]) -> None:
        # Lazy: the demo's random answers are needed only by `placekit demo`.
        from placekit.questionnaires.demo import seed

        seed(self.questionnaire, respond, members)

    def pages(self, responses: Responses) -> Sequence[Page]:
        # Lazy: the pages import ipywidgets, not needed to load or list the exercises.
        from placekit.questionnaires import pages as view
        from placekit.questionnaires import rater_pages

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
        if q.raters:
            pages.append(
                Page(
                    f"{prefix}/invite",
                    "invite",
                    "Invite raters",
                    rater_pages.build_invite(q, number),
                    locked=locked,
                )
            )
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
                "Your 360 results" if q.raters else "Your results",
                rater_pages.build_results(q, number) if q.raters else view.build_results(q, number),
                locked=locked_until_submitted,
            ),
        ]
        return pages

    def guest_view(self, guest: Guest) -> Exercise | None:
        """A 360's rater, from the link their leader sent: the questionnaire as they see it."""
        if self.questionnaire.raters is None:
            return None
        invite = invitation(self.questionnaire, guest.scope)
        return RaterView(self, invite, guest.host) if invite else None

    def summarise(self, responses: Responses) -> Summary:
        # Lazy: the results need pandas and numpy, not needed to load the exercises.
        from placekit.questionnaires.results import summarise

        return summarise(self.questionnaire, responses)

    def revealed(self, step: str, responses: Responses) -> Summary | None:
        """In a live session, "Your results" shows the room the team's profile: the
        results page's first table and chart, under the same rules (a round still open in
        an anonymous questionnaire shows nothing but a note saying so)."""
        if step != "results" or self.questionnaire.raters:  # a 360's results are one leader's
            return None
        full = self.summarise(responses)
        first = list(full.tables.items())[:1]
        chart = list(full.figures.items())[:1]
        return Summary(tables=dict(first), figures=dict(chart), notes=full.notes)

    def facilitator_panel(self, responses: Responses, redraw: Callable[[], None]) -> Any:
        # Lazy: widgets are only needed on the facilitator's page, not to list exercises.
        from placekit.questionnaires.rounds_panel import facilitator_panel

        return facilitator_panel(responses, redraw)


def _checker(
    q: Questionnaire, number: int, target: Target, dim: Dimension
) -> Callable[[Responses], list[FieldError]]:
    def check(responses: Responses) -> list[FieldError]:
        return dimension_errors(q, responses, number, target, dim)

    return check


class RaterView(Exercise):
    """A 360 as one of its raters sees it: who they are rating and that they are anonymous,
    one page per dimension, "check your answers", and thanks. The same exercise (its id
    and records) with the rater's own steps and pages."""

    def __init__(self, parent: QuestionnaireExercise, invite: Invitation, name: str) -> None:
        q = parent.questionnaire
        self.parent = parent
        self.questionnaire = q
        self.invitation = invite
        self.name = name  # the leader, as they named themselves in the link
        self.id = parent.id  # type: ignore[misc]
        self.title = parent.title  # type: ignore[misc]
        self.summary = parent.summary  # type: ignore[misc]
        self.anonymity = parent.anonymity  # type: ignore[misc]
        self.min_group = parent.min_group  # type: ignore[misc]
        self.kinds = parent.kinds  # type: ignore[misc]
        self.primary_kind = parent.primary_kind  # type: ignore[misc]
        self.steps = (  # type: ignore[misc]
            ("start", "Before you start"),
            *((d.id, d.title) for d in q.dimensions),
            ("check", "Check your answers"),
            ("sent", "Thank you"),
        )

    def __repr__(self) -> str:
        return f"<RaterView of {self.id!r} as {self.invitation.group.id!r}>"

    def pages(self, responses: Responses) -> Sequence[Page]:
        # Lazy: the pages import ipywidgets, not needed to load or list the exercises.
        from placekit.questionnaires import rater_pages as view

        q, invite, name = self.questionnaire, self.invitation, self.name

        def locked(r: Responses) -> str | None:
            return rater_lock(r, invite, name)

        def locked_until_submitted(r: Responses) -> str | None:
            if rating_submitted(r, invite):
                return None
            return locked(r) or "Check and send your answers first."

        def checker(dim: Dimension) -> Callable[[Responses], list[FieldError]]:
            return lambda r: rating_errors(q, r, invite, dim)

        done = rating_submitted(responses, invite)
        return [
            Page(
                "rate/start",
                "start",
                f"Rating {name}",
                view.rater_start(q, invite, name),
                locked=locked,
            ),
            *(
                Page(
                    f"rate/{d.id}",
                    d.id,
                    d.title,
                    view.rater_dimension(q, invite, name, d),
                    checker(d),
                    locked,
                )
                for d in q.dimensions
            ),
            Page(
                "rate/check",
                "check",
                "Check your answers",
                view.rater_check(q, invite, name),
                lambda r: all_rating_errors(q, r, invite),
                locked,
                confirm=None if done else (lambda r: submit_rating(r, invite)),
            ),
            Page(
                "rate/sent",
                "sent",
                "Thank you",
                view.rater_sent(q, invite, name),
                locked=locked_until_submitted,
            ),
        ]

    def summarise(self, responses: Responses) -> Summary:
        return self.parent.summarise(responses)
