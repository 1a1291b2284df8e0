"""The asset map offers its assets, by name, to the other exercises in its workbook (as
"assets"): the citizen–state map links them to the services they could co-produce."""

from __future__ import annotations

from placekit import offered
from placekit.testing import TestWorkbook


def test_every_asset_is_offered_by_name_most_connected_first(
    placekit_workbook: TestWorkbook,
) -> None:
    asking = placekit_workbook.responses("citizen-state", member="Bob")
    assert offered(asking, "assets") == []  # nothing mapped yet
    team = placekit_workbook.responses("assets", member="Ann")
    mapped = [
        ("a1", "Saturday market", "economic", {}),
        ("a2", "Knit and Natter", "association", {}),
        ("a3", "Eastvale Library", "institution", {}),
        ("a4", "Jo, who fixes bikes", "individual", {"consent_recorded": True}),
        # A named resident whose consent is not recorded yet stays on the map only.
        ("a5", "Sam, who speaks Polish", "individual", {}),
        ("a6", "  ", "physical", {}),  # a row still being typed: nothing to offer
    ]
    for asset_id, name, category, more in mapped:
        team.save("asset", asset_id, {"name": name, "category": category} | more, 0)
    team.save("link", "a2--a3", {"from_asset": "a3", "to_asset": "a2", "status": "existing"}, 0)
    assert offered(asking, "assets") == [
        "Eastvale Library",
        "Knit and Natter",
        "Jo, who fixes bikes",
        "Saturday market",
    ]
    # A deleted asset is no longer offered.
    team.save("asset", "a1", None, 1)
    assert "Saturday market" not in offered(asking, "assets")
