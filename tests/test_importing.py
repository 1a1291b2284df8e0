"""The shared importer: reading CSV and Excel uploads, matching columns, checking every cell."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pandas as pd
import pytest

from placekit.importing.files import (
    Column,
    Schema,
    UnreadableFile,
    match_columns,
    preview,
    read_and_preview,
    read_file,
)

SCHEMA = Schema(
    (
        Column("ref", "id", required=True, unique=True, aliases=("case_ref",)),
        Column("when", "datetime", required=True, aliases=("date_time",)),
        Column(
            "channel",
            "choice",
            required=True,
            choices=("phone", "face_to_face", "email"),
            choice_aliases={"e_mail": "email"},
        ),
        Column("words", "text", required=True, max_length=20),
        Column("minutes", "decimal", minimum=0),
        Column("repeat", "bool"),
        Column("contacts", "int", minimum=0),
    )
)
HEADER = "ref,when,channel,words,minutes,repeat,contacts\r\n"


def check(text: str | bytes, mapping: dict[str, str] | None = None):
    data = text.encode("utf-8") if isinstance(text, str) else text
    return read_and_preview(data, SCHEMA, "upload.csv", mapping)[1]


def test_a_clean_file_is_typed_and_has_no_problems() -> None:
    result = check(
        HEADER
        + "a1,04/03/2024 09:12,Phone,Hello,6.5,yes,2\r\n"
        + "a2,2024-03-05T14:30,FACE TO FACE,Hi there,,FALSE,\r\n"
        + "a3,5/3/24 8:05,e-mail,Thanks,0,,0\r\n"
    )
    assert result.ok and result.messages() == []
    frame = result.frame
    assert list(frame.index) == [2, 3, 4]  # the rows as the spreadsheet numbers them
    assert list(frame["when"]) == [
        pd.Timestamp("2024-03-04 09:12"),
        pd.Timestamp("2024-03-05 14:30"),
        pd.Timestamp("2024-03-05 08:05"),
    ]
    assert list(frame["channel"]) == ["phone", "face_to_face", "email"]
    assert list(frame["repeat"].astype(object)) == [True, False, pd.NA]
    assert frame["minutes"].tolist()[0] == 6.5 and pd.isna(frame["minutes"].tolist()[1])
    assert frame["contacts"].tolist()[0] == 2


def test_every_problem_is_listed_by_row_and_column() -> None:
    result = check(
        HEADER
        + "a1,31/02/2024,fax,Hello,-1,maybe,1.5\r\n"
        + "a1,03/25/2024 10:00,phone,,x,yes,2\r\n"
        + "a3,04/03/2024,email,This is far too long to keep,1,no,0\r\n"
    )
    assert not result.ok
    assert result.messages() == [
        "Row 2, ref: “a1” appears more than once in the file",
        "Row 2, when: “31/02/2024” is not a date: use day/month/year, as 04/03/2024 or"
        " 04/03/2024 09:12 (or 2024-03-04T09:12)",
        "Row 2, channel: “fax” is not one of: Phone, Face to face, Email",
        "Row 2, minutes: “-1” is below 0",
        "Row 2, repeat: “maybe” is not yes/no or true/false",
        "Row 2, contacts: “1.5” is not a whole number",
        "Row 3, ref: “a1” appears more than once in the file",
        "Row 3, when: “03/25/2024 10:00” is not a date: use day/month/year, as 04/03/2024 or"
        " 04/03/2024 09:12 (or 2024-03-04T09:12)",
        "Row 3, words: this is empty",
        "Row 3, minutes: “x” is not a number",
        "Row 4, words: this is longer than 20 characters",
    ]
    counts = result.problem_counts()
    assert dict(zip(counts["Column"], counts["Problems"], strict=True))["ref"] == 2


def test_a_missing_required_column_is_named() -> None:
    result = check("ref,when,channel\r\na1,04/03/2024,phone\r\n")
    assert result.missing == ["words"]
    assert result.messages() == [
        "Required column missing: words. The file has no column headed words; choose which"
        " of its columns holds it."
    ]


def test_differently_named_columns_match_by_alias_or_by_mapping() -> None:
    text = "Case Ref,DATE-TIME,Channel,What they said\r\nz9,04/03/2024 10:00,phone,Hi\r\n"
    assert match_columns(["Case Ref", "DATE-TIME", "Channel"], SCHEMA) == {
        "ref": "Case Ref",
        "when": "DATE-TIME",
        "channel": "Channel",
    }
    assert check(text).missing == ["words"]
    mapped = check(text, {"words": "What they said"})
    assert mapped.ok and mapped.frame["words"].tolist() == ["Hi"]
    assert mapped.unmatched == []


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "The file is empty."),
        (b"\xef\xbb\xbf\r\n", "The file is empty."),
        (HEADER.encode(), "The file has column headings but no rows of data."),
        (
            b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
            "This is an image (PNG), not a spreadsheet. Export the data as CSV or Excel (.xlsx)"
            " and upload that file.",
        ),
        (
            b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n",
            "This is a PDF file, not a spreadsheet. Export the data as CSV or Excel (.xlsx) and"
            " upload that file.",
        ),
        (
            b"\x00\x01\x02binary\x00junk",
            "This is not a CSV or Excel file: it holds binary data. Export the data as CSV or"
            " Excel (.xlsx) and upload that file.",
        ),
        (
            b"PK\x03\x04not really a zip",
            "This is a zip file but not an Excel workbook (.xlsx). Export the data as CSV or"
            " Excel (.xlsx) and upload that file.",
        ),
    ],
)
def test_files_that_are_not_tables_say_so(data: bytes, message: str) -> None:
    with pytest.raises(UnreadableFile) as raised:
        read_file(data, "upload")
    assert str(raised.value) == message


def test_encodings_utf8_with_bom_and_windows_1252() -> None:
    row = "a1,04/03/2024,phone,Café £5 – ok,,,\r\n"
    with_bom = check(b"\xef\xbb\xbf" + (HEADER + row).encode("utf-8"))
    assert with_bom.source == "CSV (UTF-8 with byte-order mark)"
    assert with_bom.frame["words"].tolist() == ["Café £5 – ok"]
    windows = check((HEADER + row).encode("cp1252"))
    assert windows.source == "CSV (Windows-1252)"
    assert windows.frame["words"].tolist() == ["Café £5 – ok"]


def test_semicolons_quoted_line_breaks_and_blank_trailing_lines() -> None:
    text = (
        "ref;when;channel;words\r\n"
        'a1;04/03/2024;phone;"two\nlines"\r\n'
        "a2;04/03/2024;email;ok\r\n\r\n\r\n"
    )
    result = check(text)
    assert result.ok and result.frame["words"].tolist() == ["two\nlines", "ok"]
    assert list(result.frame.index) == [2, 3]


def test_rows_of_the_wrong_width_are_named_and_later_rows_keep_their_numbers() -> None:
    text = HEADER + "a1,04/03/2024,phone\r\n" + "a2,04/03/2024,fax,Hi,,,\r\n"
    result = check(text)
    assert result.messages() == [
        "Row 2: this row has 3 values but the header has 7 columns: “a1,04/03/2024,phone”",
        "Row 3, channel: “fax” is not one of: Phone, Face to face, Email",
    ]


def test_excel_workbooks_are_read_with_their_dates() -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Ref", "When", "Channel", "Words", "Minutes"])
    sheet.append(["x1", dt.datetime(2024, 3, 4, 9, 12), "Phone", "Hello", 4])
    sheet.append([None, None, None, None, None])
    sheet.append(["x2", "05/03/2024 10:00", "email", "Hi", 2.5])
    buffer = io.BytesIO()
    book.save(buffer)
    result = read_and_preview(buffer.getvalue(), SCHEMA, "upload.xlsx")[1]
    assert result.source == "Excel" and result.ok
    assert list(result.frame.index) == [2, 4]
    assert list(result.frame["when"]) == [
        pd.Timestamp("2024-03-04 09:12"),
        pd.Timestamp("2024-03-05 10:00"),
    ]


def test_personal_data_is_flagged_by_heading_and_by_content() -> None:
    text = (
        "ref,when,channel,words,Customer Name,Email\r\n"
        "a1,04/03/2024,phone,ring 07700 900123,Ann Smith,ann@example.org\r\n"
        "a2,04/03/2024,phone,at SW1A 1AA,Bob,bob@example.org\r\n"
    )
    result = check(text)
    found = {(p.column, p.what) for p in result.personal}
    assert ("Customer Name", "names") in found
    assert ("Email", "email addresses") in found
    assert ("words", "phone numbers") in found
    assert ("words", "postcodes") in found
    assert result.unmatched == ["Customer Name", "Email"]  # never imported


def test_the_preview_can_be_rerun_with_a_new_mapping_without_rereading() -> None:
    raw = read_file(b"Ref,When,How,Said\r\nr1,04/03/2024,phone,Hi\r\n")
    first = preview(raw, SCHEMA)
    assert set(first.missing) == {"channel", "words"}
    second = preview(raw, SCHEMA, {"channel": "How", "words": "Said"})
    assert second.ok and second.frame["channel"].tolist() == ["phone"]


def test_numbers_read_only_as_people_write_them() -> None:
    result = check(
        HEADER
        + "a1,04/03/2024,phone,Hi,nan,,0x10\r\n"
        + "a2,04/03/2024,phone,Hi,1e5,,+2\r\n"
        + "a3,04/03/2024,phone,Hi, 2.5 ,,-1\r\n"
    )
    assert result.messages() == [
        "Row 2, minutes: “nan” is not a number",
        "Row 2, contacts: “0x10” is not a whole number",
        "Row 3, minutes: “1e5” is not a number",
        "Row 4, contacts: “-1” is below 0",
    ]
    assert result.frame["minutes"].tolist()[2] == 2.5
    assert result.frame["contacts"].tolist()[1] == 2


def test_blank_lines_mid_file_keep_every_later_row_number_true() -> None:
    """Row numbers are the ones the user's spreadsheet shows, blank lines included."""
    from placekit.importing.files import read_file

    data = b"a,b,c,d\n1,2,3,4\n\n5,6,7,8\n9,10,11\n\n13,14,15,16\n\n"
    table = read_file(data, "blank-lines.csv")
    assert list(table.rows) == [2, 4, 7]
    (problem,) = table.problems
    assert problem[0] == 5 and "has 3 values but the header has 4 columns" in problem[3]


# -- what the words of a choice column mean ------------------------------------------------

CHANNELS = Schema(
    (
        Column("ref", "id", required=True, label="Reference"),
        Column(
            "channel",
            "choice",
            required=True,
            choices=("phone", "face_to_face", "email"),
            choice_aliases={"walk in": "face_to_face", "telephone": "phone"},
            choice_labels={"phone": "Phone", "face_to_face": "Face to face", "email": "Email"},
            label="Channel",
        ),
        Column("outcome", "choice", choices=("fixed", "not_fixed"), label="Outcome"),
    )
)


def channels(rows: list[str], meanings: dict | None = None):
    text = "ref,channel,outcome\r\n" + "".join(f"{row}\r\n" for row in rows)
    return read_and_preview(text.encode(), CHANNELS, "export.csv", meanings=meanings)[1]


def test_an_exports_words_are_read_as_the_schemas_values_and_listed() -> None:
    # Case and punctuation are ignored: "E-mail" and "EMAIL" are the value "email".
    result = channels(["a,Walk-in,", "b,Telephone,", "c,E-mail,", "d,EMAIL,", "e,Walk in,"])
    assert result.ok
    read = list(result.frame["channel"])
    assert read == ["face_to_face", "phone", "email", "email", "face_to_face"]
    # A synonym is read at once but listed, to confirm or change; exact words are not.
    shown = [(m.text, m.rows, m.value, m.how) for m in result.values["channel"]]
    assert shown == [
        ("Walk-in", 2, "face_to_face", "synonym"),
        ("Telephone", 1, "phone", "synonym"),
    ]


def test_an_unknown_word_is_a_plain_problem_until_someone_says_what_it_means() -> None:
    result = channels(["a,Phone call,", "b,Phone call,", "c,Emial,", "d,Carrier pigeon,"])
    assert result.messages() == [
        "Row 2, Channel: “Phone call” is not one of: Phone, Face to face, Email",
        "Row 3, Channel: “Phone call” is not one of: Phone, Face to face, Email",
        "Row 4, Channel: “Emial” is not one of: Phone, Face to face, Email",
        "Row 5, Channel: “Carrier pigeon” is not one of: Phone, Face to face, Email",
    ]
    # Suggestions a person expects, never applied by themselves.
    assert [(m.text, m.rows, m.suggestion) for m in result.unknown] == [
        ("Phone call", 2, "phone"),
        ("Carrier pigeon", 1, None),
        ("Emial", 1, "email"),
    ]
    chosen = {"channel": {"phonecall": "phone", "emial": "email", "carrierpigeon": "email"}}
    fixed = channels(["a,Phone call,", "b,Phone call,", "c,Emial,", "d,Carrier pigeon,"], chosen)
    assert fixed.ok and list(fixed.frame["channel"]) == ["phone", "phone", "email", "email"]
    assert {m.how for m in fixed.values["channel"]} == {"chosen"}


def test_an_optional_columns_word_can_mean_empty_but_a_required_ones_cannot() -> None:
    meanings = {"outcome": {"tbc": ""}, "channel": {"unknown": ""}}
    result = channels(["a,Phone,TBC", "b,Unknown,fixed"], meanings)
    assert result.messages() == [
        "Row 3, Channel: “Unknown” is not one of: Phone, Face to face, Email"
    ]
    assert result.frame["outcome"].isna().tolist() == [True, False]


def test_a_new_mapping_rechecks_only_the_column_it_changes() -> None:
    raw = read_file(b"ref,channel,outcome\r\na,Walk-in,fixed\r\nb,Fax,fixed\r\n")
    first = preview(raw, CHANNELS)
    kept = dict(raw.converted)
    second = preview(raw, CHANNELS, meanings={"channel": {"fax": "phone"}})
    assert not first.ok and second.ok
    reused = [key for key in kept if key[0] != "channel"]
    assert reused and all(raw.converted[key] is kept[key] for key in reused)


def test_a_mapping_to_a_heading_this_file_lacks_is_passed_over() -> None:
    raw = read_file(b"ref,How\r\na,phone\r\n")
    result = preview(raw, CHANNELS, {"channel": "How", "outcome": "Result (old file)"})
    assert result.ok and result.mapping == {"ref": "ref", "channel": "How"}


def test_a_missing_column_is_named_in_plain_words() -> None:
    result = read_and_preview(b"ref\r\na\r\n", CHANNELS)[1]
    assert result.messages() == [
        "Required column missing: Channel. The file has no column headed channel; choose"
        " which of its columns holds it."
    ]
