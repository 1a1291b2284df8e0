"""Times shown to a team are in the place's time zone, whatever the server's clock says."""

from __future__ import annotations

import datetime as dt

import pytest

from placekit import clock

SUMMER_NOON_UTC = dt.datetime(2026, 7, 1, 12, 0, tzinfo=dt.UTC)
WINTER_NOON_UTC = dt.datetime(2026, 1, 15, 12, 0, tzinfo=dt.UTC)


def test_by_default_the_place_keeps_uk_time(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(clock.TZ_ENV, raising=False)
    assert clock.local(SUMMER_NOON_UTC).hour == 13  # British Summer Time
    assert clock.local(WINTER_NOON_UTC).hour == 12
    # A stored time without a zone is UTC, as the store writes it.
    assert clock.local(SUMMER_NOON_UTC.replace(tzinfo=None)).hour == 13
    assert clock.now().utcoffset() == clock.local(dt.datetime.now(dt.UTC)).utcoffset()


def test_a_deployment_elsewhere_sets_its_zone(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(clock.TZ_ENV, "Europe/Dublin")
    assert clock.local(SUMMER_NOON_UTC).hour == 13
    monkeypatch.setenv(clock.TZ_ENV, "America/New_York")
    assert clock.local(WINTER_NOON_UTC).hour == 7


def test_a_zone_that_does_not_exist_falls_back_and_says_so(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setenv(clock.TZ_ENV, "Mars/Olympus_Mons")
    assert clock.local(SUMMER_NOON_UTC).hour == 13
    assert "Mars/Olympus_Mons" in caplog.text
