"""A 360 through its real pages and widgets: the leader's "Invite raters" page gives a link
per group, raters open them as the exercise page does (``exercise_page``), are told whom
they rate and that they are anonymous, answer and send; the leader closes her 360 and
sees herself against her raters, in a table and a chart. A wrong link says so in the page.
"""

from __future__ import annotations

import html
import re
from typing import Any

import ipywidgets as w
import pytest

from placekit.data import lifecycle
from placekit.data.privacy import FACILITATOR
from placekit.testing import ExerciseDriver, TestWorkbook, charts_of, html_of
from placekit.web import pages
from tests.test_360_engine import EX, LEADER

LINK = re.compile(r"http://[^\s<\"]+exercise=" + re.escape(EX))


def unescape(link: str) -> str:
    return link.replace("&amp;", "&")


def code_of(link: str) -> str:
    return re.search(r"code=([^&]+)", link)[1]  # type: ignore[index]


def text_box(widget: Any, description: str) -> w.Text:
    if isinstance(widget, w.Text) and widget.description == description:
        return widget
    for child in getattr(widget, "children", ()):
        found = text_box(child, description)
        if found is not None:
            return found
    return None  # type: ignore[return-value]


def open_link(link: str, secret: str = "") -> tuple[pages.Page, Any]:
    """Open a rater's link as Voila's exercise page does, in a browser that holds
    ``secret`` (none: a browser that has never been here)."""
    page = pages.Page(pages._exercise)
    page.browser.stored_token = secret
    page.load({"code": code_of(link), "exercise": EX})
    (shown,) = page.content.children
    return page, shown


def answer_every_page(wizard: Any, value: int) -> None:
    """Answer each statement with ``value`` and go on, as far as the check page."""
    while wizard.page.id != "rate/check":
        assert wizard.context is not None
        for widget in wizard.context.inputs.values():
            widget.value = value
        wizard.context.flush()
        assert wizard.can_continue, wizard.errors
        wizard.next.click()


@pytest.fixture
def leader(placekit_workbook: TestWorkbook) -> ExerciseDriver:
    return ExerciseDriver(placekit_workbook, EX, LEADER)


def self_rate(leader: ExerciseDriver, value: int) -> None:
    q = leader.wizard.exercise.questionnaire  # type: ignore[attr-defined]
    for dim in q.dimensions:
        leader.goto(f"r1/all/{dim.id}")
        leader.fill({f"r1.{i.id}": value for i in dim.items})
    leader.goto("r1/check").next()


def test_invite_rate_and_see_the_results(leader: ExerciseDriver) -> None:
    assert leader.page == "r1/start"
    assert "This is a 360" in leader.text
    leader.next()
    assert leader.page == "r1/invite"
    name = text_box(leader.wizard, "Your name, as your raters will see it")
    assert name.value == LEADER  # her display name, not stored with the 360
    links = [unescape(link) for link in LINK.findall(leader.text)]
    assert len(links) == 4 and len(set(links)) == 4
    for group in ("Colleagues and peers", "Partners", "People you manage", "People who manage you"):
        assert f"<h3>{group}</h3>" in leader.text
    assert "No one has answered yet." in leader.text
    name.value = "Ann Q."  # links follow the name she gives
    renamed = [unescape(link) for link in LINK.findall(leader.text)]
    assert renamed != links and len(renamed) == 4
    name.value = ""
    assert "Type your name to see the links." in leader.text and not LINK.findall(leader.text)
    name.value = LEADER
    peers = unescape(LINK.findall(leader.text)[0])
    assert peers == links[0]  # the same link on every visit

    self_rate(leader, 4)
    assert leader.page == "r1/done"
    assert "You can close it once at least 3 people have answered" in leader.text
    assert leader.buttons().count("Close my 360 and show my results") == 0

    secrets = []
    for value in (3, 3, 2):
        page, rater = open_link(peers)
        start = html_of(rater)
        assert "You are rating <strong>Ann Quayle</strong>, as one of their colleagues" in start
        assert "Your answers are anonymous" in start and "not asked for" in start
        assert "Your name" not in start  # no name is asked of a rater
        rater.next.click()
        assert "How like Ann Quayle is this?" in html_of(rater)
        first = next(iter(rater.context.inputs.values()))
        assert first.options[0] == ("Not like them", 1)  # the scale read about Ann
        answer_every_page(rater, value)
        assert "When you confirm, your answers go into Ann Quayle's 360" in html_of(rater)
        rater.next.click()  # Confirm and continue
        assert rater.page.id == "rate/sent"
        assert "Thank you. Your answers about Ann Quayle are in." in html_of(rater)
        secrets.append(page.browser.remember_token)
    assert len(set(secrets)) == 3

    # A rater who comes back in the same browser finds their answers sent, unchangeable.
    _page, again = open_link(peers, secrets[0])
    assert again.page.id == "rate/sent"
    again.goto("rate/feeling")
    assert "You have sent your answers" in html_of(again)
    assert all(widget.disabled for widget in again.context.inputs.values())

    leader = ExerciseDriver(leader.workbook, EX, LEADER)  # she opens the page again
    leader.goto("r1/done")
    assert "3 colleagues and peers have answered." in leader.text
    assert "Your results appear when you close your 360" in leader.text
    assert "Each dimension" not in leader.text  # no figure while raters can still answer
    leader.press("Close my 360 and show my results")
    leader.press("Yes, close my 360")
    shown = leader.text
    assert "Your 360 is closed" in shown
    assert "<th>Colleagues and peers</th>" in shown and "<th>All raters</th>" in shown
    # Raters: 3, 3 and 2 on every statement: 8/3 = 2.67; she said 4, a gap of 1.33.
    assert "<td>2.67</td>" in shown and "<td>1.33</td>" in shown
    assert "blind spot" in shown and "Questions to think about" in shown
    assert "Why some groups are pooled" in shown
    (chart,) = charts_of(leader.wizard)
    series = {r.get("Series") for rows in chart.to_dict()["datasets"].values() for r in rows}
    # Her peers are all her raters: their polygon is drawn once, not again as "All raters".
    assert {"You", "Colleagues and peers"} <= series and "All raters" not in series
    assert "The table “Each dimension” has the same figures" in shown  # the chart in words

    # A link opened after she closed her 360 takes no more answers, and says why.
    _page, late = open_link(peers)
    assert "Ann Quayle's 360 has closed" in html.unescape(html_of(late))


def test_a_wrong_code_says_so_in_the_page(leader: ExerciseDriver) -> None:
    leader.next()
    link = unescape(LINK.findall(leader.text)[0])
    code = code_of(link)
    for bad in (code[:-3] + "AAA", code[:40], code.replace(code.split(".")[1], "e30")):
        _page, shown = open_link(link.replace(code, bad))
        text = html_of(shown)
        assert "This link is not valid" in text
        assert "ask the person who sent it" in text
        assert "Ann Quayle" not in text
    # The rater's link opens neither the team's pages nor the facilitator's.
    index = html_of(pages.index_page(code))
    assert "This link is not valid" in index and "Your workbook" not in index


def test_a_guest_link_opens_only_an_exercise_that_has_guests(leader: ExerciseDriver) -> None:
    # A plain self-assessment is anonymous but has no guest view: its guest link opens
    # nothing, whoever made it.
    member = leader.workbook.responses("systems-leadership", LEADER)
    plain = member.guest_link("r1.anything", LEADER)
    page = pages.Page(pages._exercise)
    page.load({"code": code_of(plain), "exercise": "systems-leadership"})
    assert "This link is not valid" in html_of(page)


def test_a_closed_workbook_takes_no_more_ratings(leader: ExerciseDriver) -> None:
    leader.next()
    link = unescape(LINK.findall(leader.text)[0])
    lifecycle.close(leader.workbook.store, leader.workbook.access.workbook_id, FACILITATOR)
    _page, shown = open_link(link)
    assert "This workbook is closed" in html_of(shown)
    assert "It takes no more answers" in html_of(shown)
