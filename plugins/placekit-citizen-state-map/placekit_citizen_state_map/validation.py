"""What stops a member going on, when a page opens, and what Confirm does (pure)."""

from __future__ import annotations

from collections.abc import Callable

from placekit import FieldError, Responses, field_errors, now
from placekit_citizen_state_map import data, moves
from placekit_citizen_state_map.schema import AXES, MAX_SERVICES, MIN_SERVICES

Validate = Callable[[Responses], list[FieldError]]


def _norm(text: object) -> str:
    return " ".join(str(text or "").casefold().split())


def validate_services(responses: Responses) -> list[FieldError]:
    found = data.services(responses)
    errors: list[FieldError] = []
    seen: set[str] = set()
    for number, (sid, service) in enumerate(found.items(), 1):
        errors += field_errors(
            responses, "service", sid, ["name", "provider", "users"], f"Service {number} – "
        )
        key = _norm(service.get("name"))
        if key and key in seen:
            errors.append(
                FieldError(f"Service {number} – it is already on the list", f"{sid}.name")
            )
        seen.add(key)
    if len(found) < MIN_SERVICES:
        errors.append(FieldError("Add at least one service"))
    if len(found) > MAX_SERVICES:
        errors.append(FieldError(f"Keep to {MAX_SERVICES} services or fewer"))
    return errors


def validate_placement(service: str, when: str) -> Validate:
    names = [f"{a.id}_{when}" for a in AXES] + [f"role_{when}"]

    def check(responses: Responses) -> list[FieldError]:
        return field_errors(responses, "placement", service, names)

    return check


def validate_check(responses: Responses) -> list[FieldError]:
    errors = []
    placements = data.placements(responses)
    for number, (sid, service) in enumerate(data.services(responses).items(), 1):
        name = service.get("name") or f"service {number}"
        for when, words in (("now", "is now"), ("future", "should be")):
            if not moves.placed(placements.get(sid, {}), when):
                errors.append(FieldError(f"Say where “{name}” {words}, on every scale"))
    return errors


def locked_until_services(responses: Responses) -> str | None:
    if not data.services(responses):
        return "Add at least one service first."
    return None


def locked_until_agreed(responses: Responses) -> str | None:
    if not data.agreement(responses):
        return "Check and confirm the map first."
    return None


def confirm_map(responses: Responses) -> None:
    """Confirm on "Check the map": record that the team agreed this map, as it is now."""
    entry = responses.entry("agreement", "map")
    responses.save(
        "agreement",
        "map",
        {
            "fingerprint": data.current_fingerprint(responses),
            "agreed_on": now().date().isoformat(),
            "by": data.names(responses).get(responses.member or "", ""),
        },
        base_version=entry.version if entry else 0,
    )
