"""Links between exercises: named lists one exercise offers and another asks for.

An exercise that owns some data (the ally map's stakeholders, the triage's issues) offers
it through ``Exercise.provides()``: a name such as ``"organisations"`` mapped to a
documented function of its own. Another exercise in the same workbook asks for the name
with ``offered()`` and gets suggestions, without importing the other plugin or reading its
records. The functions see responses as the facilitator does, so a kind declared private
can never travel through a link.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from placekit.data.responses import Responses

log = logging.getLogger("placekit")


@dataclass(frozen=True)
class Offer:
    """One suggestion, and the title of the exercise it comes from."""

    text: str
    source: str


def offers(responses: Responses, name: str) -> list[Offer]:
    """Every other exercise's offers for ``name`` in the workbook of ``responses``,
    de-duplicated ignoring case and spacing, in the order of ``responses.exercises`` (the
    registry's). A provider that fails is logged and skipped: a suggestion is never worth a
    broken page."""
    found: list[Offer] = []
    seen: set[str] = set()
    for ex in responses.exercises.values():
        if ex.id == responses.exercise.id:
            continue
        try:
            provider = ex.provides().get(name)
            values = provider(responses.other(ex)) if provider else []
        except Exception:
            log.exception("Exercise %r failed to offer %r", ex.id, name)
            continue
        for value in values:
            text = " ".join(str(value).split())
            if text and text.casefold() not in seen:
                seen.add(text.casefold())
                found.append(Offer(text, ex.title))
    return found


def offered(responses: Responses, name: str) -> list[str]:
    """The texts of ``offers(...)``: what to suggest for ``name`` in this workbook."""
    return [offer.text for offer in offers(responses, name)]
