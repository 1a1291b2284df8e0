"""``placekit erase CODE --member NAME``: whoever runs the server erases a member who has
lost their link. Their named records (every version) and membership go; their anonymous
answers cannot be found without their own secret, so they stay, linked to no one, and the
command says so. A name two members share is refused."""

from __future__ import annotations

from pathlib import Path

import pytest

from placekit import cli
from placekit.data import activity, privacy
from placekit.data.access import join, member_by_token
from placekit.questionnaires.rounds import submission_counts
from tests.data_life import Team, dump, everything, file_bytes, make_team, markers

ANN = "Ann ANN-DISPLAY-NAME"


@pytest.fixture
def team(database: str, monkeypatch: pytest.MonkeyPatch) -> Team:
    return make_team(database, monkeypatch)


def erase(team: Team, *args: str) -> int:
    return cli.main(["erase", team.facilitator, *args])


def test_a_dry_run_says_what_would_go_and_what_stays_and_erases_nothing(
    team: Team, capsys: pytest.CaptureFixture[str]
) -> None:
    before = dump(team.store)
    assert erase(team, "--member", ANN, "--dry-run") == 0
    out = capsys.readouterr().out
    assert f"This would erase from “{team.title}”, for good, the member “{ANN}”" in out
    assert "Wicked, tame or critical?: 2 records, 2 saved versions" in out
    assert "Allies and power map: 2 records, 3 saved versions" in out  # two drafts, one note
    assert "their membership" in out
    assert "take their name off 2 saved versions of team records others also worked on" in out
    assert "anonymous exercises (Trust audit)" in out and "PlaceKit cannot find them" in out
    assert "erasing from their own page erases those answers too" in out
    assert "Nothing has been erased" in out
    assert dump(team.store) == before


def test_erasing_by_name_deletes_their_named_records_and_membership_only(
    team: Team, capsys: pytest.CaptureFixture[str]
) -> None:
    assert submission_counts(team.responses("trust-audit"), 1) == (3, 0)
    assert erase(team, "--member", f"  {ANN} ") == 0  # spaced as typed, as joining takes it
    out = capsys.readouterr().out
    assert f"Erased from “{team.title}” the member “{ANN}”" in out
    assert "5 saved versions of their records, and their membership" in out
    assert "not even their old link reaches them" in out
    stored = everything(team.store)
    for marker in markers("Ann"):
        if marker != "ANN-ANON-COMMENT":
            assert marker not in stored, marker
    ann = team.members["Ann"]
    for identity in team.identities("Ann"):
        assert identity not in stored, identity
    assert member_by_token(team.store, team.access, ann.token) is None
    # The team's shared issue and her dataset stay, with her name off them.
    assert "ANN-SHARED-TITLE" in stored and "BEN-SHARED-DESC" in stored
    assert team.responses("demand").get_dataset("contacts").author is None
    # Her anonymous answers could not be found: they stay, pooled, and still counted.
    assert "ANN-ANON-COMMENT" in stored
    assert submission_counts(team.responses("trust-audit"), 1) == (3, 0)
    for name in ("Ben", "Cat"):
        for marker in markers(name):
            assert marker in stored, marker
    # Recorded, by the command line, naming no one.
    (line, *_joins) = activity.events(team.store, team.workbook)
    assert (line.actor, line.action) == (privacy.COMMAND_LINE, "member-erased")
    assert line.what == (
        "Erased a member's named records and their membership"
        " (5 saved versions deleted, 2 kept without their name)"
    )
    assert erase(team, "--member", ANN) == 1  # gone: nothing more to erase
    assert f"No member is called “{ANN}”" in capsys.readouterr().err


def test_a_name_two_members_share_is_refused(
    team: Team, capsys: pytest.CaptureFixture[str]
) -> None:
    for _ in range(2):
        join(team.store, team.access, "Sam Jones")
    before = dump(team.store)
    assert erase(team, "--member", "Sam Jones") == 1
    err = capsys.readouterr().err
    assert "2 members are called “Sam Jones”" in err and "none was erased" in err
    assert dump(team.store) == before


def test_only_the_facilitator_code_and_a_known_name_erase(
    team: Team, capsys: pytest.CaptureFixture[str]
) -> None:
    before = dump(team.store)
    assert cli.main(["erase", team.team, "--member", ANN]) == 1
    assert "not a workbook's facilitator code" in capsys.readouterr().err
    assert erase(team, "--member", ANN.lower()) == 1
    assert f"Did you mean “{ANN}”?" in capsys.readouterr().err
    assert dump(team.store) == before


def test_the_sqlite_file_keeps_nothing_of_what_was_erased(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    team = make_team(str(tmp_path / "placekit.db"), monkeypatch)
    assert erase(team, "--member", ANN) == 0
    raw = file_bytes(team.db)
    for marker in markers("Ann") + team.identities("Ann"):
        if marker != "ANN-ANON-COMMENT":
            assert marker.encode() not in raw, marker
    assert b"BEN-NEW-REFLECTION" in raw
