"""Privacy by construction: what the database holds, and what every public path returns.

An anonymous exercise's answers must be unlinkable to a person even by whoever holds the
database file; personal tokens are stored as hashes; an analyst gets figures, never one
person's rows; private records reach their owner only. Each test runs the real store (and,
where the issue is the database, SQLite and PostgreSQL both).
"""

from __future__ import annotations

import json
import logging
import re
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

import placekit
from placekit import cli
from placekit.data.access import Member, create_workbook, join, member_by_token, resolve
from placekit.data.privacy import hash_secret, respondent_key
from placekit.data.responses import Responses
from placekit.data.store import LegacyDatabase, Store
from placekit.data.upgrade import open_store
from placekit.plugins import get_registry, installed_exercises
from placekit.questionnaires.answers import answers_record, submit, targets
from placekit.questionnaires.rounds import close_round, set_targets
from placekit.web.pages import exercise_page, index_page

LEGACY = Path(__file__).parent / "data" / "legacy-release.sqlite"
# A time of day anywhere in a value: 09:15, 09:15:02, T09:15.
TIME_OF_DAY = re.compile(r"\d{2}:\d{2}")


def text(widget: Any) -> str:
    found = [str(widget.value)] if isinstance(getattr(widget, "value", None), str) else []
    for child in getattr(widget, "children", ()):
        found.append(text(child))
    return "\n".join(found)


def find(widget: Any, kind: str) -> list[Any]:
    found = [widget] if widget.__class__.__name__ == kind else []
    for child in getattr(widget, "children", ()):
        found += find(child, kind)
    return found


def answer(store: Store, workbook: str, member: Member, org: str, value: int) -> Responses:
    """A member answers the trust audit about their organisation and its partner, and
    submits, as the pages would save it."""
    ex = get_registry().exercises["trust-audit"]
    mine = Responses.for_member(store, workbook, ex, member)
    partner = "NHS" if org == "Council" else "Council"
    mine.save("profile", "r1", {"org": org, "partners": [partner], "comment": ""}, 0)
    for target in targets(ex.questionnaire, mine, 1):
        answers = {i.id: value for i in ex.questionnaire.items}
        mine.save("answers", answers_record(1, target), answers, 0)
    submit(mine)
    return mine


@pytest.fixture
def audit(database: str, monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    """Five members (three named, two anonymous) answered the trust audit through the
    pages' own records; each opened the wizard, so their place in it is saved too."""
    return make_audit(database, monkeypatch)


@pytest.fixture
def sqlite_audit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    return make_audit(str(tmp_path / "placekit.db"), monkeypatch)


def make_audit(database: str, monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    monkeypatch.setenv("PLACEKIT_DB", database)
    store = open_store(database, installed_exercises)
    workbook, team, facilitator = create_workbook(store, "Northtown partnership")
    ex = get_registry().exercises["trust-audit"]
    assert set_targets(Responses(store, workbook, ex), ["Council", "NHS"]) is None
    access = resolve(store, team)
    members = [join(store, access, name) for name in ("Asha Patel", "Ben Okoro", "Cara Lee")]
    members += [join(store, access, "", anonymous=True) for _ in range(2)]
    for member, org, value in zip(members, ["Council", "Council", "NHS", "NHS", "Council"],
                                  [6, 5, 2, 1, 4], strict=True):  # fmt: skip
        answer(store, workbook, member, org, value)
        page = exercise_page()
        page.load({"code": team, "exercise": "trust-audit", "me": member.token})
        assert find(page, "Wizard"), "the member's page did not open"
    return {"store": store, "workbook": workbook, "team": team, "facilitator": facilitator,
            "members": members, "ex": ex, "db": database}  # fmt: skip


def identities(audit: dict[str, Any]) -> list[str]:
    """Everything that names or identifies a member, as the database could hold it."""
    found = []
    for m in audit["members"]:
        found += [m.id, m.token, hash_secret(m.token), hash_secret(m.token).split(":")[1]]
        if not m.anonymous:
            found.append(m.display_name)
    return found


def rows(store: Store, table: str) -> list[dict[str, Any]]:
    with store.engine.connect() as conn:
        return [dict(r._mapping) for r in conn.execute(sa.text(f"SELECT * FROM {table}"))]


# -- the database file ---------------------------------------------------------------------


def test_no_anonymous_row_shares_a_value_with_any_member_row(audit: dict[str, Any]) -> None:
    store = audit["store"]
    anonymous = rows(store, "anonymous_entries")
    audit_rows = [r for r in anonymous if r["exercise"] == "trust-audit"]
    # 5 profiles, 10 answer records (own organisation and partner), 5 submissions, 5 places.
    assert len(audit_rows) == 25
    assert set(anonymous[0]) == {"id", "workbook_id", "exercise", "key", "version", "data"}
    member_values = {str(v) for r in rows(store, "respondents") for v in r.values()}
    member_values |= {str(r["author"]) for r in rows(store, "entries") if r["author"]}
    member_values -= {audit["workbook"], "True", "False", "1", "0"}
    for row in audit_rows:
        stored = json.dumps(row["data"]) + row["key"] + row["id"]
        for value in member_values | set(identities(audit)):
            assert value not in stored
        assert not TIME_OF_DAY.search(json.dumps(row["data"])), row  # the day at most
    # Five respondent keys, none of which the server can work out from what it stores.
    owners = {r["key"].split("/")[1] for r in audit_rows}
    assert len(owners) == 5
    stored_hashes = {r["token_hash"] for r in rows(store, "respondents")}
    assert not owners & stored_hashes
    # The exercise's other records name no member: no key, no author.
    for row in rows(store, "entries"):
        if row["exercise"] == "trust-audit":
            assert row["author"] is None
            assert not any(m.id in row["key"] for m in audit["members"])


def test_tokens_are_stored_as_hashes_only(audit: dict[str, Any]) -> None:
    store = audit["store"]
    stored = rows(store, "respondents")
    assert {r["token_hash"] for r in stored} == {hash_secret(m.token) for m in audit["members"]}
    assert "token" not in stored[0]
    everything = json.dumps(
        [rows(store, t) for t in ("workbooks", "respondents", "entries", "anonymous_entries")],
        default=str,
    )
    for m in audit["members"]:
        assert m.token not in everything


def test_the_sqlite_file_holds_no_token_and_no_answering_order(
    sqlite_audit: dict[str, Any],
) -> None:
    audit = sqlite_audit
    close_round(Responses(audit["store"], audit["workbook"], audit["ex"]))
    path = Path(audit["db"])
    raw = b"".join(p.read_bytes() for p in path.parent.glob(path.name + "*"))
    for m in audit["members"]:
        assert m.token.encode() not in raw
    with sqlite3.connect(path) as conn:
        # WITHOUT ROWID: the table is kept in the order of its random key, not of saving.
        with pytest.raises(sqlite3.OperationalError, match="rowid"):
            conn.execute("SELECT rowid FROM anonymous_entries").fetchall()


# -- every public path ---------------------------------------------------------------------


def test_the_analyst_gets_figures_never_rows_of_any_anonymous_exercise(
    audit: dict[str, Any], tmp_path: Path
) -> None:
    close_round(Responses(audit["store"], audit["workbook"], audit["ex"]))
    wb = placekit.open(audit["facilitator"], db=audit["db"])
    anonymous = [i for i, e in get_registry().exercises.items() if e.anonymity == "anonymous"]
    assert "trust-audit" in anonymous and len(anonymous) >= 6
    for exercise in anonymous:
        for path in (wb.frame, wb.frames, wb.responses):
            with pytest.raises(PermissionError, match="anonymous"):
                path(exercise)
        summary = wb.summary(exercise)
        shown = json.dumps([t.to_csv() for t in summary.tables.values()])
        for secret in identities(audit):
            assert secret not in shown
    assert not hasattr(wb, "store")
    results = text(wb.results("trust-audit"))
    assert "Round 1 is closed" in results
    for secret in identities(audit):
        assert secret not in results
    out = tmp_path / "audit.csv"
    command = ["export", audit["facilitator"], "trust-audit", "--format", "csv", "-o", str(out)]
    assert cli.main(command) == 0
    exported = "".join(p.read_text(encoding="utf-8-sig") for p in tmp_path.glob("audit-*.csv"))
    assert exported
    for secret in identities(audit):
        assert secret not in exported


def test_no_api_hands_out_a_token_or_another_members_view(audit: dict[str, Any]) -> None:
    wb = placekit.open(audit["facilitator"], db=audit["db"])
    members = wb.responses("triage").members
    assert {tuple(sorted(m)) for m in members} == {
        ("anonymous", "created_at", "display_name", "id")
    }
    assert not [n for n in dir(wb.responses("triage")) if n in ("as_member", "store_tokens")]
    for m in audit["members"]:
        assert m.token not in repr(m)  # a Member never shows its secret when printed


def test_the_facilitator_code_and_stored_values_do_not_open_a_members_pages(
    audit: dict[str, Any],
) -> None:
    store, team = audit["store"], audit["team"]
    access = resolve(store, team)
    first = audit["members"][0]
    key = respondent_key(first.token, audit["workbook"], "trust-audit")
    for guess in (audit["facilitator"], hash_secret(first.token), first.id, key):
        assert member_by_token(store, access, guess) is None
        page = exercise_page()
        page.load({"code": team, "exercise": "trust-audit", "me": guess})
        assert not find(page, "Wizard")  # the start page for a newcomer, nobody's answers
        assert "Before you start" in text(page)
    # The member's own token still does.
    assert member_by_token(store, access, first.token) == first


def test_private_and_figures_only_records_never_reach_the_analyst(
    placekit_workbook: Any,
) -> None:
    workbook = placekit_workbook
    ann = workbook.responses("allies", "Ann")
    ann.save("self_position", "me", {"my_stance": "Privately, I doubt the plan"}, 0)
    triage = workbook.responses("triage", "Ann")
    triage.save("mode", "me", {"preferred_mode": "command", "confidence": 4}, 0)
    wb = placekit.open(workbook.facilitator_code)
    analyst = wb.responses("allies")
    ann_id = workbook.join("Ann").id
    assert analyst.records("self_position", member=ann_id) == {}
    assert analyst.all_members("self_position") == {}
    assert analyst.history("self_position", "me", member=ann_id) == []
    assert not hasattr(analyst, "store") and not hasattr(wb, "store")  # no way round it
    assert "self_position" not in wb.frames("allies")
    assert "mode" not in wb.frames("triage")
    assert wb.responses("triage").all_members("mode") == {}
    with pytest.raises(PermissionError, match="team's figures"):
        wb.frame("triage", "mode")
    # Ann herself still reads both.
    assert workbook.responses("allies", "Ann").get("self_position", "me")
    assert workbook.responses("triage", "Ann").get("mode", "me")["preferred_mode"] == "command"


# -- a member comes back ---------------------------------------------------------------------

RESUME = """
import json, sys
from placekit.data.access import member_by_token, resolve
from placekit.plugins import get_registry, installed_exercises
from placekit.data.responses import Responses
from placekit.data.upgrade import open_store

db, team, token = sys.argv[1:4]
store = open_store(db, installed_exercises)
access = resolve(store, team)
member = member_by_token(store, access, token)
ex = get_registry().exercises["trust-audit"]
mine = Responses.for_member(store, access.workbook_id, ex, member)
print(json.dumps({"profile": mine.get("profile", "r1"), "answers": mine.records("answers")}))
"""


def test_a_member_resumes_and_edits_their_anonymous_answers_after_a_restart(
    audit: dict[str, Any],
) -> None:
    store, workbook, ex = audit["store"], audit["workbook"], audit["ex"]
    first, second = audit["members"][0], audit["members"][1]
    # They go to "Check your answers" and close the tab; a fresh page with their token
    # opens where they left off.
    page = exercise_page()
    page.load({"code": audit["team"], "exercise": "trust-audit", "me": first.token})
    (wizard,) = find(page, "Wizard")
    wizard.goto("r1/check")
    page = exercise_page()
    page.load({"code": audit["team"], "exercise": "trust-audit", "me": first.token})
    (wizard,) = find(page, "Wizard")
    assert wizard.page.id == "r1/check"
    assert wizard.responses.get("profile", "r1")["org"] == "Council"
    # A restarted server: another process, knowing only the database and the token.
    done = subprocess.run(
        [sys.executable, "-c", RESUME, audit["db"], audit["team"], first.token],
        capture_output=True, text=True, check=True, timeout=120,
    )  # fmt: skip
    seen = json.loads(done.stdout)
    assert seen["profile"]["org"] == "Council" and len(seen["answers"]) == 2
    assert {v for a in seen["answers"].values() for v in a.values()} == {6}
    # They change an answer (the round is still open): saved under their key, a new version.
    mine = Responses.for_member(store, workbook, ex, first)
    record = next(iter(mine.records("answers")))
    entry = mine.entry("answers", record)
    assert entry is not None
    changed = dict(entry.data or {}) | {"BEN1": 3}
    mine.save("answers", record, changed, entry.version)
    again = Responses.for_member(store, workbook, ex, first)
    assert again.get("answers", record)["BEN1"] == 3
    # Another member, and the facilitator's own view, cannot read or reach them as theirs.
    theirs = Responses.for_member(store, workbook, ex, second)
    assert theirs.get("answers", record)["BEN1"] == 5  # their own answer, not the edit
    assert theirs.get("profile", "r1")["org"] == "Council"
    facilitator = Responses(store, workbook, ex)
    assert facilitator.member is None
    with pytest.raises(ValueError, match="belong to a member"):
        facilitator.get("profile", "r1")


# -- an earlier release's database ---------------------------------------------------------


def _legacy_copy(database: str) -> str:
    """The database the previous release made (its demo: four members who answered every
    questionnaire), on the backend under test."""
    if database.endswith(".db"):
        shutil.copy(LEGACY, database)
        return database
    source = sa.create_engine(f"sqlite:///{LEGACY}")
    old = sa.MetaData()
    old.reflect(source)
    for table in old.tables.values():
        for column in table.columns:  # SQLite's DATETIME and BLOB, as PostgreSQL names them
            column.type = column.type.as_generic()
    target = sa.create_engine(database)
    old.create_all(target)
    with source.connect() as src, target.begin() as dst:
        for table in old.sorted_tables:
            found = [dict(r._mapping) for r in src.execute(table.select())]
            if found:
                dst.execute(table.insert(), found)
    target.dispose()
    source.dispose()
    return database


def test_an_earlier_releases_database_is_upgraded_once(
    database: str, caplog: pytest.LogCaptureFixture
) -> None:
    url = _legacy_copy(database)
    before = sa.create_engine(url if "://" in url else f"sqlite:///{url}")
    with before.connect() as conn:
        members = conn.execute(sa.text("SELECT id, display_name, token FROM respondents")).all()
        old = conn.execute(
            sa.text("SELECT key, data FROM entries WHERE exercise = 'trust-audit'")
        ).all()
        (workbook,) = conn.execute(sa.text("SELECT id FROM workbooks")).scalars()
        team = conn.execute(sa.text("SELECT team_code FROM workbooks")).scalar()
    before.dispose()
    assert len(members) == 4 and any("/" in r.key and r.key.count("/") == 2 for r in old)
    with pytest.raises(LegacyDatabase, match="upgraded"):
        Store(url)
    with caplog.at_level(logging.WARNING, logger="placekit"):
        store = open_store(url, installed_exercises)
    assert "de-linked" in caplog.text and "4 personal tokens" in caplog.text
    stored = rows(store, "respondents")
    assert {r["token_hash"] for r in stored} == {hash_secret(m.token) for m in members}
    ex = get_registry().exercises["trust-audit"]
    access = resolve(store, team)
    for m in members:
        # The personal link still works, and finds the member's own answers as they were.
        member = member_by_token(store, access, m.token)
        assert member is not None and member.id == m.id
        mine = Responses.for_member(store, workbook, ex, member)
        theirs = {
            r.key.split("/")[2]: (json.loads(r.data) if isinstance(r.data, str) else r.data)
            for r in old
            if r.key.startswith(f"answers/{m.id}/")
        }
        assert theirs and mine.records("answers") == theirs
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", mine.get("submission", "r1")["submitted_at"])
    everything = json.dumps([rows(store, t) for t in ("entries", "anonymous_entries")], default=str)
    for m in members:
        assert m.id not in json.dumps(rows(store, "anonymous_entries"), default=str)
        assert m.token not in everything
    for row in rows(store, "entries"):
        if row["exercise"] == "trust-audit":
            assert row["author"] is None and "/" not in row["key"].removeprefix("round/")
    if not url.startswith("postgresql"):
        raw = b"".join(p.read_bytes() for p in Path(url).parent.glob(Path(url).name + "*"))
        assert not any(m.token.encode() in raw for m in members)  # not even in free pages
    # The facilitator's results are still there, and a second start changes nothing.
    summary = placekit.open(rows(store, "workbooks")[0]["facilitator_code"], db=url).summary(
        "trust-audit"
    )
    assert summary.tables
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="placekit"):
        open_store(url, installed_exercises)
    assert "Upgraded" not in caplog.text


def test_the_facilitator_raises_the_workbooks_smallest_group(audit: dict[str, Any]) -> None:
    page = index_page(audit["facilitator"])
    assert "fewer than <strong>3</strong> people" in text(page)
    (size,) = find(page, "BoundedIntText")
    size.value = 6
    (save,) = [b for b in find(page, "Button") if b.description == "Save the group size"]
    save.click()
    assert "figures now need 6 people" in text(page)
    assert audit["store"].min_group(audit["workbook"]) == 6
    fresh = Responses(audit["store"], audit["workbook"], audit["ex"])
    assert fresh.rule.k == 6 and not fresh.rule.counts(5) and fresh.rule.spread(6)
    # The completion counts follow it: five respondents are now "fewer than 6".
    close_round(fresh)
    shown = text(exercise_page(audit["facilitator"], "trust-audit"))
    assert "fewer than 6" in shown


def test_every_private_and_figures_only_kind_stays_with_its_owner(placekit_workbook: Any) -> None:
    """Each such kind of every installed exercise: a member saves one, and no analyst path
    returns it (the owner still reads it)."""
    workbook = placekit_workbook
    wb = placekit.open(workbook.facilitator_code)
    checked = []
    for ex in get_registry().exercises.values():
        if ex.anonymity == "anonymous":
            continue  # refused whole: see the test above
        for kind in ex.kinds:
            if not (kind.private or kind.figures_only):
                continue
            secret = f"secret {ex.id} {kind.name}"
            mine = workbook.responses(ex.id, "Ann")
            mine.save(kind.name, "k1", {kind.fields[0].name: secret}, 0)
            assert workbook.responses(ex.id, "Ann").get(kind.name, "k1")  # the owner's own
            analyst = wb.responses(ex.id)
            assert secret not in json.dumps(
                [analyst.all_members(kind.name), list(analyst.entries)], default=str
            )
            assert secret not in json.dumps(
                {name: f.to_csv() for name, f in wb.frames(ex.id).items()}
            )
            with pytest.raises(PermissionError):
                wb.frame(ex.id, kind.name)
            assert secret not in json.dumps(
                {n: t.to_csv() for n, t in wb.summary(ex.id).tables.items()}
            )
            checked.append(f"{ex.id}/{kind.name}")
    assert "allies/self_position" in checked and "triage/mode" in checked
    assert len(checked) >= 4


def test_an_anonymous_exercise_refuses_a_member_id_as_its_viewer(audit: dict[str, Any]) -> None:
    first = audit["members"][0]
    with pytest.raises(ValueError, match="for_member"):
        Responses(audit["store"], audit["workbook"], audit["ex"], first.id)
