"""Retention: PlaceKit deletes a workbook once it has been closed for longer than its
retention period, and only then; at the server's start, daily while it serves (the pages'
kernels), and by hand (``placekit retention [--dry-run]``); and says that it did."""

from __future__ import annotations

import datetime as dt
import os
import socket
import threading
from pathlib import Path

import pytest

from placekit import cli
from placekit.data import activity, lifecycle, privacy, retention
from placekit.data.access import create_workbook
from placekit.data.store import Store
from placekit.data.store import workbooks as workbooks_table
from placekit.data.upgrade import open_store
from placekit.plugins import installed_exercises
from placekit.testing import html_of
from placekit.web.pages import index_page
from tests.data_life import everything, make_team

# The fixture's workbooks are placed around the real time now, as the command line and the
# pages, which take no time from a test, see it.
NOW = dt.datetime.now(dt.UTC)


def _months(n: int, moment: dt.datetime = NOW) -> dt.datetime:
    return privacy.add_months(moment, n)


def _closed(store: Store, workbook: str, on: dt.datetime) -> None:
    """Close a workbook as if on ``on``."""
    store.close_workbook(workbook)
    with store.engine.begin() as conn:
        conn.execute(
            workbooks_table.update().where(workbooks_table.c.id == workbook).values(closed_at=on)
        )


@pytest.fixture
def workbooks(database: str, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """Five workbooks, two of them due for deletion now."""
    monkeypatch.setenv("PLACEKIT_DB", database)
    store = open_store(database, installed_exercises)
    found = {}
    # Closed 13 months ago and kept 12: due. Closed 11 months ago: due in a month.
    for name, months, closed in [
        ("due", 12, _months(-13)),
        ("not yet", 12, _months(-11)),
        ("kept by hand", None, _months(-200)),
        ("open", 1, None),
        ("due today", 1, _months(-1) - dt.timedelta(hours=1)),
    ]:
        workbook, _t, _f = create_workbook(store, f"Workbook {name}", months)
        if closed:
            _closed(store, workbook, closed)
        found[name] = workbook
    return found


def test_retention_deletes_only_what_is_due(workbooks: dict[str, str]) -> None:
    store = Store()
    assert [d.title for d in retention.due(store, NOW)] == ["Workbook due", "Workbook due today"]
    dry = retention.enforce(store, dry_run=True, now=NOW)
    assert [d.title for d in dry] == ["Workbook due", "Workbook due today"]
    assert len(store.workbooks()) == 5  # a dry run deletes nothing
    done = retention.enforce(store, now=NOW)
    assert [d.id for d in done] == [workbooks["due"], workbooks["due today"]]
    left = {w["title"] for w in store.workbooks()}
    assert left == {"Workbook not yet", "Workbook kept by hand", "Workbook open"}
    # And says so, in the server's record: by PlaceKit, and why.
    lines = activity.events(store, None)
    assert [(e.actor, e.action) for e in lines] == [(privacy.PLACEKIT, "deleted")] * 2
    assert "retention period ran out (12 months after closing)" in lines[1].what
    assert retention.enforce(store, now=NOW) == []


def test_the_state_says_when_a_workbook_will_be_deleted(workbooks: dict[str, str]) -> None:
    store = Store()
    states = {w["title"]: lifecycle.state(w, NOW) for w in store.workbooks()}
    assert states["Workbook due"].name == "due for deletion"
    assert (
        states["Workbook not yet"].describe().endswith(f"will delete it on {_months(1):%-d %B %Y}.")
    )
    assert states["Workbook kept by hand"].describe().endswith("Kept until someone deletes it.")
    assert states["Workbook open"].name == "open"


def test_a_month_after_the_31st_is_the_months_last_day() -> None:
    closed = dt.datetime(2027, 1, 31, 9, 0, tzinfo=dt.UTC)
    assert privacy.deletion_due(closed, 1) == dt.datetime(2027, 2, 28, 9, 0, tzinfo=dt.UTC)
    assert privacy.deletion_due(closed, 13) == dt.datetime(2028, 2, 29, 9, 0, tzinfo=dt.UTC)
    assert privacy.deletion_due(None, 12) is None and privacy.deletion_due(closed, None) is None


def test_the_daily_check_runs_once_a_day(workbooks: dict[str, str]) -> None:
    store = Store()
    assert [d.title for d in retention.daily(store, NOW)] == ["Workbook due", "Workbook due today"]
    # "not yet" falls due in a month; an hour after, nothing runs, as the day's check is done.
    later = _months(1) + dt.timedelta(hours=1)
    store.set_setting(retention.CHECKED, (later - dt.timedelta(hours=1)).isoformat())
    assert retention.daily(store, later) == []
    assert len(store.workbooks()) == 3
    assert [d.title for d in retention.daily(store, later + dt.timedelta(days=1))] == [
        "Workbook not yet"
    ]


def test_of_kernels_racing_for_the_daily_check_one_runs_it(workbooks: dict[str, str]) -> None:
    store = Store()
    results: list[list[retention.Due]] = []
    start = threading.Barrier(6)

    def page() -> None:
        start.wait()
        results.append(retention.daily(store, NOW))

    threads = [threading.Thread(target=page) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(len(r) for r in results) == [0, 0, 0, 0, 0, 2]
    server = activity.events(store, None)
    assert len([e for e in server if e.action == "deleted"]) == 2  # deleted once each


def test_every_page_runs_the_daily_check(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    team = make_team(str(tmp_path / "pk.db"), monkeypatch)
    lifecycle.set_retention(team.store, team.workbook, 1, privacy.FACILITATOR)
    _closed(team.store, team.workbook, dt.datetime(2020, 1, 1, tzinfo=dt.UTC))
    # A workbook closed years ago but not yet deleted (the server was stopped): the first
    # page opened deletes it, and its link is no longer valid.
    assert "This link is not valid" in html_of(index_page(team.facilitator))
    assert team.store.workbook(team.workbook) is None
    assert "ANN-NEW-REFLECTION" not in everything(team.store)


def test_retention_on_the_command_line(
    workbooks: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main(["retention", "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "Would delete “Workbook due”" in out and "not yet" not in out
    assert len(Store().workbooks()) == 5
    assert cli.main(["retention"]) == 0
    assert "Deleted “Workbook due”" in capsys.readouterr().out
    assert cli.main(["retention"]) == 0
    assert "No workbook is due for deletion." in capsys.readouterr().out


def test_the_server_enforces_retention_before_it_starts(
    workbooks: dict[str, str], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    started: list[list[str]] = []
    monkeypatch.setenv("PLACEKIT_BASE_URL", "http://127.0.0.1:0")  # serve sets it, if unset

    def voila(path: str, command: list[str], env: dict[str, str]) -> None:
        started.append(command)
        raise SystemExit(0)  # instead of becoming Voila

    monkeypatch.setattr(os, "execve", voila)
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(SystemExit):
        cli.main(["serve", "--no-demo", "--port", str(port)])
    assert started
    out = capsys.readouterr().out
    assert "Deleted “Workbook due”: its retention period after closing had run out." in out
    titles = {w["title"] for w in Store().workbooks()}
    assert "Workbook due" not in titles and "Workbook not yet" in titles
    assert "State: closed on" in out  # the links it prints say each workbook's state
