"""The asset map for other exercises and analysts: one documented function per question.

Other exercises pull assets in as candidate allies (their stewards), or as the resources
behind a wicked issue's response, without knowing how the asset map stores them::

    from placekit_assets.api import assets
    assets(responses_of_any_exercise, categories=["association", "institution"])
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from placekit import Responses
from placekit_assets import data

if TYPE_CHECKING:
    import pandas as pd

EXERCISE_ID = "assets"
COLUMNS = [
    "asset_id",
    "name",
    "category",
    "category_label",
    "subcategory",
    "description",
    "steward_name",
    "steward_type",
    "location",
    "postcode",
    "area_code",
    "strength",
    "under_used",
    "mobilisation_idea",
    "connects_to",
    "connections",
    "identified_by",
]


def _responses(source: Any) -> Responses:
    """The asset map's records in the same workbook as ``source``."""
    from placekit_assets.plugin import AssetMap

    if isinstance(source, Responses):
        if source.exercise.id == EXERCISE_ID:
            return source
        return source.other(AssetMap())
    if hasattr(source, "responses") and hasattr(source, "access"):  # placekit.open(code)
        return source.responses(EXERCISE_ID)
    raise TypeError(
        "assets() takes the Responses of any exercise in the workbook, a workbook from"
        f" placekit.open(code); not {type(source).__name__}"
    )


def assets(
    source: Any,
    *,
    categories: Iterable[str] | None = None,
    steward_types: Iterable[str] | None = None,
    under_used: bool | None = None,
    area_code: str | None = None,
) -> pd.DataFrame:
    """The workbook's assets as a DataFrame, one row per asset, most-connected first.

    ``source``: the ``Responses`` of any exercise in the workbook (a page's
    ``ctx.responses``) or a workbook from ``placekit.open(code)``. Filters: ``categories``
    (ids such as ``"association"``), ``steward_types`` (``"vcse"``, ``"public_body"``, …),
    ``under_used`` and ``area_code``.
    Columns: see ``COLUMNS``; ``connects_to`` holds the names of linked assets ("; "
    separated) and ``connections`` how many there are. Reads only; team data, so a team
    member's page may call it.
    """
    responses = _responses(source)
    frame = data.asset_frame(responses)
    frame["connections"] = [
        len(ids.split(";")) if ids else 0 for ids in frame["connects_to_ids"].fillna("")
    ]
    if categories is not None:
        frame = frame[frame["category"].isin(list(categories))]
    if steward_types is not None:
        frame = frame[frame["steward_type"].isin(list(steward_types))]
    if under_used is not None:
        frame = frame[frame["under_used"].fillna(False).astype(bool) == under_used]
    if area_code is not None:
        wanted = area_code.strip().upper()
        frame = frame[frame["area_code"].fillna("").str.strip().str.upper() == wanted]
    frame = frame.sort_values(["connections", "name"], ascending=[False, True], kind="stable")
    return frame[COLUMNS].reset_index(drop=True)


def candidate_allies(source: Any) -> pd.DataFrame:
    """Who looks after the map's assets, as people to involve: one row per steward, with
    the assets they look after, most assets first (for an ally map or a wicked issue's
    "who must be involved")."""
    frame = assets(source)
    frame = frame[frame["steward_name"].fillna("").str.strip() != ""]
    grouped = (
        frame.groupby("steward_name", sort=False)
        .agg(
            steward_type=("steward_type", "first"),
            assets=("name", lambda names: "; ".join(sorted(names))),
            count=("name", "size"),
        )
        .reset_index()
        .rename(columns={"steward_name": "steward"})
    )
    return grouped.sort_values(["count", "steward"], ascending=[False, True]).reset_index(drop=True)


ORGANISATION_STEWARDS = ("association", "public_body", "vcse", "business")


def steward_names(responses: Responses) -> list[str]:
    """Everyone who looks after an asset, most assets first: offered to other exercises as
    ``"stakeholders"`` (an ally map's list, a wicked issue's "who must be involved")."""
    if not data.assets(responses):
        return []  # nothing mapped yet: known without building a frame (and paying pandas)
    return candidate_allies(responses)["steward"].tolist()


def steward_organisations(responses: Responses) -> list[str]:
    """The groups and organisations among the stewards, offered as ``"organisations"``
    (the trust audit's partners, an ally map's stakeholders)."""
    if not data.assets(responses):
        return []  # as in steward_names
    stewards = candidate_allies(responses)
    return stewards.loc[stewards["steward_type"].isin(ORGANISATION_STEWARDS), "steward"].tolist()


def asset_names(responses: Responses) -> list[str]:
    """The name of every asset in the inventory, one per asset, most connected first (as in
    ``assets``): offered to other exercises as ``"assets"`` (the citizen–state map links
    them to the services they could co-produce). A person's gifts and skills are left out
    until their consent is recorded: the map holds a named resident only with it."""
    found = data.assets(responses)
    if not found:
        return []  # as in steward_names
    withheld = {
        asset_id
        for asset_id, asset in found.items()
        if asset.get("category") == "individual" and not asset.get("consent_recorded")
    }
    frame = assets(responses)
    names = frame.loc[~frame["asset_id"].isin(withheld), "name"].fillna("")
    return [str(name).strip() for name in names if str(name).strip()]
