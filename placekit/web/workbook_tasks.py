"""A member's workbook page as a GOV.UK task list: the facilitator's welcome, then each
exercise of the workbook's design in its order, with a one-line description, the member's
status, its dates, and the next thing to do marked "Start here".

Statuses are GOV.UK's (Not started, In progress, Completed, Cannot start yet) and one
more, Closed: an exercise whose closing day has passed, which the member can still open
to read. An exercise that cannot start yet is not a link (GOV.UK: only tasks that can be
started are).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from placekit.data.design import Design, Openness
from placekit.data.responses import Responses
from placekit.exercise import Exercise
from placekit.web.wizard import StepState, safe_pages, step_states, visited_pages
from placekit.widgets.html import esc

CLOSED = "Closed"


@dataclass(frozen=True)
class Task:
    exercise: Exercise
    status: str
    dates: str  # "Open until Thursday 14 May", or ""
    href: str | None  # None: it cannot be opened yet

    @property
    def to_do(self) -> bool:
        """Whether the member still has this to do, and can."""
        return self.href is not None and self.status in (
            StepState.NOT_STARTED.value,
            StepState.IN_PROGRESS.value,
        )


def progress(exercise: Exercise, responses: Responses) -> StepState:
    """How far the member is through the exercise, from what is saved."""
    states = step_states(exercise, safe_pages(exercise, responses), responses)
    if states and all(s is StepState.COMPLETED for s in states.values()):
        return StepState.COMPLETED
    started = any(s in (StepState.COMPLETED, StepState.IN_PROGRESS) for s in states.values())
    return StepState.IN_PROGRESS if started or visited_pages(responses) else StepState.NOT_STARTED


def task(
    exercise: Exercise, design: Design, now: datetime, href: str, responses: Responses
) -> Task:
    window = design.window(exercise.id)
    state = design.openness(exercise.id, now)
    if state is Openness.NOT_YET:
        return Task(exercise, StepState.LOCKED.value, window.describe(now), None)
    done = progress(exercise, responses)
    if state is Openness.CLOSED and done is not StepState.COMPLETED:
        return Task(exercise, CLOSED, window.describe(now), href)
    return Task(exercise, done.value, window.describe(now), href)


_TAGS = {
    StepState.COMPLETED.value: "pk-tag pk-tag-done",
    StepState.IN_PROGRESS.value: "pk-tag pk-tag-progress",
}


def task_list(tasks: Sequence[Task]) -> str:
    """The task list's HTML: a heading with how many are completed, then the rows."""
    if not tasks:
        return (
            "<h2>Exercises</h2><p>There are no exercises in this workbook yet. Your facilitator"
            " will add them: come back to this link later.</p>"
        )
    done = sum(t.status == StepState.COMPLETED.value for t in tasks)
    first = next((i for i, t in enumerate(tasks) if t.to_do), None)
    rows = []
    for i, t in enumerate(tasks):
        hint_id, status_id = f"pk-task-{i}-hint", f"pk-task-{i}-status"
        described = f"{hint_id} {status_id}"
        title = esc(t.exercise.title)
        name = (
            f'<a class="pk-task-name" href="{esc(t.href)}" aria-describedby="{described}">'
            f"{title}</a>"
            if t.href
            else f'<span class="pk-task-name">{title}</span>'
        )
        start = '<strong class="pk-start-here">Start here</strong> ' if i == first else ""
        dates = f'<br><span class="pk-task-dates">{esc(t.dates)}</span>' if t.dates else ""
        tag = _TAGS.get(t.status, "pk-tag")
        rows.append(
            f'<li class="pk-task{" pk-task-next" if i == first else ""}">'
            f'<div class="pk-task-text">{start}{name}'
            f'<div class="pk-task-hint" id="{hint_id}">{esc(t.exercise.summary)}{dates}</div>'
            f'</div><div class="pk-task-status" id="{status_id}">'
            f'<strong class="{tag}">{esc(t.status)}</strong></div></li>'
        )
    return (
        f"<h2>Exercises</h2><p>You have completed {done} of {len(tasks)}.</p>"
        f'<ul class="pk-task-list">{"".join(rows)}</ul>'
    )


def welcome_html(text: str) -> str:
    """The facilitator's welcome, escaped, its blank lines made paragraphs."""
    if not text.strip():
        return ""
    paragraphs = [p.strip() for p in text.replace("\r\n", "\n").split("\n\n") if p.strip()]
    body = "".join(f"<p>{esc(p).replace(chr(10), '<br>')}</p>" for p in paragraphs)
    return f'<div class="pk-welcome"><h2>From your facilitator</h2>{body}</div>'
