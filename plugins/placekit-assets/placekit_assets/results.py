"""What the team's map adds up to (EXERCISES.md A.5 and A.6), pure: records in, tables out."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from placekit import Figure, Responses, Summary
from placekit_assets import data, network
from placekit_assets.schema import (
    ACTION_STATUS,
    CATEGORIES,
    CATEGORY,
    GAP_BELOW,
    INSTITUTION_HEAVY,
    INSTITUTIONAL_OFFERS,
    MODES,
)

MODE_LABELS = dict(MODES)
STATUS_LABELS = dict(ACTION_STATUS)
SPATIAL = ("physical", "institution", "economic")
# The inventory's download columns (EXERCISES.md A.6), location as the team gave it.
INVENTORY_COLUMNS = {
    "asset_id": "asset_id",
    "name": "name",
    "category": "category",
    "subcategory": "subcategory",
    "steward_name": "steward_name",
    "steward_type": "steward_type",
    "location": "location",
    "postcode": "postcode",
    "area_code": "area_code",
    "who_uses_it": "who_uses_it",
    "strength": "strength",
    "under_used": "under_used",
    "mobilisation_idea": "mobilisation_idea",
    "institutional_offer": "institutional_offer",
    "connects_to": "connects_to",
    "connects_to_ids": "connects_to_ids",
    "identified_by": "identified_by",
    "verified": "verified",
    "date_recorded": "date_recorded",
}


def category_counts(assets: Mapping[str, Mapping[str, Any]]) -> pd.DataFrame:
    """Every category (empty ones too), its count and share of all assets."""
    counts = {c.id: 0 for c in CATEGORIES}
    for asset in assets.values():
        if asset.get("category") in counts:
            counts[asset["category"]] += 1
    total = sum(counts.values())
    return pd.DataFrame(
        {
            "category": list(counts),
            "Category": [CATEGORY[c].label for c in counts],
            "Assets": list(counts.values()),
            "Share (%)": [round(100 * n / total) if total else 0 for n in counts.values()],
        }
    )


def gaps(counts: pd.DataFrame, below: int = GAP_BELOW) -> pd.DataFrame:
    """Categories with fewer than ``below`` assets: where to look again."""
    few = counts[counts["Assets"] < below]
    return pd.DataFrame(
        {
            "Category": few["Category"],
            "Assets": few["Assets"],
            "Look for": [CATEGORY[c].examples for c in few["category"]],
        }
    ).reset_index(drop=True)


def institution_heavy(counts: pd.DataFrame) -> bool:
    total = counts["Assets"].sum()
    share = counts.loc[counts["category"] == "institution", "Assets"].sum() / total if total else 0
    return bool(share > INSTITUTION_HEAVY)


def connections_table(
    assets: Mapping[str, Mapping[str, Any]], links: Mapping[str, Mapping[str, Any]]
) -> pd.DataFrame:
    """The text alternative to the network map: each asset and what it connects to."""
    now: dict[str, list[str]] = {a: [] for a in assets}
    could: dict[str, list[str]] = {a: [] for a in assets}
    for link in links.values():
        a, b = link["from_asset"], link["to_asset"]
        target = could if link.get("status") == "potential" else now
        target[a].append(assets[b].get("name", ""))
        target[b].append(assets[a].get("name", ""))
    rows = [
        {
            "Asset": asset.get("name", ""),
            "Category": CATEGORY[asset["category"]].label
            if asset.get("category") in CATEGORY
            else "",
            "Connections": len(now[a]) + len(could[a]),
            "Works with now": "; ".join(sorted(now[a])) or "—",
            "Could work with": "; ".join(sorted(could[a])) or "—",
        }
        for a, asset in assets.items()
    ]
    frame = pd.DataFrame(
        rows, columns=["Asset", "Category", "Connections", "Works with now", "Could work with"]
    )
    return frame.sort_values(
        ["Connections", "Asset"], ascending=[False, True], kind="stable"
    ).reset_index(drop=True)


def plan_table(
    actions: Mapping[str, Mapping[str, Any]], assets: Mapping[str, Mapping[str, Any]]
) -> pd.DataFrame:
    """The mobilisation plan: each action, the assets it combines, who leads, by when."""
    rows = []
    for action in actions.values():
        names = [assets[a].get("name", "") for a in action.get("assets") or [] if a in assets]
        rows.append(
            {
                "Action": action.get("title", ""),
                "Aim": action.get("aim", ""),
                "Assets": "; ".join(names),
                "Who does it": MODE_LABELS.get(action.get("mode") or "", ""),
                "Lead": action.get("lead", ""),
                "Co-owners": action.get("co_owners", ""),
                "First step": action.get("first_step", ""),
                "By": action.get("due") or "",
                "Status": STATUS_LABELS.get(action.get("status") or "idea", ""),
                "Review on": action.get("review_date") or "",
            }
        )
    columns = [
        "Action",
        "Aim",
        "Assets",
        "Who does it",
        "Lead",
        "Co-owners",
        "First step",
        "By",
        "Status",
        "Review on",
    ]
    frame = pd.DataFrame(rows, columns=columns)
    return frame.sort_values(["By", "Action"], kind="stable").reset_index(drop=True)


def under_used(
    assets: Mapping[str, Mapping[str, Any]], actions: Mapping[str, Mapping[str, Any]]
) -> pd.DataFrame:
    """Flagged under-used, or weak (strength 1–2), and in no action yet (A.5)."""
    in_action = {a for act in actions.values() for a in act.get("assets") or []}
    rows = [
        {
            "Asset": asset.get("name", ""),
            "Category": CATEGORY[asset["category"]].label
            if asset.get("category") in CATEGORY
            else "",
            "Why": "Flagged as under-used"
            if asset.get("under_used")
            else f"Strength {asset.get('strength')} of 5",
            "Idea": asset.get("mobilisation_idea") or "",
        }
        for asset_id, asset in assets.items()
        if asset_id not in in_action
        and (asset.get("under_used") or (asset.get("strength") or 5) <= 2)
    ]
    return pd.DataFrame(rows, columns=["Asset", "Category", "Why", "Idea"])


def institutional_offers(assets: Mapping[str, Mapping[str, Any]]) -> pd.DataFrame:
    """For each kind of offer, the institutions that hold it (A.3 step 4), most held first."""
    rows = []
    for offer, label in INSTITUTIONAL_OFFERS:
        holders = sorted(
            (
                str(a.get("name", ""))
                for a in assets.values()
                if a.get("category") == "institution"
                and offer in (a.get("institutional_offer") or [])
            ),
            key=str.lower,
        )
        if holders:
            rows.append({"Offer": label, "Institutions": len(holders), "Who": "; ".join(holders)})
    frame = pd.DataFrame(rows, columns=["Offer", "Institutions", "Who"])
    return frame.sort_values("Institutions", ascending=False, kind="stable").reset_index(drop=True)


def top_connectors_table(m: network.Measures, limit: int = 5) -> pd.DataFrame:
    top = network.top_connectors(m, limit)
    return pd.DataFrame(
        {
            "Asset": top["name"],
            "Category": [CATEGORY[c].label if c in CATEGORY else "" for c in top["category"]],
            "Connections": top["degree"],
            "Bridging (0–1)": top["betweenness"],
        }
    )


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


def _percent(part: int, whole: int) -> str:
    return f"{round(100 * part / whole)}%" if whole else "—"


def notes(
    assets: Mapping[str, Mapping[str, Any]],
    actions: Mapping[str, Mapping[str, Any]],
    counts: pd.DataFrame,
    m: network.Measures,
) -> list[str]:
    total = len(assets)
    if not total:
        return ["No assets have been recorded yet."]
    said = [
        f"{_count(total, 'asset')} recorded, {_count(m.links, 'link')} between them,"
        f" {_count(len(actions), 'action')} planned."
    ]
    if institution_heavy(counts):
        said.append(
            "More than half the assets are institutions. Maps led by professionals often"
            " over-record them: look again for associations and people's gifts and skills."
        )
    if m.isolated:
        said.append(
            f"{len(m.isolated)} of {total} assets are not connected to any other yet:"
            " who could they work with?"
        )
    if m.links:
        said.append(
            f"The assets form {m.components} separate group{'s' if m.components != 1 else ''}"
            f" (an unconnected asset counts as one); {round(100 * (m.cross_category_share or 0))}%"
            " of links join assets of different categories."
        )
    spatial = [a for a in assets.values() if a.get("category") in SPATIAL]
    placed = [a for a in spatial if a.get("location") or a.get("postcode") or a.get("area_code")]
    stewarded = sum(bool(a.get("steward_name")) for a in assets.values())
    verified = sum((a.get("verified") or "unverified") != "unverified" for a in assets.values())
    said.append(
        f"Completeness: {_percent(stewarded, total)} have a steward;"
        f" {_percent(len(placed), len(spatial))} of places, institutions and economic assets"
        f" have a location; {_percent(verified, total)} have been checked."
    )
    modes = [a.get("mode") for a in actions.values()]
    if modes and modes.count("agency_must_do") / len(modes) > 0.5:
        said.append(
            "More than half the actions are for agencies to do. Look again at what the"
            " community can do itself, or with some help."
        )
    return said


def summarise(responses: Responses) -> Summary:
    assets = data.assets(responses)
    links = data.links(responses)
    actions = data.actions(responses)
    g = network.graph(assets, links.values())
    m = network.measures(g)
    counts = category_counts(assets)
    inventory = data.asset_frame(responses)[list(INVENTORY_COLUMNS)]
    inventory["institutional_offer"] = inventory["institutional_offer"].map(
        lambda offers: "; ".join(offers) if isinstance(offers, list) else ""
    )
    # Blank, not "None", in the page and in the downloaded spreadsheet.
    inventory = inventory.astype(object).where(inventory.notna(), "")
    tables = {
        "Assets by category": counts.drop(columns="category"),
        "Gaps: categories with few assets": gaps(counts),
        "Most-connected assets": top_connectors_table(m),
        "Each asset and what it connects to": connections_table(assets, links),
        "Mobilisation plan": plan_table(actions, assets),
        "Under-used assets with no action yet": under_used(assets, actions),
        "What institutions could offer": institutional_offers(assets),
        "Asset inventory": inventory,
    }
    figures: dict[str, Any] = {
        "Assets by category": _chart(
            "category_chart",
            counts,
            description="How many assets the team has recorded in each category, as bars."
            " The table “Assets by category” has the same figures.",
            table="Assets by category",
        )
    }
    if assets:
        figures["Network map"] = _chart(
            "network_chart",
            g,
            description=f"A network map of {_count(len(g), 'asset')} and"
            f" {_count(m.links, 'link')}: each asset a mark shaped and coloured by category, sized"
            " by its connections. The table “Each asset and what it connects to” has the same"
            " information.",
            table="Each asset and what it connects to",
        )
    return Summary(tables=tables, figures=figures, notes=notes(assets, actions, counts, m))


def _chart(name: str, *args: Any, description: str, table: str = "") -> Figure:
    """One of ``charts``' charts, drawn once it is on screen."""

    def draw() -> Any:
        # Lazy: Altair takes seconds to import, paid only once a chart is on screen.
        from placekit_assets import charts

        return getattr(charts, name)(*args)

    return Figure(draw, description, table)
