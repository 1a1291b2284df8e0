"""A member's own data: everything they gave a workbook, to download, and to erase.

What is theirs is the privacy policy's (``placekit.data.privacy``):

- every version of every record filed under their member id, in every exercise (their
  answers, their private reflections, their place in the pages);
- in an anonymous exercise, every version of the records their own secret unlocks (the
  respondent keys ``privacy.respondent_keys`` works out from the token they present: no
  one else can find these, so only the member can download or erase them);
- what they typed into the team's records: each version they saved, with the fields it
  changed (``privacy.typed_in``), not what others had typed before them;
- the datasets they imported, as facts (file name, rows, when): their rows are the team's
  study data (a contact-centre export), not the member's own.

Erasing deletes the first two, every version; a team record only they ever saved goes too
(``privacy.erased_whole``), and one others worked on stays as the team's, with their name
taken off every version (so do the datasets they imported); then their membership goes
(their display name and token hash), so their personal link opens nothing. The store is
scrubbed, and the workbook's activity record says, on that day, that a member erased
their data, never who. Figures recompute from what is left the next time they are shown.

A member who has lost their link can ask whoever runs the server instead (``placekit
erase``: ``member_named``, ``plan_by_name``, ``erase_by_name``). That erases the same,
found by their display name, but for their anonymous answers: those are filed under a key
only their own secret works out, so no one else can find them, and they stay, in the
team's figures and linked to no one.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from placekit import clock
from placekit.data import activity, privacy
from placekit.data.access import Access, Member
from placekit.data.export import write_csv
from placekit.data.lifecycle import counted
from placekit.data.store import Entry, Store
from placekit.errors import PlaceKitError

if TYPE_CHECKING:
    from placekit.exercise import Exercise

#: Where a record of a member's stands in their download.
OWN, ANONYMOUS, TEAM = "your records", "your anonymous answers", "what you typed in team records"


@dataclass(frozen=True)
class Record:
    exercise: str
    exercise_title: str
    part: str  # OWN, ANONYMOUS or TEAM
    kind: str
    record: str
    version: int
    saved_at: datetime | None  # anonymous records keep no time
    data: dict[str, Any] | None  # None: this version deleted the record

    def as_dict(self) -> dict[str, Any]:
        return {
            "exercise": self.exercise,
            "exercise_title": self.exercise_title,
            "part": self.part,
            "kind": self.kind,
            "record": self.record,
            "version": self.version,
            "saved_at": self.saved_at.isoformat() if self.saved_at else None,
            "deleted": self.data is None,
            "data": self.data,
        }


@dataclass(frozen=True)
class OwnData:
    """Everything one member gave one workbook."""

    workbook: str
    display_name: str
    anonymous: bool
    joined_at: datetime
    records: list[Record] = field(default_factory=list)
    datasets: list[dict[str, Any]] = field(default_factory=list)
    made_at: datetime = field(default_factory=lambda: datetime.now(UTC))

    def as_json(self) -> bytes:
        document = {
            "about": (
                "Everything you gave this PlaceKit workbook: every version of your own"
                " records, the answers your own link unlocks in anonymous exercises, what"
                " you typed into the team's records, and the files you imported."
            ),
            "workbook": self.workbook,
            "display_name": self.display_name,
            "anonymous": self.anonymous,
            "joined_at": self.joined_at.isoformat(),
            "made_at": self.made_at.isoformat(timespec="seconds"),
            "records": [r.as_dict() for r in self.records],
            "datasets_imported": self.datasets,
        }
        return json.dumps(document, indent=2, ensure_ascii=False, default=str).encode()

    def as_csv(self) -> bytes:
        """One row per field of each version, written as every CSV PlaceKit writes (no
        cell can become a formula)."""
        import pandas as pd  # lazy: only a member asking for their download builds this

        member = {"exercise": "", "part": "your membership", "kind": "", "record": ""}
        member |= {"version": "", "saved_at": self.joined_at.isoformat()}
        rows = [
            member | {"field": "display_name", "value": self.display_name},
            member | {"field": "anonymous", "value": str(self.anonymous).lower()},
        ]
        for d in self.datasets:
            rows.append(
                {"exercise": d["exercise"], "part": "files you imported", "kind": "dataset"}
                | {"record": d["dataset"], "version": d["version"], "saved_at": d["saved_at"]}
                | {"field": "file", "value": f"{d['file']} ({d['rows']} rows)"}
            )
        for r in self.records:
            base = {
                "exercise": r.exercise_title,
                "part": r.part,
                "kind": r.kind,
                "record": r.record,
                "version": r.version,
                "saved_at": r.saved_at.isoformat() if r.saved_at else "",
            }
            if r.data is None:
                rows.append(base | {"field": "", "value": "(deleted)"})
            for name, value in (r.data or {}).items():
                shown = value if isinstance(value, str) else json.dumps(value, default=str)
                rows.append(base | {"field": name, "value": shown})
        columns = ["exercise", "part", "kind", "record", "version", "saved_at", "field", "value"]
        return write_csv({"Your data": pd.DataFrame(rows, columns=columns)})


def _split(key: str) -> tuple[str, str]:
    """A key's kind and record id: ``kind/owner/record``, ``kind/record``, ``_kind/owner``."""
    parts = key.split("/", 2)
    if len(parts) == 3:
        return parts[0], parts[2]
    return parts[0], "" if parts[0].startswith("_") else parts[-1]


def _member_row(store: Store, access: Access, member: Member) -> dict[str, Any]:
    row = store.respondent_by_token_hash(access.workbook_id, privacy.hash_secret(member.token))
    if row is None or row["id"] != member.id:
        raise PermissionError("Only a member, with their own link, can reach their own data")
    return row


def _anonymous_versions(store: Store, access: Access, member: Member) -> list[tuple[str, Entry]]:
    stored = store.stored_exercises(access.workbook_id, anonymous=True)
    found = []
    for exercise, key in privacy.respondent_keys(member.token, access.workbook_id, stored).items():
        found += [
            (e, v)
            for e, v in store.owned_versions(access.workbook_id, key, anonymous=True)
            if e == exercise
        ]
    return found


def _team_versions(
    store: Store, workbook_id: str, member_id: str
) -> dict[tuple[str, str], list[Entry]]:
    """Every version of each team record the member saved a version of."""
    shared: dict[tuple[str, str], list[Entry]] = defaultdict(list)
    for exercise, entry in store.authored_versions(workbook_id, member_id):
        if entry.key.split("/", 2)[1:2] != [member_id]:  # their own records are OWN
            shared[(exercise, entry.key)].append(entry)
    return shared


def _named_plan(store: Store, workbook_id: str, member_id: str) -> set[tuple[str, str, bool]]:
    """The named records erased with a member, as ``(exercise, key, False)``: every one
    filed under their id, and each team record only they ever saved."""
    plan = {(ex, e.key, False) for ex, e in store.owned_versions(workbook_id, member_id)}
    for (ex, key), versions in _team_versions(store, workbook_id, member_id).items():
        if privacy.erased_whole((v.author for v in versions), member_id):
            plan.add((ex, key, False))
    return plan


def own_data(
    store: Store, access: Access, member: Member, exercises: Mapping[str, Exercise]
) -> OwnData:
    """Everything ``member`` (as they present themselves, token and all) gave the workbook."""
    row = _member_row(store, access, member)

    def title(exercise: str) -> str:
        found = exercises.get(exercise)
        return found.title if found else exercise

    records = [
        Record(ex, title(ex), OWN, *_split(e.key), e.version, e.saved_at, e.data)
        for ex, e in store.owned_versions(access.workbook_id, member.id)
    ]
    records += [
        Record(ex, title(ex), ANONYMOUS, *_split(e.key), e.version, None, e.data)
        for ex, e in _anonymous_versions(store, access, member)
    ]
    for (ex, _key), versions in _team_versions(store, access.workbook_id, member.id).items():
        previous: dict[str, Any] | None = None
        for e in versions:
            if e.author == member.id:
                typed = None if e.data is None else privacy.typed_in(previous, e.data)
                if typed is None or typed:
                    records.append(
                        Record(ex, title(ex), TEAM, *_split(e.key), e.version, e.saved_at, typed)
                    )
            previous = e.data
    datasets = [
        {
            "exercise": title(ex),
            "dataset": d.key,
            "version": d.version,
            "file": d.note,
            "rows": d.rows,
            "saved_at": d.saved_at.isoformat(),
            "removed": d.deleted,
        }
        for ex, d in store.datasets_by(access.workbook_id, member.id)
    ]
    return OwnData(
        access.title,
        row["display_name"],
        bool(row["anonymous"]),
        row["created_at"],
        records,
        datasets,
    )


@dataclass(frozen=True)
class Erased:
    records: int  # saved versions of the member's named records deleted
    anonymous: int  # saved versions of their anonymous answers deleted
    kept_unnamed: int  # versions of team records (and datasets) kept, with no name


def erase(store: Store, access: Access, member: Member) -> Erased:
    """Erase everything ``member`` gave the workbook (see the module's docstring), then
    scrub the database file. Allowed in a closed workbook too: erasure is a member's right
    whatever the workbook's state."""
    _member_row(store, access, member)
    plan = _named_plan(store, access.workbook_id, member.id)
    plan |= {(ex, e.key, True) for ex, e in _anonymous_versions(store, access, member)}
    done = store.erase(access.workbook_id, sorted(plan), author=member.id, respondent=member.id)
    store.scrub()
    activity.record(store, access.workbook_id, privacy.TEAM, "own-data-erased")
    return Erased(done["records"], done["anonymous"], done["unnamed"])


# -- an administrator's erasure of a member who has lost their link ------------------------


class NoSuchMember(PlaceKitError):
    """No member, or more than one, goes by the display name given."""


def member_named(store: Store, workbook_id: str, name: str) -> dict[str, Any]:
    """The one member of the workbook whose display name is ``name`` (spaces as joining
    makes them); ``NoSuchMember`` saying why for none, or for two or more."""
    wanted = " ".join(name.split())
    members = store.respondents(workbook_id)
    found = [m for m in members if m["display_name"] == wanted]
    if len(found) == 1:
        return found[0]
    if found:
        joined = "; ".join(f"{clock.local(m['created_at']):%-d %B %Y, %H:%M}" for m in found)
        raise NoSuchMember(
            f"{len(found)} members are called “{wanted}” (they joined {joined}): PlaceKit"
            " cannot tell which of them asked, so none was erased. A member who still has"
            " their personal link, or the browser they joined with, can erase their own data"
            " from their page."
        )
    alike = [
        m["display_name"] for m in members if m["display_name"].casefold() == wanted.casefold()
    ]
    hint = f" Did you mean “{'”, “'.join(alike)}”?" if alike else ""
    raise NoSuchMember(
        f"No member is called “{wanted}”.{hint} The facilitator's page lists the members"
        " as they are spelled."
    )


@dataclass(frozen=True)
class NamedPlan:
    """What erasing a member by name does, before it is done."""

    display_name: str
    joined_at: datetime
    records: dict[str, tuple[int, int]]  # exercise title -> (records, saved versions)
    unnamed: int  # versions of team records and datasets kept, with their name taken off
    anonymous_exercises: list[str]  # titles of the anonymous exercises that hold answers


def plan_by_name(
    store: Store, access: Access, member: dict[str, Any], exercises: Mapping[str, Exercise]
) -> NamedPlan:
    """What ``erase_by_name`` would erase of ``member`` (a row of ``member_named``)."""
    workbook_id, member_id = access.workbook_id, member["id"]
    plan = _named_plan(store, workbook_id, member_id)
    authored = store.authored_versions(workbook_id, member_id)
    every = {(ex, e.key, e.version) for ex, e in store.owned_versions(workbook_id, member_id)}
    every |= {(ex, e.key, e.version) for ex, e in authored}
    versions = Counter((ex, key) for ex, key, _version in every)

    def title(exercise: str) -> str:
        found = exercises.get(exercise)
        return found.title if found else exercise

    records: dict[str, tuple[int, int]] = {}
    for ex, key, _anonymous in sorted(plan):
        n, v = records.get(title(ex), (0, 0))
        records[title(ex)] = (n + 1, v + versions[(ex, key)])
    kept = [e for ex, e in authored if e.author == member_id and (ex, e.key, False) not in plan]
    return NamedPlan(
        member["display_name"],
        member["created_at"],
        records,
        len(kept) + len(store.datasets_by(workbook_id, member_id)),
        [title(ex) for ex in store.stored_exercises(workbook_id, anonymous=True)],
    )


def erase_by_name(store: Store, access: Access, member: dict[str, Any], actor: str) -> Erased:
    """For whoever runs the server, when a member who has lost their link asks: erase
    ``member`` (a row of ``member_named``) as ``erase`` does, but for their anonymous
    answers, which only their own secret can find (``privacy.respondent_key``): those stay,
    in the team's figures and linked to no one, and once the membership is gone not even
    their old link reaches them. Recorded in the activity record as done by ``actor``,
    naming no one."""
    plan = _named_plan(store, access.workbook_id, member["id"])
    done = store.erase(
        access.workbook_id, sorted(plan), author=member["id"], respondent=member["id"]
    )
    store.scrub()
    detail = f"{counted(done['records'], 'saved version')} deleted"
    if done["unnamed"]:
        detail += f", {done['unnamed']} kept without their name"
    activity.record(store, access.workbook_id, actor, "member-erased", detail)
    return Erased(done["records"], 0, done["unnamed"])
