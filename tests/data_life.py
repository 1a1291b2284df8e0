"""Helpers for the tests of the data's whole life (erasure, closing, deleting, retention,
backups, the activity record): a team whose every member typed marked text into every kind
of place a member's data can be, and ways to read everything the database holds.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from placekit.data.access import Member, create_workbook, join, resolve
from placekit.data.privacy import hash_secret
from placekit.data.responses import Responses
from placekit.data.store import Store, metadata
from placekit.data.upgrade import open_store
from placekit.plugins import get_registry, installed_exercises
from placekit.questionnaires.answers import answers_record, submit, targets
from placekit.questionnaires.rounds import set_targets

NAMES = ("Ann", "Ben", "Cat")
ORGS = {"Ann": "Council", "Ben": "NHS", "Cat": "Council"}


def markers(name: str) -> list[str]:
    """What a member typed, each a string found nowhere else."""
    tag = name.upper()
    return [
        f"{tag}-DISPLAY-NAME",
        f"{tag}-ONLY-ISSUE",
        f"{tag}-OLD-REFLECTION",
        f"{tag}-NEW-REFLECTION",
        f"{tag}-ANON-COMMENT",
        f"{tag}-OBSERVED",
    ]


@dataclass
class Team:
    store: Store
    db: str
    workbook: str
    team: str
    facilitator: str
    title: str
    members: dict[str, Member] = field(default_factory=dict)

    @property
    def access(self) -> Any:
        return resolve(self.store, self.team)

    def responses(self, exercise: str, name: str | None = None) -> Responses:
        exercises = get_registry().exercises
        if name is None:
            return Responses(self.store, self.workbook, exercises[exercise], exercises=exercises)
        return Responses.for_member(
            self.store, self.workbook, exercises[exercise], self.members[name], exercises=exercises
        )

    def identities(self, name: str) -> list[str]:
        """Everything that names or identifies one member in the database."""
        m = self.members[name]
        return [m.id, hash_secret(m.token), m.token, m.display_name]


def make_team(database: str, monkeypatch: pytest.MonkeyPatch, title: str = "") -> Team:
    """Three members who each raised an issue, made a gut call, wrote a private reflection
    twice (two versions), noted an observation, and answered the trust audit anonymously
    with a comment; Ann starts an issue Ben adds to, and imports a dataset."""
    monkeypatch.setenv("PLACEKIT_DB", database)
    store = open_store(database, installed_exercises)
    title = title or "Riverside <i>partnership</i>"
    workbook, team, facilitator = create_workbook(store, title)
    found = Team(store, database, workbook, team, facilitator, title)
    access = resolve(store, team)
    set_targets(found.responses("trust-audit"), ["Council", "NHS"])
    for name in NAMES:
        found.members[name] = join(store, access, f"{name} {name.upper()}-DISPLAY-NAME")
    for name in NAMES:
        tag = name.upper()
        triage = found.responses("triage", name)
        triage.save("issue", f"only-{name}", {"title": f"{tag}-ONLY-ISSUE"}, 0)
        triage.save("call", f"only-{name}", {"gut_call": "wicked"}, 0)
        allies = found.responses("allies", name)
        allies.save("self_position", "me", {"reflection": f"{tag}-OLD-REFLECTION"}, 0)
        allies.save("self_position", "me", {"reflection": f"{tag}-NEW-REFLECTION"}, 1)
        allies.save("observed", f"seen-{name}", {"evidence": f"{tag}-OBSERVED"}, 0)
        answer_trust_audit(found, name, f"{tag}-ANON-COMMENT")
    ann, ben = found.responses("triage", "Ann"), found.responses("triage", "Ben")
    ann.save("issue", "shared", {"title": "ANN-SHARED-TITLE"}, 0)
    ben.save("issue", "shared", {"title": "ANN-SHARED-TITLE", "description": "BEN-SHARED-DESC"}, 1)
    demand = found.responses("demand", "Ann")
    demand.put_dataset("contacts", b"ANN-DATASET-ROWS", rows=1, base_version=0, note="ann.csv")
    return found


def answer_trust_audit(team: Team, name: str, comment: str) -> None:
    ex = get_registry().exercises["trust-audit"]
    mine = team.responses("trust-audit", name)
    org = ORGS[name]
    partner = "NHS" if org == "Council" else "Council"
    mine.save("profile", "r1", {"org": org, "partners": [partner], "comment": comment}, 0)
    for target in targets(ex.questionnaire, mine, 1):
        answers = {i.id: 4 for i in ex.questionnaire.items}
        mine.save("answers", answers_record(1, target), answers, 0)
    submit(mine)


def _plain(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).isoformat()
    if isinstance(value, bytes | memoryview):
        return bytes(value).hex()
    if isinstance(value, str) and value[:1] in "[{":
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value


def dump(store_or_url: Store | str) -> dict[str, list[dict[str, Any]]]:
    """Every row of every PlaceKit table, in primary-key order, with comparable values."""
    if isinstance(store_or_url, Store):
        engine, owned = store_or_url.engine, False
    else:
        engine, owned = sa.create_engine(store_or_url), True
    try:
        with engine.connect() as conn:
            return {
                t.name: [
                    {k: _plain(v) for k, v in r._mapping.items()}
                    for r in conn.execute(t.select().order_by(*t.primary_key.columns))
                ]
                for t in metadata.sorted_tables
            }
    finally:
        if owned:
            engine.dispose()


def everything(store: Store) -> str:
    """Every row of every table as one text, to search."""
    return json.dumps(dump(store), default=str)


def file_bytes(db: str) -> bytes:
    """The SQLite database file and everything beside it (write-ahead log, shared memory)."""
    path = Path(db)
    return b"".join(p.read_bytes() for p in sorted(path.parent.glob(path.name + "*")))


def find(widget: Any, kind: str) -> list[Any]:
    """Every widget of class ``kind`` (by name) in a widget tree, in order."""
    found = [widget] if widget.__class__.__name__ == kind else []
    for child in getattr(widget, "children", ()):
        found += find(child, kind)
    return found
