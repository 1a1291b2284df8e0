"""The asset map's pure logic: counts, gaps, connection measures, plan, notes (no widgets)."""

from __future__ import annotations

import pandas as pd
from placekit_assets import network, results
from placekit_assets.charts import network_chart
from placekit_assets.schema import normalise_postcode
from placekit_assets.validation import deficit_words

ASSETS = {
    "lib": {"name": "Library", "category": "institution", "steward_name": "Council"},
    "knit": {"name": "Knit and Natter", "category": "association", "under_used": True},
    "park": {"name": "Park", "category": "physical", "postcode": "NE1 4ST", "strength": 2},
    "school": {"name": "School", "category": "institution"},
    "gp": {"name": "GP surgery", "category": "institution"},
    "gala": {"name": "Miners' gala", "category": "culture_story"},
}
LINKS = {
    "1": {"from_asset": "lib", "to_asset": "knit", "status": "existing"},
    "2": {"from_asset": "knit", "to_asset": "park", "status": "potential"},
    "3": {"from_asset": "lib", "to_asset": "school", "status": "existing"},
}


def test_category_counts_list_every_category_with_its_share() -> None:
    counts = results.category_counts(ASSETS)
    assert dict(zip(counts["category"], counts["Assets"], strict=True)) == {
        "individual": 0,
        "association": 1,
        "institution": 3,
        "physical": 1,
        "economic": 0,
        "culture_story": 1,
    }
    assert counts["Share (%)"].tolist() == [0, 17, 50, 17, 0, 17]


def test_gaps_are_the_categories_with_fewer_than_three_assets() -> None:
    gaps = results.gaps(results.category_counts(ASSETS))
    assert gaps["Category"].tolist() == [
        "People's gifts and skills",
        "Associations and groups",
        "Physical spaces",
        "Economic and exchange",
        "Culture and stories",
    ]
    assert "time bank" in gaps.loc[3, "Look for"]


def test_institution_heavy_only_above_half() -> None:
    assert not results.institution_heavy(results.category_counts(ASSETS))  # exactly half
    heavy = ASSETS | {"police": {"name": "Police", "category": "institution"}}
    assert results.institution_heavy(results.category_counts(heavy))


def test_connection_measures() -> None:
    m = network.measures(network.graph(ASSETS, LINKS.values()))
    per = m.per_asset.set_index("asset_id")
    assert per["degree"].to_dict() == {
        "lib": 2,
        "knit": 2,
        "park": 1,
        "school": 1,
        "gp": 0,
        "gala": 0,
    }
    # A path school – lib – knit – park: each middle asset lies on 2 of the 10 shortest
    # paths between other pairs of the 6 assets.
    assert per.loc["lib", "betweenness"] == per.loc["knit", "betweenness"] == 0.2
    assert per.loc["park", "betweenness"] == 0
    assert sorted(m.isolated) == ["gala", "gp"]
    assert m.components == 3  # the path, and two isolated assets
    assert m.links == 3
    assert m.cross_category_share == 2 / 3  # lib–school join two institutions
    top = network.top_connectors(m, limit=3)
    assert top["name"].tolist() == ["Knit and Natter", "Library", "Park"]


def test_a_link_to_a_missing_asset_or_to_itself_is_ignored() -> None:
    g = network.graph(
        ASSETS,
        [
            {"from_asset": "lib", "to_asset": "gone"},
            {"from_asset": "lib", "to_asset": "lib"},
        ],
    )
    assert g.number_of_edges() == 0


def test_text_alternative_lists_each_asset_and_what_it_connects_to() -> None:
    table = results.connections_table(ASSETS, LINKS)
    by_asset = table.set_index("Asset")
    assert by_asset.loc["Knit and Natter", "Works with now"] == "Library"
    assert by_asset.loc["Knit and Natter", "Could work with"] == "Park"
    assert by_asset.loc["Library", "Works with now"] == "Knit and Natter; School"
    assert by_asset.loc["GP surgery", "Connections"] == 0
    assert table["Asset"].iloc[0] in ("Knit and Natter", "Library")  # most connected first
    assert len(table) == len(ASSETS)


def test_plan_and_under_used() -> None:
    actions = {
        "a": {
            "title": "Knit in the park",
            "assets": ["knit", "park"],
            "mode": "community_can_do",
            "lead": "Jo",
            "due": "2025-05-01",
        },
        "b": {
            "title": "Open the library late",
            "assets": ["lib"],
            "mode": "agency_must_do",
            "lead": "Council",
            "due": "2025-03-01",
        },
    }
    plan = results.plan_table(actions, ASSETS)
    assert plan["Action"].tolist() == ["Open the library late", "Knit in the park"]  # by date
    assert plan.loc[1, "Assets"] == "Knit and Natter; Park"
    assert plan.loc[1, "Who does it"] == "The community can do this itself"
    # Knit and the park are in an action; nothing else is under-used or weak.
    assert results.under_used(ASSETS, actions).empty
    loose = results.under_used(ASSETS, {})
    assert loose["Asset"].tolist() == ["Knit and Natter", "Park"]
    assert loose["Why"].tolist() == ["Flagged as under-used", "Strength 2 of 5"]


def test_what_institutions_could_offer_lists_the_holders_of_each_offer() -> None:
    assets = {
        "a": {"name": "Library", "category": "institution", "institutional_offer": ["space"]},
        "b": {
            "name": "academy",
            "category": "institution",
            "institutional_offer": ["space", "staff_time"],
        },
        "c": {"name": "Choir", "category": "association", "institutional_offer": ["space"]},
        "d": {"name": "GP surgery", "category": "institution"},
    }
    table = results.institutional_offers(assets)
    assert table.to_dict("records") == [
        {
            "Offer": "Space: rooms, halls, land to meet or grow on",
            "Institutions": 2,
            "Who": "academy; Library",
        },
        {"Offer": "Staff time", "Institutions": 1, "Who": "academy"},
    ]
    assert results.institutional_offers({}).empty


def test_notes_prompt_the_team() -> None:
    m = network.measures(network.graph(ASSETS, LINKS.values()))
    counts = results.category_counts(ASSETS)
    agency = {str(i): {"mode": "agency_must_do", "assets": []} for i in range(2)} | {
        "x": {"mode": "community_can_do", "assets": []}
    }
    notes = results.notes(ASSETS, agency, counts, m)
    assert notes[0] == "6 assets recorded, 3 links between them, 3 actions planned."
    assert any(n.startswith("2 of 6 assets are not connected") for n in notes)
    assert any("More than half the actions are for agencies" in n for n in notes)
    completeness = next(n for n in notes if n.startswith("Completeness"))
    # 1 of 6 has a steward; 1 of 4 places/institutions has a location; none checked.
    assert completeness == (
        "Completeness: 17% have a steward; 25% of places, institutions and economic assets"
        " have a location; 0% have been checked."
    )
    assert results.notes(
        {}, {}, results.category_counts({}), network.measures(network.graph({}, []))
    ) == ["No assets have been recorded yet."]


def test_network_chart_shapes_and_colours_by_category_and_is_the_same_every_time() -> None:
    g = network.graph(ASSETS, LINKS.values())
    first, again = network_chart(g).to_dict(), network_chart(g).to_dict()
    assert first == again
    layers = first["layer"]
    circles = next(layer for layer in layers if layer["mark"]["type"] == "point")
    assert circles["encoding"]["color"]["field"] == "Category"
    assert circles["encoding"]["shape"]["field"] == "Category"  # not colour alone
    assert "text" in first["description"] or "table" in first["description"]
    data = pd.DataFrame(first["datasets"][circles["data"]["name"]])
    assert set(data["Category"]) == {
        "Institutions",
        "Associations",
        "Physical spaces",
        "Culture and stories",
    }


def test_deficit_wording_and_postcodes() -> None:
    assert deficit_words("Why are older people in Eastvale isolated?") == ["why", "isolated"]
    assert deficit_words("What helps older people in Eastvale stay connected?") == []
    assert normalise_postcode(" ne14st ") == "NE1 4ST"
    assert normalise_postcode("SW1A 1AA") == "SW1A 1AA"
    assert normalise_postcode("12345") is None
