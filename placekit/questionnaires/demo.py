"""Example answers for a questionnaire in the demo workbook, so a newcomer sees real results.

Every demo member answers and submits round 1. For the trust audit and other questionnaires
rated for each organisation, each member works for one of the demo's organisations and
rates the rest, so the partners' view of each organisation has enough people to show while
each organisation's view of itself (one person) stays withheld: the anonymity rule at work.
For a 360, every other demo member rates each one, as one of their first rater group (their
peers), a little less kindly than people rate themselves. (A real rater comes by link and
is no member; the demo has only its members to answer with.) An anonymous questionnaire's
results show once its round closes, so round 1 is closed and round 2 opened for whoever
tries the demo.
"""

from __future__ import annotations

import random
from collections.abc import Callable

from placekit.data.responses import Responses
from placekit.questionnaires.answers import all_errors, answers_record, submit, targets
from placekit.questionnaires.model import Questionnaire
from placekit.questionnaires.raters import RATING, ensure_subject, invitations, submit_rating
from placekit.questionnaires.rounds import close_round, open_next_round, set_targets

DEMO_ORGANISATIONS = ("Borough council", "NHS trust", "Housing association", "Police")


def seed(q: Questionnaire, respond: Callable[[str | None], Responses], members: list[str]) -> None:
    team = respond(None)
    if q.rate_each is not None:
        set_targets(team, list(DEMO_ORGANISATIONS))
    for number, member in enumerate(members):
        mine = respond(member)
        if q.rate_each is not None:
            own = DEMO_ORGANISATIONS[number % len(DEMO_ORGANISATIONS)]
            partners = [o for o in DEMO_ORGANISATIONS if o != own]
            mine.save("profile", "r1", {"org": own, "partners": partners}, 0)
        draw = random.Random(f"{q.id}/{number}")  # the same demo on every first run
        for target in targets(q, mine, 1):
            # People rate their own organisation more kindly than partners do.
            lean = 1.0 if target.perspective == "self" else 0.0
            answers = {}
            for place, dim in enumerate(q.dimensions):
                share = 0.35 + 0.1 * (place % 5)  # dimensions differ, as in real results
                centre = q.scale.low + (q.scale.high - q.scale.low) * share + lean
                for item in dim.items:
                    value = min(q.scale.high, max(q.scale.low, round(centre + draw.gauss(0, 1))))
                    answers[item.id] = int(q.scale.reverse(value)) if item.reverse else value
            mine.save("answers", answers_record(1, target), answers, 0)
        reflections = {
            r.id: q.dimensions[number % len(q.dimensions)].id
            if r.type == "dimension"
            else "(An example answer in the demo workbook.)"
            for r in q.reflections
            if r.required
        }
        if reflections:
            entry = mine.entry("profile", "r1")
            mine.save(
                "profile",
                "r1",
                mine.get("profile", "r1") | reflections,
                entry.version if entry else 0,
            )
        if not all_errors(q, mine, 1):
            submit(mine)
    if q.raters is not None:
        for leader in members:
            _rated_by_the_others(q, respond, leader, [m for m in members if m != leader])
    if q.anonymity == "anonymous":
        close_round(team)
        open_next_round(team)


def _rated_by_the_others(
    q: Questionnaire, respond: Callable[[str | None], Responses], leader: str, others: list[str]
) -> None:
    """The other demo members rate a demo leader, as peers who came by the leader's link."""
    invite = invitations(q, ensure_subject(respond(leader), 1))[0]
    for number, other in enumerate(others):
        rater = respond(other)
        draw = random.Random(f"{q.id}/{leader}/{number}")
        answers = {}
        for place, dim in enumerate(q.dimensions):
            share = 0.3 + 0.1 * ((place + 2) % 5)  # raters see the dimensions differently
            centre = q.scale.low + (q.scale.high - q.scale.low) * share
            for item in dim.items:
                value = min(q.scale.high, max(q.scale.low, round(centre + draw.gauss(0, 1))))
                answers[item.id] = int(q.scale.reverse(value)) if item.reverse else value
        rater.save(RATING, invite.record, answers, 0)
        submit_rating(rater, invite)
