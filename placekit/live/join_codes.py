"""The short code a room types to join a live session, and the limit on guessing one.

A code is read off a projector and typed on a phone, so it is short and nothing in it looks
like anything else: 6 characters from the 30 digits and capital letters left once 0, 1, I,
L, O and U are taken out (no two alike, and no words spelt), shown as ``K7P-3QX``. There
are 30**6, about 729 million. Typed in any case, with or without the dash or spaces.

Unlike a workbook's link (192 bits), a short code can be guessed in principle. So it opens
only the team's join page, only while its session is live and for at most ``LIFETIME``
(``sessions``), is never issued twice (``Store.start_live_session``), and guessing is
limited (``Attempts``). docs/privacy.md says what that leaves.
"""

from __future__ import annotations

import secrets
import time
from collections import deque
from datetime import timedelta

ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"
LENGTH = 6
LIFETIME = timedelta(hours=12)  # the longest a session's code stays valid


def new_join_code() -> str:
    """A fresh random code, in the form it is stored (``K7P3QX``)."""
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def shown(code: str) -> str:
    """A code as the projector shows it: ``K7P-3QX``."""
    return f"{code[:3]}-{code[3:]}"


def normalise(typed: str) -> str | None:
    """A typed code in the form it is stored, or None when it cannot be one."""
    code = "".join(typed.split()).replace("-", "").upper()
    if len(code) != LENGTH or any(c not in ALPHABET for c in code):
        return None
    return code


class Attempts:
    """How many wrong codes may be tried: ``per_client`` a minute from one client (its
    address), and ``wrong_in_all`` a minute from all clients together, so guessing from many
    addresses at once is held to the same pace. Only wrong codes count: a room behind one
    address (a venue's wifi) all typing the right code is never held back. Beyond either
    limit a client is told to wait a minute.

    Kept in the server's memory: a restart forgets the tries, and each server of several
    keeps its own count (docs/privacy.md)."""

    WINDOW_S = 60.0

    def __init__(self, per_client: int = 10, wrong_in_all: int = 100) -> None:
        self.per_client = per_client
        self.wrong_in_all = wrong_in_all
        self._wrong_from: dict[str, deque[float]] = {}
        self._wrong: deque[float] = deque()

    def allow(self, client: str, now: float | None = None) -> bool:
        """Whether ``client`` may try a code now."""
        self._forget(time.monotonic() if now is None else now)
        mine = self._wrong_from.get(client, ())
        return len(mine) < self.per_client and len(self._wrong) < self.wrong_in_all

    def wrong(self, client: str, now: float | None = None) -> None:
        """``client`` tried a code that matched no live session."""
        now = time.monotonic() if now is None else now
        self._wrong_from.setdefault(client, deque()).append(now)
        self._wrong.append(now)

    def _forget(self, now: float) -> None:
        horizon = now - self.WINDOW_S
        while self._wrong and self._wrong[0] <= horizon:
            self._wrong.popleft()
        for client in list(self._wrong_from):  # memory stays bounded by a minute's guessers
            tries = self._wrong_from[client]
            while tries and tries[0] <= horizon:
                tries.popleft()
            if not tries:
                del self._wrong_from[client]
