"""The questionnaire engine: questionnaires declared as data (TOML, YAML or JSON) become
exercises with pages, rounds, results and charts, and no code of their own.

A plugin registers a file with the ``register_questionnaires`` hook; it needs nothing from
here. The names below are for tests and tools that work with questionnaires directly: load
a file, answer and submit as a respondent (or, in a 360, as a rater by a leader's link),
and close or open a round as the facilitator.
"""

from __future__ import annotations

from placekit.questionnaires.answers import submit
from placekit.questionnaires.exercise import QuestionnaireExercise, from_file
from placekit.questionnaires.model import Questionnaire, QuestionnaireError, load
from placekit.questionnaires.raters import rate
from placekit.questionnaires.rounds import close_round, open_next_round, set_targets

__all__ = [
    "Questionnaire",
    "QuestionnaireError",
    "QuestionnaireExercise",
    "close_round",
    "from_file",
    "load",
    "open_next_round",
    "rate",
    "set_targets",
    "submit",
]
