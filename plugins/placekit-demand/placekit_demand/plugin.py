"""Demand analysis (value and failure demand), registered as a PlaceKit exercise."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from placekit import Exercise, Page, Summary, hookimpl
from placekit_demand import schema

if TYPE_CHECKING:
    from placekit import Responses

# Every page's kernel registers every exercise, so this module imports only what
# registration needs; the pages, the importer and pyarrow load when the exercise is opened.

PLACEKIT_API = 1  # the plugin API this was written for (see docs/hooks.md)


class DemandStudy(Exercise):
    id = "demand"
    title = "Demand analysis: value and failure demand"
    summary = (
        "Study demand as it arrives: capture what people actually say, or import a"
        " contact-centre export; classify value and failure demand, build the typology in"
        " the customer's words, see the measures and the Pareto, and find the system"
        " conditions behind the biggest failure types (after John Seddon)."
    )
    anonymity = "named"
    kinds = schema.KINDS
    primary_kind = "demand"
    steps = (
        ("scope", "Scope the study"),
        ("purpose", "Purpose in the customer’s terms"),
        ("capture", "Capture or import demands"),
        ("classify", "Classify demands"),
        ("typology", "Build the typology"),
        ("analyse", "Analyse"),
        ("causes", "System conditions"),
        ("rerun", "Experiment and re-study"),
    )

    def pages(self, responses: Responses) -> Sequence[Page]:
        from placekit_demand import analysis, capture, classify, setup_pages
        from placekit_demand import typology as typology_page

        needs_demands = capture.locked_until_demands
        return [
            Page(
                "scope",
                "scope",
                "Scope the study",
                setup_pages.build_scope,
                setup_pages.validate_scope,
            ),
            Page(
                "purpose",
                "purpose",
                "What is the service for?",
                setup_pages.build_purpose,
                setup_pages.validate_purpose,
            ),
            Page("capture", "capture", "Capture a demand", capture.build_capture),
            Page(
                "import",
                "capture",
                "Import a file of demands",
                capture.build_import,
                capture.validate_gathered,
            ),
            Page(
                "classify",
                "classify",
                "Value or failure?",
                classify.build_classify,
                classify.validate_classify,
                needs_demands,
            ),
            Page(
                "typology",
                "typology",
                "Demand types in the customer’s words",
                typology_page.build_typology,
                typology_page.validate_typology,
                needs_demands,
            ),
            Page(
                "analyse",
                "analyse",
                "What the demand tells us",
                analysis.build_analyse,
                locked=needs_demands,
            ),
            Page(
                "capability",
                "analyse",
                "How long it takes, end to end",
                analysis.build_capability,
                locked=needs_demands,
            ),
            Page(
                "causes",
                "causes",
                "What in the system causes the failure?",
                analysis.build_causes,
                locked=needs_demands,
            ),
            Page(
                "rerun",
                "rerun",
                "Try a change, then study again",
                analysis.build_rerun,
                locked=needs_demands,
            ),
        ]

    def summarise(self, responses: Responses) -> Summary:
        from placekit_demand import summary

        return summary.summarise(responses)

    def facilitator_panel(self, responses: Responses, redraw: Callable[[], None]) -> Any:
        """For a study too large for its per-demand table on the page: every demand as
        one CSV file, made when the facilitator asks."""
        from placekit_demand import analysis, data, per_demand  # lazy: the results page only

        if data.demand_count(responses) <= per_demand.ON_THE_PAGE:
            return None
        return analysis.every_demand_panel(responses)

    def seed_demo(self, respond: Callable[[str | None], Responses], members: list[str]) -> None:
        from placekit_demand.data import wording_key

        team = respond(None)
        team.save(
            "study",
            "team",
            {
                "services": ["Housing repairs"],
                "channels": ["phone", "email", "web_form"],
                "listeners": ["Repairs call handlers", "Repairs manager"],
                "target_n": "200",
                "round": 1,
            },
            0,
        )
        team.save(
            "purpose", "team", {"statement": "Fix my home properly, at a time that suits me"}, 0
        )
        start = dt.datetime(2024, 3, 4, 9, 0)
        type_ids: dict[str, str] = {}
        for label, predictable in DEMO_TYPES:
            type_ids[label] = f"demo-{wording_key(label)[:8]}"
            team.save(
                "type",
                type_ids[label],
                {"label": label, "class_hint": None, "predictable": predictable},
                0,
            )
        for number, (words, channel, verdict, label) in enumerate(DEMO_DEMANDS):
            demand_id = f"demo-{number:03d}"
            when = start + dt.timedelta(hours=number * 3 % 40, minutes=number * 7 % 60)
            team.save(
                "demand",
                demand_id,
                {
                    "verbatim": words,
                    "channel": channel,
                    "captured_at": when.isoformat(timespec="minutes"),
                    "service": "Housing repairs",
                    "captured_by": members[number % len(members)] if members else None,
                    "round": 1,
                },
                0,
            )
            reason = "No one told them when we would come" if verdict == "failure" else ""
            team.save(
                "verdict",
                demand_id,
                {"classification": verdict, "failure_reason": reason, "verbatim": words},
                0,
            )
            key = wording_key(words)
            if team.entry("assign", key) is None:
                team.save("assign", key, {"verbatim": words, "type_id": type_ids[label]}, 0)
        seed_cases(team, members)


def seed_cases(team: Responses, members: list[str]) -> None:
    """The weeks before the demo's demands: repairs from first report to fix, some chased
    (a second contact on the same case), so the capability chart has something to show."""
    from placekit_demand.data import case_key, wording_key

    first = dt.datetime(2024, 2, 5, 9, 30)
    type_ids = {label: f"demo-{wording_key(label)[:8]}" for label, _p in DEMO_TYPES}
    for case in range(DEMO_CASES):
        reported = first + dt.timedelta(days=case * 27 % 20, hours=case % 6)
        took = 3 + case * 7 % 17 + (12 if case % 7 == 3 else 0)
        ref = f"R{2400 + case}"
        contacts = [(reported, DEMO_REPORTS[case % len(DEMO_REPORTS)], "value")]
        if took > 10:  # a long wait: the tenant rings to chase
            chase = reported + dt.timedelta(days=7, hours=2)
            contacts.append((chase, "Still waiting, when is someone coming?", "failure"))
        for number, (when, words, verdict) in enumerate(contacts):
            demand_id = f"demo-case-{case:02d}-{number}"
            team.save(
                "demand",
                demand_id,
                {
                    "verbatim": words,
                    "channel": "phone" if case % 3 else "email",
                    "captured_at": when.isoformat(timespec="minutes"),
                    "service": "Housing repairs",
                    "captured_by": members[case % len(members)] if members else None,
                    "case_ref": ref,
                    "round": 1,
                },
                0,
            )
            reason = "No one told them when we would come" if verdict == "failure" else ""
            team.save(
                "verdict",
                demand_id,
                {"classification": verdict, "failure_reason": reason, "verbatim": words},
                0,
            )
            label = "Where is my repair?" if verdict == "failure" else DEMO_TYPES[1][0]
            key = wording_key(words)
            if team.entry("assign", key) is None:
                team.save("assign", key, {"verbatim": words, "type_id": type_ids[label]}, 0)
        fixed = reported + dt.timedelta(days=took)
        team.save(
            "case",
            case_key(ref),
            {"ref": ref, "started": f"{reported:%Y-%m-%d}", "ended": f"{fixed:%Y-%m-%d}"},
            0,
        )


DEMO_CASES = 24
DEMO_REPORTS = (
    "The kitchen tap is leaking",
    "My front door will not lock",
    "There is damp in the back bedroom",
    "The heating is not working",
)
DEMO_TYPES = (
    ("Where is my repair?", "yes"),
    ("Something is broken, please fix it", "yes"),
    ("You came but did not fix it", "yes"),
    ("I can't make that appointment", "no"),
)
DEMO_DEMANDS = (
    (
        "I reported a leak two weeks ago and nobody has come",
        "phone",
        "failure",
        "Where is my repair?",
    ),
    ("My boiler has stopped working", "phone", "value", "Something is broken, please fix it"),
    ("When is someone coming about my window?", "email", "failure", "Where is my repair?"),
    (
        "The engineer came but didn't have the part",
        "phone",
        "failure",
        "You came but did not fix it",
    ),
    ("The front door lock is broken", "web_form", "value", "Something is broken, please fix it"),
    ("Still waiting for the damp to be looked at", "phone", "failure", "Where is my repair?"),
    (
        "I can't be in on Tuesday, can you come another day?",
        "phone",
        "value",
        "I can't make that appointment",
    ),
    ("The toilet won't flush", "phone", "value", "Something is broken, please fix it"),
    (
        "You fixed the tap but it is dripping again",
        "email",
        "failure",
        "You came but did not fix it",
    ),
    ("Has my repair been booked yet?", "web_form", "failure", "Where is my repair?"),
)


@hookimpl
def register_exercises(register: Callable[[Exercise], None]) -> None:
    register(DemandStudy())
