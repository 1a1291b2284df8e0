"""Anonymity is enforced, not advised: checked at every place a questionnaire's figures are
shown or exported — the facilitator's page, its CSV and Excel downloads, ``placekit
export``, ``Workbook`` in JupyterLab, the respondent's own page — and a questionnaire added
by a plugin appears with no notebook written."""

from __future__ import annotations

import base64
import csv
import io
import re
import textwrap
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import openpyxl
import pytest

import placekit
from placekit import cli, hookimpl
from placekit.data.access import Member, create_workbook, join, resolve
from placekit.data.privacy import respondent_key
from placekit.data.responses import Responses
from placekit.data.store import Store
from placekit.plugins import get_plugin_manager, get_registry, reset_registry
from placekit.questionnaires.answers import answers_record, submit, targets
from placekit.questionnaires.rounds import close_round, open_next_round, set_targets
from placekit.testing import press
from placekit.web.pages import exercise_page, index_page


def text(widget: Any) -> str:
    found = [getattr(widget, "value", "")] if hasattr(widget, "value") else []
    for child in getattr(widget, "children", ()):
        found.append(text(child))
    return "\n".join(str(v) for v in found)


def downloads(page_text: str) -> dict[str, bytes]:
    """Every download link on a page: file name -> the file's bytes."""
    found = re.findall(r'download="([^"]+)" href="data:[^;]+;base64,([^"]+)"', page_text)
    return {name: base64.b64decode(data) for name, data in found}


def everything_in(files: dict[str, bytes]) -> str:
    """All text in CSV and Excel files, as one string to search."""
    parts = []
    for name, payload in files.items():
        if name.endswith(".csv"):
            parts.append(payload.decode("utf-8-sig"))
        elif name.endswith(".xlsx"):
            book = openpyxl.load_workbook(io.BytesIO(payload))
            for sheet in book.worksheets:
                for row in sheet.iter_rows(values_only=True):
                    parts.append(" ".join("" if v is None else str(v) for v in row))
    return "\n".join(parts)


@pytest.fixture
def audit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    """Three Council respondents and two NHS ones have answered and submitted."""
    monkeypatch.setenv("PLACEKIT_DB", str(tmp_path / "pk.db"))
    store = Store()
    workbook, team, facilitator = create_workbook(store, "Northtown partnership")
    ex = get_registry().exercises["trust-audit"]
    assert set_targets(Responses(store, workbook, ex), ["Council", "NHS"]) is None
    access = resolve(store, team)
    members = []
    for org, own, theirs in (
        ("Council", 6, 2),
        ("Council", 6, 3),
        ("Council", 5, 2),
        ("NHS", 1, 6),
        ("NHS", 2, 5),
    ):
        member = join(store, access, "", anonymous=True)
        mine = Responses.for_member(store, workbook, ex, member)
        partner = "NHS" if org == "Council" else "Council"
        mine.save("profile", "r1", {"org": org, "partners": [partner], "comment": ""}, 0)
        for target in targets(ex.questionnaire, mine, 1):
            value = own if target.perspective == "self" else theirs
            answers = {i.id: value for i in ex.questionnaire.items if not i.reverse}
            answers |= {i.id: 7 - value for i in ex.questionnaire.items if i.reverse}
            mine.save("answers", answers_record(1, target), answers, 0)
        submit(mine)
        members.append(member)
    return {
        "store": store,
        "workbook": workbook,
        "team": team,
        "facilitator": facilitator,
        "ex": ex,
        "members": members,
    }


def identities(audit: dict[str, Any]) -> list[str]:
    return (
        [m.id for m in audit["members"]]
        + [m.token for m in audit["members"]]
        + ["Anonymous member"]
    )


def facilitator_page(audit: dict[str, Any]) -> str:
    """The facilitator's results page, its downloads made (as pressing the button does)."""
    page = exercise_page(audit["facilitator"], "trust-audit")
    press(page, "Prepare the downloads")
    return text(page)


def test_while_a_round_is_open_the_facilitator_sees_counts_only(audit: dict[str, Any]) -> None:
    shown = facilitator_page(audit)
    assert "Round 1 is open: collecting answers" in shown
    assert "<th>Submitted</th><td>5</td>" in shown
    assert "Results are shown once you close the round" in shown
    assert "Self-view and partners" not in shown  # no figures yet
    files = everything_in(downloads(shown))
    for secret in identities(audit):
        assert secret not in shown and secret not in files


def test_after_closing_small_groups_are_withheld_everywhere(audit: dict[str, Any]) -> None:
    store, ex = audit["store"], audit["ex"]
    close_round(Responses(store, audit["workbook"], ex))
    shown = facilitator_page(audit)
    assert "Round 1 is closed" in shown
    # The Council rates itself (3 people) at 6, 6, 5 and is rated by the NHS (2 people).
    assert "Self-view from fewer than 3 people withheld" in shown  # the NHS's own view
    assert "Partners' view from fewer than 3 people withheld" in shown
    files = downloads(shown)
    assert any(name.endswith(".xlsx") for name in files)
    everything = everything_in(files)
    for secret in identities(audit):
        assert secret not in shown and secret not in everything

    (gaps,) = [
        payload
        for name, payload in files.items()
        if name.endswith("self-view-and-partners-view.csv")
    ]
    rows = {
        (r["Organisation"], r["Dimension"]): r
        for r in csv.DictReader(io.StringIO(gaps.decode("utf-8-sig")))
    }
    council, nhs = rows[("Council", "Honesty")], rows[("NHS", "Honesty")]
    assert council["Self-view people"] == "3" and council["Self-view mean"] == "5.67"
    assert council["Partners' people"] == "" and council["Partners' mean"] == ""
    assert council["Gap (self − partners)"] == ""
    assert nhs["Self-view people"] == "" and nhs["Self-view mean"] == ""  # 2 NHS people
    assert nhs["Partners' people"] == "3" and nhs["Partners' mean"] == "2.33"
    # Three partners' SD, lowest and highest (2, 3, 2) would be their answers: spread needs 5.
    assert nhs["Partners' SD"] == nhs["Partners' lowest"] == nhs["Partners' highest"] == ""
    assert "partners' spread from fewer than 5 people withheld" in nhs["Note"]
    (disagree,) = [p for n, p in files.items() if n.endswith("where-partners-disagree-most.csv")]
    assert list(csv.DictReader(io.StringIO(disagree.decode("utf-8-sig")))) == []

    (by_rater,) = [
        payload for name, payload in files.items() if name.endswith("by-rater-organisation.csv")
    ]
    for row in csv.DictReader(io.StringIO(by_rater.decode("utf-8-sig"))):
        if row["Rated by people from"] == "NHS":
            assert row["Mean"] == "" and row["Note"].startswith("Withheld")


def test_the_completion_table_names_no_one(audit: dict[str, Any]) -> None:
    from placekit.web.results import completion

    table = completion(Responses(audit["store"], audit["workbook"], audit["ex"]))
    assert list(table.columns) == ["Step", "People completed", "In progress"]
    assert "Member" not in table.columns


def test_analysts_get_figures_not_rows(audit: dict[str, Any], tmp_path: Path) -> None:
    wb = placekit.open(audit["facilitator"])
    with pytest.raises(PermissionError, match="anonymous"):
        wb.frame("trust-audit")
    with pytest.raises(PermissionError, match="anonymous"):
        wb.frames("trust-audit")
    close_round(Responses(audit["store"], audit["workbook"], audit["ex"]))
    tables = wb.summary("trust-audit").tables
    assert "Self-view and partners' view" in tables
    out = tmp_path / "audit.csv"
    code = cli.main(
        ["export", audit["facilitator"], "trust-audit", "--format", "csv", "-o", str(out)]
    )
    assert code == 0
    exported = "\n".join(p.read_text(encoding="utf-8-sig") for p in tmp_path.glob("audit-*.csv"))
    assert "Self-view from fewer than 3 people withheld" in exported
    for secret in identities(audit):
        assert secret not in exported


def test_a_respondent_sees_only_their_own_answers(audit: dict[str, Any]) -> None:
    first, second = audit["members"][0], audit["members"][3]
    page = exercise_page(audit["team"], "trust-audit")
    page.load({"code": audit["team"], "exercise": "trust-audit", "me": second.token})
    (wizard,) = _find(page, "Wizard")
    assert wizard.page.id == "r1/start"  # never opened before: starts at the beginning
    wizard.goto("r1/done")
    shown = text(page)
    assert "Your results" in shown and "Your own scores" in shown
    assert "NHS" in shown  # their own organisation
    # Their own scores (1 about the NHS, 6 about the Council), not the first respondent's.
    assert "<td>1.0</td>" in shown and "<td>6.0</td>" in shown and "<td>2.0</td>" not in shown
    # Before the round closes, no group figures for anyone.
    assert "once the round has closed" in shown
    # The facilitator's code with a respondent's token shows the facilitator page only.
    page = exercise_page(audit["facilitator"], "trust-audit")
    page.load({"code": audit["facilitator"], "exercise": "trust-audit", "me": first.token})
    assert "Your own scores" not in text(page)


def test_an_anonymous_questionnaire_asks_no_name(audit: dict[str, Any]) -> None:
    shown = text(exercise_page(audit["team"], "trust-audit"))
    assert "you are not asked for your name" in shown
    assert "Your name, as your team will see it" not in shown


def test_a_closed_round_takes_no_more_answers_and_the_next_starts_afresh(
    audit: dict[str, Any],
) -> None:
    store, ex, workbook = audit["store"], audit["ex"], audit["workbook"]
    late = join(store, resolve(store, audit["team"]), "", anonymous=True)
    close_round(Responses(store, workbook, ex))
    pages = ex.pages(Responses.for_member(store, workbook, ex, late))
    assert "Round 1 has closed" in (
        pages[0].locked(Responses.for_member(store, workbook, ex, late))
    )
    open_next_round(Responses(store, workbook, ex))
    mine = Responses.for_member(store, workbook, ex, audit["members"][0])
    assert [p.id for p in ex.pages(mine)][0] == "r2/start"
    assert ex.pages(mine)[0].locked(mine) is None
    # Round 1's results stay available while round 2 collects answers.
    summary = ex.summarise(Responses(store, workbook, ex))
    assert "Self-view and partners' view (round 1)" in summary.tables
    assert "Round 2 is collecting answers" in summary.notes[0]


def test_concurrent_submissions_each_count_once(audit: dict[str, Any]) -> None:
    """Twenty respondents save and submit at once, each from a thread of their own on the
    same SQLite file (and each clicks Confirm twice): every one counts, once."""
    store, ex, workbook = audit["store"], audit["ex"], audit["workbook"]
    access = resolve(store, audit["team"])
    members = [join(store, access, "", anonymous=True) for _ in range(20)]
    start = threading.Barrier(len(members))
    failures: list[BaseException] = []

    def respond(number: int, member: Member) -> None:
        try:
            mine = Responses.for_member(Store(), workbook, ex, member)
            start.wait()
            mine.save("profile", "r1", {"org": "NHS", "partners": []}, 0)
            answers = {i.id: 1 + number % 6 for i in ex.questionnaire.items}
            (target,) = targets(ex.questionnaire, mine, 1)
            mine.save("answers", answers_record(1, target), answers, 0)
            submit(mine)
            submit(mine)
        except BaseException as exc:  # reported below, with the thread's number
            failures.append(exc)

    threads = [threading.Thread(target=respond, args=(n, m)) for n, m in enumerate(members)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert failures == []
    close_round(Responses(store, workbook, ex))
    table = ex.summarise(Responses(store, workbook, ex)).tables["Self-view and partners' view"]
    nhs = table[(table["Organisation"] == "NHS") & (table["Dimension"] == "Reliability")]
    assert int(nhs["Self-view people"].iloc[0]) == 22  # the 2 from the fixture and 20 more
    # Each of the twenty answered v to every statement, so REL3 (reverse-scored) scores
    # 7 - v; the fixture's two NHS respondents score 1 and 2. Shown to two decimals.
    values = [1 + n % 6 for n in range(20)]
    expected = (1 + 2 + sum((v + v + (7 - v)) / 3 for v in values)) / 22
    assert float(nhs["Self-view mean"].iloc[0]) == pytest.approx(expected, abs=0.005)
    for m in members:
        key = respondent_key(m.token, workbook, "trust-audit")
        history = store.history(workbook, "trust-audit", f"submission/{key}/r1", anonymous=True)
        assert len(history) == 1


# -- a questionnaire added by a plugin -------------------------------------------------------

PULSE = """
id = "pulse-check"
title = "Pulse check for tests"
summary = "Two statements, added by a test plugin."
[scale]
low = 1
high = 5
[[dimensions]]
id = "energy"
title = "Energy"
  [[dimensions.items]]
  id = "E1"
  text = "I had energy for the work."
"""


class PulsePlugin:
    def __init__(self, path: Path) -> None:
        self.path = path

    @hookimpl
    def register_questionnaires(self, register: Any) -> None:
        register(self.path)


@pytest.fixture
def pulse_plugin(tmp_path: Path) -> Iterator[None]:
    path = tmp_path / "pulse.toml"
    path.write_text(textwrap.dedent(PULSE), encoding="utf-8")
    pm = get_plugin_manager()
    pm.register(PulsePlugin(path), name="test-pulse")
    reset_registry()
    yield
    pm.unregister(name="test-pulse")
    reset_registry()


def test_a_plugin_questionnaire_appears_in_the_index_with_no_notebook(
    pulse_plugin: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    notebooks = sorted(p.name for p in (Path(placekit.__file__).parents[1] / "workbooks").iterdir())
    monkeypatch.setenv("PLACEKIT_DB", str(tmp_path / "pk.db"))
    assert "Pulse check for tests" in text(index_page(""))
    store = Store()
    _wb, team, facilitator = create_workbook(store, "Pulse place")
    assert "Pulse check for tests" in text(index_page(facilitator))
    page = exercise_page(team, "pulse-check")
    assert "you are not asked for your name" in text(page)
    start = [b for b in _buttons(page) if b.description == "Start"][0]
    start.click()
    shown = text(page)
    assert "Pulse check for tests" in shown and "Before you start" in shown
    # The notebooks folder is exactly as it was: nothing was written for the new exercise.
    assert sorted(p.name for p in (Path(placekit.__file__).parents[1] / "workbooks").iterdir()) == (
        notebooks
    )


def _find(widget: Any, kind: str) -> list[Any]:
    found = [widget] if widget.__class__.__name__ == kind else []
    for child in getattr(widget, "children", ()):
        found += _find(child, kind)
    return found


def _buttons(widget: Any) -> list[Any]:
    return _find(widget, "Button")
