"""A live session's short join code (placekit.live): it leads to the team's join page while
the session runs, and never otherwise; only the facilitator starts and ends one; a code is
never issued twice, even after its workbook is deleted. On SQLite and PostgreSQL."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from sqlalchemy.exc import IntegrityError

from placekit.data import activity, lifecycle
from placekit.data.access import create_workbook, resolve
from placekit.data.store import JoinCodeTaken, ReadOnlyWorkbook, live_sessions
from placekit.live import join_codes, sessions
from placekit.live.join_codes import ALPHABET, Attempts, normalise, shown
from placekit.plugins import get_registry

TRIAGE = get_registry().exercises["triage"]


def test_a_code_leads_to_the_team_while_the_session_runs(live_workbook) -> None:
    store, facilitator, team = live_workbook
    session = sessions.start(store, facilitator, TRIAGE)
    assert sessions.current(store, facilitator, "triage") == session
    assert sessions.current(store, facilitator, "assets") is None  # one exercise's session
    code = session.join_code
    assert len(code) == 6 and set(code) <= set(ALPHABET)
    assert session.shown_code == f"{code[:3]}-{code[3:]}"
    assert session.ends_at - session.started_at == join_codes.LIFETIME
    # As people type it off a screen: any case, with or without the dash or spaces.
    for typed in (code, code.lower(), session.shown_code, f" {code[:3]} {code[3:]} "):
        assert sessions.joins(store, typed) == (team.code, "triage"), typed
    said = [e.action for e in activity.events(store, facilitator.workbook_id)]
    assert "live-started" in said

    sessions.end(store, facilitator, session, TRIAGE.title)
    assert sessions.joins(store, code) is None
    assert sessions.current(store, facilitator, "triage") is None
    assert "live-ended" in [e.action for e in activity.events(store, facilitator.workbook_id)]


def test_only_the_facilitator_runs_a_session(live_workbook) -> None:
    store, _facilitator, team = live_workbook
    with pytest.raises(sessions.NotFacilitator):
        sessions.start(store, team, TRIAGE)


def test_a_new_session_ends_the_exercise_s_last_one(live_workbook) -> None:
    store, facilitator, team = live_workbook
    first = sessions.start(store, facilitator, TRIAGE)
    second = sessions.start(store, facilitator, TRIAGE)
    assert second.join_code != first.join_code
    assert sessions.joins(store, first.join_code) is None  # the old slide opens nothing
    assert sessions.joins(store, second.join_code) == (team.code, "triage")


def test_a_code_stops_after_its_time_or_when_the_workbook_closes(live_workbook) -> None:
    store, facilitator, team = live_workbook
    store.start_live_session(
        facilitator.workbook_id, "assets", "ABC234", timedelta(0), title="Assets", steps=[]
    )
    assert sessions.joins(store, "ABC234") is None  # its 12 hours are up
    session = sessions.start(store, facilitator, TRIAGE)
    lifecycle.close(store, facilitator.workbook_id, "facilitator link")
    assert sessions.joins(store, session.join_code) is None
    with pytest.raises(ReadOnlyWorkbook):
        sessions.start(store, resolve(store, facilitator.code), TRIAGE)


def test_a_code_is_never_issued_again_even_once_its_workbook_is_deleted(live_workbook) -> None:
    store, facilitator, _team = live_workbook
    store.start_live_session(
        facilitator.workbook_id, "triage", "K7P3QX", timedelta(hours=1), title="T", steps=[]
    )
    store.delete_workbook(facilitator.workbook_id)
    assert sessions.joins(store, "K7P-3QX") is None
    _id, _team, other = create_workbook(store, "Northtown")
    with pytest.raises(JoinCodeTaken):
        store.start_live_session(_id, "triage", "K7P3QX", timedelta(hours=1), title="T", steps=[])


def test_what_cannot_be_a_code_is_refused_before_any_lookup() -> None:
    for typed in ("", "K7P-3Q", "K7P-3QXX", "K7P-3QO", "I1L0OU", "<script>"):
        assert normalise(typed) is None, typed
    assert shown("K7P3QX") == "K7P-3QX"
    assert not set("01ILOU") & set(ALPHABET)  # nothing that reads as something else


def test_guessing_is_held_per_client_and_in_all() -> None:
    attempts = Attempts(per_client=3, wrong_in_all=5)
    for _ in range(3):
        assert attempts.allow("10.0.0.1", now=0)
        attempts.wrong("10.0.0.1", now=0)
    assert not attempts.allow("10.0.0.1", now=1)  # three wrong codes: wait
    assert attempts.allow("10.0.0.2", now=1)  # someone else need not
    assert attempts.allow("10.0.0.1", now=61)  # a minute later
    # A room behind one address all typing the right code is never held back.
    assert all(attempts.allow("venue wifi", now=100) for _ in range(50))
    for client in ("a", "b", "c", "d", "e"):  # five wrong codes from five addresses
        attempts.wrong(client, now=200)
    assert not attempts.allow("f", now=201)  # everyone waits, guessers from many included
    assert attempts.allow("f", now=261)


def test_the_address_behind_a_proxy_on_this_machine_is_the_one_it_saw() -> None:
    from types import SimpleNamespace

    from placekit.web.join import client_address

    def request(peer: str, forwarded: str = "") -> SimpleNamespace:
        headers = {"X-Forwarded-For": forwarded} if forwarded else {}
        return SimpleNamespace(remote_ip=peer, headers=headers)

    assert client_address(request("203.0.113.9")) == "203.0.113.9"
    assert client_address(request("127.0.0.1", "10.1.1.1, 198.51.100.7")) == "198.51.100.7"
    # From anyone but a proxy here, the header could be made up: it is not read.
    assert client_address(request("203.0.113.9", "198.51.100.7")) == "203.0.113.9"


def test_one_session_of_an_exercise_is_open_however_many_start_at_once(live_workbook) -> None:
    store, facilitator, _team = live_workbook
    session = sessions.start(store, facilitator, TRIAGE)
    # The database itself refuses a second open session of the exercise...
    with pytest.raises(IntegrityError), store.engine.begin() as conn:
        conn.execute(
            live_sessions.insert().values(
                id="x" * 32,
                workbook_id=facilitator.workbook_id,
                exercise="triage",
                join_code="ZZZ999",
                started_at=session.started_at,
                ends_at=session.ends_at,
                ended_at=None,
            )
        )
    # ... so facilitators pressing at once on several servers leave one open, and its code
    # is the only one that works.
    start = threading.Barrier(4)

    def press() -> sessions.LiveSession:
        start.wait()
        return sessions.start(store, facilitator, TRIAGE)

    with ThreadPoolExecutor(4) as pool:
        started = list(pool.map(lambda _i: press(), range(4)))
    assert len(store.open_live_sessions(facilitator.workbook_id)) == 1
    working = [s for s in started if sessions.joins(store, s.join_code)]
    assert len(working) == 1
