"""The store against real databases: resume, append-only history, conflicts, many writers.

Each test that is not about SQLite's files runs twice (``database`` is parametrised in
conftest.py): on a fresh SQLite file and on a fresh database of a real PostgreSQL server.
"""

from __future__ import annotations

import gc
import inspect
import multiprocessing
import queue
import sqlite3
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

import placekit.data.store
from placekit.data.store import ConflictError, Store, database_url, default_db_path, entries

WORKBOOK = "wb-1"
EXERCISE = "triage"


def forget_engines() -> None:
    """What a new Voila kernel starts with: no engine, no connection, no cached state."""
    for engine in placekit.data.store._engines.values():
        engine.dispose()
    placekit.data.store._engines.clear()
    gc.collect()


@pytest.fixture(autouse=True)
def _fresh_engines() -> Iterator[None]:
    forget_engines()
    yield
    forget_engines()


def new_store(db: str | Path) -> Store:
    store = Store(db)
    store.add_workbook(WORKBOOK, "Riverside place team", "t" * 32, "f" * 32)
    return store


# -- resume ------------------------------------------------------------------------------------


def test_a_reopened_database_resumes_exactly(database: str) -> None:
    db = database
    store = new_store(db)
    store.add_respondent("m-1", WORKBOOK, "k" * 32, "Asha (housing)", anonymous=False)
    store.put(WORKBOOK, EXERCISE, "problem/p1", {"title": "Knife crime"}, base_version=0)
    store.put(
        WORKBOOK,
        EXERCISE,
        "problem/p1",
        {"title": "Knife crime", "type": "wicked"},
        base_version=1,
        author="m-1",
    )
    store.put(WORKBOOK, EXERCISE, "problem/p2", {"title": "Potholes £"}, base_version=0)
    store.put(WORKBOOK, EXERCISE, "problem/p3", {"title": "Gone soon"}, base_version=0)
    store.put(WORKBOOK, EXERCISE, "problem/p3", None, base_version=1)
    store.put(WORKBOOK, EXERCISE, "vote/m-1/p1", {"score": 4}, base_version=0, author="m-1")

    keys = ("problem/p1", "problem/p2", "problem/p3", "vote/m-1/p1")
    before = {
        "current": store.current(WORKBOOK, EXERCISE),
        "history": {key: store.history(WORKBOOK, EXERCISE, key) for key in keys},
        "workbooks": store.workbooks(),
        "respondents": store.respondents(WORKBOOK),
    }
    old_engine = store.engine
    del store
    forget_engines()

    reopened = Store(db)
    assert reopened.engine is not old_engine
    after = {
        "current": reopened.current(WORKBOOK, EXERCISE),
        "history": {key: reopened.history(WORKBOOK, EXERCISE, key) for key in keys},
        "workbooks": reopened.workbooks(),
        "respondents": reopened.respondents(WORKBOOK),
    }
    assert after == before
    assert set(after["current"]) == {"problem/p1", "problem/p2", "vote/m-1/p1"}
    assert after["current"]["problem/p1"].data == {"title": "Knife crime", "type": "wicked"}
    assert after["current"]["problem/p1"].author == "m-1"
    assert after["current"]["problem/p2"].data == {"title": "Potholes £"}
    assert [e.version for e in after["history"]["problem/p1"]] == [1, 2]
    assert reopened.workbook_by_code("f" * 32) == (after["workbooks"][0], "facilitator")
    # Editing carries on from where the last session stopped.
    resumed = reopened.put(WORKBOOK, EXERCISE, "problem/p1", {"title": "x"}, base_version=2)
    assert resumed.version == 3


def test_a_saved_entry_equals_the_same_entry_read_back(database: str) -> None:
    store = new_store(database)
    saved = store.put(WORKBOOK, EXERCISE, "problem/p1", {"title": "A"}, base_version=0)
    read = store.get(WORKBOOK, EXERCISE, "problem/p1")
    assert read == saved
    # Time zone aware either way, so timestamps compare and export cleanly.
    assert read is not None and read.saved_at.tzinfo is not None
    assert read.saved_at.utcoffset() == UTC.utcoffset(None)
    assert store.workbooks()[0]["created_at"].tzinfo is not None


# -- append-only history -----------------------------------------------------------------------


def test_history_keeps_every_version_and_a_delete_is_a_version(database: str) -> None:
    store = new_store(database)
    for version, title in enumerate(["Draft", "Better", "Final"]):
        store.put(WORKBOOK, EXERCISE, "problem/p1", {"title": title}, base_version=version)
    store.put(WORKBOOK, EXERCISE, "problem/keep", {"title": "Stays"}, base_version=0)
    deleted = store.put(WORKBOOK, EXERCISE, "problem/p1", None, base_version=3, author="m-1")

    history = store.history(WORKBOOK, EXERCISE, "problem/p1")
    assert [e.version for e in history] == [1, 2, 3, 4]
    assert [e.data for e in history] == [
        {"title": "Draft"},
        {"title": "Better"},
        {"title": "Final"},
        None,
    ]
    assert [e.deleted for e in history] == [False, False, False, True]
    assert history[-1] == deleted

    current = store.current(WORKBOOK, EXERCISE)
    assert list(current) == ["problem/keep"]

    latest = store.get(WORKBOOK, EXERCISE, "problem/p1")
    assert latest is not None and latest.deleted and latest.version == 4
    assert latest.author == "m-1"
    assert store.get(WORKBOOK, EXERCISE, "problem/never") is None

    # Restoring after a delete is one more version; nothing earlier was rewritten.
    store.put(WORKBOOK, EXERCISE, "problem/p1", {"title": "Back"}, base_version=4)
    assert [e.version for e in store.history(WORKBOOK, EXERCISE, "problem/p1")] == [1, 2, 3, 4, 5]
    assert store.history(WORKBOOK, EXERCISE, "problem/p1")[:4] == history
    assert store.current(WORKBOOK, EXERCISE)["problem/p1"].data == {"title": "Back"}


def test_current_is_scoped_to_workbook_exercise_and_literal_prefix(database: str) -> None:
    store = new_store(database)
    store.add_workbook("wb-2", "Another team", "u" * 32, "g" * 32)
    store.put(WORKBOOK, EXERCISE, "a_b/1", {"n": 1}, base_version=0)
    store.put(WORKBOOK, EXERCISE, "axb/1", {"n": 2}, base_version=0)
    store.put(WORKBOOK, EXERCISE, "50%/1", {"n": 3}, base_version=0)
    store.put(WORKBOOK, EXERCISE, "500/1", {"n": 4}, base_version=0)
    store.put(WORKBOOK, "assets", "a_b/1", {"n": 5}, base_version=0)
    store.put("wb-2", EXERCISE, "a_b/1", {"n": 6}, base_version=0)

    # "_" and "%" in a prefix are characters, not wildcards.
    assert list(store.current(WORKBOOK, EXERCISE, prefix="a_b/")) == ["a_b/1"]
    assert list(store.current(WORKBOOK, EXERCISE, prefix="50%/")) == ["50%/1"]
    assert store.current("wb-2", EXERCISE)["a_b/1"].data == {"n": 6}
    assert store.current(WORKBOOK, "assets")["a_b/1"].data == {"n": 5}
    assert len(store.current(WORKBOOK, EXERCISE)) == 4


# -- conflicts ---------------------------------------------------------------------------------


def test_second_editor_from_a_stale_version_gets_a_conflict(database: str) -> None:
    store = new_store(database)
    store.put(WORKBOOK, EXERCISE, "problem/p1", {"title": "Start"}, base_version=0)

    # Both open the record at version 1.
    seen_by_asha = store.get(WORKBOOK, EXERCISE, "problem/p1")
    seen_by_ben = store.get(WORKBOOK, EXERCISE, "problem/p1")
    assert seen_by_asha is not None and seen_by_ben is not None

    asha = {"title": "Asha's wording"}
    ben = {"title": "Ben's wording"}
    store.put(WORKBOOK, EXERCISE, "problem/p1", asha, base_version=seen_by_asha.version, author="a")
    with pytest.raises(ConflictError) as caught:
        store.put(
            WORKBOOK, EXERCISE, "problem/p1", ben, base_version=seen_by_ben.version, author="b"
        )

    conflict = caught.value
    assert conflict.current is not None
    assert conflict.current.data == asha
    assert conflict.current.version == 2
    assert conflict.current.author == "a"
    assert conflict.attempted == ben
    assert "changed by someone else" in str(conflict)

    # Nothing was overwritten: Asha's save stands and Ben's is not in the history.
    history = store.history(WORKBOOK, EXERCISE, "problem/p1")
    assert [e.data for e in history] == [{"title": "Start"}, asha]
    assert store.current(WORKBOOK, EXERCISE)["problem/p1"].data == asha


def test_two_people_creating_the_same_record_conflict(database: str) -> None:
    store = new_store(database)
    store.put(WORKBOOK, EXERCISE, "summary/main", {"text": "first"}, base_version=0)
    with pytest.raises(ConflictError) as caught:
        store.put(WORKBOOK, EXERCISE, "summary/main", {"text": "second"}, base_version=0)
    assert caught.value.current is not None
    assert caught.value.current.data == {"text": "first"}
    # A stale delete is refused too.
    with pytest.raises(ConflictError):
        store.put(WORKBOOK, EXERCISE, "summary/main", None, base_version=0)
    assert [e.data for e in store.history(WORKBOOK, EXERCISE, "summary/main")] == [
        {"text": "first"}
    ]


def test_a_save_racing_an_uncommitted_one_is_refused_once_that_commits(database: str) -> None:
    """Two kernels save version 2 at once: the one that commits first wins, the other is told.

    The other kernel's transaction is held open by hand, so the race is not left to chance:
    on SQLite the save waits for the write lock, on PostgreSQL for the unique version index.
    """
    store = new_store(database)
    store.put(WORKBOOK, EXERCISE, "problem/p1", {"title": "Start"}, base_version=0)
    outcome: list[Any] = []

    def save_from_version_1() -> None:
        try:
            outcome.append(store.put(WORKBOOK, EXERCISE, "problem/p1", {"t": 1}, base_version=1))
        except ConflictError as exc:
            outcome.append(exc)

    other_kernel = sa.create_engine(store.url)
    try:
        with other_kernel.begin() as conn:
            conn.execute(
                entries.insert().values(
                    workbook_id=WORKBOOK,
                    exercise=EXERCISE,
                    key="problem/p1",
                    version=2,
                    data={"title": "Theirs"},
                    author="them",
                    saved_at=datetime.now(UTC),
                )
            )
            saver = threading.Thread(target=save_from_version_1)
            saver.start()
            saver.join(timeout=0.5)
            assert saver.is_alive()  # waiting for the other kernel, not saving past it
        saver.join(timeout=30)
    finally:
        other_kernel.dispose()

    assert len(outcome) == 1 and isinstance(outcome[0], ConflictError), outcome
    assert outcome[0].current is not None
    assert (outcome[0].current.version, outcome[0].current.author) == (2, "them")
    assert [e.data for e in store.history(WORKBOOK, EXERCISE, "problem/p1")] == [
        {"title": "Start"},
        {"title": "Theirs"},
    ]


# -- many processes at once --------------------------------------------------------------------

PROCESSES = 6
DISTINCT = 50
SHARED_APPENDS = 12


def _worker(
    db: str,
    idx: int,
    distinct: int,
    shared_appends: int,
    workbook: str,
    exercise: str,
    barrier: Any,
    results: Any,
) -> None:
    """One Voila kernel: its own records, plus appends to one record everyone edits.

    Runs in a spawned process (its source is exec'd there, so it imports what it uses).
    """
    import traceback

    conflicts = 0
    try:
        from placekit.data.store import ConflictError, Store

        store = Store(db)
        barrier.wait(timeout=60)
        # Straight after the barrier everyone appends to the shared record at once.
        for i in range(max(distinct, shared_appends)):
            if i < shared_appends:
                while True:  # on conflict, re-read the latest version and try again
                    latest = store.get(workbook, exercise, "shared/log")
                    base = latest.version if latest else 0
                    try:
                        store.put(
                            workbook,
                            exercise,
                            "shared/log",
                            {"by": idx, "n": i},
                            base_version=base,
                        )
                        break
                    except ConflictError as exc:
                        assert exc.current is not None and exc.current.version > base
                        conflicts += 1
            if i < distinct:
                store.put(workbook, exercise, f"own/{idx}/{i}", {"by": idx, "i": i}, base_version=0)
        results.put((idx, conflicts, None))
    except BaseException:
        results.put((idx, conflicts, traceback.format_exc()))
        raise


def test_concurrent_processes_lose_nothing_and_never_see_a_lock(database: str) -> None:
    db = database
    new_store(db)  # the schema exists, as after `placekit serve` seeded it
    forget_engines()

    ctx = multiprocessing.get_context("spawn")
    barrier = ctx.Barrier(PROCESSES)
    results = ctx.Queue()
    source = (
        "from __future__ import annotations\n"
        + inspect.getsource(_worker)
        + "\n_worker(**params)\n"
    )
    processes = []
    for idx in range(PROCESSES):
        params = {
            "db": str(db),
            "idx": idx,
            "distinct": DISTINCT,
            "shared_appends": SHARED_APPENDS,
            "workbook": WORKBOOK,
            "exercise": EXERCISE,
            "barrier": barrier,
            "results": results,
        }
        process = ctx.Process(target=exec, args=(source, {"params": params}))
        process.start()
        processes.append(process)

    reports = []
    deadline = time.monotonic() + 60
    try:
        for _ in processes:
            reports.append(results.get(timeout=max(1.0, deadline - time.monotonic())))
    except queue.Empty:
        pass
    finally:
        for process in processes:
            process.join(timeout=max(1.0, deadline - time.monotonic()))
            if process.is_alive():
                process.kill()

    errors = [error for _, _, error in reports if error]
    assert not any("database is locked" in error for error in errors), errors
    assert errors == []
    assert sorted(idx for idx, _, _ in reports) == list(range(PROCESSES))
    assert [p.exitcode for p in processes] == [0] * PROCESSES

    store = Store(db)
    current = store.current(WORKBOOK, EXERCISE)
    for idx in range(PROCESSES):
        for i in range(DISTINCT):
            assert current[f"own/{idx}/{i}"].data == {"by": idx, "i": i}
            assert current[f"own/{idx}/{i}"].version == 1
    assert len(current) == PROCESSES * DISTINCT + 1

    history = store.history(WORKBOOK, EXERCISE, "shared/log")
    assert [e.version for e in history] == list(range(1, PROCESSES * SHARED_APPENDS + 1))
    appended = sorted((e.data["by"], e.data["n"]) for e in history if e.data)
    assert appended == [(idx, n) for idx in range(PROCESSES) for n in range(SHARED_APPENDS)]
    # Each writer's own appends are in the order it made them.
    for idx in range(PROCESSES):
        mine = [e.data["n"] for e in history if e.data and e.data["by"] == idx]
        assert mine == list(range(SHARED_APPENDS))


def _open_and_add(db: str, idx: int, barrier: Any, results: Any) -> None:
    import traceback

    try:
        barrier.wait(timeout=60)
        from placekit.data.store import Store

        Store(db).add_workbook(f"wb-{idx}", f"Team {idx}", f"{idx:032d}", f"{idx + 100:032d}")
        results.put((idx, None))
    except BaseException:
        results.put((idx, traceback.format_exc()))
        raise


def test_processes_opening_a_new_database_at_once_all_succeed(database: str) -> None:
    """Several kernels opening a database with no tables yet (schema creation races)."""
    ctx = multiprocessing.get_context("spawn")
    count = 6
    barrier = ctx.Barrier(count)
    results = ctx.Queue()
    db = database
    source = (
        "from __future__ import annotations\n"
        + inspect.getsource(_open_and_add)
        + "\n_open_and_add(**params)\n"
    )
    processes = [
        ctx.Process(
            target=exec,
            args=(
                source,
                {"params": {"db": str(db), "idx": i, "barrier": barrier, "results": results}},
            ),
        )
        for i in range(count)
    ]
    for process in processes:
        process.start()
    reports = [results.get(timeout=60) for _ in processes]
    for process in processes:
        process.join(timeout=30)
    assert [error for _, error in reports if error] == []
    assert [p.exitcode for p in processes] == [0] * count
    assert sorted(w["id"] for w in Store(db).workbooks()) == [f"wb-{i}" for i in range(count)]


# -- where the database lives ------------------------------------------------------------------


def test_placekit_db_as_a_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db = tmp_path / "env" / "team.db"
    monkeypatch.setenv("PLACEKIT_DB", str(db))
    store = new_store(db)  # explicit
    assert Store().url == f"sqlite:///{db}"
    assert Store().workbooks() == store.workbooks()  # the same file, through the variable
    assert db.is_file()


def test_placekit_db_as_a_sqlite_url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db = tmp_path / "url.db"
    monkeypatch.setenv("PLACEKIT_DB", f"sqlite:///{db}")
    store = Store()
    assert store.url == f"sqlite:///{db}"
    store.add_workbook("wb-url", "Via URL", "v" * 32, "w" * 32)
    with sqlite3.connect(db) as raw:
        assert raw.execute("SELECT title FROM workbooks").fetchall() == [("Via URL",)]


def test_placekit_db_as_a_postgresql_url(
    postgres_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    import psycopg
    from sqlalchemy.engine import make_url

    monkeypatch.setenv("PLACEKIT_DB", postgres_url)
    store = Store()
    assert store.url == postgres_url
    assert store.engine.dialect.name == "postgresql"
    store.add_workbook("wb-pg", "Via PostgreSQL", "v" * 32, "w" * 32)
    # Really in the server's database, as any other client of it sees it.
    url = make_url(postgres_url)
    with psycopg.connect(dbname=url.database, user=url.username, **url.query) as raw:
        assert raw.execute("SELECT title FROM workbooks").fetchall() == [("Via PostgreSQL",)]

    # The plain postgresql:// form (as DESIGN.md has it) reaches the same data through the
    # same driver: SQLAlchemy 2.1 picks psycopg 3 for it.
    forget_engines()
    plain = postgres_url.replace("postgresql+psycopg://", "postgresql://", 1)
    monkeypatch.setenv("PLACEKIT_DB", plain)
    assert Store().engine.dialect.driver == "psycopg"
    assert [w["id"] for w in Store().workbooks()] == ["wb-pg"]


def test_an_explicit_database_beats_the_variable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PLACEKIT_DB", str(tmp_path / "env.db"))
    assert Store(tmp_path / "arg.db").url == f"sqlite:///{tmp_path / 'arg.db'}"


def test_a_relative_path_is_made_absolute(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("PLACEKIT_DB", "data/relative.db")
    expected = tmp_path.resolve() / "data" / "relative.db"
    store = Store()
    assert store.url == f"sqlite:///{expected}"
    assert Path(store.url.removeprefix("sqlite:///")).is_absolute()
    assert expected.is_file()  # the missing folder was created
    assert database_url("other.db") == f"sqlite:///{tmp_path.resolve() / 'other.db'}"

    # A kernel started in another folder (Voila's notebook folder) still finds the same data
    # through the absolute URL it was given.
    store.add_workbook("wb-rel", "Relative", "r" * 32, "s" * 32)
    elsewhere = tmp_path / "workbooks"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    forget_engines()
    assert [w["id"] for w in Store(store.url).workbooks()] == ["wb-rel"]


def test_default_path_is_under_xdg_data_home(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("PLACEKIT_DB", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    expected = tmp_path / "xdg" / "placekit" / "placekit.db"
    assert default_db_path() == expected
    assert Store().url == f"sqlite:///{expected}"
    assert expected.is_file()

    monkeypatch.delenv("XDG_DATA_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert default_db_path() == tmp_path / "home" / ".local" / "share" / "placekit" / "placekit.db"


def test_sqlite_runs_in_wal_mode(tmp_path: Path) -> None:
    db = tmp_path / "wal.db"
    store = new_store(db)
    with store.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    forget_engines()
    # WAL is a property of the file, seen by any other program that opens it.
    with sqlite3.connect(db) as raw:
        assert raw.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
