"""`placekit new` with a design: chosen exercises in order, a welcome, the small-group
threshold, a template (installed or a file); unknown ids say which exist."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from placekit import cli
from placekit.data import workbook_design
from placekit.data.access import resolve
from placekit.data.store import Store
from placekit.plugins import get_registry
from placekit.testing import parse_links


@pytest.fixture
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Store:
    monkeypatch.setenv("PLACEKIT_DB", str(tmp_path / "pk.db"))
    monkeypatch.setenv("PLACEKIT_TZ", "Europe/London")
    return Store()


def _made(store: Store, out: str):
    (made,) = parse_links(out)
    workbook_id = resolve(store, made.facilitator_code).workbook_id
    return workbook_id, workbook_design.current(store, workbook_id, get_registry().exercises)


def test_new_with_exercises_welcome_and_min_group(store: Store, capsys) -> None:
    argv = ["new", "Blackpool Better Start", "--exercises", "trust-audit, triage,assets"]
    argv += ["--welcome", "Before Thursday, please do the trust audit.", "--min-group", "5"]
    assert cli.main(argv) == 0
    out = capsys.readouterr().out
    exercises = get_registry().exercises
    titles = ", ".join(exercises[e].title for e in ("trust-audit", "triage", "assets"))
    assert f"Exercises, in this order: {titles}" in out
    assert "fewer than 5 people" in out
    workbook_id, saved = _made(store, out)
    assert saved.design.exercises == ("trust-audit", "triage", "assets")
    assert saved.design.welcome == "Before Thursday, please do the trust audit."
    assert store.min_group(workbook_id) == 5


def test_new_with_an_unknown_exercise_says_which_ids_exist(store: Store, capsys) -> None:
    assert cli.main(["new", "Riverside", "--exercises", "triage,trust-audt"]) == 1
    said = capsys.readouterr().err
    assert "placekit new: There is no exercise 'trust-audt' installed." in said
    for ex in get_registry().exercises:
        assert ex in said
    assert store.workbooks() == []  # nothing half made


def test_new_refuses_a_group_below_three_and_a_repeated_exercise(store: Store, capsys) -> None:
    assert cli.main(["new", "Riverside", "--min-group", "2"]) == 1
    assert "Choose a number from 3 to 20" in capsys.readouterr().err
    assert cli.main(["new", "Riverside", "--exercises", "triage,triage"]) == 1
    assert "only once" in capsys.readouterr().err
    assert store.workbooks() == []


def test_new_from_an_installed_template_counts_its_dates_from_the_start_day(
    store: Store, capsys
) -> None:
    template = next(iter(get_registry().templates.values()))
    start = dt.date(2027, 3, 1)
    argv = ["new", "Dev day", "--template", template.id, "--start", start.isoformat()]
    assert cli.main(argv) == 0
    _id, saved = _made(store, capsys.readouterr().out)
    expected, _left_out = template.design(start, get_registry().exercises)
    assert saved.design == expected and saved.design.exercises


def test_new_from_a_template_file_says_what_it_left_out(store: Store, capsys, tmp_path) -> None:
    path = tmp_path / "ours.toml"
    path.write_text(
        'id = "ours"\ntitle = "Ours"\nwelcome = "Hello"\n'
        '[[exercises]]\nid = "triage"\nopen_for_days = 3\n[[exercises]]\nid = "gone-plugin"\n',
        encoding="utf-8",
    )
    assert cli.main(["new", "From a file", "--template", str(path), "--start", "2027-03-01"]) == 0
    out = capsys.readouterr().out
    assert "Left out, as they are not installed here: gone-plugin" in out
    _id, saved = _made(store, out)
    assert saved.design.exercises == ("triage",)
    assert saved.design.window("triage").closes == dt.date(2027, 3, 3)
    assert cli.main(["new", "Nope", "--template", "no-such-design"]) == 1
    assert "There is no template 'no-such-design'" in capsys.readouterr().err
    assert cli.main(["new", "Nope", "--start", "2027-03-01"]) == 1
    assert "use it with --template" in capsys.readouterr().err


def test_templates_lists_the_installed_designs(capsys) -> None:
    assert cli.main(["templates"]) == 0
    out = capsys.readouterr().out
    for template in get_registry().templates.values():
        assert f"{template.id}: {template.title}" in out
