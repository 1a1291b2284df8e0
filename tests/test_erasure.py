"""A member's own data: they download everything they gave and nothing of anyone else's,
and erasing it deletes every version, leaves none of it in the database file, and the
results are worked out again without it."""

from __future__ import annotations

import json
import subprocess
import sys
from typing import Any

import pytest

import placekit
from placekit.data import erasure
from placekit.data.access import member_by_token
from placekit.plugins import get_registry
from placekit.questionnaires.rounds import close_round, submission_counts
from placekit.testing import html_of, press
from placekit.web.pages import index_page
from tests.data_life import NAMES, Team, everything, file_bytes, make_team, markers


@pytest.fixture
def team(database: str, monkeypatch: pytest.MonkeyPatch) -> Team:
    return make_team(database, monkeypatch)


def test_a_members_download_holds_everything_they_typed_and_nothing_of_anyone_elses(
    team: Team,
) -> None:
    exercises = get_registry().exercises
    for name in NAMES:
        mine = erasure.own_data(team.store, team.access, team.members[name], exercises)
        for shown in (mine.as_json().decode(), mine.as_csv().decode("utf-8-sig")):
            for marker in markers(name):
                assert marker in shown, (name, marker)
            for other in set(NAMES) - {name}:
                for marker in markers(other):
                    assert marker not in shown, (name, marker)
            # Both versions of the private reflection, every one of their anonymous answers.
            assert f"{name.upper()}-OLD-REFLECTION" in shown
        document = json.loads(mine.as_json())
        parts = {r["part"] for r in document["records"]}
        assert parts == {erasure.OWN, erasure.ANONYMOUS, erasure.TEAM}
        anonymous = [r for r in document["records"] if r["part"] == erasure.ANONYMOUS]
        assert {r["exercise"] for r in anonymous} == {"trust-audit"}
        assert all(r["saved_at"] is None for r in anonymous)  # none was ever kept
        assert len([r for r in anonymous if r["kind"] == "answers"]) == 2
    # In the issue Ann started and Ben added to, each has what they typed, not the other's.
    ann = erasure.own_data(team.store, team.access, team.members["Ann"], exercises)
    ben = erasure.own_data(team.store, team.access, team.members["Ben"], exercises)
    assert "ANN-SHARED-TITLE" in ann.as_json().decode()
    assert "BEN-SHARED-DESC" not in ann.as_json().decode()
    assert "BEN-SHARED-DESC" in ben.as_json().decode()
    assert "ANN-SHARED-TITLE" not in ben.as_json().decode()
    assert [d["file"] for d in ann.datasets] == ["ann.csv"] and ben.datasets == []


def test_only_the_member_with_their_own_token_reaches_their_data(team: Team) -> None:
    ann = team.members["Ann"]
    exercises = get_registry().exercises
    forged = type(ann)(ann.id, ann.display_name, ann.anonymous, team.members["Ben"].token)
    with pytest.raises(PermissionError):
        erasure.own_data(team.store, team.access, forged, exercises)
    with pytest.raises(PermissionError):
        erasure.erase(team.store, team.access, forged)


def _erase_ann(team: Team) -> erasure.Erased:
    close_round(team.responses("trust-audit"))  # results shown, and then recomputed
    before = placekit.open(team.facilitator, db=team.db).summary("trust-audit")
    assert before.tables
    done = erasure.erase(team.store, team.access, team.members["Ann"])
    # Her issue, gut call, observation and two versions of her reflection; her four
    # anonymous records (profile, two answer sets, submission); her shared issue version
    # and dataset, kept unnamed.
    assert (done.records, done.anonymous, done.kept_unnamed) == (5, 4, 2)
    return done


def test_erasing_deletes_every_version_everywhere(team: Team) -> None:
    _erase_ann(team)
    stored = everything(team.store)
    for marker in markers("Ann"):
        assert marker not in stored, marker
    for identity in team.identities("Ann"):
        assert identity not in stored, identity
    for name in ("Ben", "Cat"):
        for marker in markers(name):
            assert marker in stored, marker
    # The team's shared record stays, with Ann's name off it; so does her dataset.
    assert "ANN-SHARED-TITLE" in stored and "BEN-SHARED-DESC" in stored
    assert team.responses("demand").get_dataset("contacts").payload == b"ANN-DATASET-ROWS"
    assert team.responses("demand").get_dataset("contacts").author is None
    # Her link opens nothing; Ben's still opens his own answers.
    assert member_by_token(team.store, team.access, team.members["Ann"].token) is None
    assert team.responses("trust-audit", "Ben").get("profile", "r1")["comment"]
    assert len(team.store.respondents(team.workbook)) == 2


def test_the_results_are_worked_out_again_without_the_erased_answers(team: Team) -> None:
    assert "ANN-ONLY-ISSUE" in json.dumps(team.responses("triage").records("issue"))
    assert submission_counts(team.responses("trust-audit"), 1) == (3, 0)
    _erase_ann(team)
    after = placekit.open(team.facilitator, db=team.db)
    issues = after.frame("triage", "issue").to_csv()
    assert "ANN-ONLY-ISSUE" not in issues and "BEN-ONLY-ISSUE" in issues
    # The audit's count of who has submitted (what the facilitator's panel shows) is two.
    assert submission_counts(team.responses("trust-audit"), 1) == (2, 0)


def test_the_sqlite_file_keeps_nothing_of_the_erased_member(
    tmp_path: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    team = make_team(str(tmp_path / "placekit.db"), monkeypatch)
    _erase_ann(team)
    raw = file_bytes(team.db)
    for marker in markers("Ann") + team.identities("Ann"):
        assert marker.encode() not in raw, marker
    assert b"BEN-NEW-REFLECTION" in raw  # what is kept is still there
    # The write-ahead log was emptied, not just checkpointed, so old page images went with
    # it: what it holds now is the one write since, the activity record's line (a page).
    wal = tmp_path / "placekit.db-wal"
    assert not wal.exists() or wal.stat().st_size <= 2 * 4096 + 2 * 24 + 32


def test_the_postgresql_files_keep_nothing_of_the_erased_member(
    postgres_url: str, postgres_server: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    team = make_team(postgres_url, monkeypatch)
    _erase_ann(team)
    with team.store.engine.connect() as conn:
        folder = conn.exec_driver_sql(
            "SELECT oid FROM pg_database WHERE datname = current_database()"
        ).scalar()
    with postgres_server.admin() as admin:
        admin.execute("CHECKPOINT")  # every table's pages written out to its files
    files = postgres_server.socket_dir / "data" / "base" / str(folder)
    raw = b"".join(p.read_bytes() for p in files.iterdir() if p.is_file())
    assert b"BEN-NEW-REFLECTION" in raw
    for marker in markers("Ann"):
        assert marker.encode() not in raw, marker


def test_erasing_from_the_members_own_page(team: Team) -> None:
    ann = team.members["Ann"]
    page = index_page()
    page.load({"code": team.team, "me": ann.token})
    shown = html_of(page)
    assert "Your data" in shown and "cannot be undone" in shown
    assert "team records that others also worked on stay" in shown
    press(page, "Prepare my download")
    shown = html_of(page)
    assert 'download="placekit-my-data-' in shown and "My data (JSON)" in shown
    press(page, "Erase my data")
    assert "Erase everything you gave this workbook?" in html_of(page)
    press(page, "Erase everything I gave")
    shown = html_of(page)
    assert "Your data has been erased" in shown
    assert page.browser.remember_token == "" and page.browser.stored_token == ""
    assert "ANN-NEW-REFLECTION" not in everything(team.store)
    # Coming back with the old personal link: a newcomer's page, nothing of hers.
    again = index_page()
    again.load({"code": team.team, "me": ann.token})
    assert "Join your team" in html_of(again)


def test_a_member_can_still_download_and_erase_once_the_workbook_is_closed(team: Team) -> None:
    from placekit.data import lifecycle, privacy

    lifecycle.close(team.store, team.workbook, privacy.FACILITATOR)
    page = index_page()
    page.load({"code": team.team, "me": team.members["Cat"].token})
    assert "This workbook was closed on" in html_of(page)
    press(page, "Prepare my download")
    assert "My data (CSV)" in html_of(page)
    press(page, "Erase my data")
    press(page, "Erase everything I gave")
    assert "Your data has been erased" in html_of(page)
    assert "CAT-NEW-REFLECTION" not in everything(team.store)


def test_the_module_loads_no_pandas_until_a_csv_is_made() -> None:
    code = "import sys, placekit.data.erasure; print('pandas' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"
