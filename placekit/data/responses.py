"""One exercise's stored responses in one workbook, as one viewer sees them.

Keys in the store are ``kind/record`` for team records and ``kind/owner/record`` for a
member's records, where the owner is the member's id, or in an anonymous exercise their
respondent key (``placekit.data.privacy``), kept apart in the store with no author or time.
Who may read which record is decided by ``placekit.data.privacy.may_read``, here, once, so no
page, summary or export built on these responses can show more by mistake. Reads are cached
for the life of a page, and writes go through here so the cache stays true to what was saved.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from placekit.data import access, privacy
from placekit.data.privacy import GroupRule, group_rule
from placekit.data.store import DatasetVersion, Entry, Store

if TYPE_CHECKING:
    import pandas as pd

    from placekit.data.access import Member
    from placekit.exercise import Exercise, RecordKind


class Responses:
    """``member`` is the viewer's id in this exercise (see ``for_member``), or None for the
    team's figures (the facilitator's page, summaries). ``analyst`` is the view
    ``placekit.open()`` gives: no figures-only or private kinds, and nothing one person at
    a time from an anonymous exercise. ``exercises`` are the kit's exercises (the
    registry's), which links between exercises look through; without them, nothing is
    offered from elsewhere."""

    def __init__(
        self,
        store: Store,
        workbook_id: str,
        exercise: Exercise,
        member: str | None = None,
        *,
        analyst: bool = False,
        exercises: Mapping[str, Exercise] | None = None,
    ) -> None:
        self._store = store  # private: reading the store directly skips the privacy policy
        self.workbook_id = workbook_id
        self.exercise = exercise
        self.member = member
        self.analyst = analyst
        self.exercises = exercises if exercises is not None else {exercise.id: exercise}
        self._anonymous = privacy.is_anonymous(exercise)
        if self._anonymous and member is not None and not privacy.is_respondent_key(member):
            # A member id here would file their anonymous answers under their name.
            raise ValueError(
                f"{exercise.id!r} is anonymous: open a member's responses with"
                " Responses.for_member(...), which works out their respondent key"
            )
        self._kinds = {k.name: k for k in exercise.kinds}
        self._raw: dict[str, Entry] | None = None  # everything stored, private kinds too
        self._entries: dict[str, Entry] | None = None  # what this viewer may see
        self._own_only: frozenset[str] = frozenset()  # team kinds shown only as their own
        self._members: list[dict[str, Any]] | None = None
        self._rule: GroupRule | None = None
        #: The name the viewing member joined under (``for_member``); None for the team's
        #: view and for a member who joined anonymously. In memory only: never stored.
        self.viewer_name: str | None = None

    @classmethod
    def for_member(
        cls,
        store: Store,
        workbook_id: str,
        exercise: Exercise,
        member: Member,
        *,
        exercises: Mapping[str, Exercise] | None = None,
    ) -> Responses:
        """The responses as one member sees them, under their id in this exercise."""
        key = privacy.member_key(exercise, workbook_id, member)
        found = cls(store, workbook_id, exercise, key, exercises=exercises)
        found.viewer_name = None if member.anonymous else member.display_name
        return found

    def guest_link(self, scope: str, host: str) -> str:
        """A link that opens this exercise to someone outside the team (a guest), carrying
        ``scope`` (the exercise's own, given back to its ``guest_view``) and ``host``, the
        name the guest is shown. Only a member may make one, and only in an anonymous
        exercise: a guest is no member, so their answers must be unlinkable like every
        member's there. ``PermissionError`` otherwise; ``ValueError`` for a bad scope or
        name."""
        if self.member is None or self.analyst or not self._anonymous:
            raise PermissionError(
                f"Only a member of an anonymous exercise may invite guests to {self.exercise.id!r}"
            )
        code = access.guest_code(self._store, self.workbook_id, self.exercise.id, scope, host)
        return access.link(code, self.exercise.id, base=access.base_url(self._store))

    @property
    def _facilitator(self) -> bool:
        """Whether saves here are the facilitator's (the team's view, no member): an
        exercise its design has closed to members still takes them."""
        return self.member is None and not self.analyst

    def _as_respondent(self, member: str) -> Responses:
        """The same responses seen by another respondent, sharing what has been read: for
        the core's completion table only (a step's state can depend on private records)."""
        other = Responses(
            self._store, self.workbook_id, self.exercise, member, exercises=self.exercises
        )
        other._raw, other._members, other._rule = self._load(), self.members, self._rule
        return other

    def _owners(self) -> list[str]:
        """Everyone with a record of their own here, sorted (respondent keys in an
        anonymous exercise): for the core's completion counts only."""
        owners = {self._parse(key)[1] for key in self._load()}
        return sorted(o for o in owners if o is not None)

    @property
    def rule(self) -> GroupRule:
        """What may be shown about a group: the workbook's k, or the exercise's if larger."""
        if self._rule is None:
            self._rule = group_rule(self.exercise, self._store.min_group(self.workbook_id))
        return self._rule

    def reload(self) -> None:
        self._raw = None
        self._entries = None
        self._members = None
        self._rule = None

    def _load(self) -> dict[str, Entry]:
        if self._raw is None:
            raw = self._store.current(self.workbook_id, self.exercise.id)
            if self._anonymous:
                raw |= self._store.current(self.workbook_id, self.exercise.id, anonymous=True)
            self._raw = raw
        return self._raw

    def _parse(self, key: str) -> tuple[RecordKind | None, str | None]:
        """A key's declared kind (None for the core's own records) and its owner."""
        parts = key.split("/", 2)
        spec = self._kinds.get(parts[0])
        if spec is not None:
            owner = parts[1] if spec.scope == "member" and len(parts) == 3 else None
        else:
            owner = parts[1] if len(parts) >= 2 else None  # "_position/<member>"
        return spec, owner

    def _stored_anonymously(self, key: str) -> bool:
        spec, owner = self._parse(key)
        if spec is None:
            return self._anonymous and owner is not None
        return privacy.stored_anonymously(self.exercise, spec)

    def _visible(self, key: str) -> bool:
        spec, owner = self._parse(key)
        return privacy.may_read(self.exercise, spec, owner, self.member, analyst=self.analyst)

    @property
    def entries(self) -> dict[str, Entry]:
        """The current records this viewer may see."""
        if self._entries is None:
            own = self._own_only
            self._entries = {
                k: e
                for k, e in self._load().items()
                if self._visible(k)
                and not (own and k.split("/", 1)[0] in own and e.author != self.member)
            }
        return self._entries

    @property
    def own_only(self) -> frozenset[str]:
        return self._own_only

    def only_own(self, kinds: frozenset[str]) -> None:
        """From now on, of the team kinds ``kinds`` show only the records this member saved
        last (a live session's blind round, ``placekit.live.blind``); empty: all again."""
        if kinds != self._own_only:
            self._own_only = frozenset(kinds)
            self._entries = None

    @property
    def members(self) -> list[dict[str, Any]]:
        """Everyone who has joined the workbook: id, display_name, anonymous, created_at."""
        if self._members is None:
            self._members = self._store.respondents(self.workbook_id)
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
        """Owner -> record id -> data, for a member kind: every member's records this viewer
        may see (an anonymous exercise's owners are respondent keys, not members)."""
        found: dict[str, dict[str, dict[str, Any]]] = {}
        for key, e in self.entries.items():
            parts = key.split("/", 2)
            if parts[0] == kind and len(parts) == 3:
                found.setdefault(parts[1], {})[parts[2]] = dict(e.data or {})
        return found

    def history(self, kind: str, record: str, member: str | None = None) -> list[Entry]:
        """Every version of one record this viewer may see, oldest first."""
        key = self.key(kind, record, member)
        if not self._visible(key):
            return []
        anonymous = self._stored_anonymously(key)
        return self._store.history(self.workbook_id, self.exercise.id, key, anonymous=anonymous)

    def latest(self, kind: str, record: str, member: str | None = None) -> Entry | None:
        """The record's latest version, a deletion included (to carry on from it)."""
        key = self.key(kind, record, member)
        if not self._visible(key):
            return None
        anonymous = self._stored_anonymously(key)
        return self._store.get(self.workbook_id, self.exercise.id, key, anonymous=anonymous)

    def deleted(self, kind: str) -> dict[str, Entry]:
        """Record id -> the deletion, for this viewer's records of a kind whose latest
        version is a deletion (to offer them back)."""
        prefix = self.key(kind, "")
        found = self._store.current(
            self.workbook_id,
            self.exercise.id,
            prefix,
            include_deleted=True,
            anonymous=privacy.stored_anonymously(self.exercise, self.exercise.kind(kind)),
        )
        return {k[len(prefix) :]: e for k, e in found.items() if e.deleted and self._visible(k)}

    def save_many(
        self, items: Sequence[tuple[str, str, dict[str, Any] | None, int]]
    ) -> list[Entry]:
        """Save several ``(kind, record, data, base_version)`` in one transaction: all or
        none (``ConflictError`` names the first stale one). Of one storage only: all
        anonymous, or none."""
        keys = [(self.key(kind, record), data, base) for kind, record, data, base in items]
        hidden = {self._stored_anonymously(k) for k, _d, _b in keys}
        if len(hidden) > 1:
            raise ValueError("Save anonymous and named records separately")
        anonymous = hidden.pop() if hidden else False
        try:
            saved = self._store.put_many(
                self.workbook_id,
                self.exercise.id,
                keys,
                author=None if self._anonymous else self.member,
                anonymous=anonymous,
                facilitator=self._facilitator,
            )
        finally:
            self._raw = self._entries = None  # read afresh: many records changed, or none
        return saved

    # -- whole datasets (an imported file), one per key -------------------------------------

    def dataset_info(self, key: str) -> DatasetVersion | None:
        """The dataset's latest version's facts (rows, version; a removal included)."""
        return self._store.dataset_info(self.workbook_id, self.exercise.id, key)

    def get_dataset(self, key: str, version: int | None = None) -> DatasetVersion | None:
        return self._store.get_dataset(self.workbook_id, self.exercise.id, key, version)

    def dataset_history(self, key: str) -> list[DatasetVersion]:
        return self._store.dataset_history(self.workbook_id, self.exercise.id, key)

    def put_dataset(
        self, key: str, payload: bytes | None, *, rows: int, base_version: int, note: str = ""
    ) -> DatasetVersion:
        """Save the next version of a dataset (``None`` removes it); raises
        ``DatasetConflictError`` if someone saved since ``base_version``."""
        return self._store.put_dataset(
            self.workbook_id,
            self.exercise.id,
            key,
            payload,
            rows=rows,
            base_version=base_version,
            note=note,
            author=None if self._anonymous else self.member,
            facilitator=self._facilitator,
        )

    @property
    def source(self) -> str:
        """Which database these responses come from (a cache key, never a way in)."""
        return self._store.url

    def other(self, exercise: Exercise) -> Responses:
        """Another exercise's records in the same workbook, as the team's figures see them
        (private kinds left out): for an exercise's own analyst functions."""
        return Responses(
            self._store, self.workbook_id, exercise, analyst=self.analyst, exercises=self.exercises
        )

    def save(self, kind: str, record: str, data: dict[str, Any] | None, base_version: int) -> Entry:
        """Save (or with ``data=None`` delete) a record; raises ``ConflictError``."""
        return self._put(self.key(kind, record), data, base_version)

    def _put(self, key: str, data: dict[str, Any] | None, base_version: int) -> Entry:
        """Save any record by key, the core's own included (the wizard's place)."""
        anonymous = self._stored_anonymously(key)
        try:
            entry = self._store.put(
                self.workbook_id,
                self.exercise.id,
                key,
                data,
                base_version=base_version,
                # An anonymous exercise records no author anywhere: a team record saved
                # by a member would otherwise say when they were at work on it.
                author=None if self._anonymous else self.member,
                anonymous=anonymous,
                facilitator=self._facilitator,
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
        import pandas as pd  # lazy: a member's page never builds a frame, so never pays

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
