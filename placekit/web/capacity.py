"""How many kernels this machine can hold, and how many to prestart for a planned room.

A kernel is the page's Python process: one per open page. Measured (bench/voila_tti.py): a
page's kernel holds 130–160 MiB, more once a results page has drawn its charts. Planning
with 200 MiB each and a gigabyte kept back for the server, the database and the system,
a 24 GiB machine holds about 110 pages at once, a 4 GiB one about 15.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import psutil

KERNEL_BYTES = 200 * 2**20
HEADROOM_BYTES = 2**30
CGROUPS = Path("/sys/fs/cgroup")
NO_LIMIT = 2**60  # cgroup v1 writes "no limit" as a number near 2**63


def default_max_kernels(available: int | None = None) -> int:
    """Kernels the machine's free memory holds now (``available`` bytes, else measured)."""
    if available is None:
        available = memory_available()
    return max(2, (available - HEADROOM_BYTES) // KERNEL_BYTES)


def memory_available(cgroups: Path = CGROUPS, membership: str | None = None) -> int:
    """Bytes this process may still use: the machine's free memory, or less where a memory
    limit holds the process (a container's, a systemd service's ``MemoryMax``). psutil sees
    the whole machine, so a container limited to 4 GiB on a 64 GiB host would otherwise plan
    for 300 kernels and be killed by the OOM killer.

    ``membership`` is ``/proc/self/cgroup``'s text. Cache the kernel can drop
    (``inactive_file``) does not count as used, as ``docker stats`` counts it."""
    if membership is None:
        try:
            membership = Path("/proc/self/cgroup").read_text()
        except OSError:  # not Linux
            membership = ""
    free = psutil.virtual_memory().available
    for folder, limit_file, usage_file, cache_key in _memory_cgroups(cgroups, membership):
        try:
            limit = (folder / limit_file).read_text().strip()
            usage = int((folder / usage_file).read_text())
            stat = (folder / "memory.stat").read_text().split()
        except (OSError, ValueError):
            continue
        if limit == "max" or int(limit) >= NO_LIMIT:
            continue
        pairs = dict(zip(stat[::2], stat[1::2], strict=False))
        usage -= int(pairs.get(cache_key, 0))
        free = min(free, max(0, int(limit) - usage))
    return free


# A memory cgroup's limit, its usage, and the name in memory.stat of the cache it can drop.
_V2_FILES = ("memory.max", "memory.current", "inactive_file")
_V1_FILES = ("memory.limit_in_bytes", "memory.usage_in_bytes", "total_inactive_file")


def _memory_cgroups(cgroups: Path, membership: str) -> list[tuple[Path, str, str, str]]:
    """The folders of the memory cgroups holding this process, its own and every parent:
    a limit on any of them applies. Inside a container the folder named in
    ``/proc/self/cgroup`` may not exist: the container sees its own cgroup as the root."""
    found: list[tuple[Path, str, str, str]] = []
    for line in membership.splitlines():
        _, controllers, path = (line.split(":", 2) + ["", ""])[:3]
        if controllers == "" and (cgroups / "cgroup.controllers").exists():
            base, files = cgroups, _V2_FILES
        elif "memory" in controllers.split(","):
            base, files = cgroups / "memory", _V1_FILES
        else:
            continue
        parts = Path(path.strip() or "/").parts[1:]
        for depth in range(len(parts), -1, -1):
            found.append((base.joinpath(*parts[:depth]), *files))
    return found


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
