"""What the balcony reflection stores: a private reflection and a figures-only reading of
the heat, one record of each per member per week (record id: the ISO week, "2026-W07").

The exercise is anonymous, so both are stored under the member's respondent key with no
author and no time (see PlaceKit's docs/privacy.md); the reflection is also private, so
it never leaves the member's own page, and the heat reaches the team only as a pattern.
"""

from __future__ import annotations

from placekit import Field, RecordKind

#: [design] Heifetz and Linsky's "productive zone of disequilibrium": enough heat for people
#: to do the adaptive work, not so much that they shut down. Five points, in the kit's words.
HEAT = (
    (1, "1 – Too cold: nothing is moving"),
    (2, "2 – Cool"),
    (3, "3 – Productive: uncomfortable enough to work"),
    (4, "4 – Warm"),
    (5, "5 – Too hot: people are shutting down"),
)
HEAT_WORDS = {1: "too cold", 2: "cool", 3: "productive", 4: "warm", 5: "too hot"}

REFLECTION = RecordKind(
    "reflection",
    "member",
    (
        Field(
            "dance_floor",
            "On the dance floor: a moment this week when you were in the thick of it",
            type="text",
            hint="A meeting, a conversation, a decision. What happened, briefly.",
        ),
        Field(
            "balcony",
            "From the balcony: what did you see this week that you could not see on the"
            " dance floor?",
            type="text",
            hint="Patterns rather than events: who spoke and who did not, where the hard"
            " work was avoided, what people were protecting.",
        ),
        Field(
            "loss",
            "What loss might people be resisting?",
            type="text",
            hint="People rarely resist change itself; they resist what they fear losing: a"
            " role, control, a way of working, a loyalty.",
        ),
        Field(
            "next_step",
            "Next week I will…",
            max_length=200,
            hint="One thing: step back sooner, hold steady, give the work back, protect a"
            " dissenting voice.",
        ),
    ),
    "A member's weekly reflection: seen by them alone, never by the team or facilitator.",
    private=True,
)

HEAT_READING = RecordKind(
    "heat",
    "member",
    (
        Field(
            "heat",
            "How much heat was the partnership working under this week?",
            type="scale",
            low=1,
            high=5,
            choices=HEAT,
        ),
    ),
    "A member's reading of the week's heat: only the team's pattern is ever shown.",
    figures_only=True,
)

KINDS = (REFLECTION, HEAT_READING)
