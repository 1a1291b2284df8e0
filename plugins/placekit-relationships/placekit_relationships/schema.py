"""The records the ally map stores (section E.4 of the exercise notes)."""

from __future__ import annotations

from placekit import Field, RecordKind

UNKNOWN = "unknown"  # a stance nobody knows yet; classified as "no stance" (null)

KINDS_OF_STAKEHOLDER = (
    ("person", "A person"),
    ("role", "A role (whoever holds it)"),
    ("organisation", "An organisation"),
    ("group", "A group (residents, a network, a committee)"),
)
CIRCLES = (
    ("inner", "Inner circle: holds formal power to decide"),
    ("outer", "Outer circle: influences those who decide"),
    ("unsure", "Not sure yet"),
)
CIRCLE_LABELS = {"inner": "Inner circle", "outer": "Outer circle", "unsure": "Not sure yet"}
STANCES = (
    (2, "+2 Strongly for"),
    (1, "+1 For"),
    (0, "0 Neutral"),
    (-1, "−1 Against"),
    (-2, "−2 Strongly against"),
    (UNKNOWN, "We don't know"),
)
TIE_KINDS = (
    ("influences", "influences"),
    ("reports_to", "reports to"),
    ("funds", "funds"),
    ("trusts", "trusts"),
    ("knows", "knows"),
    ("conflicts_with", "is in conflict with"),
)
PLAN_STATUS = (
    ("not_started", "Not started"),
    ("in_progress", "In progress"),
    ("ally", "Now an ally"),
    ("stalled", "Stalled"),
)


def _five(low: str, high: str) -> tuple[tuple[int, str], ...]:
    return ((1, f"1 – {low}"), (2, "2"), (3, "3"), (4, "4"), (5, f"5 – {high}"))


CHANGE = RecordKind(
    "change",
    "team",
    (
        Field(
            "statement",
            "What do we want to change, and by when?",
            type="text",
            required=True,
            hint="One sentence, for example “Every discharge from the hospital has a home"
            " to go to by next winter”.",
        ),
        # The choices are the team's wicked issues, offered by the triage at run time.
        Field("issue", "The issue this comes from (optional)", type="choice"),
    ),
    "The change the team is mapping allies for.",
)

SELF_POSITION = RecordKind(
    "self_position",
    "member",
    (
        Field(
            "reading",
            "Reading: how well am I reading the politics of this change?",
            type="scale",
            required=False,
            low=1,
            high=5,
            choices=_five("I am missing a lot", "I read it well"),
        ),
        Field(
            "carrying",
            "Carrying: how far am I acting with integrity here, rather than playing games?",
            type="scale",
            required=False,
            low=1,
            high=5,
            choices=_five("I catch myself playing games", "I act openly"),
        ),
        Field("reflection", "What I notice about myself (optional)", type="text"),
    ),
    "A member's private self-reflection on this change; seen by them alone.",
    private=True,
)

STAKEHOLDER = RecordKind(
    "stakeholder",
    "team",
    (
        Field("name", "Name", required=True, max_length=120),
        Field("kind", "This is", type="choice", required=True, choices=KINDS_OF_STAKEHOLDER),
        Field("organisation", "Organisation (optional)", max_length=120),
        Field("circle", "Circle", type="choice", required=True, choices=CIRCLES),
        Field(
            "power",
            "Power over the change",
            type="scale",
            required=True,
            low=1,
            high=5,
            choices=_five("none", "can decide it"),
        ),
        Field(
            "interest",
            "Interest in the change",
            type="scale",
            required=True,
            low=1,
            high=5,
            choices=_five("none", "cares a great deal"),
        ),
        Field("stance", "Where they stand now", type="choice", required=True, choices=STANCES),
        Field(
            "relationship",
            "Our relationship with them",
            type="scale",
            required=True,
            low=0,
            high=3,
            choices=((0, "0 – none"), (1, "1 – weak"), (2, "2 – working"), (3, "3 – strong")),
        ),
        Field("matters", "What matters to them", type="text"),
        Field(
            "stance_note",
            "What has changed, if their stance moved (optional)",
            type="text",
        ),
    ),
    "Someone relevant to the change, rated by the team; every saved version is kept, so"
    " changes of stance show as movement over time.",
)

OBSERVED = RecordKind(
    "observed",
    "team",
    (
        Field(
            "reading",
            "Reading the politics, as seen in this situation",
            type="scale",
            low=1,
            high=5,
            choices=_five("misses it", "reads it well"),
        ),
        Field(
            "carrying",
            "Acting with integrity, as seen in this situation",
            type="scale",
            low=1,
            high=5,
            choices=_five("plays games", "acts openly"),
        ),
        Field(
            "evidence",
            "What we saw that makes us say so (required with a rating)",
            type="text",
        ),
    ),
    "The team's optional rating of one stakeholder's behaviour in this situation: kept"
    " inside the team, never in the facilitator's results or an export.",
    private=True,
)

TIE = RecordKind(
    "tie",
    "team",
    (
        Field("source", "Who", type="choice", required=True),
        Field("kind", "…", type="choice", required=True, choices=TIE_KINDS),
        Field("target", "Whom", type="choice", required=True),
        Field(
            "strength",
            "How strong",
            type="scale",
            required=True,
            low=1,
            high=3,
            choices=((1, "1 – weak"), (2, "2"), (3, "3 – strong")),
        ),
    ),
    "Who influences whom: between stakeholders, or a team member and a stakeholder.",
)

PLAN = RecordKind(
    "plan",
    "team",
    (
        Field(
            "bridge",
            "Bridge: who has the best relationship with them?",
            max_length=120,
            required=True,
        ),
        Field("offer", "What we can offer them", type="text"),
        Field("ask", "What we will ask of them", type="text"),
        Field("approach", "How we will approach them", type="text", required=True),
        Field("next_contact", "Next contact", type="date"),
        Field("owner", "Who in the team owns this relationship", type="choice", required=True),
        Field("status", "Status", type="choice", choices=PLAN_STATUS),
    ),
    "How the team will build one relationship.",
)

REVIEW = RecordKind(
    "review",
    "team",
    (Field("milestone", "Which milestone are you reviewing after?", max_length=120),),
    "The latest milestone the team reviewed stances after.",
)

KINDS = (CHANGE, SELF_POSITION, STAKEHOLDER, OBSERVED, TIE, PLAN, REVIEW)
