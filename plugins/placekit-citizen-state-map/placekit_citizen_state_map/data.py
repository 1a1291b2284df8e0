"""Reading the map's records into plain shapes, and what it shares with other exercises."""

from __future__ import annotations

from typing import Any

from placekit import Responses, offered
from placekit_citizen_state_map import moves


def services(responses: Responses) -> dict[str, dict[str, Any]]:
    """Service id → data, in the order they were added."""
    return responses.records("service")


def placements(responses: Responses) -> dict[str, dict[str, Any]]:
    """Service id → placement, for the services still on the list."""
    current = services(responses)
    return {sid: p for sid, p in responses.records("placement").items() if sid in current}


def all_placed(responses: Responses) -> bool:
    found = placements(responses)
    listed = services(responses)
    return bool(listed) and all(
        moves.placed(found.get(sid, {}), when) for sid in listed for when in ("now", "future")
    )


def agreement(responses: Responses) -> dict[str, Any]:
    return responses.get("agreement", "map")


def current_fingerprint(responses: Responses) -> str:
    return moves.fingerprint(services(responses), placements(responses))


def agreed(responses: Responses) -> bool:
    """Whether the map as it stands now is the one the team agreed."""
    return agreement(responses).get("fingerprint") == current_fingerprint(responses)


def service_names(responses: Responses) -> list[str]:
    """The services on the map, in order: offered to other exercises as ``"services"``
    (a demand study's service, say)."""
    return [str(s["name"]).strip() for s in services(responses).values() if s.get("name")]


def asset_names(responses: Responses) -> list[str]:
    """The workbook's assets, to link to the services they could co-produce: whatever
    another exercise offers as ``"assets"`` (the asset map offers its inventory's names),
    asked for by name like any link, so this plugin never imports the asset map."""
    return offered(responses, "assets")


def names(responses: Responses) -> dict[str, str]:
    return {m["id"]: m["display_name"] for m in responses.members}
