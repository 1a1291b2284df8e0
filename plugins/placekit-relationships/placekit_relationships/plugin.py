"""Registers the relationship exercises (sections E and F) with PlaceKit."""

from __future__ import annotations

from collections.abc import Callable

from placekit import Exercise, hookimpl
from placekit_relationships.allies import AllyMap
from placekit_relationships.narrative import PublicNarrative

PLACEKIT_API = 1


@hookimpl
def register_exercises(register: Callable[[Exercise], None]) -> None:
    register(AllyMap())
    register(PublicNarrative())
