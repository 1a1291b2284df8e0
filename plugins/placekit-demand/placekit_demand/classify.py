"""Step 4: classify each demand as value, failure or unclear; for failure, say what we
failed to do. A few demands at a time, drawn in a fixed random order."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import ipywidgets as w

from placekit import FieldError, PageContext, Responses, button, esc, html_box
from placekit_demand import data
from placekit_demand.schema import CHANNEL_LABELS, FAILURE_CATEGORIES
from placekit_demand.setup_pages import STYLE

BATCH = 5
CHOICES = (("Value", "value"), ("Failure", "failure"), ("Unclear", "unclear"))


def validate_classify(responses: Responses) -> list[FieldError]:
    verdicts = responses.records("verdict")
    if not any(v.get("classification") for v in verdicts.values()):
        return [FieldError("Classify at least one demand")]
    errors = []
    for demand_id, verdict in verdicts.items():
        if (
            verdict.get("classification") == "failure"
            and not str(verdict.get("failure_reason") or "").strip()
        ):
            words = str(verdict.get("verbatim") or demand_id)[:60]
            errors.append(
                FieldError(f"Say what we failed to do for “{words}”", field=f"{demand_id}.reason")
            )
    return errors


def _when(value: Any) -> str:
    import pandas as pd  # lazy: only this page's cards need it; every kernel loads this

    return "" if pd.isna(value) else pd.Timestamp(value).strftime("%a %d/%m/%Y %H:%M")


def demand_card(
    ctx: PageContext, row: Any, answered: Callable[[str, str | None], None] | None = None
) -> w.Widget:
    """One demand with its value / failure / unclear buttons; saves as it is answered, then
    tells ``answered(demand id, classification)`` (the page's count)."""
    demand_id = str(row.demand_id)
    verdict = ctx.responses.get("verdict", demand_id)
    verbatim = str(row.verbatim)
    choice = w.ToggleButtons(
        options=CHOICES,
        value=verdict.get("classification"),
        description="This demand is",
        style={"description_width": "initial", "button_width": "auto"},
    )
    choice.add_class("pk-big")
    reason = w.Text(
        value=verdict.get("failure_reason") or "",
        description="What did we fail to do, or do right?",
        continuous_update=False,
        style={"description_width": "initial"},
        layout=w.Layout(width="100%"),
    )
    reason.add_class("pk-field")
    category = w.Dropdown(
        options=[("(optional)", None)] + [(label, value) for value, label in FAILURE_CATEGORIES],
        value=verdict.get("failure_category"),
        description="Kind of failure",
        style={"description_width": "initial"},
    )
    category.add_class("pk-field")
    slot = ctx.error_slot(f"{demand_id}.reason", reason)
    question = w.VBox([reason, slot])
    question.add_class("pk-question")
    failure_box = w.VBox([question, category])
    failure_box.layout.display = "" if choice.value == "failure" else "none"

    def store(_change: Any = None) -> None:
        failure_box.layout.display = "" if choice.value == "failure" else "none"
        record = {
            "classification": choice.value,
            "failure_reason": reason.value.strip() if choice.value == "failure" else "",
            "failure_category": category.value if choice.value == "failure" else None,
            "verbatim": verbatim[:200],
        }
        if ctx.save("verdict", demand_id, record) and answered is not None:
            answered(demand_id, choice.value)

    for widget in (choice, reason, category):
        widget.observe(ctx.guard(store), "value")
    meta = ", ".join(
        part
        for part in (
            CHANNEL_LABELS.get(str(row.channel), ""),
            str(row.service or ""),
            _when(row.captured_at),
        )
        if part
    )
    card = w.VBox(
        [
            html_box(
                f"<blockquote>“{esc(verbatim)}”</blockquote><span class='pk-meta'>"
                f"{esc(meta)}</span>"
            ),
            choice,
            failure_box,
        ]
    )
    card.add_class("pk-card")
    return card


def _progress(done: int, total: int) -> str:
    return (
        f"<p class='pk-progress' aria-live='polite'>Classified {done:,} of {total:,} demands.</p>"
    )


def build_classify(ctx: PageContext) -> w.Widget:
    import pandas as pd  # lazy, as in _when

    responses = ctx.responses
    purpose = responses.get("purpose", "team").get("statement", "")
    frame = data.analysis_frame(responses)
    done, total = data.classified_count(responses, frame)
    left = frame[frame["classification"].isna()]
    order = pd.util.hash_array(left["demand_id"].astype(str).to_numpy(dtype=object))
    batch = left.iloc[order.argsort(kind="stable")[:BATCH]]
    progress = html_box(_progress(done, total))
    chosen: dict[str, str | None] = {}

    def answered(demand_id: str, classification: str | None) -> None:
        # The batch is drawn from demands not yet classified: each answered card adds one.
        chosen[demand_id] = classification
        progress.value = _progress(done + sum(1 for c in chosen.values() if c), total)

    cards = [demand_card(ctx, row, answered) for row in batch.itertuples()]
    more = button("Show the next demands")
    more.add_class("pk-touch")
    more.on_click(ctx.guard(lambda _b: ctx.rebuild()))
    intro = (
        STYLE + f"<p>Judge each demand against the purpose: <strong>“{esc(purpose)}”</strong>."
        " Value demand is what we are here for; failure demand is caused by us not doing"
        " something, or not doing it right (chasing, correcting, repeating).</p>"
    )
    if total > 500 and done < total:
        intro += (
            "<p>With a large import you need not read every demand: these come in a fixed"
            " random order, so the ones you classify are a fair sample, and the results"
            " show how far the sample can be trusted.</p>"
        )
    if not cards:
        intro += '<div class="pk-notice">Every demand has been classified.</div>'
    return w.VBox([ctx.html(intro), progress, *cards, *([more] if cards else [])])
