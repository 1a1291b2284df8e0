"""Retention: deleting each workbook once its period after closing has run out.

A workbook is given a retention period when it is made (``placekit new --keep``; by
default ``privacy.DEFAULT_RETENTION_MONTHS``), which its facilitator can change. Once it is
closed and the period has passed (``privacy.deletion_due``), PlaceKit deletes it by itself
(``lifecycle.delete``) and says so in the server's activity record and the log.

When: ``placekit serve`` runs ``enforce`` before the server starts, and while it serves,
every page's kernel calls ``daily``, which runs ``enforce`` if no one has in the last day.
The server itself is Voila, which ``placekit serve`` becomes (it execs), so it has no
thread of PlaceKit's own to run a timer in; the pages' kernels are the PlaceKit code that
runs while serving. The check costs a page one read of a setting; the day's first page
also does the deleting, and of several kernels racing for it one wins (``claim_setting``).
A workbook is so deleted within a day of falling due, or at the next start of a server
that was stopped. ``placekit retention [--dry-run]`` does the same by hand.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from placekit.data import lifecycle, privacy
from placekit.data.store import Store

log = logging.getLogger("placekit")

#: The setting that holds when retention was last enforced (an ISO time, UTC).
CHECKED = "retention_checked_at"
EVERY = timedelta(days=1)


@dataclass(frozen=True)
class Due:
    """A workbook due for deletion (or, after ``enforce``, deleted)."""

    id: str
    title: str
    closed_at: datetime
    delete_on: datetime
    retention_months: int


def due(store: Store, now: datetime | None = None) -> list[Due]:
    """Every workbook whose retention period after closing has run out."""
    now = now or datetime.now(UTC)
    found = []
    for wb in store.workbooks():
        when = privacy.deletion_due(wb["closed_at"], wb["retention_months"])
        if when is not None and when <= now:
            found.append(Due(wb["id"], wb["title"], wb["closed_at"], when, wb["retention_months"]))
    return found


def enforce(store: Store, *, dry_run: bool = False, now: datetime | None = None) -> list[Due]:
    """Delete every workbook that is due (or, ``dry_run``, only say which); returns them."""
    now = now or datetime.now(UTC)
    found = due(store, now)
    if not dry_run:
        for wb in found:
            months = lifecycle.counted(wb.retention_months, "month")
            why = f"its retention period ran out ({months} after closing)"
            lifecycle.delete(store, wb.id, privacy.PLACEKIT, why)
        store.set_setting(CHECKED, now.isoformat())
    return found


def daily(store: Store, now: datetime | None = None) -> list[Due]:
    """``enforce`` if no one has in the last day; never raises (a page must open anyway:
    a failure is logged and tried again by the next page)."""
    now = now or datetime.now(UTC)
    try:
        last = store.setting(CHECKED)
        if last is not None and now - _parse(last) < EVERY:
            return []
        if not store.claim_setting(CHECKED, last, now.isoformat()):
            return []  # another kernel is doing it
        return enforce(store, now=now)
    except Exception:
        log.exception("The daily retention check failed; the next page tries again")
        try:
            store.set_setting(CHECKED, (now - EVERY).isoformat())
        except Exception:
            log.exception("Could not reset the retention check")
        return []


def _parse(value: Any) -> datetime:
    try:
        found = datetime.fromisoformat(str(value))
    except ValueError:
        return datetime.min.replace(tzinfo=UTC)
    return found if found.tzinfo else found.replace(tzinfo=UTC)
