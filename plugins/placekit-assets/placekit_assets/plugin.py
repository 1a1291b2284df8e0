"""Asset mapping (asset-based community development), registered as a PlaceKit exercise.

The wizard follows the Health Foundation's stages (Hopkins & Rippon, 2015): reframe,
recognise (one page per ABCD category), connect, mobilise, and co-produce and review.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Sequence
from typing import Any

from placekit import Exercise, Page, PageContext, Responses, Summary, hookimpl, new_record_id
from placekit_assets import data, validation
from placekit_assets.schema import CATEGORIES, KINDS

PLACEKIT_API = 1


def view(module: str, name: str, *args: Any) -> Callable[[Any], Any]:
    """A page builder imported when the page is built, not when the plugin loads: every
    page's kernel loads every plugin, and the views pull in networkx and the grid."""

    def build(ctx: PageContext) -> Any:
        found = getattr(importlib.import_module(f"placekit_assets.{module}"), name)
        return (found(*args) if args else found)(ctx)

    return build


class AssetMap(Exercise):
    id = "assets"
    title = "Asset map"
    summary = (
        "Map what your place already has: people's gifts, groups, institutions, spaces,"
        " economic exchange and stories. Link assets that work together, and choose which"
        " to mobilise, who leads and by when."
    )
    anonymity = "named"  # who added an asset is part of the record (provenance)
    kinds = KINDS
    primary_kind = "asset"
    steps = (
        ("reframe", "Reframe the question"),
        ("recognise", "Record assets by category"),
        ("inventory", "Check the whole inventory"),
        ("connect", "Connect assets"),
        ("mobilise", "Choose what to mobilise"),
        ("review", "Co-produce and review"),
    )
    # Run live in the room, each member records the assets they know of without seeing
    # the others' (nor how many) until the facilitator reveals the inventory's shape.
    own_until_revealed = dict.fromkeys(("asset", "link", "action"), "recognise")

    def pages(self, responses: Responses) -> Sequence[Page]:
        found = [
            Page(
                "reframe",
                "reframe",
                "What is strong here?",
                view("pages", "build_frame"),
                validation.validate_frame,
            )
        ]
        for category in CATEGORIES:
            found.append(
                Page(
                    f"recognise/{category.id}",
                    "recognise",
                    category.label,
                    view("pages", "build_category", category.id),
                    validation.validate_category(category.id),
                )
            )
        found += [
            Page(
                "inventory",
                "inventory",
                "All the assets",
                view("grid", "build_inventory"),
                validation.validate_inventory,
            ),
            Page(
                "connect",
                "connect",
                "Which assets work together?",
                view("pages", "build_connect"),
                locked=validation.locked_until_assets,
            ),
            Page(
                "mobilise",
                "mobilise",
                "What will you mobilise?",
                view("pages", "build_mobilise"),
                validation.validate_actions,
                validation.locked_until_assets,
            ),
            Page(
                "review",
                "review",
                "The team's asset map",
                view("pages", "build_review"),
                locked=validation.locked_until_assets,
            ),
        ]
        return found

    def summarise(self, responses: Responses) -> Summary:
        from placekit_assets import results

        return results.summarise(responses)

    def revealed(self, step: str, responses: Responses) -> Summary | None:
        """In a live session, the room sees the inventory's shape once the assets are in:
        how many in each category, and the gaps."""
        if step not in ("recognise", "inventory"):
            return None
        full = self.summarise(responses)
        shown = ("Assets by category", "Gaps: categories with few assets")
        return Summary(
            tables={name: full.tables[name] for name in shown if name in full.tables},
            figures={name: full.figures[name] for name in shown[:1] if name in full.figures},
            notes=full.notes,
        )

    def provides(self) -> dict[str, Callable[[Responses], list[str]]]:
        from placekit_assets import api

        return {
            "stakeholders": api.steward_names,
            "organisations": api.steward_organisations,
            "assets": api.asset_names,
        }

    def seed_demo(self, respond: Callable[[str | None], Responses], members: list[str]) -> None:
        first = respond(members[0] if members else None)
        first.save(
            "map",
            "map",
            {
                "place": "Eastvale",
                "focus_question": "What helps older people in Eastvale stay connected?",
                "purpose": "The neighbourhood team, to plan the winter programme with residents.",
                "consent_model": "public_only",
            },
            0,
        )
        ids = {}
        for name, category, steward in DEMO_ASSETS:
            ids[name] = new_record_id()
            first.save(
                "asset",
                ids[name],
                data.new_asset(first, category, name=name, steward_name=steward),
                0,
            )
        for a, b, status in DEMO_LINKS:
            first.save(
                "link",
                data.link_id(ids[a], ids[b]),
                {
                    "from_asset": ids[a],
                    "to_asset": ids[b],
                    "status": status,
                    "relation": "partners_with",
                    "identified_by": data.member_name(first),
                },
                0,
            )
        first.save(
            "action",
            new_record_id(),
            {
                "title": "Knitting afternoons in the library",
                "aim": "A warm, regular place to meet through the winter.",
                "assets": [ids["Eastvale Library"], ids["Knit and Natter"]],
                "mode": "community_with_help",
                "lead": "Knit and Natter organiser",
                "first_step": "Ask the library for Tuesday afternoons.",
                "due": "2026-01-15",
                "status": "idea",
            },
            0,
        )


DEMO_ASSETS = (
    ("Eastvale Library", "institution", "County library service"),
    ("Knit and Natter", "association", "Volunteers"),
    ("Eastvale Park", "physical", "Town council"),
    ("Saturday market", "economic", "Market traders' association"),
    ("Miners' gala", "culture_story", "Gala committee"),
)
DEMO_LINKS = (
    ("Eastvale Library", "Knit and Natter", "existing"),
    ("Knit and Natter", "Eastvale Park", "potential"),
    ("Saturday market", "Miners' gala", "existing"),
)


@hookimpl
def register_exercises(register: Callable[[Exercise], None]) -> None:
    register(AssetMap())
