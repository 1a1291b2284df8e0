"""Backups: ``placekit backup FILE`` takes a consistent copy while ten writers save, from
SQLite or PostgreSQL; ``placekit restore FILE`` brings it back into an empty SQLite file
and an empty PostgreSQL database, every record as it was."""

from __future__ import annotations

import itertools
import os
import shutil
import sqlite3
import stat
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

import placekit.data.store
from placekit import cli
from placekit.data import activity, backup
from placekit.data.access import create_workbook, join, resolve
from placekit.data.store import Store
from placekit.data.upgrade import open_store
from placekit.plugins import installed_exercises
from tests.data_life import dump, make_team

WRITERS = 10
LEGACY = Path(__file__).parent / "data" / "legacy-release.sqlite"
_numbers = itertools.count(1)


@pytest.fixture
def new_postgres(postgres_server: Any) -> Iterator[Callable[[], str]]:
    """Make empty PostgreSQL databases on the test server, dropped after the test."""
    made: list[tuple[str, str]] = []

    def make() -> str:
        name = f"placekit_restore_{os.getpid()}_{next(_numbers)}"
        with postgres_server.admin() as admin:
            admin.execute(f'CREATE DATABASE "{name}"')
        made.append((name, postgres_server.url(name)))
        return made[-1][1]

    yield make
    for name, url in made:
        engine = placekit.data.store._engines.pop(url, None)
        if engine is not None:
            engine.dispose()
        with postgres_server.admin() as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def comparable(rows: dict[str, list[dict[str, Any]]]) -> dict[str, list[dict[str, Any]]]:
    """Every table as it is, but the activity record's lines about backing up and restoring
    (written after the copy was taken, or by the restore itself)."""
    found = dict(rows)
    found["activity"] = [r for r in rows["activity"] if r["action"] not in ("backup", "restored")]
    found.pop("settings")
    return found


def restore_into(tmp_path: Path, file: Path, target: str) -> dict[str, list[dict[str, Any]]]:
    store = open_store(target, installed_exercises)
    backup.restore(store, file, installed_exercises)
    return dump(store)


class Writers:
    """Ten members saving at once: each saves pairs of records in one transaction (so a
    copy that caught one without the other would show), edits one record again and again
    (so a copy missing a version would show), and answers anonymously."""

    def __init__(self, store: Store, workbook: str) -> None:
        self.store, self.workbook = store, workbook
        self.stop = threading.Event()
        self.saved = [0] * WRITERS
        self.errors: list[BaseException] = []
        self.threads = [threading.Thread(target=self.write, args=(i,)) for i in range(WRITERS)]

    def write(self, i: int) -> None:
        n = 0
        try:
            while not self.stop.is_set() or n < 5:
                n += 1
                pair = [
                    (f"issue/w{i}-{n}-a", {"title": f"Writer {i} pair {n}", "n": n}, 0),
                    (f"issue/w{i}-{n}-b", {"title": f"Writer {i} pair {n}", "n": n}, 0),
                ]
                self.store.put_many(self.workbook, "triage", pair, author=None)
                self.store.put(self.workbook, "triage", f"issue/w{i}", {"n": n}, base_version=n - 1)
                self.store.put(
                    self.workbook,
                    "trust-audit",
                    f"answers/a{i:031x}/r1.t{n}",
                    {"BEN1": n % 6 + 1},
                    base_version=0,
                    anonymous=True,
                )
                self.saved[i] = n
        except BaseException as problem:  # shown by the test, not lost in the thread
            self.errors.append(problem)

    def __enter__(self) -> Writers:
        for t in self.threads:
            t.start()
        return self

    def __exit__(self, *_exc: Any) -> None:
        self.stop.set()
        for t in self.threads:
            t.join(timeout=120)
        assert not self.errors, self.errors


def check_consistent(rows: dict[str, list[dict[str, Any]]]) -> None:
    """A copy of one moment: every pair whole, every edited record with every version."""
    keys = {r["key"]: r for r in rows["entries"]}
    pairs = [k for k in keys if k.endswith("-a")]
    assert pairs
    for key in pairs:
        assert key[:-1] + "b" in keys, key
    for i in range(WRITERS):
        versions = sorted(r["version"] for r in rows["entries"] if r["key"] == f"issue/w{i}")
        assert versions == list(range(1, len(versions) + 1))


def test_a_backup_taken_while_ten_writers_save_restores_every_record(
    database: str, tmp_path: Path, new_postgres: Callable[[], str]
) -> None:
    store = open_store(database, installed_exercises)
    workbook, team, _f = create_workbook(store, "Busy <team>")
    for name in ("Ann", "Ben"):
        join(store, resolve(store, team), name)
    files = []
    with Writers(store, workbook):
        for number in range(3):
            time.sleep(0.3)
            files.append(tmp_path / f"during-{number}.placekit")
            backup.backup(store, files[-1])
    # Taken while they saved: each a consistent moment, and a real, self-contained file.
    for file in files:
        with sqlite3.connect(file) as conn:
            assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
            assert conn.execute("PRAGMA journal_mode").fetchone() == ("delete",)
        check_consistent(dump(f"sqlite:///{file}"))
        assert stat.S_IMODE(file.stat().st_mode) == 0o600  # it holds names and answers
    sizes = [len(dump(f"sqlite:///{f}")["entries"]) for f in files]
    assert sizes == sorted(sizes) and 0 < sizes[0] < sizes[-1]  # taken as they saved
    # One taken mid-write, into an empty SQLite file and an empty PostgreSQL database.
    expected = comparable(dump(f"sqlite:///{files[1]}"))
    for target in (str(tmp_path / "restored-mid.db"), new_postgres()):
        assert comparable(restore_into(tmp_path, files[1], target)) == expected
    # Once they stop: the last backup and both restores hold every record the store does.
    final = tmp_path / "final.placekit"
    backup.backup(store, final)
    source = comparable(dump(store))
    assert len(source["entries"]) > 3 * WRITERS and source["anonymous_entries"]
    for target in (str(tmp_path / "restored.db"), new_postgres()):
        restored = restore_into(tmp_path, final, target)
        assert comparable(restored) == source
        # The restored store takes new saves: ids and versions carry on from the backup's.
        again = Store(target)
        again.put(workbook, "triage", "issue/after", {"title": "After"}, base_version=0)
        assert again.get(workbook, "triage", "issue/w0").version == sum(
            1 for r in source["entries"] if r["key"] == "issue/w0"
        )
        lines = activity.events(again, None)
        assert lines[0].action == "restored" and str(final) in lines[0].detail


def test_a_restored_workbook_opens_with_its_links_and_everything_in_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, new_postgres: Callable[[], str]
) -> None:
    team = make_team(str(tmp_path / "source.db"), monkeypatch)
    file = tmp_path / "team.placekit"
    backup.backup(team.store, file)
    target = new_postgres()
    restore_into(tmp_path, file, target)
    store = Store(target)
    for name, member in team.members.items():
        mine = team.responses("allies", name)
        again = type(mine).for_member(
            store, team.workbook, mine.exercise, member, exercises=mine.exercises
        )
        assert again.get("self_position", "me") == mine.get("self_position", "me")
        assert again.history("self_position", "me") == mine.history("self_position", "me")
    assert resolve(store, team.facilitator).role == "facilitator"


def test_restore_goes_into_an_empty_database_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    team = make_team(str(tmp_path / "source.db"), monkeypatch)
    file = tmp_path / "team.placekit"
    backup.backup(team.store, file)
    with pytest.raises(backup.BackupError, match="already exists"):
        backup.backup(team.store, file)  # no backup is overwritten
    with pytest.raises(backup.BackupError, match="already holds workbooks"):
        backup.restore(team.store, file, installed_exercises)
    not_a_backup = tmp_path / "notes.txt"
    not_a_backup.write_text("hello")
    empty = open_store(str(tmp_path / "empty.db"), installed_exercises)
    with pytest.raises(backup.BackupError, match="not a PlaceKit backup"):
        backup.restore(empty, not_a_backup, installed_exercises)
    with pytest.raises(backup.BackupError, match="no file"):
        backup.restore(empty, tmp_path / "missing.placekit", installed_exercises)
    assert empty.is_empty()


def test_a_backup_made_by_an_earlier_release_is_upgraded_on_the_way_in(
    tmp_path: Path,
) -> None:
    old = tmp_path / "old-backup.sqlite"
    shutil.copy(LEGACY, old)
    before = old.read_bytes()
    store = open_store(str(tmp_path / "new.db"), installed_exercises)
    counts = backup.restore(store, old, installed_exercises)
    assert counts["workbooks"] == 1 and counts["respondents"] == 4
    assert old.read_bytes() == before  # the backup itself is never changed
    assert all(r["token_hash"].startswith("sha256:") for r in dump(store)["respondents"])


def test_backup_and_restore_on_the_command_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    make_team(str(tmp_path / "source.db"), monkeypatch)
    file = tmp_path / "nightly.placekit"
    assert cli.main(["backup", str(file)]) == 0
    assert "1 workbooks" in capsys.readouterr().out
    assert cli.main(["backup", str(file)]) == 1
    assert "already exists" in capsys.readouterr().err
    assert cli.main(["restore", str(file)]) == 1  # the source is not empty
    assert "already holds workbooks" in capsys.readouterr().err
    monkeypatch.setenv("PLACEKIT_DB", str(tmp_path / "elsewhere.db"))
    assert cli.main(["restore", str(file)]) == 0
    assert "Restored 1 workbooks" in capsys.readouterr().out
    assert cli.main(["activity"]) == 0
    assert "Restored the whole database from" in capsys.readouterr().out
