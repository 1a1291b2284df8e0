"""The activity record: what was done in a workbook, when, and through which link or tool.

It answers a data protection officer's "who looked at it, and who did what": members
joining, a member downloading or erasing their own data, the facilitator's results opened
and downloaded, exports, a member's named data erased by an administrator, the smallest
group size and the retention period set, the workbook closed; and,
for the server as a whole, backups, restores and every workbook deleted (by its facilitator
or by retention). Rounds opened and closed are not copied here: the rounds keep their own
times, and the facilitator's page reads them from there.

What a line may hold is the privacy policy's (``placekit.data.privacy``): it says which
link or tool did something (``privacy.ACTORS``), never which member, and of what members do
it keeps the day only (``privacy.activity_time``). It records nothing about answering: no
line says that anyone saved, changed or submitted an answer.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from placekit import clock
from placekit.data import privacy
from placekit.data.store import Store

#: Every action the record knows, and how it reads ("{}" is the line's detail).
ACTIONS = {
    "joined": "A member joined ({})",
    "own-data-downloaded": "A member downloaded their own data",
    "own-data-erased": "A member erased their own data and left the workbook",
    "results-opened": "Opened the results of {}",
    "downloaded": "Downloaded the results of {}",
    "exported": "Exported the results of {}",
    "member-erased": "Erased a member's named records and their membership ({})",
    "opened-in-python": "Opened the workbook's data in Python",
    "group-size-set": "Set the smallest group a figure may cover to {}",
    "retention-set": "Set how long the workbook is kept: {}",
    "closed": "Closed the workbook: read-only from now on",
    "design-changed": "Changed the workbook's design: {}",
    "round-opened": "Opened {}",
    "round-closed": "Closed {}",
    "live-started": "Started a live session of {}",
    "live-ended": "Ended the live session of {}",
    "deleted": "Deleted the workbook {}",
    "backup": "Backed up the whole database to {}",
    "restored": "Restored the whole database from {}",
}


@dataclass(frozen=True)
class Event:
    at: datetime
    actor: str
    action: str
    detail: str = ""

    @property
    def day_only(self) -> bool:
        """Whether only the day is known (what a member did)."""
        return self.actor == privacy.TEAM

    @property
    def when(self) -> str:
        """The time as the place's clocks showed it: 3 March 2027, 14:05; or the day."""
        local = clock.local(self.at)
        return f"{local:%-d %B %Y}" if self.day_only else f"{local:%-d %B %Y, %H:%M}"

    @property
    def what(self) -> str:
        return ACTIONS.get(self.action, self.action + " {}").format(self.detail).strip()


def record(
    store: Store, workbook_id: str | None, actor: str, action: str, detail: str = ""
) -> None:
    """Add a line (``workbook_id`` None: the server's own). ``detail`` is written by the
    kit (an exercise's title, a file's name), never by a member."""
    if actor not in privacy.ACTORS:
        raise ValueError(f"Unknown actor {actor!r}: one of {', '.join(privacy.ACTORS)}")
    if action not in ACTIONS:
        raise ValueError(f"Unknown action {action!r}")
    at = privacy.activity_time(actor, datetime.now(UTC))
    store.add_activity(workbook_id, at, actor, action, detail[:500])


def events(store: Store, workbook_id: str | None, limit: int | None = 500) -> list[Event]:
    """A workbook's record (None: the server's), newest first."""
    return [
        Event(r["at"], r["actor"], r["action"], r["detail"] or "")
        for r in store.activity(workbook_id, limit)
    ]
