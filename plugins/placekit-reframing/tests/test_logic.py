"""The rules as pure functions: no store, no widgets, a line of Python each."""

from __future__ import annotations

import pytest
from placekit_reframing import logic


@pytest.mark.parametrize(
    ("reframes", "votes"), [(0, 0), (1, 1), (2, 1), (3, 2), (4, 3), (5, 3), (12, 3)]
)
def test_a_member_has_a_few_votes_never_one_for_every_reframe(reframes: int, votes: int) -> None:
    assert logic.allowed_votes(reframes) == votes


def test_vote_errors_say_what_is_wrong() -> None:
    options = ["a", "b", "c"]
    assert logic.vote_errors(["a"], options) == []
    assert logic.vote_errors(["a", "c"], options) == []
    assert logic.vote_errors([], options) == ["Choose at least one reframe"]
    assert logic.vote_errors(None, options) == ["Choose at least one reframe"]
    assert logic.vote_errors(["a", "b", "c"], options) == ["Choose no more than 2 (3 chosen)"]
    # A vote for a reframe since removed does not count, for or against.
    assert logic.vote_errors(["gone"], options) == ["Choose at least one reframe"]
    assert logic.vote_errors(["a", "gone"], options) == []
    assert logic.vote_errors(["a"], []) == ["There are no reframes of this problem to vote on yet"]


def test_tally_counts_valid_ballots_only() -> None:
    options = ["a", "b", "c"]
    votes = {
        "ann": ["a", "b"],
        "bob": ["a", "a"],  # the same reframe twice counts once
        "cai": ["a", "b", "c"],  # more than allowed: not a valid ballot, none of it counts
        "dee": ["gone", "c"],  # the removed reframe is ignored, the rest counts
        "eve": [],
    }
    assert logic.tally(votes, options) == {"a": 2, "b": 1, "c": 1}
    assert logic.voters(votes, options) == 3
    assert logic.tally({}, options) == {"a": 0, "b": 0, "c": 0}


def test_ranking_shares_places_between_ties() -> None:
    ranked = logic.ranking({"a": 1, "b": 3, "c": 1, "d": 0})
    assert [(r.reframe, r.votes, r.place, r.joint) for r in ranked] == [
        ("b", 3, 1, False),
        ("a", 1, 2, True),
        ("c", 1, 2, True),
        ("d", 0, 4, False),
    ]
    assert [logic.place_text(r) for r in ranked] == ["1st", "joint 2nd", "joint 2nd", "4th"]
    assert logic.leaders({"a": 2, "b": 2, "c": 1}) == ["a", "b"]
    assert logic.leaders({"a": 0, "b": 0}) == []


@pytest.mark.parametrize(
    ("place", "text"), [(1, "1st"), (2, "2nd"), (3, "3rd"), (4, "4th"), (11, "11th"), (22, "22nd")]
)
def test_place_text(place: int, text: str) -> None:
    assert logic.place_text(logic.Ranked("r", 0, place, False)) == text


def test_framing_words_are_found_as_whole_words_ignoring_case_and_hyphens() -> None:
    flags = logic.framing_flags("Hard-to-reach families keep DNAing; frequent flyers at A&E.")
    assert [f.phrase for f in flags] == ["hard to reach", "frequent flyers"]
    assert flags[0].question == "Who finds the service hard to reach, and what makes it hard?"
    assert [f.phrase for f in logic.framing_flags("Patients who DNA their appointments")] == ["dna"]
    assert logic.framing_flags("Bed blocking on ward 3") != []
    # Part of a word is not the word: "vulnerabilities" is not flagged as "vulnerable".
    assert logic.framing_flags("Services for vulnerabilities and unvulnerable people") == []
    assert logic.framing_flags("") == [] and logic.framing_flags(None) == []


def test_sameness_and_duplicates_ignore_case_punctuation_and_spacing() -> None:
    assert logic.normalise("  Hard-to-reach   groups! ") == "hard to reach groups"
    assert logic.same_words("Too many people at A&E.", "too many people at a&e")
    assert not logic.same_words("", "")
    assert not logic.same_words("Too many people", "Too few people")
    assert logic.duplicates(["One", "Two", "one.", "", "", "TWO"]) == [2, 5]
