"""The activity record: joins, downloads and exports, rounds opened and closed, closing and
deletion, each with its time and the link or tool that did it; never which member, and for
what members do, the day only."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

import pytest

import placekit
from placekit import cli, clock
from placekit.data import activity, erasure, lifecycle, privacy
from placekit.data.export import export_files
from placekit.plugins import get_registry
from placekit.questionnaires.rounds import close_round
from placekit.testing import html_of, press
from placekit.web import results
from placekit.web.pages import exercise_page, index_page
from tests.data_life import NAMES, Team, dump, find, make_team


@pytest.fixture
def team(database: str, monkeypatch: pytest.MonkeyPatch) -> Team:
    return make_team(database, monkeypatch)


def test_what_is_done_is_recorded_with_its_time_and_link(
    team: Team, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    results = exercise_page(team.facilitator, "triage")  # the facilitator opens the results
    press(results, "Prepare the downloads")  # and downloads them
    placekit.open(team.facilitator, db=team.db)
    out = tmp_path / "triage.xlsx"
    assert cli.main(["export", team.facilitator, "triage", "-o", str(out)]) == 0
    page = index_page(team.facilitator)
    (size,) = find(page, "BoundedIntText")
    size.value = 5
    press(page, "Save the group size")
    close_round(team.responses("trust-audit"))
    exercises = get_registry().exercises
    erasure.own_data(team.store, team.access, team.members["Cat"], exercises)
    mine = index_page()
    mine.load({"code": team.team, "me": team.members["Cat"].token})
    press(mine, "Prepare my download")
    lifecycle.close(team.store, team.workbook, privacy.FACILITATOR)
    lines = [(e.actor, e.what) for e in activity.events(team.store, team.workbook)]
    assert (
        lines
        == [
            (privacy.FACILITATOR, "Closed the workbook: read-only from now on"),
            (privacy.TEAM, "A member downloaded their own data"),
            (privacy.FACILITATOR, "Set the smallest group a figure may cover to 5"),
            (privacy.COMMAND_LINE, "Exported the results of Wicked, tame or critical? (Excel)"),
            (privacy.PYTHON, "Opened the workbook's data in Python"),
            (
                privacy.FACILITATOR,
                "Downloaded the results of Wicked, tame or critical? (CSV, Excel)",
            ),
            (privacy.FACILITATOR, "Opened the results of Wicked, tame or critical?"),
        ]
        + [(privacy.TEAM, "A member joined (by name)")] * 3
    )
    # The facilitator's page shows it, with the rounds' own times beside it.
    shown = html_of(index_page(team.facilitator))
    assert "<h2>Activity</h2>" in shown
    assert "Closed round 1 of Trust audit" in shown
    assert "Exported the results of Wicked, tame or critical? (Excel)" in shown
    # So does the command line.
    capsys.readouterr()
    assert cli.main(["activity", team.facilitator]) == 0
    assert "facilitator link: Closed the workbook" in capsys.readouterr().out
    assert cli.main(["activity", team.team]) == 1  # the team code does not show it


def test_the_facilitators_downloads_are_made_when_asked_and_recorded(
    team: Team, monkeypatch: pytest.MonkeyPatch
) -> None:
    made: list[str] = []

    def counted(exporter: Any, title: str, tables: Any) -> Any:
        made.append(exporter.id)
        return export_files(exporter, title, tables)

    monkeypatch.setattr(results, "export_files", counted)
    page = exercise_page(team.facilitator, "triage")
    # The page is shown with no file written and none in it.
    assert made == [] and 'download="' not in html_of(page)
    press(page, "Prepare the downloads")
    assert sorted(made) == ["csv", "excel"]
    shown = html_of(page)
    assert "Ready: " in shown and "All results (Excel)" in shown
    # The files `placekit export` writes, of the same tables.
    tables = placekit.open(team.facilitator, db=team.db).tables("triage")
    expected = [
        f.filename
        for exporter in get_registry().exporters.values()
        for f in export_files(exporter, f"{team.title} Wicked, tame or critical?", tables)
    ]
    assert re.findall(r'download="([^"]+)"', shown) == expected
    # A picture of a chart is a download too.
    assets = exercise_page(team.facilitator, "assets")
    press(assets, "Make a picture of this chart (PNG)")
    assert 'download="' in html_of(assets) and "Chart (PNG)" in html_of(assets)
    title = get_registry().exercises["assets"].title
    lines = [
        e.what for e in activity.events(team.store, team.workbook) if e.actor == privacy.FACILITATOR
    ]
    assert lines == [
        f"Downloaded the results of {title}: the chart “Assets by category” (PNG)",
        f"Opened the results of {title}",
        "Downloaded the results of Wicked, tame or critical? (CSV, Excel)",
        "Opened the results of Wicked, tame or critical?",
    ]


def test_a_members_actions_keep_the_day_only_and_name_no_one(team: Team) -> None:
    mine = index_page()
    mine.load({"code": team.team, "me": team.members["Ann"].token})
    press(mine, "Prepare my download")
    erasure.erase(team.store, team.access, team.members["Ben"])
    rows = dump(team.store)["activity"]
    members = [r for r in rows if r["actor"] == privacy.TEAM]
    assert len(members) == 5  # three joined, one downloaded, one erased
    for row in members:
        at = clock.local(dt.datetime.fromisoformat(row["at"]))
        assert (at.hour, at.minute, at.second, at.microsecond) == (0, 0, 0, 0), row
    stored = json.dumps(rows)
    for name in NAMES:
        member = team.members[name]
        keys = privacy.respondent_keys(member.token, team.workbook, ["trust-audit"])
        for value in [*team.identities(name), *keys.values(), name]:
            assert value not in stored, value
    # Nothing is recorded about answering: no line for a save, a change or a submission.
    assert {r["action"] for r in rows} <= {"joined", "own-data-downloaded", "own-data-erased"}


def test_a_deletion_is_recorded_by_the_server_not_the_workbook(team: Team) -> None:
    lifecycle.delete(team.store, team.workbook, privacy.FACILITATOR)
    assert activity.events(team.store, team.workbook) == []  # gone with the workbook
    (line,) = activity.events(team.store, None)
    assert line.actor == privacy.FACILITATOR and line.action == "deleted"
    assert "3 members" in line.what and "Riverside <i>partnership</i>" in line.what


def test_the_record_is_escaped_on_the_page(team: Team) -> None:
    activity.record(team.store, team.workbook, privacy.FACILITATOR, "results-opened", "<b>X</b>")
    shown = html_of(index_page(team.facilitator))
    assert "Opened the results of &lt;b&gt;X&lt;/b&gt;" in shown and "<b>X</b>" not in shown


def test_only_known_actors_and_actions_are_recorded(team: Team) -> None:
    with pytest.raises(ValueError, match="actor"):
        activity.record(team.store, team.workbook, "Ann", "joined")
    with pytest.raises(ValueError, match="action"):
        activity.record(team.store, team.workbook, privacy.TEAM, "answered")
