"""The exercise driven through PlaceKit's real wizard and widgets, as members would, with
the fixtures ``placekit.testing`` gives every plugin author (no conftest needed):

- ``exercise_driver("reframing", member="Ann")`` opens the exercise as Ann, in a fresh
  database; ``fill``, ``next``, ``press`` and ``saved`` do what she would;
- ``placekit_workbook`` is that workbook: ``summary(...)`` is what the facilitator sees.
"""

from __future__ import annotations

import pytest
from placekit_reframing import data

from placekit.testing import ExerciseDriver, TestWorkbook, registry

EXERCISE = "reframing"
PROBLEM = "Too many <b>hard-to-reach</b> families miss appointments"
REFRAMES = (
    ("What makes an appointment easy to keep?", "Transport and childcare become part of it."),
    ("How might families choose when and where we meet?", "Home visits count as access."),
    ("What already helps families get to things on time?", "Schools and neighbours help."),
)


def test_the_plugin_is_installed_and_loads_cleanly() -> None:
    loaded = registry()
    assert EXERCISE in loaded.exercises, (
        "install it first: pip install -e plugins/placekit-reframing"
    )
    assert loaded.owners[f"exercise:{EXERCISE}"] == "reframing"
    assert [p.message for p in loaded.problems if p.plugin == "reframing"] == []


def add_problem(member: ExerciseDriver, statement: str) -> str:
    member.press("Add a problem")
    problem = list(member.responses.records("problem"))[-1]
    member.fill({f"{problem}.statement": statement})
    return problem


def add_reframe(member: ExerciseDriver, text: str, possible: str, lens: str = "users") -> str:
    member.press("Add a reframe")
    reframe = list(member.responses.records("reframe"))[-1]
    member.fill({f"{reframe}.text": text, f"{reframe}.possible": possible, f"{reframe}.lens": lens})
    return reframe


def answer_lens(member: ExerciseDriver, problem: str, who: str) -> None:
    member.fill(
        {
            f"{problem}.whose_frame": f"The service's, says {who}",
            f"{problem}.users_words": f"Getting there, says {who}",
            f"{problem}.partner_words": f"Transport, says {who}",
        }
    )


def confirm(member: ExerciseDriver) -> None:
    assert member.page == "check"
    assert member.wizard.next.description == "Confirm and continue"
    member.next()


def test_one_member_reframes_a_problem_from_start_to_vote(
    exercise_driver, placekit_workbook: TestWorkbook
) -> None:
    ann = exercise_driver(EXERCISE, member="Ann")
    assert ann.page == "problems"
    assert ann.errors == ["Add the problem you want to reframe"]
    problem = add_problem(ann, "")
    assert ann.errors == ["Problem 1 – The problem, as it is usually put: this is required"]
    ann.fill({f"{problem}.statement": PROBLEM}).next()

    # Whose frame: the problem shown as text, with its framing words turned into questions.
    assert ann.page == f"frames/{problem}"
    assert "&lt;b&gt;hard-to-reach&lt;/b&gt;" in ann.text and "<b>hard" not in ann.text
    assert "Who finds the service hard to reach" in ann.text
    assert len(ann.errors) == 3
    answer_lens(ann, problem, "Ann")
    assert ann.errors == []
    ann.next()

    # Reframes: the team's answers are listed (without names), and a reframe that is only
    # the problem's own words again is refused.
    assert ann.page == f"reframes/{problem}"
    assert "Getting there, says Ann" in ann.text and "Written by" not in ann.text
    assert ann.errors == ["Write at least one reframe"]
    first = add_reframe(ann, PROBLEM.upper(), "Nothing yet")
    assert ann.errors == ["Reframe 1 – say it differently from the problem as it is usually put"]
    ann.fill({f"{first}.text": REFRAMES[0][0], f"{first}.possible": REFRAMES[0][1]})
    assert ann.saved("reframe", first)["by"] == "Ann"
    assert "Written by Ann" in ann.text
    second = add_reframe(ann, REFRAMES[0][0].lower(), "Again")
    assert ann.errors == ["Reframe 2 – it repeats another reframe"]
    ann.fill({f"{second}.text": REFRAMES[1][0], f"{second}.possible": REFRAMES[1][1]}).next()

    # Check your answers, then the vote opens (and the answers are kept as they are).
    assert "<td>3 of 3</td><td>2</td>" in ann.text  # questions answered, reframes listed
    assert not ann.responses.get("submission", "answers")
    confirm(ann)
    assert ann.page == f"vote/{problem}"
    assert data.has_confirmed_all(ann.responses)
    assert "You have 1 vote" in ann.text  # two reframes: one vote, so it is a choice
    assert ann.errors == ["Choose at least one reframe"]
    ann.fill({f"{problem}.reframes": (first, second)})
    assert ann.errors == ["Choose no more than 1 (2 chosen)"]
    ann.fill({f"{problem}.reframes": (second,)})
    assert ann.errors == [] and ann.saved("vote", problem) == {"reframes": [second]}
    ann.next()

    # Choosing: one voter is too few for the votes to be shown.
    assert ann.page == f"choose/{problem}"
    assert "Votes are shown once at least 3 members have voted" in ann.text
    assert "fewer than 3" in ann.text and "1 vote)" not in ann.text
    ann.goto(f"frames/{problem}")
    assert all(box.disabled for box in ann.inputs().values())  # confirmed: shown, not changed
    votes = placekit_workbook.summary(EXERCISE).tables["Reframes and votes"]
    assert votes["Votes"].isna().all() and set(votes["Place"]) == {""}


def test_votes_show_as_totals_once_three_have_voted_and_the_choice_is_offered(
    exercise_driver, placekit_workbook: TestWorkbook
) -> None:
    ann = exercise_driver(EXERCISE, member="Ann")
    problem = add_problem(ann, PROBLEM)
    ann.next()
    answer_lens(ann, problem, "Ann")
    ann.next()
    ids = [add_reframe(ann, text, possible) for text, possible in REFRAMES]
    ann.next()
    confirm(ann)
    ann.fill({f"{problem}.reframes": (ids[0], ids[1])}).next()  # three reframes: two votes
    assert ann.page == f"choose/{problem}"

    for name, votes in (("Bob", (ids[1],)), ("Cai", (ids[1], ids[2]))):
        member = exercise_driver(EXERCISE, member=name)
        assert member.page == "problems"
        assert member.inputs()[f"{problem}.statement"].value == PROBLEM  # the team's list
        member.next()
        answer_lens(member, problem, name)
        member.next().next()
        confirm(member)
        member.fill({f"{problem}.reframes": votes}).next()

    cai = exercise_driver(EXERCISE, member="Cai")  # a fresh page: resumes where Cai was
    assert cai.page == f"choose/{problem}"
    assert "(3 members have voted)" in cai.text
    assert "joint 1st" not in cai.text and "1st" in cai.text
    # The options read best first, with their votes; the team records its choice.
    chosen = cai.inputs()[f"{problem}.chosen"]
    assert [label for label, _value in chosen.options] == [
        f"{REFRAMES[1][0]} (3 votes)",
        f"{REFRAMES[0][0]} (1 vote)",
        f"{REFRAMES[2][0]} (1 vote)",
    ]
    cai.fill({f"{problem}.chosen": ids[1], f"{problem}.first_step": "Ask ten families"})
    assert cai.errors == []
    cai.next()
    assert cai.page == "next" and REFRAMES[1][0] in cai.text

    summary = placekit_workbook.summary(EXERCISE)
    table = summary.tables["Reframes and votes"].set_index("Reframe")
    assert table.loc[REFRAMES[1][0], "Votes"] == 3 and table.loc[REFRAMES[1][0], "Chosen"] == "yes"
    assert table.loc[REFRAMES[0][0], "Place"] == "joint 2nd"
    choices = summary.tables["Chosen reframes"]
    assert list(choices["Chosen reframe"]) == [REFRAMES[1][0]]
    assert list(choices["A first step"]) == ["Ask ten families"]
    lenses = summary.tables["The team's answers"]
    assert sorted(lenses["Member"]) == ["Ann", "Bob", "Cai"]
    assert "Votes for each reframe" in summary.figures
    assert summary.figures["Votes for each reframe"].chart().to_dict()["facet"]
    # No table says who voted for what: votes appear only as totals.
    for frame in summary.tables.values():
        assert not {"member", "Member who voted", "reframes"} & set(frame.columns)

    # What this exercise offers other exercises in the workbook: the chosen reframe.
    assert data.chosen_reframes(placekit_workbook.responses(EXERCISE)) == [REFRAMES[1][0]]


def test_a_removed_reframe_no_longer_counts_and_the_choice_must_be_made_again(
    exercise_driver, placekit_workbook: TestWorkbook
) -> None:
    ann = exercise_driver(EXERCISE, member="Ann")
    problem = add_problem(ann, PROBLEM)
    ann.next()
    answer_lens(ann, problem, "Ann")
    ann.next()
    ids = [add_reframe(ann, text, possible) for text, possible in REFRAMES[:2]]
    ann.next()
    confirm(ann)
    ann.fill({f"{problem}.reframes": (ids[0],)}).next()
    ann.fill({f"{problem}.chosen": ids[0]})
    assert ann.errors == []
    team = placekit_workbook.responses(EXERCISE, "Ann")
    team.save("reframe", ids[0], None, team.entry("reframe", ids[0]).version)  # someone removes it
    again = exercise_driver(EXERCISE, member="Ann")
    again.goto(f"choose/{problem}")
    assert again.errors == ["The reframe chosen has been removed: choose again"]
    assert data.chosen_reframes(placekit_workbook.responses(EXERCISE)) == []
    assert data.counts(placekit_workbook.responses(EXERCISE), problem) == {ids[1]: 0}


def test_a_new_problem_after_confirming_needs_confirming_again(exercise_driver) -> None:
    ann = exercise_driver(EXERCISE, member="Ann")
    first = add_problem(ann, PROBLEM)
    ann.next()
    answer_lens(ann, first, "Ann")
    ann.next()
    add_reframe(ann, *REFRAMES[0])
    ann.next()
    confirm(ann)
    ann.goto("problems")
    second = add_problem(ann, "Young people are a nuisance in the town centre")
    assert second != first
    ann.goto("check")
    assert ann.wizard.next.description == "Confirm and continue"
    assert "Answer the three questions about problem 2" in " ".join(ann.errors)
    ann.goto(f"frames/{second}")
    assert not any(box.disabled for box in ann.inputs().values())  # not confirmed yet


@pytest.mark.parametrize("problems", [0, 1])
def test_every_page_builds_with_nothing_or_something_saved(exercise_driver, problems: int) -> None:
    ann = exercise_driver(EXERCISE, member="Ann")
    for _ in range(problems):
        add_problem(ann, PROBLEM)
    for page in ann.wizard.pages:
        ann.goto(page.id)
        assert ann.page == page.id
        assert "could not be shown" not in ann.text
