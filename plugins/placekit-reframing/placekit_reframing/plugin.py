"""Reframing: state a problem as it is usually put, ask whose frame it is, write reframes,
vote on those that open most possibility, and choose one to take forward.

This module is what PlaceKit loads through the ``placekit`` entry point (see
``pyproject.toml``): the exercise's metadata, its pages in order, its results, what it
offers other exercises, and the hook that registers it. The parts live beside it:

- ``schema``: the records it stores (``RecordKind`` and ``Field`` declarations);
- ``logic``: the rules as pure functions (votes, framing words, sameness);
- ``data``: reading the records into plain shapes;
- ``validation``: what stops a member going on, and when a page opens;
- ``pages``: the widgets, a thin view over the rest;
- ``results``: ``summarise()``, the facilitator's tables and chart.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from placekit import Exercise, Page, Responses, Summary, hookimpl, new_record_id
from placekit_reframing import data, pages, validation
from placekit_reframing.schema import KINDS

PLACEKIT_API = 1  # the plugin API this plugin was written for; PlaceKit checks it


class Reframing(Exercise):
    id = "reframing"
    title = "Reframing"
    summary = (
        "State a problem as it is usually put, ask whose frame that is and what the people"
        " who use the service or a partner would call it, write reframes, vote on those"
        " that open most possibility, and choose one to take forward."
    )
    # Members may join without their name: saying whose frame a problem is can mean naming
    # a colleague's organisation. Votes are figures-only whatever members choose.
    anonymity = "optional"
    kinds = KINDS
    primary_kind = "reframe"
    steps = (
        ("problems", "State the problem"),
        ("frames", "Whose frame is it?"),
        ("reframes", "Reframe it"),
        ("check", "Check your answers"),
        ("vote", "Vote"),
        ("choose", "Choose a reframe"),
        ("next", "Take it further"),
    )

    def pages(self, responses: Responses) -> Sequence[Page]:
        problems = list(data.problems(responses))
        v = validation
        found = [
            Page(
                "problems",
                "problems",
                "What problem do you want to reframe?",
                pages.build_problems,
                v.validate_problems,
            )
        ]
        # One page per problem for each of the next steps (one thing per page); with no
        # problem yet, one locked page stands in for each, so the task list is complete.
        per_problem = (
            ("frames", "Whose frame is it?", pages.build_lens, v.validate_lens,
             v.locked_until_problems),
            ("reframes", "Reframe it", pages.build_reframes, v.validate_reframes,
             v.locked_until_problems),
        )  # fmt: skip
        for step, title, build, validate, locked in per_problem:
            found += [
                Page(f"{step}/{pid}", step, title, build(pid), validate(pid), locked)
                for pid in problems
            ] or [Page(step, step, title, pages.build_nothing, locked=locked)]
        found.append(
            Page(
                "check",
                "check",
                "Check your answers",
                pages.build_check,
                v.validate_check,
                v.locked_until_problems,
                confirm=None if data.has_confirmed_all(responses) else v.confirm_answers,
            )
        )
        after = (
            ("vote", "Vote on the reframes", pages.build_vote, v.validate_vote),
            ("choose", "Choose a reframe", pages.build_choose, v.validate_choose),
        )
        for step, title, build, validate in after:
            found += [
                Page(
                    f"{step}/{pid}",
                    step,
                    title,
                    build(pid),
                    validate(pid),
                    v.locked_until_confirmed,
                )
                for pid in problems
            ] or [Page(step, step, title, pages.build_nothing, locked=v.locked_until_confirmed)]
        found.append(
            Page(
                "next", "next", "Take it further", pages.build_next, locked=v.locked_until_confirmed
            )
        )
        return found

    def summarise(self, responses: Responses) -> Summary:
        from placekit_reframing import results  # lazy: pandas, paid only by results pages

        return results.summarise(responses)

    def provides(self) -> Mapping[str, Callable[[Responses], list[str]]]:
        # Each problem's chosen reframe, for another exercise to suggest (an issue to
        # triage, the challenge of a story of now); see data.chosen_reframes.
        return {"reframes": data.chosen_reframes}

    def seed_demo(self, respond: Callable[[str | None], Responses], members: list[str]) -> None:
        team = respond(None)
        problem = new_record_id()
        team.save("problem", problem, {"statement": DEMO_PROBLEM, "heard_from": DEMO_HEARD}, 0)
        ids = []
        for (text, possible, lens), by in zip(DEMO_REFRAMES, members, strict=False):
            ids.append(new_record_id())
            reframe = {"problem": problem, "text": text, "possible": possible, "lens": lens}
            team.save("reframe", ids[-1], reframe | {"by": data.my_name(respond(by))}, 0)
        for member, (lens, vote) in zip(members, DEMO_ANSWERS, strict=False):
            mine = respond(member)
            mine.save("lens", problem, dict(zip(data.LENS_FIELDS, lens, strict=True)), 0)
            validation.confirm_answers(mine)
            mine.save("vote", problem, {"reframes": [ids[i] for i in vote]}, 0)
        team.save("decision", problem, DEMO_DECISION | {"chosen": ids[0]}, 0)


DEMO_PROBLEM = "Too many people go to A&E who do not need to be there."
DEMO_HEARD = "The hospital's winter plan"
DEMO_REFRAMES = (
    (
        "How might people get the right help, the first time, close to home?",
        "GPs, pharmacies and the voluntary sector become part of the answer, not only A&E.",
        "users",
    ),
    (
        "A&E is the one door that is always open: what would make other doors as easy?",
        "We can measure how open other services are, not how many people we turned away.",
        "partner",
    ),
    (
        "What already helps people in Eastvale cope when they feel unwell?",
        "Neighbours, the library's health checks and the pharmacy count as assets to build on.",
        "strengths",
    ),
)
DEMO_DECISION = {
    "why": "It makes the rest of the system part of the answer, not only the front door.",
    "first_step": "Map where people could get help close to home after six in the evening.",
}
DEMO_ANSWERS = (
    (
        ("The hospital's: it counts attendances it thinks are wrong.",
         "Nowhere else was open, and I was frightened.",
         "A GP would call it a shortage of same-day appointments."),
        (0,),
    ),
    (
        ("The NHS trust's winter plan: people are the problem, not the system.",
         "I did not know where else to go.",
         "The pharmacy would say people do not know what it can do."),
        (0, 1),
    ),
    (
        ("Ours as commissioners, if we are honest.",
         "Getting seen.",
         "The council would call it an access problem, not a behaviour one."),
        (1,),
    ),
    (
        ("Whoever writes the performance reports.",
         "Somewhere that was open.",
         "The voluntary sector would talk about loneliness at night."),
        (0, 2),
    ),
)  # fmt: skip


@hookimpl
def register_exercises(register: Callable[[Exercise], None]) -> None:
    register(Reframing())
