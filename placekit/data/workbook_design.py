"""A workbook's design as stored: read (the implicit design when none was saved) and saved
(versioned: two facilitators saving at once get ``ConflictError``, never a lost change).
The design itself, and what it allows, is ``placekit.data.design``."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime

from placekit.data import activity, privacy
from placekit.data.design import Design, implicit
from placekit.data.store import Store


@dataclass(frozen=True)
class Saved:
    design: Design
    version: int  # 0: none saved yet, so ``design`` is the implicit one
    saved_at: datetime | None = None


def current(store: Store, workbook_id: str, installed: Collection[str]) -> Saved:
    """The design as saved last; with none saved, every installed exercise."""
    found = store.design(workbook_id)
    if found is None or found.data is None:
        return Saved(implicit(installed), 0)
    return Saved(Design.from_data(found.data), found.version, found.saved_at)


def save(
    store: Store, workbook_id: str, design: Design, base_version: int, what: str = "saved"
) -> Saved:
    """Save ``design`` over ``base_version``; ``what`` (written by the kit, never a member:
    "added Trust audit") goes into the activity record."""
    entry = store.put_design(workbook_id, design.checked().as_data(), base_version=base_version)
    activity.record(store, workbook_id, privacy.FACILITATOR, "design-changed", what)
    return Saved(design, entry.version, entry.saved_at)
