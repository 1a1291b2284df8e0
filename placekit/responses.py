"""One exercise's stored responses in one workbook, as one member (or the facilitator) sees them.

Keys in the store are ``kind/record`` for team records and ``kind/member/record`` for a
member's private records. Reads are cached for the life of a page, and writes go through
here so the cache stays true to what was saved.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from placekit.privacy import GroupRule, group_rule
from placekit.store import Entry, Store

if TYPE_CHECKING:
    import pandas as pd

    from placekit.exercise import Exercise


class Responses:
    def __init__(
        self, store: Store, workbook_id: str, exercise: Exercise, member: str | None = None
    ) -> None:
        self.store = store
        self.workbook_id = workbook_id
        self.exercise = exercise
        self.member = member
        self._raw: dict[str, Entry] | None = None  # everything stored, private kinds too
        self._entries: dict[str, Entry] | None = None  # what this viewer may see
        self._members: list[dict[str, Any]] | None = None
        self._rule: GroupRule | None = None
        # Kind name -> scope, for kinds declared private (see RecordKind.private).
        self._private = {k.name: k.scope for k in exercise.kinds if getattr(k, "private", False)}

    def as_member(self, member: str | None) -> Responses:
        """The same responses seen as another member, sharing what has been read."""
        other = Responses(self.store, self.workbook_id, self.exercise, member)
        # The raw records, so the other member's own private records are there for them
        # (their progress is worked out from them); their view filters afresh.
        other._raw, other._members = self._load(), self.members
        return other

    @property
    def rule(self) -> GroupRule:
        """What may be shown about a group: the workbook's k, or the exercise's if larger."""
        if self._rule is None:
            self._rule = group_rule(self.exercise, self.store.min_group(self.workbook_id))
        return self._rule

    def reload(self) -> None:
        self._raw = None
        self._entries = None
        self._members = None
        self._rule = None

    def _load(self) -> dict[str, Entry]:
        if self._raw is None:
            self._raw = self.store.current(self.workbook_id, self.exercise.id)
        return self._raw

    def _visible(self, key: str) -> bool:
        parts = key.split("/", 2)
        scope = self._private.get(parts[0])
        if scope is None:
            return True
        if scope == "team":
            return self.member is not None  # the team's members, never the facilitator
        return len(parts) == 3 and parts[1] == self.member  # the member's own only

    @property
    def entries(self) -> dict[str, Entry]:
        """The current records this viewer may see: private kinds are filtered here, once,
        so no summary, export or page built on these responses can show them by mistake."""
        if self._entries is None:
            raw = self._load()
            self._entries = (
                {k: e for k, e in raw.items() if self._visible(k)} if self._private else raw
            )
        return self._entries

    @property
    def members(self) -> list[dict[str, Any]]:
        """Everyone who has joined the workbook: id, display_name, anonymous."""
        if self._members is None:
            self._members = self.store.respondents(self.workbook_id)
        return self._members

    def key(self, kind: str, record: str, member: str | None = None) -> str:
        if self.exercise.kind(kind).scope == "team":
            return f"{kind}/{record}"
        owner = member or self.member
        if owner is None:
            raise ValueError(f"{kind!r} records belong to a member; none was given")
        return f"{kind}/{owner}/{record}"

    def entry(self, kind: str, record: str, member: str | None = None) -> Entry | None:
        return self.entries.get(self.key(kind, record, member))

    def get(self, kind: str, record: str, member: str | None = None) -> dict[str, Any]:
        """The record's current data, or an empty dict."""
        found = self.entry(kind, record, member)
        return dict(found.data) if found and found.data else {}

    def records(self, kind: str, member: str | None = None) -> dict[str, dict[str, Any]]:
        """Record id -> data, in the order first saved; private kinds are the member's own."""
        prefix = self.key(kind, "", member)
        return {
            k[len(prefix) :]: dict(e.data or {})
            for k, e in self.entries.items()
            if k.startswith(prefix)
        }

    def all_members(self, kind: str) -> dict[str, dict[str, dict[str, Any]]]:
        """Member id -> record id -> data, for a private kind (facilitator and summaries)."""
        found: dict[str, dict[str, dict[str, Any]]] = {}
        for key, e in self.entries.items():
            parts = key.split("/", 2)
            if parts[0] == kind and len(parts) == 3:
                found.setdefault(parts[1], {})[parts[2]] = dict(e.data or {})
        return found

    def save(self, kind: str, record: str, data: dict[str, Any] | None, base_version: int) -> Entry:
        """Save (or with ``data=None`` delete) a record; raises ``ConflictError``."""
        key = self.key(kind, record)
        try:
            entry = self.store.put(
                self.workbook_id,
                self.exercise.id,
                key,
                data,
                base_version=base_version,
                author=self.member,
            )
        except Exception:
            self._raw = self._entries = None  # someone else saved: read afresh next time
            raise
        for cache in {id(c): c for c in (self._raw, self._entries) if c is not None}.values():
            if entry.deleted:
                cache.pop(key, None)
            elif cache is self._raw or self._visible(key):
                cache[key] = entry
        return entry

    def frame(self, kind: str) -> pd.DataFrame:
        """Every current record of a kind as a DataFrame, one column per declared field."""
        import pandas as pd

        spec = self.exercise.kind(kind)
        names = {m["id"]: m["display_name"] for m in self.members}
        rows = []
        for key, e in self.entries.items():
            parts = key.split("/")
            if parts[0] != kind:
                continue
            row: dict[str, Any] = {"record_id": parts[-1]}
            if spec.scope == "member":
                row["member_id"] = parts[1]
                row["member"] = names.get(parts[1], "")
            row.update({f.name: (e.data or {}).get(f.name) for f in spec.fields})
            row.update(version=e.version, saved_at=e.saved_at)
            rows.append(row)
        base = ["record_id"] + (["member_id", "member"] if spec.scope == "member" else [])
        columns = base + [f.name for f in spec.fields] + ["version", "saved_at"]
        return pd.DataFrame(rows, columns=columns)
