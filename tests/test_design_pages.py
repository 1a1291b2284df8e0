"""A workbook the facilitator designs, on its pages (built from Python, as Voila builds
them): the member's task list shows exactly the chosen exercises, in order, with the
welcome, dates, statuses and "Start here"; a closed exercise is read-only, one not open yet
or taken out cannot be opened; the facilitator's editor adds, takes out, puts back,
reorders, dates and greets, and two facilitators editing at once are told of it."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from placekit import clock
from placekit.data import templates
from placekit.data.access import create_workbook, join, resolve
from placekit.data.design import Design, Window
from placekit.data.store import ExerciseClosed, Store
from placekit.plugins import get_registry
from placekit.testing import html_of, page_text, press
from placekit.web.design_editor import DesignEditor
from placekit.web.pages import ReadOnlyWizard, Wizard, exercise_page, index_page
from tests.data_life import find


@pytest.fixture
def today(monkeypatch: pytest.MonkeyPatch) -> dt.date:
    monkeypatch.setenv("PLACEKIT_TZ", "Europe/London")
    return clock.now().date()


def _workbook(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, design: Design | None):
    monkeypatch.setenv("PLACEKIT_DB", str(tmp_path / "pk.db"))
    store = Store()
    _id, team, facilitator = create_workbook(store, "Blackpool Better Start", design=design)
    return store, team, facilitator


def _as_member(code: str, token: str, exercise: str | None = None):
    page = exercise_page() if exercise else index_page()
    page.load({"code": code, "me": token, **({"exercise": exercise} if exercise else {})})
    return page


def _titles_in_order(html: str) -> list[str]:
    return re.findall(r'class="pk-task-name"[^>]*>([^<]+)<', html)


def test_a_member_sees_the_chosen_exercises_in_order_with_welcome_dates_and_start_here(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, today: dt.date
) -> None:
    later = today + dt.timedelta(days=3)
    design = Design(
        ("trust-audit", "triage", "assets"),
        welcome="Before Thursday, do the trust audit.\n\nOn the day we do the rest <together>.",
        windows={"trust-audit": Window(closes=later), "assets": Window(opens=later)},
    )
    store, team, _f = _workbook(tmp_path, monkeypatch, design)
    ann = join(store, resolve(store, team), "Ann")
    html = html_of(_as_member(team, ann.token))
    exercises = get_registry().exercises
    assert _titles_in_order(html) == [exercises[e].title for e in design.exercises]
    text = page_text(html)
    assert "Before Thursday, do the trust audit." in text
    assert "&lt;together&gt;" in html  # what the facilitator typed is escaped
    assert f"Open until {later:%A} {later.day} {later:%B}" in text
    assert f"Opens {later:%A} {later.day} {later:%B}" in text
    assert "You have completed 0 of 3." in text
    # The next thing to do is the first open one; the one not open yet is no link.
    assert re.search(r"Start here</strong> <a class=\"pk-task-name\"[^>]*>Trust audit", html)
    assets = exercises["assets"].title
    assert f'<span class="pk-task-name">{assets}</span>' in html
    assert "Cannot start yet" in text
    for other in set(exercises) - set(design.exercises):
        assert exercises[other].title not in _titles_in_order(html)


def test_a_closed_exercise_is_read_only_and_one_not_open_or_taken_out_cannot_be_opened(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, today: dt.date
) -> None:
    past, later = today - dt.timedelta(days=1), today + dt.timedelta(days=2)
    design = Design(
        ("triage", "assets"),
        removed=("balcony",),
        windows={"triage": Window(closes=past), "assets": Window(opens=later)},
    )
    store, team, facilitator = _workbook(tmp_path, monkeypatch, design)
    ann = join(store, resolve(store, team), "Ann")
    closed = _as_member(team, ann.token, "triage")
    (wizard,) = find(closed, "ReadOnlyWizard")
    assert isinstance(wizard, ReadOnlyWizard)
    assert f"This exercise closed on {past:%A} {past.day} {past:%B}" in page_text(html_of(closed))
    index = page_text(html_of(_as_member(team, ann.token)))
    assert "Closed" in index
    not_yet = page_text(html_of(_as_member(team, ann.token, "assets")))
    assert f"opens on {later:%A} {later.day} {later:%B}" in not_yet
    assert not find(_as_member(team, ann.token, "assets"), "Wizard")
    for gone in ("balcony", "reframing"):  # taken out; never chosen
        shown = page_text(html_of(_as_member(team, ann.token, gone)))
        assert "This exercise is not part of this workbook" in shown
    # The facilitator's results pages say so, and still show the results.
    results = page_text(html_of(exercise_page(facilitator, "triage")))
    assert f"For members: closed on {past:%A} {past.day} {past:%B}." in results
    assert "the results stay" in results
    results = page_text(html_of(exercise_page(facilitator, "balcony")))
    assert "Members do not see this exercise" in results


def test_a_page_open_when_its_exercise_closes_turns_read_only_and_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, today: dt.date
) -> None:
    store, team, facilitator = _workbook(tmp_path, monkeypatch, Design(("triage",)))
    ann = join(store, resolve(store, team), "Ann")
    page = _as_member(team, ann.token, "triage")
    (wizard,) = find(page, "Wizard")
    assert isinstance(wizard, Wizard) and not wizard.read_only
    editor = DesignEditor(
        store, resolve(store, facilitator).workbook_id, "B", get_registry().exercises, {}
    )
    past = today - dt.timedelta(days=1)
    (_opens, closes) = find(editor, "DatePicker")
    closes.value = past
    with pytest.raises(ExerciseClosed):
        wizard.responses.save("issue", "i1", {"title": "Late"}, 0)
    press(wizard, "Add an issue")  # a save, refused inside its transaction
    assert wizard.read_only
    shown = page_text(html_of(page))
    assert f"This exercise closed on {past:%A} {past.day} {past:%B}" in shown
    assert "Not saved: this exercise is closed" in shown
    assert all(b.disabled for b in find(wizard.body, "Button"))


def test_the_facilitator_reorders_takes_out_puts_back_dates_and_greets(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, today: dt.date
) -> None:
    store, team, facilitator = _workbook(tmp_path, monkeypatch, Design(("trust-audit", "triage")))
    ann = join(store, resolve(store, team), "Ann")
    exercises = get_registry().exercises
    workbook_id = resolve(store, team).workbook_id
    store.put(workbook_id, "triage", f"issue/{ann.id}-1", {"title": "Kept"}, base_version=0)
    page = index_page(facilitator)
    (editor,) = find(page, "DesignEditor")
    audit, triage, assets = (exercises[e].title for e in ("trust-audit", "triage", "assets"))
    press(page, f"Move {triage} up")
    (pick,) = [d for d in find(editor, "Dropdown") if d.description == "Add an exercise"]
    pick.value = "assets"
    press(page, "Add it to the workbook")
    press(page, f"Take {audit} out")
    (welcome,) = find(editor, "Textarea")
    welcome.value = "Why we are doing this, and by when."
    assert "Saved: changed the welcome." in html_of(editor)
    member = html_of(_as_member(team, ann.token))
    assert _titles_in_order(member) == [triage, assets]
    assert "Why we are doing this, and by when." in member
    # Taken out: gone for members, its results still listed for the facilitator.
    facilitator_html = html_of(index_page(facilitator))
    assert "Taken out of the workbook" in facilitator_html and audit in facilitator_html
    press(index_page(facilitator), f"Put {audit} back")
    assert _titles_in_order(html_of(_as_member(team, ann.token))) == [triage, assets, audit]
    press(index_page(facilitator), f"Take {triage} out")
    press(index_page(facilitator), f"Put {triage} back")
    # Reordering, taking out and putting back keep what was saved, untouched.
    kept = store.get(workbook_id, "triage", f"issue/{ann.id}-1")
    assert kept is not None and (kept.version, kept.data) == (1, {"title": "Kept"})
    # A closing day before its opening day is refused, in words, and nothing is saved.
    editor = find(index_page(facilitator), "DesignEditor")[0]
    opens, closes = [d for d in find(editor, "DatePicker") if d.description.startswith(triage)]
    opens.value = today + dt.timedelta(days=5)
    closes.value = today + dt.timedelta(days=2)
    assert "An exercise cannot close before the day it opens" in html_of(editor)
    opens, closes = [d for d in find(editor, "DatePicker") if d.description.startswith(triage)]
    assert (opens.value, closes.value) == (today + dt.timedelta(days=5), None)  # as saved


def test_two_facilitators_editing_at_once_are_told_and_nothing_is_overwritten(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, today: dt.date
) -> None:
    store, _team, facilitator = _workbook(tmp_path, monkeypatch, Design(("trust-audit", "triage")))
    exercises = get_registry().exercises
    audit, triage = exercises["trust-audit"].title, exercises["triage"].title
    first, second = index_page(facilitator), index_page(facilitator)
    press(first, f"Take {audit} out")
    press(second, f"Move {triage} up")
    said = page_text(html_of(second))
    assert "Another facilitator changed this workbook’s design a moment ago" in said
    assert f"your change (moved {triage} up) was not saved" in said
    # The second now shows the design as it is: the audit taken out.
    assert f"Put {audit} back" in [b.description for b in find(second, "Button")]
    assert store.design(resolve(store, facilitator).workbook_id).version == 2  # type: ignore[union-attr]


def test_a_template_downloaded_from_the_page_reads_back_as_the_design(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, today: dt.date
) -> None:
    design = Design(
        ("trust-audit", "triage"), welcome="Hello", windows={"triage": Window(closes=today)}
    )
    _store, _team, facilitator = _workbook(tmp_path, monkeypatch, design)
    html = html_of(index_page(facilitator))
    (payload,) = re.findall(
        r'download="blackpool-better-start.toml" href="data:application/toml;base64,([^"]+)"', html
    )
    import base64

    path = tmp_path / "design.toml"
    path.write_bytes(base64.b64decode(payload))
    template = templates.read(path)
    again, left_out = template.design(today, get_registry().exercises)
    assert again == design and left_out == []


def _upload(editor: DesignEditor, name: str, content: bytes) -> None:
    (upload,) = find(editor, "FileUpload")
    upload.value = (
        {
            "name": name,
            "type": "",
            "size": len(content),
            "content": memoryview(content),
            "last_modified": dt.datetime.now(),
        },
    )


def test_a_template_file_from_another_workbook_is_used_on_this_ones_page(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, today: dt.date
) -> None:
    store, team, facilitator = _workbook(tmp_path, monkeypatch, Design(("assets", "balcony")))
    ann = join(store, resolve(store, team), "Ann")
    page = index_page(facilitator)
    (editor,) = find(page, "DesignEditor")
    _upload(editor, "broken.toml", b'id = "x"\n')
    said = page_text(html_of(editor))
    assert "broken.toml cannot be used as a template: title: give the template a title" in said
    assert "Nothing has been changed." in said
    content = (
        b'id = "ours"\ntitle = "Our away day"\nwelcome = "See you on the day."\n'
        b'[[exercises]]\nid = "triage"\nopen_for_days = 2\n[[exercises]]\nid = "gone-plugin"\n'
    )
    _upload(editor, "ours.toml", content)
    assert "Use “Our away day” from ours.toml?" in page_text(html_of(editor))
    press(editor, "Yes, replace the design")
    said = page_text(html_of(editor))
    assert "Saved: started from the design Our away day." in said
    assert "Left out, as they are not installed here: gone-plugin." in said
    member = html_of(_as_member(team, ann.token))
    assert _titles_in_order(member) == [get_registry().exercises["triage"].title]
    assert "See you on the day." in member
    closes = today + dt.timedelta(days=1)
    assert f"Open until {closes:%A} {closes.day} {closes:%B}" in page_text(member)
    # What the file left out is taken out, not lost: it can be put back.
    assets = get_registry().exercises["assets"].title
    assert f"Put {assets} back" in [b.description for b in find(editor, "Button")]


def test_a_ready_design_replaces_the_workbooks_after_a_confirmation(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, today: dt.date
) -> None:
    store, _team, facilitator = _workbook(tmp_path, monkeypatch, Design(("reframing",)))
    page = index_page(facilitator)
    (editor,) = find(page, "DesignEditor")
    (pick,) = [d for d in find(editor, "Dropdown") if d.description == "Start from a ready design"]
    pick.value = "development-day"
    press(editor, "Use this design")
    workbook_id = resolve(store, facilitator).workbook_id
    assert store.design(workbook_id).version == 1  # type: ignore[union-attr]  # asked first
    press(editor, "Yes, replace the design")
    ready = get_registry().templates["development-day"]
    expected, _left_out = ready.design(today, get_registry().exercises)
    saved = Design.from_data(store.design(workbook_id).data)  # type: ignore[union-attr]
    assert saved.exercises == expected.exercises and saved.windows == expected.windows
    assert saved.removed == ("reframing",)  # taken out, its data kept
