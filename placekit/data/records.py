"""Lists of records: new ids, the order a team chose, and what was recently removed.

Plain functions over ``Responses``, so a list's behaviour is tested without widgets;
``placekit.widgets.record_list`` is the view on them.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from placekit.data.responses import Responses

#: The core's team record holding each reorderable kind's chosen order: {kind: [ids]}.
ORDER_KEY = "_order"


def new_record_id(prefix: str = "") -> str:
    """A fresh record id: 12 random hex digits (48 bits), after ``prefix``. Random, not
    counted, so two members adding at once never take the same id."""
    return prefix + uuid.uuid4().hex[:12]


def ordered(
    responses: Responses, kind: str, records: Mapping[str, dict[str, Any]]
) -> dict[str, dict[str, Any]]:
    """``records`` in the order the team set (Move up / Move down), then any not yet placed
    in the order they were first saved."""
    entry = responses.entries.get(ORDER_KEY)
    chosen = ((entry.data or {}).get(kind) or []) if entry else []
    placed = [r for r in chosen if r in records]
    rest = [r for r in records if r not in set(placed)]
    return {r: records[r] for r in placed + rest}


@dataclass(frozen=True)
class Removed:
    """A removed record: its id, its data before removal, and the removal's version."""

    record: str
    data: dict[str, Any]
    version: int
    removed_at: datetime | None


def recently_removed(responses: Responses, kind: str) -> list[Removed]:
    """This viewer's removed records of ``kind`` that history can bring back, most
    recently removed first."""
    gone = []
    for record, entry in responses.deleted(kind).items():
        history = responses.history(kind, record)
        before = next((e.data for e in reversed(history) if e.data is not None), None)
        if before is not None:
            gone.append(Removed(record, dict(before), entry.version, entry.saved_at))
    stamp = datetime.min
    return sorted(gone, key=lambda g: g.removed_at or stamp, reverse=True)
