"""What a member may open while their exercise is run live in the room: the one place for
the blind round and for a closed round (pure).

- A step an exercise holds (``Exercise.held_until_revealed``) shows members the team's
  answers, so while a session is live it stays closed to them until the facilitator
  reveals the step named for it: no member sees the team's answers before the room does.
- A map the team builds together (``Exercise.own_until_revealed``) shows each member only
  their own records of it, read so by their ``Responses``, until its step is revealed.
- A step whose round the facilitator has closed takes no more answers until it is opened.
- With no live session, nothing is held: each member goes at their own pace.

A held step's pages are never built, and others' records of a blind kind are never read
into the member's page, so nothing of them reaches the member's browser.
"""

from __future__ import annotations

from dataclasses import dataclass

from placekit.exercise import Exercise
from placekit.live.sessions import RoomState


@dataclass(frozen=True)
class Hold:
    tag: str  # the task list's word for the step, in place of its state
    reason: str  # what the page says in place of itself


WAITING = Hold(
    "Opens at the reveal",
    "Your facilitator will reveal the team's answers for this step to the whole room at"
    " once. This page opens here at that moment, by itself: there is no need to reload.",
)
CLOSED = Hold(
    "Round closed",
    "Your facilitator has closed this round. What you saved is kept as it was; nothing"
    " more can be changed here unless they open the round again.",
)


def own_only(exercise: Exercise, state: RoomState | None) -> frozenset[str]:
    """The team record kinds of which a member may see only their own now
    (``Exercise.own_until_revealed``): a live session's, until their step is revealed."""
    if state is None:
        return frozenset()
    found = exercise.own_until_revealed.items()
    return frozenset(kind for kind, opened_by in found if not state.is_revealed(opened_by))


def holds(exercise: Exercise, state: RoomState | None) -> dict[str, Hold]:
    """The exercise's steps a member may not open now, each with why. ``state``: the live
    session's room as the facilitator has set it; None when no session is live."""
    if state is None:
        return {}
    found = {
        step: WAITING
        for step, opened_by in exercise.held_until_revealed.items()
        if not state.is_revealed(opened_by)
    }
    for step in state.closed:
        found.setdefault(step, CLOSED)
    return found
