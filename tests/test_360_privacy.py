"""A 360's privacy on every path: the facilitator's page, downloads, ``placekit export`` and
``placekit.open()`` see the team's anonymous profile only, never one leader's figures by
rater group; the database file holds nothing that names a rater or ties the 360 to its
leader; and a guest link opens its one exercise and nothing else.
"""

from __future__ import annotations

import base64
import json
import os
import re
import sqlite3
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest

import placekit
from placekit import cli
from placekit.data.access import InvalidLink, guest_code, resolve, resolve_guest
from placekit.data.export import export_files
from placekit.plugins import get_registry
from placekit.questionnaires import close_round
from placekit.questionnaires.raters import close_subject, invitations, invite_link
from placekit.testing import TestWorkbook, html_of
from tests.test_360_engine import EX, LEADER, RATERS, leader_with_raters, rate

#: Ann's figures by group, as worked out by hand in test_360_engine (2 decimals, as shown).
HERS = ("2.5", "3.57", "2.71", "4.33", "3.33", "3.71", "3.29", "4.14", "3.17", "3.67")
#: Ann's columns ("Partners" alone is also a word in a statement, so it is left out here).
COLUMNS = ("Colleagues and peers", "People you manage", "People who manage you", "All raters")
HOST = "Ann Q. (Eastvale)"  # the name in her links; she joined as "Ann Quayle"


@pytest.fixture
def closed(placekit_workbook: TestWorkbook) -> dict:
    """Ann's 360, seven raters, her 360 and the round closed: everything shown it can be."""
    wb = placekit_workbook
    ann = leader_with_raters(wb)
    close_subject(wb.responses(EX, LEADER), 1)
    close_round(wb.responses(EX))
    return ann | {"wb": wb}


def database() -> Path:
    return Path(os.environ["PLACEKIT_DB"])  # the test's own file (placekit_store)


def file_bytes() -> bytes:
    """The database file and its write-ahead log, as whoever holds them can read them."""
    db = database()
    return b"".join(p.read_bytes() for p in db.parent.glob(db.name + "*"))


def shown_anywhere(tables: dict) -> str:
    headings = {c for t in tables.values() for c in t.columns}
    assert not headings & {"Partners", "Others", *COLUMNS}, headings
    return json.dumps({name: t.to_csv(index=False) for name, t in tables.items()})


def no_leaders_figures(text: str) -> None:
    for column in COLUMNS:
        assert column not in text
    for figure in HERS:
        assert not re.search(rf"(?<![\d.]){re.escape(figure)}(?!\d)", text), figure


def test_the_facilitators_page_and_downloads_show_no_leaders_figures(closed: dict) -> None:
    wb = closed["wb"]
    summary = wb.summary(EX)
    no_leaders_figures(shown_anywhere(summary.tables))
    page = html_of(wb.results(EX))
    no_leaders_figures(page)
    assert "Own view and raters" in page
    # One leader: the team's profile would be hers, so it is withheld, and her raters'
    # count too.
    profile = summary.tables["Own view and raters' view"]
    assert profile["Raters' view"].isna().all() and profile["Leaders' own view"].isna().all()
    taking_part = summary.tables["Taking part"].set_index("")["People"]
    assert taking_part["Ratings given, all leaders together"] == (
        "shown once at least 3 leaders have been rated"
    )
    for exporter in get_registry().exporters.values():
        for made in export_files(exporter, "Test", dict(summary.tables)):
            payload = made.payload if isinstance(made.payload, bytes) else made.payload.encode()
            if made.filename.endswith(".csv"):
                no_leaders_figures(payload.decode("utf-8-sig"))


def test_placekit_open_gives_the_profile_and_refuses_rows(closed: dict, tmp_path: Path) -> None:
    wb = closed["wb"]
    analyst = placekit.open(wb.facilitator_code)
    for path in (analyst.frame, analyst.frames, analyst.responses):
        with pytest.raises(PermissionError, match="anonymous"):
            path(EX)
    no_leaders_figures(shown_anywhere(analyst.summary(EX).tables))
    no_leaders_figures(shown_anywhere(analyst.tables(EX)))
    assert not hasattr(analyst, "store")
    out = tmp_path / "360.csv"
    assert cli.main(["export", wb.facilitator_code, EX, "--format", "csv", "-o", str(out)]) == 0
    exported = "".join(p.read_text(encoding="utf-8-sig") for p in tmp_path.glob("360*"))
    assert "Own view and raters' view" in exported or "Raters' view" in exported
    no_leaders_figures(exported)


def test_the_team_profile_needs_three_leaders_each_counting_once(
    placekit_workbook: TestWorkbook,
) -> None:
    wb = placekit_workbook
    # Each leader rates herself the same on every statement, and so do her three peers:
    # own view 4, 5, 3 (mean 4.0); raters' 3, 4, 2 (mean 3.0). A fourth leader with one
    # rater counts in the self-view only: one rater is no "All raters".
    own_and_theirs = {"Asha": (4, 3, 3), "Ben": (5, 4, 3), "Cara": (3, 2, 5)}
    for name, (own, theirs, raters) in own_and_theirs.items():
        leader_with_raters(wb, name, raters=[("peers", (theirs,) * 6, ())] * raters, own=(own,) * 6)
    leader_with_raters(wb, "Dev", raters=RATERS[:1])
    close_round(wb.responses(EX))
    summary = wb.summary(EX)
    profile = summary.tables["Own view and raters' view"].set_index("Dimension")
    feeling = profile.loc["Ways of feeling"]
    # Cara's five peers count as one leader's view, not five people's.
    assert feeling["Leaders"] == 3
    assert feeling["Leaders' own view"] == pytest.approx(4.0)
    assert feeling["Raters' view"] == pytest.approx(3.0)
    assert feeling["Gap (own − raters)"] == pytest.approx(1.0)
    assert feeling["Flags"] == "blind spot"
    taking_part = summary.tables["Taking part"].set_index("")["People"]
    assert taking_part["Leaders who rated themselves"] == "4"
    assert taking_part["Leaders rated by at least 3 people"] == "3"
    assert taking_part["Ratings given, all leaders together"] == "12"
    # The self-view over all four leaders: the ordinary self-assessment's table.
    assert summary.tables["Dimensions"].set_index("Dimension").loc["Ways of feeling", "People"] == 4
    assert "Own view and raters' view" in summary.figures


def test_the_database_file_holds_no_rater_identity(closed: dict) -> None:
    raw = file_bytes()
    for secret in closed["raters"]:  # what each rater's browser holds: never stored
        assert secret.encode() not in raw
    with sqlite3.connect(database()) as conn:
        members = conn.execute("SELECT display_name FROM respondents").fetchall()
        named = conn.execute("SELECT key FROM entries WHERE exercise = ?", (EX,)).fetchall()
        columns = [r[1] for r in conn.execute("PRAGMA table_info(anonymous_entries)")]
        rows = conn.execute(
            "SELECT key, data FROM anonymous_entries WHERE exercise = ?", (EX,)
        ).fetchall()
    # Raters join nothing: the only member is the leader, who joined the workbook herself.
    assert members == [(LEADER,)]
    assert named == [("round/r1",)]  # the facilitator's round, a team record: no one's
    assert set(columns) == {"id", "workbook_id", "exercise", "key", "version", "data"}
    submissions = [json.loads(d) for k, d in rows if k.startswith("rated/")]
    assert len(submissions) == len(RATERS)
    for data in submissions:
        assert set(data) == {"group", "submitted_at"}
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", data["submitted_at"])  # the day only
    # Neither her name nor the name in her links is stored beside any of it.
    for _key, data in rows:
        assert LEADER not in (data or "") and HOST not in (data or "")
    assert HOST.encode() not in raw


def test_the_name_in_a_link_is_not_stored(placekit_workbook: TestWorkbook) -> None:
    wb = placekit_workbook
    ann = leader_with_raters(wb, raters=())
    mine = wb.responses(EX, LEADER)
    link = invite_link(mine, invitations(ann["q"], ann["subject"])[0], HOST)
    rate(wb, link, (4,) * 6)
    assert HOST.encode() not in file_bytes()
    code = parse_qs(urlparse(link).query)["code"][0]
    assert resolve_guest(wb.store, code, EX).host == HOST


def test_a_guest_code_opens_its_one_exercise_and_nothing_else(
    placekit_workbook: TestWorkbook,
) -> None:
    wb = placekit_workbook
    ann = leader_with_raters(wb, raters=())
    code = parse_qs(urlparse(ann["links"]["peers"]).query)["code"][0]
    guest = resolve_guest(wb.store, code, EX)
    assert guest.access.role == "guest" and guest.host == LEADER
    assert guest.scope.endswith(".peers") and LEADER not in guest.scope
    # Not the team's pages, not the facilitator's, not another exercise.
    with pytest.raises(InvalidLink):
        resolve(wb.store, code)
    with pytest.raises(InvalidLink):
        resolve_guest(wb.store, code, "systems-leadership")
    # Any change to the code, its group or its name included, opens nothing.
    head, body, mac = code.split(".")
    forged = json.dumps([guest.scope.replace("peers", "managers"), LEADER]).encode()
    altered = base64.urlsafe_b64encode(forged).rstrip(b"=").decode()
    for bad in (f"{head}.{altered}.{mac}", code[:-1] + ("A" if code[-1] != "A" else "B"), ""):
        with pytest.raises(InvalidLink):
            resolve_guest(wb.store, bad, EX)
    # The same 360, group and name always make the same link: the leader's page can show
    # it again on every visit without storing it.
    again = guest_code(wb.store, wb.access.workbook_id, EX, guest.scope, LEADER)
    assert again == code


def test_only_a_member_of_an_anonymous_exercise_can_invite_guests(
    placekit_workbook: TestWorkbook,
) -> None:
    wb = placekit_workbook
    with pytest.raises(PermissionError):
        wb.responses(EX).guest_link("r1.x.peers", "Ann")  # the facilitator's view
    wb.join("Zed")
    named = next(e for e in get_registry().exercises.values() if e.anonymity == "named")
    with pytest.raises(PermissionError):
        wb.responses(named.id, "Zed").guest_link("anything", "Zed")
    mine = wb.responses(EX, "Zed")
    with pytest.raises(ValueError, match="80 characters"):
        mine.guest_link("r1.x.peers", "Z" * 81)
    # A member who joined anonymously has no name to give raters until they type one.
    wb.join("Hidden", anonymous=True)
    assert wb.responses(EX, "Hidden").viewer_name is None
    assert wb.responses(EX, "Zed").viewer_name == "Zed"
