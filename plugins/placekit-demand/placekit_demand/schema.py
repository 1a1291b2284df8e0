"""What the demand study stores (EXERCISES.md D.4) and the demand record file schema (D.5)."""

from __future__ import annotations

from placekit import Field, RecordKind

CHANNELS: tuple[tuple[str, str], ...] = (
    ("phone", "Phone"),
    ("face_to_face", "Face to face"),
    ("email", "Email"),
    ("web_form", "Web form"),
    ("letter", "Letter"),
    ("social_media", "Social media"),
    ("referral_from_agency", "Referral from an agency"),
    ("home_visit", "Home visit"),
    ("other", "Other"),
)
CHANNEL_LABELS = dict(CHANNELS)

CLASSES: tuple[tuple[str, str], ...] = (
    ("value", "Value: what we are here to do"),
    ("failure", "Failure: caused by us not doing something, or not doing it right"),
    ("unclear", "Unclear"),
)
CLASS_NAMES = ("value", "failure", "unclear")
CLASS_LABELS = {"value": "Value", "failure": "Failure", "unclear": "Unclear"}

FAILURE_CATEGORIES: tuple[tuple[str, str], ...] = (
    ("progress_chasing", "Chasing progress"),
    ("error_correction", "Putting right our mistake"),
    ("unclear_information", "Our information was unclear"),
    ("not_resolved_first_time", "Not resolved first time"),
    ("repeat_referral_or_assessment", "Repeat referral or assessment"),
    ("wrong_place_signposted", "Sent to the wrong place"),
    ("missed_appointment_by_us", "We missed an appointment"),
    ("other", "Other"),
)

YES_NO_UNSURE: tuple[tuple[str, str], ...] = (("yes", "Yes"), ("no", "No"), ("unsure", "Unsure"))

SYSTEM_CONDITIONS: tuple[tuple[str, str], ...] = (
    ("policy_rule", "A policy or rule"),
    ("target_or_measure", "A target or measure"),
    ("it_system", "An IT system"),
    ("procedure", "A procedure"),
    ("hand_off", "A hand-off between teams"),
    ("information_or_letter", "Information or a letter we send"),
    ("capacity_or_wait", "Capacity or waiting times"),
    ("eligibility_threshold", "An eligibility threshold"),
    ("other", "Something else"),
)
SYSTEM_CONDITION_LABELS = dict(SYSTEM_CONDITIONS)

# -- records kept in the workbook (all shared by the team: a demand study is team work) ----

STUDY = RecordKind(
    "study",
    "team",
    (
        Field(
            "services",
            "Services in the study (one per line)",
            type="lines",
            required=True,
            hint="For example “Housing repairs” or “Adult social care front door”.",
        ),
        Field(
            "channels", "Channels to listen on", type="multichoice", required=True, choices=CHANNELS
        ),
        Field("window_start", "Capture starts", type="date"),
        Field("window_end", "Capture ends", type="date"),
        Field(
            "listeners",
            "Who will listen (one per line)",
            type="lines",
            hint="Front-line staff and their managers together, not only an analyst.",
        ),
        Field(
            "target_n",
            "How many demands to capture per service",
            hint="Suggested: every demand in the windows over about two weeks, or at least"
            " 200 per service, whichever comes first.",
            max_length=7,
        ),
        Field("round", "Study round"),
    ),
    "What the study covers: services, channels, capture window and who listens (D.4 step 1).",
)

PURPOSE = RecordKind(
    "purpose",
    "team",
    (
        Field(
            "statement",
            "What is this service for, from the citizen’s point of view?",
            type="text",
            required=True,
            hint="One sentence in their words, for example “Fix my home properly, at a time"
            " that suits me”. You need it to judge which demands are value and which failure.",
        ),
    ),
    "The service's purpose in customer terms (D.4 step 2).",
)

DEMAND = RecordKind(
    "demand",
    "team",
    (
        Field("verbatim", "What the person said or wrote", type="text", required=True),
        Field("channel", "Channel", type="choice", required=True, choices=CHANNELS),
        Field("captured_at", "When it arrived", required=True),
        Field("service", "Service", required=True),
        Field("captured_by", "Captured by"),
        Field(
            "repeat_contact",
            "Contacted us about this before?",
            type="choice",
            choices=YES_NO_UNSURE,
        ),
        Field("handling_minutes", "Minutes spent on it"),
        Field("case_ref", "Case or job reference"),
        Field("round", "Study round"),
    ),
    "One demand captured at the point of transaction (D.5), typed into the capture form.",
)

VERDICT = RecordKind(
    "verdict",
    "team",
    (
        Field("classification", "Value or failure?", type="choice", required=True, choices=CLASSES),
        Field("failure_reason", "What did we fail to do, or do right?", type="text"),
        Field(
            "failure_category",
            "Kind of failure (optional)",
            type="choice",
            choices=FAILURE_CATEGORIES,
        ),
    ),
    "The team's classification of one demand (captured or imported), keyed by demand id.",
)

DEMAND_TYPE = RecordKind(
    "type",
    "team",
    (
        Field("label", "Demand type, in the customer’s words", required=True, max_length=120),
        Field(
            "class_hint",
            "Usually",
            type="choice",
            choices=(("value", "Value"), ("failure", "Failure"), ("mixed", "Mixed")),
        ),
        Field("predictable", "Predictable?", type="choice", choices=YES_NO_UNSURE),
        Field("from_file", "Types of the same name in imported files", type="lines"),
    ),
    "A demand type of the typology, in the customer's terms (D.4 step 5); ``from_file``"
    " holds the imported files' labels it stands for, so renaming it keeps their demands.",
)

ASSIGNMENT = RecordKind(
    "assign",
    "team",
    (
        Field("verbatim", "Verbatim", type="text"),
        Field("type_id", "Demand type"),
    ),
    "Which type a wording belongs to; keyed by the normalised wording, so every demand worded"
    " the same way (common in a large export) is grouped at once.",
)

CAUSE = RecordKind(
    "cause",
    "team",
    (
        Field(
            "system_condition",
            "What in the system causes it?",
            type="choice",
            choices=SYSTEM_CONDITIONS,
        ),
        Field("description", "Describe the system condition", type="text"),
        Field("owner", "Who owns that condition?"),
        Field("experiment", "What could we try?", type="text"),
    ),
    "The system condition behind one failure type and its owner (D.4 step 7).",
)

CHANGE = RecordKind(
    "change",
    "team",
    (
        Field("tried", "What change is the team trying before the next round?", type="text"),
        Field(
            "changed_on",
            "The day the system changed",
            type="date",
            hint="The capability charts are split here, with limits of their own before"
            " and after, so you can see whether the change made a difference.",
        ),
    ),
    "The experiment between two study rounds (D.4 step 8).",
)

CASE = RecordKind(
    "case",
    "team",
    (
        Field("ref", "Case reference"),
        Field("started", "When the need was first reported", type="date"),
        Field("ended", "When the need was met (fixed, resolved)", type="date"),
    ),
    "One case as the customer sees it: every contact with its reference is about the same"
    " need, from when it was first reported to when it was met (the end-to-end time).",
)

IMPORT_MAP = RecordKind(
    "import_map",
    "team",
    (
        Field("columns", "Which heading of the team's files holds each column"),
        Field("values", "What the words in the team's files mean"),
    ),
    "What the team said its files' columns and words mean (“Walk-in” is face to face), so"
    " the next file from the same system needs no matching.",
)

KINDS = (
    STUDY,
    PURPOSE,
    DEMAND,
    VERDICT,
    DEMAND_TYPE,
    ASSIGNMENT,
    CAUSE,
    CHANGE,
    CASE,
    IMPORT_MAP,
)
