"""Reading and writing the asset map's records (pure: Responses in, plain data out)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from placekit import Responses
from placekit_assets.schema import ASSET, CATEGORY

if TYPE_CHECKING:
    import pandas as pd


def assets(responses: Responses) -> dict[str, dict[str, Any]]:
    """Asset id -> data, in the order they were first saved."""
    return responses.records("asset")


def links(responses: Responses) -> dict[str, dict[str, Any]]:
    """Link id -> data, for links whose two assets both still exist (a deleted asset's
    links come back with it when the deletion is undone)."""
    live = assets(responses)
    return {
        k: v
        for k, v in responses.records("link").items()
        if v.get("from_asset") in live and v.get("to_asset") in live
    }


def actions(responses: Responses) -> dict[str, dict[str, Any]]:
    return responses.records("action")


def link_id(a: str, b: str) -> str:
    """One id per pair, whichever way round it was linked: linking twice finds the first."""
    first, second = sorted((a, b))
    return f"{first}--{second}"


def member_name(responses: Responses) -> str:
    names = {m["id"]: m["display_name"] for m in responses.members}
    return names.get(responses.member or "", "Facilitator")


def new_asset(responses: Responses, category: str, **values: Any) -> dict[str, Any]:
    """A fresh asset's data: provenance filled in, everything else empty."""
    return {
        "name": "",
        "category": category,
        "verified": "unverified",
        "identified_by": member_name(responses),
        "date_recorded": dt.date.today().isoformat(),
        **values,
    }


def deleted_assets(responses: Responses) -> list[tuple[str, dict[str, Any], int]]:
    """(asset id, its data before deletion, the deletion's version), most recent first."""
    gone = []
    for asset_id, entry in responses.deleted("asset").items():
        history = responses.history("asset", asset_id)
        before = next((e.data for e in reversed(history) if e.data is not None), None)
        if before is not None:
            gone.append((asset_id, before, entry.version, entry.saved_at))
    gone.sort(key=lambda g: g[3], reverse=True)
    return [(asset_id, data, version) for asset_id, data, version, _at in gone]


def connections(responses: Responses) -> dict[str, list[str]]:
    """Asset id -> ids of the assets it is linked to (either way round)."""
    found: dict[str, list[str]] = {a: [] for a in assets(responses)}
    for link in links(responses).values():
        a, b = link["from_asset"], link["to_asset"]
        found[a].append(b)
        found[b].append(a)
    return found


def asset_frame(responses: Responses) -> pd.DataFrame:
    """Every asset, one row each, with its connections by name (the inventory)."""
    import pandas as pd  # lazy: only the inventory table needs it; every kernel loads this

    every = assets(responses)
    names = {k: v.get("name", "") for k, v in every.items()}
    linked = connections(responses)
    rows = []
    for asset_id, data in every.items():
        row = {"asset_id": asset_id}
        row.update({f.name: data.get(f.name) for f in ASSET.fields})
        row["category_label"] = (
            CATEGORY[data["category"]].label if data.get("category") in CATEGORY else ""
        )
        row["connects_to"] = "; ".join(sorted(names[o] for o in linked.get(asset_id, [])))
        row["connects_to_ids"] = ";".join(sorted(linked.get(asset_id, [])))
        rows.append(row)
    columns = [
        "asset_id",
        *[f.name for f in ASSET.fields],
        "category_label",
        "connects_to",
        "connects_to_ids",
    ]
    return pd.DataFrame(rows, columns=columns)
