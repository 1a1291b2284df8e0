"""A workbook opened from Python: the analyst's way in (JupyterLab, scripts, the CLI)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from placekit.access import Access, resolve
from placekit.plugins import get_registry
from placekit.responses import Responses
from placekit.store import Store

if TYPE_CHECKING:
    import pandas as pd

    from placekit.exercise import Exercise, Summary


class Workbook:
    def __init__(self, store: Store, access: Access) -> None:
        self.store = store
        self.access = access

    @property
    def title(self) -> str:
        return self.access.title

    def __repr__(self) -> str:
        return f"<Workbook {self.title!r} ({self.access.role})>"

    def exercise(self, exercise_id: str) -> Exercise:
        exercises = get_registry().exercises
        if exercise_id not in exercises:
            known = ", ".join(sorted(exercises)) or "none"
            raise KeyError(f"No exercise {exercise_id!r} is installed (installed: {known})")
        return exercises[exercise_id]

    def responses(self, exercise_id: str) -> Responses:
        if self.access.role != "facilitator":
            # Members' private answers are for the facilitator's code only.
            raise PermissionError("Open the workbook with its facilitator code to read data")
        return Responses(self.store, self.access.workbook_id, self.exercise(exercise_id))

    def _records(self, exercise_id: str) -> Responses:
        responses = self.responses(exercise_id)
        if responses.exercise.anonymity == "anonymous":
            # One row per respondent is one person's answers: an anonymous exercise gives
            # only its aggregates, with small groups withheld, as the facilitator's page does.
            raise PermissionError(
                f"{exercise_id!r} is anonymous, so its answers are not available one person"
                f" at a time; use summary({exercise_id!r}).tables for its figures"
            )
        return responses

    def frame(self, exercise_id: str, kind: str | None = None) -> pd.DataFrame:
        """One kind of record as a DataFrame (the exercise's main kind by default)."""
        responses = self._records(exercise_id)
        name = kind or responses.exercise.primary_kind
        if getattr(responses.exercise.kind(name), "private", False):
            raise PermissionError(
                f"{name!r} records of {exercise_id!r} are private to the people who wrote"
                " them and are not available outside the exercise's own pages"
            )
        return responses.frame(name)

    def frames(self, exercise_id: str) -> dict[str, pd.DataFrame]:
        """Every kind of record the exercise stores, as DataFrames (private kinds left out)."""
        responses = self._records(exercise_id)
        kinds = [k for k in responses.exercise.kinds if not getattr(k, "private", False)]
        return {k.name: responses.frame(k.name) for k in kinds}

    def summary(self, exercise_id: str) -> Summary:
        responses = self.responses(exercise_id)
        return responses.exercise.summarise(responses)

    def results(self, exercise_id: str) -> Any:
        """The facilitator's results view, as widgets, for a JupyterLab cell."""
        from placekit.pages import results_view

        return results_view(self.responses(exercise_id), self.access)


def open_workbook(code: str, db: str | None = None) -> Workbook:
    store = Store(db)
    return Workbook(store, resolve(store, code))
