"""Where each service is, where it should be, and the moves between: pure functions over
plain dicts (a placement record's data), with every move said in plain words.

A placement holds ``<axis>_now`` and ``<axis>_future`` for each of the four axes (1 to 5)
and ``role_now`` / ``role_future`` (recipient, consumer, co-producer).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from placekit_citizen_state_map.schema import AXES, AXIS, ROLE_RANK, ROLE_WORDS, WHEN

PLACEMENT_NAMES = tuple(
    f"{name}_{when}" for when, _words in WHEN for name in (*(a.id for a in AXES), "role")
)


def _point(value: Any) -> int | None:
    return (
        value
        if isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= 5
        else None
    )


def placed(placement: Mapping[str, Any], when: str) -> bool:
    """Whether a service has every scale answered for ``when`` ("now" or "future")."""
    return all(_point(placement.get(f"{a.id}_{when}")) for a in AXES) and (
        placement.get(f"role_{when}") in ROLE_RANK
    )


@dataclass(frozen=True)
class Move:
    service: str
    dimension: str  # an axis id, or "role"
    title: str  # "Transactional ↔ High-touch", or "Recipient, consumer or co-producer"
    now: int  # the position (the role's rank: 1 recipient, 2 consumer, 3 co-producer)
    future: int
    words: str  # the move in plain words

    @property
    def change(self) -> int:
        return self.future - self.now


ROLE_TITLE = "Recipient, consumer or co-producer"


def axis_move(service: str, axis_id: str, now: int, future: int) -> Move:
    axis = AXIS[axis_id]
    steps = abs(future - now)
    towards = axis.high if future > now else axis.low
    words = (
        f"from {axis.words(now)} ({now}) to {axis.words(future)} ({future}):"
        f" {steps} step{'s' if steps != 1 else ''} towards {towards.lower()}"
    )
    return Move(service, axis_id, axis.title, now, future, words)


def role_move(service: str, now: str, future: str) -> Move:
    words = f"people move from {ROLE_WORDS[now]} to {ROLE_WORDS[future]}"
    if ROLE_RANK[future] > ROLE_RANK[now]:
        words += ": a bigger part for them in making it work"
    else:
        words += ": a smaller part for them in making it work"
    return Move(service, "role", ROLE_TITLE, ROLE_RANK[now], ROLE_RANK[future], words)


def moves(service: str, placement: Mapping[str, Any]) -> list[Move]:
    """Every change between now and where the service should be, axis by axis, then the
    role; a dimension with either end unanswered, or no change, has no move."""
    found = []
    for axis in AXES:
        now, future = (
            _point(placement.get(f"{axis.id}_now")),
            _point(placement.get(f"{axis.id}_future")),
        )
        if now and future and now != future:
            found.append(axis_move(service, axis.id, now, future))
    now_role, future_role = placement.get("role_now"), placement.get("role_future")
    if now_role in ROLE_RANK and future_role in ROLE_RANK and now_role != future_role:
        found.append(role_move(service, now_role, future_role))
    return found


def position_text(placement: Mapping[str, Any], dimension: str) -> str:
    """A cell of the map table: "2 → 4", "3 (no change)", "2 → ?" when unanswered."""
    if dimension == "role":
        now, future = placement.get("role_now"), placement.get("role_future")
        left = ROLE_WORDS.get(now or "", "?")
        right = ROLE_WORDS.get(future or "", "?")
    else:
        left = str(_point(placement.get(f"{dimension}_now")) or "?")
        right = str(_point(placement.get(f"{dimension}_future")) or "?")
    if left == right and left != "?":
        return f"{left} (no change)"
    return f"{left} → {right}"


def towards_coproduction(placements: Mapping[str, Mapping[str, Any]]) -> list[str]:
    """The services (ids) whose people should take a bigger part than now."""
    return [
        sid
        for sid, p in placements.items()
        if p.get("role_now") in ROLE_RANK
        and p.get("role_future") in ROLE_RANK
        and ROLE_RANK[p["role_future"]] > ROLE_RANK[p["role_now"]]
    ]


def fingerprint(services: Mapping[str, Mapping[str, Any]], placements: Mapping[str, Any]) -> str:
    """A short digest of the services and their placements: what the team agreed, so a
    later change shows as "changed since it was agreed"."""
    shape = {
        sid: [str(s.get("name") or "").strip()]
        + [(placements.get(sid) or {}).get(n) for n in PLACEMENT_NAMES]
        for sid, s in sorted(services.items())
    }
    return hashlib.sha256(json.dumps(shape, sort_keys=True).encode()).hexdigest()[:32]
