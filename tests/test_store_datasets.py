"""Whole datasets in the store: one transaction per version, history kept, conflicts refused."""

from __future__ import annotations

import pytest

from placekit.data.store import DatasetConflictError, Store


@pytest.fixture
def store(database: str) -> Store:
    """On SQLite and on PostgreSQL (``database`` is parametrised in conftest.py)."""
    store = Store(database)
    store.add_workbook("wb", "Test", "t" * 32, "f" * 32)
    return store


def test_versions_are_appended_and_each_can_be_read_back(store) -> None:
    first = store.put_dataset(
        "wb", "demand", "imported", b"one", rows=1, base_version=0, note="a.csv", author="m1"
    )
    second = store.put_dataset(
        "wb", "demand", "imported", b"three", rows=3, base_version=1, note="b.csv"
    )
    assert (first.version, second.version) == (1, 2)
    info = store.dataset_info("wb", "demand", "imported")
    assert (info.version, info.rows, info.note, info.payload) == (2, 3, "b.csv", None)
    assert store.get_dataset("wb", "demand", "imported").payload == b"three"
    assert store.get_dataset("wb", "demand", "imported", version=1).payload == b"one"
    assert [v.note for v in store.dataset_history("wb", "demand", "imported")] == [
        "a.csv",
        "b.csv",
    ]


def test_a_save_from_an_old_version_is_refused_and_saves_nothing(store) -> None:
    store.put_dataset("wb", "demand", "imported", b"mine", rows=1, base_version=0)
    with pytest.raises(DatasetConflictError) as raised:
        store.put_dataset("wb", "demand", "imported", b"theirs", rows=1, base_version=0)
    assert raised.value.current.version == 1
    assert store.get_dataset("wb", "demand", "imported").payload == b"mine"
    assert len(store.dataset_history("wb", "demand", "imported")) == 1


def test_removal_is_a_version_too(store) -> None:
    store.put_dataset("wb", "demand", "imported", b"x", rows=1, base_version=0)
    gone = store.put_dataset("wb", "demand", "imported", None, rows=0, base_version=1)
    assert gone.deleted and store.dataset_info("wb", "demand", "imported").deleted
    assert store.get_dataset("wb", "demand", "imported", version=1).payload == b"x"
    assert store.dataset_info("wb", "demand", "other") is None


def test_a_real_parquet_payload_comes_back_byte_for_byte(store) -> None:
    import io

    import pandas as pd

    frame = pd.DataFrame({"area": [f"E0{i:07d}" for i in range(200_000)], "n": range(200_000)})
    payload = frame.to_parquet(index=False)
    assert b"\x00" in payload  # binary, not text: a text column would refuse or mangle it
    store.put_dataset("wb", "demand", "imported", payload, rows=len(frame), base_version=0)
    back = store.get_dataset("wb", "demand", "imported")
    assert back.payload == payload and back.rows == 200_000
    pd.testing.assert_frame_equal(pd.read_parquet(io.BytesIO(back.payload)), frame)
