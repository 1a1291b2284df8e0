"""A workbook's design in the data layer: which exercises, in what order, the welcome and
the dates; a closed, not yet open or removed exercise refuses saves on every path; two
facilitators saving at once are told of the conflict; templates round-trip."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from placekit.data import templates, workbook_design
from placekit.data.access import create_workbook, join, resolve
from placekit.data.design import Design, DesignError, Openness, Window, day_name, unknown
from placekit.data.responses import Responses
from placekit.data.store import ConflictError, ExerciseClosed, ReadOnlyWorkbook, Store
from placekit.plugins import get_registry


@pytest.fixture(autouse=True)
def _london(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PLACEKIT_TZ", "Europe/London")


def _today() -> dt.date:
    from placekit import clock

    return clock.now().date()


# -- the design, pure ----------------------------------------------------------------------


def test_a_window_takes_answers_all_its_closing_day_in_the_places_time() -> None:
    window = Window(dt.date(2026, 5, 11), dt.date(2026, 5, 14))
    # 23:30 in London on the 14th (summer: 22:30 UTC) is still open; midnight is not.
    assert window.openness(dt.datetime(2026, 5, 14, 22, 30, tzinfo=dt.UTC)) is Openness.OPEN
    assert window.openness(dt.datetime(2026, 5, 14, 23, 0, tzinfo=dt.UTC)) is Openness.CLOSED
    # 00:30 in London on the 11th is 23:30 UTC on the 10th: already open.
    assert window.openness(dt.datetime(2026, 5, 10, 23, 30, tzinfo=dt.UTC)) is Openness.OPEN
    assert window.openness(dt.datetime(2026, 5, 10, 22, 59, tzinfo=dt.UTC)) is Openness.NOT_YET
    noon = dt.datetime(2026, 5, 12, 11, 0, tzinfo=dt.UTC)
    assert window.describe(noon) == "Open until Thursday 14 May"
    assert window.describe(dt.datetime(2026, 5, 1, tzinfo=dt.UTC)) == (
        "Opens Monday 11 May to Thursday 14 May"
    )
    assert window.describe(dt.datetime(2026, 6, 1, tzinfo=dt.UTC)) == "Closed on Thursday 14 May"
    assert day_name(dt.date(2027, 1, 4), today=dt.date(2026, 12, 8)) == "Monday 4 January 2027"


def test_editing_a_design_keeps_its_invariants() -> None:
    design = Design(("trust-audit", "triage", "assets"))
    assert design.moved("assets", -1).exercises == ("trust-audit", "assets", "triage")
    assert design.moved("trust-audit", -1).exercises == design.exercises  # kept in range
    gone = design.without("triage")
    assert gone.exercises == ("trust-audit", "assets") and gone.removed == ("triage",)
    dated = gone.with_window("triage", Window(closes=dt.date(2026, 5, 14)))
    back = dated.added("triage")
    assert back.exercises[-1] == "triage" and back.removed == ()
    assert back.window("triage").closes == dt.date(2026, 5, 14)  # its dates come back too
    with pytest.raises(DesignError, match="only once"):
        design.added("triage")
    with pytest.raises(DesignError, match="close before"):
        design.with_window("triage", Window(dt.date(2026, 5, 14), dt.date(2026, 5, 11)))
    with pytest.raises(DesignError, match="2000 characters"):
        design.with_welcome("x" * 2001)
    assert Design.from_data(back.as_data()) == back


def test_an_unknown_exercise_id_is_named_with_the_ids_that_exist() -> None:
    said = unknown(["triage", "trust-audt"], ["triage", "trust-audit", "assets"])
    assert said == (
        "There is no exercise 'trust-audt' installed. The exercises installed are:"
        " assets, triage, trust-audit"
    )
    assert unknown(["triage"], ["triage"]) is None


# -- stored, and enforced by the store --------------------------------------------------------


def _workbook(database: str, design: Design | None) -> tuple[Store, str, str]:
    store = Store(database)
    workbook_id, team, _facilitator = create_workbook(store, "Riverside", design=design)
    return store, workbook_id, team


def test_a_closed_or_removed_exercise_refuses_members_saves_on_every_path(database: str) -> None:
    exercises = get_registry().exercises
    yesterday = _today() - dt.timedelta(days=1)
    design = Design(
        ("triage", "assets", "demand"),
        removed=("balcony",),
        windows={
            "triage": Window(closes=yesterday),
            "demand": Window(opens=_today() + dt.timedelta(days=3)),
        },
    )
    store, workbook_id, team = _workbook(database, design)
    member = join(store, resolve(store, team), "Ann")

    def responses(exercise: str) -> Responses:
        return Responses.for_member(
            store, workbook_id, exercises[exercise], member, exercises=exercises
        )

    # A member's save through Responses, the store's own put, and an imported dataset.
    with pytest.raises(ExerciseClosed, match="closed on"):
        responses("triage").save("issue", "i1", {"title": "Late"}, 0)
    with pytest.raises(ExerciseClosed, match="closed on"):
        store.put(workbook_id, "triage", "issue/i1", {"title": "Late"}, base_version=0)
    with pytest.raises(ExerciseClosed, match="opens on"):
        store.put_dataset(workbook_id, "demand", "demands", b"x", rows=1, base_version=0)
    with pytest.raises(ExerciseClosed, match="not part of this workbook"):
        store.put(workbook_id, "balcony", "k", {"a": 1}, base_version=0)
    with pytest.raises(ExerciseClosed, match="not part of this workbook"):  # never chosen
        store.put(workbook_id, "reframing", "k", {"a": 1}, base_version=0)
    # The facilitator's own saves still go in (closing a round to see its results, say).
    team_view = Responses(store, workbook_id, exercises["triage"], exercises=exercises)
    team_view.save("issue", "f1", {"title": "Facilitator's"}, 0)
    # A closed exercise is read-only the way a closed workbook is, for the pages.
    assert issubclass(ExerciseClosed, ReadOnlyWorkbook)
    # The open one takes saves.
    responses("assets").save("asset", "a1", {"name": "Library"}, 0)
    assert responses("assets").get("asset", "a1")["name"] == "Library"


def test_reopening_by_changing_the_dates_keeps_what_was_saved(database: str) -> None:
    store, workbook_id, _team = _workbook(database, Design(("assets",)))
    store.put(workbook_id, "assets", "asset/a1", {"name": "Library"}, base_version=0)
    installed = get_registry().exercises
    saved = workbook_design.current(store, workbook_id, installed)
    closed = saved.design.with_window("assets", Window(closes=_today() - dt.timedelta(days=2)))
    saved = workbook_design.save(store, workbook_id, closed, saved.version)
    with pytest.raises(ExerciseClosed):
        store.put(workbook_id, "assets", "asset/a1", {"name": "Hall"}, base_version=1)
    assert store.get(workbook_id, "assets", "asset/a1").data == {"name": "Library"}  # type: ignore[union-attr]
    removed = saved.design.without("assets")
    saved = workbook_design.save(store, workbook_id, removed, saved.version)
    restored = saved.design.added("assets").with_window("assets", Window())
    workbook_design.save(store, workbook_id, restored, saved.version)
    store.put(workbook_id, "assets", "asset/a1", {"name": "Hall"}, base_version=1)
    assert store.get(workbook_id, "assets", "asset/a1").version == 2  # type: ignore[union-attr]


def test_two_facilitators_saving_the_design_at_once_get_a_conflict(database: str) -> None:
    store, workbook_id, _team = _workbook(database, None)
    installed = list(get_registry().exercises)
    first = workbook_design.current(store, workbook_id, installed)
    assert first.version == 0 and first.design.exercises == tuple(installed)  # implicit
    second = workbook_design.current(store, workbook_id, installed)
    workbook_design.save(store, workbook_id, first.design.with_welcome("Hello"), first.version)
    with pytest.raises(ConflictError) as refused:
        workbook_design.save(store, workbook_id, second.design.without("triage"), second.version)
    assert refused.value.current is not None and refused.value.current.data["welcome"] == "Hello"
    now = workbook_design.current(store, workbook_id, installed)
    assert now.version == 1 and "triage" in now.design.exercises  # the later save was not kept


def test_no_design_means_every_exercise_is_open(database: str) -> None:
    store, workbook_id, _team = _workbook(database, None)
    store.put(workbook_id, "reframing", "k", {"a": 1}, base_version=0)  # as before designs


def test_the_small_group_threshold_is_set_at_creation_and_never_below_three(database: str) -> None:
    store = Store(database)
    workbook_id, _t, _f = create_workbook(store, "Riverside", min_group=5)
    assert store.min_group(workbook_id) == 5
    with pytest.raises(ValueError, match="from 3 to 20"):
        create_workbook(store, "Riverside", min_group=2)


def test_deleting_a_workbook_deletes_its_design(database: str) -> None:
    store, workbook_id, _team = _workbook(database, Design(("assets",), welcome="Hello"))
    assert store.delete_workbook(workbook_id)["workbook_designs"] == 1
    assert store.design(workbook_id) is None


# -- templates ----------------------------------------------------------------------------------


def test_a_design_saved_as_a_template_starts_another_workbook_with_its_durations(
    tmp_path: Path,
) -> None:
    start = dt.date(2026, 5, 4)
    design = Design(
        ("trust-audit", "triage", "assets"),
        welcome="Before Thursday, do the trust audit.\nOn the day we do the rest.",
        windows={
            "trust-audit": Window(closes=dt.date(2026, 5, 7)),
            "triage": Window(dt.date(2026, 5, 7), dt.date(2026, 5, 8)),
        },
    )
    template = templates.from_design(design, id="dev-day", title="Development day", start=start)
    path = tmp_path / "dev-day.toml"
    path.write_text(template.as_toml(), encoding="utf-8")
    read = templates.read(path)
    assert read == template
    again, left_out = read.design(dt.date(2026, 6, 1), ["trust-audit", "triage"])
    assert left_out == ["assets"]  # not installed there
    assert again.exercises == ("trust-audit", "triage")
    assert again.welcome == design.welcome
    assert again.window("trust-audit") == Window(closes=dt.date(2026, 6, 4))
    assert again.window("triage") == Window(dt.date(2026, 6, 4), dt.date(2026, 6, 5))


def test_a_broken_template_file_names_each_problem(tmp_path: Path) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(
        'id = "Bad Id"\ntitle = ""\n[[exercises]]\nid = "triage"\nopen_for_days = 0\n'
        '[[exercises]]\nid = "triage"\n',
        encoding="utf-8",
    )
    with pytest.raises(templates.TemplateError) as refused:
        templates.read(path)
    problems = refused.value.problems
    assert any(p.startswith("id:") for p in problems)
    assert any(p.startswith("title:") for p in problems)
    assert "exercise 1 (triage): open_for_days is a whole number from 1" in problems
    assert "exercise 2: 'triage' is listed twice" in problems
    path.write_text("id = [", encoding="utf-8")
    with pytest.raises(templates.TemplateError, match="not valid TOML"):
        templates.read(path)


def test_an_analyst_reads_the_design_through_placekit_open(database: str) -> None:
    import placekit

    design = Design(("assets", "triage"), removed=("balcony",), welcome="Hello")
    store = Store(database)
    _id, _team, facilitator = create_workbook(store, "Riverside", design=design)
    assert placekit.open(facilitator, db=database).design == design
