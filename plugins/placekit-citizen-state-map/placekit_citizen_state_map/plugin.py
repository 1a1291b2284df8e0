"""The citizen–state relationship map, registered as a PlaceKit exercise.

After the Leading GM material on the changing relationship between citizens and the
state: a team lists its services and places each, now and where it should be, on four
scales (transactional ↔ high-touch, voluntary ↔ enforced, experienced individually ↔
collectively, provided by the state ↔ contracted out) and on the recipient / consumer /
co-producer scale; links the asset map's assets to the services they could co-produce;
checks and confirms the map; and sees the map and the moves.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from placekit import Exercise, Page, Responses, Summary, hookimpl, new_record_id
from placekit_citizen_state_map import data, pages, validation
from placekit_citizen_state_map.schema import KINDS

PLACEKIT_API = 1


class CitizenStateMap(Exercise):
    id = "citizen-state"
    title = "Citizen–state relationship map"
    summary = (
        "Place each of your services, as it is now and as it should be: transactional or"
        " high-touch, voluntary or enforced, experienced alone or together, run by the state"
        " or contracted out, and whether people are its recipients, consumers or"
        " co-producers. See the map, the moves, and who could co-produce each."
    )
    # Every record is the team's and is about services, not people: named, as the asset
    # map is, so the facilitator sees who has taken part.
    anonymity = "named"
    kinds = KINDS
    primary_kind = "placement"
    steps = (
        ("services", "List your services"),
        ("now", "Where each is now"),
        ("future", "Where each should be"),
        ("coproduce", "Who could co-produce them"),
        ("check", "Check the map"),
        ("map", "The map and the moves"),
    )

    def pages(self, responses: Responses) -> Sequence[Page]:
        v = validation
        listed = list(data.services(responses))
        found = [
            Page(
                "services",
                "services",
                "Which services are you mapping?",
                pages.build_services,
                v.validate_services,
            )
        ]
        for when, title in (("now", "Where is it now?"), ("future", "Where should it be?")):
            found += [
                Page(
                    f"{when}/{sid}",
                    when,
                    title,
                    pages.build_placement(sid, when),
                    v.validate_placement(sid, when),
                    v.locked_until_services,
                )
                for sid in listed
            ] or [Page(when, when, title, pages.build_nothing, locked=v.locked_until_services)]
        found += [
            Page(
                "coproduce",
                "coproduce",
                "Who could co-produce each service?",
                pages.build_coproduce,
                locked=v.locked_until_services,
            ),
            Page(
                "check",
                "check",
                "Check the map",
                pages.build_check,
                v.validate_check,
                v.locked_until_services,
                confirm=None if data.agreed(responses) else v.confirm_map,
            ),
            Page(
                "map",
                "map",
                "The map and the moves",
                pages.build_map,
                locked=v.locked_until_agreed,
            ),
        ]
        return found

    def summarise(self, responses: Responses) -> Summary:
        from placekit_citizen_state_map import results  # lazy: pandas, for results only

        return results.summarise(responses)

    def provides(self) -> Mapping[str, Callable[[Responses], list[str]]]:
        return {"services": data.service_names}

    def seed_demo(self, respond: Callable[[str | None], Responses], members: list[str]) -> None:
        team = respond(None)
        for name, provider, placement in DEMO:
            sid = new_record_id()
            team.save("service", sid, {"name": name, "provider": provider}, 0)
            team.save("placement", sid, placement, 0)
        validation.confirm_map(respond(members[0]) if members else team)


def _placement(now: tuple[int, ...], future: tuple[int, ...], roles: tuple[str, str]) -> dict:
    axes = ("touch", "compulsion", "experience", "provider")
    return (
        {f"{a}_now": v for a, v in zip(axes, now, strict=True)}
        | {f"{a}_future": v for a, v in zip(axes, future, strict=True)}
        | {"role_now": roles[0], "role_future": roles[1]}
    )


DEMO = (
    (
        "Housing repairs",
        "Borough council",
        _placement((1, 2, 1, 4), (3, 2, 2, 4), ("consumer", "coproducer")),
    ),
    (
        "Youth offending",
        "Youth justice service",
        _placement((4, 5, 1, 1), (5, 4, 3, 2), ("recipient", "coproducer")),
    ),
    (
        "Libraries",
        "County library service",
        _placement((2, 1, 3, 1), (4, 1, 5, 1), ("consumer", "coproducer")),
    ),
)


@hookimpl
def register_exercises(register: Callable[[Exercise], None]) -> None:
    register(CitizenStateMap())
