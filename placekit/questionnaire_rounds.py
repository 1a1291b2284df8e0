"""Rounds of a questionnaire, and the facilitator's controls for them.

A workbook's questionnaire runs in rounds. Round 1 opens by itself (or, for a questionnaire
rated for each of a list, once the facilitator has listed the organisations). The
facilitator closes a round to see its results and can then open the next one, which starts
every respondent afresh; the results compare the latest two closed rounds.

For an anonymous questionnaire, results are shown only for closed rounds, and closing is
final. Were figures shown while answers still came in, the facilitator could watch a mean
move when one person submitted and work out that person's answer from the change; a closed
round's figures never move.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from placekit import clock
from placekit.questionnaire import Questionnaire
from placekit.responses import Responses

ROUND = "round"  # team record per round: r1, r2, …


@dataclass(frozen=True)
class Round:
    number: int
    targets: tuple[str, ...]
    opened_at: str
    closed_at: str

    @property
    def closed(self) -> bool:
        return bool(self.closed_at)

    @property
    def record(self) -> str:
        return f"r{self.number}"


def target_id(name: str) -> str:
    """A stable, link-safe id for an organisation's name (answers are keyed by it)."""
    return "t" + hashlib.sha1(" ".join(name.casefold().split()).encode()).hexdigest()[:10]


def rounds(responses: Responses) -> list[Round]:
    """Every round opened so far, oldest first; a plain questionnaire's round 1 is implicit."""
    found = []
    for record, data in responses.records(ROUND).items():
        if record.startswith("r") and record[1:].isdigit():
            found.append(
                Round(
                    int(record[1:]),
                    tuple(data.get("targets") or ()),
                    data.get("opened_at") or "",
                    data.get("closed_at") or "",
                )
            )
    found.sort(key=lambda r: r.number)
    q: Questionnaire = responses.exercise.questionnaire  # type: ignore[attr-defined]
    if not found and q.rate_each is None:
        found.append(Round(1, (), "", ""))
    return found


def current(responses: Responses) -> Round | None:
    """The latest round, or None before a rated-for-each questionnaire is set up."""
    found = rounds(responses)
    return found[-1] if found else None


def shown_rounds(responses: Responses) -> list[Round]:
    """The rounds whose results may be shown: closed ones, and for a questionnaire that is
    not anonymous the open one too."""
    q: Questionnaire = responses.exercise.questionnaire  # type: ignore[attr-defined]
    return [r for r in rounds(responses) if r.closed or q.anonymity != "anonymous"]


def submitted(responses: Responses, number: int, member: str | None = None) -> bool:
    return bool(responses.get("submission", f"r{number}", member).get("submitted_at"))


def submission_counts(responses: Responses, number: int) -> tuple[int, int]:
    """(people who submitted, people who started but have not) in a round."""
    record = f"r{number}"
    done = {m for m, recs in responses.all_members("submission").items() if record in recs}
    started = set()
    for kind in ("answers", "profile"):
        for member, recs in responses.all_members(kind).items():
            if any(r == record or r.startswith(record + ".") for r in recs):
                started.add(member)
    return len(done), len(started - done)


def _day(stamp: str) -> str:
    """A stored UTC time as the day it was where the team is: 22 November 2026."""
    try:
        return f"{clock.local(dt.datetime.fromisoformat(stamp)):%-d %B %Y}"
    except ValueError:
        return stamp[:10]


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def _save_round(responses: Responses, rnd: Round, **changes: Any) -> None:
    entry = responses.entry(ROUND, rnd.record)
    data = {"targets": list(rnd.targets), "opened_at": rnd.opened_at, "closed_at": rnd.closed_at}
    responses.save(ROUND, rnd.record, data | changes, base_version=entry.version if entry else 0)


def set_targets(responses: Responses, names: list[str]) -> str | None:
    """Set the current round's list of organisations; returns why not, or None.

    Once anyone has answered in a round, organisations can be added but not removed: their
    answers are keyed by the organisation.
    """
    clean: list[str] = []
    for name in names:
        name = " ".join(name.split())
        if len(name) > 120:
            return f"Keep each name to 120 characters or fewer ({name[:30]}…)"
        if name and target_id(name) not in {target_id(n) for n in clean}:
            clean.append(name)
    if len(clean) < 2:
        return "List at least two organisations, one per line"
    if len(clean) > 40:
        return "List 40 organisations or fewer"
    rnd = current(responses)
    if rnd is None:
        _save_round(responses, Round(1, (), _now(), ""), targets=clean)
        return None
    if rnd.closed:
        return f"Round {rnd.number} is closed. Open the next round to change the list."
    done, started = submission_counts(responses, rnd.number)
    if done or started:
        kept = {target_id(n) for n in clean}
        missing = [n for n in rnd.targets if target_id(n) not in kept]
        if missing:
            return (
                f"People have started answering, so {', '.join(missing)} cannot be removed"
                " in this round. You can still add organisations."
            )
    _save_round(responses, rnd, targets=clean, opened_at=rnd.opened_at or _now())
    return None


def close_round(responses: Responses) -> None:
    rnd = current(responses)
    if rnd is not None and not rnd.closed:
        _save_round(responses, rnd, closed_at=_now(), opened_at=rnd.opened_at or _now())


def open_next_round(responses: Responses) -> Round:
    rnd = current(responses)
    if rnd is not None and not rnd.closed:
        raise ValueError(f"Close round {rnd.number} before opening the next")
    number = rnd.number + 1 if rnd else 1
    new = Round(number, rnd.targets if rnd else (), _now(), "")
    _save_round(responses, new)
    return new


# -- the facilitator's panel (a thin view over the functions above) --------------------------


def _offered_targets(responses: Responses, names: Any) -> list[Any]:
    """Organisations other exercises in the workbook name (an ally map's, say), offered for
    the list: the button adds them to the box; nothing is saved until "Save the list"."""
    from placekit.links import offered
    from placekit.ui import button, esc, html_box

    found = offered(responses, "organisations")
    if not found:
        return []
    add = button("Add the organisations named in other exercises")

    def on_add(_b: Any) -> None:
        listed = [n.strip() for n in names.value.splitlines() if n.strip()]
        have = {n.casefold() for n in listed}
        names.value = "\n".join(listed + [n for n in found if n.casefold() not in have])

    add.on_click(on_add)
    return [html_box(f'<p class="pk-hint">Named elsewhere: {esc("; ".join(found))}</p>'), add]


def facilitator_panel(responses: Responses, redraw: Callable[[], None]) -> Any:
    import ipywidgets as w

    from placekit.ui import button, esc, guarded, html_box

    q: Questionnaire = responses.exercise.questionnaire  # type: ignore[attr-defined]
    rule = responses.rule
    rnd = current(responses)
    message = html_box("")

    def say(text: str, ok: bool = False) -> None:
        style = "pk-notice" if ok else "pk-warning"
        message.value = f'<div class="{style}" role="alert">{esc(text)}</div>'

    def act(fn: Callable[[Any], None]) -> Callable[[Any], None]:
        return guarded(say)(fn)

    parts: list[Any] = []
    if rnd is None:
        status = (
            f"<h2>Set up</h2><p>List the {esc(q.rate_each.plural if q.rate_each else '')}"
            " taking part, then share the team link. Respondents choose their own from this"
            " list and rate it and the partners they work with.</p>"
        )
    else:
        done, started = submission_counts(responses, rnd.number)
        state = (
            f"closed on {esc(_day(rnd.closed_at))}" if rnd.closed else "open: collecting answers"
        )
        status = (
            f"<h2>Round {rnd.number}</h2><p>Round {rnd.number} is {state}.</p>"
            f'<table class="pk-table"><tr><th>Submitted</th><td>'
            f"{esc(rule.head_count(done))}</td></tr><tr><th>Started, not submitted"
            f"</th><td>{esc(rule.head_count(started))}</td></tr></table>"
        )
        if q.anonymity == "anonymous":
            status += (
                "<p>This questionnaire is anonymous: you see how many people have answered,"
                " never who. Results are shown once you close the round. Any figure about"
                f" fewer than {rule.k} people is withheld, and so is spread (lowest, highest,"
                f" median, how many gave each answer) about fewer than {rule.spread_min}.</p>"
            )
    parts.append(html_box(status))

    if q.rate_each is not None and (rnd is None or not rnd.closed):
        names = w.Textarea(
            value="\n".join(rnd.targets if rnd else ()),
            description=f"{q.rate_each.plural.capitalize()} taking part (one per line)",
            rows=6,
            style={"description_width": "initial"},
            layout=w.Layout(width="100%"),
        )
        names.add_class("pk-field")
        save = button("Save the list", "success")
        save.add_class("mod-primary")

        @act
        def on_save(_b: Any) -> None:
            problem = set_targets(responses, names.value.splitlines())
            if problem:
                say(problem)
                return
            redraw()

        save.on_click(on_save)
        parts += [names, save, *_offered_targets(responses, names)]

    if rnd is not None and not rnd.closed:
        close = button(f"Close round {rnd.number} and show results")
        confirm_box = w.VBox()

        @act
        def ask(_b: Any) -> None:
            yes = button(f"Yes, close round {rnd.number}", "danger")
            yes.add_class("mod-danger")
            no = button("Cancel")
            yes.on_click(act(lambda _b: (close_round(responses), redraw())))
            no.on_click(act(lambda _b: setattr(confirm_box, "children", [])))
            confirm_box.children = [
                html_box(
                    '<div class="pk-warning"><p>Closing is final: no one can add or change'
                    f" answers in round {rnd.number} afterwards. You can open a new round"
                    " later to compare.</p></div>"
                ),
                w.HBox([yes, no]),
            ]

        close.on_click(ask)
        parts += [close, confirm_box]
    elif rnd is not None:
        again = button(f"Open round {rnd.number + 1}")

        @act
        def on_open(_b: Any) -> None:
            open_next_round(responses)
            redraw()

        again.on_click(on_open)
        parts += [
            html_box(
                "<p>Run the questionnaire again later (for example in 6 to 12 months) to see"
                " what has changed. Everyone answers afresh; the results compare the two"
                " latest closed rounds.</p>"
            ),
            again,
        ]
    parts.append(message)
    return w.VBox(parts)
