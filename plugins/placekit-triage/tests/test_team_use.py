"""What a team of three tripped over in the triage, driven through the real wizard as each
member's page would be (real store, no browser): the words defined, an issue added after
others confirmed, ties, the agreement figure, the conflict box, the Grint chart's agreed
types. Every page visited is checked for internal values (``assert_plain_text``)."""

from __future__ import annotations

import pytest
from placekit_triage.items import ITEM_IDS

from placekit.testing import (
    ExerciseDriver,
    TestWorkbook,
    assert_plain_text,
    html_of,
    page_text,
    press,
)

TAME = (0,) * 12
WICKED = (0, 0, 0) + (2,) * 9
CRITICAL = (2, 2, 2) + (0,) * 9
MIXED = (0, 0, 0) + (1,) * 9


def words(html: str) -> str:
    """The page's text as one line of words, as a reader takes it in."""
    return " ".join(page_text(html).split())


def drive(workbook: TestWorkbook, name: str) -> ExerciseDriver:
    return ExerciseDriver(workbook, "triage", name)


def add_issue(member: ExerciseDriver, title: str) -> str:
    member.goto("issues").press("Add an issue")
    issue_id = list(member.responses.records("issue"))[-1]
    member.fill({f"{issue_id}.title": title})
    return issue_id


def take_part(member: ExerciseDriver, calls: dict[str, tuple[str, tuple[int, ...]]]) -> None:
    """From wherever the member is, through their blind steps to the reveal, checking each
    page's words on the way: their gut call and answers per issue they are asked about."""
    if member.page in ("issues", "mode"):
        member.goto("mode").fill({"me.preferred_mode": "leadership", "me.confidence": 3})
        member.next()
    assert member.page == "gut"
    assert_plain_text(member.wizard)
    member.fill({f"{i}.gut_call": gut for i, (gut, _a) in calls.items() if f"{i}.gut_call" in
                 member.inputs()})  # fmt: skip
    member.next()
    while member.page.startswith("diagnose/"):
        assert_plain_text(member.wizard)
        issue_id = member.page.split("/")[1]
        member.fill({f"{issue_id}.{item}": v for item, v in zip(ITEM_IDS, calls[issue_id][1],
                                                                strict=True)})  # fmt: skip
        member.next()
    assert member.page == "check"
    assert_plain_text(member.wizard)
    member.next()  # confirm
    assert member.page == "reveal"
    assert_plain_text(member.wizard)


@pytest.fixture
def team(placekit_workbook: TestWorkbook) -> tuple[TestWorkbook, list[str]]:
    wb = placekit_workbook
    ann = drive(wb, "Ann")
    issues = [add_issue(ann, t) for t in ("Winter pressures", "Rough sleeping", "Missed bins")]
    return wb, issues


def test_the_three_words_are_defined_on_the_gut_call_page_and_the_reveal(team) -> None:
    wb, issues = team
    ann = drive(wb, "Ann").goto("gut")
    shown = html_of(ann.wizard.body)
    for word, authority, example in (
        ("Tame", "Calls for management", "missed bin collections"),
        ("Wicked", "Calls for leadership", "rough sleeping"),
        ("Critical", "Calls for command", "evacuated tonight"),
    ):
        assert f"<dt>{word}</dt>" in shown
        assert authority in shown and example in shown
    assert "Wicked with tame components" not in shown  # not a gut call's choice
    take_part(ann, {i: ("tame", TAME) for i in issues})
    reveal = html_of(ann.wizard.body)
    assert "Calls for command" in reveal and "<dt>Wicked with tame components</dt>" in reveal


def test_changing_an_answer_from_check_your_answers_comes_back_to_it(team) -> None:
    wb, issues = team
    ann = drive(wb, "Ann").goto("mode")
    ann.fill({"me.preferred_mode": "command", "me.confidence": 2}).next()
    ann.fill({f"{i}.gut_call": "tame" for i in issues}).next()
    for issue_id in issues:
        ann.fill({f"{issue_id}.{item}": 0 for item in ITEM_IDS}).next()
    assert ann.page == "check"
    ann.press("Change answers for issue 1")
    assert ann.page == f"diagnose/{issues[0]}"
    ann.fill({f"{issues[0]}.C1": 1}).next()
    assert ann.page == "check"  # not on to issue 2
    ann.press("Change gut calls").next()
    assert ann.page == "check"
    assert ann.buttons()[-1] == "Confirm and continue"


def test_an_issue_added_after_others_confirmed_is_asked_alone_and_the_rest_stays_locked(
    team,
) -> None:
    wb, issues = team
    ann, bob, cy = drive(wb, "Ann"), drive(wb, "Bob"), drive(wb, "Cy")
    take_part(ann, {issues[0]: ("critical", CRITICAL), issues[1]: ("wicked", WICKED),
                    issues[2]: ("tame", TAME)})  # fmt: skip
    take_part(bob, {i: ("wicked", WICKED) for i in issues})
    late = add_issue(cy, "Youth services budget")
    take_part(cy, {i: ("tame", TAME) for i in [*issues, late]})

    # Ann comes back: she lands on the new issue's gut call, told why, asked about it alone.
    again = drive(wb, "Ann")
    assert again.page == "gut"
    assert "A new issue was added after you confirmed: “Youth services budget”" in again.text
    assert list(again.inputs()) == [f"{late}.gut_call"]
    assert_plain_text(again.wizard)
    # Her blind calls on the other issues cannot be changed after the reveal.
    for issue_id in issues:
        again.goto(f"diagnose/{issue_id}")
        assert again.page == "gut"  # no such page now: she is asked about the new issue only
    again.goto("reveal")
    assert "A new issue was added after you confirmed" in again.text
    assert again.wizard.context.inputs == {}
    saved = again.saved("call", issues[0])
    again.goto("gut").fill({f"{late}.gut_call": "wicked"}).next()
    assert again.page == f"diagnose/{late}"
    assert "Diagnostic questions: new issue 1 of 1" in again.text
    again.fill({f"{late}.{item}": 2 for item in ITEM_IDS}).next()
    assert again.page == "check"
    assert "Confirmed" in again.text and "Not confirmed yet" in again.text
    assert again.buttons().count("Change answers for issue 4") == 1
    assert "Change answers for issue 1" not in again.buttons()
    again.next()  # confirm
    assert again.page == "reveal"
    assert again.saved("call", issues[0]) == saved
    # Afterwards every diagnosis page is back, all of them read-only.
    again.goto(f"diagnose/{issues[0]}")
    assert again.inputs() and all(i.disabled for i in again.inputs().values())

    # The reveal and the facilitator say the same: who has confirmed every issue, and the
    # kappa over exactly them. Bob has still to answer the new issue.
    reveal = html_of(again.goto("reveal").wizard.body)
    assert "3 of 3 members have confirmed" not in reveal
    assert "2 of 3 members have confirmed their answers on all 4 issues" in reveal
    assert "1 member has still to answer “Youth services budget”" in reveal
    (note,) = wb.summary("triage").notes
    assert note in words(reveal)
    # Bob had left on the first page, which is open to him: he comes back there, told why.
    drive(wb, "Bob").goto("issues")
    bob = drive(wb, "Bob")
    assert bob.page == "issues"
    assert "A new issue was added after you confirmed: “Youth services budget”" in bob.text
    assert "Continue to “Your gut call” to answer for it alone" in bob.text
    take_part(bob, {late: ("wicked", WICKED)})
    (note,) = wb.summary("triage").notes
    assert "3 of 3 members have confirmed their answers on all 4 issues" in note
    assert "among those 3 members (Fleiss' kappa)" in note
    assert note in words(html_of(drive(wb, "Bob").wizard.body))


def test_a_tie_is_reported_as_a_tie_and_one_member_shows_no_spread(team) -> None:
    wb, issues = team
    take_part(drive(wb, "Ann"), {i: ("tame", TAME) for i in issues})
    team_table = wb.summary("triage").tables["Team distribution per issue"]
    assert list(team_table["Wicked index SD"]) == ["— (needs 2 or more members)"] * 3
    take_part(drive(wb, "Bob"), {i: ("wicked", WICKED) for i in issues})
    take_part(drive(wb, "Cy"), {i: ("critical", CRITICAL) for i in issues})
    team_table = wb.summary("triage").tables["Team distribution per issue"]
    assert list(team_table["Most common"]) == ["Tied: tame, wicked and critical, 1 each"] * 3
    shown = html_of(drive(wb, "Cy").wizard.body)
    assert "Tied: tame, wicked and critical, 1 each" in shown and "Most common: Tame" not in shown
    assert_plain_text(wb.results("triage"))


def test_the_grint_chart_shows_the_agreed_type_and_says_which_differ(team) -> None:
    wb, issues = team
    take_part(drive(wb, "Ann"), {i: ("tame", TAME) for i in issues})
    take_part(drive(wb, "Bob"), {i: ("tame", TAME) for i in issues})
    decide = wb.responses("triage")
    decide.save("decision", issues[0], {"agreed_type": "critical", "mode": "command",
                                        "response_summary": "Act now"}, 0)  # fmt: skip
    decide.save("decision", issues[2], {"agreed_type": "tame", "mode": "management",
                                        "response_summary": "Fix the rota"}, 0)  # fmt: skip
    summary = wb.summary("triage")
    chart = summary.figures["Grint chart"]
    assert (
        "The team placed 1 of 3 issues differently from the diagnosis: “Winter pressures”:"
        " agreed Critical, the diagnosis said Tame (2 of 2)." in chart.description
    )
    assert "Not agreed yet: “Rough sleeping”." in chart.description
    drawn = chart.chart().to_dict()
    labels = [v for layer in drawn["layer"] for v in layer.get("data", {}).get("values", [])]
    texts = {row.get("Label") for row in _rows(drawn)} | {r.get("Label") for r in labels}
    # Each label starts with its issue's number, as the legend does: not colour alone.
    assert {"1 · Agreed: Critical", "3 · Agreed: Tame", "2 · Not agreed yet"} <= texts
    legend = {row.get("Issue") for row in _rows(drawn)} - {None}
    assert legend == {"1. Winter pressures", "2. Rough sleeping", "3. Missed bins"}
    decisions = summary.tables["Decisions"].set_index("Issue")
    assert decisions.loc["Winter pressures", "The diagnosis said"] == "Tame (2 of 2)"


def _rows(chart: dict) -> list[dict]:
    return [row for rows in chart.get("datasets", {}).values() for row in rows]


def test_the_conflict_box_speaks_plainly_and_keeping_theirs_reads_as_saved(team) -> None:
    wb, issues = team
    take_part(drive(wb, "Ann"), {i: ("tame", TAME) for i in issues})
    take_part(drive(wb, "Bob"), {i: ("tame", TAME) for i in issues})
    page, slot = f"decide/{issues[0]}", issues[0]
    ann = drive(wb, "Ann").goto(page)
    ann.fill({f"{slot}.mode": "leadership", f"{slot}.response_summary": "A plan"})
    bob = drive(wb, "Bob").goto(page)  # Bob opens the decision now; Ann changes it again
    ann.fill({f"{slot}.agreed_type": "mixed", f"{slot}.questions_to_ask": "Who?\nWhy here?"})
    bob.fill({f"{slot}.agreed_type": "wicked"})
    box = html_of(bob.wizard.conflict)
    assert "Someone else changed this" in box and "Ann saved a change" in box
    assert "Wicked with tame components" in box and "Leadership" in box
    assert "Who?<br>Why here?" in box and "(blank)" in box
    assert (
        "The versions differ in: “The team agrees this issue is”, “Questions to ask (one per"
        " line)”." in page_text(box)
    )
    # The differing rows are marked in words, not only in colour; the same ones are not.
    rows = {words(r.split("</th>")[0]): "Differs" in r for r in box.split('scope="row">')[1:]}
    assert [label for label, differs in rows.items() if differs] == [
        "The team agrees this issue is Differs",
        "Questions to ask (one per line) Differs",
    ]
    assert not any(differs for label, differs in rows.items() if "Mode" in label)
    for internal in ("mixed<", "leadership<", "['", "agreed_type", "questions_to_ask"):
        assert internal not in box
    assert_plain_text(bob.wizard.conflict)
    assert "Not saved" in bob.wizard.status.value
    press(bob.wizard.conflict, "Keep their version")
    assert "Not saved" not in bob.wizard.status.value
    assert "Saved: you kept their version" in bob.wizard.status.value
    assert bob.wizard.conflict.children == ()
    assert bob.saved("decision", slot)["agreed_type"] == "mixed"
    assert bob.inputs()[f"{slot}.agreed_type"].value == "mixed"
