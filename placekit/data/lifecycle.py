"""A workbook's life: open, closed, deleted.

- **Open**: members join and save.
- **Closed** (by its facilitator, for good): read-only. Every page still shows what was
  saved and the results, members can still download or erase their own data, and nothing
  else can be saved (``store.ReadOnlyWorkbook``, checked in the saving transaction).
- **Due for deletion**: closed, and its retention period (``privacy.deletion_due``) has
  run out; ``placekit.data.retention`` deletes it at the server's next daily check.
- **Deleted**: every row of every table that held it is gone, every version of every
  record, its datasets, members and activity, and its codes open nothing. The database
  file is scrubbed so none of it stays readable there (``Store.scrub``). What remains is one
  line of the server's activity record saying that a workbook of that title was deleted,
  when, why and by which link or tool.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from placekit import clock
from placekit.data import activity, privacy
from placekit.data.store import Store
from placekit.errors import PlaceKitError

log = logging.getLogger("placekit")


def _day(moment: datetime) -> str:
    return f"{clock.local(moment):%-d %B %Y}"


def counted(n: int, thing: str) -> str:
    """``n`` things, in words: 1 member, 3 members."""
    return f"{n} {thing}{'' if n == 1 else 's'}"


def keeping(months: int | None) -> str:
    """A retention period in words."""
    if months is None:
        return "kept until someone deletes it"
    return f"deleted {counted(months, 'month')} after it is closed"


@dataclass(frozen=True)
class State:
    """Where a workbook is in its life, as of ``now``."""

    created_at: datetime
    closed_at: datetime | None
    retention_months: int | None
    now: datetime

    @property
    def closed(self) -> bool:
        return self.closed_at is not None

    @property
    def delete_on(self) -> datetime | None:
        return privacy.deletion_due(self.closed_at, self.retention_months)

    @property
    def due(self) -> bool:
        return self.delete_on is not None and self.delete_on <= self.now

    @property
    def name(self) -> str:
        """ "open", "closed" or "due for deletion"."""
        return "due for deletion" if self.due else "closed" if self.closed else "open"

    @property
    def line(self) -> str:
        """The state in one line, starting with its name (``placekit list``)."""
        if self.closed_at is None:
            return f"open; once closed, it will be {keeping(self.retention_months)}"
        closed = f"closed on {_day(self.closed_at)}"
        if self.delete_on is None:
            return f"{closed}; kept until someone deletes it"
        if self.due:
            return (
                f"due for deletion since {_day(self.delete_on)} ({closed}); PlaceKit deletes"
                " it at its next daily check"
            )
        return f"{closed}; PlaceKit will delete it on {_day(self.delete_on)}"

    def describe(self) -> str:
        """The state in one plain sentence."""
        if self.closed_at is None:
            return f"Open. Once closed, it will be {keeping(self.retention_months)}."
        closed = f"Closed on {_day(self.closed_at)} (read-only)."
        if self.delete_on is None:
            return f"{closed} Kept until someone deletes it."
        if self.due:
            return (
                f"{closed} Due for deletion since {_day(self.delete_on)}: PlaceKit deletes"
                " it at its next daily check."
            )
        return f"{closed} PlaceKit will delete it on {_day(self.delete_on)}."


def state(workbook: dict[str, Any], now: datetime | None = None) -> State:
    """The state of a workbook's row (``Store.workbook``, ``Store.workbooks``)."""
    return State(
        workbook["created_at"],
        workbook.get("closed_at"),
        workbook.get("retention_months"),
        now or datetime.now(UTC),
    )


def close(store: Store, workbook_id: str, actor: str) -> datetime:
    """Close the workbook for good (read-only from now on); returns when it was closed."""
    before = store.workbook(workbook_id)
    if before is None:
        raise PlaceKitError("This workbook has been deleted")
    closed_at = store.close_workbook(workbook_id)
    assert closed_at is not None
    if before["closed_at"] is None:
        activity.record(store, workbook_id, actor, "closed")
    return closed_at


def set_retention(store: Store, workbook_id: str, months: int | None, actor: str) -> None:
    """How long after closing the workbook is deleted (None: until deleted by hand)."""
    problem = privacy.check_retention(months)
    if problem:
        raise ValueError(problem)
    store.set_retention(workbook_id, months)
    activity.record(store, workbook_id, actor, "retention-set", keeping(months))


def delete(store: Store, workbook_id: str, actor: str, why: str = "") -> dict[str, int]:
    """Delete the workbook and everything in it, scrub the file, and say so in the
    server's activity record; returns the rows deleted, by table. ``why`` is added to the
    record ("12 months after it was closed")."""
    workbook = store.workbook(workbook_id)
    if workbook is None:
        raise PlaceKitError("This workbook has already been deleted")
    deleted = store.delete_workbook(workbook_id)
    store.scrub()
    made = _day(workbook["created_at"])
    closed = f", closed {_day(workbook['closed_at'])}" if workbook["closed_at"] else ""
    records = deleted["entries"] + deleted["anonymous_entries"]
    detail = (
        f"“{workbook['title']}” (made {made}{closed}): {counted(deleted['respondents'], 'member')},"
        f" {counted(records, 'saved version')}, {counted(deleted['datasets'], 'dataset version')}"
        + (f"; {why}" if why else "")
    )
    activity.record(store, None, actor, "deleted", detail)
    log.warning("Deleted workbook %s by %s: %s", workbook_id, actor, detail)
    return deleted
