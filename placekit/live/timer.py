"""The room's timer: set by the facilitator, shown on the room's screen, counted down by the
screen itself from what is stored. Pure: every change is a new ``Timer`` at a given time.

Stored as when it was started and what was left then, never as a time that ticks, so the
stored state changes only when the facilitator presses something: the screens' watcher
(``watch``) wakes no one while a timer just runs.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, replace
from typing import Any

MINUTES = (1, 120)  # what a facilitator may set: a round of a minute to a long session


@dataclass(frozen=True)
class Timer:
    seconds: int  # as set
    left: float  # seconds left when it was last set, paused or started
    since: float | None = None  # while it runs: when it was started (epoch seconds)

    @classmethod
    def of_minutes(cls, minutes: int) -> Timer:
        low, high = MINUTES
        if not low <= minutes <= high:
            raise ValueError(f"Set the timer to between {low} and {high} minutes")
        return cls(minutes * 60, float(minutes * 60))

    @property
    def running(self) -> bool:
        return self.since is not None

    def left_at(self, now: float) -> float:
        if self.since is None:
            return self.left
        return max(0.0, self.left - (now - self.since))

    def start(self, now: float) -> Timer:
        """Running from what is left; a timer run out starts again from the top."""
        if self.running:
            return self
        left = self.left if self.left > 0 else float(self.seconds)
        return replace(self, left=left, since=now)

    def pause(self, now: float) -> Timer:
        return replace(self, left=self.left_at(now), since=None)

    def reset(self) -> Timer:
        return replace(self, left=float(self.seconds), since=None)

    def as_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any] | None) -> Timer | None:
        if not data:
            return None
        return cls(int(data["seconds"]), float(data["left"]), data.get("since"))


def as_minutes(seconds: float) -> str:
    """ "4:05": minutes and seconds, rounded up, so 0:00 shows only once time is up."""
    whole = int(-(-seconds // 1))
    return f"{whole // 60}:{whole % 60:02d}"
