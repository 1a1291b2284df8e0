"""Rounds of a questionnaire, as plain Python (the facilitator's controls are in
``rounds_panel``).

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
from dataclasses import dataclass
from typing import Any

from placekit import clock
from placekit.data.responses import Responses
from placekit.errors import PlaceKitError
from placekit.questionnaires.model import Questionnaire

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


def day(stamp: str) -> str:
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
    q: Questionnaire = responses.exercise.questionnaire  # type: ignore[attr-defined]
    plural = q.rate_each.plural if q.rate_each else "names"
    clean: list[str] = []
    for name in names:
        name = " ".join(name.split())
        if len(name) > 120:
            return f"Keep each name to 120 characters or fewer ({name[:30]}…)"
        if name and target_id(name) not in {target_id(n) for n in clean}:
            clean.append(name)
    if len(clean) < 2:
        return f"List at least two {plural}, one per line"
    if len(clean) > 40:
        return f"List 40 {plural} or fewer"
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
                f" in this round. You can still add {plural}."
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
        raise PlaceKitError(f"Close round {rnd.number} before opening the next")
    number = rnd.number + 1 if rnd else 1
    new = Round(number, rnd.targets if rnd else (), _now(), "")
    _save_round(responses, new)
    return new
