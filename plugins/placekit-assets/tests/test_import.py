"""Importing a team's messy asset list through the core importer, with the exact problems
a user would see, and all-or-nothing saving."""

from __future__ import annotations

import io

import openpyxl
import pandas as pd
import pytest
from placekit_assets import data, importer
from placekit_assets.api import assets, candidate_allies
from placekit_assets.importer import ASSET_FILE

from placekit import match_columns, new_record_id, read_and_preview

# What a team's own spreadsheet looks like: its own headings, a column that is not part of
# the record, accents, blank rows, categories written their way, and mistakes.
MESSY = (
    "Asset name,Category,Run by,Address,Post code,Ward,How active,Underused,Connections,"
    "Internal ref\r\n"
    "Café Olé,Economic,Señora Núñez,2 High St,ne1 4st,E05001234,4,no,Knit & Natter,X1\r\n"
    "Knit & Natter,Groups,Volunteers,Library,,E05001234,3,yes,Café Olé; Library,X2\r\n"
    ",,,,,,,,,\r\n"
    "Library,Organisations,Council,,,E05001234,5,,,X3\r\n"
    "Miners' Gala,Culture & Stories,Gala committee,,,,,,Bandstand,X4\r\n"
    ",Associations,,,,,,,,X5\r\n"
    "café olé,Vibes,,,NOT A CODE,,7,,,X6\r\n"
    ",,,,,,,,,\r\n"
)


@pytest.mark.parametrize(
    "encoded",
    [MESSY.encode("cp1252"), MESSY.encode("utf-8-sig")],
    ids=["windows-1252", "utf-8 with BOM"],
)
def test_a_messy_file_reports_every_problem_by_row_and_column(placekit_workbook, encoded) -> None:
    responses = placekit_workbook.responses("assets", "Ann")
    raw, preview = read_and_preview(encoded, ASSET_FILE, "our-assets.csv")
    assert raw.headings[0] == "Asset name"  # the BOM is not part of the heading
    assert preview.mapping == {
        "name": "Asset name",
        "category": "Category",
        "steward_name": "Run by",
        "location": "Address",
        "postcode": "Post code",
        "area_code": "Ward",
        "strength": "How active",
        "under_used": "Underused",
        "connects_to": "Connections",
    }
    assert preview.unmatched == ["Internal ref"]
    # Blank rows are dropped; the rest keep the numbers the spreadsheet shows.
    assert list(preview.frame.index) == [2, 3, 5, 6, 7, 8]
    assert preview.frame.loc[2, "name"] == "Café Olé"
    assert preview.frame.loc[2, "steward_name"] == "Señora Núñez"
    # Categories written the team's way are understood.
    assert list(preview.frame["category"].iloc[:4]) == [
        "economic",
        "association",
        "institution",
        "culture_story",
    ]
    core = preview.messages()
    extra = importer.check(responses, preview.frame)
    mine = [f"Row {r}, {c}: {m}" for r, c, _v, m in extra.itertuples(index=False)]
    assert core == [
        "Row 7, name: this is empty",
        # The kit's values in plain words, never its internal codes.
        "Row 8, category: “Vibes” is not one of: Individual, Association, Institution,"
        " Physical, Economic, Culture story",
    ]
    assert mine == [
        "Row 8, name: “café olé” is already in the file, at row 2",
        "Row 8, postcode: “NOT A CODE” is not a UK postcode",
        "Row 8, strength: “7” is above 5",
        "Row 6, connects_to: “Bandstand” is not an asset in this file or on the map",
    ]


def test_a_clean_file_imports_every_row_and_its_links_at_once(placekit_workbook) -> None:
    ann = placekit_workbook.responses("assets", "Ann")
    clean = "\r\n".join(MESSY.splitlines()[:6]).replace(",Bandstand,", ",Library,") + "\r\n"
    _raw, preview = read_and_preview(clean.encode("cp1252"), ASSET_FILE, "clean.csv")
    assert preview.ok and importer.check(ann, preview.frame).empty
    assert importer.save(ann, preview.frame) == (4, 3)
    saved = assets(placekit_workbook.responses("assets"))
    assert saved["name"].tolist() == ["Knit & Natter", "Library", "Café Olé", "Miners' Gala"]
    cafe = saved.set_index("name").loc["Café Olé"]
    assert cafe["postcode"] == "NE1 4ST" and cafe["strength"] == 4
    assert not cafe["under_used"]
    assert cafe["identified_by"] == "Ann" and cafe["connects_to"] == "Knit & Natter"
    assert saved.set_index("name").loc["Knit & Natter", "connections"] == 2
    # Importing the same file again: every row is now a duplicate of the map, nothing saved.
    again = importer.check(ann, preview.frame)
    assert again["message"].tolist()[0] == "“Café Olé” is already on the map (as “Café Olé”)"
    allies = candidate_allies(placekit_workbook.responses("assets"))
    assert allies["steward"].tolist() == ["Council", "Gala committee", "Señora Núñez", "Volunteers"]


def test_what_an_institution_offers_imports_from_words_in_a_column(placekit_workbook) -> None:
    ann = placekit_workbook.responses("assets", "Ann")
    text = (
        "name,category,offer\r\n"
        "Eastvale Library,institution,Space; staff time\r\n"
        'Eastvale Academy,institution,"Skills, cash, data"\r\n'
    )
    _raw, preview = read_and_preview(text.encode(), ASSET_FILE, "offers.csv")
    problems = importer.check(ann, preview.frame)
    assert problems[["row", "column", "message"]].values.tolist() == [
        [3, "institutional_offer", "“cash” is not one of: " + importer.OFFER_WORDS]
    ]
    fixed = text.replace("cash, ", "")
    _raw, preview = read_and_preview(fixed.encode(), ASSET_FILE, "offers.csv")
    assert importer.check(ann, preview.frame).empty
    importer.save(ann, preview.frame)
    saved = {a["name"]: a["institutional_offer"] for a in data.assets(ann).values()}
    assert saved == {
        "Eastvale Library": ["space", "staff_time"],
        "Eastvale Academy": ["skills", "data"],
    }


def test_save_refuses_when_someone_added_the_same_asset_meanwhile(placekit_workbook) -> None:
    ann = placekit_workbook.responses("assets", "Ann")
    bob = placekit_workbook.responses("assets", "Bob")
    _raw, preview = read_and_preview(
        b"name,category\r\nLibrary,institution\r\nPark,physical\r\n", ASSET_FILE, "a.csv"
    )
    assert importer.check(ann, preview.frame).empty
    bob.save("asset", new_record_id(), data.new_asset(bob, "physical", name="park"), 0)
    with pytest.raises(ValueError, match="Nothing was saved"):
        importer.save(ann, preview.frame)
    names = sorted(v["name"] for v in data.assets(placekit_workbook.responses("assets")).values())
    assert names == ["park"]  # the library was not half-imported


def test_excel_and_the_template_import(placekit_workbook) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Name", "Category", "Strength"])
    sheet.append(["Credit union", "economy", 3])
    sheet.append([None, None, None])
    sheet.append(["Tenants' association", "association", None])
    buffer = io.BytesIO()
    book.save(buffer)
    _raw, preview = read_and_preview(buffer.getvalue(), ASSET_FILE, "assets.xlsx")
    assert preview.ok
    assert list(preview.frame.index) == [2, 4]
    ann = placekit_workbook.responses("assets", "Ann")
    assert importer.save(ann, preview.frame) == (2, 0)
    _raw, template = read_and_preview(importer.TEMPLATE.encode(), ASSET_FILE, "t.csv")
    assert template.ok and importer.check(ann, template.frame).empty


def test_headings_match_by_name_and_alias() -> None:
    found = match_columns(["ASSET", "type", "Managed-by", "LSOA", "works with"], ASSET_FILE)
    assert found == {
        "name": "ASSET",
        "subcategory": "type",
        "steward_name": "Managed-by",
        "area_code": "LSOA",
        "connects_to": "works with",
    }


def test_assets_api_filters(placekit_workbook) -> None:
    ann = placekit_workbook.responses("assets", "Ann")
    for name, category, steward_type in (
        ("Choir", "association", "association"),
        ("School", "institution", "public_body"),
    ):
        ann.save(
            "asset",
            new_record_id(),
            data.new_asset(ann, category, name=name, steward_type=steward_type),
            0,
        )
    triage = placekit_workbook.responses("triage", "Ann")  # another exercise's responses
    assert assets(triage)["name"].tolist() == ["Choir", "School"]
    assert assets(triage, categories=["association"])["name"].tolist() == ["Choir"]
    assert assets(triage, steward_types=["public_body"])["name"].tolist() == ["School"]
    import placekit

    opened = placekit.open(placekit_workbook.facilitator_code, db=str(placekit_workbook.store.url))
    assert isinstance(assets(opened), pd.DataFrame) and len(assets(opened)) == 2
    with pytest.raises(TypeError):
        assets("not a workbook")
