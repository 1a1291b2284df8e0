"""The small-group rule on real results: 2, 3, 4 and 5 respondents, checked against tables
worked by hand, on the summary, the CSV and Excel downloads and the facilitator's page.

Five ways to wellbeing, answered anonymously; each respondent rates "Connect" as listed
and every other way 3. By hand, for the answers 1, 2, 4, 4, 5 taken in turn:

| people | answers    | People | Mean | SD   | Median | Lowest | Highest | Scored 1..5 |
|--------|------------|--------|------|------|--------|--------|---------|-------------|
| 2      | 1 2        | —      | —    | —    | —      | —      | —       | — (withheld) |
| 3      | 1 2 4      | 3      | 2.33 | —    | —      | —      | —       | —           |
| 4      | 1 2 4 4    | 4      | 2.75 | —    | —      | —      | —       | —           |
| 5      | 1 2 4 4 5  | 5      | 3.2  | 1.64 | 4      | 1      | 5       | 1 1 0 2 1   |

(SD: deviations −2.2 −1.2 0.8 0.8 1.8, squares summing to 10.8, over 4: √2.7 = 1.64.)
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import openpyxl
import pandas as pd
import pytest

from placekit.access import create_workbook, join, resolve
from placekit.export import CSV, EXCEL
from placekit.pages import exercise_page
from placekit.plugins import get_registry
from placekit.questionnaire_exercise import submit
from placekit.questionnaire_rounds import close_round
from placekit.responses import Responses
from placekit.store import Store

ANSWERS = [1, 2, 4, 4, 5]
SPREAD = ["SD", "Median", "Lowest", "Highest", *(f"Scored {p}" for p in range(1, 6))]


def text(widget: Any) -> str:
    found = [str(widget.value)] if isinstance(getattr(widget, "value", None), str) else []
    for child in getattr(widget, "children", ()):
        found.append(text(child))
    return "\n".join(found)


def results(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, people: int, k: int = 3) -> Any:
    monkeypatch.setenv("PLACEKIT_DB", str(tmp_path / "pk.db"))
    store = Store()
    workbook, team, facilitator = create_workbook(store, "Wellbeing")
    store.set_min_group(workbook, k)
    ex = get_registry().exercises["five-ways-to-wellbeing"]
    access = resolve(store, team)
    for value in ANSWERS[:people]:
        mine = Responses.for_member(store, workbook, ex, join(store, access, "", anonymous=True))
        answers = {"CONNECT": value, "ACTIVE": 3, "NOTICE": 3, "LEARN": 3, "GIVE": 3}
        mine.save("answers", "r1", answers, 0)
        mine.save("profile", "r1", {"focus": "connect", "action": f"Walk with {value}"}, 0)
        submit(mine)
    close_round(Responses(store, workbook, ex))
    summary = ex.summarise(Responses(store, workbook, ex))
    return summary, facilitator


def connect(summary: Any) -> dict[str, Any]:
    return summary.tables["Dimensions"].set_index("Dimension").loc["Connect"].to_dict()


def exported(summary: Any, table: str) -> dict[str, dict[str, str]]:
    """The table as the CSV and the Excel download hold it: every cell as text."""
    csv = pd.read_csv(io.BytesIO(CSV.write({table: summary.tables[table]})), dtype=str)
    book = openpyxl.load_workbook(io.BytesIO(EXCEL.write(summary.tables)))
    sheet = next(s for s in book.worksheets if s.title.startswith(table[:20]))
    rows = list(sheet.iter_rows(values_only=True))
    start = next(i for i, r in enumerate(rows) if r and r[0] == "Dimension")
    head = rows[start]
    excel = next(dict(zip(head, r, strict=False)) for r in rows[start + 1 :] if r[0] == "Connect")
    return {
        "csv": csv.set_index("Dimension").loc["Connect"].fillna("").to_dict(),
        "excel": {k: "" if v is None else str(v) for k, v in excel.items() if k},
    }


def test_two_people_nothing_but_fewer_than_three(tmp_path: Path, monkeypatch) -> None:
    summary, facilitator = results(tmp_path, monkeypatch, 2)
    row = connect(summary)
    assert pd.isna(row["People"]) and pd.isna(row["Mean"])
    assert all(pd.isna(row[c]) for c in SPREAD)
    assert row["Note"] == "Withheld: fewer than 3 people answered"
    for cells in exported(summary, "Dimensions").values():
        assert cells["People"] == "" and cells["Mean"] == "" and cells["Lowest"] == ""
    assert "Walk with" not in summary.tables["Comments"].to_csv()  # free text: from 5
    page = text(exercise_page(facilitator, "five-ways-to-wellbeing"))
    assert "Withheld: fewer than 3 people answered" in page


@pytest.mark.parametrize(("people", "mean"), [(3, 2.33), (4, 2.75)])
def test_three_and_four_people_counts_and_means_only(
    tmp_path: Path, monkeypatch, people: int, mean: float
) -> None:
    summary, facilitator = results(tmp_path, monkeypatch, people)
    row = connect(summary)
    assert row["People"] == people and row["Mean"] == pytest.approx(mean)
    assert all(pd.isna(row[c]) for c in SPREAD), row
    assert row["Note"] == "Spread withheld: fewer than 5 people answered"
    assert "contested" not in row["Flags"]  # 1 to 4 would be "contested": read from spread
    statements = summary.tables["Statements"].set_index("Dimension").loc["Connect"]
    assert statements["People"] == people and pd.isna(statements["SD"])
    assert all(pd.isna(statements[f"Answered {p}"]) for p in range(1, 6))
    for cells in exported(summary, "Dimensions").values():
        assert int(cells["People"]) == people and float(cells["Mean"]) == mean
        assert all(cells[c] == "" for c in SPREAD), cells
    chosen = summary.tables["Chosen to work on"]
    assert chosen["People"].isna().all()  # how many chose each way is a count per answer
    assert "Walk with" not in summary.tables["Comments"].to_csv()
    page = text(exercise_page(facilitator, "five-ways-to-wellbeing"))
    assert "Spread withheld: fewer than 5 people answered" in page
    assert f"<td>{mean}</td>" in page or str(mean) in page


def test_five_people_everything_as_worked_by_hand(tmp_path: Path, monkeypatch) -> None:
    summary, facilitator = results(tmp_path, monkeypatch, 5)
    row = connect(summary)
    assert (row["People"], row["Mean"], row["SD"]) == (5, 3.2, 1.64)
    assert (row["Median"], row["Lowest"], row["Highest"]) == (4.0, 1.0, 5.0)
    assert [row[f"Scored {p}"] for p in range(1, 6)] == [1, 1, 0, 2, 1]
    assert row["Note"] == ""
    for cells in exported(summary, "Dimensions").values():
        assert float(cells["SD"]) == 1.64 and float(cells["Lowest"]) == 1.0
        assert int(cells["Scored 4"]) == 2
    comments = sorted(summary.tables["Comments"]["Comment"])
    assert comments == [f"Walk with {v}" for v in sorted(ANSWERS)]
    page = text(exercise_page(facilitator, "five-ways-to-wellbeing"))
    assert "1.64" in page and "Spread withheld" not in page


def test_a_facilitators_higher_k_withholds_five_too(tmp_path: Path, monkeypatch) -> None:
    summary, _facilitator = results(tmp_path, monkeypatch, 5, k=6)
    row = connect(summary)
    assert pd.isna(row["People"]) and pd.isna(row["Mean"])
    assert row["Note"] == "Withheld: fewer than 6 people answered"
    assert "Walk with" not in summary.tables["Comments"].to_csv()
    assert "fewer than 6 people" in " ".join(summary.notes)
