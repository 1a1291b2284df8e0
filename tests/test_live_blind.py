"""The blind round on members' pages (placekit.live.blind, member, banner): while a live
session runs, a step that shows the team's answers stays closed to members, its page never
built, until the facilitator reveals it; it opens on the member's page as the room's state
changes; a closed round takes no more answers; the room's step and timer show on the
page. Outside a session nothing is held."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import replace

import pytest

from placekit import hookimpl
from placekit.data.access import resolve
from placekit.data.responses import Responses
from placekit.data.store import Store
from placekit.dev.demo import seed_demo
from placekit.exercise import Exercise, Page, Summary
from placekit.live import blind, room, sessions
from placekit.live.member import MemberRoom
from placekit.live.panel import CLOSE, NEXT, REOPEN, REVEAL, live_panel
from placekit.live.sessions import RoomState
from placekit.live.timer import Timer
from placekit.plugins import get_registry
from placekit.testing import html_of, press
from placekit.web.pages import Wizard
from placekit.widgets.html import esc

EXERCISES = get_registry().exercises
WAITING, CLOSED = esc(blind.WAITING.reason), esc(blind.CLOSED.reason)  # as the page has them
TRIAGE = EXERCISES["triage"]


def test_the_policy_holds_only_in_a_live_session_and_only_until_the_reveal() -> None:
    assert blind.holds(TRIAGE, None) == {}  # no session: each at their own pace
    live = RoomState(step="gut")
    assert blind.holds(TRIAGE, live) == dict.fromkeys(
        ("reveal", "dialogue", "decide", "revisit"), blind.WAITING
    )
    assert blind.holds(TRIAGE, live.revealing("reveal")) == {}
    assert blind.holds(TRIAGE, live.closing("gut")) == {
        **dict.fromkeys(("reveal", "dialogue", "decide", "revisit"), blind.WAITING),
        "gut": blind.CLOSED,
    }
    assert blind.holds(TRIAGE, live.closing("gut").closing("gut", False))["reveal"] is blind.WAITING
    trust = EXERCISES["trust-audit"]
    assert blind.holds(trust, live) == {"results": blind.WAITING}
    assert blind.holds(EXERCISES["assets"], live) == {}  # mapped together, in the open


def test_an_exercise_cannot_hold_a_step_it_does_not_have(register_plugin) -> None:
    class Stray(Exercise):
        id, title, summary = "stray", "Stray", "Holds a step it lacks."
        steps = (("one", "One"),)
        held_until_revealed = {"two": "one"}

        def pages(self, responses: Responses) -> list[Page]:
            return []

        def summarise(self, responses: Responses) -> Summary:
            return Summary()

    class Mine(Stray):
        id = "mine"
        held_until_revealed = {}
        own_until_revealed = {"asset": "one"}  # no such kind

    class Plugin:
        @hookimpl
        def register_exercises(self, register: Callable[[Exercise], None]) -> None:
            register(Stray())
            register(Mine())

    register_plugin(Plugin(), "stray-plugin")
    loaded = get_registry()
    assert "stray" not in loaded.exercises and "mine" not in loaded.exercises
    said = " ".join(p.message for p in loaded.problems if p.plugin == "stray-plugin")
    assert "held_until_revealed names steps it does not have: 'two'" in said
    assert "own_until_revealed names team kinds or steps it does not have: 'asset'" in said


@pytest.fixture
def room_of_demo(database):
    """The demo workbook, with a live session of its triage, and Ann (who has confirmed her
    calls) on her page: the store, the facilitator, the session and Ann's wizard."""
    store = Store(database)
    demo = seed_demo(store)
    facilitator, team = resolve(store, demo.facilitator), resolve(store, demo.team)
    session = sessions.start(store, facilitator, TRIAGE)
    ann = demo.members[0]
    responses = Responses.for_member(store, team.workbook_id, TRIAGE, ann, exercises=EXERCISES)
    member_room = MemberRoom(store, team, TRIAGE, ann)
    wizard = Wizard(TRIAGE, responses, "", store=store, room=member_room)
    return store, facilitator, session, wizard


def heard(store: Store, session: sessions.LiveSession, wizard: Wizard) -> None:
    """The room's next event reaching the page, as the server's feed brings it."""
    shown = room.read(store, session.id, "https://placekit.example.org")
    wizard._room._heard(shown.as_json() if shown else {"live": False})


def test_the_team_view_waits_for_the_reveal_and_opens_with_it(room_of_demo) -> None:
    store, facilitator, session, wizard = room_of_demo
    team_view = "What the team thinks"
    wizard.goto("reveal")
    page = html_of(wizard)
    assert WAITING in page and team_view not in page
    assert "Opens at the reveal" in wizard.tasks.value
    assert "Live in the room." in page
    # The page was never built: none of the team's issues is anywhere in its widgets.
    titles = [issue["title"] for issue in wizard.responses.records("issue").values()]
    assert titles and not any(title in html_of(wizard.body) for title in titles)

    facilitator_view = Responses(store, facilitator.workbook_id, TRIAGE, exercises=EXERCISES)
    panel = live_panel(store, facilitator, facilitator_view)
    step = next(d for d in _all(panel) if getattr(d, "description", "") == "The room is on")
    step.value = "reveal"
    heard(store, session, wizard)
    assert WAITING in html_of(wizard)  # a step chosen is not yet revealed
    assert "The room is on step 6 of 9: Reveal." in html_of(wizard)
    press(panel, REVEAL)
    heard(store, session, wizard)
    page = html_of(wizard)
    assert team_view in page and WAITING not in page
    assert "revealed it to the room" in wizard.status.value  # read out as it opens


def test_a_closed_round_takes_no_more_answers_and_the_room_moves_on(room_of_demo) -> None:
    store, facilitator, session, wizard = room_of_demo
    facilitator_view = Responses(store, facilitator.workbook_id, TRIAGE, exercises=EXERCISES)
    panel = live_panel(store, facilitator, facilitator_view)
    press(panel, NEXT)  # from no step chosen: the first
    press(panel, NEXT)
    assert store.live_room(session.id)["state"]["step"] == "mode"
    wizard.goto("mode")
    assert "Your preferred mode" in html_of(wizard.body)
    press(panel, CLOSE)
    heard(store, session, wizard)
    assert CLOSED in html_of(wizard.body)  # the page it was on, closed
    assert "Round closed" in wizard.tasks.value
    assert "Round closed" in wizard.status.value
    press(panel, REOPEN)
    heard(store, session, wizard)
    assert "Your preferred mode" in html_of(wizard.body)


def test_the_room_s_timer_and_step_show_on_the_member_s_page(room_of_demo) -> None:
    store, facilitator, session, wizard = room_of_demo
    sessions.change_room(
        store,
        facilitator,
        session,
        lambda s: replace(s, step="gut", timer=Timer.of_minutes(5).start(time.time())),
    )
    heard(store, session, wizard)
    countdown = wizard._in_room._countdown
    assert countdown.shown and countdown.running and 300 - 5 < countdown.seconds_left <= 300
    wizard.goto("mode")
    assert "The room is on step 3 of 9: Gut call." in html_of(wizard)
    press(wizard, "Go to the room's step")
    assert wizard.page.step == "gut"

    # The session ends: nothing held, no room shown.
    sessions.end(store, facilitator, session, TRIAGE.title)
    heard(store, session, wizard)
    assert wizard.holds == {} and wizard.banner.children[0].children == ()
    assert "The live session has ended" in wizard.status.value
    wizard.goto("reveal")
    assert "What the team thinks" in html_of(wizard)


def test_outside_a_session_nothing_is_held(database) -> None:
    store = Store(database)
    demo = seed_demo(store)
    team = resolve(store, demo.team)
    ann = demo.members[0]
    responses = Responses.for_member(store, team.workbook_id, TRIAGE, ann, exercises=EXERCISES)
    wizard = Wizard(TRIAGE, responses, "", store=store, room=MemberRoom(store, team, TRIAGE, ann))
    wizard.goto("reveal")
    assert "What the team thinks" in html_of(wizard) and "Live in the room" not in html_of(wizard)


def _all(widget):  # noqa: ANN001, ANN202
    yield widget
    for child in getattr(widget, "children", ()):
        yield from _all(child)


def test_without_the_server_s_feed_a_page_looks_again_as_the_member_moves(room_of_demo) -> None:
    """A page run outside the server (JupyterLab, here) has no feed: opening a step the
    session could hold, it looks at the room afresh."""
    store, facilitator, session, wizard = room_of_demo
    wizard.goto("reveal")
    assert WAITING in html_of(wizard.body)
    facilitator_view = Responses(store, facilitator.workbook_id, TRIAGE, exercises=EXERCISES)
    sessions.change_room(store, facilitator, session, lambda s: replace(s, step="reveal"))
    press(live_panel(store, facilitator, facilitator_view), REVEAL)
    wizard.goto("check")
    wizard.goto("reveal")
    assert "What the team thinks" in html_of(wizard.body)


def test_a_map_built_together_shows_each_member_only_their_own_until_the_reveal(
    database,
) -> None:
    """The asset map: in a live session each member records what they know of without
    seeing the others' assets, nor how many, until the facilitator reveals the step."""
    store = Store(database)
    demo = seed_demo(store)  # the demo's five assets are all Asha's
    facilitator, team = resolve(store, demo.facilitator), resolve(store, demo.team)
    assets = EXERCISES["assets"]
    asha, ben = demo.members[:2]

    def page_of(member) -> Wizard:  # noqa: ANN001
        responses = Responses.for_member(
            store, team.workbook_id, assets, member, exercises=EXERCISES
        )
        wizard = Wizard(
            assets, responses, "", store=store, room=MemberRoom(store, team, assets, member)
        )
        wizard.goto("recognise/association")
        return wizard

    assert "1 recorded so far" in html_of(page_of(ben).body)  # no session: the team's map
    session = sessions.start(store, facilitator, assets)
    mine = page_of(ben)
    assert "None recorded yet" in html_of(mine.body)
    assert "1 recorded so far" in html_of(page_of(asha).body)  # her own
    press(mine, "Add an asset: associations and groups")
    assert "1 recorded so far" in html_of(mine.body)  # his own, as he adds it
    assert "1 recorded so far" in html_of(page_of(asha).body)  # not his

    facilitator_view = Responses(store, facilitator.workbook_id, assets, exercises=EXERCISES)
    assert len(facilitator_view.records("asset")) == 6  # the facilitator sees them all
    sessions.change_room(store, facilitator, session, lambda s: replace(s, step="recognise"))
    press(live_panel(store, facilitator, facilitator_view), REVEAL)
    heard(store, session, mine)
    assert "2 recorded so far" in html_of(mine.body)
    assert esc("now shows everyone's") in mine.status.value
