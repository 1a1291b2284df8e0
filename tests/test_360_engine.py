"""The 360 as plain Python (no widgets): a leader rates herself, seven people rate her by
link in three groups (one of them a group of two), and her results are checked against a
table worked out by hand, at the workbook's smallest group size and above it.

The raters come in as the pages bring them: the leader's link, its guest code resolved
(``resolve_guest``), the questionnaire's ``guest_view``, and a respondent key from a
secret of the rater's own.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlparse

import numpy as np
import pytest
from placekit_questionnaires.plugin import FOLDER

from placekit.data.access import InvalidLink, Member, new_code, resolve_guest
from placekit.data.responses import Responses
from placekit.errors import PlaceKitError
from placekit.questionnaires import QuestionnaireError, close_round, load, submit
from placekit.questionnaires import rate as rate_by_tool
from placekit.questionnaires.model import parse
from placekit.questionnaires.rater_results import GAP, leader_report
from placekit.questionnaires.raters import (
    RATING,
    close_subject,
    counts,
    ensure_subject,
    invitations,
    invite_link,
    rater_lock,
    ratings,
    submit_rating,
    who_answered,
)
from placekit.testing import TestWorkbook

EX = "systems-leadership-360"
LEADER = "Ann Quayle"
DIMENSIONS = ("feeling", "perceiving", "thinking", "relating", "doing", "being")

#: The leader's own score on each dimension (every statement of a dimension alike).
SELF = (5, 4, 4, 4, 3, 4)
#: Each rater: their group, their score on each dimension, and their "Not sure"s.
RATERS = (
    ("peers", (4, 3, 4, 3, 4, 4), ()),
    ("peers", (4, 2, 4, 4, 4, 3), ()),
    ("peers", (5, 3, 3, 3, 5, 4), ()),
    ("peers", (3, 2, 5, 4, 3, 5), ("THINK3",)),
    ("partners", (4, 3, 4, 2, 4, 3), ()),
    ("partners", (2, 3, 4, 3, 5, 3), ()),
    ("managers", (3, 3, 2, 4, 4, 4), ("REL1",)),
)

# Worked by hand, k = 3. Colleagues and peers: 4 raters, shown on their own. Partners (2)
# and the one person who manages her are each fewer than 3, so they are pooled as "Others"
# (3 raters). All raters: 7. A flag needs a gap of at least 0.8 (a fifth of the 1-5 scale).
#
#   dimension    you  peers               others             all raters   gap
#   feeling      5    (4+4+5+3)/4 = 4.00  (4+2+3)/3 = 3.00   25/7 = 3.57   1.43  blind spot
#   perceiving   4    (3+2+3+2)/4 = 2.50  (3+3+3)/3 = 3.00   19/7 = 2.71   1.29  blind spot
#   thinking     4    (4+4+3+5)/4 = 4.00  (4+4+2)/3 = 3.33   26/7 = 3.71   0.29
#   relating     4    (3+4+3+4)/4 = 3.50  (2+3+4)/3 = 3.00   23/7 = 3.29   0.71
#   doing        3    (4+4+5+3)/4 = 4.00  (4+5+4)/3 = 4.33   29/7 = 4.14  -1.14  hidden strength
#   being        4    (4+3+4+5)/4 = 4.00  (3+3+4)/3 = 3.33   26/7 = 3.71   0.29
#
# The fourth peer's "Not sure" on THINK3 leaves their thinking score 5 (two statements of
# three), and the manager's on REL1 leaves theirs 4, so no dimension loses a rater.
HAND = {
    "Ways of feeling": (5, 4.00, 3.00, 3.57, 1.43, "blind spot"),
    "Ways of perceiving": (4, 2.50, 3.00, 2.71, 1.29, "blind spot"),
    "Ways of thinking": (4, 4.00, 3.33, 3.71, 0.29, ""),
    "Ways of relating": (4, 3.50, 3.00, 3.29, 0.71, ""),
    "Ways of doing": (3, 4.00, 4.33, 4.14, -1.14, "hidden strength"),
    "Personal qualities": (4, 4.00, 3.33, 3.71, 0.29, ""),
}
COLUMNS = ["You", "Colleagues and peers", "Others", "All raters", GAP, "Flag"]


def answers(q: Any, scores: tuple[int, ...], unsure: tuple[str, ...] = ()) -> dict[str, Any]:
    return {
        item.id: "dk" if item.id in unsure else scores[DIMENSIONS.index(item.dimension)]
        for item in q.items
    }


def guest_responses(wb: TestWorkbook, link: str, secret: str | None = None) -> Responses:
    """What a rater who opens ``link`` answers through, as the exercise page does it: the
    guest code resolved, the questionnaire's view for guests, and a secret of the rater's
    browser (``secret``; a new one by default), which is all that makes them who they are."""
    exercise = wb.exercise(EX)
    code = parse_qs(urlparse(link).query)["code"][0]
    view = exercise.guest_view(resolve_guest(wb.store, code, EX))
    assert view is not None
    rater = Member("", "", True, secret or new_code())
    return Responses.for_member(wb.store, wb.access.workbook_id, view, rater)


def rate(wb: TestWorkbook, link: str, scores: tuple[int, ...], unsure: tuple[str, ...] = ()) -> str:
    """One rater answers every statement by ``link`` and submits; returns their secret."""
    secret = new_code()
    mine = guest_responses(wb, link, secret)
    view: Any = mine.exercise
    mine.save(RATING, view.invitation.record, answers(view.questionnaire, scores, unsure), 0)
    submit_rating(mine, view.invitation)
    return secret


def leader_with_raters(
    wb: TestWorkbook, name: str = LEADER, raters: Any = RATERS, own: tuple[int, ...] = SELF
) -> dict:
    """A leader who has rated herself (``own``) and sent her links; ``raters`` (group,
    scores, "Not sure"s) have answered. ``raters`` in the result are their secrets."""
    q = wb.exercise(EX).questionnaire  # type: ignore[attr-defined]
    mine = wb.responses(EX, name)
    mine.save("answers", "r1", answers(q, own), 0)
    submit(mine)
    subject = ensure_subject(mine, 1)
    links = {i.group.id: invite_link(mine, i, name) for i in invitations(q, subject)}
    secrets = [rate(wb, links[group], scores, unsure) for group, scores, unsure in raters]
    return {"q": q, "links": links, "subject": subject, "raters": secrets}


@pytest.fixture
def ann(placekit_workbook: TestWorkbook) -> dict:
    return leader_with_raters(placekit_workbook) | {"wb": placekit_workbook}


def report_of(wb: TestWorkbook) -> Any:
    q = wb.exercise(EX).questionnaire  # type: ignore[attr-defined]
    return leader_report(q, wb.responses(EX, LEADER), 1)


def test_the_leader_sees_herself_against_each_group_as_worked_by_hand(ann: dict) -> None:
    wb = ann["wb"]
    close_subject(wb.responses(EX, LEADER), 1)
    report = report_of(wb)
    assert [(c.label, c.n) for c in report.columns] == [
        ("Colleagues and peers", 4),
        ("Others", 3),
        ("All raters", 7),
    ]
    assert report.columns[1].groups == ("partners", "managers")
    table = report.dimensions.set_index("Dimension")
    for dimension, expected in HAND.items():
        row = table.loc[dimension, COLUMNS]
        assert list(row[:-1]) == pytest.approx(expected[:-1], abs=0.005), dimension
        assert row["Flag"] == expected[-1], dimension
    # No partner's figures on their own anywhere: the group of two is only in the pools.
    assert "Partners" not in report.dimensions.columns
    assert "Partners" not in report.statements.columns
    assert report.flagged == [
        ("feeling", "blind spot"),
        ("perceiving", "blind spot"),
        ("doing", "hidden strength"),
    ]
    assert report.series["All raters"]["feeling"] == pytest.approx(25 / 7)
    assert report.series["You"]["doing"] == 3


def test_a_statement_left_short_by_a_not_sure_is_withheld_with_the_cell_beside_it(
    ann: dict,
) -> None:
    wb = ann["wb"]
    close_subject(wb.responses(EX, LEADER), 1)
    statements = report_of(wb).statements.set_index("Statement")
    # THINK3: the fourth peer was not sure, so 3 peers gave it a score: still shown.
    think3 = statements.loc[
        "I help others make sense of a complicated picture without over-simplifying it."
    ]
    assert [
        think3["Colleagues and peers"],
        think3["Others"],
        think3["All raters"],
    ] == pytest.approx([11 / 3, 10 / 3, 21 / 6], abs=0.005)
    # REL1: the manager was not sure, so "Others" has two scores (2, 3): withheld. Peers'
    # mean (3.5 from four) is withheld too, or all raters' 19/6 minus it would give the
    # two away: (19 - 14) / 2 = 2.5.
    rel1 = statements.loc[
        "Partners would describe me as honest about my organisation's constraints."
    ]
    assert np.isnan(rel1["Others"]) and np.isnan(rel1["Colleagues and peers"])
    assert rel1["All raters"] == pytest.approx(19 / 6, abs=0.005)
    assert rel1[GAP] == pytest.approx(4 - 19 / 6, abs=0.005)
    assert "Others: fewer than 3 raters gave a score" in rel1["Note"]
    assert "Colleagues and peers: withheld so that a smaller group" in rel1["Note"]


def test_who_has_answered_counts_small_groups_only_together(ann: dict) -> None:
    wb, q = ann["wb"], ann["q"]
    mine = wb.responses(EX, LEADER)
    counted = counts(q, ratings(q, mine, ann["subject"]))
    assert counted == {"peers": 4, "partners": 2, "reports": 0, "managers": 1}
    assert who_answered(q, counted, mine.rule) == [
        "4 colleagues and peers have answered.",
        "3 partners and people who manage you have answered between them.",
        "7 people have answered in all.",
        "No people you manage have answered yet.",
    ]


@pytest.mark.parametrize(
    "k,shown,feeling",
    [
        # Peers (4) alone, but partners and the manager (3) together are fewer than 4:
        # peers are pooled in too, or all raters minus peers would give the three away.
        (4, [("All raters", 7)], 25 / 7),
        (5, [("All raters", 7)], 25 / 7),  # every group below 5; all seven together
        (8, [], None),  # seven raters: fewer than 8, nothing at all
    ],
)
def test_a_larger_smallest_group_pools_more_then_withholds_everything(
    ann: dict, k: int, shown: list, feeling: float | None
) -> None:
    wb = ann["wb"]
    wb.store.set_min_group(wb.access.workbook_id, k)
    close_subject(wb.responses(EX, LEADER), 1)
    report = report_of(wb)
    assert [(c.label, c.n) for c in report.columns] == shown
    mean = report.dimensions.set_index("Dimension").get("All raters")
    if feeling is None:
        assert mean is None
    else:
        assert mean["Ways of feeling"] == pytest.approx(feeling, abs=0.005)
        assert report.dimensions.set_index("Dimension").loc["Ways of feeling", "You"] == 5


def test_a_closed_360_takes_no_more_ratings_and_a_closed_round_closes_every_360(
    placekit_workbook: TestWorkbook,
) -> None:
    wb = placekit_workbook
    ann = leader_with_raters(wb, raters=RATERS[:3])
    late = guest_responses(wb, ann["links"]["peers"])
    invite = late.exercise.invitation  # type: ignore[attr-defined]
    assert rater_lock(late, invite, LEADER) is None
    late.save(RATING, invite.record, answers(ann["q"], (1,) * 6), 0)  # answering...
    close_subject(wb.responses(EX, LEADER), 1)  # ...when she closes her 360
    assert submit_rating(late, invite) is False  # what she has seen does not move
    assert "Ann Quayle's 360 has closed" in (rater_lock(late, invite, LEADER) or "")
    mine = wb.responses(EX, LEADER)
    assert counts(ann["q"], ratings(ann["q"], mine, ann["subject"]))["peers"] == 3
    with pytest.raises(PlaceKitError, match="has closed"):
        rate_by_tool(wb.exercise(EX), ann["links"]["peers"], answers(ann["q"], (2,) * 6))
    bob = leader_with_raters(wb, "Bob Marchetti", raters=RATERS[:1])
    late = guest_responses(wb, bob["links"]["partners"])
    close_round(wb.responses(EX))
    late.reload()
    assert "has closed" in (rater_lock(late, late.exercise.invitation, "Bob") or "")  # type: ignore[attr-defined]


def test_the_360_file_reuses_the_self_assessments_statements() -> None:
    three_sixty = load(FOLDER / "systems-leadership-360.toml")
    self_assessment = load(FOLDER / "systems-leadership.toml")
    assert three_sixty.dimensions == self_assessment.dimensions
    assert three_sixty.scale == self_assessment.scale
    assert Path(three_sixty.statements_source).name == "systems-leadership.toml"
    assert three_sixty.subject == "a person" and three_sixty.anonymity == "anonymous"
    assert three_sixty.raters is not None
    assert [g.label for g in three_sixty.raters.groups] == [
        "Colleagues and peers",
        "Partners",
        "People you manage",
        "People who manage you",
    ]
    # Raters read the scale about the leader, not about themselves.
    assert three_sixty.raters.scale.label(1) == "Not like them"
    assert three_sixty.scale.label(1) == "Not like me"
    # The statements live in one file only.
    text = (FOLDER / "systems-leadership-360.toml").read_text(encoding="utf-8")
    assert "[[dimensions]]" not in text and self_assessment.items[0].text not in text


BASE = {
    "id": "pulse-360",
    "title": "Pulse 360",
    "summary": "A person rated by others.",
    "subject": "a person",
    "scale": {"low": 1, "high": 5},
    "dimensions": [{"id": "d", "title": "D", "items": [{"id": "D1", "text": "Listens."}]}],
    "rater_groups": [{"id": "peers", "label": "Peers", "one": "peer", "many": "peers"}],
}


@pytest.mark.parametrize(
    "change,problem",
    [
        ({"rater_groups": []}, "needs at least one [[rater_groups]]"),
        ({"subject": "a team"}, "subject must be 'a person'"),
        ({"anonymity": "named"}, "must be anonymous"),
        ({"rate_each": {}}, "either a person (subject) or each of a list"),
        ({"rater_labels": ["one", "two"]}, "rater_labels must list 5 names"),
        (
            {
                "rater_groups": [{"id": "peers", "label": "Peers", "one": "peer", "many": "peers"}]
                * 2
            },
            "rater group 'peers': another rater group already has this id",
        ),
        (
            {"rater_groups": [{"id": "peers", "label": "Peers"}]},
            "rater group 'peers': 'one' is missing",
        ),
    ],
)
def test_a_bad_360_declaration_is_refused_naming_the_problem(change: dict, problem: str) -> None:
    with pytest.raises(QuestionnaireError, match=re.escape(problem)):
        parse(BASE | change)


def test_rater_settings_need_a_subject() -> None:
    plain = {k: v for k, v in BASE.items() if k != "subject"}
    with pytest.raises(QuestionnaireError, match="'rater_groups' is for a questionnaire about a"):
        parse(plain)


def test_statements_from_another_file(tmp_path: Path) -> None:
    (tmp_path / "self.toml").write_text(
        'id = "pulse"\ntitle = "Pulse"\nsummary = "S"\n[scale]\nlow = 1\nhigh = 5\n'
        '[[dimensions]]\nid = "d"\ntitle = "D"\n  [[dimensions.items]]\n  id = "D1"\n'
        '  text = "Listens."\n',
        encoding="utf-8",
    )
    reused = {k: v for k, v in BASE.items() if k not in ("scale", "dimensions")}
    q = parse(reused | {"statements_from": "self.toml"}, tmp_path / "pulse-360.toml")
    assert [i.text for i in q.items] == ["Listens."]
    with pytest.raises(QuestionnaireError, match="'scale' comes from statements_from"):
        parse(BASE | {"statements_from": "self.toml"}, tmp_path / "pulse-360.toml")
    with pytest.raises(
        QuestionnaireError, match="statements_from = 'gone.toml': the file does not exist"
    ):
        parse(reused | {"statements_from": "gone.toml"}, tmp_path / "pulse-360.toml")


def test_the_documented_example_is_a_working_360(tmp_path: Path) -> None:
    page = (Path(__file__).parents[1] / "docs" / "questionnaire-360.md").read_text("utf-8")
    (example,) = re.findall(r"```toml\n(.*?)```", page, flags=re.S)
    path = tmp_path / "pulse-360.toml"
    path.write_text(example, encoding="utf-8")
    q = load(path)
    assert q.subject == "a person" and q.raters is not None
    assert [g.many for g in q.raters.groups] == ["colleagues and peers", "people who manage you"]
    assert q.raters.scale.label(5) == "Very like them" and q.scale.label(5) == "Very like me"


def test_rate_answers_as_a_rater_from_python(placekit_workbook: TestWorkbook) -> None:
    wb = placekit_workbook
    ann = leader_with_raters(wb, raters=())
    exercise, q = wb.exercise(EX), ann["q"]
    with pytest.raises(ValueError, match="No possible answer for FEEL1"):
        rate_by_tool(exercise, ann["links"]["partners"], answers(q, (4,) * 6) | {"FEEL1": 9})
    rate_by_tool(exercise, ann["links"]["partners"], answers(q, (4,) * 6, ("BE1",)))
    found = ratings(q, wb.responses(EX, LEADER), ann["subject"])
    assert [(r.group, r.answers["BE1"], r.answers["FEEL1"]) for r in found] == [
        ("partners", "dk", 4)
    ]
    with pytest.raises(InvalidLink):
        rate_by_tool(wb.exercise("systems-leadership"), ann["links"]["partners"], {})
