"""Importing a team's existing asset list (CSV or Excel) through the core importer.

``placekit.importing.files`` reads the file, matches columns by name and converts each cell,
listing every problem by row and column. This module declares the asset file's columns
and adds the checks only an asset map knows: duplicates (in the file and against the map),
postcodes, strength 1–5, consent for named residents, and connections to assets that
exist. Saving is all or nothing (``Responses.save_many``).
"""

from __future__ import annotations

import math
import re
from typing import Any

import pandas as pd

from placekit import (
    PROBLEM_COLUMNS,
    Column,
    ConflictError,
    Responses,
    Schema,
    new_record_id,
    normalise_word,
)
from placekit_assets import data
from placekit_assets.schema import (
    CATEGORY_IDS,
    INSTITUTIONAL_OFFERS,
    STEWARD_TYPES,
    name_key,
    normalise_postcode,
)

# Other ways teams write each category (compared with case, spacing and punctuation
# ignored, so "Culture & Stories" and "culture-stories" are one word).
CATEGORY_ALIASES = {
    **dict.fromkeys(
        [
            "individuals",
            "people",
            "person",
            "residents",
            "resident",
            "gifts",
            "skills",
            "gifts and skills",
            "people's gifts and skills",
            "individual gifts",
            "gifts of individuals",
        ],
        "individual",
    ),
    **dict.fromkeys(
        [
            "associations",
            "group",
            "groups",
            "associations and groups",
            "club",
            "clubs",
            "community group",
            "community groups",
            "voluntary group",
        ],
        "association",
    ),
    **dict.fromkeys(
        [
            "institutions",
            "organisation",
            "organisations",
            "organization",
            "organizations",
            "agency",
            "agencies",
            "service",
            "services",
            "public service",
        ],
        "institution",
    ),
    **dict.fromkeys(
        [
            "physical spaces",
            "physical space",
            "physical assets",
            "space",
            "spaces",
            "place",
            "places",
            "building",
            "buildings",
            "land",
            "green space",
        ],
        "physical",
    ),
    **dict.fromkeys(
        [
            "economy",
            "economic and exchange",
            "economic exchange",
            "local economy",
            "business",
            "businesses",
            "exchange",
        ],
        "economic",
    ),
    **dict.fromkeys(
        [
            "culture",
            "stories",
            "story",
            "culture and stories",
            "culture story",
            "culture stories",
            "heritage",
            "culture and heritage",
        ],
        "culture_story",
    ),
}
STEWARD_ALIASES = {
    "public": "public_body",
    "council": "public_body",
    "nhs": "public_body",
    "voluntary": "vcse",
    "charity": "vcse",
    "group": "association",
    "community": "association",
    "person": "resident",
    "individual": "resident",
    "company": "business",
    "don't know": "unknown",
    "not known": "unknown",
}

ASSET_FILE = Schema(
    (
        Column(
            "name",
            required=True,
            max_length=120,
            aliases=("asset", "asset name", "name of asset", "title"),
        ),
        Column(
            "category",
            "choice",
            required=True,
            choices=CATEGORY_IDS,
            choice_aliases=CATEGORY_ALIASES,
            aliases=("type of asset", "asset type"),
        ),
        Column("subcategory", max_length=80, aliases=("kind", "tag", "sub category", "type")),
        Column("description", "text", aliases=("what it does", "details", "notes")),
        Column(
            "steward_name",
            max_length=120,
            aliases=("steward", "run by", "managed by", "owner", "who looks after it"),
        ),
        Column(
            "steward_type",
            "choice",
            choices=tuple(v for v, _ in STEWARD_TYPES),
            choice_aliases=STEWARD_ALIASES,
        ),
        Column("location", max_length=200, aliases=("address", "where")),
        Column("postcode", max_length=10, aliases=("post code", "postal code")),
        Column("area_code", max_length=20, aliases=("area", "ward", "lsoa", "ward code")),
        Column("who_uses_it", "text", aliases=("who uses it", "users", "reach")),
        Column("access", "text", aliases=("opening times",)),
        Column("strength", "int", minimum=1, aliases=("how active",)),
        Column("under_used", "bool", aliases=("underused", "under used")),
        Column(
            "mobilisation_idea",
            "text",
            aliases=("idea", "mobilisation", "how it could be mobilised", "mobilization idea"),
        ),
        Column("consent_recorded", "bool", aliases=("consent", "consent given")),
        Column(
            "institutional_offer",
            "text",
            aliases=("offer", "offers", "institutional offer", "what it could offer"),
        ),
        Column(
            "connects_to",
            "text",
            aliases=("connections", "connected to", "works with", "linked to", "links"),
        ),
        Column("identified_by", max_length=200, aliases=("added by", "recorded by")),
    )
)

TEMPLATE = (
    "name,category,subcategory,steward_name,location,postcode,area_code,strength,"
    "under_used,mobilisation_idea,connects_to,institutional_offer\r\n"
    "Eastvale Library,institution,library,County library service,Station Road,NE1 4ST,"
    "E05001234,4,no,Evening space for groups,Knit and Natter,space; staff time\r\n"
    "Knit and Natter,association,craft group,Volunteers,Eastvale Library,,E05001234,3,"
    "yes,Teach skills at the school,Eastvale Library,\r\n"
)


def split_names(text: Any) -> list[str]:
    """ "Library; Park, Choir" -> ["Library", "Park", "Choir"]."""
    if _missing(text):
        return []
    return [part.strip() for part in re.split(r"[;,\n]", str(text)) if part.strip()]


# An offer is named by its value or the words of its label before any colon: "staff time".
_OFFERS = {
    normalise_word(word): value
    for value, label in INSTITUTIONAL_OFFERS
    for word in (value, value.replace("_", " "), label.split(":")[0])
}
OFFER_WORDS = ", ".join(value.replace("_", " ") for value, _label in INSTITUTIONAL_OFFERS)


def offers(text: Any) -> tuple[list[str], list[str]]:
    """ "Space; staff time, cash" -> (["space", "staff_time"], ["cash"]), in the options' order."""
    found, unknown = set(), []
    for part in split_names(text):
        value = _OFFERS.get(normalise_word(part))
        if value:
            found.add(value)
        else:
            unknown.append(part)
    return [v for v, _label in INSTITUTIONAL_OFFERS if v in found], unknown


def _missing(value: Any) -> bool:
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    return isinstance(value, str) and not value.strip()


def _value(value: Any) -> Any:
    if _missing(value):
        return None
    if isinstance(value, str):
        return value.strip()
    if hasattr(value, "item"):  # numpy / pandas scalars -> plain Python for JSON
        return value.item()
    return value


def check(responses: Responses, frame: pd.DataFrame) -> pd.DataFrame:
    """Problems only the asset map knows, as (row, column, value, message) rows."""
    problems: list[tuple[int, str, str, str]] = []
    existing = {name_key(a.get("name")): a.get("name") for a in data.assets(responses).values()}
    first_row: dict[str, int] = {}
    file_names: set[str] = set()
    for row, record in frame.iterrows():
        name = _value(record.get("name"))
        if name:
            key = name_key(name)
            file_names.add(key)
            if key in existing:
                problems.append(
                    (row, "name", name, f"“{name}” is already on the map (as “{existing[key]}”)")
                )
            elif key in first_row:
                problems.append(
                    (row, "name", name, f"“{name}” is already in the file, at row {first_row[key]}")
                )
            else:
                first_row[key] = int(row)
        postcode = _value(record.get("postcode"))
        if postcode and normalise_postcode(str(postcode)) is None:
            problems.append((row, "postcode", postcode, f"“{postcode}” is not a UK postcode"))
        strength = _value(record.get("strength"))
        if strength is not None and strength > 5:
            problems.append((row, "strength", str(strength), f"“{strength}” is above 5"))
        if _value(record.get("category")) == "individual" and not _value(
            record.get("consent_recorded")
        ):
            problems.append(
                (
                    row,
                    "consent_recorded",
                    "",
                    "a person's gifts and skills can be imported only with their consent:"
                    " add a consent_recorded column saying yes",
                )
            )
    known = file_names | set(existing)
    for row, record in frame.iterrows():
        _offers, unknown = offers(record.get("institutional_offer"))
        for part in unknown:
            problems.append(
                (row, "institutional_offer", part, f"“{part}” is not one of: {OFFER_WORDS}")
            )
        for other in split_names(record.get("connects_to")):
            if name_key(other) not in known:
                problems.append(
                    (
                        row,
                        "connects_to",
                        other,
                        f"“{other}” is not an asset in this file or on the map",
                    )
                )
    found = pd.DataFrame(problems, columns=PROBLEM_COLUMNS)
    return found.astype({"row": "Int64"})


def records(responses: Responses, frame: pd.DataFrame) -> tuple[dict[str, dict], dict[str, dict]]:
    """(asset id -> data, link id -> data) that importing the frame would save."""
    names = [f.name for f in responses.exercise.kind("asset").fields]
    by_name = {name_key(a.get("name")): k for k, a in data.assets(responses).items()}
    new_assets: dict[str, dict[str, Any]] = {}
    for _row, record in frame.iterrows():
        values = {n: _value(record.get(n)) for n in names if n in record and n != "identified_by"}
        values = {k: v for k, v in values.items() if v is not None}
        if values.get("postcode"):
            values["postcode"] = normalise_postcode(values["postcode"])
        if "institutional_offer" in values:
            values["institutional_offer"], _unknown = offers(values["institutional_offer"])
        asset = data.new_asset(responses, values.pop("category"), **values)
        if _value(record.get("identified_by")):
            asset["identified_by"] = _value(record.get("identified_by"))
        asset_id = new_record_id()
        new_assets[asset_id] = asset
        by_name[name_key(asset["name"])] = asset_id
    existing_links = responses.records("link")
    new_links: dict[str, dict[str, Any]] = {}
    who = data.member_name(responses)
    for (_row, record), asset_id in zip(frame.iterrows(), new_assets, strict=True):
        for other in split_names(record.get("connects_to")):
            other_id = by_name.get(name_key(other))
            if other_id is None or other_id == asset_id:
                continue
            lid = data.link_id(asset_id, other_id)
            if lid in existing_links or lid in new_links:
                continue
            new_links[lid] = {
                "from_asset": asset_id,
                "to_asset": other_id,
                "status": "existing",
                "relation": "partners_with",
                "identified_by": who,
            }
    return new_assets, new_links


def save(responses: Responses, frame: pd.DataFrame) -> tuple[int, int]:
    """Save every row (and the links named in connects_to) in one transaction.

    Checks again first: someone may have added an asset of the same name since the
    preview. Raises ``ValueError`` with a sentence for the page; nothing is then saved.
    """
    responses.reload()
    again = check(responses, frame)
    if len(again):
        raise ValueError(
            "Nothing was saved: while you were checking the file, someone added an asset"
            f" it also holds ({again['value'].iloc[0]}). Choose the file again to see the"
            " problems."
        )
    new_assets, new_links = records(responses, frame)
    items = [("asset", k, v, 0) for k, v in new_assets.items()]
    items += [("link", k, v, 0) for k, v in new_links.items()]
    try:
        responses.save_many(items)
    except ConflictError:
        raise ValueError(
            "Nothing was saved: someone linked the same assets while you were importing."
            " Choose the file again."
        ) from None
    finally:
        responses.reload()
    return len(new_assets), len(new_links)
