"""The records the triage exercise stores (section B.3 of the exercise notes)."""

from __future__ import annotations

from placekit import Field, RecordKind
from placekit_triage.items import ITEMS, MODE_LABELS, MODES, TYPE_LABELS, TYPES

GUT_TYPES = ("tame", "wicked", "critical")  # the blind gut call has no "mixed" (B.3)
MAX_ISSUES = 12
MIN_ISSUES = 3

ISSUE = RecordKind(
    "issue",
    "team",
    (
        Field(
            "title",
            "Issue",
            required=True,
            hint="A few words, for example “Rough sleeping in the town centre”",
        ),
        Field("description", "What the issue is about (optional)", type="text"),
    ),
    "An issue on the team's agenda; shared by the whole team.",
)

MODE = RecordKind(
    "mode",
    "member",
    (
        Field(
            "preferred_mode",
            "When something goes wrong, my instinct is to…",
            type="choice",
            required=True,
            choices=(
                ("command", "Take charge and tell people what to do (command)"),
                ("management", "Organise a process and apply what has worked before (manage)"),
                ("leadership", "Ask questions and get people working it out together (lead)"),
            ),
        ),
        Field(
            "confidence",
            "How sure are you of that?",
            type="scale",
            required=True,
            low=1,
            high=5,
            choices=(
                (1, "1 – not at all sure"),
                (2, "2"),
                (3, "3"),
                (4, "4"),
                (5, "5 – very sure"),
            ),
        ),
    ),
    "A member's preferred mode of engagement: only the team's pattern is shown.",
    figures_only=True,
)

CALL = RecordKind(
    "call",
    "member",
    (
        Field(
            "gut_call",
            "Gut call",
            type="choice",
            required=True,
            choices=tuple((t, TYPE_LABELS[t]) for t in GUT_TYPES),
        ),
        *(
            Field(
                item.id,
                f"{item.id}. {item.question}",
                type="scale",
                required=True,
                low=0,
                high=2,
                choices=tuple(enumerate(item.labels)),
            )
            for item in ITEMS
        ),
        Field("comment", "Anything you want to add about this issue (optional)", type="text"),
        Field(
            "revised_call",
            "Having talked it through, I now see this issue as…",
            type="choice",
            choices=tuple((t, TYPE_LABELS[t]) for t in TYPES),
        ),
        Field("revision_reason", "What changed your mind?", type="text"),
    ),
    "One member's blind classification of one issue; private until the reveal.",
)

SUBMISSION = RecordKind(
    "submission",
    "member",
    (Field("issues", "Issues confirmed", type="lines"), Field("confirmed_at", "Confirmed at")),
    "Which issues a member confirmed on the check-your-answers page.",
)

DECISION = RecordKind(
    "decision",
    "team",
    (
        Field(
            "agreed_type",
            "The team agrees this issue is",
            type="choice",
            required=True,
            choices=tuple((t, TYPE_LABELS[t]) for t in TYPES),
        ),
        Field(
            "mode",
            "Mode of authority",
            type="choice",
            required=True,
            choices=tuple((m, MODE_LABELS[m]) for m in MODES),
        ),
        Field("response_summary", "Our response", type="text", required=True),
        Field(
            "tame_components",
            "Parts with a known fix, and who owns each (one per line)",
            type="lines",
        ),
        Field("questions_to_ask", "Questions to ask (one per line)", type="lines"),
        Field("who_to_involve", "Who must be involved (one per line)", type="lines"),
        Field("hierarchist", "Clumsy solution – more rules and structure", type="text"),
        Field(
            "egalitarian", "Clumsy solution – changed attitudes, shared responsibility", type="text"
        ),
        Field("individualist", "Clumsy solution – incentives and personal choice", type="text"),
        Field(
            "fatalist_concerns",
            "Clumsy solution – who thinks nothing can be done, and why",
            type="text",
        ),
        Field(
            "command_time_limit",
            "When command mode should be stood down and reviewed",
            type="date",
            hint="Command is right only while the crisis lasts.",
        ),
    ),
    "The team's agreed type and response for one issue.",
)

REVIEW = RecordKind(
    "review",
    "team",
    (Field("revisit_on", "When should the team revisit these classifications?", type="date"),),
    "When the team will look again (a crisis can subside into a wicked problem).",
)

KINDS = (ISSUE, MODE, CALL, SUBMISSION, DECISION, REVIEW)
