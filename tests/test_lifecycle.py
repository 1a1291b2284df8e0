"""Closing a workbook (read-only from then on, results still readable) and deleting it
(nothing of it left in any table or in the database file), from the facilitator's page and
the command line; ``placekit list`` shows each workbook's state; a database made before
these columns is upgraded in place."""

from __future__ import annotations

import json
import logging
import sqlite3
import threading
import time
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

import placekit
from placekit import cli, clock
from placekit.data import lifecycle, privacy
from placekit.data.access import InvalidLink, create_workbook, join, resolve
from placekit.data.store import LegacyDatabase, ReadOnlyWorkbook, Store
from placekit.data.upgrade import open_store
from placekit.plugins import installed_exercises
from placekit.testing import html_of, press
from placekit.web.pages import ReadOnlyWizard, Wizard, exercise_page, index_page
from placekit.web.results import READING_BUTTONS
from placekit.widgets.html import OOPS
from tests.data_life import NAMES, Team, dump, everything, file_bytes, find, make_team, markers


@pytest.fixture
def team(database: str, monkeypatch: pytest.MonkeyPatch) -> Team:
    return make_team(database, monkeypatch)


# -- closing ---------------------------------------------------------------------------------


def test_a_closed_workbook_takes_no_saves_and_its_results_are_still_read(team: Team) -> None:
    before = placekit.open(team.facilitator, db=team.db).tables("triage")
    lifecycle.close(team.store, team.workbook, privacy.FACILITATOR)
    ben = team.responses("triage", "Ben")
    with pytest.raises(ReadOnlyWorkbook, match="closed"):
        ben.save("issue", "late", {"title": "Too late"}, 0)
    with pytest.raises(ReadOnlyWorkbook):
        team.responses("trust-audit", "Ben").save("profile", "r2", {"org": "NHS"}, 0)
    with pytest.raises(ReadOnlyWorkbook):
        team.responses("demand", "Ben").put_dataset("x", b"late", rows=1, base_version=0)
    with pytest.raises(ReadOnlyWorkbook, match="no new members"):
        join(team.store, resolve(team.store, team.team), "Newcomer")
    after = placekit.open(team.facilitator, db=team.db).tables("triage")
    assert {n: t.to_csv() for n, t in after.items()} == {n: t.to_csv() for n, t in before.items()}
    assert "ANN-ONLY-ISSUE" in json.dumps(ben.records("issue"))  # still read
    # Closing twice changes nothing: the first time stands.
    first = team.store.workbook(team.workbook)["closed_at"]  # type: ignore[index]
    assert lifecycle.close(team.store, team.workbook, privacy.FACILITATOR) == first


def test_every_page_of_a_closed_workbook_is_read_only(team: Team) -> None:
    lifecycle.close(team.store, team.workbook, privacy.FACILITATOR)
    ann = team.members["Ann"]
    page = exercise_page()
    page.load({"code": team.team, "exercise": "triage", "me": ann.token})
    (wizard,) = find(page, "ReadOnlyWizard")
    assert isinstance(wizard, ReadOnlyWizard)
    seen, checked = set(), 0
    kinds = ("Text", "Textarea", "RadioButtons", "Checkbox", "Dropdown", "Button")
    for _ in range(len(wizard.pages)):
        seen.add(wizard.page.id)
        inputs = [x for kind in kinds for x in find(wizard.body, kind)]
        assert all(x.disabled for x in inputs), wizard.page.id
        checked += len(inputs)
        assert "This workbook was closed on" in html_of(wizard)
        if wizard.next.disabled:
            break
        wizard.next.click()
    assert checked > 5  # the pages had inputs and buttons, and every one was disabled
    assert len(seen) > 3  # Continue moves through the pages without saving anything
    versions = dump(team.store)["entries"]
    page = exercise_page()
    page.load({"code": team.team, "exercise": "triage", "me": ann.token})
    assert dump(team.store)["entries"] == versions  # not even the member's place
    # The index: the notice, and no one new can join.
    page = index_page()
    page.load({"code": team.team, "me": ann.token})
    assert "This workbook was closed on" in html_of(page)
    newcomer = index_page(team.team)
    assert "This workbook is closed" in html_of(newcomer) and not find(newcomer, "Text")
    # The facilitator's results: readable, every button but the reading ones disabled.
    results = exercise_page(team.facilitator, "trust-audit")
    shown = html_of(results)
    assert "This workbook was closed on" in shown and "team results" in shown
    buttons = find(results, "Button")
    assert buttons and all(b.disabled for b in buttons if b.description not in READING_BUTTONS)
    (refresh,) = [b for b in buttons if b.description == "Refresh results"]
    assert not refresh.disabled
    refresh.click()  # redrawn, and still read-only
    buttons = find(results, "Button")
    assert all(b.disabled for b in buttons if b.description not in READING_BUTTONS)
    # Its results can still be downloaded.
    press(results, "Prepare the downloads")
    assert 'download="' in html_of(results) and "All results (Excel)" in html_of(results)


def _open_issues_page(team: Team) -> Wizard:
    page = exercise_page()
    page.load({"code": team.team, "exercise": "triage", "me": team.members["Ann"].token})
    (wizard,) = find(page, "Wizard")
    assert wizard.page.id == "issues" and not wizard.read_only
    return wizard


def _inputs(wizard: Wizard) -> list[Any]:
    kinds = ("Text", "Textarea", "RadioButtons", "Checkbox", "Dropdown", "Button")
    return [x for kind in kinds for x in find(wizard.body, kind)]


@pytest.mark.parametrize("how", ["typing", "a button"])
def test_a_page_open_when_the_workbook_closes_says_so_and_turns_read_only(
    team: Team, how: str
) -> None:
    wizard = _open_issues_page(team)
    before = dump(team.store)["entries"]
    closed_at = lifecycle.close(team.store, team.workbook, privacy.FACILITATOR)
    if how == "typing":
        (first, *_rest) = find(wizard.body, "Text")
        assert first.value == "ANN-ONLY-ISSUE"
        first.value = "ANN-TOO-LATE"
        # Typing is saved after a pause when an event loop runs (a page's, or one left by the
        # browser tests in this process); the pause's callback is guarded, as here.
        wizard.guard(wizard.context.flush)()
    else:
        press(wizard, "Add an issue")
    shown = html_of(wizard)
    day = f"{clock.local(closed_at):%-d %B %Y}"
    assert f"This workbook was closed on {day}.</strong> Your answers up to then are kept" in shown
    assert "nothing more can be saved" in shown and OOPS not in shown
    assert "Not saved: the workbook is closed" in shown
    inputs = _inputs(wizard)
    assert inputs and all(x.disabled for x in inputs)
    # Nothing saved is lost, and nothing more is saved, not even the member's place.
    assert dump(team.store)["entries"] == before
    assert "ANN-ONLY-ISSUE" in everything(team.store)
    assert "ANN-TOO-LATE" not in everything(team.store)
    # Continue still moves through the pages, read-only, as in a closed workbook.
    assert not wizard.next.disabled
    wizard.next.click()
    assert wizard.page.id != "issues" and "This workbook was closed on" in html_of(wizard)
    assert all(x.disabled for x in _inputs(wizard))
    assert dump(team.store)["entries"] == before


def test_a_page_open_when_the_workbook_is_deleted_says_so(team: Team) -> None:
    wizard = _open_issues_page(team)
    lifecycle.delete(team.store, team.workbook, privacy.FACILITATOR)
    press(wizard, "Add an issue")
    assert "This workbook has been deleted." in html_of(wizard)
    assert all(x.disabled for x in _inputs(wizard))


def test_the_facilitator_closes_the_workbook_from_their_page(team: Team) -> None:
    page = index_page(team.facilitator)
    shown = html_of(page)
    assert "Open. Once closed, it will be deleted 12 months after it is closed." in shown
    press(page, "Close the workbook")
    assert "cannot be reopened" in html_of(page)
    press(page, "Close it for good")
    shown = html_of(page)
    assert "This workbook was closed on" in shown and "PlaceKit will delete it on" in shown
    assert not [b for b in find(page, "Button") if b.description == "Close the workbook"]
    assert team.store.workbook(team.workbook)["closed_at"] is not None  # type: ignore[index]


def test_the_facilitator_changes_how_long_it_is_kept(team: Team) -> None:
    page = index_page(team.facilitator)
    (keep,) = [d for d in find(page, "Dropdown") if d.description.startswith("How long")]
    keep.value = 24
    press(page, "Save how long it is kept")
    assert "it will be deleted 24 months after it is closed" in html_of(page)
    assert team.store.workbook(team.workbook)["retention_months"] == 24  # type: ignore[index]
    keep.value = None
    press(page, "Save how long it is kept")
    assert team.store.workbook(team.workbook)["retention_months"] is None  # type: ignore[index]


# -- deleting --------------------------------------------------------------------------------


def test_deleting_leaves_nothing_of_the_workbook_in_any_table(team: Team) -> None:
    other, other_team, _f = create_workbook(team.store, "Another team")
    join(team.store, resolve(team.store, other_team), "Dee Other")
    before = dump(team.store)
    deleted = lifecycle.delete(team.store, team.workbook, privacy.FACILITATOR)
    assert deleted["respondents"] == 3 and deleted["workbooks"] == 1
    assert deleted["entries"] > 10 and deleted["anonymous_entries"] == 12
    assert deleted["datasets"] == 1
    stored = everything(team.store)
    gone = [team.workbook, team.team, team.facilitator, "ANN-SHARED-TITLE", "BEN-SHARED-DESC"]
    gone += [b"ANN-DATASET-ROWS".hex()]
    for name in NAMES:
        gone += markers(name) + team.identities(name)
    for value in gone:
        assert value not in stored, value
    # The title stays in one line only: the server's record that the workbook was deleted.
    after = dump(team.store)
    lines = [r for r in after["activity"] if team.title in json.dumps(r, ensure_ascii=False)]
    assert [(r["workbook_id"], r["action"], r["actor"]) for r in lines] == [
        (None, "deleted", privacy.FACILITATOR)
    ]
    # The other workbook is untouched.
    for table in ("entries", "respondents", "workbooks"):
        assert [r for r in after[table] if other in json.dumps(r)] == [
            r for r in before[table] if other in json.dumps(r)
        ]
    for code in (team.team, team.facilitator):
        with pytest.raises(InvalidLink):
            resolve(team.store, code)
        assert "This link is not valid" in html_of(index_page(code))


def test_deleting_leaves_nothing_of_it_in_the_sqlite_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    team = make_team(str(tmp_path / "placekit.db"), monkeypatch)
    lifecycle.delete(team.store, team.workbook, privacy.COMMAND_LINE)
    raw = file_bytes(team.db)
    gone = [team.workbook, team.team, team.facilitator, "ANN-SHARED-TITLE", "ANN-DATASET-ROWS"]
    for name in NAMES:
        gone += markers(name) + team.identities(name)
    for value in gone:
        assert value.encode() not in raw, value
    with sqlite3.connect(team.db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)


def test_the_facilitator_deletes_the_workbook_from_their_page(team: Team) -> None:
    page = index_page(team.facilitator)
    press(page, "Delete the workbook")
    assert "It cannot be undone" in html_of(page)
    press(page, "Cancel")
    assert team.store.workbook(team.workbook) is not None
    press(page, "Delete the workbook")
    press(page, "Delete everything now")
    assert "The workbook has been deleted" in html_of(page)
    assert team.store.workbook(team.workbook) is None
    assert "ANN-NEW-REFLECTION" not in everything(team.store)


def test_a_page_left_open_on_a_deleted_workbook_saves_nothing(team: Team) -> None:
    ben = team.responses("triage", "Ben")
    lifecycle.delete(team.store, team.workbook, privacy.FACILITATOR)
    with pytest.raises(ReadOnlyWorkbook, match="deleted"):
        ben.save("issue", "ghost", {"title": "Ghost"}, 0)
    assert "Ghost" not in everything(team.store)


# -- the command line ------------------------------------------------------------------------


def test_close_delete_and_list_on_the_command_line(
    team: Team, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main(["list"]) == 0
    out = capsys.readouterr().out
    assert "State: open; once closed, it will be deleted 12 months after it is closed" in out
    assert cli.main(["close", team.team]) == 1  # the team code cannot close it
    assert "not a workbook's facilitator code" in capsys.readouterr().err
    assert cli.main(["close", team.facilitator]) == 0
    assert "Closed on" in capsys.readouterr().out
    assert cli.main(["list"]) == 0
    assert "State: closed on" in capsys.readouterr().out
    # Due for deletion: closed longer ago than it is kept.
    with team.store.engine.begin() as conn:
        conn.execute(
            sa.text("UPDATE workbooks SET retention_months = 1, closed_at = :t WHERE id = :i"),
            {"t": "2020-01-01 00:00:00", "i": team.workbook},
        )
    assert cli.main(["list"]) == 0
    assert "State: due for deletion since" in capsys.readouterr().out
    assert cli.main(["delete", team.facilitator]) == 1  # asks for --yes first
    assert "cannot be undone" in capsys.readouterr().err
    assert team.store.workbook(team.workbook) is not None
    assert cli.main(["delete", team.facilitator, "--yes"]) == 0
    assert "3 members" in capsys.readouterr().out
    assert team.store.workbook(team.workbook) is None


def test_new_takes_a_retention_period(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("PLACEKIT_DB", str(tmp_path / "pk.db"))
    assert cli.main(["new", "Kept a while", "--keep", "6"]) == 0
    assert "deleted 6 months after it is closed" in capsys.readouterr().out
    assert cli.main(["new", "Kept", "--keep", "0"]) == 0
    assert "kept until someone deletes it" in capsys.readouterr().out
    assert cli.main(["new", "Too long", "--keep", "500"]) == 1
    assert "1 to 120 months" in capsys.readouterr().err
    months = {w["title"]: w["retention_months"] for w in Store().workbooks()}
    assert months == {"Kept a while": 6, "Kept": None}


# -- a database made before these columns ----------------------------------------------------

PREVIOUS_WORKBOOKS = """
PRAGMA foreign_keys=OFF;
DROP TABLE activity;
CREATE TABLE new_workbooks (
    id VARCHAR(36) NOT NULL PRIMARY KEY, title VARCHAR(200) NOT NULL,
    team_code VARCHAR(64) NOT NULL UNIQUE, facilitator_code VARCHAR(64) NOT NULL UNIQUE,
    created_at DATETIME NOT NULL, min_group INTEGER DEFAULT '3' NOT NULL);
INSERT INTO new_workbooks
    SELECT id, title, team_code, facilitator_code, created_at, min_group FROM workbooks;
DROP TABLE workbooks;
ALTER TABLE new_workbooks RENAME TO workbooks;
"""


def _previous_release(database: str) -> tuple[str, str]:
    """A database as the release before closing and retention made it: the same tables,
    ``workbooks`` without its two new columns, no activity table; one workbook, one member."""
    store = Store(database)
    workbook, team, _f = create_workbook(store, "Made before")
    join(store, resolve(store, team), "Early Member")
    if store.engine.dialect.name == "postgresql":
        with store.engine.begin() as conn:
            conn.exec_driver_sql("DROP TABLE activity")
            for column in ("closed_at", "retention_months"):
                conn.exec_driver_sql(f"ALTER TABLE workbooks DROP COLUMN {column}")
        store.dispose()
    else:
        store.dispose()
        # SQLite drops a column only by making the table again, with foreign keys off
        # (which a transaction cannot do): the driver's own connection.
        with sqlite3.connect(database) as raw:
            raw.executescript(PREVIOUS_WORKBOOKS)
        raw.close()
    return workbook, team


def test_a_database_made_before_closing_and_retention_is_upgraded_in_place(
    database: str, caplog: pytest.LogCaptureFixture
) -> None:
    workbook, team = _previous_release(database)
    with pytest.raises(LegacyDatabase, match="upgraded"):
        Store(database)
    with caplog.at_level(logging.WARNING, logger="placekit"):
        store = open_store(database, installed_exercises)
    assert "added closed_at, retention_months" in caplog.text
    columns = {c["name"] for c in sa.inspect(store.engine).get_columns("workbooks")}
    assert {"closed_at", "retention_months"} <= columns
    assert "activity" in sa.inspect(store.engine).get_table_names()
    row = store.workbook(workbook)
    assert row is not None and row["closed_at"] is None and row["retention_months"] is None
    assert lifecycle.state(row).name == "open"
    assert [m["display_name"] for m in store.respondents(workbook)] == ["Early Member"]
    # It works as any other: closed, and the records of it are kept.
    lifecycle.close(store, workbook, privacy.COMMAND_LINE)
    assert (
        lifecycle.state(store.workbook(workbook))
        .describe()
        .endswith(  # type: ignore[arg-type]
            "Kept until someone deletes it."
        )
    )
    caplog.clear()
    store.dispose()
    with caplog.at_level(logging.WARNING, logger="placekit"):
        open_store(database, installed_exercises)
    assert "Upgraded" not in caplog.text
    assert resolve(open_store(database, installed_exercises), team).closed


def test_deleting_while_members_save_leaves_nothing_and_refuses_their_later_saves(
    team: Team,
) -> None:
    refused: list[str] = []
    started = threading.Barrier(6)

    def member(i: int) -> None:
        started.wait()
        # Saving until refused (a fixed number of saves could all be done before the delete).
        deadline, n = time.monotonic() + 60, 0
        while time.monotonic() < deadline:
            n += 1
            try:
                team.store.put(
                    team.workbook, "triage", f"issue/race-{i}-{n}", {"n": n}, base_version=0
                )
            except ReadOnlyWorkbook as problem:
                refused.append(str(problem))
                return

    threads = [threading.Thread(target=member, args=(i,)) for i in range(5)]
    for t in threads:
        t.start()
    started.wait()
    time.sleep(0.2)
    lifecycle.delete(team.store, team.workbook, privacy.FACILITATOR)
    for t in threads:
        t.join(timeout=60)
    assert len(refused) == 5 and all("deleted" in r for r in refused)
    assert team.workbook not in everything(team.store)
