"""The team's chosen reframes reach the triage as suggestions: on the issues page, each one
has a button that adds it as an issue (the reframing exercise offers them as "reframes").
Driven through the real wizard, no browser; the reframing plugin is installed beside this
one, as it ships."""

from __future__ import annotations

from placekit_triage.suggestions import cut_title

from placekit import Offer
from placekit.testing import TestWorkbook

SHORT = "How might people get the right help, the first time, close to home?"
# 245 characters: longer than an issue's title may be (200).
LONG = (
    "What would it take for every family in Eastvale to know where to go for help before a"
    " problem becomes a crisis, so that schools, GPs, the library and neighbours are part of"
    " the answer rather than a queue at the front door of children's services?"
)


def choose_reframe(workbook: TestWorkbook, number: int, statement: str, reframe: str) -> None:
    """What the reframing exercise saves once a team has chosen a reframe for a problem."""
    team = workbook.responses("reframing", member="Cai")
    team.save("problem", f"p{number}", {"statement": statement}, 0)
    team.save("reframe", f"r{number}", {"problem": f"p{number}", "text": reframe,
                                        "possible": "More people could act."}, 0)  # fmt: skip
    team.save("decision", f"p{number}", {"chosen": f"r{number}"}, 0)


def test_a_chosen_reframe_is_added_as_an_issue_in_one_click(
    exercise_driver, placekit_workbook: TestWorkbook
) -> None:
    ann = exercise_driver("triage", member="Ann")
    assert "Reframes your team has chosen" not in ann.text  # nothing chosen: nothing offered
    choose_reframe(placekit_workbook, 1, "Too many people go to A&E", SHORT)
    # Written but not chosen: reframing does not offer it, so neither does the triage.
    team = placekit_workbook.responses("reframing", member="Cai")
    team.save("problem", "p9", {"statement": "Bed blocking"}, 0)
    team.save("reframe", "r9", {"problem": "p9", "text": "Getting people home"}, 0)

    ann = exercise_driver("triage", member="Ann")
    assert "Reframes your team has chosen" in ann.text
    assert "Add “Getting people home” as an issue" not in ann.buttons()
    ann.press(f"Add “{SHORT}” as an issue")
    (issue_id,) = ann.responses.records("issue")
    assert ann.saved("issue", issue_id) == {
        "title": SHORT,
        "description": "The reframe your team chose in Reframing.",
    }
    # On the list, with its title in the box to edit like any other; not offered again.
    assert ann.inputs()[f"{issue_id}.title"].value == SHORT
    assert f"Add “{SHORT}” as an issue" not in ann.buttons()
    assert "Reframes your team has chosen" not in ann.text
    assert ann.errors == ["Add at least 3 issues (1 so far)"]


def test_an_issue_typed_in_other_words_is_not_offered_again(
    exercise_driver, placekit_workbook: TestWorkbook
) -> None:
    choose_reframe(placekit_workbook, 1, "Too many people go to A&E", SHORT)
    choose_reframe(placekit_workbook, 2, "Knife crime", "What keeps young people safe?")
    ann = exercise_driver("triage", member="Ann")
    ann.press("Add an issue")
    (issue_id,) = ann.responses.records("issue")
    # Case, punctuation and spacing aside, it is the same issue.
    ann.fill({f"{issue_id}.title": "how might people get the right help -- the first time,"
              "  close to home"})  # fmt: skip
    again = exercise_driver("triage", member="Bob")
    assert f"Add “{SHORT}” as an issue" not in again.buttons()
    assert "Add “What keeps young people safe?” as an issue" in again.buttons()


def test_a_reframe_too_long_for_a_title_is_cut_visibly_and_kept_whole(
    exercise_driver, placekit_workbook: TestWorkbook
) -> None:
    assert len(LONG) > 200
    choose_reframe(placekit_workbook, 1, "Children's services are overwhelmed", LONG)
    ann = exercise_driver("triage", member="Ann")
    title = cut_title(LONG)
    assert len(title) <= 200 and title.endswith("the answer rather than a…")
    # The member sees before adding it that the title will be cut, and where the rest goes.
    assert f"Add “{title}” as an issue" in ann.buttons()
    assert "the title is cut, and the whole reframe goes into the issue's description" in ann.text
    ann.press(f"Add “{title}” as an issue")
    (issue_id,) = ann.responses.records("issue")
    saved = ann.saved("issue", issue_id)
    assert saved["title"] == title
    assert saved["description"] == f"The reframe your team chose in Reframing, in full: {LONG}"
    assert ann.errors == ["Add at least 3 issues (1 so far)"]  # the title is a valid one
    assert f"Add “{title}” as an issue" not in ann.buttons()  # added: not offered again


def test_a_full_list_names_the_reframes_without_adding_them(
    exercise_driver, placekit_workbook: TestWorkbook
) -> None:
    team = placekit_workbook.responses("triage", member="Ann")
    for number in range(12):
        team.save("issue", f"i{number}", {"title": f"Issue {number}"}, 0)
    choose_reframe(placekit_workbook, 1, "Too many people go to A&E", SHORT)
    ann = exercise_driver("triage", member="Ann")
    assert f"Add “{SHORT}” as an issue" not in ann.buttons()
    assert SHORT in ann.text and "remove one to add a reframe" in ann.text


def test_cut_title_keeps_whole_words() -> None:
    assert cut_title("Short enough") == "Short enough"
    assert cut_title("alpha beta gamma", limit=12) == "alpha beta…"
    assert cut_title("alpha beta, gamma", limit=13) == "alpha beta…"  # no dangling comma
    assert cut_title("x" * 30, limit=10) == "x" * 9 + "…"  # one long word: cut within it
    assert cut_title("alpha beta gamma", limit=11) == "alpha beta…"  # the word fits exactly


def test_offers_from_any_exercise_name_their_source() -> None:
    from placekit_triage.suggestions import suggestions

    (found,) = suggestions([Offer("A new frame", "Our own reframing")], {})
    assert found.issue()["description"] == "The reframe your team chose in Our own reframing."
