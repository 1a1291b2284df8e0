"""A workbook opened from Python: the analyst's way in (JupyterLab, scripts, the CLI).

What it returns is decided by ``placekit.data.privacy``: records one at a time only from kinds
an analyst may read, and for an anonymous exercise only its figures (``summary``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from placekit.data import activity, privacy, workbook_design
from placekit.data.access import Access, resolve
from placekit.data.design import Design
from placekit.data.responses import Responses
from placekit.data.store import Store
from placekit.data.upgrade import open_store
from placekit.plugins import get_registry, installed_exercises

if TYPE_CHECKING:
    import pandas as pd

    from placekit.exercise import Exercise, Summary


class Workbook:
    def __init__(self, store: Store, access: Access) -> None:
        self._store = store  # private: reading the store directly skips the privacy policy
        self.access = access

    @property
    def title(self) -> str:
        return self.access.title

    def __repr__(self) -> str:
        return f"<Workbook {self.title!r} ({self.access.role})>"

    @property
    def design(self) -> Design:
        """Which exercises the members see, in their order, the welcome, each one's dates,
        and those taken out (whose data is still here)."""
        return workbook_design.current(self._store, self.access.workbook_id, self._exercises).design

    @property
    def _exercises(self) -> dict[str, Exercise]:
        return get_registry().exercises

    def exercise(self, exercise_id: str) -> Exercise:
        exercises = self._exercises
        if exercise_id not in exercises:
            known = ", ".join(sorted(exercises)) or "none"
            raise KeyError(f"No exercise {exercise_id!r} is installed (installed: {known})")
        return exercises[exercise_id]

    def _facilitator(self) -> None:
        if self.access.role != "facilitator":
            raise PermissionError("Open the workbook with its facilitator code to read data")

    def _team_view(self, exercise_id: str) -> Responses:
        """What the facilitator's page is made from: for summaries, never handed out."""
        self._facilitator()
        return Responses(
            self._store,
            self.access.workbook_id,
            self.exercise(exercise_id),
            exercises=self._exercises,
        )

    def responses(self, exercise_id: str) -> Responses:
        """The exercise's records as an analyst may read them: private and figures-only
        kinds left out; refused for an anonymous exercise (use ``summary``)."""
        self._facilitator()
        exercise = self.exercise(exercise_id)
        if privacy.is_anonymous(exercise):
            raise PermissionError(privacy.analyst_refusal(exercise))
        return Responses(
            self._store, self.access.workbook_id, exercise, analyst=True, exercises=self._exercises
        )

    def frame(self, exercise_id: str, kind: str | None = None) -> pd.DataFrame:
        """One kind of record as a DataFrame (the exercise's main kind by default)."""
        responses = self.responses(exercise_id)
        spec = responses.exercise.kind(kind or responses.exercise.primary_kind)
        if spec not in privacy.analyst_kinds(responses.exercise):
            raise PermissionError(privacy.analyst_refusal(responses.exercise, spec))
        return responses.frame(spec.name)

    def frames(self, exercise_id: str) -> dict[str, pd.DataFrame]:
        """Every kind of record an analyst may read, as DataFrames."""
        responses = self.responses(exercise_id)
        kinds = privacy.analyst_kinds(responses.exercise)
        return {k.name: responses.frame(k.name) for k in kinds}

    def summary(self, exercise_id: str) -> Summary:
        responses = self._team_view(exercise_id)
        return responses.exercise.summarise(responses)

    def tables(self, exercise_id: str) -> dict[str, pd.DataFrame]:
        """What the facilitator's page offers to download: completion, then the summary's
        tables (``placekit export`` writes these)."""
        # Lazy, as below: the web shell's widgets load only when a page's view is asked for.
        from placekit.web.results import result_tables

        responses = self._team_view(exercise_id)
        return result_tables(responses, responses.exercise.summarise(responses))

    def results(self, exercise_id: str) -> Any:
        """The facilitator's results view, as widgets, for a JupyterLab cell."""
        from placekit.web.results import results_view  # lazy, as in tables()

        return results_view(self._team_view(exercise_id), self.access)


def open_workbook(code: str, db: str | None = None) -> Workbook:
    store = open_store(db, installed_exercises)
    access = resolve(store, code)
    if access.role == "facilitator":  # the analyst's way in: in the activity record
        activity.record(store, access.workbook_id, privacy.PYTHON, "opened-in-python")
    return Workbook(store, access)
