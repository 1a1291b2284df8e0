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
from placekit.data.store import Store, anonymous_entries, entries, respondents, workbooks
from placekit.errors import PlaceKitError

if TYPE_CHECKING:
    from placekit.exercise import Exercise

log = logging.getLogger("placekit")

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
    return store


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
        if "min_group" not in {c["name"] for c in sa.inspect(conn).get_columns("workbooks")}:
            conn.exec_driver_sql(
                "ALTER TABLE workbooks ADD COLUMN min_group INTEGER NOT NULL DEFAULT 3"
            )
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
    # Both need a connection outside any transaction: the driver's own, in autocommit.
    raw = store.engine.raw_connection()
    try:
        if store.engine.dialect.name == "sqlite":
            cursor = raw.cursor()
            cursor.execute("VACUUM")
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        elif store.engine.dialect.name == "postgresql":
            raw.driver_connection.autocommit = True  # type: ignore[union-attr]
            raw.cursor().execute("VACUUM FULL entries, respondents")
            raw.driver_connection.autocommit = False  # type: ignore[union-attr]
    finally:
        raw.close()
