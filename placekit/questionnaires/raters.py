"""A questionnaire about a person (a 360), as plain Python: the respondent's 360, the links
they give their raters, the raters' answers, and which rater groups may be shown.

A respondent (the leader) rates themselves as in any questionnaire. Their 360 in a round is
a record of their own holding a random code (``subject``); each rater group's link is a
guest link (``Responses.guest_link``) whose scope names the round, that code and the group,
never the rater. A rater is no member: their answers (``rating``) and submission
(``rated``, with their group and the day only) are filed under the respondent key their
own browser's secret makes, so nothing links them to a person. The leader's name reaches
the raters in the link alone; it is never stored beside the 360.

No pandas and no widgets here: the invite page (which every leader opens) counts raters
with it, and the results, which need pandas, build on it in ``rater_results``.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs, urlparse

from placekit.data.access import InvalidLink, Member, new_code, resolve_guest
from placekit.data.privacy import GroupRule
from placekit.data.responses import Responses
from placekit.data.store import Store
from placekit.errors import PlaceKitError
from placekit.exercise import Exercise, FieldError
from placekit.questionnaires.model import Dimension, Questionnaire, RaterGroup
from placekit.questionnaires.rounds import current

SUBJECT = "subject"  # the leader's own record per round: {"code", "closed_at"}
RATING = "rating"  # a rater's answers about one 360: item id -> answer
RATED = "rated"  # a rater's submission: {"group", "submitted_at"} (the day only)
OTHERS, EVERYONE = "others", "all"  # the pooled columns' ids

_CODE = re.compile(r"^s[0-9a-f]{24}$")
_SCOPE = re.compile(r"^r([1-9][0-9]{0,3})\.(s[0-9a-f]{24})\.([A-Za-z][A-Za-z0-9_-]{0,31})$")


@dataclass(frozen=True)
class Subject:
    """One leader's 360 in one round: ``code`` is what their raters' links and answers
    carry; ``closed_at`` the day they closed it to see their results ("" while open)."""

    number: int
    code: str
    closed_at: str = ""


@dataclass(frozen=True)
class Invitation:
    """What a rater's link opens: a 360 (round and code) as one of a group."""

    number: int
    code: str
    group: RaterGroup

    @property
    def scope(self) -> str:
        return f"r{self.number}.{self.code}.{self.group.id}"

    @property
    def record(self) -> str:
        return rating_record(self.number, self.code)


@dataclass(frozen=True)
class Column:
    """A column of a leader's results: one rater group, several pooled ("Others"), or
    every rater ("All raters"). ``n`` is how many raters in it have submitted."""

    id: str
    label: str
    groups: tuple[str, ...]
    n: int


def rating_record(number: int, code: str) -> str:
    return f"r{number}.{code}"


# -- the leader's side -----------------------------------------------------------------------


def own_subject(responses: Responses, number: int) -> Subject | None:
    data = responses.get(SUBJECT, f"r{number}")
    code = data.get("code")
    return Subject(number, code, data.get("closed_at") or "") if _CODE.match(code or "") else None


def ensure_subject(responses: Responses, number: int) -> Subject:
    """The leader's 360 in a round, made the first time they need it (a random code, so
    their raters' answers are filed under nothing that names them)."""
    found = own_subject(responses, number)
    if found is not None:
        return found
    entry = responses.entry(SUBJECT, f"r{number}")
    code = "s" + secrets.token_hex(12)
    responses.save(
        SUBJECT,
        f"r{number}",
        {"code": code, "closed_at": ""},
        base_version=entry.version if entry else 0,
    )
    return Subject(number, code)


def _today() -> str:
    # The day only: an anonymous record keeps no time finer than that (placekit.data.privacy).
    return dt.datetime.now(dt.UTC).date().isoformat()


def close_subject(responses: Responses, number: int) -> None:
    """The leader closes their 360: no more ratings, and their results appear. Final, so a
    figure they have seen never moves when one more person answers."""
    found = own_subject(responses, number)
    if found is None or found.closed_at:
        return
    entry = responses.entry(SUBJECT, f"r{number}")
    data = {"code": found.code, "closed_at": _today()}
    responses.save(SUBJECT, f"r{number}", data, base_version=entry.version if entry else 0)


def invitations(q: Questionnaire, subject: Subject) -> list[Invitation]:
    assert q.raters is not None
    return [Invitation(subject.number, subject.code, g) for g in q.raters.groups]


def invite_link(responses: Responses, invitation: Invitation, name: str) -> str:
    """The link to send one rater group; ``name`` is how the raters will see the leader."""
    return responses.guest_link(invitation.scope, name)


def is_open(responses: Responses, subject: Subject) -> bool:
    """Whether the 360 still takes ratings: neither the leader nor the round has closed it."""
    rnd = current(responses)
    return (
        not subject.closed_at
        and rnd is not None
        and rnd.number == subject.number
        and not rnd.closed
    )


# -- the raters' side ----------------------------------------------------------------------


def invitation(q: Questionnaire, scope: str) -> Invitation | None:
    """What a guest link's scope opens, or None (a group this questionnaire has not)."""
    found = _SCOPE.match(scope)
    if not found or q.raters is None:
        return None
    group = q.raters.group(found[3])
    return Invitation(int(found[1]), found[2], group) if group else None


def find_subject(responses: Responses, number: int, code: str) -> Subject | None:
    """The 360 a code belongs to, as any viewer may find it (its owner is never named)."""
    for recs in responses.all_members(SUBJECT).values():
        data = recs.get(f"r{number}") or {}
        if data.get("code") == code:
            return Subject(number, code, data.get("closed_at") or "")
    return None


def rating_submitted(responses: Responses, invite: Invitation) -> bool:
    return bool(responses.get(RATED, invite.record).get("submitted_at"))


def rater_lock(responses: Responses, invite: Invitation, name: str) -> str | None:
    """Why a rater cannot answer now, in words for them; None when they can."""
    if rating_submitted(responses, invite):
        return None  # their answers stay readable, fixed
    subject = find_subject(responses, invite.number, invite.code)
    if subject is None:
        return f"This link no longer opens {name}'s 360. Ask {name} for a new link."
    if not is_open(responses, subject):
        return (
            f"{name}'s 360 has closed, so it takes no more answers. Thank you all the same."
            f" If {name} starts a new one, they will send a new link."
        )
    return None


def rating_errors(
    q: Questionnaire, responses: Responses, invite: Invitation, dim: Dimension
) -> list[FieldError]:
    values = responses.get(RATING, invite.record)
    allowed = {v for v, _label in q.scale.choices()}
    return [
        FieldError(
            f"Choose an answer for “{item.text}”",
            field=f"{invite.record}.{item.id}",
            record=invite.record,
        )
        for item in dim.items
        if not (values.get(item.id) is None and not item.required)
        and (values.get(item.id) not in allowed or isinstance(values.get(item.id), bool))
    ]


def all_rating_errors(
    q: Questionnaire, responses: Responses, invite: Invitation
) -> list[FieldError]:
    errors = []
    for dim in q.dimensions:
        missing = rating_errors(q, responses, invite, dim)
        if missing:
            errors.append(FieldError(f"{dim.title}: {len(missing)} question(s) not answered"))
    return errors


def submit_rating(responses: Responses, invite: Invitation) -> bool:
    """Record that a rater submitted their answers, with their group and the day; once.
    Read afresh first: if the 360 closed while they answered, nothing is submitted (False),
    since a figure its leader has seen must never move."""
    responses.reload()
    entry = responses.entry(RATED, invite.record)
    if entry and (entry.data or {}).get("submitted_at"):
        return True
    subject = find_subject(responses, invite.number, invite.code)
    if subject is None or not is_open(responses, subject):
        return False
    data = {"group": invite.group.id, "submitted_at": _today()}
    responses.save(RATED, invite.record, data, base_version=entry.version if entry else 0)
    return True


def rate(
    exercise: Exercise,
    link: str,
    answers: Mapping[str, Any],
    db: str | os.PathLike[str] | None = None,
) -> None:
    """Answer a 360 as a new rater who opened ``link`` (one of its "Invite raters" links)
    and send, as the rater's pages do: for tests and tools. ``answers`` maps item ids to
    answers as stored (a scale point, or "dk"); ``db`` is the database (default
    ``PLACEKIT_DB``). The rater is anonymous like any: a secret is made and forgotten.
    ``InvalidLink`` for a link that is not one of ``exercise``'s, ``PlaceKitError`` when the
    360 takes no more answers, ``ValueError`` naming a missing or impossible answer."""
    store = Store(db)
    code = (parse_qs(urlparse(link).query).get("code") or [""])[0]
    guest = resolve_guest(store, code, exercise.id)
    view: Any = exercise.guest_view(guest)
    if view is None or not hasattr(view, "invitation"):
        raise InvalidLink
    q: Questionnaire = view.questionnaire
    invite: Invitation = view.invitation
    mine = Responses.for_member(
        store, guest.access.workbook_id, view, Member("", "", True, new_code())
    )
    closed = rater_lock(mine, invite, guest.host)
    if closed:
        raise PlaceKitError(closed)
    allowed = {v for v, _label in q.scale.choices()}
    given = {item.id: answers.get(item.id) for item in q.items if item.id in answers}
    wrong = [
        item.id
        for item in q.items
        if (item.required or item.id in given)
        and (given.get(item.id) not in allowed or isinstance(given.get(item.id), bool))
    ]
    if wrong:
        raise ValueError(f"No possible answer for {', '.join(wrong)}")
    mine.save(RATING, invite.record, given, 0)
    if not submit_rating(mine, invite):
        raise PlaceKitError(rater_lock(mine, invite, guest.host) or "The 360 has closed")


# -- counting and pooling --------------------------------------------------------------------


@dataclass(frozen=True)
class Rating:
    """One rater's submitted answers about a 360; ``rater`` is their respondent key."""

    rater: str
    group: str
    answers: dict[str, Any]


def ratings(q: Questionnaire, responses: Responses, subject: Subject) -> list[Rating]:
    """The submitted ratings of a 360, in no meaningful order."""
    assert q.raters is not None
    record = rating_record(subject.number, subject.code)
    known = {g.id for g in q.raters.groups}
    found = []
    for rater, recs in responses.all_members(RATED).items():
        data = recs.get(record) or {}
        if data.get("submitted_at") and data.get("group") in known:
            found.append(Rating(rater, data["group"], responses.get(RATING, record, rater)))
    return sorted(found, key=lambda r: r.rater)  # keys are random: their order says nothing


def ratings_given(responses: Responses, number: int) -> tuple[int, int]:
    """(ratings submitted in a round, 360s they are about), all 360s together. Ratings of a
    360 whose leader has erased their data count no more: nothing is theirs to count."""
    live = {
        (recs.get(f"r{number}") or {}).get("code")
        for recs in responses.all_members(SUBJECT).values()
    }
    about = [
        record
        for recs in responses.all_members(RATED).values()
        for record, data in recs.items()
        if data.get("submitted_at") and record.startswith(f"r{number}.")
        if record.split(".", 1)[1] in live
    ]
    return len(about), len(set(about))


def given_text(rule: GroupRule, given: tuple[int, int]) -> str:
    """The count of ratings as the facilitator may see it: only once at least k leaders
    have been rated, since with fewer it is one or two leaders' own count."""
    ratings_count, rated = given
    if ratings_count == 0:
        return "0"
    if not rule.counts(rated):
        return f"shown once at least {rule.k} leaders have been rated"
    return str(ratings_count)


def counts(q: Questionnaire, found: list[Rating]) -> dict[str, int]:
    assert q.raters is not None
    return {g.id: sum(r.group == g.id for r in found) for g in q.raters.groups}


def columns(q: Questionnaire, counted: dict[str, int], rule: GroupRule) -> list[Column]:
    """The columns a leader's results may have, given how many of each group answered.

    A group of at least k raters is shown on its own. Smaller groups are pooled as
    "Others" rather than withheld, so that every rater's view still counts; if the pool
    is still below k, the smallest group shown is pooled in too, or subtracting the
    groups shown from "All raters" would give the small group's figures away. "All
    raters" is shown from k raters; with fewer there is no column at all.
    """
    assert q.raters is not None
    present = [g for g in q.raters.groups if counted.get(g.id, 0) > 0]
    total = sum(counted[g.id] for g in present)
    if not rule.counts(total):
        return []
    alone = [g for g in present if rule.counts(counted[g.id])]
    pooled = [g for g in present if not rule.counts(counted[g.id])]
    while pooled and not rule.counts(sum(counted[g.id] for g in pooled)):
        smallest = min(alone, key=lambda g: counted[g.id])  # some remain: total >= k
        alone.remove(smallest)
        pooled.append(smallest)
    found = [Column(g.id, g.label, (g.id,), counted[g.id]) for g in alone]
    if pooled and alone:  # all pooled is just "All raters"
        ids = tuple(g.id for g in present if g in pooled)
        found.append(Column(OTHERS, "Others", ids, sum(counted[i] for i in ids)))
    found.append(Column(EVERYONE, "All raters", tuple(g.id for g in present), total))
    return found


def who_answered(q: Questionnaire, counted: dict[str, int], rule: GroupRule) -> list[str]:
    """How many have answered, in words, as the leader may see it: each group of at least k
    exactly ("3 peers have answered"), smaller groups only together, as their results
    are pooled, so no small group's count can be worked out from the others."""
    assert q.raters is not None
    total = sum(counted.values())
    if total == 0:
        return ["No one has answered yet."]
    if not rule.counts(total):
        return [f"Fewer than {rule.k} people have answered so far."]
    shown = columns(q, counted, rule)
    groups = {g.id: g for g in q.raters.groups}
    lines = []
    for col in shown:
        if col.id == EVERYONE:
            lines.append(f"{col.n} people have answered in all.")
        elif col.id == OTHERS:
            names = " and ".join(groups[g].many for g in col.groups)
            lines.append(f"{col.n} {names} have answered between them.")
        else:
            group = groups[col.id]
            lines.append(f"{col.n} {group.one if col.n == 1 else group.many} "
                         f"{'has' if col.n == 1 else 'have'} answered.")  # fmt: skip
    none = [groups[g].many for g in groups if not counted.get(g)]
    if none:
        lines.append(f"No {' or '.join(none)} have answered yet.")
    return lines


def pooling_note(q: Questionnaire, shown: list[Column], rule: GroupRule) -> str:
    """Why the columns are as they are, in words for the leader's page."""
    assert q.raters is not None
    groups = {g.id: g for g in q.raters.groups}
    why = (
        f"A group of fewer than {rule.k} raters is never shown on its own: you could guess"
        " who said what. Its ratings are pooled, not dropped: they count in “All raters”"
        " and, with other small groups, in “Others”, so everyone's view still counts."
    )
    pooled = next((c for c in shown if c.id == OTHERS), None)
    if pooled is not None:
        names = ", ".join(groups[g].label.lower() for g in pooled.groups)
        why += f" Here “Others” is {names}, together."
    elif shown and len(shown) == 1 and len(shown[0].groups) > 1:
        why += " Here every group is shown together, as “All raters”."
    return why
