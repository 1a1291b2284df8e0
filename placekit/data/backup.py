"""Backing up the whole database, and restoring a backup into an empty one.

``placekit backup FILE`` writes a consistent copy while the server runs and people save
(``Store.backup_to``: SQLite's online backup API, or one snapshot of PostgreSQL). The file
is always an SQLite database of PlaceKit's own schema, whichever backend made it, so one
``placekit restore FILE`` brings it back into an empty SQLite file or an empty PostgreSQL
database alike (which is also how a team moves from one to the other). A backup made by an
earlier release is upgraded on the way in, on a copy: the file itself is never changed.

A backup holds everything the database does, names and answers included, and keeps what
was later erased or deleted for as long as it is kept: it is written readable by its owner
alone, and docs/operations.md says how long to keep one.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from placekit.data import activity, privacy
from placekit.data.store import Store
from placekit.data.upgrade import open_store
from placekit.errors import PlaceKitError

if TYPE_CHECKING:
    from placekit.exercise import Exercise

_SQLITE_HEADER = b"SQLite format 3\x00"


class BackupError(PlaceKitError):
    """A backup could not be written or restored; the message says why and what to do."""


def backup(store: Store, path: str | os.PathLike[str]) -> dict[str, int]:
    """Write a backup of the whole database to ``path``, a new file; returns the rows it
    holds, by table."""
    target = Path(path).expanduser().resolve()
    if target.exists():
        raise BackupError(
            f"{target} already exists: choose a new file name (no backup is overwritten)"
        )
    if not target.parent.is_dir():
        raise BackupError(f"There is no folder {target.parent}")
    partial = target.with_name(f".{target.name}.partial")
    partial.unlink(missing_ok=True)
    # Readable by its owner alone from the first byte: it holds names and answers. (The
    # umask is the process's, so this is for the command line, which does nothing else.)
    old_mask = os.umask(0o077)
    try:
        counts = store.backup_to(partial)
        os.replace(partial, target)  # a backup is there whole, or not at all
    finally:
        os.umask(old_mask)
        partial.unlink(missing_ok=True)
    activity.record(store, None, privacy.COMMAND_LINE, "backup", str(target))
    return counts


def restore(
    store: Store,
    path: str | os.PathLike[str],
    exercises: Callable[[], Mapping[str, Exercise]],
) -> dict[str, int]:
    """Restore the backup at ``path`` into ``store``, which must hold no workbooks;
    returns the rows restored, by table. ``exercises`` are the installed exercises, which a
    backup made by an earlier release needs to be upgraded."""
    source = Path(path).expanduser().resolve()
    if not source.is_file():
        raise BackupError(f"There is no file {source}")
    with source.open("rb") as f:
        if f.read(len(_SQLITE_HEADER)) != _SQLITE_HEADER:
            raise BackupError(f"{source} is not a PlaceKit backup (not an SQLite database)")
    if not store.is_empty():
        raise BackupError(
            f"The database {store.url} already holds workbooks. Restore into a new, empty"
            " database: set PLACEKIT_DB to a new file, or to a new PostgreSQL database"
        )
    with tempfile.TemporaryDirectory(prefix="placekit-restore-") as folder:
        copy = Path(folder) / "backup.db"
        shutil.copyfile(source, copy)
        backup_store = open_store(copy, exercises)  # an older release's backup is upgraded
        try:
            if backup_store.is_empty():
                raise BackupError(f"{source} holds no PlaceKit workbooks")
            counts = store.restore_from(backup_store)
        finally:
            backup_store.dispose()
    activity.record(store, None, privacy.COMMAND_LINE, "restored", str(source))
    return counts
