"""Section E.5's classification rules, as pure functions (no pandas, no widgets).

``high(x) := x >= 4``; 3 sits on the boundary and counts as low for the quadrants, so a
stakeholder is only a key player once the team rates them clearly powerful and clearly
interested.
"""

from __future__ import annotations

from dataclasses import dataclass

ALLY = "Ally"
SIGNIFICANT_OPPONENT = "Significant opponent"
NEEDS_TO_BE_ALLY = "Needs to be an ally"
POTENTIAL_ALLY = "Potential ally"
OPPONENT = "Opponent (monitor, understand)"
NEUTRAL = "Neutral"


STANCE_LABELS = {
    2: "Strongly for",
    1: "For",
    0: "Neutral",
    -1: "Against",
    -2: "Strongly against",
    None: "Not known",
}


@dataclass(frozen=True)
class Quadrant:
    """A power/interest quadrant in both vocabularies (Mendelow; Eden & Ackermann)."""

    mendelow: str
    eden: str

    @property
    def label(self) -> str:
        return f"{self.mendelow} ({self.eden})"


KEY_PLAYER = Quadrant("Key player", "Player")
KEEP_SATISFIED = Quadrant("Keep satisfied", "Context setter")
KEEP_INFORMED = Quadrant("Keep informed", "Subject")
MINIMAL_EFFORT = Quadrant("Minimal effort", "Crowd")


def high(x: int | None) -> bool:
    return x is not None and x >= 4


def grid_quadrant(power: int, interest: int) -> Quadrant:
    if high(power):
        return KEY_PLAYER if high(interest) else KEEP_SATISFIED
    return KEEP_INFORMED if high(interest) else MINIMAL_EFFORT


def on_boundary(power: int | None, interest: int | None) -> bool:
    """A rating of 3 is drawn on the line: worth a second look before acting on it."""
    return power == 3 or interest == 3


def ally_status(stance: int | None, power: int, interest: int) -> str:
    if stance is not None and stance >= 1:
        return ALLY
    if stance is not None and stance <= -1:
        return SIGNIFICANT_OPPONENT if power >= 4 else OPPONENT
    if power >= 4:
        return NEEDS_TO_BE_ALLY
    if interest >= 4:
        return POTENTIAL_ALLY
    return NEUTRAL


def priority(power: int, relationship_strength: int, stance: int | None) -> float:
    """0..1: powerful, weakly connected and undecided stakeholders come first."""
    undecided = 1.0 if stance in (None, 0) else 0.0
    score = 0.5 * (power - 1) / 4 + 0.3 * (1 - relationship_strength / 3) + 0.2 * undecided
    return round(score, 3)


def needs_plan(stance: int | None, power: int, interest: int) -> bool:
    """Section E.4 step 7: every "needs to be an ally" and every key player gets a plan."""
    return (
        ally_status(stance, power, interest) == NEEDS_TO_BE_ALLY
        or grid_quadrant(power, interest) == KEY_PLAYER
    )


OWL, FOX, SHEEP, DONKEY = "Owl", "Fox", "Sheep (lamb)", "Donkey"

POLITICAL = {
    OWL: "Reads the situation and acts with integrity",
    FOX: "Reads the situation but plays games for advantage",
    SHEEP: "Acts with integrity but misses the politics",
    DONKEY: "Misses the politics and plays games",
}

#: Approach prompts by political quadrant (a product design, not Baddeley & James's).
APPROACH = {
    OWL: "Engage openly on shared purpose and ask for their reading of the system.",
    FOX: "Be explicit and transparent, write agreements down, avoid private side-deals.",
    SHEEP: "Help them read the context, protect them from being used, value their integrity.",
    DONKEY: "Keep requests concrete and simple; don't get drawn into their games.",
}


def political_quadrant(reading: int | None, carrying: int | None) -> str | None:
    """Owl, fox, sheep or donkey: behaviour seen in one situation, never a type."""
    if reading is None or carrying is None:
        return None
    if reading >= 3:
        return OWL if carrying >= 3 else FOX
    return SHEEP if carrying >= 3 else DONKEY
