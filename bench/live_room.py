"""A live session's room of thirty: how soon the room's screen shows a member's save, and
what watching costs the database, against one member and one screen in the same run.

Run:  .venv/bin/python bench/live_room.py [--members 30] [--within 10] [--screens 30]
      (or bench/room.py --live, with the same options)

1. A real ``placekit serve`` (``placekit.testing.running_server``) on a fresh SQLite file,
   a workbook from ``placekit new``, and a live session of the triage, started as the
   facilitator's "Run this in the room" does (``placekit.live.sessions.start``).
2. Baseline, on the idle server: one screen (a client of ``/live/<session>/events``, the
   stream the projector page reads) and one member at a time joining: the time from the
   member's write committing to the screen's event counting it; the median of 5.
3. The room: ``--screens`` screens watch at once (the projector and, at worst, a laptop
   each), and ``--members`` members each join and then complete a step, member i starting
   at i * within / members s, each from a thread of its own. A member's write is the store
   call their page's kernel makes on each save (``MemberRoom.report``); what a page does
   before it (the widgets, the save itself) is measured by ``room.py``'s save latency. For
   each write: the time until every screen has had an event counting it. Reported: p50,
   p95 and the largest, against the 2 s target and as a ratio to the baseline. Then the
   facilitator moves the room through each step: the time until every stream has the
   change (members' page kernels read this same stream, ``placekit.live.feed``, so a
   Reveal or a closed round reaches their pages as it reaches the screens).
4. Cost: the server's own watcher code (``placekit.live.watch``, as the server builds it)
   run in this process on the same database with its SQL statements counted, for 10 s
   with 1 screen and with 30: statements per second. And the server process's CPU seconds
   over 10 s of an idle room with 1 screen and with 30 (the other screens closed).

It reports and never asserts: the exit status is 0 either way.
"""

from __future__ import annotations

import argparse
import asyncio
import http.client
import json
import statistics
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from urllib.parse import urlparse

import psutil
import sqlalchemy as sa

from placekit.data.access import join, resolve
from placekit.data.store import Store
from placekit.live import sessions
from placekit.live.member import MemberRoom
from placekit.plugins import get_registry
from placekit.testing import running_server
from placekit.web.projector import room_watchers

TARGET_S = 2.0
STEP = "mode"  # the step each member completes: any of the triage's
COST_S = 10.0


@dataclass
class Screen:
    """One watcher of the room: every event, as (when, joined, members done with STEP)."""

    url: str
    events: list[tuple[float, int, int]] = field(default_factory=list)
    steps: list[tuple[float, str | None]] = field(default_factory=list)  # the room's step
    ready: threading.Event = field(default_factory=threading.Event)
    stop: bool = False

    def run(self) -> None:
        parts = urlparse(self.url)
        conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=120)
        conn.request("GET", parts.path, headers={"Accept": "text/event-stream"})
        stream = conn.getresponse()
        while not self.stop:
            line = stream.readline()
            if not line:
                break
            if line.startswith(b"data: "):
                room = json.loads(line[6:])
                done = sum(s["answered"] for s in room.get("steps", []) if s["id"] == STEP)
                self.events.append((time.monotonic(), room.get("joined", 0), done))
                self.steps.append((time.monotonic(), room.get("step")))
                self.ready.set()
        conn.close()

    def first(self, since: float, joined: int = 0, done: int = 0) -> float | None:
        for at, j, d in self.events:
            if at >= since - 1.0 and j >= joined and d >= done:
                return at
        return None


def watch(url: str, count: int) -> list[Screen]:
    screens = [Screen(url) for _ in range(count)]
    for screen in screens:
        threading.Thread(target=screen.run, daemon=True).start()
    for screen in screens:
        screen.ready.wait(30)
    return screens


def caught_up(screens: list[Screen], at: float, joined: int, done: int) -> float | None:
    """Seconds from ``at`` until every screen had counted ``joined`` and ``done``."""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        seen = [s.first(at, joined, done) for s in screens]
        if all(t is not None for t in seen):
            return max(t for t in seen if t is not None) - at
        time.sleep(0.01)
    return None


def heard_step(screens: list[Screen], at: float, step: str) -> float | None:
    """Seconds from ``at`` until every screen had an event with the room on ``step``."""
    deadline = at + 30
    while time.monotonic() < deadline:
        seen = [
            next((t for t, s in screen.steps if t >= at and s == step), None) for screen in screens
        ]
        if all(t is not None for t in seen):
            return max(seen) - at  # type: ignore[type-var]
        time.sleep(0.02)
    return None


def print_rows(rows: list[tuple[str, float, float | None]]) -> None:
    """The figures as a table: name, value, and where there is one, the target and whether
    it is met (within 5 %)."""
    print(f"{'figure':<52}{'value':>10}{'target':>10}  met")
    for name, value, target in rows:
        met = "" if target is None else ("yes" if value <= target * 1.05 else "NO")
        print(f"{name:<52}{value:>10.3f}{'' if target is None else f'{target:>10.2f}':>10}  {met}")


def p(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * len(ordered)) - 1))]


def statements_per_s(db: str, session_id: str, screens: int) -> float:
    """The server's watcher, run here with its SQL counted, over COST_S with ``screens``."""
    store = Store(db)
    count = [0]

    def counted(*_args: object) -> None:
        count[0] += 1

    sa.event.listen(store.engine, "before_cursor_execute", counted)

    async def run() -> None:
        watchers = room_watchers(lambda: store)
        subs = [watchers.subscribe(session_id) for _ in range(screens)]
        await asyncio.sleep(1.0)  # the first look, and base_url's one read, left out
        count[0] = 0
        await asyncio.sleep(COST_S)
        for sub in subs:
            sub.close()

    asyncio.run(run())
    sa.event.remove(store.engine, "before_cursor_execute", counted)
    return count[0] / COST_S


def server_cpu(pid: int, seconds: float) -> float:
    proc = psutil.Process(pid)
    before = proc.cpu_times()
    time.sleep(seconds)
    after = proc.cpu_times()
    return (after.user - before.user) + (after.system - before.system)


def serve_pid(port: int) -> int:
    for conn in psutil.net_connections("tcp"):
        if conn.laddr and conn.laddr.port == port and conn.status == psutil.CONN_LISTEN:
            return conn.pid or 0
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--members", type=int, default=30)
    parser.add_argument("--within", type=float, default=10.0)
    parser.add_argument("--screens", type=int, default=30)
    args = parser.parse_args(argv)
    triage = get_registry().exercises["triage"]
    with tempfile.TemporaryDirectory(prefix="placekit-live-") as work:
        with running_server(Path(work)) as server:
            workbook = server.new_workbook("Live room")
            store = Store(server.db)
            facilitator = resolve(store, workbook.facilitator_code)
            team = resolve(store, workbook.team_code)
            session = sessions.start(store, facilitator, triage)
            events = f"{server.base_url}/live/{session.id}/events"

            # 2. Baseline: one screen, one member at a time.
            (one,) = watch(events, 1)
            idle = []
            for i in range(5):
                member = join(store, team, f"Solo {i}")
                MemberRoom(store, team, triage, member).report([])
                at = time.monotonic()
                idle.append(caught_up([one], at, i + 1, 0) or float("nan"))
                time.sleep(0.7)
            one.stop = True
            base = statistics.median(idle)
            sessions.end(store, facilitator, session, triage.title)

            # 3. The room.
            session = sessions.start(store, facilitator, triage)
            events = f"{server.base_url}/live/{session.id}/events"
            screens = watch(events, args.screens)
            members = [join(store, team, f"Member {i}") for i in range(args.members)]
            writes: list[tuple[str, float]] = []  # (what, when it committed)
            lock = threading.Lock()
            start = time.monotonic()

            def member_runs(i: int) -> None:
                time.sleep(max(0.0, start + i * args.within / args.members - time.monotonic()))
                presence = MemberRoom(store, team, triage, members[i])
                presence.report([])
                with lock:
                    writes.append(("joined", time.monotonic()))
                time.sleep(1.0)  # reads the page, answers
                presence.report([STEP])
                with lock:
                    writes.append(("done", time.monotonic()))

            threads = [threading.Thread(target=member_runs, args=(i,)) for i in range(args.members)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            # The k-th write of a kind to commit is the one that takes its count to k.
            waits, counts = [], {"joined": 0, "done": 0}
            for what, at in sorted(writes, key=lambda w: w[1]):
                counts[what] += 1
                waited = caught_up(screens, at, counts["joined"], counts["done"])
                waits.append(waited if waited is not None else float("inf"))
            # 3b. The facilitator moves the room on: how soon every stream (the screens', and
            # the one each member's page kernel reads, placekit.live.feed) has the change.
            moves = []
            for step, _title in triage.steps:
                at = time.monotonic()
                sessions.change_room(
                    store, facilitator, session, lambda state, step=step: replace(state, step=step)
                )
                moves.append(heard_step(screens, at, step) or float("inf"))
            # 4. Cost, on an idle room: 30 screens, then 1.
            pid = serve_pid(int(server.base_url.rsplit(":", 1)[1]))
            cpu_many = server_cpu(pid, COST_S) if pid else float("nan")
            for screen in screens[1:]:
                screen.stop = True
            time.sleep(16)  # a closed stream is noticed at its next keep-alive, 15 s on
            cpu_one = server_cpu(pid, COST_S) if pid else float("nan")
            for screen in screens[:1]:
                screen.stop = True
            sql_one = statements_per_s(str(server.db), session.id, 1)
            sql_many = statements_per_s(str(server.db), session.id, args.screens)

    worst = max(waits)
    print(f"\nLive room: {args.members} members within {args.within:g} s, {args.screens} screens")
    rows = [
        ("save to screen, idle: 1 member, 1 screen (s, median)", base, None),
        ("save to screen, the room: p50 (s)", p(waits, 0.5), None),
        ("save to screen, the room: p95 (s)", p(waits, 0.95), TARGET_S),
        ("save to screen, the room: largest (s)", worst, None),
        ("p95 / idle", p(waits, 0.95) / base, None),
        (f"facilitator's change to all {args.screens} streams: p95 (s)", p(moves, 0.95), TARGET_S),
        ("SQL statements per s, 1 screen", sql_one, None),
        (f"SQL statements per s, {args.screens} screens", sql_many, None),
        (f"  ratio, {args.screens} screens / 1", sql_many / sql_one, 1.0),
        (f"server CPU s per 10 s, idle room, {args.screens} screens", cpu_many, None),
        ("server CPU s per 10 s, idle room, 1 screen", cpu_one, None),
    ]
    print_rows(rows)
    print(f"writes: {len(waits)}, never shown: {sum(w == float('inf') for w in waits)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
