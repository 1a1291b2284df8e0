"""Workbooks, their codes, and who is who inside one.

A workbook has two codes: the team code (members) and the facilitator code (results).
Each code carries 192 bits from ``secrets``; each member also gets a personal token,
kept in their browser, that brings them back to their own answers. The database keeps
only the token's hash (``placekit.data.privacy``), so no one can get a token back from it.

An anonymous exercise can also be opened to someone outside the team by a *guest code*
(a 360's rater): it opens that one exercise of that one workbook, carries what the exercise
put in it (``scope``) and the name of the member who made it, and is signed, so none of it
can be altered. Nothing is stored for it: the code is checked, not looked up.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import re
import secrets
import uuid
from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal
from urllib.parse import urlencode

from placekit.data import activity, privacy
from placekit.data.design import Design
from placekit.data.privacy import hash_secret
from placekit.data.store import ReadOnlyWorkbook, Store
from placekit.errors import PlaceKitError

CODE_BYTES = 24  # 192 bits; the brief asks for at least 128
CODE_SHAPE = re.compile(r"^[A-Za-z0-9_-]{32}$")
DEFAULT_BASE_URL = "http://127.0.0.1:8866"
# Anonymous members are told apart by a tree's name drawn at random: a number would say
# in what order people joined, which a facilitator who saw them arrive could match up.
TREES = tuple(
    "Alder Ash Aspen Beech Birch Blackthorn Box Cedar Cherry Chestnut Elder Elm Fir Hawthorn"
    " Hazel Holly Hornbeam Juniper Larch Lime Maple Oak Pear Pine Plane Poplar Rowan Spruce"
    " Sycamore Walnut Whitebeam Willow Yew".split()
)


class InvalidLink(PlaceKitError):
    """The code in a link does not open anything. The page says only that."""


@dataclass(frozen=True)
class Access:
    workbook_id: str
    title: str
    role: Literal["team", "facilitator", "guest"]
    code: str
    #: When the facilitator closed the workbook (read-only since), as of ``resolve``.
    closed_at: datetime | None = None

    @property
    def closed(self) -> bool:
        return self.closed_at is not None


@dataclass(frozen=True)
class Member:
    """A member, as they present themselves: ``token`` is the secret they hold (from their
    browser or personal link). The database has only its hash, so a Member is never made
    from the database alone."""

    id: str
    display_name: str
    anonymous: bool
    token: str = field(repr=False)


def new_code() -> str:
    return secrets.token_urlsafe(CODE_BYTES)


def create_workbook(
    store: Store,
    title: str,
    retention_months: int | None = privacy.DEFAULT_RETENTION_MONTHS,
    *,
    min_group: int = privacy.DEFAULT_MIN_GROUP,
    design: Design | None = None,
) -> tuple[str, str, str]:
    """Create a workbook; returns (workbook id, team code, facilitator code).
    ``retention_months``: how long after it is closed PlaceKit deletes it (None: never by
    itself). ``min_group``: its k, never below 3. ``design``: its exercises, order,
    welcome and dates (None: every installed exercise, always open)."""
    title = " ".join(title.split())
    if not title:
        raise ValueError("Give the workbook a title")
    if len(title) > 200:
        raise ValueError("Use a title of 200 characters or fewer")
    problem = privacy.check_retention(retention_months) or privacy.check_min_group(min_group)
    if problem:
        raise ValueError(problem)
    stored = design.checked().as_data() if design is not None else None
    workbook_id, team, facilitator = str(uuid.uuid4()), new_code(), new_code()
    store.add_workbook(
        workbook_id, title, team, facilitator, retention_months, min_group=min_group, design=stored
    )
    return workbook_id, team, facilitator


def resolve(store: Store, code: str | None) -> Access:
    """What a code opens; ``InvalidLink`` for anything else, malformed codes included."""
    if not code or not CODE_SHAPE.match(code):
        raise InvalidLink
    found = store.workbook_by_code(code)
    if found is None:
        raise InvalidLink
    row, role = found
    return Access(row["id"], row["title"], role, code, row["closed_at"])  # type: ignore[arg-type]


def join(store: Store, access: Access, display_name: str, anonymous: bool = False) -> Member:
    """Add a member to the workbook of a team code; returns them with their personal token."""
    if access.role != "team":
        raise InvalidLink
    if access.closed:
        raise ReadOnlyWorkbook("This workbook has been closed: it takes no new members")
    name = " ".join(display_name.split())
    if anonymous:
        name = _anonymous_name({m["display_name"] for m in store.respondents(access.workbook_id)})
    elif not name:
        raise ValueError("Enter the name your team will see")
    elif len(name) > 80:
        raise ValueError("Use a display name of 80 characters or fewer")
    member = Member(str(uuid.uuid4()), name, anonymous, new_code())
    store.add_respondent(member.id, access.workbook_id, hash_secret(member.token), name, anonymous)
    how = "anonymously" if anonymous else "by name"
    activity.record(store, access.workbook_id, privacy.TEAM, "joined", how)
    return member


def _anonymous_name(taken: set[str]) -> str:
    free = [t for t in TREES if f"Anonymous member ({t})" not in taken]
    tag = secrets.choice(free) if free else secrets.token_hex(2).upper()
    return f"Anonymous member ({tag})"


def member_by_token(store: Store, access: Access, token: str | None) -> Member | None:
    if not token or not CODE_SHAPE.match(token) or access.role != "team":
        return None
    row = store.respondent_by_token_hash(access.workbook_id, hash_secret(token))
    if row is None:
        return None
    return Member(row["id"], row["display_name"], bool(row["anonymous"]), token)


# -- guest codes: one anonymous exercise, opened to someone outside the team ---------------

#: g + the workbook's id (22) + "." + the exercise's scope and the host's name + "." + a MAC
GUEST_SHAPE = re.compile(r"^g([A-Za-z0-9_-]{22})\.([A-Za-z0-9_-]{4,600})\.([A-Za-z0-9_-]{22})$")
GUEST_SCOPE = re.compile(r"^[A-Za-z0-9_.-]{1,120}$")
GUEST_HOST_MAX = 80


@dataclass(frozen=True)
class Guest:
    """Someone who came by a guest code. ``access`` has the role "guest" (it opens no
    index, results or member pages); ``scope`` is what the exercise put in the code and
    ``host`` the name of the member who made it, as they gave it. A guest is no member:
    nothing about them is stored."""

    access: Access
    exercise: str
    scope: str
    host: str


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _guest_mac(key: str, workbook_id: str, exercise_id: str, body: str) -> str:
    # Keyed by the facilitator code, which no team member and no guest holds, so neither
    # can make a code for another scope; 128 bits of MAC cannot be guessed.
    message = f"placekit/guest/{workbook_id}/{exercise_id}/{body}".encode()
    return _b64(hmac.new(key.encode(), message, hashlib.sha256).digest()[:16])


def guest_code(store: Store, workbook_id: str, exercise_id: str, scope: str, host: str) -> str:
    """A guest code for one exercise of a workbook: the same arguments always give the
    same code. ``scope`` is the exercise's own (letters, digits, ``.``, ``-``, ``_``);
    ``host`` the name the guest will be shown. Make one through ``Responses.guest_link``,
    which checks that the exercise is anonymous and that a member asks."""
    if not GUEST_SCOPE.match(scope):
        raise ValueError(f"A guest scope is 1-120 letters, digits, '.', '-' or '_', not {scope!r}")
    host = " ".join(host.split())
    if not host:
        raise ValueError("Give the name your guests will see")
    if len(host) > GUEST_HOST_MAX:
        raise ValueError(f"Use a name of {GUEST_HOST_MAX} characters or fewer")
    row = store.workbook(workbook_id)
    if row is None:
        raise InvalidLink
    body = _b64(json.dumps([scope, host], ensure_ascii=False).encode())
    mac = _guest_mac(row["facilitator_code"], workbook_id, exercise_id, body)
    return f"g{_b64(uuid.UUID(workbook_id).bytes)}.{body}.{mac}"


_GUEST_START = re.compile(r"^g[A-Za-z0-9_-]{22}\.")


def is_guest_code(code: str | None) -> bool:
    """Whether a code starts as a guest code does (not whether it opens anything), so that
    a link cut short in copying is answered as a guest link, not as a team's."""
    return bool(code and _GUEST_START.match(code))


def resolve_guest(store: Store, code: str | None, exercise_id: str) -> Guest:
    """What a guest code opens in ``exercise_id``; ``InvalidLink`` for anything else: a
    code altered in any way, made for another exercise, or of a deleted workbook."""
    found = GUEST_SHAPE.match(code or "")
    if not found:
        raise InvalidLink
    try:
        workbook_id = str(uuid.UUID(bytes=_unb64(found[1])))
    except ValueError:
        raise InvalidLink from None
    row = store.workbook(workbook_id)
    if row is None:
        raise InvalidLink
    mac = _guest_mac(row["facilitator_code"], workbook_id, exercise_id, found[2])
    if not hmac.compare_digest(mac, found[3]):
        raise InvalidLink
    scope, host = json.loads(_unb64(found[2]))  # signed by us: well formed
    access = Access(workbook_id, row["title"], "guest", found[0], row["closed_at"])
    return Guest(access, exercise_id, scope, host)


#: The setting ``placekit serve`` records its address under, in the database it serves.
SERVER_URL = "server_url"


def base_url(store: Store | None = None) -> str:
    """Where links point: ``PLACEKIT_BASE_URL`` if set, else the address of the server
    last started on ``store``'s database, else PlaceKit's default address."""
    chosen = os.environ.get("PLACEKIT_BASE_URL") or (store.setting(SERVER_URL) if store else None)
    return (chosen or DEFAULT_BASE_URL).rstrip("/")


def link(code: str, exercise: str | None = None, base: str | None = None) -> str:
    """The link to a workbook's index page (or straight to one exercise), at ``base`` (by
    default ``base_url()``). ``base=""`` gives a page's own links, relative to the page: the
    pages share a folder, so they keep the address and the path the member came by (a hub's
    ``/services/placekit/``, a second host name), and with it the browser's memory of them."""
    page = "exercise" if exercise else "index"
    query = urlencode({"code": code} | ({"exercise": exercise} if exercise else {}))
    if base == "":
        return f"{page}.ipynb?{query}"
    return f"{base or base_url()}/voila/render/{page}.ipynb?{query}"
