"""What the reframing exercise stores: six kinds of record, declared as data.

PlaceKit builds each page's inputs from these declarations and checks answers against
them, so this module is the exercise's data schema and nothing else (no widgets, no
pandas: every page's kernel imports it when the plugin loads).
"""

from __future__ import annotations

from placekit import Field, RecordKind

MIN_PROBLEMS = 1
MAX_PROBLEMS = 5
MAX_VOTES = 3  # dot-voting: a few votes each, never one for every reframe (logic.allowed_votes)

#: Where a reframe comes from: the prompts' points of view, and two more the practice uses.
LENSES = (
    ("users", "How the people who use the service see it"),
    ("partner", "How a partner sees it"),
    ("strengths", "What is already strong here"),
    ("system", "The whole system, not one service"),
    ("other", "Somewhere else"),
)
LENS_LABELS = dict(LENSES)

PROBLEM = RecordKind(
    "problem",
    "team",
    (
        Field(
            "statement",
            "The problem, as it is usually put",
            type="text",
            required=True,
            hint="In the words you usually hear, for example “Too many people go to A&E who"
            " do not need to be there”.",
        ),
        Field(
            "heard_from",
            "Where do you hear it put this way? (optional)",
            max_length=120,
            hint="A board paper, a service, the local news…",
        ),
    ),
    "A problem the team wants to reframe, as it is usually framed; shared by the team.",
)

LENS = RecordKind(
    "lens",
    "member",
    (
        Field(
            "whose_frame",
            "Whose frame is this?",
            type="text",
            required=True,
            hint="Who puts it this way, what does it take for granted, and who does it leave out?",
        ),
        Field(
            "users_words",
            "What would the people who use the service call it?",
            type="text",
            required=True,
            hint="In their words, not the service's.",
        ),
        Field(
            "partner_words",
            "What would a partner call it?",
            type="text",
            required=True,
            hint="Think of one partner: another organisation, a community group, a councillor.",
        ),
        Field("partner", "Which partner did you have in mind? (optional)", max_length=120),
    ),
    "One member's answers to the framing questions about one problem; the team sees them.",
)

REFRAME = RecordKind(
    "reframe",
    "team",
    (
        Field("problem", "The problem this reframes", required=True, max_length=40),
        Field(
            "text",
            "Reframed as…",
            type="text",
            required=True,
            hint="Often a question: “How might we…?”, “What helps people to…?”",
        ),
        Field(
            "possible",
            "What becomes possible if we call it this?",
            type="text",
            required=True,
            hint="Who else could act, what else could count as progress.",
        ),
        Field("lens", "Where this reframe comes from", type="choice", choices=LENSES),
        Field("by", "Written by", max_length=120),
    ),
    "A reframe of one problem, shared so the whole team can vote on it.",
)

VOTE = RecordKind(
    "vote",
    "member",
    (Field("reframes", "Your votes", type="multichoice"),),
    "One member's votes on one problem's reframes: only the totals are ever shown.",
    figures_only=True,
)

SUBMISSION = RecordKind(
    "submission",
    "member",
    (
        Field("problems", "Problems confirmed", type="lines"),
        Field("confirmed_at", "Confirmed at"),
    ),
    "Which problems a member confirmed on the check-your-answers page.",
)

DECISION = RecordKind(
    "decision",
    "team",
    (
        # The choices are the problem's reframes, given at run time (pages.build_choose).
        Field("chosen", "The reframe the team chooses", type="choice", required=True),
        Field("why", "Why this one? (optional)", type="text"),
        Field(
            "first_step",
            "A first step this reframe opens up (optional)",
            type="text",
            hint="Something someone could start this month.",
        ),
    ),
    "The team's chosen reframe of one problem; offered to other exercises as “reframes”.",
)

KINDS = (PROBLEM, LENS, REFRAME, VOTE, SUBMISSION, DECISION)
