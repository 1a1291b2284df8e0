"""The demand record file (EXERCISES.md D.5): the columns an import is checked against.

Kept apart from ``schema`` so that registering the exercise does not import the importer
(and pyarrow) into every page's kernel: only the import page and the analysis need it.
"""

from __future__ import annotations

from placekit import Column, Schema
from placekit_demand.schema import (
    CHANNEL_LABELS,
    CHANNELS,
    CLASS_LABELS,
    CLASS_NAMES,
    FAILURE_CATEGORIES,
    YES_NO_UNSURE,
)

# -- the demand record file (D.5) ----------------------------------------------------------

# How contact-centre and case-system exports write the channels: read at once, and listed
# on the import page so the person importing can change any of them. Case, spaces and
# punctuation are ignored ("Walk-in", "WALK IN" and "walkin" are one word).
_CHANNEL_WORDS = {
    "telephone": "phone",
    "tel": "phone",
    "call": "phone",
    "phone call": "phone",
    "telephone call": "phone",
    "mobile": "phone",
    "online": "web_form",
    "web": "web_form",
    "website": "web_form",
    "online form": "web_form",
    "f2f": "face_to_face",
    "in person": "face_to_face",
    "walk in": "face_to_face",
    "drop in": "face_to_face",
    "counter": "face_to_face",
    "reception": "face_to_face",
    "visit": "home_visit",
    "post": "letter",
    "social": "social_media",
    "referral": "referral_from_agency",
}
_CLASS_WORDS = {
    "value demand": "value",
    "failure demand": "failure",
    "fail": "failure",
    "unsure": "unclear",
    "not sure": "unclear",
    "don't know": "unclear",
}
_YES_NO = {"y": "yes", "n": "no", "not sure": "unsure", "don't know": "unsure"}
_YES_NO_LABELS = dict(YES_NO_UNSURE)

DEMAND_FILE = Schema(
    (
        Column(
            "demand_id",
            "id",
            required=True,
            unique=True,
            max_length=100,
            aliases=("id", "reference", "contact_id", "contact_ref", "ref"),
            label="Demand reference",
        ),
        Column("study_id", "id", max_length=100, label="Study"),
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
            label="When it arrived",
        ),
        Column(
            "service",
            "string",
            required=True,
            max_length=200,
            aliases=("service_area", "team", "department"),
            label="Service",
        ),
        Column(
            "channel",
            "choice",
            required=True,
            choices=tuple(c for c, _ in CHANNELS),
            choice_aliases=_CHANNEL_WORDS,
            choice_labels=CHANNEL_LABELS,
            aliases=("contact_channel", "contact_method", "method", "source"),
            label="Channel",
        ),
        Column(
            "captured_by",
            "string",
            max_length=200,
            aliases=("capturer", "agent"),
            label="Captured by",
        ),
        Column(
            "verbatim",
            "text",
            required=True,
            max_length=4000,
            aliases=("what_they_said", "customer_words", "description", "details", "comments"),
            label="What the person said",
        ),
        Column(
            "demand_type",
            "string",
            max_length=200,
            aliases=("type", "category", "contact_reason", "reason_for_contact"),
            label="Demand type",
        ),
        Column(
            "classification",
            "choice",
            choices=CLASS_NAMES,
            choice_aliases=_CLASS_WORDS,
            choice_labels=CLASS_LABELS,
            aliases=("value_or_failure", "demand_class"),
            label="Value or failure",
        ),
        Column("failure_reason", "text", max_length=2000, label="What we failed to do"),
        Column(
            "failure_category",
            "choice",
            choices=tuple(c for c, _ in FAILURE_CATEGORIES),
            choice_labels=dict(FAILURE_CATEGORIES),
            label="Kind of failure",
        ),
        Column(
            "predictable",
            "choice",
            choices=("yes", "no", "unsure"),
            choice_aliases=_YES_NO,
            choice_labels=_YES_NO_LABELS,
            label="Predictable",
        ),
        Column(
            "preventable",
            "choice",
            choices=("yes", "no", "unsure"),
            choice_aliases=_YES_NO,
            choice_labels=_YES_NO_LABELS,
            label="Preventable",
        ),
        Column("repeat_contact", "bool", aliases=("repeat",), label="Contacted before"),
        Column("prior_contacts", "int", minimum=0, label="Earlier contacts"),
        Column(
            "resolved_first_point",
            "bool",
            aliases=("resolved_first_time", "one_stop"),
            label="Resolved at first contact",
        ),
        Column("passed_to", "string", max_length=200, label="Passed to"),
        Column(
            "handling_minutes",
            "decimal",
            minimum=0,
            aliases=("handling_time", "duration_minutes", "minutes"),
            label="Minutes spent",
        ),
        Column("person_key", "id", max_length=200, label="Person key"),  # mostly distinct
        Column("notes", "text", max_length=4000, label="Notes"),
        # The case a contact belongs to, as the customer sees it: repeat contacts about one
        # need share it, and its start and end give the end-to-end time (capability).
        Column(
            "case_id",
            "id",
            max_length=200,
            aliases=("case", "case_ref", "case_reference", "job", "job_ref", "job_number"),
            label="Case reference",
        ),
        Column(
            "case_started",
            "datetime",
            aliases=("reported", "reported_at", "date_reported", "opened", "opened_at"),
            label="Case started (reported)",
        ),
        Column(
            "case_ended",
            "datetime",
            aliases=(
                "fixed",
                "fixed_at",
                "date_fixed",
                "completed",
                "completed_at",
                "closed",
                "closed_at",
                "resolved",
                "resolved_at",
            ),
            label="Case ended (need met)",
        ),
    )
)
