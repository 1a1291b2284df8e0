"""What stops a member going on, and why a page cannot open yet (pure: ``Responses`` in).

Each page's ``validate`` returns ``FieldError``s: one with ``field="<record>.<field>"`` is
shown beside that input, and all are listed in the page's error summary. ``locked``
returns a sentence, or ``None``. Neither touches a widget, so all of this is tested with a
workbook and no page at all.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from placekit import FieldError, Responses, field_errors
from placekit_reframing import data, logic
from placekit_reframing.schema import MAX_PROBLEMS, MIN_PROBLEMS

Validate = Callable[[Responses], list[FieldError]]


def validate_problems(responses: Responses) -> list[FieldError]:
    found = data.problems(responses)
    errors: list[FieldError] = []
    for number, pid in enumerate(found, 1):
        errors += field_errors(
            responses, "problem", pid, ["statement", "heard_from"], f"Problem {number} – "
        )
    for position in logic.duplicates(p.get("statement") for p in found.values()):
        pid = list(found)[position]
        errors.append(
            FieldError(f"Problem {position + 1} – it is already on the list", f"{pid}.statement")
        )
    if len(found) < MIN_PROBLEMS:
        errors.append(FieldError("Add the problem you want to reframe"))
    if len(found) > MAX_PROBLEMS:
        errors.append(FieldError(f"Keep to {MAX_PROBLEMS} problems or fewer"))
    return errors


def validate_lens(problem: str) -> Validate:
    def check(responses: Responses) -> list[FieldError]:
        return field_errors(responses, "lens", problem, [*data.LENS_FIELDS, "partner"])

    return check


def validate_reframes(problem: str) -> Validate:
    def check(responses: Responses) -> list[FieldError]:
        statement = data.problems(responses).get(problem, {}).get("statement")
        found = data.reframes(responses, problem)
        errors: list[FieldError] = []
        for number, (rid, reframe) in enumerate(found.items(), 1):
            errors += field_errors(
                responses, "reframe", rid, ["text", "possible"], f"Reframe {number} – "
            )
            if logic.same_words(reframe.get("text"), statement):
                errors.append(
                    FieldError(
                        f"Reframe {number} – say it differently from the problem as it is"
                        " usually put",
                        f"{rid}.text",
                    )
                )
        for position in logic.duplicates(r.get("text") for r in found.values()):
            rid = list(found)[position]
            errors.append(
                FieldError(f"Reframe {position + 1} – it repeats another reframe", f"{rid}.text")
            )
        if not found:
            errors.append(FieldError("Write at least one reframe"))
        return errors

    return check


def validate_check(responses: Responses) -> list[FieldError]:
    errors = []
    for number, (pid, problem) in enumerate(data.problems(responses).items(), 1):
        name = _short(problem.get("statement"))
        if not data.lens_complete(responses.get("lens", pid)):
            errors.append(FieldError(f"Answer the three questions about problem {number}, {name}"))
        if not data.reframes(responses, pid):
            errors.append(FieldError(f"Write at least one reframe of problem {number}, {name}"))
    return errors


def validate_vote(problem: str) -> Validate:
    def check(responses: Responses) -> list[FieldError]:
        chosen = responses.get("vote", problem).get("reframes")
        options = list(data.reframes(responses, problem))
        return [
            FieldError(message, f"{problem}.reframes")
            for message in logic.vote_errors(chosen, options)
        ]

    return check


def validate_choose(problem: str) -> Validate:
    def check(responses: Responses) -> list[FieldError]:
        picked = data.decision(responses, problem).get("chosen")
        if not picked:
            return [
                FieldError("Choose the reframe the team will take forward", f"{problem}.chosen")
            ]
        if picked not in data.reframes(responses, problem):
            # Chosen, then removed from the list by someone: the choice no longer stands.
            return [
                FieldError("The reframe chosen has been removed: choose again", f"{problem}.chosen")
            ]
        return []

    return check


def locked_until_problems(responses: Responses) -> str | None:
    if not data.problems(responses):
        return "Add the problem you want to reframe first."
    return None


def locked_until_confirmed(responses: Responses) -> str | None:
    if not data.has_confirmed_all(responses):
        return "Confirm your answers on the “Check your answers” page first."
    return None


def confirm_answers(responses: Responses) -> None:
    """What Confirm on the check-your-answers page does: record which problems the member
    has answered for, which opens the vote."""
    entry = responses.entry("submission", "answers")
    responses.save(
        "submission",
        "answers",
        {
            "problems": list(data.problems(responses)),
            "confirmed_at": dt.datetime.now(dt.UTC).date().isoformat(),
        },
        base_version=entry.version if entry else 0,
    )


def _short(text: object, length: int = 60) -> str:
    words = " ".join(str(text or "").split())
    return f"“{words[: length - 1]}…”" if len(words) > length else f"“{words}”"
