"""Saving several records at once (an import): all of them or none, and deleted records
can be found again to offer them back."""

from __future__ import annotations

import pytest

from placekit.data.store import ConflictError, Store

WORKBOOK = "wb-many"
EXERCISE = "assets"


@pytest.fixture
def store(database: str) -> Store:
    """On SQLite and on PostgreSQL (``database`` is parametrised in conftest.py)."""
    from placekit.data.access import create_workbook

    store = Store(database)
    workbook_id, _team, _facilitator = create_workbook(store, "Many")
    store.test_workbook = workbook_id  # type: ignore[attr-defined]
    return store


def test_put_many_saves_every_record_in_one_go(store: Store) -> None:
    wb = store.test_workbook  # type: ignore[attr-defined]
    saved = store.put_many(
        wb, EXERCISE, [("asset/a", {"name": "Library"}, 0), ("asset/b", {"name": "Park"}, 0)]
    )
    assert [(e.key, e.version) for e in saved] == [("asset/a", 1), ("asset/b", 1)]
    current = store.current(wb, EXERCISE)
    assert {k: e.data for k, e in current.items()} == {
        "asset/a": {"name": "Library"},
        "asset/b": {"name": "Park"},
    }


def test_put_many_saves_nothing_when_one_record_is_stale(store: Store) -> None:
    wb = store.test_workbook  # type: ignore[attr-defined]
    store.put(wb, EXERCISE, "asset/b", {"name": "Park (edited by Bob)"}, base_version=0)
    with pytest.raises(ConflictError) as raised:
        store.put_many(
            wb,
            EXERCISE,
            [("asset/a", {"name": "Library"}, 0), ("asset/b", {"name": "Park"}, 0)],
        )
    assert raised.value.current is not None and raised.value.current.key == "asset/b"
    # The record before the stale one was not saved either.
    assert store.get(wb, EXERCISE, "asset/a") is None
    assert store.get(wb, EXERCISE, "asset/b").data == {"name": "Park (edited by Bob)"}


def test_deleted_records_can_be_listed_and_restored_from_history(store: Store) -> None:
    wb = store.test_workbook  # type: ignore[attr-defined]
    store.put(wb, EXERCISE, "asset/a", {"name": "Library"}, base_version=0)
    store.put(wb, EXERCISE, "asset/a", None, base_version=1)
    assert store.current(wb, EXERCISE) == {}
    gone = store.current(wb, EXERCISE, include_deleted=True)
    assert list(gone) == ["asset/a"] and gone["asset/a"].deleted
    before = [e.data for e in store.history(wb, EXERCISE, "asset/a") if e.data][-1]
    store.put(wb, EXERCISE, "asset/a", before, base_version=2)
    assert store.current(wb, EXERCISE)["asset/a"].data == {"name": "Library"}
