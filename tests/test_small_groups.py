"""The small-group rule on real results: 2, 3, 4 and 5 respondents, checked against tables
worked by hand, on ``summarise()`` and ``Workbook.summary``, in every registered exporter's
file, on the facilitator's page and on a respondent's own results page.

Five ways to wellbeing, answered anonymously; each respondent rates "Connect" as listed
and every other way 3. By hand, for the answers 1, 2, 4, 4, 5 taken in turn:

| people | answers    | People | Mean | SD   | Median | Lowest | Highest | Scored 1..5 |
|--------|------------|--------|------|------|--------|--------|---------|-------------|
| 2      | 1 2        | —      | —    | —    | —      | —      | —       | — — — — —   |
| 3      | 1 2 4      | 3      | 2.33 | —    | —      | —      | —       | — — — — —   |
| 4      | 1 2 4 4    | 4      | 2.75 | —    | —      | —      | —       | — — — — —   |
| 5      | 1 2 4 4 5  | 5      | 3.2  | 1.64 | 4      | 1      | 5       | 1 1 0 2 1   |

(Five: deviations −2.2 −1.2 0.8 0.8 1.8, squares summing to 10.8, over 4: √2.7 = 1.64.)
What the blanks hide, and so must appear nowhere: for three, SD √(7/3) = 1.53, median 2,
lowest 1, highest 4; for four, SD √(6.75/3) = 1.50, median 3, lowest 1, highest 4. With
three people, the lowest, median and highest are the three answers.
"""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

import openpyxl
import pandas as pd
import pytest

import placekit
from placekit.data.access import Member, create_workbook, join, resolve
from placekit.data.responses import Responses
from placekit.data.store import Store
from placekit.plugins import get_registry
from placekit.questionnaires.answers import submit
from placekit.questionnaires.results import team_table
from placekit.questionnaires.rounds import close_round
from placekit.web.pages import exercise_page
from placekit.widgets.html import table_html

EXERCISE = "five-ways-to-wellbeing"
ANSWERS = [1, 2, 4, 4, 5]
W = None  # withheld: "—" on a page, an empty cell in a file, missing in a frame

DIMENSION_COLUMNS = [
    "People", "Mean", "SD", "Median", "Lowest", "Highest", *(f"Scored {p}" for p in range(1, 6)),
]  # fmt: skip
DIMENSIONS = {  # Connect's row of the Dimensions table, worked by hand
    2: [W, W, W, W, W, W, W, W, W, W, W],
    3: [3, 2.33, W, W, W, W, W, W, W, W, W],
    4: [4, 2.75, W, W, W, W, W, W, W, W, W],
    5: [5, 3.2, 1.64, 4, 1, 5, 1, 1, 0, 2, 1],
}
STATEMENT_COLUMNS = [
    "People", "Don't know", "Mean answer", "Mean score", "SD",
    *(f"Answered {p}" for p in range(1, 6)),
]  # fmt: skip
STATEMENTS = {  # Connect's one statement; "don't know" is a count per answer too
    2: [W, W, W, W, W, W, W, W, W, W],
    3: [3, W, 2.33, 2.33, W, W, W, W, W, W],
    4: [4, W, 2.75, 2.75, W, W, W, W, W, W],
    5: [5, 0, 3.2, 3.2, 1.64, 1, 1, 0, 2, 1],
}
NOTES = {
    2: "Withheld: fewer than 3 people answered",
    3: "Spread withheld: fewer than 5 people answered",
    4: "Spread withheld: fewer than 5 people answered",
    5: "",
}
HIDDEN = {2: [1.5, 0.71], 3: [1.53], 4: [1.5]}  # withheld means and SDs (2 people: 1 and 2)


def text(widget: Any) -> str:
    found = [str(widget.value)] if isinstance(getattr(widget, "value", None), str) else []
    for child in getattr(widget, "children", ()):
        found.append(text(child))
    return "\n".join(found)


class Team:
    def __init__(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, people: int) -> None:
        monkeypatch.setenv("PLACEKIT_DB", str(tmp_path / "pk.db"))
        self.store = Store()
        self.workbook, self.team, self.facilitator = create_workbook(self.store, "Wellbeing")
        self.ex = get_registry().exercises[EXERCISE]
        access = resolve(self.store, self.team)
        self.members: list[Member] = []
        for value in ANSWERS[:people]:
            member = join(self.store, access, "", anonymous=True)
            self.answer(member, value, f"Walk with {value}")
            self.members.append(member)

    def answer(self, member: Member, connect: int, comment: str) -> None:
        mine = Responses.for_member(self.store, self.workbook, self.ex, member)
        answers = {"CONNECT": connect, "ACTIVE": 3, "NOTICE": 3, "LEARN": 3, "GIVE": 3}
        mine.save("answers", "r1", answers, 0)
        mine.save("profile", "r1", {"focus": "connect", "action": comment}, 0)
        submit(mine)

    def close(self) -> Team:
        close_round(self.responses())
        return self

    def responses(self) -> Responses:
        return Responses(self.store, self.workbook, self.ex)  # fresh: reads k afresh

    def summary(self) -> Any:
        return self.ex.summarise(self.responses())


def closed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, people: int) -> Team:
    return Team(tmp_path, monkeypatch, people).close()


def connect_row(frame: pd.DataFrame, columns: list[str]) -> list[Any]:
    row = frame.set_index("Dimension").loc["Connect"]
    return [None if pd.isna(row[c]) else row[c] for c in columns]


def same(found: list[Any], expected: list[Any]) -> bool:
    """Cells against a hand-worked row: withheld must be missing ("—", "" or None), a figure
    equal to two decimals."""
    if len(found) != len(expected):
        return False
    for cell, want in zip(found, expected, strict=True):
        if want is None:
            if cell not in (None, "", "—"):
                return False
        elif cell in (None, "", "—") or abs(float(cell) - want) > 0.005:
            return False
    return True


def html_row(html: str, columns: list[str], first: str = "Connect") -> tuple[list[str], str]:
    """(the cells under ``columns``, the note) of the row starting ``first`` in a table."""
    head = re.search(r"<thead>(.*?)</thead>", html, re.S)
    assert head, html
    names = re.findall(r"<th[^>]*>(.*?)</th>", head.group(1), re.S)
    names = [n.replace("&#x27;", "'").replace("&#39;", "'") for n in names]
    for row in re.findall(r"<tr>(.*?)</tr>", html, re.S):
        cells = [c.strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
        if cells and cells[0] == first:
            shown = dict(zip(names, cells, strict=True))
            return [shown[c] for c in columns], shown["Note"]
    raise AssertionError(f"no {first} row in {html}")


def numbers(html: str) -> list[float]:
    """Every table cell on a page that is a number."""
    cells = re.findall(r"<td[^>]*>\s*(-?\d+(?:\.\d+)?)\s*</td>", html)
    return [float(c) for c in cells]


def page_table(page: str, title: str) -> str:
    """The table shown under a heading on the facilitator's page (an h3 for a chart's
    table, which follows the chart)."""
    found = re.search(f"<h[23]>{re.escape(title)}</h[23]>", page)
    assert found, f"no heading {title!r} on the page"
    start = found.start()
    return page[start : page.index("</table>", start)]


def exported(tables: dict[str, pd.DataFrame], title: str) -> dict[str, pd.DataFrame]:
    """Exporter id -> the table as read back from the file it writes (every cell as text,
    empty for a missing value)."""
    found = {}
    exporters = get_registry().exporters
    assert {"csv", "excel"} <= set(exporters)
    for exporter in exporters.values():
        payload = exporter.write({title: tables[title]} if exporter.per_table else tables)
        if exporter.extension == "csv":
            frame = pd.read_csv(io.BytesIO(payload), dtype=str, keep_default_na=False)
        elif exporter.extension == "xlsx":
            sheet = openpyxl.load_workbook(io.BytesIO(payload))[title]
            head, *rows = list(sheet.iter_rows(values_only=True))
            frame = pd.DataFrame(
                [["" if v is None else str(v) for v in r] for r in rows], columns=head
            )
        else:
            pytest.fail(f"a test for the {exporter.id!r} exporter's files is needed here")
        found[exporter.id] = frame
    return found


@pytest.mark.parametrize("people", [2, 3, 4, 5])
def test_hand_worked_tables_on_every_path(tmp_path: Path, monkeypatch, people: int) -> None:
    team = closed(tmp_path, monkeypatch, people)
    summary = team.summary()
    analyst = placekit.open(team.facilitator).summary(EXERCISE)
    for tables in (summary.tables, analyst.tables):
        dims, statements = tables["Dimensions"], tables["Statements"]
        assert same(connect_row(dims, DIMENSION_COLUMNS), DIMENSIONS[people])
        assert same(connect_row(statements, STATEMENT_COLUMNS), STATEMENTS[people])
        assert dims.set_index("Dimension").loc["Connect", "Note"] == NOTES[people]
    # The note says what is now true: the spread rule as well as k.
    assert "about fewer than 5" in summary.notes[0] and "fewer than 3 people" in summary.notes[0]

    for title, columns, expected in (
        ("Dimensions", DIMENSION_COLUMNS, DIMENSIONS[people]),
        ("Statements", STATEMENT_COLUMNS, STATEMENTS[people]),
    ):
        for exporter, frame in exported(summary.tables, title).items():
            assert same(connect_row(frame, columns), expected), (exporter, title)
        cells, note = html_row(table_html(summary.tables[title]), columns)
        assert same(cells, expected), (title, cells)
        assert note == NOTES[people]

    page = text(exercise_page(team.facilitator, EXERCISE))
    cells, note = html_row(page_table(page, "Dimensions"), DIMENSION_COLUMNS)
    assert same(cells, DIMENSIONS[people]) and note == NOTES[people]
    for figure in HIDDEN.get(people, []):
        assert not [c for c in numbers(page) if abs(c - figure) < 0.005], figure
    if people == 5:  # the same check finds the figures where they are shown
        assert {1.64, 3.2} <= {round(c, 2) for c in numbers(page)}
        assert "Spread withheld" not in page


@pytest.mark.parametrize("people", [3, 4])
def test_no_flag_read_from_a_withheld_spread(tmp_path: Path, monkeypatch, people: int) -> None:
    # Answers running 1 to 4 would be "contested" (a range of 3 on a 1–5 scale); the flag
    # would give the range away. "Low" comes from the mean alone and stays.
    row = closed(tmp_path, monkeypatch, people).summary().tables["Dimensions"]
    flags = row.set_index("Dimension").loc["Connect", "Flags"]
    assert flags == "low"
    five = closed(tmp_path / "five", monkeypatch, 5).summary().tables["Dimensions"]
    assert five.set_index("Dimension").loc["Connect", "Flags"] == "contested"


@pytest.mark.parametrize("people", [2, 3, 4])
def test_how_many_chose_each_way_is_spread(tmp_path: Path, monkeypatch, people: int) -> None:
    chosen = closed(tmp_path, monkeypatch, people).summary().tables["Chosen to work on"]
    assert chosen["People"].isna().all()  # even the zeros: they count the others' answers
    five = closed(tmp_path / "five", monkeypatch, 5).summary().tables["Chosen to work on"]
    assert five.set_index("Dimension")["People"].to_dict() == {
        "Connect": 5, "Be active": 0, "Take notice": 0, "Keep learning": 0, "Give": 0,
    }  # fmt: skip


@pytest.mark.parametrize("people", [2, 3, 4])
def test_comments_only_from_five_writers(tmp_path: Path, monkeypatch, people: int) -> None:
    comments = closed(tmp_path, monkeypatch, people).summary().tables["Comments"]
    files = "\n".join(f.to_csv() for f in exported({"Comments": comments}, "Comments").values())
    assert comments["Comment"].isna().all()
    assert "Walk with" not in files
    assert "shown once at least 5 people have written one" in comments["Note"].iloc[0]
    five = closed(tmp_path / "five", monkeypatch, 5).summary().tables["Comments"]
    assert list(five["Comment"]) == [f"Walk with {v}" for v in sorted(ANSWERS)]


def test_comments_are_counted_over_those_who_wrote_one(tmp_path: Path, monkeypatch) -> None:
    # Six answered; only two wrote a comment. Six answers do not hide two writers.
    team = Team(tmp_path, monkeypatch, 0)
    access = resolve(team.store, team.team)
    for n, value in enumerate([1, 2, 4, 4, 5, 3]):
        comment = "Walk the dog" if n < 2 else ""
        team.answer(join(team.store, access, "", anonymous=True), value, comment)
    comments = team.close().summary().tables["Comments"]
    assert comments["Comment"].isna().all()
    assert "Walk the dog" not in comments.to_csv()


def test_a_respondents_own_page_follows_the_rule(tmp_path: Path, monkeypatch) -> None:
    team = closed(tmp_path, monkeypatch, 3)
    first = team.members[0]
    page = exercise_page(team.team, EXERCISE)
    page.load({"code": team.team, "exercise": EXERCISE, "me": first.token})
    (wizard,) = _find(page, "Wizard")
    wizard.goto("r1/done")
    shown = text(page)
    assert "The group" in shown
    group = shown[shown.index("The group") :]
    cells, note = html_row(group, DIMENSION_COLUMNS)
    assert same(cells, DIMENSIONS[3]) and note == NOTES[3]
    assert not [c for c in numbers(shown) if abs(c - 1.53) < 0.005]
    mine = team_table(team.ex.questionnaire, Responses.for_member(
        team.store, team.workbook, team.ex, first), 1)  # fmt: skip
    assert same(connect_row(mine, DIMENSION_COLUMNS), DIMENSIONS[3])


def test_raising_k_withholds_what_it_covers(tmp_path: Path, monkeypatch) -> None:
    team = closed(tmp_path, monkeypatch, 5)
    assert same(connect_row(team.summary().tables["Dimensions"], DIMENSION_COLUMNS), DIMENSIONS[5])
    team.store.set_min_group(team.workbook, 6)
    summary = team.summary()
    dims = summary.tables["Dimensions"]
    assert same(connect_row(dims, DIMENSION_COLUMNS), [W] * 11)  # the means too
    assert dims.set_index("Dimension").loc["Connect", "Note"] == (
        "Withheld: fewer than 6 people answered"
    )
    assert same(connect_row(summary.tables["Statements"], STATEMENT_COLUMNS), [W] * 10)
    for frame in exported(summary.tables, "Dimensions").values():
        assert same(connect_row(frame, DIMENSION_COLUMNS), [W] * 11)
    assert summary.tables["Comments"]["Comment"].isna().all()
    assert summary.tables["Chosen to work on"]["People"].isna().all()
    assert "fewer than 6 people" in summary.notes[0] and "fewer than 6." in summary.notes[0]
    page = text(exercise_page(team.facilitator, EXERCISE))
    assert "Withheld: fewer than 6 people answered" in page
    assert not [c for c in numbers(page) if abs(c - 3.2) < 0.005]
    assert "fewer than 6 people is withheld" in page  # the facilitator's panel says so


def test_a_k_of_four_shows_four_peoples_mean_not_their_spread(tmp_path: Path, monkeypatch) -> None:
    team = closed(tmp_path, monkeypatch, 4)
    team.store.set_min_group(team.workbook, 4)
    dims = team.summary().tables["Dimensions"]
    assert same(connect_row(dims, DIMENSION_COLUMNS), DIMENSIONS[4])
    team.store.set_min_group(team.workbook, 5)
    dims = team.summary().tables["Dimensions"]
    assert same(connect_row(dims, DIMENSION_COLUMNS), [W] * 11)


def _find(widget: Any, kind: str) -> list[Any]:
    found = [widget] if widget.__class__.__name__ == kind else []
    for child in getattr(widget, "children", ()):
        found += _find(child, kind)
    return found
