"""Balcony and dance floor: a one-screen weekly reflection, private to each member.

After Heifetz and Linsky's adaptive leadership (exercise notes, H.4): leaders move between
the dance floor, in the action, and the balcony, stepping back to see the patterns. Once a
week a member notes what they saw from the balcony, the loss people may be resisting and
one thing they will do next, and reads back their own past weeks on the same screen.

Privacy: the exercise is anonymous, so a member's records are stored under their
respondent key, with no name, no author and no time; the reflection is a private kind
(theirs alone, on every path), and the heat reading is figures-only, reaching the
facilitator as the team's weekly pattern once the week is over.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence

from placekit import Exercise, Page, Responses, Summary, hookimpl
from placekit_balcony import pages, weeks
from placekit_balcony.schema import KINDS

PLACEKIT_API = 1


class Balcony(Exercise):
    id = "balcony"
    title = "Balcony and dance floor"
    summary = (
        "A few minutes each week: step off the dance floor onto the balcony, note what you"
        " saw and what you will do next, and read back your own past weeks. Private to you."
    )
    anonymity = "anonymous"
    kinds = KINDS
    steps = (("week", "This week's reflection"),)

    def pages(self, responses: Responses) -> Sequence[Page]:
        return [Page("week", "week", "From the balcony", pages.build, pages.validate)]

    def summarise(self, responses: Responses) -> Summary:
        from placekit_balcony import results  # lazy: pandas, paid only by the results page

        return results.summarise(responses)

    def seed_demo(self, respond: Callable[[str | None], Responses], members: list[str]) -> None:
        # The demo members' heat over the last four weeks, so the facilitator's chart shows
        # something; their reflections would be private to people no one can sign in as.
        monday = weeks.week_start(weeks.current_week())
        for member, readings in zip(members, DEMO_HEAT, strict=False):
            mine = respond(member)
            for back, heat in enumerate(readings, 1):
                week = weeks.week_of(monday - dt.timedelta(weeks=back))
                mine.save("heat", week, {"heat": heat}, 0)


DEMO_HEAT = ((3, 4, 4, 2), (3, 5, 4, 3), (2, 4, 3, 3), (3, 4, 5, 2))


@hookimpl
def register_exercises(register: Callable[[Exercise], None]) -> None:
    register(Balcony())
