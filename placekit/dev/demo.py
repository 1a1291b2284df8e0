"""The demo workbook seeded on a first run, so a newcomer sees something real at once."""

from __future__ import annotations

from dataclasses import dataclass

from placekit.data.access import Member, create_workbook, join, resolve
from placekit.data.design import implicit
from placekit.data.privacy import member_key
from placekit.data.responses import Responses
from placekit.data.store import Store
from placekit.plugins import get_registry
from placekit.web.wizard import position_key, safe_pages

DEMO_TITLE = "Demo: Blackpool Better Start"
# Four, from four organisations: enough for anonymous results (at least three people) to show.
DEMO_MEMBERS = ("Asha (council)", "Ben (NHS)", "Cara (housing association)", "Dev (police)")
# What a facilitator writes at the top of their team's workbook page (its design's welcome).
DEMO_WELCOME = (
    "Welcome to our demo workbook. Four of us have already answered, so every results page"
    " has something to show.\n\nStart with the first exercise marked below, and come back"
    " to this page at any time: it shows how far you have got."
)


@dataclass(frozen=True)
class Demo:
    """A seeded workbook: its team and facilitator codes, and its members (with the
    personal tokens that only this return value ever holds)."""

    team: str
    facilitator: str
    members: list[Member]


def seed_demo(store: Store, title: str = DEMO_TITLE) -> Demo:
    """Create the demo workbook with its members' answers."""
    exercises = get_registry().exercises
    design = implicit(exercises).with_welcome(DEMO_WELCOME)
    workbook_id, team, facilitator = create_workbook(store, title, design=design)
    access = resolve(store, team)
    members: list[Member] = [join(store, access, name) for name in DEMO_MEMBERS]
    for exercise in exercises.values():

        def respond(member: str | None, exercise=exercise) -> Responses:  # noqa: ANN001
            return Responses(store, workbook_id, exercise, member, exercises=exercises)

        # Each member's id in this exercise: a respondent key where it is anonymous.
        ids = [member_key(exercise, workbook_id, m) for m in members]
        exercise.seed_demo(respond, ids)
        for member in ids:
            _mark_seen(respond(member))
    return Demo(team, facilitator, members)


def _mark_seen(responses: Responses) -> None:
    """Record the demo members as having opened the pages their answers complete, as a real
    member who gave those answers would have, so their progress reads as it would (and a
    member with no answers, or a questionnaire round not yet answered, reads as not started)."""
    pages: list = []
    steps: dict[str, list] = {}
    for page in safe_pages(responses.exercise, responses):
        steps.setdefault(page.step, []).append(page)
    for step in steps.values():  # whole steps only: half a step would read "in progress"
        if any(p.locked(responses) or p.validate(responses) for p in step):
            break
        pages += step
    if not pages or not responses.entries:
        return
    visited = {"page": pages[-1].id, "visited": [p.id for p in pages]}
    responses._put(position_key(responses.member), visited, base_version=0)
