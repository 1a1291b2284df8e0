"""The demand record file (EXERCISES.md D.5): the columns an import is checked against.

Kept apart from ``schema`` so that registering the exercise does not import the importer
(and pyarrow) into every page's kernel: only the import page and the analysis need it.
"""

from __future__ import annotations

from placekit import Column, Schema
from placekit_demand.schema import CHANNELS, CLASS_NAMES, FAILURE_CATEGORIES

# -- the demand record file (D.5) ----------------------------------------------------------

_CHANNEL_WORDS = {
    "telephone": "phone",
    "tel": "phone",
    "call": "phone",
    "e_mail": "email",
    "online": "web_form",
    "web": "web_form",
    "website": "web_form",
    "online_form": "web_form",
    "f2f": "face_to_face",
    "in_person": "face_to_face",
    "counter": "face_to_face",
    "visit": "home_visit",
    "post": "letter",
    "social": "social_media",
    "referral": "referral_from_agency",
}

DEMAND_FILE = Schema(
    (
        Column(
            "demand_id",
            "id",
            required=True,
            unique=True,
            max_length=100,
            aliases=("id", "case_id", "case_ref", "reference", "contact_id", "ref"),
        ),
        Column("study_id", "id", max_length=100),
        Column(
            "captured_at",
            "datetime",
            required=True,
            aliases=(
                "date_time",
                "datetime",
                "received",
                "created",
                "created_at",
                "contact_date",
                "date",
            ),
        ),
        Column(
            "service",
            "string",
            required=True,
            max_length=200,
            aliases=("service_area", "team", "department"),
        ),
        Column(
            "channel",
            "choice",
            required=True,
            choices=tuple(c for c, _ in CHANNELS),
            choice_aliases=_CHANNEL_WORDS,
            aliases=("contact_channel", "contact_method", "method", "source"),
        ),
        Column("captured_by", "string", max_length=200, aliases=("capturer", "agent")),
        Column(
            "verbatim",
            "text",
            required=True,
            max_length=4000,
            aliases=("what_they_said", "customer_words", "description", "details", "comments"),
        ),
        Column("demand_type", "string", max_length=200),
        Column(
            "classification",
            "choice",
            choices=CLASS_NAMES,
            aliases=("value_or_failure", "demand_class"),
        ),
        Column("failure_reason", "text", max_length=2000),
        Column("failure_category", "choice", choices=tuple(c for c, _ in FAILURE_CATEGORIES)),
        Column(
            "predictable",
            "choice",
            choices=("yes", "no", "unsure"),
            choice_aliases={"y": "yes", "n": "no", "not_sure": "unsure", "dont_know": "unsure"},
        ),
        Column(
            "preventable",
            "choice",
            choices=("yes", "no", "unsure"),
            choice_aliases={"y": "yes", "n": "no", "not_sure": "unsure", "dont_know": "unsure"},
        ),
        Column("repeat_contact", "bool", aliases=("repeat",)),
        Column("prior_contacts", "int", minimum=0),
        Column("resolved_first_point", "bool", aliases=("resolved_first_time", "one_stop")),
        Column("passed_to", "string", max_length=200),
        Column(
            "handling_minutes",
            "decimal",
            minimum=0,
            aliases=("handling_time", "duration_minutes", "minutes"),
        ),
        Column("person_key", "id", max_length=200),  # mostly distinct: not a category
        Column("notes", "text", max_length=4000),
    )
)
