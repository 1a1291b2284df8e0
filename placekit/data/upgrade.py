"""Bringing a database made by an earlier PlaceKit up to date, once, at first start.

Earlier releases stored each member's personal token as it is, and kept the records of
anonymous exercises under the member's id with an author and a save time: anyone with the
database could link every anonymous answer to a named person. The upgrade, in one
transaction:

1. moves every member record of an anonymous exercise (answers, choices, the member's place
   in the wizard) to ``anonymous_entries`` under the member's respondent key, worked out
   from the token while it is still known, with no author and no time; any time inside
   such a record is cut to its day; members' personal links keep working, and the records
   are found again under the same keys;
2. clears the author of the exercise's other records;
3. replaces every token by its hash;
4. adds the workbook's k (``min_group``, default 3);

then rewrites the database file so that no old row stays readable in free space (SQLite
``VACUUM`` with ``secure_delete``; PostgreSQL ``VACUUM FULL``), and says what it did in
the log. Records of an anonymous exercise whose plugin is not installed at the time cannot
be re-keyed afterwards (the tokens are gone), so the upgrade waits until it is: it stops
with a message naming the exercises and changes nothing.

A database made after that but before a later column of ``workbooks`` (when it was closed,
how long it is kept: ``store.ADDED_WORKBOOK_COLUMNS``) gets just those columns, empty, so
its workbooks stay open and are kept until deleted by hand (``upgrade_schema``). New
tables (the activity record) are made by ``Store`` itself, as on a new database.
"""

from __future__ import annotations

import logging
import os
import re
import secrets
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from placekit.data import privacy
from placekit.data.store import (
    ADDED_WORKBOOK_COLUMNS,
    Store,
    anonymous_entries,
    entries,
    respondents,
    workbooks,
)
from placekit.errors import PlaceKitError

if TYPE_CHECKING:
    from placekit.exercise import Exercise

log = logging.getLogger("placekit")
_UPGRADE_LOCK = 0x504B_5550  # "PKUP": PostgreSQL's advisory lock while adding columns

# An ISO time of day after a date (2026-11-22T09:15:02+00:00): anonymous records keep the day.
_TIME = re.compile(r"^(\d{4}-\d{2}-\d{2})[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$")


class UpgradeBlocked(PlaceKitError):
    """The upgrade cannot be done safely yet; the message says why."""


def open_store(
    db: str | os.PathLike[str] | None,
    exercises: Callable[[], Mapping[str, Exercise]],
) -> Store:
    """The store, upgraded first if an earlier PlaceKit made it. ``exercises`` gives the
    installed exercises (``placekit.plugins.installed_exercises``); it is called only for an
    old database, so opening a current one never waits for the plugins to load."""
    store = Store(db, legacy_ok=True)
    if store.legacy:
        upgrade(store, exercises())
    elif store.outdated:
        upgrade_schema(store)
    return store


def upgrade_schema(store: Store) -> list[str]:
    """Add the columns of ``workbooks`` a database made by an earlier release lacks;
    returns their names (none if another process added them first)."""
    with store._begin(write=True) as conn:
        if conn.dialect.name == "postgresql":
            # Two kernels opening the database at once: the second waits, then finds them.
            conn.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": _UPGRADE_LOCK})
        added = _add_columns(conn)
    store.mark_upgraded()
    if added:
        log.warning("Upgraded the database: added %s to its workbooks", ", ".join(added))
    return added


def _add_columns(conn: sa.Connection) -> list[str]:
    have = {c["name"] for c in sa.inspect(conn).get_columns("workbooks")}
    added = [name for name in ADDED_WORKBOOK_COLUMNS if name not in have]
    for name in added:
        column_type = ADDED_WORKBOOK_COLUMNS[name]
        if conn.dialect.name == "sqlite":
            column_type = column_type.replace("TIMESTAMP WITH TIME ZONE", "DATETIME")
        conn.exec_driver_sql(f"ALTER TABLE workbooks ADD COLUMN {name} {column_type}")
    return added


def day_only(value: Any) -> Any:
    """``value`` with every ISO date-time in it cut to its date."""
    if isinstance(value, str):
        found = _TIME.match(value)
        return found.group(1) if found else value
    if isinstance(value, dict):
        return {k: day_only(v) for k, v in value.items()}
    if isinstance(value, list):
        return [day_only(v) for v in value]
    return value


def upgrade(store: Store, exercises: dict[str, Any]) -> dict[str, int]:
    """Upgrade a legacy database in place; returns what was done, counted."""
    anonymous = {i: e for i, e in exercises.items() if privacy.is_anonymous(e)}
    member_kinds = {
        i: {k.name for k in e.kinds if k.scope == "member"} for i, e in anonymous.items()
    }
    done = {"members": 0, "records": 0, "workbooks": 0}
    with store._begin(write=True) as conn:
        names = {c["name"] for c in sa.inspect(conn).get_columns("respondents")}
        if "token" not in names:  # another process upgraded it first
            store.mark_upgraded()
            return done
        _check_installed(conn, exercises)
        _add_columns(conn)
        tokens = {
            (r.workbook_id, r.id): r.token
            for r in conn.execute(sa.text("SELECT id, workbook_id, token FROM respondents"))
        }
        rows = conn.execute(entries.select().where(entries.c.exercise.in_(list(anonymous)))).all()
        for row in rows:
            parts = row.key.split("/", 2)
            owner = parts[1] if len(parts) >= 2 else None
            is_member_record = (parts[0] in member_kinds[row.exercise] and len(parts) == 3) or (
                parts[0] not in {k.name for k in anonymous[row.exercise].kinds}
                and owner is not None
            )
            token = tokens.get((row.workbook_id, owner))
            if not is_member_record or token is None:
                continue
            key = privacy.respondent_key(token, row.workbook_id, row.exercise)
            parts[1] = key
            conn.execute(
                anonymous_entries.insert().values(
                    id=secrets.token_hex(16),
                    workbook_id=row.workbook_id,
                    exercise=row.exercise,
                    key="/".join(parts),
                    version=row.version,
                    data=day_only(row.data),
                )
            )
            conn.execute(entries.delete().where(entries.c.id == row.id))
            done["records"] += 1
        conn.execute(
            entries.update().where(entries.c.exercise.in_(list(anonymous))).values(author=None)
        )
        conn.exec_driver_sql("ALTER TABLE respondents RENAME COLUMN token TO token_hash")
        if conn.dialect.name == "postgresql":
            conn.exec_driver_sql("ALTER TABLE respondents ALTER COLUMN token_hash TYPE VARCHAR(80)")
        for (_workbook, member), token in tokens.items():
            conn.execute(
                respondents.update()
                .where(respondents.c.id == member)
                .values(token_hash=privacy.hash_secret(token))
            )
            done["members"] += 1
        done["workbooks"] = conn.execute(sa.select(sa.func.count()).select_from(workbooks)).scalar()
    _rewrite_file(store)
    store.mark_upgraded()
    log.warning(
        "Upgraded the database for privacy: %d anonymous records de-linked from their members,"
        " %d personal tokens replaced by hashes, in %d workbooks",
        done["records"],
        done["members"],
        done["workbooks"],
    )
    return done


def _check_installed(conn: sa.Connection, exercises: dict[str, Any]) -> None:
    stored = {r[0] for r in conn.execute(sa.select(entries.c.exercise).distinct())}
    missing = sorted(stored - set(exercises))
    if missing:
        raise UpgradeBlocked(
            "This database was made by an earlier PlaceKit and must be upgraded, but it holds"
            f" records of exercises whose plugins are not installed: {', '.join(missing)}."
            " Install them (or remove their records) and start again: once personal tokens"
            " are hashed, an anonymous exercise's answers can no longer be de-linked."
        )


def _rewrite_file(store: Store) -> None:
    """Leave no copy of a moved row or a plain token in the file's free space."""
    store.scrub()
