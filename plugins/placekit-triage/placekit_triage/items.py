"""Diagnostic items and vocabulary of the triage exercise (EXERCISES.md, section B).

Plain data only, so that the scoring, the widgets and the exports all read the same wording.
Every item is answered 0 / 1 / 2, and 2 always points towards the item's named type (B.4).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Item:
    """One diagnostic question of table B.4."""

    id: str
    question: str
    labels: tuple[str, str, str]  # answer labels for 0, 1 and 2
    group: str  # "critical" (the crisis gate) or "wicked" (the tame <-> wicked scale)


ITEMS: tuple[Item, ...] = (
    # Critical gate
    Item(
        "C1",
        "Is serious harm to people happening now or likely within hours/days?",
        ("No", "Possibly", "Yes"),
        "critical",
    ),
    Item(
        "C2",
        "Would almost everyone involved agree this is an emergency?",
        ("No", "Some would", "Yes"),
        "critical",
    ),
    Item(
        "C3",
        "Must action be taken before there is time to consult or gather more evidence?",
        ("No", "Partly", "Yes"),
        "critical",
    ),
    # Tame <-> wicked (2 = wicked end)
    Item(
        "W1",
        "Has this (or something very like it) been solved before, here or elsewhere, "
        "with a method we could reuse?",
        ("Yes", "Partly", "No"),
        "wicked",
    ),
    Item(
        "W2",
        "Do the people and organisations involved agree on what the problem actually is?",
        ("Yes", "Partly", "No"),
        "wicked",
    ),
    Item(
        "W3",
        "Do we understand what causes it?",
        ("Clearly", "Partly", "No / disputed"),
        "wicked",
    ),
    Item(
        "W4",
        "Would we know when it is finished?",
        ("Yes, clear end point", "Roughly", "No end point"),
        "wicked",
    ),
    Item(
        "W5",
        "Could one organisation resolve it within its own powers and budget?",
        ("Yes", "With some help", "No"),
        "wicked",
    ),
    Item(
        "W6",
        "Is it tangled up with other problems (a symptom of something else)?",
        ("No", "Somewhat", "Heavily"),
        "wicked",
    ),
    Item(
        "W7",
        "Can we try a solution, see it fail, and undo it without lasting consequences?",
        ("Yes", "Partly", "No \u2014 every attempt leaves a mark"),
        "wicked",
    ),
    Item(
        "W8",
        "Does progress depend on people (residents, staff, partners) changing values, habits "
        "or loyalties, rather than on applying expertise?",
        ("No", "Partly", "Yes"),
        "wicked",
    ),
    Item(
        "W9",
        "Is there an expert, standard or procedure that could give us the answer?",
        ("Yes", "Partly", "No"),
        "wicked",
    ),
)

CRITICAL_ITEMS: tuple[str, ...] = ("C1", "C2", "C3")
WICKED_ITEMS: tuple[str, ...] = ("W1", "W2", "W3", "W4", "W5", "W6", "W7", "W8", "W9")
ITEM_IDS: tuple[str, ...] = CRITICAL_ITEMS + WICKED_ITEMS

# "mixed" is the stored name of B.5's "wicked with tame components".
TYPES: tuple[str, ...] = ("tame", "mixed", "wicked", "critical")
TYPE_LABELS: dict[str, str] = {
    "tame": "Tame",
    "mixed": "Wicked with tame components",
    "wicked": "Wicked",
    "critical": "Critical",
}

MODES: tuple[str, ...] = ("command", "management", "leadership")
MODE_LABELS: dict[str, str] = {
    "command": "Command",
    "management": "Management",
    "leadership": "Leadership",
}
# Grint's mapping of problem type to mode of authority (B.2, B.6).
MODE_FOR_TYPE: dict[str, str] = {
    "critical": "command",
    "tame": "management",
    "wicked": "leadership",
    "mixed": "leadership",
}


@dataclass(frozen=True)
class Definition:
    """What one type of problem means, in the kit's own plain words (after Grint, B.2)."""

    type: str  # one of TYPES
    meaning: str
    example: str
    authority: str  # the mode of authority it calls for, and what that looks like


# Shown on the gut-call page and the reveal, so the three words mean the same to everyone.
# "mixed" is only ever a diagnosis (the blind gut call offers the other three).
DEFINITIONS: tuple[Definition, ...] = (
    Definition(
        "tame",
        "It may be complicated, but it has been solved before and there is a known way to fix it.",
        "missed bin collections after a new rota.",
        "Management: organise the work and apply what has worked before.",
    ),
    Definition(
        "wicked",
        "It is tangled up with other problems, people disagree about what causes it, and it"
        " has no clear end point. Each attempt to fix it changes it.",
        "rough sleeping in the town centre.",
        "Leadership: ask questions and get everyone involved working it out together,"
        " step by step.",
    ),
    Definition(
        "critical",
        "A crisis: serious harm is happening now or is about to, and there is no time to consult.",
        "a care home that must be evacuated tonight after a flood.",
        "Command: someone takes charge and tells people what to do, only while the crisis lasts.",
    ),
    Definition(
        "mixed",
        "A wicked problem with parts that do have a known fix.",
        "rough sleeping, where finding beds tonight is a known task.",
        "Leadership for the whole, with the known parts managed as tame.",
    ),
)

# Step 6 of B.3: prompts shown for each flagged issue.
DIALOGUE_PROMPTS: tuple[str, ...] = (
    "What would have to be true for this to be critical?",
    "What would have to be true for this to be tame?",
    "What would have to be true for this to be wicked?",
    "Which parts of it are tame (have a known fix)?",
    "Who gains if we call it a crisis?",
    "Whose voice is missing from how we've defined it?",
)
