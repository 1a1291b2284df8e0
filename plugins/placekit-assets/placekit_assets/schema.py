"""What the asset map stores: the map's framing, assets, links between them, and actions.

Every record is a team record, and each asset, link and action is a record of its own, so
two members editing different assets never conflict, and two editing the same one are
shown both versions (the store's version check). Links are records of their own rather
than a list inside each asset, so linking two assets never clashes with someone editing
either asset's description.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from placekit import Field, RecordKind


@dataclass(frozen=True)
class Category:
    id: str
    label: str  # what members read
    short: str  # in tables and the chart legend
    prompt: str  # what to look for (from ABCD mapping practice)
    examples: str


# The six ABCD categories (Kretzmann & McKnight; ABCD Institute), in the order teams map.
CATEGORIES: tuple[Category, ...] = (
    Category(
        "individual",
        "People's gifts and skills",
        "Gifts and skills",
        "The gifts, skills, knowledge and passions of local people: what they are good at,"
        " care about and would share. Record a named resident only with their consent.",
        "a retired electrician who fixes things for neighbours; a young person who runs a"
        " coding club; someone who speaks three languages",
    ),
    Category(
        "association",
        "Associations and groups",
        "Associations",
        "Groups people choose to belong to, often informal and unpaid. What does each do"
        " now, and what might it do if asked?",
        "tenants' association, faith groups, running club, mutual-aid WhatsApp group,"
        " allotment society",
    ),
    Category(
        "institution",
        "Institutions",
        "Institutions",
        "Public, private and voluntary organisations. For each, what does it hold that the"
        " community could use: rooms, staff skills, equipment, spending, land, data?",
        "the school, GP surgery, housing association, library service, supermarket",
    ),
    Category(
        "physical",
        "Physical spaces",
        "Physical spaces",
        "Land, buildings and places: what is where, and what happens there. Say where each one is.",
        "the park, community centre, empty shop units, allotments, the canal towpath",
    ),
    Category(
        "economic",
        "Economic and exchange",
        "Economic",
        "How money, goods and time flow: local businesses, markets, credit unions, time"
        " banks, swap shops, local employers and what anchor institutions spend.",
        "Saturday market, credit union, time bank, the biggest local employer",
    ),
    Category(
        "culture_story",
        "Culture and stories",
        "Culture and stories",
        "Heritage, festivals, traditions, languages, local identity, and stories of what"
        " people here have achieved together.",
        "the summer carnival, the mining heritage, the campaign that saved the pool",
    ),
)
CATEGORY_IDS = tuple(c.id for c in CATEGORIES)
CATEGORY = {c.id: c for c in CATEGORIES}
CATEGORY_CHOICES = tuple((c.id, c.label) for c in CATEGORIES)

# A category with fewer assets than this is reported as a gap to look at again.
GAP_BELOW = 3
# Professionally led maps over-record institutions (EXERCISES.md A.5).
INSTITUTION_HEAVY = 0.5

STEWARD_TYPES = (
    ("resident", "A resident"),
    ("association", "An association or group"),
    ("public_body", "A public body"),
    ("vcse", "A voluntary or community organisation"),
    ("business", "A business"),
    ("unknown", "Not known"),
)
VERIFIED = (
    ("unverified", "Not checked yet"),
    ("verified_by_steward", "Checked with whoever looks after it"),
    ("verified_by_visit", "Checked by a visit"),
)
RELATIONS = (
    ("partners_with", "Work together"),
    ("hosts", "One hosts the other"),
    ("uses_space_of", "One uses the other's space"),
    ("member_of", "One is a member of the other"),
    ("funds", "One funds the other"),
    ("refers_to", "One refers people to the other"),
    ("shares_people", "Share people (volunteers, members, staff)"),
    ("informal_tie", "An informal tie"),
)
LINK_STATUS = (
    ("existing", "They work together now"),
    ("potential", "They could work together"),
)
MODES = (
    ("community_can_do", "The community can do this itself"),
    ("community_with_help", "The community can do this with some help"),
    ("agency_must_do", "Agencies need to do this"),
)
ACTION_STATUS = (
    ("idea", "Idea"),
    ("agreed", "Agreed"),
    ("under_way", "Under way"),
    ("done", "Done"),
    ("dropped", "Dropped"),
)
MAPPERS = (
    ("residents", "Residents"),
    ("vcse", "Voluntary and community sector"),
    ("council", "Council"),
    ("nhs", "NHS"),
    ("police", "Police"),
    ("other", "Others"),
)
# What an institution holds that the community could use (EXERCISES.md A.3 step 4).
INSTITUTIONAL_OFFERS = (
    ("space", "Space: rooms, halls, land to meet or grow on"),
    ("staff_time", "Staff time"),
    ("skills", "Skills and expertise"),
    ("equipment", "Equipment"),
    ("purchasing", "Purchasing: what it buys, and from whom"),
    ("land", "Land and buildings it could release"),
    ("data", "Data and local knowledge"),
    ("funding", "Funding and grants"),
    ("other", "Something else"),
)
CONSENT_MODELS = (
    ("public_only", "Only assets that are already public"),
    ("consented_individuals", "Named residents too, with their consent"),
    ("internal_only", "For the partnership's own use only"),
)

MAP = RecordKind(
    "map",
    "team",
    (
        Field(
            "place",
            "The place you are mapping",
            required=True,
            max_length=120,
            hint="For example: Eastvale ward, or the streets around Northtown station.",
        ),
        Field(
            "focus_question",
            "Your focus question",
            type="text",
            required=True,
            hint="Ask what helps, not what is wrong: “What helps older people in Eastvale"
            " stay connected?” rather than “Why are older people in Eastvale isolated?”",
        ),
        Field("purpose", "Who will use the map, and for what?", type="text"),
        Field(
            "mapping_by",
            "Who is doing the mapping?",
            type="multichoice",
            choices=MAPPERS,
            hint="Maps made only by professionals tend to over-record institutions.",
        ),
        Field(
            "consent_model",
            "Whose assets will you record?",
            type="choice",
            required=True,
            choices=CONSENT_MODELS,
        ),
    ),
    "The map's framing: the place, an asset-based question and its purpose.",
)

POSTCODE = re.compile(r"^[A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9][A-Z]{2}$")

ASSET_FIELDS = (
    Field("name", "Name of the asset", required=True, max_length=120),
    Field("category", "Category", type="choice", required=True, choices=CATEGORY_CHOICES),
    Field(
        "subcategory",
        "Kind of asset (a free tag)",
        max_length=80,
        hint="For example: faith group, green space, youth club.",
    ),
    Field("description", "What it is and what it does", type="text"),
    Field(
        "steward_name",
        "Who looks after it",
        max_length=120,
        hint="A person, group or organisation.",
    ),
    Field("steward_type", "Who that is", type="choice", choices=STEWARD_TYPES),
    Field(
        "location", "Where it is", max_length=200, hint="A description, an address or a landmark."
    ),
    Field("postcode", "Postcode", max_length=10),
    Field("area_code", "Area code (ward or LSOA)", max_length=20),
    Field("who_uses_it", "Who uses it or is reached by it", type="text"),
    Field("access", "Access: opening times, cost, accessibility", type="text"),
    Field("strength", "How active is it now? (1 hardly, 5 thriving)", type="scale", low=1, high=5),
    Field("under_used", "It is under-used: it could do more", type="bool"),
    Field("mobilisation_idea", "How it could be mobilised", type="text"),
    Field(
        "institutional_offer",
        "What does it hold that the community could use?",
        type="multichoice",
        choices=INSTITUTIONAL_OFFERS,
    ),
    Field("consent_recorded", "This person has agreed to be on the map", type="bool"),
    Field("verified", "Checked?", type="choice", choices=VERIFIED),
    Field("identified_by", "Added by", max_length=200),
    Field("date_recorded", "Date recorded", type="date"),
)
ASSET = RecordKind("asset", "team", ASSET_FIELDS, "One asset in the place.")

LINK = RecordKind(
    "link",
    "team",
    (
        Field("from_asset", "From", required=True),
        Field("to_asset", "To", required=True),
        Field(
            "status",
            "Do they work together now?",
            type="choice",
            required=True,
            choices=LINK_STATUS,
        ),
        Field("relation", "How are they connected?", type="choice", choices=RELATIONS),
        Field("notes", "Notes", type="text"),
        Field("identified_by", "Added by", max_length=200),
    ),
    "A connection between two assets (undirected).",
)

ACTION = RecordKind(
    "action",
    "team",
    (
        Field("title", "What will you do?", required=True, max_length=120),
        Field("aim", "How does it help with your focus question?", type="text"),
        Field("assets", "Assets it brings together", type="multichoice", required=True),
        Field(
            "mode",
            "Who does it?",
            type="choice",
            required=True,
            choices=MODES,
            hint="Nurture Development's three questions: what can the community do by"
            " itself, with some help, and what must agencies do?",
        ),
        Field("lead", "Who leads it?", required=True, max_length=120),
        Field("co_owners", "Who from the community co-owns it?", max_length=200),
        Field("first_step", "First step", type="text"),
        Field("due", "First step done by", type="date", required=True),
        Field("status", "Status", type="choice", choices=ACTION_STATUS),
        Field("review_date", "Review on", type="date"),
    ),
    "An action that mobilises assets towards the focus question.",
)


KINDS = (MAP, ASSET, LINK, ACTION)


def normalise_postcode(text: str) -> str | None:
    """ "ne1 4st" -> "NE1 4ST"; None when it is not a UK postcode."""
    compact = re.sub(r"\s+", "", text or "").upper()
    if not POSTCODE.match(compact):
        return None
    return f"{compact[:-3]} {compact[-3:]}"


def name_key(name: object) -> str:
    """How two names are compared for duplicates: case, spacing and punctuation ignored."""
    return re.sub(r"[^0-9a-z]+", " ", str(name or "").lower()).strip()
