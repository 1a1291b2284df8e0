"""The room's screen in a live session (placekit.live.room, member, watch): who has
joined and how many have completed each step, named only where the exercise and the member
allow it, forgotten when the session ends; and one look at the database per session however
many screens watch it. On SQLite and PostgreSQL where the database is involved."""

from __future__ import annotations

import asyncio
from dataclasses import replace

import pytest

from placekit.data import erasure, privacy
from placekit.data.access import create_workbook, join, resolve
from placekit.data.responses import Responses
from placekit.data.store import Store, live_presence
from placekit.dev.demo import seed_demo
from placekit.exercise import Figure, Summary
from placekit.live import room, sessions
from placekit.live.member import MemberRoom
from placekit.live.panel import live_panel
from placekit.live.reveal import reveal, screen_html
from placekit.live.timer import Timer, as_minutes
from placekit.live.watch import Watchers
from placekit.plugins import get_registry
from placekit.testing import html_of, press, run_apart
from placekit.web.pages import Wizard

EXERCISES = get_registry().exercises
TRIAGE = EXERCISES["triage"]  # anonymity "optional": by name, or anonymously
TRUST = EXERCISES["trust-audit"]  # anonymous
BASE = "https://placekit.example.org"


def test_the_room_names_who_joined_by_name_and_counts_the_rest(live_workbook) -> None:
    store, facilitator, team = live_workbook
    session = sessions.start(store, facilitator, TRIAGE)
    ann, bo = join(store, team, "Ann <b>"), join(store, team, "bo")
    hidden = join(store, team, "", anonymous=True)
    MemberRoom(store, team, TRIAGE, ann).report(["issues", "mode"])
    MemberRoom(store, team, TRIAGE, bo).report(["issues"])
    MemberRoom(store, team, TRIAGE, hidden).report([])

    seen = room.read(store, session.id, BASE)
    assert seen is not None and seen.live
    assert seen.title == TRIAGE.title and seen.workbook_title == "Riverside <Partnership>"
    assert seen.join_code == session.shown_code
    assert seen.team_link == f"{BASE}/voila/render/index.ipynb?code={team.code}"
    assert seen.names == ("Ann <b>", "bo") and seen.unnamed == 1 and seen.joined == 3
    answered = {s.id: s.answered for s in seen.steps}
    assert answered["issues"] == 2 and answered["mode"] == 1 and answered["gut"] == 0
    assert [s.title for s in seen.steps] == [t for _s, t in TRIAGE.steps]  # in order
    # The anonymous member's made-up name is never on the screen.
    assert not any("Anonymous" in n for n in seen.as_json()["names"])

    sessions.end(store, facilitator, session, TRIAGE.title)
    ended = room.read(store, session.id, BASE)
    assert ended is not None and not ended.live and ended.joined == 0  # the room forgotten
    with store.engine.connect() as conn:
        assert conn.execute(live_presence.select()).first() is None
    assert room.read(store, "0" * 32, BASE) is None


def test_an_anonymous_exercise_s_room_is_a_count_with_nothing_that_leads_to_anyone(
    live_workbook,
) -> None:
    store, facilitator, team = live_workbook
    session = sessions.start(store, facilitator, TRUST)
    members = [join(store, team, name) for name in ("Ann", "Bo", "Cy")]
    for member in members:
        MemberRoom(store, team, TRUST, member).report(["start"])
    seen = room.read(store, session.id, BASE)
    assert seen is not None and seen.names == () and seen.unnamed == 3
    with store.engine.connect() as conn:
        kept = set(
            conn.execute(live_presence.select().with_only_columns(live_presence.c.member)).scalars()
        )
    assert len(kept) == 3
    ids = {m.id for m in members}
    answer_keys = {privacy.respondent_key(m.token, team.workbook_id, TRUST.id) for m in members}
    assert not kept & ids and not kept & answer_keys  # neither the member nor their answers
    # A key of this session alone: the next session's keys are others.
    again = sessions.start(store, facilitator, TRUST)
    assert privacy.presence_key(TRUST, members[0], again.id) not in kept


def test_a_page_says_what_changed_and_only_while_the_session_is_live(live_workbook) -> None:
    store, facilitator, team = live_workbook
    ann = join(store, team, "Ann")
    presence = MemberRoom(store, team, TRIAGE, ann)
    presence.report(["issues"])  # no session yet: nothing kept
    with store.engine.connect() as conn:
        assert conn.execute(live_presence.select()).first() is None
    session = sessions.start(store, facilitator, TRIAGE)
    presence = MemberRoom(store, team, TRIAGE, ann)  # a page opened during the session
    presence.report(["issues", "gut"])
    presence.report(["issues"])  # an answer changed back: the step is no longer done
    seen = room.read(store, session.id, BASE)
    assert {s.id: s.answered for s in seen.steps if s.answered} == {"issues": 1}

    # A member erasing their data takes their place in the room with it.
    erasure.erase(store, team, ann)
    assert room.read(store, session.id, BASE).joined == 0


def test_a_member_s_wizard_joins_the_room_as_it_opens(live_workbook) -> None:
    store, facilitator, team = live_workbook
    session = sessions.start(store, facilitator, TRIAGE)
    ann = join(store, team, "Ann")
    responses = Responses.for_member(store, team.workbook_id, TRIAGE, ann, exercises=EXERCISES)
    Wizard(TRIAGE, responses, store=store, room=MemberRoom(store, team, TRIAGE, ann))
    assert room.read(store, session.id, BASE).names == ("Ann",)


def test_thirty_screens_on_one_session_cost_one_look_at_a_time() -> None:
    reads: list[str] = []
    state = {"count": 0, "live": True}

    def read(key: str) -> dict:
        reads.append(key)
        return dict(state)

    async def run() -> None:
        watchers = Watchers(read, ended=lambda s: not s["live"], look_s=0.05)
        screens = [watchers.subscribe("s1") for _ in range(30)]
        await asyncio.sleep(0.5)
        assert all(s.changed.is_set() and s.latest["count"] == 0 for s in screens)
        assert len(reads) <= 12  # ten looks in half a second, for all thirty screens
        for s in screens:
            s.changed.clear()
        state["count"] = 1
        await asyncio.sleep(0.15)
        assert all(s.changed.is_set() and s.latest["count"] == 1 for s in screens)
        late = watchers.subscribe("s1")  # a screen opened now is shown the room at once
        assert late.changed.is_set() and late.latest["count"] == 1
        for s in screens:
            s.changed.clear()
        before = len(reads)
        await asyncio.sleep(0.3)
        assert not any(s.changed.is_set() for s in screens)  # unchanged: nobody woken
        assert len(reads) > before  # but still looking
        for s in [*screens, late]:
            s.close()
        await asyncio.sleep(0.01)
        assert watchers.watched == 0
        stopped = len(reads)
        await asyncio.sleep(0.2)
        assert len(reads) == stopped  # no screen, no looks

        state["live"] = False  # the session ends: its screens are told, then looking stops
        last = watchers.subscribe("s1")
        await asyncio.sleep(0.2)
        assert last.over and not last.latest["live"] and watchers.watched == 0
        last.close()

    run_apart(run)


def test_a_failed_look_is_tried_again() -> None:
    calls = {"n": 0}

    def read(_key: str) -> int:
        calls["n"] += 1
        if calls["n"] == 1:
            raise OSError("database away")
        return 7

    async def run() -> None:
        watchers = Watchers(read, ended=lambda s: False, look_s=0.02)
        screen = watchers.subscribe("s")
        await asyncio.wait_for(screen.changed.wait(), 2)
        assert screen.latest == 7
        screen.close()

    run_apart(run)


def test_the_timer_counts_from_what_is_stored() -> None:
    timer = Timer.of_minutes(5)
    assert (timer.seconds, timer.left, timer.running) == (300, 300.0, False)
    running = timer.start(now=1000.0)
    assert running.left_at(1000.0 + 61) == 239.0 and as_minutes(239.0) == "3:59"
    assert running.start(now=1050.0) == running  # pressing Start again changes nothing
    paused = running.pause(now=1100.0)
    assert not paused.running and paused.left_at(5000.0) == 200.0  # paused: time stands
    assert paused.start(now=2000.0).left_at(2050.0) == 150.0  # on from where it stood
    assert running.left_at(2000.0) == 0.0 and as_minutes(0.4) == "0:01"  # up only at 0
    assert running.pause(2000.0).start(3000.0).left == 300.0  # run out: starts afresh
    assert paused.reset() == Timer(300, 300.0)
    assert Timer.from_json(paused.as_json()) == paused
    for minutes in (0, 121):
        with pytest.raises(ValueError, match="between 1 and 120 minutes"):
            Timer.of_minutes(minutes)


def test_the_facilitator_sets_the_room_s_step_and_timer(live_workbook) -> None:
    store, facilitator, team = live_workbook
    session = sessions.start(store, facilitator, TRIAGE)
    state = sessions.RoomState(step="gut", timer=Timer.of_minutes(3).start(1000.0))
    assert sessions.change_room(store, facilitator, session, lambda _s: state) == state
    seen = room.read(store, session.id, BASE)
    assert seen.step == "gut" and seen.timer == state.timer
    assert seen.as_json()["timer"] == {"seconds": 180, "left": 180.0, "since": 1000.0}

    with pytest.raises(sessions.NotFacilitator):
        sessions.change_room(store, team, session, lambda _s: state)
    _id, _team, other = create_workbook(store, "Northtown")
    with pytest.raises(sessions.NotFacilitator):  # another workbook's facilitator
        sessions.change_room(store, resolve(store, other), session, lambda _s: state)
    with pytest.raises(ValueError, match="not a step"):
        sessions.change_room(store, facilitator, session, lambda s: replace(s, step="nope"))
    sessions.end(store, facilitator, session, TRIAGE.title)
    with pytest.raises(sessions.SessionEnded):
        sessions.change_room(store, facilitator, session, lambda s: replace(s, step="mode"))
    assert room.read(store, session.id, BASE).step == "gut"  # as it was when it ended


def test_the_facilitator_s_panel_runs_the_room(live_workbook) -> None:
    store, facilitator, _team = live_workbook
    responses = Responses(store, facilitator.workbook_id, TRIAGE, exercises=EXERCISES)
    panel = live_panel(store, facilitator, responses)
    press(panel, "Run this in the room")
    session = sessions.current(store, facilitator, TRIAGE.id)
    assert session is not None and "Open the screen for the room" in html_of(panel)
    assert f'href="../../live/{session.id}"' in html_of(panel)
    (step,) = [c for c in _all(panel) if getattr(c, "description", "") == "The room is on"]
    step.value = "gut"
    (minutes,) = [c for c in _all(panel) if getattr(c, "description", "") == "Timer, in minutes"]
    minutes.value = 2
    press(panel, "Start the timer")
    seen = room.read(store, session.id, BASE)
    assert seen.step == "gut" and seen.timer.seconds == 120 and seen.timer.running
    assert "Timer running: 2:00 left" in html_of(panel) or "Timer running: 1:59" in html_of(panel)
    press(panel, "Pause")
    assert not room.read(store, session.id, BASE).timer.running
    # A second device (the facilitator's phone) changes the step: the timer set on the
    # first is kept, and the first's next press keeps the second's step.
    phone = live_panel(store, facilitator, responses)
    (other,) = [c for c in _all(phone) if getattr(c, "description", "") == "The room is on"]
    other.value = "diagnose"
    assert room.read(store, session.id, BASE).timer.seconds == 120
    press(panel, "Start the timer")
    seen = room.read(store, session.id, BASE)
    assert seen.step == "diagnose" and seen.timer.running
    press(panel, "Pause")
    assert "Timer paused at" in html_of(panel)
    minutes.value = 500  # past the box's own limit: it holds at 120
    assert minutes.value == 120
    press(panel, "Reveal this step to the room")  # the gut call is each member's own
    assert "This step has nothing to reveal" in html_of(panel)
    assert room.read(store, session.id, BASE).revealed == ()
    press(panel, "Reset")
    assert "nothing to reveal" not in html_of(panel)  # said once, gone at the next action

    # Ended on another device: the next press says so, and offers a new session.
    sessions.end(store, facilitator, session, TRIAGE.title)
    press(panel, "Start the timer")
    assert "This live session has ended" in html_of(panel)
    assert "Something went wrong" not in html_of(panel)
    press(panel, "Run this in the room")


def _all(widget):
    yield widget
    for child in getattr(widget, "children", ()):
        yield from _all(child)


def test_reveal_shows_the_room_a_step_s_team_result_and_nothing_before(database) -> None:
    store = Store(database)
    demo = seed_demo(store)
    facilitator = resolve(store, demo.facilitator)
    session = sessions.start(store, facilitator, TRIAGE)
    responses = Responses(store, facilitator.workbook_id, TRIAGE, exercises=EXERCISES)
    sessions.change_room(store, facilitator, session, lambda s: replace(s, step="reveal"))
    assert store.live_reveal(session.id, "reveal") is None  # blind until revealed

    # A step that is each member's own has nothing to reveal.
    assert reveal(store, facilitator, session, TRIAGE, responses, "mode") is None
    shown = reveal(store, facilitator, session, TRIAGE, responses, "reveal")
    assert shown is not None and shown.revealed == (("reveal", 1),)
    html = store.live_reveal(session.id, "reveal")
    assert "<caption>Gut calls on each issue</caption>" in html
    assert "<caption>Gut call against the diagnosis</caption>" in html
    for member in demo.members:  # counts, never who called what
        assert member.display_name not in html
    seen = room.read(store, session.id, BASE)
    assert seen.as_json()["revealed"] == {"reveal": 1}
    again = reveal(store, facilitator, session, TRIAGE, responses, "reveal")
    assert again.revealed == (("reveal", 2),)  # the screen fetches it afresh

    with pytest.raises(sessions.NotFacilitator):
        reveal(store, resolve(store, demo.team), session, TRIAGE, responses, "reveal")
    sessions.end(store, facilitator, session, TRIAGE.title)
    assert store.live_reveal(session.id, "reveal") is None  # gone with the session
    with pytest.raises(sessions.SessionEnded):
        reveal(store, facilitator, session, TRIAGE, responses, "reveal")


def test_what_the_screen_shows_of_a_reveal_is_escaped_text_and_described_pictures() -> None:
    import pandas as pd

    summary = Summary(
        tables={"Issues <b>": pd.DataFrame({"Issue": ["<img src=x onerror=alert(1)>"]})},
        notes=["<script>alert(1)</script>"],
        figures={"Broken": Figure(lambda: 1 / 0, "What it shows, in words <i>")},
    )
    html = screen_html(summary)
    assert "<script>" not in html and "<img src=x" not in html and "<b>" not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "What it shows, in words &lt;i&gt;" in html  # a chart that failed: its words


@pytest.mark.parametrize(
    ("exercise_id", "step", "shows"),
    [
        ("trust-audit", "results", "Self-view and partners' view"),
        ("assets", "recognise", "Assets by category"),
    ],
)
def test_each_built_in_exercise_reveals_a_team_result(exercise_id, step, shows, tmp_path) -> None:
    store = Store(tmp_path / "placekit.db")
    demo = seed_demo(store)
    facilitator = resolve(store, demo.facilitator)
    exercise = EXERCISES[exercise_id]
    responses = Responses(store, facilitator.workbook_id, exercise, exercises=EXERCISES)
    shown = exercise.revealed(step, responses)
    assert shown is not None and any(name.startswith(shows) for name in shown.tables)
    html = screen_html(shown)
    assert '<img src="data:image/png;base64,' in html  # its chart, as a picture
    for member in demo.members:
        assert member.display_name not in html
    assert exercise.revealed(exercise.steps[0][0], responses) is None
