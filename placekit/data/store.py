"""Persistence: append-only, versioned entries in SQLite (WAL) or any SQLAlchemy URL.

Nothing is updated in place. Every save inserts the next version of a record, so history is
kept and the current state is the latest version. A save names the version its author
started from; if someone saved in between, the save is refused with ``ConflictError`` (a
unique index on the version makes that hold across processes, not just within one).

Three things remove a workbook's rows, and nothing else does: deleting the workbook (every
row of every table that names it), a member erasing their own data (every version of their
records; their name is taken off the versions of shared records that stay, the one change
made to a saved version), and an upgrade moving rows out of the way. Each is followed by
``scrub``, so what was deleted is not left readable in the database file or its
write-ahead log. A closed or deleted workbook takes no more saves (``ReadOnlyWorkbook``),
and an exercise its workbook's design has closed, not opened yet or left out takes no
member's save (``ExerciseClosed``, by ``placekit.data.design.refusal``), both checked inside
the saving transaction itself.
"""

from __future__ import annotations

import hashlib
import logging
import os
import secrets
import sqlite3
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from placekit.data import design as designs
from placekit.errors import PlaceKitError

log = logging.getLogger("placekit")


class UTCDateTime(sa.TypeDecorator[datetime]):
    """A UTC timestamp that reads back time-zone aware on every backend.

    SQLite keeps no time zone, so without this a saved entry's ``saved_at`` is aware while
    the same entry read back is naive: the two cannot be compared, and a column mixing them
    cannot be written to Excel.
    """

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is not None and value.tzinfo is not None:
            value = value.astimezone(UTC)
        return value

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


metadata = sa.MetaData()

workbooks = sa.Table(
    "workbooks",
    metadata,
    sa.Column("id", sa.String(36), primary_key=True),
    sa.Column("title", sa.String(200), nullable=False),
    sa.Column("team_code", sa.String(64), nullable=False, unique=True),
    sa.Column("facilitator_code", sa.String(64), nullable=False, unique=True),
    sa.Column("created_at", UTCDateTime, nullable=False),
    # k: the fewest people a figure shown outside the group may cover (privacy.GroupRule).
    sa.Column("min_group", sa.Integer, nullable=False, default=3, server_default="3"),
    # Set once, when the facilitator closes the workbook: from then on it is read-only.
    sa.Column("closed_at", UTCDateTime, nullable=True),
    # Months after closing at which PlaceKit deletes the workbook (privacy.deletion_due);
    # NULL keeps it until someone deletes it by hand.
    sa.Column("retention_months", sa.Integer, nullable=True),
)

#: Columns added to ``workbooks`` since the first release, with the SQL type each is added
#: with; ``placekit.data.upgrade`` adds any an older database lacks.
ADDED_WORKBOOK_COLUMNS = {
    "min_group": "INTEGER NOT NULL DEFAULT 3",
    "closed_at": "TIMESTAMP WITH TIME ZONE",
    "retention_months": "INTEGER",
}

respondents = sa.Table(
    "respondents",
    metadata,
    sa.Column("id", sa.String(36), primary_key=True),
    sa.Column("workbook_id", sa.ForeignKey("workbooks.id"), nullable=False, index=True),
    # privacy.hash_secret(token): the token itself is never stored, so no one who reads the
    # database can open a member's pages or work out the keys of their anonymous answers.
    sa.Column("token_hash", sa.String(80), nullable=False, unique=True),
    sa.Column("display_name", sa.String(200), nullable=False),
    sa.Column("anonymous", sa.Boolean, nullable=False, default=False),
    sa.Column("created_at", UTCDateTime, nullable=False),
)

entries = sa.Table(
    "entries",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("workbook_id", sa.ForeignKey("workbooks.id"), nullable=False),
    sa.Column("exercise", sa.String(100), nullable=False),
    sa.Column("key", sa.String(300), nullable=False),
    sa.Column("version", sa.Integer, nullable=False),
    sa.Column("data", sa.JSON, nullable=True),  # NULL marks a deletion
    sa.Column("author", sa.String(36), nullable=True),
    sa.Column("saved_at", UTCDateTime, nullable=False),
    sa.UniqueConstraint("workbook_id", "exercise", "key", "version", name="one_version"),
)

# The member records of anonymous exercises. A row holds no member id, no token or name, no
# author and no time, and its key is a respondent key (privacy.respondent_key) that only
# the member's own secret can produce. Its primary key is random and, on SQLite, the table
# is kept in that key's order (WITHOUT ROWID), so rows are not stored in answering order.
# Versioned with the same conflict rule as ``entries``.
anonymous_entries = sa.Table(
    "anonymous_entries",
    metadata,
    sa.Column("id", sa.String(32), primary_key=True),
    sa.Column("workbook_id", sa.ForeignKey("workbooks.id"), nullable=False),
    sa.Column("exercise", sa.String(100), nullable=False),
    sa.Column("key", sa.String(300), nullable=False),
    sa.Column("version", sa.Integer, nullable=False),
    sa.Column("data", sa.JSON, nullable=True),  # NULL marks a deletion
    sa.UniqueConstraint("workbook_id", "exercise", "key", "version", name="one_anonymous_version"),
    sqlite_with_rowid=False,
)

# The kit's own settings for this database, such as the address its server was started on
# (so `placekit new`, run in another terminal, prints links that reach it).
settings = sa.Table(
    "settings",
    metadata,
    sa.Column("key", sa.String(64), primary_key=True),
    sa.Column("value", sa.Text, nullable=False),
)

# Whole datasets (an imported file of up to a million rows) as one compact payload per
# version: one insert saves every row or none, where a row per entry would take minutes.
# Append-only and versioned like ``entries``, with the same conflict rule.
datasets = sa.Table(
    "datasets",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("workbook_id", sa.ForeignKey("workbooks.id"), nullable=False),
    sa.Column("exercise", sa.String(100), nullable=False),
    sa.Column("key", sa.String(300), nullable=False),
    sa.Column("version", sa.Integer, nullable=False),
    sa.Column("format", sa.String(20), nullable=False),  # "parquet"
    sa.Column("payload", sa.LargeBinary, nullable=True),  # NULL marks a deletion
    sa.Column("rows", sa.Integer, nullable=False),
    sa.Column("note", sa.String(300), nullable=False, default=""),  # e.g. the file's name
    sa.Column("author", sa.String(36), nullable=True),
    sa.Column("saved_at", UTCDateTime, nullable=False),
    sa.UniqueConstraint("workbook_id", "exercise", "key", "version", name="one_dataset_version"),
)


# What was done in a workbook and by which link (placekit.data.activity): joins, downloads
# and exports, rounds, closing, deletion. Rows with no workbook are the server's own (a
# backup, a workbook deleted). It names no member and, for what members do, keeps the day
# only (privacy.activity_time), so it cannot be laid beside anything to say who answered
# what. Not a foreign key: the record of a deletion outlives what it deleted.
activity = sa.Table(
    "activity",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("workbook_id", sa.String(36), nullable=True, index=True),
    sa.Column("at", UTCDateTime, nullable=False),
    sa.Column("actor", sa.String(40), nullable=False),  # which link or tool: privacy.ACTORS
    sa.Column("action", sa.String(40), nullable=False),
    sa.Column("detail", sa.Text, nullable=False, default=""),
)

# An exercise run live in the room (placekit.live): while the session is live, and for at
# most ``ends_at``, its short join code leads to the workbook's team link. A session ends
# when the facilitator ends it or starts another for the same exercise.
live_sessions = sa.Table(
    "live_sessions",
    metadata,
    sa.Column("id", sa.String(36), primary_key=True),
    sa.Column("workbook_id", sa.ForeignKey("workbooks.id"), nullable=False, index=True),
    sa.Column("exercise", sa.String(100), nullable=False),
    sa.Column("join_code", sa.String(16), nullable=False, unique=True),
    sa.Column("started_at", UTCDateTime, nullable=False),
    sa.Column("ends_at", UTCDateTime, nullable=False),
    sa.Column("ended_at", UTCDateTime, nullable=True),
)

# One open session per exercise, held by the database itself: two facilitators pressing
# "Run this in the room" at once on two servers both find none open under PostgreSQL's
# READ COMMITTED, and the later insert fails here instead, to be retried (it then ends
# the other's, as a new session does).
ONE_OPEN_SESSION = sa.Index(
    "one_open_session",
    live_sessions.c.workbook_id,
    live_sessions.c.exercise,
    unique=True,
    sqlite_where=live_sessions.c.ended_at.is_(None),
    postgresql_where=live_sessions.c.ended_at.is_(None),
)

# What the room's screen shows of a live session that the server cannot work out without
# the plugins (it never loads them): the exercise's title and its steps, as (id, title)
# pairs, copied when the session starts.
live_rooms = sa.Table(
    "live_rooms",
    metadata,
    sa.Column("session_id", sa.ForeignKey("live_sessions.id"), primary_key=True),
    sa.Column("workbook_id", sa.ForeignKey("workbooks.id"), nullable=False, index=True),
    sa.Column("title", sa.String(200), nullable=False),
    sa.Column("steps", sa.JSON, nullable=False),
    # What the facilitator has set: the step the room is on and the timer
    # (``placekit.live.sessions``); {} until they set anything.
    sa.Column("state", sa.JSON, nullable=False, default=dict),
)

# Who is in the room while a session runs: a row per member who has opened the exercise
# ("" as the step) and per step they have completed. ``member`` is whatever
# ``privacy.presence_key`` chose: a member id where the screen may name them, else a key
# of this session alone. No time is kept, and a session's rows go when it ends.
live_presence = sa.Table(
    "live_presence",
    metadata,
    sa.Column("session_id", sa.ForeignKey("live_sessions.id"), primary_key=True),
    sa.Column("member", sa.String(64), primary_key=True),
    sa.Column("step", sa.String(100), primary_key=True),
    sa.Column("workbook_id", sa.ForeignKey("workbooks.id"), nullable=False, index=True),
)

# What the facilitator revealed to the room: a step's team result as the screen shows it
# (HTML made by ``placekit.live.reveal`` from the exercise's ``revealed``, every privacy rule
# applied), until the session ends.
live_reveals = sa.Table(
    "live_reveals",
    metadata,
    sa.Column("session_id", sa.ForeignKey("live_sessions.id"), primary_key=True),
    sa.Column("step", sa.String(100), primary_key=True),
    sa.Column("workbook_id", sa.ForeignKey("workbooks.id"), nullable=False, index=True),
    sa.Column("html", sa.Text, nullable=False),
)

# A workbook's design (``placekit.data.design``): which exercises, in what order, the
# welcome and the dates. Versioned like a record, so two facilitators editing it at once
# are told of the conflict; a workbook with no row has the implicit design (everything).
workbook_designs = sa.Table(
    "workbook_designs",
    metadata,
    sa.Column("workbook_id", sa.ForeignKey("workbooks.id"), primary_key=True),
    sa.Column("version", sa.Integer, primary_key=True),
    sa.Column("data", sa.JSON, nullable=False),
    sa.Column("saved_at", UTCDateTime, nullable=False),
)

# Every join code ever issued, as its hash and nothing else, kept when its workbook is
# deleted: a short code is never issued twice, so an old code on a slide or in a photo of
# the room never leads anyone into another team's workbook.
spent_join_codes = sa.Table(
    "spent_join_codes",
    metadata,
    sa.Column("code_hash", sa.String(64), primary_key=True),
)

#: Every table that holds a workbook's data, in the order its rows are deleted
#: (``workbooks`` last, as the others refer to it).
WORKBOOK_TABLES = (
    entries,
    anonymous_entries,
    datasets,
    activity,
    live_presence,
    live_reveals,
    live_rooms,
    live_sessions,
    workbook_designs,
    respondents,
    workbooks,
)


class LegacyDatabase(PlaceKitError):
    """The database has an earlier PlaceKit's schema; ``placekit.data.upgrade`` upgrades it."""


class ReadOnlyWorkbook(PlaceKitError):
    """The workbook is closed (read-only) or has been deleted: nothing more is saved in it."""


class ExerciseClosed(ReadOnlyWorkbook):
    """The workbook's design has closed the exercise, not opened it yet, or left it out:
    what was saved can be read, and no member's save goes in. A ``ReadOnlyWorkbook``, so
    every page that turns read-only when its workbook closes does so here too."""


class JoinCodeTaken(PlaceKitError):
    """The join code was issued before (a code is never issued twice): draw another."""


class ConflictError(PlaceKitError):
    """Someone else saved a newer version of the record since the editor loaded it."""

    def __init__(self, current: Entry | None, attempted: dict[str, Any] | None) -> None:
        self.current = current
        self.attempted = attempted
        super().__init__(
            "This was changed by someone else while you were editing it"
            f" (now at version {current.version if current else 0})."
        )


@dataclass(frozen=True)
class Entry:
    """One version of one record. An anonymous record has neither author nor time."""

    key: str
    version: int
    data: dict[str, Any] | None
    author: str | None
    saved_at: datetime | None

    @property
    def deleted(self) -> bool:
        return self.data is None


def default_db_path() -> Path:
    """Where the database lives unless ``PLACEKIT_DB`` says otherwise."""
    base = os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share"
    return Path(base) / "placekit" / "placekit.db"


def database_url(db: str | os.PathLike[str] | None = None) -> str:
    """Resolve a path or URL (or ``PLACEKIT_DB``, or the default path) to a database URL."""
    value = str(db) if db is not None else os.environ.get("PLACEKIT_DB") or str(default_db_path())
    if "://" in value:
        return value
    # Voila runs each kernel in the notebook's folder, so relative paths would drift.
    path = Path(value).expanduser().resolve()
    path.parent.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{path}"


def _now() -> datetime:
    return datetime.now(UTC)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # Take over BEGIN from pysqlite so writers can ask for an IMMEDIATE transaction.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.execute("PRAGMA foreign_keys=ON")
    # Deleted rows are overwritten, not left in free pages: a record moved out of the way
    # (an upgrade de-linking old anonymous answers) must not stay readable in the file.
    cursor.execute("PRAGMA secure_delete=ON")
    cursor.close()


def _sqlite_begin(conn: sa.Connection) -> None:
    # A deferred transaction that reads then writes fails at once with "database is
    # locked" when another process wrote in between; IMMEDIATE waits its turn instead.
    write = conn.get_execution_options().get("placekit_write", False)
    conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")


_engines: dict[str, sa.Engine] = {}
_legacy: dict[str, bool] = {}
_outdated: dict[str, list[str]] = {}
_RESPONDENT = (
    respondents.c.id,
    respondents.c.display_name,
    respondents.c.anonymous,
    respondents.c.created_at,
)
# Any fixed number: the key of PostgreSQL's advisory lock taken while creating the schema.
_SCHEMA_LOCK = 0x504B_5343  # "PKSC"
_SETTINGS_LOCK = 0x504B_5354  # "PKST", taken while claiming a setting (claim_setting)


class Store:
    """All reads and writes of PlaceKit data. Creates its schema on first use."""

    def __init__(
        self, db: str | os.PathLike[str] | None = None, *, legacy_ok: bool = False
    ) -> None:
        self.url = database_url(db)
        if self.url not in _engines:
            engine = sa.create_engine(self.url)
            if engine.dialect.name == "sqlite":
                sa.event.listen(engine, "connect", _sqlite_pragmas)
                sa.event.listen(engine, "begin", _sqlite_begin)
            # Several kernels may open a new database at once: create the schema inside an
            # IMMEDIATE transaction so they take turns ("database is locked" otherwise).
            with engine.connect() as conn:
                conn.execution_options(placekit_write=True)
                with conn.begin():
                    if engine.dialect.name == "postgresql":
                        # PostgreSQL does not serialise them: two CREATE TABLEs of the same
                        # table both run and one fails. A lock held until commit makes the
                        # later kernel wait, then find the tables made.
                        lock = sa.text("SELECT pg_advisory_xact_lock(:key)")
                        conn.execute(lock, {"key": _SCHEMA_LOCK})
                    metadata.create_all(conn)
                    # create_all makes a new table's indexes only: a database whose
                    # live_sessions came before this index gets it here.
                    ONE_OPEN_SESSION.create(conn, checkfirst=True)
                    # A database made before tokens were hashed: placekit.data.upgrade turns it
                    # into this schema (it needs the plugins, to know what is anonymous).
                    columns = {c["name"] for c in sa.inspect(conn).get_columns("respondents")}
                    _legacy[self.url] = "token" in columns
                    # A database made before a column was added to ``workbooks``: the
                    # upgrade adds it (create_all makes new tables, never new columns).
                    have = {c["name"] for c in sa.inspect(conn).get_columns("workbooks")}
                    _outdated[self.url] = sorted(set(ADDED_WORKBOOK_COLUMNS) - have)
            _engines[self.url] = engine
        self.engine = _engines[self.url]
        if (_legacy[self.url] or _outdated[self.url]) and not legacy_ok:
            raise LegacyDatabase(
                "This database was made by an earlier PlaceKit and must be upgraded first:"
                " open it with placekit.data.upgrade.open_store() (placekit serve does)"
            )

    @property
    def legacy(self) -> bool:
        """Whether the database still has the schema of an earlier PlaceKit (tokens kept
        as they are, anonymous answers linked to members)."""
        return _legacy[self.url]

    @property
    def outdated(self) -> list[str]:
        """Columns of ``workbooks`` this database lacks, added by a later PlaceKit."""
        return _outdated[self.url]

    def mark_upgraded(self) -> None:
        _legacy[self.url] = False
        _outdated[self.url] = []

    def dispose(self) -> None:
        """Close every connection to this database and forget it (a backup's copy, once
        read), so a later Store of the same URL starts afresh."""
        engine = _engines.pop(self.url, None)
        if engine is not None:
            engine.dispose()

    @contextmanager
    def _begin(self, write: bool = False) -> Iterator[sa.Connection]:
        with self.engine.connect() as conn:
            conn.execution_options(placekit_write=write)
            with conn.begin():
                yield conn

    # -- workbooks and respondents -------------------------------------------------------

    def add_workbook(
        self,
        id: str,
        title: str,
        team_code: str,
        facilitator_code: str,
        retention_months: int | None = None,
        *,
        min_group: int = 3,
        design: dict[str, Any] | None = None,
    ) -> None:
        """A new workbook, with its k and (if given) its design as version 1, at once."""
        with self._begin(write=True) as conn:
            conn.execute(
                workbooks.insert().values(
                    id=id,
                    title=title,
                    team_code=team_code,
                    facilitator_code=facilitator_code,
                    created_at=_now(),
                    min_group=min_group,
                    retention_months=retention_months,
                )
            )
            if design is not None:
                conn.execute(
                    workbook_designs.insert().values(
                        workbook_id=id, version=1, data=design, saved_at=_now()
                    )
                )

    def design(self, workbook_id: str) -> Entry | None:
        """The workbook's design as saved last (``data`` is ``Design.as_data()``), or None
        if none was ever saved."""
        with self._begin() as conn:
            return _design(conn, workbook_id)

    def put_design(self, workbook_id: str, data: dict[str, Any], *, base_version: int) -> Entry:
        """Save the next version of the design; ``ConflictError`` if another facilitator
        saved since ``base_version`` (0: none saved yet), and nothing is saved."""
        saved_at = _now()
        try:
            with self._begin(write=True) as conn:
                _check_writable(conn, workbook_id)
                latest = _design(conn, workbook_id)
                if (latest.version if latest else 0) != base_version:
                    raise ConflictError(latest, data)
                conn.execute(
                    workbook_designs.insert().values(
                        workbook_id=workbook_id,
                        version=base_version + 1,
                        data=data,
                        saved_at=saved_at,
                    )
                )
        except IntegrityError:  # another process saved the same version in between
            raise ConflictError(self.design(workbook_id), data) from None
        return Entry("design", base_version + 1, data, None, saved_at)

    def workbook(self, workbook_id: str) -> dict[str, Any] | None:
        """One workbook's row (title, codes, k, when closed, retention), or None."""
        with self._begin() as conn:
            row = conn.execute(workbooks.select().where(workbooks.c.id == workbook_id)).first()
        return dict(row._mapping) if row else None

    def close_workbook(self, workbook_id: str) -> datetime | None:
        """Close the workbook now, unless it is closed already; returns when it was closed
        (None if there is no such workbook). Closing is for good: nothing reopens it."""
        with self._begin(write=True) as conn:
            conn.execute(
                workbooks.update()
                .where(workbooks.c.id == workbook_id, workbooks.c.closed_at.is_(None))
                .values(closed_at=_now())
            )
            query = sa.select(workbooks.c.closed_at).where(workbooks.c.id == workbook_id)
            return conn.execute(query).scalar()

    def set_retention(self, workbook_id: str, months: int | None) -> None:
        with self._begin(write=True) as conn:
            conn.execute(
                workbooks.update()
                .where(workbooks.c.id == workbook_id)
                .values(retention_months=months)
            )

    def claim_setting(self, key: str, expected: str | None, value: str) -> bool:
        """Set ``key`` to ``value`` only if it still holds ``expected`` (None: unset), in
        one write transaction: of several kernels racing to start a once-a-day job, exactly
        one is told True."""
        with self._begin(write=True) as conn:
            if conn.dialect.name == "postgresql":
                # Two first claims would both see no row; the lock makes the second wait.
                lock = sa.text("SELECT pg_advisory_xact_lock(:key)")
                conn.execute(lock, {"key": _SETTINGS_LOCK})
            query = sa.select(settings.c.value).where(settings.c.key == key)
            if conn.execute(query).scalar_one_or_none() != expected:
                return False
            conn.execute(settings.delete().where(settings.c.key == key))
            conn.execute(settings.insert().values(key=key, value=value))
            return True

    def setting(self, key: str) -> str | None:
        with self._begin() as conn:
            return conn.execute(
                sa.select(settings.c.value).where(settings.c.key == key)
            ).scalar_one_or_none()

    def set_setting(self, key: str, value: str) -> None:
        with self._begin(write=True) as conn:
            conn.execute(settings.delete().where(settings.c.key == key))
            conn.execute(settings.insert().values(key=key, value=value))

    def workbooks(self) -> list[dict[str, Any]]:
        with self._begin() as conn:
            rows = conn.execute(workbooks.select().order_by(workbooks.c.created_at))
            return [dict(r._mapping) for r in rows]

    def workbook_by_code(self, code: str) -> tuple[dict[str, Any], str] | None:
        """The workbook a code opens and the role it grants ("team" or "facilitator")."""
        query = workbooks.select().where(
            sa.or_(workbooks.c.team_code == code, workbooks.c.facilitator_code == code)
        )
        with self._begin() as conn:
            row = conn.execute(query).first()
        if row is None:
            return None
        role = "facilitator" if row.facilitator_code == code else "team"
        return dict(row._mapping), role

    def start_live_session(
        self,
        workbook_id: str,
        exercise: str,
        join_code: str,
        lifetime: timedelta,
        *,
        title: str,
        steps: Sequence[tuple[str, str]],
    ) -> dict[str, Any]:
        """Start a live session of ``exercise`` with ``join_code``, for ``lifetime`` at most,
        ending the exercise's session live until now, if any (and forgetting who was in its
        room), in the same transaction. ``title`` and ``steps`` are for the room's screen.
        ``JoinCodeTaken`` when the code was ever issued before, or when another session of
        the exercise started in the same instant (``ONE_OPEN_SESSION``: a retry ends it);
        ``ReadOnlyWorkbook`` when the workbook is closed."""
        code_hash = hashlib.sha256(join_code.encode()).hexdigest()
        started = _now()
        row = {
            "id": secrets.token_hex(16),
            "workbook_id": workbook_id,
            "exercise": exercise,
            "join_code": join_code,
            "started_at": started,
            "ends_at": started + lifetime,
            "ended_at": None,
        }
        try:
            with self._begin(write=True) as conn:
                _check_writable(conn, workbook_id)
                conn.execute(spent_join_codes.insert().values(code_hash=code_hash))
                open_now = (
                    live_sessions.c.workbook_id == workbook_id,
                    live_sessions.c.exercise == exercise,
                    live_sessions.c.ended_at.is_(None),
                )
                ending = list(
                    conn.execute(sa.select(live_sessions.c.id).where(*open_now)).scalars()
                )
                conn.execute(live_sessions.update().where(*open_now).values(ended_at=started))
                for table in (live_presence, live_reveals) if ending else ():
                    conn.execute(table.delete().where(table.c.session_id.in_(ending)))
                conn.execute(live_sessions.insert().values(**row))
                conn.execute(
                    live_rooms.insert().values(
                        session_id=row["id"],
                        workbook_id=workbook_id,
                        title=title,
                        steps=[list(step) for step in steps],
                        state={},
                    )
                )
        except IntegrityError as error:
            raise JoinCodeTaken(join_code) from error
        return row

    def end_live_session(self, session_id: str) -> None:
        """End a live session now (a session already ended keeps its end), and forget who
        was in its room and what was revealed to it."""
        with self._begin(write=True) as conn:
            conn.execute(
                live_sessions.update()
                .where(live_sessions.c.id == session_id, live_sessions.c.ended_at.is_(None))
                .values(ended_at=_now())
            )
            for table in (live_presence, live_reveals):
                conn.execute(table.delete().where(table.c.session_id == session_id))

    def set_live_reveal(self, session_id: str, workbook_id: str, step: str, html: str) -> bool:
        """Keep what the room's screen shows of a revealed step (replacing an earlier
        reveal of it); False, and nothing kept, once the session has ended."""
        with self._begin(write=True) as conn:
            _check_writable(conn, workbook_id)
            open_now = conn.execute(
                sa.select(live_sessions.c.id).where(
                    live_sessions.c.id == session_id, live_sessions.c.ended_at.is_(None)
                )
            ).first()
            if not open_now:
                return False
            mine = (live_reveals.c.session_id == session_id, live_reveals.c.step == step)
            conn.execute(live_reveals.delete().where(*mine))
            conn.execute(
                live_reveals.insert().values(
                    session_id=session_id, step=step, workbook_id=workbook_id, html=html
                )
            )
            return True

    def live_reveal(self, session_id: str, step: str) -> str | None:
        """What the screen shows of a revealed step, while its session has not ended."""
        query = (
            sa.select(live_reveals.c.html)
            .join(live_sessions, live_sessions.c.id == live_reveals.c.session_id)
            .where(
                live_reveals.c.session_id == session_id,
                live_reveals.c.step == step,
                live_sessions.c.ended_at.is_(None),
            )
        )
        with self._begin() as conn:
            return conn.execute(query).scalar_one_or_none()

    def set_live_presence(
        self, session_id: str, workbook_id: str, member: str, steps: Sequence[str]
    ) -> None:
        """Say that ``member`` is in the session's room, having completed ``steps``: their
        rows become exactly these. Nothing is kept once the session has ended."""
        rows = [
            {"session_id": session_id, "member": member, "step": step, "workbook_id": workbook_id}
            for step in dict.fromkeys(["", *steps])  # "" is the row that says they joined
        ]
        mine = (live_presence.c.session_id == session_id, live_presence.c.member == member)
        with self._begin(write=True) as conn:
            _check_writable(conn, workbook_id)
            conn.execute(live_presence.delete().where(*mine))
            still_open = conn.execute(
                sa.select(live_sessions.c.id).where(
                    live_sessions.c.id == session_id, live_sessions.c.ended_at.is_(None)
                )
            ).first()
            if still_open:
                conn.execute(live_presence.insert(), rows)

    def set_live_state(self, session_id: str, state: dict[str, Any]) -> bool:
        """Replace what the facilitator has set for a session's room; False (and nothing
        changed) once the session has ended."""
        still_open = sa.select(live_sessions.c.id).where(
            live_sessions.c.id == session_id, live_sessions.c.ended_at.is_(None)
        )
        with self._begin(write=True) as conn:
            done = conn.execute(
                live_rooms.update()
                .where(
                    live_rooms.c.session_id == session_id, live_rooms.c.session_id.in_(still_open)
                )
                .values(state=state)
            )
            return done.rowcount == 1

    def live_room(self, session_id: str) -> dict[str, Any] | None:
        """What the room's screen shows of a session, in two queries: the session, its
        workbook's ``workbook_title``, ``team_code`` and ``closed_at``, the exercise's
        ``title`` and ``steps``, the facilitator's ``state``, and ``presence``: (member,
        step, display name) rows, the name None for a member the screen does not name. None
        for no such session."""
        query = (
            sa.select(
                live_sessions,
                workbooks.c.title.label("workbook_title"),
                workbooks.c.team_code,
                workbooks.c.closed_at,
                live_rooms.c.title,
                live_rooms.c.steps,
                live_rooms.c.state,
            )
            .join(workbooks, workbooks.c.id == live_sessions.c.workbook_id)
            .join(live_rooms, live_rooms.c.session_id == live_sessions.c.id)
            .where(live_sessions.c.id == session_id)
        )
        # A member's name is shown only if they joined named: a key of the session alone
        # (privacy.presence_key) matches no member, and so has no name.
        presence = (
            sa.select(
                live_presence.c.member,
                live_presence.c.step,
                sa.case(
                    (respondents.c.anonymous.is_(False), respondents.c.display_name), else_=None
                ).label("name"),
            )
            .outerjoin(respondents, respondents.c.id == live_presence.c.member)
            .where(live_presence.c.session_id == session_id)
        )
        with self._begin() as conn:
            row = conn.execute(query).first()
            if row is None:
                return None
            found = dict(row._mapping)
            found["presence"] = [tuple(r) for r in conn.execute(presence)]
        return found

    def live_session(self, workbook_id: str, exercise: str) -> dict[str, Any] | None:
        """The exercise's session not yet ended by the facilitator (its time may be up)."""
        query = live_sessions.select().where(
            live_sessions.c.workbook_id == workbook_id,
            live_sessions.c.exercise == exercise,
            live_sessions.c.ended_at.is_(None),
        )
        with self._begin() as conn:
            row = conn.execute(query).first()
        return dict(row._mapping) if row else None

    def open_live_sessions(self, workbook_id: str) -> list[dict[str, Any]]:
        """The workbook's sessions not yet ended by the facilitator, oldest first."""
        query = (
            live_sessions.select()
            .where(live_sessions.c.workbook_id == workbook_id, live_sessions.c.ended_at.is_(None))
            .order_by(live_sessions.c.started_at)
        )
        with self._begin() as conn:
            return [dict(r._mapping) for r in conn.execute(query)]

    def live_session_by_join_code(self, join_code: str) -> dict[str, Any] | None:
        """The session issued ``join_code``, with its workbook's ``team_code`` and
        ``closed_at``; None when no session has it (its workbook deleted, or never)."""
        query = sa.select(
            live_sessions, workbooks.c.team_code, workbooks.c.closed_at.label("closed_at")
        ).join(workbooks, workbooks.c.id == live_sessions.c.workbook_id)
        with self._begin() as conn:
            row = conn.execute(query.where(live_sessions.c.join_code == join_code)).first()
        return dict(row._mapping) if row else None

    def set_min_group(self, workbook_id: str, k: int) -> None:
        with self._begin(write=True) as conn:
            conn.execute(
                workbooks.update().where(workbooks.c.id == workbook_id).values(min_group=k)
            )

    def min_group(self, workbook_id: str) -> int:
        query = sa.select(workbooks.c.min_group).where(workbooks.c.id == workbook_id)
        with self._begin() as conn:
            found = conn.execute(query).scalar()
        return int(found) if found else 3

    def add_respondent(
        self, id: str, workbook_id: str, token_hash: str, display_name: str, anonymous: bool
    ) -> None:
        with self._begin(write=True) as conn:
            conn.execute(
                respondents.insert().values(
                    id=id,
                    workbook_id=workbook_id,
                    token_hash=token_hash,
                    display_name=display_name,
                    anonymous=anonymous,
                    created_at=_now(),
                )
            )

    def respondent_by_token_hash(self, workbook_id: str, token_hash: str) -> dict[str, Any] | None:
        query = sa.select(*_RESPONDENT).where(
            respondents.c.workbook_id == workbook_id, respondents.c.token_hash == token_hash
        )
        with self._begin() as conn:
            row = conn.execute(query).first()
        return dict(row._mapping) if row else None

    def respondents(self, workbook_id: str) -> list[dict[str, Any]]:
        """Everyone who has joined: id, display_name, anonymous, created_at (never a hash)."""
        query = (
            sa.select(*_RESPONDENT)
            .where(respondents.c.workbook_id == workbook_id)
            .order_by(respondents.c.created_at)
        )
        with self._begin() as conn:
            return [dict(r._mapping) for r in conn.execute(query)]

    # -- versioned entries ---------------------------------------------------------------
    #
    # ``anonymous=True`` reads and writes ``anonymous_entries`` instead: the same versions
    # and conflicts, with no author and no time kept.

    def put(
        self,
        workbook_id: str,
        exercise: str,
        key: str,
        data: dict[str, Any] | None,
        *,
        base_version: int,
        author: str | None = None,
        anonymous: bool = False,
        facilitator: bool = False,
    ) -> Entry:
        """Save the next version of a record; ``data=None`` deletes it (history is kept).

        ``base_version`` is the version the editor started from (0 for a new record).
        ``facilitator``: the facilitator's own save, which an exercise closed to members
        still takes (closing a questionnaire's round to see its results, say).
        """
        items = [(key, data, base_version)]
        return self.put_many(
            workbook_id,
            exercise,
            items,
            author=author,
            anonymous=anonymous,
            facilitator=facilitator,
        )[0]

    def put_many(
        self,
        workbook_id: str,
        exercise: str,
        items: Sequence[tuple[str, dict[str, Any] | None, int]],
        *,
        author: str | None = None,
        anonymous: bool = False,
        facilitator: bool = False,
    ) -> list[Entry]:
        """Save several records in one transaction: all of them, or none.

        ``items`` are ``(key, data, base_version)`` as for ``put``. If any record was saved
        by someone else since its base version, ``ConflictError`` names it and nothing is
        saved (an import must never be half done).
        """
        if anonymous and author is not None:
            raise ValueError("An anonymous record keeps no author")
        saved_at = None if anonymous else _now()
        saved: list[Entry] = []
        try:
            with self._begin(write=True) as conn:
                _check_writable(conn, workbook_id, None if facilitator else exercise)
                for key, data, base_version in items:
                    latest = self._latest(conn, workbook_id, exercise, key, anonymous)
                    if (latest.version if latest else 0) != base_version:
                        raise ConflictError(latest, data)
                    row = dict(
                        workbook_id=workbook_id,
                        exercise=exercise,
                        key=key,
                        version=base_version + 1,
                        data=data,
                    )
                    if anonymous:
                        # Random, so the table's order says nothing of who answered when.
                        row["id"] = secrets.token_hex(16)
                        conn.execute(anonymous_entries.insert().values(**row))
                    else:
                        conn.execute(
                            entries.insert().values(**row, author=author, saved_at=saved_at)
                        )
                    saved.append(Entry(key, base_version + 1, data, author, saved_at))
        except IntegrityError:
            # Another process inserted the same version between our read and our write.
            if len(items) == 1:
                key, data, _base = items[0]
                current = self.get(workbook_id, exercise, key, anonymous=anonymous)
                raise ConflictError(current, data) from None
            raise ConflictError(None, None) from None
        return saved

    def _latest(
        self, conn: sa.Connection, workbook_id: str, exercise: str, key: str, anonymous: bool
    ) -> Entry | None:
        table = anonymous_entries if anonymous else entries
        row = conn.execute(
            table.select()
            .where(
                table.c.workbook_id == workbook_id,
                table.c.exercise == exercise,
                table.c.key == key,
            )
            .order_by(table.c.version.desc())
            .limit(1)
        ).first()
        return _entry(row) if row else None

    def get(
        self, workbook_id: str, exercise: str, key: str, *, anonymous: bool = False
    ) -> Entry | None:
        """The latest version of one record (a deletion included), or None if never saved."""
        with self._begin() as conn:
            return self._latest(conn, workbook_id, exercise, key, anonymous)

    def current(
        self,
        workbook_id: str,
        exercise: str,
        prefix: str = "",
        *,
        include_deleted: bool = False,
        anonymous: bool = False,
    ) -> dict[str, Entry]:
        """The latest version of every live record whose key starts with ``prefix``.

        ``include_deleted`` keeps records whose latest version is a deletion (to offer them
        back: "recently deleted", undo). Records come in the order first saved, anonymous
        ones in key order (their save order is not kept).
        """
        table = anonymous_entries if anonymous else entries
        latest = (
            sa.select(table.c.key.label("key"), sa.func.max(table.c.version).label("version"))
            .where(table.c.workbook_id == workbook_id, table.c.exercise == exercise)
            .where(table.c.key.startswith(prefix, autoescape=True))
            .group_by(table.c.key)
            .subquery()
        )
        query = (
            table.select()
            .join(
                latest,
                sa.and_(table.c.key == latest.c.key, table.c.version == latest.c.version),
            )
            .where(table.c.workbook_id == workbook_id, table.c.exercise == exercise)
            .order_by(table.c.key if anonymous else table.c.id)
        )
        with self._begin() as conn:
            found = (_entry(r) for r in conn.execute(query))
            return {e.key: e for e in found if include_deleted or not e.deleted}

    def history(
        self, workbook_id: str, exercise: str, key: str, *, anonymous: bool = False
    ) -> list[Entry]:
        """Every version of one record, oldest first."""
        table = anonymous_entries if anonymous else entries
        query = (
            table.select()
            .where(
                table.c.workbook_id == workbook_id,
                table.c.exercise == exercise,
                table.c.key == key,
            )
            .order_by(table.c.version)
        )
        with self._begin() as conn:
            return [_entry(r) for r in conn.execute(query)]

    # -- versioned datasets (whole imported files) ---------------------------------------

    def put_dataset(
        self,
        workbook_id: str,
        exercise: str,
        key: str,
        payload: bytes | None,
        *,
        rows: int,
        base_version: int,
        format: str = "parquet",
        note: str = "",
        author: str | None = None,
        facilitator: bool = False,
    ) -> DatasetVersion:
        """Save the next version of a whole dataset in one transaction; ``payload=None`` deletes.

        ``base_version`` is the version the importer started from (0 for a new dataset); if
        someone saved in between, ``DatasetConflictError`` and nothing is saved.
        """
        saved_at = _now()
        try:
            with self._begin(write=True) as conn:
                _check_writable(conn, workbook_id, None if facilitator else exercise)
                row = conn.execute(
                    _dataset_query(workbook_id, exercise, key, with_payload=False).limit(1)
                ).first()
                latest = _dataset(row) if row else None
                if (latest.version if latest else 0) != base_version:
                    raise DatasetConflictError(latest)
                conn.execute(
                    datasets.insert().values(
                        workbook_id=workbook_id,
                        exercise=exercise,
                        key=key,
                        version=base_version + 1,
                        format=format,
                        payload=payload,
                        rows=rows,
                        note=note[:300],
                        author=author,
                        saved_at=saved_at,
                    )
                )
        except IntegrityError:
            raise DatasetConflictError(self.dataset_info(workbook_id, exercise, key)) from None
        return DatasetVersion(
            key, base_version + 1, format, rows, note[:300], author, saved_at, None, payload is None
        )

    def dataset_info(self, workbook_id: str, exercise: str, key: str) -> DatasetVersion | None:
        """The latest version's facts (version, rows, …) without reading its payload."""
        with self._begin() as conn:
            row = conn.execute(_dataset_query(workbook_id, exercise, key, False).limit(1)).first()
        return _dataset(row) if row else None

    def get_dataset(
        self, workbook_id: str, exercise: str, key: str, version: int | None = None
    ) -> DatasetVersion | None:
        """The latest (or a given) version with its payload, or None if never saved."""
        query = _dataset_query(workbook_id, exercise, key, True)
        if version is not None:
            query = query.where(datasets.c.version == version)
        with self._begin() as conn:
            row = conn.execute(query.limit(1)).first()
        return _dataset(row) if row else None

    def dataset_history(self, workbook_id: str, exercise: str, key: str) -> list[DatasetVersion]:
        """Every version's facts, oldest first (payloads not read)."""
        with self._begin() as conn:
            rows = conn.execute(_dataset_query(workbook_id, exercise, key, False)).all()
        return [_dataset(r) for r in reversed(rows)]

    # -- removing data: a whole workbook, or one member's own --------------------------------
    #
    # The only deletes outside an upgrade. Every one removes every version of what it
    # removes; the caller then calls ``scrub`` so nothing of it stays in the file.

    def delete_workbook(self, workbook_id: str) -> dict[str, int]:
        """Delete every row of every table that names the workbook, in one transaction:
        its records (every version), anonymous answers, datasets, activity, members and
        the workbook itself, codes and all. Returns the rows deleted, by table."""
        deleted = {}
        with self._begin(write=True) as conn:
            # First take the workbook's row (PostgreSQL: FOR UPDATE), so a save in flight
            # finishes before its rows are deleted and none starts after (each save reads
            # the row FOR SHARE: _check_writable); else a row saved in between would still
            # refer to the workbook when it goes.
            conn.execute(
                sa.select(workbooks.c.id).where(workbooks.c.id == workbook_id).with_for_update()
            )
            for table in WORKBOOK_TABLES:
                column = table.c.id if table is workbooks else table.c.workbook_id
                deleted[table.name] = conn.execute(table.delete().where(column == workbook_id))
            return {name: result.rowcount for name, result in deleted.items()}

    def owned_versions(
        self, workbook_id: str, owner: str, *, anonymous: bool = False
    ) -> list[tuple[str, Entry]]:
        """Every version of every record filed under ``owner`` (a member id, or in
        ``anonymous_entries`` a respondent key), in any exercise: the keys whose second
        part is the owner (``kind/owner/record``, ``_position/owner``). As (exercise,
        entry), by exercise, key and version."""
        table = anonymous_entries if anonymous else entries
        query = (
            table.select()
            .where(table.c.workbook_id == workbook_id)
            # A member id or respondent key is 32 or more random characters, found only
            # where it is the owner; the exact test on the key's parts follows.
            .where(table.c.key.contains(f"/{owner}", autoescape=True))
            .order_by(table.c.exercise, table.c.key, table.c.version)
        )
        with self._begin() as conn:
            rows = conn.execute(query).all()
        return [(r.exercise, _entry(r)) for r in rows if _owner_part(r.key) == owner]

    def authored_versions(self, workbook_id: str, author: str) -> list[tuple[str, Entry]]:
        """Every version of every named record ``author`` saved at least one version of,
        others' versions included (so what each author changed can be told apart). As
        (exercise, entry), by exercise, key and version."""
        touched = (
            sa.select(entries.c.exercise, entries.c.key)
            .where(entries.c.workbook_id == workbook_id, entries.c.author == author)
            .distinct()
            .subquery()
        )
        query = (
            entries.select()
            .join(
                touched,
                sa.and_(entries.c.exercise == touched.c.exercise, entries.c.key == touched.c.key),
            )
            .where(entries.c.workbook_id == workbook_id)
            .order_by(entries.c.exercise, entries.c.key, entries.c.version)
        )
        with self._begin() as conn:
            return [(r.exercise, _entry(r)) for r in conn.execute(query)]

    def stored_exercises(self, workbook_id: str, *, anonymous: bool = False) -> list[str]:
        """The exercises with any record in the workbook (in ``anonymous_entries``, or
        not), installed or not."""
        table = anonymous_entries if anonymous else entries
        query = sa.select(table.c.exercise).where(table.c.workbook_id == workbook_id).distinct()
        with self._begin() as conn:
            return sorted(conn.execute(query).scalars())

    def datasets_by(self, workbook_id: str, author: str) -> list[tuple[str, DatasetVersion]]:
        """The facts (no payload) of every dataset version ``author`` saved."""
        columns = [c for c in datasets.c if c.name != "payload"]
        query = (
            sa.select(*columns, datasets.c.payload.is_(None).label("deleted"))
            .where(datasets.c.workbook_id == workbook_id, datasets.c.author == author)
            .order_by(datasets.c.exercise, datasets.c.key, datasets.c.version)
        )
        with self._begin() as conn:
            return [(r.exercise, _dataset(r)) for r in conn.execute(query)]

    def erase(
        self,
        workbook_id: str,
        records: Sequence[tuple[str, str, bool]],
        *,
        author: str,
        respondent: str,
    ) -> dict[str, int]:
        """One member's erasure, in one transaction: delete every version of each
        ``(exercise, key, anonymous)`` record, take ``author`` off every version they saved
        of what stays (records others worked on too, datasets), and delete the member.
        What is erased is decided by ``placekit.data.erasure``; this only carries it out."""
        done = {"records": 0, "anonymous": 0, "unnamed": 0, "members": 0}
        with self._begin(write=True) as conn:
            for exercise, key, anonymous in records:
                table = anonymous_entries if anonymous else entries
                result = conn.execute(
                    table.delete().where(
                        table.c.workbook_id == workbook_id,
                        table.c.exercise == exercise,
                        table.c.key == key,
                    )
                )
                done["anonymous" if anonymous else "records"] += result.rowcount
            for table in (entries, datasets):
                result = conn.execute(
                    table.update()
                    .where(table.c.workbook_id == workbook_id, table.c.author == author)
                    .values(author=None)
                )
                done["unnamed"] += result.rowcount
            conn.execute(
                live_presence.delete().where(
                    live_presence.c.workbook_id == workbook_id, live_presence.c.member == respondent
                )
            )
            result = conn.execute(
                respondents.delete().where(
                    respondents.c.workbook_id == workbook_id, respondents.c.id == respondent
                )
            )
            done["members"] = result.rowcount
        return done

    # -- the activity record -------------------------------------------------------------

    def add_activity(
        self, workbook_id: str | None, at: datetime, actor: str, action: str, detail: str = ""
    ) -> None:
        """One line of the activity record (``placekit.data.activity`` decides what)."""
        with self._begin(write=True) as conn:
            conn.execute(
                activity.insert().values(
                    workbook_id=workbook_id, at=at, actor=actor, action=action, detail=detail
                )
            )

    def activity(self, workbook_id: str | None, limit: int | None = None) -> list[dict[str, Any]]:
        """A workbook's activity record (None: the server's own), newest first."""
        where = (
            activity.c.workbook_id.is_(None)
            if workbook_id is None
            else activity.c.workbook_id == workbook_id
        )
        query = activity.select().where(where).order_by(activity.c.id.desc()).limit(limit)
        with self._begin() as conn:
            return [dict(r._mapping) for r in conn.execute(query)]

    # -- the database as a whole: scrubbing, backing up, restoring -------------------------

    def scrub(self) -> None:
        """Leave nothing deleted readable in the database's files.

        SQLite: ``secure_delete`` has already zeroed deleted rows in the file's pages, but
        earlier versions of those pages stay in the write-ahead log until it is
        checkpointed, and a checkpoint alone leaves them in the log file's tail. So the
        file is rebuilt (``VACUUM``), then the log is copied in and cut to nothing
        (``wal_checkpoint(TRUNCATE)``, retried while another connection is mid-read).
        PostgreSQL: ``VACUUM FULL`` rewrites each table, so deleted rows leave its files
        (the server's own write-ahead log and any base backup keep them as long as the
        server keeps those: docs/operations.md).
        """
        # Both need a connection outside any transaction: the driver's own, in autocommit.
        raw = self.engine.raw_connection()
        try:
            if self.engine.dialect.name == "sqlite":
                cursor = raw.cursor()
                cursor.execute("VACUUM")
                for _attempt in range(50):
                    busy = cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()[0]
                    if not busy:
                        break
                    time.sleep(0.1)
                else:
                    log.warning("The database's write-ahead log could not be emptied yet")
                cursor.close()
            elif self.engine.dialect.name == "postgresql":
                names = ", ".join(t.name for t in WORKBOOK_TABLES)
                raw.driver_connection.autocommit = True  # type: ignore[union-attr]
                raw.cursor().execute(f"VACUUM FULL {names}")
                raw.driver_connection.autocommit = False  # type: ignore[union-attr]
        finally:
            raw.close()

    def is_empty(self) -> bool:
        """Whether the database holds no workbook data at all (settings aside)."""
        with self._begin() as conn:
            return _is_empty(conn)

    def backup_to(self, path: Path) -> dict[str, int]:
        """A consistent copy of the whole database, taken while others save, as a new
        SQLite file at ``path`` (which must not exist); returns the rows copied, by table.

        SQLite: the online backup API, in one step, so the copy is the database as one
        read transaction saw it. PostgreSQL: every table read in one REPEATABLE READ
        transaction (one snapshot), written into a file of the same schema. Either way
        the file is a PlaceKit database that ``restore_from`` reads into SQLite or
        PostgreSQL alike.
        """
        if self.engine.dialect.name == "sqlite":
            raw = self.engine.raw_connection()
            target = sqlite3.connect(path)
            try:
                raw.driver_connection.backup(target, pages=-1)  # type: ignore[union-attr]
                # One self-contained file: no write-ahead log beside it, no free pages.
                target.execute("PRAGMA journal_mode=DELETE")
                target.execute("VACUUM")
            finally:
                target.close()
                raw.close()
            copy = sa.create_engine(f"sqlite:///{path}")
            try:
                with copy.connect() as conn:
                    return _counts(conn)
            finally:
                copy.dispose()
        copy = sa.create_engine(f"sqlite:///{path}")
        try:
            metadata.create_all(copy)
            with self.engine.connect() as conn:
                conn = conn.execution_options(isolation_level="REPEATABLE READ")
                with conn.begin(), copy.begin() as out:
                    return _copy_rows(conn, out)
        finally:
            copy.dispose()

    def restore_from(self, source: Store) -> dict[str, int]:
        """Every row of ``source`` (a backup, opened and upgraded) into this database,
        which must hold no workbook data; in one transaction, ids kept. Returns the rows
        copied, by table."""
        with self._begin(write=True) as target, source.engine.connect() as conn:
            if not _is_empty(target):
                raise PlaceKitError(
                    "This database already holds workbooks: restore into a new, empty one"
                )
            with conn.begin():
                copied = _copy_rows(conn, target)
            if target.dialect.name == "postgresql":
                # Ids were copied as they are, which does not move a serial column's
                # sequence on: the next save would take an id already in use.
                for table in (entries, datasets, activity):
                    target.execute(
                        sa.text(
                            f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'),"
                            f" COALESCE((SELECT MAX(id) FROM {table.name}), 0) + 1, false)"
                        )
                    )
        return copied


def _owner_part(key: str) -> str | None:
    parts = key.split("/", 2)
    return parts[1] if len(parts) >= 2 else None


def _design(conn: sa.Connection, workbook_id: str) -> Entry | None:
    row = conn.execute(
        workbook_designs.select()
        .where(workbook_designs.c.workbook_id == workbook_id)
        .order_by(workbook_designs.c.version.desc())
        .limit(1)
    ).first()
    return Entry("design", row.version, row.data, None, row.saved_at) if row else None


def _check_writable(conn: sa.Connection, workbook_id: str, exercise: str | None = None) -> None:
    """Refuse a save into a closed or deleted workbook, or a member's into an ``exercise``
    its design does not take members' saves into now, inside the saving transaction.

    On PostgreSQL the workbook's row is read FOR SHARE, so closing or deleting it waits
    for this save to commit and no save lands after the close; SQLite's IMMEDIATE
    transaction already runs one writer at a time (and SQLAlchemy writes no FOR clause).
    """
    query = (
        sa.select(workbooks.c.closed_at)
        .where(workbooks.c.id == workbook_id)
        .with_for_update(read=True)
    )
    row = conn.execute(query).first()
    if row is None:
        raise ReadOnlyWorkbook("This workbook has been deleted: nothing can be saved in it")
    if row.closed_at is not None:
        raise ReadOnlyWorkbook(
            "This workbook has been closed by its facilitator: it can be read, but nothing"
            " more can be saved in it"
        )
    if exercise is not None:
        found = _design(conn, workbook_id)
        refused = designs.refusal(found.data if found else None, exercise, _now())
        if refused:
            raise ExerciseClosed(refused)


_BATCH = 500  # rows per insert when copying: bounded memory, few round trips


def _is_empty(conn: sa.Connection) -> bool:
    return not any(
        conn.execute(sa.select(sa.literal(1)).select_from(t).limit(1)).first()
        for t in WORKBOOK_TABLES
    )


def _counts(conn: sa.Connection) -> dict[str, int]:
    return {
        t.name: conn.execute(sa.select(sa.func.count()).select_from(t)).scalar_one()
        for t in metadata.sorted_tables
    }


def _copy_rows(source: sa.Connection, target: sa.Connection) -> dict[str, int]:
    """Every row of every table from ``source`` into ``target``, parents first, each
    table in its primary key's order (an anonymous answer's key is random, so that order
    says nothing of who answered when); settings ``target`` already has are kept."""
    copied: dict[str, int] = {}
    for table in metadata.sorted_tables:
        keep = (
            set(target.execute(sa.select(settings.c.key)).scalars()) if table is settings else set()
        )
        copied[table.name] = 0
        rows = source.execute(table.select().order_by(*table.primary_key.columns))
        while batch := rows.fetchmany(_BATCH):
            found = [dict(r._mapping) for r in batch]
            found = [r for r in found if table is not settings or r["key"] not in keep]
            if found:
                target.execute(table.insert(), found)
                copied[table.name] += len(found)
    return copied


@dataclass(frozen=True)
class DatasetVersion:
    """One version of one dataset; ``payload`` is None when only the facts were read."""

    key: str
    version: int
    format: str
    rows: int
    note: str
    author: str | None
    saved_at: datetime
    payload: bytes | None = None
    deleted: bool = False


class DatasetConflictError(ConflictError):
    """Someone saved a newer version of the dataset since the importer read it. A
    ``ConflictError`` like any other, with no record attempted (``attempted`` is None)."""

    def __init__(self, current: DatasetVersion | None) -> None:
        self.current = current  # type: ignore[assignment]
        self.attempted = None
        PlaceKitError.__init__(
            self,
            "Someone else changed this data while you were importing"
            f" (now at version {current.version if current else 0}).",
        )


def _dataset_query(workbook_id: str, exercise: str, key: str, with_payload: bool) -> Any:
    columns = [c for c in datasets.c if with_payload or c.name != "payload"]
    return (
        sa.select(*columns, (datasets.c.payload.is_(None)).label("deleted"))
        .where(
            datasets.c.workbook_id == workbook_id,
            datasets.c.exercise == exercise,
            datasets.c.key == key,
        )
        .order_by(datasets.c.version.desc())
    )


def _dataset(row: sa.Row[Any]) -> DatasetVersion:
    m = row._mapping
    return DatasetVersion(
        m["key"],
        m["version"],
        m["format"],
        m["rows"],
        m["note"],
        m["author"],
        m["saved_at"],
        bytes(m["payload"]) if m.get("payload") is not None else None,
        bool(m["deleted"]),
    )


def _entry(row: sa.Row[Any]) -> Entry:
    m = row._mapping
    return Entry(m["key"], m["version"], m["data"], m.get("author"), m.get("saved_at"))
