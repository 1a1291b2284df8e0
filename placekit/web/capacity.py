"""How many kernels this machine can hold, and how many to prestart for a planned room.

A kernel is the page's Python process: one per open page. Measured (bench/voila_tti.py): a
page's kernel holds 130–160 MiB, more once a results page has drawn its charts. Planning
with 200 MiB each and a gigabyte kept back for the server, the database and the system,
a 24 GiB machine holds about 110 pages at once, a 4 GiB one about 15.
"""

from __future__ import annotations

from dataclasses import dataclass

import psutil

KERNEL_BYTES = 200 * 2**20
HEADROOM_BYTES = 2**30


def default_max_kernels(available: int | None = None) -> int:
    """Kernels the machine's free memory holds now (``available`` bytes, else measured)."""
    if available is None:
        available = psutil.virtual_memory().available
    return max(2, (available - HEADROOM_BYTES) // KERNEL_BYTES)


@dataclass(frozen=True)
class RoomPlan:
    """``pool``: kernels kept prestarted for each page (notebook) of the workbooks."""

    room: int
    pool: int
    max_kernels: int

    @property
    def short(self) -> bool:
        return self.pool < self.room


def plan_room(room: int, max_kernels: int, pages: int) -> RoomPlan:
    """Prestart up to ``room`` kernels for each of the ``pages`` notebooks, within
    ``max_kernels``: the room's own open pages come first, and Voila refills a pool as soon
    as a kernel is taken from it, so the pools must fit beside them."""
    if room < 0:
        raise ValueError("a room cannot have fewer than 0 people")
    spare = max(0, max_kernels - room)
    return RoomPlan(room=room, pool=min(room, spare // max(pages, 1)), max_kernels=max_kernels)
