"""The reframing exercise's rules, as pure functions: plain values in, plain values out.

Nothing here reads the store, imports widgets or pandas: each rule can be tested with a
line of Python, and the pages, the validation and the results all call the same ones.

- **Votes** are dot votes: each member has a few votes per problem (``allowed_votes``),
  never one for every reframe, so the vote says something; ``tally`` counts them,
  ignoring votes for reframes since removed; ``ranking`` orders reframes by votes, ties
  sharing a place.
- **Framing words** (``framing_flags``): phrases that carry a service's frame of the
  people it serves ("hard to reach", "did not attend"), each with a question that opens
  another frame. Offered as prompts, never as errors: the team decides.
- **Sameness** (``same_words``): a reframe that is the problem's own words again is not a
  reframe.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from placekit_reframing.schema import MAX_VOTES


def normalise(text: object) -> str:
    """Lower case, punctuation and runs of spaces folded: "Hard-to-reach  groups!" →
    "hard to reach groups"."""
    return " ".join(re.sub(r"[^\w]+", " ", str(text or "").casefold()).split())


def same_words(a: object, b: object) -> bool:
    """Whether two texts say the same words, ignoring case, punctuation and spacing."""
    return bool(normalise(a)) and normalise(a) == normalise(b)


# -- votes --------------------------------------------------------------------------------


def allowed_votes(reframes: int) -> int:
    """How many votes a member has on a problem with this many reframes: up to
    ``MAX_VOTES``, and always fewer than the reframes (one each for one or two), so a vote
    is a choice. None when there is nothing to vote on."""
    if reframes <= 0:
        return 0
    return min(MAX_VOTES, max(1, reframes - 1))


def vote_errors(chosen: Sequence[str] | None, reframe_ids: Sequence[str]) -> list[str]:
    """What is wrong with one member's votes on one problem, in words for the page."""
    valid = [r for r in dict.fromkeys(chosen or []) if r in reframe_ids]
    allowed = allowed_votes(len(reframe_ids))
    if not reframe_ids:
        return ["There are no reframes of this problem to vote on yet"]
    if not valid:
        return ["Choose at least one reframe"]
    if len(valid) > allowed:
        return [f"Choose no more than {allowed} ({len(valid)} chosen)"]
    return []


def tally(votes: Mapping[str, Sequence[str] | None], reframe_ids: Sequence[str]) -> dict[str, int]:
    """Votes per reframe, in the reframes' order. ``votes`` maps each member to the ids
    they chose; a vote for a reframe no longer listed, or a second vote for the same
    one, is not counted; nor is a ballot that chose more than it was allowed (it is not
    a valid vote, so none of it counts)."""
    counts = dict.fromkeys(reframe_ids, 0)
    for chosen in votes.values():
        if vote_errors(chosen, reframe_ids):
            continue
        for reframe in dict.fromkeys(chosen or []):
            if reframe in counts:
                counts[reframe] += 1
    return counts


def voters(votes: Mapping[str, Sequence[str] | None], reframe_ids: Sequence[str]) -> int:
    """How many members have cast a valid vote on the problem."""
    return sum(not vote_errors(chosen, reframe_ids) for chosen in votes.values())


@dataclass(frozen=True)
class Ranked:
    reframe: str
    votes: int
    place: int  # 1 for the most votes; equal votes share a place ("joint 1st")
    joint: bool


def ranking(counts: Mapping[str, int]) -> list[Ranked]:
    """Reframes by votes, most first; ties share a place and keep the list's order."""
    ordered = sorted(counts.items(), key=lambda item: -item[1])  # stable: ties keep order
    found = []
    for reframe, votes in ordered:
        place = 1 + sum(1 for other in counts.values() if other > votes)
        joint = sum(1 for other in counts.values() if other == votes) > 1
        found.append(Ranked(reframe, votes, place, joint))
    return found


def leaders(counts: Mapping[str, int]) -> list[str]:
    """The reframes with the most votes (several when tied); none before any vote."""
    top = max(counts.values(), default=0)
    return [r for r, votes in counts.items() if votes == top] if top else []


def place_text(ranked: Ranked) -> str:
    """ "1st", "joint 2nd", … for a table."""
    n = ranked.place
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return ("joint " if ranked.joint else "") + f"{n}{suffix}"


# -- framing words ----------------------------------------------------------------------------


@dataclass(frozen=True)
class FramingFlag:
    phrase: str  # as the kit lists it
    question: str  # a question that opens another frame


#: [design] Phrases common in UK public-service papers that frame people by how they fit
#: the service, each with a question in the kit's own words. Matched as whole words,
#: ignoring case, hyphens and spacing.
FRAMING_WORDS: tuple[tuple[tuple[str, ...], str], ...] = (
    (("hard to reach",), "Who finds the service hard to reach, and what makes it hard?"),
    (
        ("did not attend", "non attendance", "dna", "dnas", "no show", "no shows"),
        "What made it hard for people to come?",
    ),
    (
        (
            "failing to engage",
            "failed to engage",
            "non engagement",
            "refuse to engage",
            "refused to engage",
            "disengaged",
        ),
        "What would make the service worth engaging with, for them?",
    ),  # fmt: skip
    (("non compliant", "non compliance"), "Whose rules, and do they make sense to the person?"),
    (
        (
            "frequent flyer",
            "frequent flyers",
            "frequent attender",
            "frequent attenders",
            "repeat callers",
            "high intensity users",
        ),
        "What need keeps bringing people back, and what would meet it first time?",
    ),  # fmt: skip
    (
        ("bed blocker", "bed blockers", "bed blocking"),
        "Who is waiting to go home, and what do they need to get there?",
    ),
    (
        ("problem families", "troubled families", "chaotic families", "chaotic lives"),
        "What is the family up against, and which of those problems are the services' own?",
    ),
    (("inappropriate",), "Inappropriate to whom? What was the person trying to get?"),
    (("vulnerable",), "Vulnerable to what, and who decided?"),
    (("burden",), "A burden on whom? What do these people bring?"),
    (("deprived", "deprivation"), "What does the place have, as well as what it lacks?"),
    (("service users",), "What would these people call themselves?"),
    (("anti social",), "Anti-social to whom, and what might it be a response to?"),
)


def framing_flags(text: object) -> list[FramingFlag]:
    """The framing words in a text, in the order of ``FRAMING_WORDS``, once each."""
    words = f" {normalise(text)} "
    found = []
    for phrases, question in FRAMING_WORDS:
        for phrase in phrases:
            if f" {phrase} " in words:
                found.append(FramingFlag(phrase, question))
                break
    return found


def duplicates(texts: Iterable[object]) -> list[int]:
    """Positions (0-based) of texts that repeat an earlier one, ignoring case and spacing."""
    seen: set[str] = set()
    found = []
    for position, text in enumerate(texts):
        key = normalise(text)
        if key and key in seen:
            found.append(position)
        seen.add(key)
    return found
