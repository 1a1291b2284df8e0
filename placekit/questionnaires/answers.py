"""A respondent's answers, read and checked as plain Python: whom they rate this round,
which record holds each set of answers, what stops them submitting, and submitting.

The pages, the results and the demo all read answers through here, so none of them needs
the exercise class (which builds on them).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from placekit.data.responses import Responses
from placekit.exercise import FieldError
from placekit.questionnaires.model import DONT_KNOW, Dimension, Questionnaire
from placekit.questionnaires.rounds import current, submitted, target_id


@dataclass(frozen=True)
class Target:
    """Whom a respondent's page is about: ``id`` "" for a plain questionnaire."""

    id: str
    name: str
    perspective: str  # "self", "other" or ""


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
    # The day only: an anonymous record keeps no time finer than that (placekit.data.privacy).
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


def answer_label(q: Questionnaire, value: Any) -> str:
    if value == DONT_KNOW:
        return q.scale.dont_know or "Don't know"
    return dict(q.scale.choices()).get(value, "Not answered")
