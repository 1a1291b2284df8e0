"""Reading the exercise's records into plain shapes (pure: ``Responses`` in, dicts out).

The pages, the validation and the results read records only through these functions, so
how a record is keyed is written down once. Every function takes the ``Responses`` it is
given, as whoever holds it may see them: a member's page, or the team's figures.
"""

from __future__ import annotations

from typing import Any

from placekit import Responses
from placekit_reframing import logic

LENS_FIELDS = ("whose_frame", "users_words", "partner_words")  # the required questions


def problems(responses: Responses) -> dict[str, dict[str, Any]]:
    """Problem id → data, in the order they were added."""
    return responses.records("problem")


def reframes(responses: Responses, problem: str | None = None) -> dict[str, dict[str, Any]]:
    """Reframe id → data, in the order written: of one problem, or of every problem still
    on the list."""
    current = problems(responses)
    return {
        rid: data
        for rid, data in responses.records("reframe").items()
        if (data.get("problem") == problem if problem else data.get("problem") in current)
    }


def votes(responses: Responses, problem: str) -> dict[str, list[str]]:
    """Each member's votes on one problem (member → reframe ids): for counting only, since
    votes are figures-only and never shown one member at a time."""
    return {
        member: list(records.get(problem, {}).get("reframes") or [])
        for member, records in responses.all_members("vote").items()
        if problem in records
    }


def counts(responses: Responses, problem: str) -> dict[str, int]:
    """Votes per reframe of one problem, in the reframes' order (``logic.tally``)."""
    return logic.tally(votes(responses, problem), list(reframes(responses, problem)))


def voters(responses: Responses, problem: str) -> int:
    return logic.voters(votes(responses, problem), list(reframes(responses, problem)))


def lens_complete(answers: dict[str, Any]) -> bool:
    return all(str(answers.get(name) or "").strip() for name in LENS_FIELDS)


def confirmed(responses: Responses, member: str | None = None) -> set[str]:
    """The problems a member has confirmed on the check-your-answers page."""
    return set(responses.get("submission", "answers", member).get("problems") or [])


def has_confirmed_all(responses: Responses, member: str | None = None) -> bool:
    current = set(problems(responses))
    return bool(current) and current <= confirmed(responses, member)


def decision(responses: Responses, problem: str) -> dict[str, Any]:
    return responses.get("decision", problem)


def chosen(responses: Responses, problem: str) -> dict[str, Any] | None:
    """The reframe the team chose for a problem (its data), if it is still on the list."""
    rid = decision(responses, problem).get("chosen")
    return reframes(responses, problem).get(rid) if rid else None


def chosen_reframes(responses: Responses) -> list[str]:
    """Each problem's chosen reframe, in the problems' order: what this exercise offers
    other exercises in the workbook as ``"reframes"`` (a triage's issues, a public
    narrative's story of now)."""
    found = []
    for problem in problems(responses):
        picked = chosen(responses, problem)
        if picked and str(picked.get("text") or "").strip():
            found.append(str(picked["text"]).strip())
    return found


def names(responses: Responses) -> dict[str, str]:
    """Member id → the display name they chose (an anonymous member's is anonymous)."""
    return {m["id"]: m["display_name"] for m in responses.members}


def my_name(responses: Responses) -> str:
    return names(responses).get(responses.member or "", "")
