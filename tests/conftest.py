"""Fixtures for PlaceKit's own tests: a real, throwaway PostgreSQL server for the store.

The store tests run once on SQLite and once on PostgreSQL (``database`` is parametrised).
The server is started once per test run from the system's PostgreSQL binaries and each test
gets a database of its own, dropped afterwards. No mocks: if the binaries are missing the
PostgreSQL tests fail and say how to install them, they are never skipped.
"""

from __future__ import annotations

import glob
import itertools
import os
import pwd
import shlex
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from placekit.data.access import Access, create_workbook, resolve
from placekit.data.store import Store
from placekit.testing import free_port

START_TIMEOUT = 60  # seconds for pg_ctl to see the server accept connections
INSTALL_HINT = (
    "Run `make setup db-deps` (or `apt-get install postgresql`, and"
    " `pip install -e '.[postgres]'` for the driver)."
)


def _bin_dir() -> Path | None:
    """The newest PostgreSQL's bin folder with both initdb and pg_ctl, if any."""
    versioned = sorted(
        glob.glob("/usr/lib/postgresql/*/bin"),
        key=lambda d: int(Path(d).parent.name) if Path(d).parent.name.isdigit() else 0,
        reverse=True,
    )
    on_path = [str(Path(found).parent) for found in [shutil.which("initdb")] if found]
    for folder in [*versioned, "/usr/local/bin", *on_path]:
        if all(os.access(Path(folder) / tool, os.X_OK) for tool in ("initdb", "pg_ctl")):
            return Path(folder)
    return None


@dataclass
class PostgresServer:
    """A running server: reachable through its unix socket only, as the superuser."""

    socket_dir: Path
    port: int
    user: str = "postgres"

    def url(self, database: str) -> str:
        """An SQLAlchemy URL for ``database`` on this server, as PLACEKIT_DB would hold it."""
        return (
            f"postgresql+psycopg://{self.user}@/{database}?host={self.socket_dir}&port={self.port}"
        )

    def admin(self) -> Any:
        """A psycopg connection to the maintenance database, in autocommit (for CREATE DATABASE)."""
        import psycopg

        return psycopg.connect(
            host=str(self.socket_dir),
            port=self.port,
            user=self.user,
            dbname="postgres",
            autocommit=True,
        )


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    """A PostgreSQL server of its own for this test run, stopped and deleted at the end."""
    bin_dir = _bin_dir()
    if bin_dir is None:
        pytest.fail(
            "PostgreSQL server binaries (initdb, pg_ctl) not found under"
            f" /usr/lib/postgresql/*/bin or /usr/local/bin. {INSTALL_HINT}",
            pytrace=False,
        )
    try:
        import psycopg  # noqa: F401
    except ImportError:
        pytest.fail(f"The psycopg driver is not installed. {INSTALL_HINT}", pytrace=False)

    # initdb refuses to run as root, so as root the server runs as the postgres user. Not
    # pytest's tmp_path: its parents are private to root, where postgres cannot reach.
    base = Path(tempfile.mkdtemp(prefix="placekit-pg-"))
    as_owner: list[str] = []
    if os.geteuid() == 0:
        try:
            owner = pwd.getpwnam("postgres")
        except KeyError:
            pytest.fail(
                f"Running as root but there is no postgres user. {INSTALL_HINT}", pytrace=False
            )
        os.chown(base, owner.pw_uid, owner.pw_gid)
        as_owner = ["runuser", "-u", "postgres", "--"]

    data, log, port = base / "data", base / "server.log", free_port()

    def run(*command: str | Path) -> None:
        # cwd: the postgres user may not be allowed into the folder pytest was started from.
        done = subprocess.run(
            [*as_owner, *map(str, command)], cwd=base, capture_output=True, text=True
        )
        if done.returncode != 0:
            server_log = log.read_text(errors="replace") if log.exists() else ""
            pytest.fail(
                f"{Path(str(command[0])).name} failed ({done.returncode}):\n"
                f"{done.stdout}{done.stderr}{server_log}",
                pytrace=False,
            )

    # A throwaway cluster: no fsync (nothing here must survive a crash), socket only, in the
    # private folder, so it cannot clash with another server on this machine. The server's
    # zone is far from UTC, so a timestamp that lost its zone on the way would show.
    options = (
        f"-k {shlex.quote(str(base))} -p {port} -c listen_addresses=''"
        " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        " -c TimeZone=Pacific/Chatham"
    )
    try:
        run(bin_dir / "initdb", "-D", data, "-U", "postgres", "-A", "trust", "-E", "UTF8",
            "--no-locale", "--no-sync")  # fmt: skip
        run(bin_dir / "pg_ctl", "-D", data, "-l", log, "-w", "-t", str(START_TIMEOUT),
            "-o", options, "start")  # fmt: skip
        yield PostgresServer(base, port)
    finally:
        if (data / "postmaster.pid").exists():
            subprocess.run(
                [*as_owner, str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"],
                cwd=base,
                capture_output=True,
            )
        shutil.rmtree(base, ignore_errors=True)


_numbers = itertools.count(1)


@pytest.fixture
def postgres_url(postgres_server: PostgresServer) -> Iterator[str]:
    """A new, empty database on the test server for one test, dropped after it."""
    import placekit.data.store

    name = f"placekit_test_{os.getpid()}_{next(_numbers)}"
    with postgres_server.admin() as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    url = postgres_server.url(name)
    yield url
    engine = placekit.data.store._engines.pop(url, None)
    if engine is not None:
        engine.dispose()
    # FORCE: a writer process a failed test left behind must not keep the database alive.
    with postgres_server.admin() as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(params=["sqlite", "postgresql"])
def database(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Where a store test keeps its data: a fresh SQLite file, or a fresh PostgreSQL database."""
    if request.param == "sqlite":
        return str(tmp_path / "placekit.db")
    return request.getfixturevalue("postgres_url")


@pytest.fixture
def live_workbook(database: str) -> tuple[Store, Access, Access]:
    """A fresh workbook for the live-session tests: its store, and the facilitator's and
    the team's access, on each database in turn."""
    store = Store(database)
    _id, team, facilitator = create_workbook(store, "Riverside <Partnership>")
    return store, resolve(store, facilitator), resolve(store, team)
