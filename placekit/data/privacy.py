"""The privacy policy, in one place: who may read which record, and which figures may be shown.

Everything public (pages, exports, the CLI, ``placekit.open()`` and what it returns) asks
this module; nothing else decides. The rules, and why, are in ``docs/privacy.md``:

- **Anonymous exercises** store a member's records under a *respondent key*: an HMAC of the
  workbook and exercise under the member's own secret. The server keeps only a hash of that
  secret, so neither it nor whoever holds the database can turn a key back into a member.
  Such records carry no author and no time (``placekit.data.store`` keeps them apart).
- **Private kinds** are read by their owner alone; **figures-only kinds** feed the team's
  figures but are never returned one person at a time.
- **Small groups**: nothing about fewer than ``k`` people; from ``k`` counts and means;
  spread (lowest, highest, median, quartiles, a count per answer) only from
  ``max(SPREAD_MIN, k)``; free text from an anonymous exercise only from
  ``max(TEXT_MIN, k)``.
- **A member's own data** (``placekit.data.erasure`` carries it out): what they may
  download and erase is what is filed under them (their member id, or in an anonymous
  exercise the respondent key their own secret works out) and what they typed into the
  team's records. A team record only they ever saved is erased with them; one others
  worked on too stays, as the team's, with their name taken off.
- **How long**: a workbook is deleted ``retention_months`` after it was closed
  (``deletion_due``; ``placekit.data.retention`` does it).
- **The activity record** (``placekit.data.activity``) names a link or a tool, never a
  member, and keeps only the day of anything a member did (``activity_time``): a time of
  day beside a member's action could be laid against when answers changed.
- **The room's screen** in a live session names only members who joined by name, in an
  exercise that is not anonymous (``presence_key``); everyone else is a count. It keeps
  no time, and forgets the room when the session ends.
"""

from __future__ import annotations

import calendar
import datetime as dt
import hashlib
import hmac
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from placekit import clock

if TYPE_CHECKING:
    from placekit.data.access import Member
    from placekit.exercise import Exercise, RecordKind

#: The default k: the fewest people any figure shown outside the group may cover.
DEFAULT_MIN_GROUP = 3
#: Spread figures single people out sooner than means do (three scores and their lowest,
#: median and highest are the three scores), so they need a larger group.
SPREAD_MIN = 5
#: A comment can be recognised by its wording; a handful is too few to hide one in.
TEXT_MIN = 5
#: The highest k a facilitator may set; above it a team of any usual size sees nothing.
MAX_MIN_GROUP = 20

_SECRET_HASH = "sha256:"  # stored hashes say how they were made, so the scheme can change


def hash_secret(secret: str) -> str:
    """What the database keeps of a member's personal token.

    The token carries 192 random bits, so a plain SHA-256 cannot be reversed by search;
    a slow password hash would add nothing but a cost at every page load.
    """
    return _SECRET_HASH + hashlib.sha256(secret.encode()).hexdigest()


def respondent_key(secret: str, workbook_id: str, exercise_id: str) -> str:
    """The key a member's records of one anonymous exercise are stored under.

    Only someone holding the member's secret (their browser, their personal link) can work
    it out: the server has ``hash_secret(secret)``, which is not the HMAC key. The same
    member gets a different key in every exercise, so exercises cannot be joined up.
    """
    message = f"placekit/anonymous/{workbook_id}/{exercise_id}".encode()
    return "a" + hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()[:31]


_RESPONDENT_KEY = re.compile(r"^a[0-9a-f]{31}$")


def is_respondent_key(value: str) -> bool:
    return bool(_RESPONDENT_KEY.match(value))


def presence_key(exercise: Exercise, member: Member, session_id: str) -> str:
    """What a live session's room keeps of a member in it (``live_presence``): their member
    id where the room's screen may name them (they joined by name, and the exercise is not
    anonymous); else a key of this one session, made from their secret as a respondent key
    is, so it leads back to no member and matches none of their answers' keys."""
    if member.id and not member.anonymous and not is_anonymous(exercise):
        return member.id
    message = f"placekit/live/{session_id}".encode()
    return "s" + hmac.new(member.token.encode(), message, hashlib.sha256).hexdigest()[:31]


# -- who may read what ----------------------------------------------------------------------


def is_anonymous(exercise: Exercise) -> bool:
    return exercise.anonymity == "anonymous"


def stored_anonymously(exercise: Exercise, kind: RecordKind) -> bool:
    """Whether a kind's records are kept unlinkable: every member record of an anonymous
    exercise (answers, choices, progress)."""
    return is_anonymous(exercise) and kind.scope == "member"


def figures_only(kind: RecordKind) -> bool:
    return bool(getattr(kind, "figures_only", False))


def private(kind: RecordKind) -> bool:
    return bool(getattr(kind, "private", False))


def member_key(exercise: Exercise, workbook_id: str, member: Member) -> str:
    """A member's id in one exercise: their respondent key in an anonymous one (worked out
    from the secret they present), else their member id."""
    if is_anonymous(exercise):
        return respondent_key(member.token, workbook_id, exercise.id)
    return member.id


def may_read(
    exercise: Exercise,
    kind: RecordKind | None,
    owner: str | None,
    viewer: str | None,
    *,
    analyst: bool = False,
) -> bool:
    """Whether a viewer may read one record of ``kind`` owned by ``owner``.

    ``viewer`` is a member's id in the exercise (``member_key``), or None for the team's
    figures (the facilitator's page, summaries); ``analyst`` is the view ``placekit.open()``
    gives, which reads records one at a time. Records of no declared kind (the core's own,
    such as a member's place in the wizard) are their owner's alone.
    """
    if kind is None:
        return owner is None or owner == viewer
    if analyst and (is_anonymous(exercise) and kind.scope == "member" or figures_only(kind)):
        return False
    if not private(kind):
        return True
    if kind.scope == "team":
        return viewer is not None  # the team's members, never the facilitator
    return owner is not None and owner == viewer


def analyst_kinds(exercise: Exercise) -> list[RecordKind]:
    """The kinds an analyst (``placekit.open(...)``) may read one record at a time."""
    if is_anonymous(exercise):
        return []
    return [k for k in exercise.kinds if not private(k) and not figures_only(k)]


def analyst_refusal(exercise: Exercise, kind: RecordKind | None = None) -> str:
    """Why an analyst may not read records one at a time, in words to show them."""
    if is_anonymous(exercise):
        return (
            f"{exercise.id!r} is anonymous, so its answers are not available one person at a"
            f" time; use summary({exercise.id!r}).tables for its figures"
        )
    name = kind.name if kind else "these"
    if kind is not None and figures_only(kind):
        return (
            f"{name!r} records of {exercise.id!r} are shown only as the team's figures; use"
            f" summary({exercise.id!r}).tables"
        )
    return (
        f"{name!r} records of {exercise.id!r} are private to the people who wrote them and are"
        " not available outside the exercise's own pages"
    )


# -- figures about small groups ------------------------------------------------------------


@dataclass(frozen=True)
class GroupRule:
    """What may be shown about a group of ``n`` people, for a threshold ``k``."""

    k: int = DEFAULT_MIN_GROUP

    def counts(self, n: int) -> bool:
        """Head counts and means: from k people."""
        return n >= self.k

    def spread(self, n: int) -> bool:
        """Lowest, highest, median, quartiles, SD and a count per answer: from
        ``max(SPREAD_MIN, k)`` people."""
        return n >= max(SPREAD_MIN, self.k)

    def text(self, n: int) -> bool:
        """Free-text answers of an anonymous exercise: from ``max(TEXT_MIN, k)`` people."""
        return n >= max(TEXT_MIN, self.k)

    def head_count(self, n: int) -> int | str:
        """A head count as shown outside the group: exact from k, else only "fewer than k"."""
        return n if n == 0 or self.counts(n) else f"fewer than {self.k}"

    @property
    def spread_min(self) -> int:
        return max(SPREAD_MIN, self.k)

    @property
    def text_min(self) -> int:
        return max(TEXT_MIN, self.k)


def group_rule(exercise: Exercise, workbook_min_group: int | None = None) -> GroupRule:
    """The rule for one exercise in one workbook: the larger of the workbook's k (set by
    its facilitator) and any the exercise asks for itself."""
    k = max(workbook_min_group or DEFAULT_MIN_GROUP, getattr(exercise, "min_group", 0) or 0)
    return GroupRule(k)


def check_min_group(value: int) -> str | None:
    """Why a facilitator's k cannot be used, or None."""
    if isinstance(value, bool) or not isinstance(value, int):
        return "Enter a whole number"
    if not DEFAULT_MIN_GROUP <= value <= MAX_MIN_GROUP:
        return f"Choose a number from {DEFAULT_MIN_GROUP} to {MAX_MIN_GROUP}"
    return None


# -- a member's own data: what they may download and erase ---------------------------------


def respondent_keys(secret: str, workbook_id: str, exercise_ids: Iterable[str]) -> dict[str, str]:
    """Exercise id -> the key a member's anonymous records in it are filed under: the
    records their own secret unlocks (and nothing else can)."""
    return {e: respondent_key(secret, workbook_id, e) for e in exercise_ids}


def typed_in(previous: Mapping[str, Any] | None, data: Mapping[str, Any] | None) -> dict[str, Any]:
    """What the author of a version of a team record typed: the fields it changed from the
    version before (all of them in the first). What others typed is not theirs to take."""
    before = previous or {}
    return {k: v for k, v in (data or {}).items() if k not in before or before[k] != v}


def erased_whole(authors: Iterable[str | None], member: str) -> bool:
    """Whether a team record is erased with a member: when they saved every version of it.
    A record others saved versions of too is the team's work: it stays, unnamed."""
    return all(a == member for a in authors)


# -- how long a workbook is kept ------------------------------------------------------------

#: A new workbook is deleted this many months after it is closed, unless its facilitator
#: chooses otherwise (storage limitation, UK GDPR Article 5(1)(e): not kept for ever).
DEFAULT_RETENTION_MONTHS = 12
#: The longest period a facilitator may choose (ten years); beyond it, delete by hand.
MAX_RETENTION_MONTHS = 120


def check_retention(value: int | None) -> str | None:
    """Why a retention period cannot be used, or None. None keeps a workbook until
    someone deletes it by hand."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        return "Enter a whole number of months"
    if not 1 <= value <= MAX_RETENTION_MONTHS:
        return f"Choose from 1 to {MAX_RETENTION_MONTHS} months"
    return None


def add_months(moment: dt.datetime, months: int) -> dt.datetime:
    """The same day and time ``months`` later (the month's last day if it is shorter)."""
    month = moment.month - 1 + months
    year, month = moment.year + month // 12, month % 12 + 1
    return moment.replace(
        year=year, month=month, day=min(moment.day, calendar.monthrange(year, month)[1])
    )


def deletion_due(closed_at: dt.datetime | None, months: int | None) -> dt.datetime | None:
    """When a workbook is to be deleted: ``months`` after it was closed; None while it is
    open or when it is kept until deleted by hand."""
    if closed_at is None or months is None:
        return None
    return add_months(closed_at, months)


# -- the activity record ---------------------------------------------------------------------

#: Who did something, as the activity record says it: which link or which tool. Never a
#: member: the team link is shared by the whole team.
FACILITATOR = "facilitator link"
TEAM = "team link"
COMMAND_LINE = "command line"
PYTHON = "placekit.open()"
PLACEKIT = "PlaceKit"
ACTORS = (FACILITATOR, TEAM, COMMAND_LINE, PYTHON, PLACEKIT)


def activity_time(actor: str, when: dt.datetime) -> dt.datetime:
    """The time the activity record keeps: to the second for a facilitator, a tool or
    PlaceKit itself; the day only (the place's day, as midnight) for a member's action,
    so that no time of day stands beside what members do."""
    if actor != TEAM:
        return when
    day = clock.local(when).date()
    return dt.datetime.combine(day, dt.time(), clock.zone()).astimezone(dt.UTC)
