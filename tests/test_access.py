"""Workbook links: unguessable codes, the right role, nothing for a wrong or altered code."""

from __future__ import annotations

import gc
import re
import secrets
from collections.abc import Iterator
from pathlib import Path

import pytest

import placekit.data.store
from placekit.data import access
from placekit.data.access import InvalidLink, create_workbook, join, link, member_by_token, resolve
from placekit.data.store import Store

URL_SAFE_32 = re.compile(r"[A-Za-z0-9_-]{32}")


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    yield Store(tmp_path / "placekit.db")
    for engine in placekit.data.store._engines.values():
        engine.dispose()
    placekit.data.store._engines.clear()
    gc.collect()


def altered(code: str, position: int) -> str:
    replacement = "A" if code[position] != "A" else "B"
    return code[:position] + replacement + code[position + 1 :]


def test_codes_are_long_random_and_distinct(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    asked: list[int] = []
    real = secrets.token_urlsafe

    def spy(nbytes: int | None = None) -> str:
        asked.append(nbytes or 0)
        return real(nbytes)

    monkeypatch.setattr(access.secrets, "token_urlsafe", spy)
    _, team, facilitator = create_workbook(store, "Riverside")
    assert asked and all(nbytes * 8 >= 128 for nbytes in asked)

    codes = [team, facilitator]
    for i in range(50):
        codes.extend(create_workbook(store, f"Team {i}")[1:])
    assert all(URL_SAFE_32.fullmatch(code) for code in codes)
    assert team != facilitator
    assert len(set(codes)) == len(codes)
    # 32 url-safe characters carry 6 bits each: 192 bits.
    assert len(team) * 6 >= 128


def test_each_code_opens_its_own_workbook_with_its_role(store: Store) -> None:
    wb_id, team, facilitator = create_workbook(store, "Riverside place team")
    other_id, other_team, _ = create_workbook(store, "Hillside")

    as_team = resolve(store, team)
    assert (as_team.workbook_id, as_team.role, as_team.title) == (
        wb_id,
        "team",
        "Riverside place team",
    )
    as_facilitator = resolve(store, facilitator)
    assert (as_facilitator.workbook_id, as_facilitator.role) == (wb_id, "facilitator")
    assert resolve(store, other_team).workbook_id == other_id


@pytest.mark.parametrize("position", [0, 15, 31])
def test_a_code_with_one_character_changed_opens_nothing(store: Store, position: int) -> None:
    _, team, facilitator = create_workbook(store, "Riverside")
    create_workbook(store, "Hillside")
    for code in (team, facilitator):
        with pytest.raises(InvalidLink):
            resolve(store, altered(code, position))


def test_an_unknown_code_opens_nothing(store: Store) -> None:
    create_workbook(store, "Riverside")
    with pytest.raises(InvalidLink) as caught:
        resolve(store, access.new_code())
    assert str(caught.value) == ""  # the page says only that the link does not work


@pytest.mark.parametrize(
    "code",
    [
        "",
        None,
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(1)>aaaa",  # 32 characters, not url-safe
        "' OR '1'='1",
        "x' OR 1=1; DROP TABLE workbooks;--",
        "%",
        "_" * 31 + "%",
        "a" * 33,
        "a" * 10_000,
        "a" * 31,
    ],
)
def test_a_malformed_code_opens_nothing(store: Store, code: str | None) -> None:
    create_workbook(store, "Riverside")
    with pytest.raises(InvalidLink):
        resolve(store, code)
    assert [w["title"] for w in store.workbooks()] == ["Riverside"]


def test_a_real_code_with_extra_characters_opens_nothing(store: Store) -> None:
    _, team, _ = create_workbook(store, "Riverside")
    for code in (team + "\n", " " + team, team + " ", team.upper(), team[:-1], team + "x"):
        if code == team:
            continue
        with pytest.raises(InvalidLink):
            resolve(store, code)


def test_join_trims_names_and_checks_them(store: Store) -> None:
    _, team, _ = create_workbook(store, "Riverside")
    entry = resolve(store, team)

    member = join(store, entry, "  Asha   Patel \n")
    assert member.display_name == "Asha Patel" and not member.anonymous
    assert URL_SAFE_32.fullmatch(member.token)

    for empty in ("", "   ", "\n\t"):
        with pytest.raises(ValueError, match="name"):
            join(store, entry, empty)
    with pytest.raises(ValueError, match="80 characters"):
        join(store, entry, "x" * 81)
    assert join(store, entry, "y" * 80).display_name == "y" * 80
    assert [m["display_name"] for m in store.respondents(entry.workbook_id)] == [
        "Asha Patel",
        "y" * 80,
    ]


def test_anonymous_members_get_random_names_and_keep_no_name(store: Store) -> None:
    _, team, _ = create_workbook(store, "Trust audit")
    entry = resolve(store, team)
    join(store, entry, "Named Person")
    first = join(store, entry, "Secret Sam", anonymous=True)
    second = join(store, entry, "", anonymous=True)

    for member in (first, second):
        assert member.anonymous
        # Told apart by a random name, not a number that would say who joined when.
        assert re.fullmatch(r"Anonymous member \([A-Z][a-z]+\)", member.display_name)
    assert first.display_name != second.display_name
    stored = store.respondents(entry.workbook_id)
    assert "Secret Sam" not in repr(stored)
    assert [m["anonymous"] for m in stored] == [False, True, True]
    many = [join(store, entry, "", anonymous=True).display_name for _ in range(40)]
    assert len(set(many) | {first.display_name, second.display_name}) == 42  # never the same


def test_only_a_team_code_lets_people_join(store: Store) -> None:
    _, _, facilitator = create_workbook(store, "Riverside")
    with pytest.raises(InvalidLink):
        join(store, resolve(store, facilitator), "Asha")


def test_a_member_token_only_works_in_its_own_workbook(store: Store) -> None:
    _, team, facilitator = create_workbook(store, "Riverside")
    _, other_team, _ = create_workbook(store, "Hillside")
    here = resolve(store, team)
    member = join(store, here, "Asha")

    assert member_by_token(store, here, member.token) == member
    assert member_by_token(store, resolve(store, other_team), member.token) is None
    assert member_by_token(store, resolve(store, facilitator), member.token) is None
    assert member_by_token(store, here, altered(member.token, 5)) is None
    for token in (None, "", team, "<b>x</b>", member.token + "\n", "a" * 100):
        assert member_by_token(store, here, token) is None


def test_html_in_a_title_or_name_is_stored_as_typed(store: Store) -> None:
    title = '<script>alert("x")</script> Smith & Sons <b>Board</b>'
    _, team, facilitator = create_workbook(store, title)
    assert resolve(store, team).title == title
    assert resolve(store, facilitator).title == title
    assert store.workbooks()[0]["title"] == title

    name = "<img src=x onerror=alert(1)> O'Brien"
    entry = resolve(store, team)
    assert join(store, entry, name).display_name == name
    assert store.respondents(entry.workbook_id)[0]["display_name"] == name


def test_workbook_titles_are_checked(store: Store) -> None:
    with pytest.raises(ValueError, match="title"):
        create_workbook(store, "   ")
    with pytest.raises(ValueError, match="200"):
        create_workbook(store, "t" * 201)
    wb_id, _, _ = create_workbook(store, "  Riverside\n place   team ")
    assert [w["title"] for w in store.workbooks() if w["id"] == wb_id] == ["Riverside place team"]


def test_links_carry_the_code(monkeypatch: pytest.MonkeyPatch) -> None:
    code = access.new_code()
    monkeypatch.delenv("PLACEKIT_BASE_URL", raising=False)
    assert link(code) == f"http://127.0.0.1:8866/voila/render/index.ipynb?code={code}"
    monkeypatch.setenv("PLACEKIT_BASE_URL", "https://kit.example.org/")
    assert link(code, "triage") == (
        f"https://kit.example.org/voila/render/exercise.ipynb?code={code}&exercise=triage"
    )
    # A page's own links are relative: they keep the host and path the member came by.
    assert link(code, "triage", base="") == f"exercise.ipynb?code={code}&exercise=triage"
    assert link(code, base="") == f"index.ipynb?code={code}"
