"""Reframes from elsewhere in the workbook, as issues the team could add (pure).

Another exercise (reframing) offers its chosen reframes as ``"reframes"``; the issues page
suggests each one the list does not already hold. An issue's title is a short string, and
a reframe is free text, so a long reframe becomes a title cut at a word boundary, with the
whole reframe kept in the issue's description: nothing the team wrote is dropped.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from placekit import Offer
from placekit_triage.schema import ISSUE

TITLE_LIMIT = ISSUE.field("title").max_length  # 200: what the title field accepts
ELLIPSIS = "…"


def normalise(text: object) -> str:
    """Case, punctuation (the ellipsis of a cut title too) and spacing folded, so that
    "What helps  people?" and "what helps people" are the same issue."""
    return " ".join(re.sub(r"[^\w]+", " ", str(text or "").casefold()).split())


def cut_title(text: str, limit: int = TITLE_LIMIT) -> str:
    """``text`` as it is if it fits in ``limit`` characters; otherwise cut at the last word
    boundary that leaves room for "…" (mid-word only when one word is longer than that)."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    room = text[: limit - len(ELLIPSIS) + 1]  # one more, to see whether a word ends there
    cut = room.rsplit(" ", 1)[0] if " " in room else room[:-1]
    return cut.rstrip(" ,;:.-–—") + ELLIPSIS


@dataclass(frozen=True)
class Suggestion:
    """One reframe the issues page offers, and the issue it would add."""

    text: str  # the reframe, in full
    source: str  # the title of the exercise it came from
    title: str  # the issue's title: the reframe, cut if too long

    @property
    def cut(self) -> bool:
        return self.title != self.text

    def issue(self) -> dict[str, str]:
        """The issue's data: the title, and where it came from (the whole reframe too, when
        the title had to be cut)."""
        if self.cut:
            description = f"The reframe your team chose in {self.source}, in full: {self.text}"
        else:
            description = f"The reframe your team chose in {self.source}."
        return {"title": self.title, "description": description}


def suggestions(
    offers: Iterable[Offer], issues: Mapping[str, Mapping[str, Any]]
) -> list[Suggestion]:
    """The offered reframes not yet on the issue list, in order. One counts as there if an
    issue's title says the same words as the reframe or as the title it would get, so a
    cut one is not offered again once added."""
    have = {normalise(issue.get("title")) for issue in issues.values()}
    found = []
    for offer in offers:
        title = cut_title(offer.text)
        if normalise(title) and not {normalise(offer.text), normalise(title)} & have:
            found.append(Suggestion(offer.text, offer.source, title))
    return found
