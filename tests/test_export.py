"""Exports a facilitator hands to a board: safe cells, readable CSV, a valid Excel workbook."""

from __future__ import annotations

import gc
import io
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import openpyxl
import pandas as pd
import pytest

import placekit.data.store
from placekit.data.export import CSV, EXCEL, neutralise, sheet_name, write_csv, write_excel
from placekit.data.responses import Responses
from placekit.data.store import Store
from placekit.exercise import Exercise, Field, Page, RecordKind, Summary

DANGEROUS = [
    '=HYPERLINK("http://x","click")',
    "+44 20 7946 0000",
    "-1+1",
    "@SUM(A1)",
    "\t=1",
    "\r=1",
]


def people() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "name": ["Zoë O'Neill", "=cmd|' /C calc'!A0", "Ben", "@risk", None],
            "score": [3, -2, 0, -7, 5],
            "share": [0.5, -0.25, float("nan"), 1.0, -1.5],
            "note": pd.Series([-3, "+1 more", "fine", 4.5, "a=b"], dtype=object),
        }
    )


def test_neutralise_prefixes_formula_text_and_leaves_numbers_alone() -> None:
    frame = pd.DataFrame({"text": DANGEROUS, "n": range(-3, 3), "x": [-1.5] * 6})
    out = neutralise(frame)
    assert list(out["text"]) == ["'" + value for value in DANGEROUS]
    assert list(out["n"]) == [-3, -2, -1, 0, 1, 2]
    assert list(out["x"]) == [-1.5] * 6
    assert out["n"].dtype == frame["n"].dtype and out["x"].dtype == frame["x"].dtype


def test_neutralise_covers_mixed_columns_headers_and_keeps_the_input() -> None:
    frame = people()
    frame["=1+2"] = ["a", "b", "c", "d", "e"]
    frame["-total"] = [1, 2, 3, 4, 5]
    before = frame.copy()
    out = neutralise(frame)

    assert list(out.columns) == ["name", "score", "share", "note", "'=1+2", "'-total"]
    assert list(out["name"][:4]) == ["Zoë O'Neill", "'=cmd|' /C calc'!A0", "Ben", "'@risk"]
    assert pd.isna(out["name"][4])
    # Numbers stay numbers, negative ones included, even inside a column of mixed types.
    assert list(out["score"]) == [3, -2, 0, -7, 5]
    assert list(out["note"]) == [-3, "'+1 more", "fine", 4.5, "a=b"]
    assert out["share"][1] == -0.25 and pd.isna(out["share"][2])
    pd.testing.assert_frame_equal(frame, before)  # the caller's frame is untouched


def test_neutralise_reaches_category_and_string_dtypes() -> None:
    frame = pd.DataFrame(
        {
            "cat": pd.Categorical(["=a", "b", "=a"]),
            "str": pd.Series(["-x", "y", None], dtype="string"),
        }
    )
    out = neutralise(frame)
    assert list(out["cat"]) == ["'=a", "b", "'=a"]
    assert list(out["str"][:2]) == ["'-x", "y"] and pd.isna(out["str"][2])


def test_csv_has_a_bom_and_round_trips_with_pandas() -> None:
    frame = people()
    data = write_csv({"People": frame})
    assert data.startswith(b"\xef\xbb\xbf")
    assert "Zoë".encode() in data

    back = pd.read_csv(io.BytesIO(data), encoding="utf-8-sig", keep_default_na=False)
    assert list(back.columns) == ["name", "score", "share", "note"]
    assert list(back["name"]) == ["Zoë O'Neill", "'=cmd|' /C calc'!A0", "Ben", "'@risk", ""]
    assert list(back["score"]) == [3, -2, 0, -7, 5]
    assert list(back["note"]) == ["-3", "'+1 more", "fine", "4.5", "a=b"]
    # A second read with pandas' defaults gives the same numbers back.
    again = pd.read_csv(io.BytesIO(data), encoding="utf-8-sig")
    pd.testing.assert_series_equal(again["share"], frame["share"])


def test_builtin_exporters_describe_their_files() -> None:
    assert (CSV.id, CSV.extension, CSV.per_table) == ("csv", "csv", True)
    assert (EXCEL.id, EXCEL.extension, EXCEL.per_table) == ("excel", "xlsx", False)
    assert CSV.write is write_csv and EXCEL.write is write_excel


def open_excel(data: bytes) -> openpyxl.Workbook:
    assert data[:2] == b"PK"  # an .xlsx is a zip
    return openpyxl.load_workbook(io.BytesIO(data))


def test_excel_has_one_valid_unique_sheet_per_table() -> None:
    titles = [
        "Results: by member?",
        "A very long title that goes on past thirty-one characters",
        "A very long title that goes on past thirty-one characters, again",
        "Summary",
        "summary",
        "[*]",
        "'Wicked' problems",
        "History",
    ]
    tables = {title: pd.DataFrame({"n": [i]}) for i, title in enumerate(titles)}
    book = open_excel(write_excel(tables))

    names = book.sheetnames
    assert len(names) == len(titles)
    assert len({name.lower() for name in names}) == len(names)
    for name in names:
        assert 1 <= len(name) <= 31
        assert not set(name) & set("[]:*?/\\")
        assert not name.startswith("'") and not name.endswith("'")
        assert name.lower() != "history"
    assert names[0] == "Results  by member"
    assert names[3] == "Summary"
    # Each sheet holds its own table, in order.
    assert [book[name]["A2"].value for name in names] == list(range(len(titles)))


def test_sheet_names_stay_unique_when_truncated_many_times() -> None:
    taken: set[str] = set()
    names = [sheet_name("x" * 40, taken) for _ in range(12)]
    assert len(set(names)) == 12
    assert all(len(name) <= 31 for name in names)
    assert sheet_name("   ", taken) == "Sheet"


def test_excel_stores_formula_looking_cells_as_text() -> None:
    book = open_excel(write_excel({"People": people()}))
    sheet = book["People"]
    header = [cell.value for cell in sheet[1]]
    assert header == ["name", "score", "share", "note"]
    rows = list(sheet.iter_rows(min_row=2))
    formula = rows[1][0]
    # Stored as text with Excel's quote-prefix flag: shown exactly as typed, never run.
    assert formula.data_type == "s" and formula.quotePrefix
    assert formula.value == "=cmd|' /C calc'!A0"
    assert rows[3][0].data_type == "s" and rows[3][0].quotePrefix
    assert rows[3][0].value == "@risk"
    # No cell anywhere became a formula.
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)
    # Negative numbers are numbers.
    assert rows[1][1].data_type == "n" and rows[1][1].value == -2
    assert rows[0][3].value == -3


def test_formula_headers_are_text_in_excel() -> None:
    book = open_excel(write_excel({"T": pd.DataFrame({"=SUM(A1:A9)": [1]})}))
    cell = book["T"]["A1"]
    assert cell.data_type == "s" and cell.quotePrefix and cell.value == "=SUM(A1:A9)"


def test_time_zone_aware_datetimes_export_to_excel(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PLACEKIT_TZ", raising=False)
    london = pd.Series(pd.to_datetime(["2024-07-01 10:00", "2024-12-01 10:00"])).dt.tz_localize(
        "Europe/London"
    )
    mixed_offsets = pd.Series(
        [
            datetime(2024, 7, 1, 10, tzinfo=timezone(timedelta(hours=1))),
            datetime(2024, 12, 1, 10, tzinfo=UTC),
        ],
        dtype=object,
    )
    frame = pd.DataFrame({"london": london, "mixed": mixed_offsets, "n": [1, 2]})
    book = open_excel(write_excel({"Times": frame}))
    sheet = book["Times"]
    # Written as the time the place's clocks showed (Europe/London by default).
    assert sheet["A2"].value == datetime(2024, 7, 1, 10, 0)
    assert sheet["A3"].value == datetime(2024, 12, 1, 10, 0)
    assert sheet["B2"].value == datetime(2024, 7, 1, 10, 0)
    assert sheet["B3"].value == datetime(2024, 12, 1, 10, 0)


# -- results straight from the store -----------------------------------------------------------


class Ideas(Exercise):
    id = "ideas"
    title = "Ideas"
    summary = "Collect ideas"
    kinds = (
        RecordKind(
            "idea", "team", (Field("title", "Title", required=True), Field("votes", "Votes"))
        ),
    )
    primary_kind = "idea"

    def pages(self, responses: Responses) -> Sequence[Page]:
        return ()

    def summarise(self, responses: Responses) -> Summary:
        return Summary(tables={"Ideas": responses.frame("idea")})


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    yield Store(tmp_path / "placekit.db")
    for engine in placekit.data.store._engines.values():
        engine.dispose()
    placekit.data.store._engines.clear()
    gc.collect()


def test_a_page_that_saved_then_exports_writes_excel_and_csv(store: Store) -> None:
    store.add_workbook("wb", "Team", "t" * 32, "f" * 32)
    exercise = Ideas()
    earlier = Responses(store, "wb", exercise)
    earlier.save("idea", "1", {"title": "=2+2", "votes": -1}, base_version=0)

    responses = Responses(store, "wb", exercise)
    responses.entries  # read from the store, then save in the same page  # noqa: B018
    responses.save("idea", "2", {"title": "Shared budget", "votes": 3}, base_version=0)
    tables: dict[str, Any] = exercise.summarise(responses).tables
    assert len(tables["Ideas"]) == 2

    sheet = open_excel(write_excel(tables))["Ideas"]
    values = {row[0]: row for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert values["1"][1] == "=2+2" and values["1"][2] == -1
    assert sheet["B2"].data_type == "s" and sheet["B2"].quotePrefix
    assert isinstance(values["2"][4], datetime)

    back = pd.read_csv(io.BytesIO(write_csv(tables)), encoding="utf-8-sig")
    assert list(back["title"]) == ["'=2+2", "Shared budget"]


def test_a_chart_exports_as_a_static_png_without_a_browser():
    import altair as alt

    from placekit.widgets.charts import png

    chart = (
        alt.Chart(pd.DataFrame({"x": [0.1, 0.9], "y": [0.2, 0.8]}))
        .mark_point()
        .encode(x="x:Q", y="y:Q")
    )
    image = png(chart)
    assert image.startswith(b"\x89PNG\r\n\x1a\n") and len(image) > 1000
