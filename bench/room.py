"""A room of thirty on one ``placekit serve``, against a single visit in the same run.

Run:  .venv/bin/python bench/room.py [--members 30] [--within 10] [--db sqlite|postgres]
          [--serve-args "--room 30"] [--skip-store] [--skip-results] [--keep]
          [--browser-nice 0] [--clients browser|protocol]
      .venv/bin/python bench/room.py --live [--members 30] [--within 10] [--screens 30]
          (a live session's room and its screens: bench/live_room.py)

1. Starts a real ``placekit serve`` (the command line, with ``--no-demo`` and whatever
   ``--serve-args`` holds) with ``PLACEKIT_DB`` at a fresh SQLite file, or at a database on
   a throwaway PostgreSQL cluster (the one ``tests/conftest.py`` starts for the store tests,
   its fixture run outside pytest). The port is awaited with a TCP connect, never a GET (a
   GET starts a kernel). ``placekit new`` makes the workbook and prints its team link; three
   triage issues are seeded through the store, so a member's first triage step is complete
   and the second, "Your preferred mode", is one Continue away.
2. A single visit, on the idle server: a fresh browser context opens the team link, timed
   from ``goto`` to the join form being visible; the median of 3, each closed and its kernel
   awaited before the next.
3. The room: one Chromium, N browser contexts (N people, each with their own storage),
   at the niceness ``--browser-nice`` gives (0; members' browsers are on their own devices,
   here they share the server's cores, and neither niceness makes that fair: see
   bench/README.md),
   member i starting at i * within / N s. Each opens the team link (time to the form; not
   shown within 180 s counts as not shown), joins with a name of their own, opens the
   triage, presses Continue, and chooses a preferred mode: a record of their own, saved at
   once (the first step's issues are the team's one list, of at most 12, so thirty people
   cannot each add one). Save latency is measured in the page, from the radio's ``change``
   event to the status line changing to "Saved at". Then every tab closes at once.
4. All along, every 0.5 s: the kernel processes (``ipykernel``) under the server and their
   summed RSS, and each kernel's id. Reported: kernels before the room (a preheated pool),
   the peaks during it, how long a join page's kernel outlived the member leaving it (each
   member has two pages: the join page, then the exercise), and the kernels left 30 s and
   60 s after the tabs closed, with the page each served.
5. Saves lost: afterwards the database is read through ``Responses`` (the facilitator's
   view: the public API refuses figures-only records one at a time) and every member whose
   page said "Saved at" must have their chosen mode stored.
6. The facilitator's results page of the triage (now with N answers) against the baseline
   notebook of ``voila_tti.py`` (Voila rendering a notebook that imports pandas and
   ipywidgets) on a Voila server with PlaceKit's flags: medians of 3, interleaved, each
   after one unmeasured warm-up.
7. The store alone: K processes (default 50) each saving a member's answer 10 times through
   ``Responses.save``, all released at once, against one process alone, on SQLite and on the
   throwaway PostgreSQL (which runs with fsync off: a real server's commits cost more).

With ``--clients protocol`` the members are ``page_client`` visits instead of browsers: each
opens the team link as a page does (waiting its turn at the door, fetching the page's
scripts and styles) and asks its kernel for the widgets' states, as the page's widget
manager does first; no drawing, no join, no answers. That is the server's part of a visit,
whatever the member's device: a browser room on this machine's two cores measures thirty
Chromium renderers taking most of the CPU (``CPU s in the room``). A browser's own part is
measured by three single browser visits first (drawing the form, less the server's part),
and the room's figure on members' own devices is the server's p95 plus that.

It prints a table of figures, each with its target and whether it is met. It reports and
never asserts: the exit status is 0 either way (130/143 when interrupted). Every server,
kernel, writer and database it started is stopped on exit, Ctrl+C included.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import functools
import importlib.util
import math
import multiprocessing as mp
import os
import re
import shlex
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlparse

import psutil

sys.path.insert(0, str(Path(__file__).resolve().parent))
import page_client  # noqa: E402
import voila_tti as tti  # noqa: E402  (beside this file; it puts the checkout on sys.path)

from placekit.testing import PAGE_KERNEL_ID_JS  # noqa: E402

ROOT = tti.ROOT
EXERCISE = "triage"
EXERCISE_TITLE = "Wicked, tame or critical?"
JOIN_LABEL = "Your name, as your team will see it"
STEP_1 = "Step 1 of 9: List issues"
STEP_2 = "Step 2 of 9: Your preferred mode"
MODE_QUESTION = "When something goes wrong, my instinct is to…"
SEED_ISSUES = ("Damp homes", "Delayed hospital discharges", "Youth services budget")

SHOW_LIMIT_S = 180.0  # a page not showing its form by then counts as not shown
STEP_LIMIT_S = 180.0  # each later step (the exercise page is a second page load)
SAVE_LIMIT_S = 60.0
SAMPLE_S = 0.5
VISITS = 3  # single visits, results and baseline loads: medians of 3
SERVER_START_S = 90.0
TARGET_P95 = 3.0  # room p95 over a single visit; with a planned room (--room) 1.5
TARGET_P95_PLANNED = 1.5
TARGET_RESULTS = 1.3
NOT_THE_ROOMS = "no page of the room"  # a kernel left after the room that served none of it
KERNEL_FILE = re.compile(r"kernel-([0-9a-f-]{36})\.json")
LOG_PROBLEMS = ("ERROR", "Traceback", "database is locked", "Timeout", "timed out")

# In the page: the time of the first ``change`` (the radio chosen) and of the status line
# first changing to "Saved at" after it. Browser clock at both ends, so Playwright's polling
# adds nothing to the figure.
WATCH_SAVE = """() => {
  const status = () => (document.querySelector('.pk-status') || {}).textContent || '';
  const before = status();
  window.__pkInput = null;
  window.__pkSaved = null;
  document.addEventListener('change', () => {
    if (window.__pkInput === null) { window.__pkInput = performance.now(); }
  }, {capture: true});
  new MutationObserver((_changes, observer) => {
    const now = status();
    if (window.__pkInput !== null && now !== before && now.includes('Saved at')) {
      window.__pkSaved = performance.now();
      observer.disconnect();
    }
  }).observe(document.body, {subtree: true, childList: true, characterData: true});
}"""


# -- what a run finds ----------------------------------------------------------------------


@dataclass
class Visit:
    """One member of the room."""

    name: str
    mode: str  # the preferred mode they choose (stored value)
    to_form: float | None = None  # s from goto to the join form; None: not shown
    served: float | None = None  # s from goto to the join page's last byte (server's part)
    to_exercise: float | None = None  # s from the exercise link to its first step
    save: float | None = None  # s from choosing to "Saved at"; None: not confirmed
    failed: str = ""  # the stage that failed, and how
    status: str = ""  # the page's status line when it failed
    join_kernel: str | None = None  # the kernel of the join page (then the workbook's index)
    exercise_kernel: str | None = None
    left_join: float | None = None  # monotonic: the exercise link pressed
    loads: int = 0  # page loads (main-frame navigations): 2 unless a page reloaded itself


@dataclass
class StoreFigures:
    backend: str
    one: list[float] = field(default_factory=list)  # seconds per save, one writer
    many: list[float] = field(default_factory=list)  # seconds per save, all writers at once
    writers: int = 0
    note: str = ""


@dataclass
class Run:
    members: int
    within: float
    db: str
    serve_args: list[str]
    browser_nice: int = 0
    clients: str = "browser"  # or "protocol": page_client, the server's part alone
    browser_single: list[float | None] = field(default_factory=list)  # protocol runs: s
    load_before: tuple[float, float, float] = (0.0, 0.0, 0.0)
    single: list[float | None] = field(default_factory=list)
    single_served: list[float | None] = field(default_factory=list)
    visits: list[Visit] = field(default_factory=list)
    pool: int | None = None  # kernels of the idle server before the room
    peak_kernels: int | None = None
    peak_rss: int | None = None  # bytes, summed over kernels
    left_30: int | None = None
    left_60: int | None = None
    stored: dict[str, str | None] = field(default_factory=dict)  # name -> stored mode
    results: list[float | None] = field(default_factory=list)
    baseline: list[float | None] = field(default_factory=list)
    store: list[StoreFigures] = field(default_factory=list)
    log_notes: list[str] = field(default_factory=list)
    room_seconds: float | None = None
    join_kernel_gone: list[float] = field(default_factory=list)  # s after leaving the page
    kernels_started: int | None = None  # kernels seen during the room, pool excluded
    cpu: dict[str, float] = field(default_factory=dict)  # side -> CPU seconds in the room
    left_pages: list[str] = field(default_factory=list)  # whose kernels were left at 60 s

    @property
    def planned(self) -> bool:
        return any(a == "--room" or a.startswith("--room=") for a in self.serve_args)


# -- kernels -------------------------------------------------------------------------------


def kernel_id(proc: psutil.Process) -> str | None:
    """The kernel's id, from the connection file on its command line."""
    try:
        found = KERNEL_FILE.search(" ".join(proc.cmdline()))
    except psutil.Error:
        return None
    return found.group(1) if found else None


def kernels(server: tti.Server) -> list[psutil.Process]:
    """The server's kernel processes (``tree`` also remembers them, to stop them on exit)."""
    found = []
    for proc in server.tree()[1:]:
        try:
            if any("ipykernel" in arg for arg in proc.cmdline()):
                found.append(proc)
        except psutil.Error:
            continue
    return found


def rss_of(procs: list[psutil.Process]) -> int:
    total = 0
    for proc in procs:
        try:
            total += sum(p.memory_info().rss for p in [proc, *proc.children(recursive=True)])
        except psutil.Error:
            continue
    return total


class KernelWatch(threading.Thread):
    """Every 0.5 s, the number of kernels under the server and their summed RSS, when each
    kernel (by id) was first and last seen, and the CPU time used by the server's side and
    by the browser's (Playwright and Chromium: on this machine they compete for the cores
    with the server, where a real room's browsers are on thirty other devices)."""

    def __init__(self, server: tti.Server) -> None:
        super().__init__(daemon=True)
        self.server = server
        self.samples: list[tuple[float, int, int]] = []  # (monotonic, kernels, bytes)
        self.seen: dict[str, list[float]] = {}  # kernel id -> [first, last] seen
        self.cpu: dict[int, tuple[str, float, float]] = {}  # pid -> (side, first, last) s
        self.began = time.time()
        self.done = threading.Event()

    def run(self) -> None:
        while not self.done.wait(SAMPLE_S):
            found = kernels(self.server)
            now = time.monotonic()
            self.samples.append((now, len(found), rss_of(found)))
            for proc in found:
                if (kid := kernel_id(proc)) is not None:
                    self.seen.setdefault(kid, [now, now])[1] = now
            self._count_cpu()

    def _count_cpu(self) -> None:
        ours = self.server.tree()
        server_pids = {p.pid for p in ours}
        browser = [p for p in psutil.Process().children(recursive=True) if p.pid not in server_pids]
        for side, procs in (("server", ours), ("browser", browser)):
            for proc in procs:
                try:
                    times = proc.cpu_times()
                    used = times.user + times.system
                    # Started during the watch: all its CPU counts; before it, what it adds.
                    first = 0.0 if proc.create_time() >= self.began else used
                except psutil.Error:
                    continue
                self.cpu[proc.pid] = (side, self.cpu.get(proc.pid, (side, first, 0))[1], used)

    def cpu_seconds(self, side: str) -> float:
        return sum(last - first for s, first, last in self.cpu.values() if s == side)

    def peaks(self, start: float, end: float) -> tuple[int, int]:
        during = [(n, rss) for t, n, rss in self.samples if start <= t <= end]
        return max((n for n, _ in during), default=0), max((r for _, r in during), default=0)


def settle(server: tti.Server, idle_kernels: int, timeout: float = 30.0) -> None:
    """Wait for a closed page's kernel to go and for the machine to quieten."""
    deadline = time.monotonic() + timeout
    while len(kernels(server)) > idle_kernels and time.monotonic() < deadline:
        time.sleep(0.25)
    tti.wait_until_idle([server], timeout=20.0)


# -- the server and the workbook -----------------------------------------------------------


def base_env(db: str) -> dict[str, str]:
    env = dict(os.environ)
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    env["PLACEKIT_DB"] = db  # absolute path or URL: kernels run in another folder
    env.pop("PLACEKIT_BASE_URL", None)  # links must name this server
    return env


def start_serve(work: Path, env: dict[str, str], serve_args: list[str]) -> tti.Server:
    from placekit.testing import placekit_command

    argv = [placekit_command(), "serve", f"--port={tti.free_port()}", "--no-demo", *serve_args]
    server = tti.Server("placekit serve", argv, env, work / "serve.log")
    tti._RUNNING.append(server)  # voila_tti's own list: its _stop_all ends it on any exit
    server.wait_for_port(timeout=SERVER_START_S)
    return server


def new_workbook(env: dict[str, str], title: str) -> Any:
    """``placekit new``, as a facilitator does; its links name the running server."""
    from placekit.testing import parse_links, placekit_command

    done = subprocess.run(
        [placekit_command(), "new", title], env=env, capture_output=True, text=True, timeout=120
    )
    if done.returncode != 0:
        raise RuntimeError(f"placekit new failed: {done.stderr}")
    (workbook,) = parse_links(done.stdout)
    return workbook


def seed_issues(db: str, team_code: str) -> None:
    """The team's three issues, so the triage's first step is complete for everyone."""
    from placekit.data.access import resolve
    from placekit.data.records import new_record_id
    from placekit.data.responses import Responses
    from placekit.data.store import Store
    from placekit.plugins import get_registry

    store = Store(db)
    responses = Responses(
        store, resolve(store, team_code).workbook_id, get_registry().exercises[EXERCISE]
    )
    for title in SEED_ISSUES:
        responses.save("issue", new_record_id(), {"title": title, "description": ""}, 0)


def mode_choices() -> list[tuple[str, str]]:
    """The preferred mode's (stored value, radio label) pairs, from the plugin's schema."""
    from placekit.plugins import get_registry

    kind = get_registry().exercises[EXERCISE].kind("mode")
    (field_,) = [f for f in kind.fields if f.name == "preferred_mode"]
    return [(str(value), str(label)) for value, label in field_.choices]


def stored_modes(db: str, team_code: str) -> dict[str, str | None]:
    """Each member's stored preferred mode, by display name."""
    from placekit.data.access import resolve
    from placekit.data.responses import Responses
    from placekit.data.store import Store
    from placekit.plugins import get_registry

    store = Store(db)
    responses = Responses(
        store, resolve(store, team_code).workbook_id, get_registry().exercises[EXERCISE]
    )
    return {
        m["display_name"]: responses.get("mode", "me", member=m["id"]).get("preferred_mode")
        for m in responses.members
    }


def log_notes(log: Path) -> list[str]:
    """What went wrong on the server side: error lines and tracebacks, counted."""
    if not log.exists():
        return []
    text = log.read_text(errors="replace")
    counts: Counter[str] = Counter()
    for line in text.splitlines():
        if any(word in line for word in LOG_PROBLEMS):
            # Without kernel ids, so that repeats of one error are counted together.
            counts[re.sub(r"[0-9a-f]{8}-[0-9a-f-]{27}", "<id>", line)[:160]] += 1
    return [f"{n}x {line}" for line, n in counts.most_common(8)]


# -- the browser ---------------------------------------------------------------------------


def remaining_ms(start: float, limit: float) -> float:
    return max(1.0, (limit - (time.perf_counter() - start)) * 1000)


def watch_served(page: Any, start: float, done: Callable[[float], None]) -> None:
    """Call ``done`` with the seconds from ``start`` to the last byte of the page's first
    200 response: Voila sends it once the notebook has run in its kernel, so it is the
    server's part of a visit, which does not depend on how fast the member's device is
    (a waiting page's 503s are skipped)."""
    seen = False

    async def finished(response: Any) -> None:
        with contextlib.suppress(Exception):
            await response.finished()
            done(time.perf_counter() - start)

    def on_response(response: Any) -> None:
        nonlocal seen
        if not seen and response.status == 200 and "/voila/render/" in response.url:
            seen = True
            asyncio.ensure_future(finished(response))

    page.on("response", on_response)


async def timed_visit(
    browser: Any, url: str, ready: Callable[[Any], Any], served: list[float | None] | None = None
) -> float | None:
    """Seconds from ``goto`` to ``ready(page)`` being visible, in a fresh context (closed
    after: the page's pagehide shuts its kernel down); None if it never showed. The page's
    served time (``watch_served``) is appended to ``served``, if given."""
    context = await browser.new_context()
    got: list[float] = []
    try:
        page = await context.new_page()
        start = time.perf_counter()
        watch_served(page, start, got.append)
        await page.goto(url, wait_until="commit", timeout=SHOW_LIMIT_S * 1000)
        await ready(page).first.wait_for(state="visible", timeout=remaining_ms(start, SHOW_LIMIT_S))
        return time.perf_counter() - start
    except Exception as problem:
        print(f"    not shown: {url} ({type(problem).__name__})", flush=True)
        return None
    finally:
        if served is not None:
            served.append(got[0] if got else None)
        await context.close()


def join_form(page: Any) -> Any:
    return page.get_by_label(JOIN_LABEL)


def radio(page: Any, question: str, answer: str) -> Any:
    """The radio button ``answer`` of the question labelled exactly ``question``."""
    label = page.locator("label.widget-label").filter(
        has_text=re.compile("^" + re.escape(question) + "$")
    )
    group = page.locator(".widget-radio").filter(has=label)
    return group.get_by_role("radio", name=answer, exact=True)


async def status_line(page: Any) -> str:
    try:
        return " ".join((await page.locator(".pk-status").first.inner_text(timeout=2000)).split())
    except Exception:
        return ""


async def member(browser: Any, visit: Visit, delay: float, link: str, label: str) -> Any:
    """One member: open the team link, join, open the triage, Continue, choose a mode.

    The steps of ``placekit.testing.join_team``, written out: that helper is synchronous,
    waits for the page's load event and allows 60 s, where the room times the form from the
    first byte and allows 180 s. Returns the member's browser context, still open.
    """
    await asyncio.sleep(delay)
    context = await browser.new_context()
    context.set_default_timeout(STEP_LIMIT_S * 1000)
    page = await context.new_page()

    def navigated(frame: Any) -> None:
        if frame == page.main_frame:  # the template's watchdog reloads a page stuck 2 min
            visit.loads += 1

    page.on("framenavigated", navigated)
    stage = "open the team link"
    try:
        start = time.perf_counter()
        watch_served(page, start, lambda seconds: setattr(visit, "served", seconds))
        await page.goto(link, wait_until="commit", timeout=SHOW_LIMIT_S * 1000)
        await join_form(page).wait_for(state="visible", timeout=remaining_ms(start, SHOW_LIMIT_S))
        visit.to_form = time.perf_counter() - start
        visit.join_kernel = await page.evaluate(PAGE_KERNEL_ID_JS)
        stage = "join"
        await join_form(page).fill(visit.name)
        await page.get_by_role("button", name="Start").click()
        stage = "open the exercise"
        link_to = page.get_by_role("link", name=EXERCISE_TITLE).first
        await link_to.wait_for(state="visible")
        # Before the click: it returns only once the next page has begun to arrive.
        opened, visit.left_join = time.perf_counter(), time.monotonic()
        await link_to.click()
        await page.get_by_text(STEP_1).wait_for(state="visible")
        visit.to_exercise = time.perf_counter() - opened
        visit.exercise_kernel = await page.evaluate(PAGE_KERNEL_ID_JS)
        stage = "continue to step 2"
        await page.get_by_role("button", name="Continue", exact=True).click()
        await page.get_by_text(STEP_2).wait_for(state="visible")
        stage = "choose a mode"
        await page.evaluate(WATCH_SAVE)
        await radio(page, MODE_QUESTION, label).check()
        await page.wait_for_function("() => window.__pkSaved !== null", timeout=SAVE_LIMIT_S * 1000)
        visit.save = await page.evaluate("() => (window.__pkSaved - window.__pkInput) / 1000")
    except Exception as problem:
        visit.failed = f"{stage}: {type(problem).__name__}"
        visit.status = await status_line(page)
    print(
        f"  {visit.name}: served {_s(visit.served)} s, form {_s(visit.to_form)} s,"
        f" exercise {_s(visit.to_exercise)} s,"
        f" saved {_s(visit.save)} s {visit.failed}",
        flush=True,
    )
    return context


async def single_visits(browser: Any, server: tti.Server, link: str, idle: int, run: Run) -> None:
    for number in range(VISITS):
        await asyncio.to_thread(settle, server, idle)
        seconds = await timed_visit(browser, link, join_form, run.single_served)
        print(
            f"  single visit {number + 1}/{VISITS}: served {_s(run.single_served[-1])} s,"
            f" form {_s(seconds)} s",
            flush=True,
        )
        run.single.append(seconds)
    await asyncio.to_thread(settle, server, idle)


async def the_room(browser: Any, run: Run, link: str) -> float:
    """Every member at once (spread over ``within`` s); then all tabs close. Returns the
    moment they had closed (monotonic)."""
    choices = mode_choices()
    run.visits = [
        Visit(f"Room member {n + 1:02d}", choices[n % len(choices)][0]) for n in range(run.members)
    ]
    labels = dict(choices)
    contexts = await asyncio.gather(
        *(
            member(browser, v, n * run.within / run.members, link, labels[v.mode])
            for n, v in enumerate(run.visits)
        )
    )
    await asyncio.gather(*(c.close() for c in contexts), return_exceptions=True)
    return time.monotonic()


async def protocol_member(visit: Visit, delay: float, link: str) -> str | None:
    """One member as the server sees them (``page_client``): the join page, to its widgets'
    states. Returns the page's kernel, to close it with the others."""
    await asyncio.sleep(delay)
    page = await page_client.open_page(link, SHOW_LIMIT_S)
    visit.served, visit.to_form, visit.join_kernel = page.served, page.to_form, page.kernel_id
    visit.failed = f"open the team link: {page.failed}" if page.failed else ""
    print(f"  {visit.name}: served {_s(visit.served)} s, form {_s(visit.to_form)} s,"
          f" waited {page.waits} time(s) {visit.failed}", flush=True)  # fmt: skip
    return page.kernel_id


async def protocol_visits(server: tti.Server, link: str, idle: int, run: Run) -> None:
    """Single visits, then the room, by ``page_client`` instead of browsers."""
    for number in range(VISITS):
        await asyncio.to_thread(settle, server, idle)
        page = await page_client.open_page(link, SHOW_LIMIT_S)
        await page_client.close_page(link, page.kernel_id)
        run.single.append(page.to_form)
        run.single_served.append(page.served)
        print(f"  single visit {number + 1}/{VISITS}: served {_s(page.served)} s,"
              f" form {_s(page.to_form)} s {page.failed}", flush=True)  # fmt: skip
    await asyncio.to_thread(settle, server, idle)


async def protocol_room(run: Run, link: str) -> float:
    run.visits = [Visit(f"Room member {n + 1:02d}", "") for n in range(run.members)]
    opened = await asyncio.gather(
        *(protocol_member(v, n * run.within / run.members, link) for n, v in enumerate(run.visits))
    )
    await asyncio.gather(*(page_client.close_page(link, k) for k in opened))
    return time.monotonic()


async def results_and_baseline(
    browser: Any, run: Run, servers: tuple[tti.Server, tti.Server], urls: tuple[str, str]
) -> None:
    """The facilitator's results page and the baseline, interleaved, after a warm-up each."""
    ready = (
        lambda page: page.get_by_role("heading", name=f"{EXERCISE_TITLE}: team results"),
        lambda page: page.get_by_text("ready", exact=True),
    )
    for number in range(VISITS + 1):  # 0: the warm-up (first loads compile the template)
        order = (0, 1) if number % 2 else (1, 0)
        for which in order:
            await asyncio.to_thread(tti.wait_until_idle, list(servers), 30.0)
            seconds = await timed_visit(browser, urls[which], ready[which])
            name = ("results", "baseline")[which]
            label = "warm-up" if number == 0 else f"{number}/{VISITS}"
            print(f"  {name:8} {label:7} {_s(seconds)}", flush=True)
            if number:
                (run.results, run.baseline)[which].append(seconds)


# -- the store alone -----------------------------------------------------------------------


def _writer(url: str, workbook_id: str, member_id: str, saves: int, start: Any, out: Any) -> None:
    """One process saving one member's preferred mode ``saves`` times, as a page does."""
    from placekit.data.responses import Responses
    from placekit.data.store import Store
    from placekit.plugins import get_registry

    exercise = get_registry().exercises[EXERCISE]
    responses = Responses(Store(url), workbook_id, exercise, member_id)
    _ = responses.entries  # connected and read, as a page is before anyone answers
    modes = ("command", "management", "leadership")
    version, times = 0, []
    start.wait(timeout=600)
    for n in range(saves):
        began = time.perf_counter()
        data = {"preferred_mode": modes[n % 3], "confidence": 1 + n % 5}
        version = responses.save("mode", "me", data, base_version=version).version
        times.append(time.perf_counter() - began)
    out.put(times)


_WRITERS: list[Any] = []  # writer processes running, to end on Ctrl+C


def save_latencies(url: str, writers: int, saves: int) -> list[float]:
    """``writers`` processes, each a member of one new workbook, all saving at once."""
    from placekit.data.access import create_workbook, join, resolve
    from placekit.data.store import Store

    store = Store(url)
    _id, team, _facilitator = create_workbook(store, f"Store, {writers} writers")
    access = resolve(store, team)
    members = [join(store, access, f"Writer {n + 1}").id for n in range(writers)]
    spawn = mp.get_context("spawn")  # fresh interpreters: no engine shared across a fork
    start, out = spawn.Barrier(writers + 1), spawn.Queue()
    procs = [
        spawn.Process(target=_writer, args=(url, access.workbook_id, m, saves, start, out))
        for m in members
    ]
    _WRITERS.extend(procs)
    try:
        for proc in procs:
            proc.start()
        start.wait(timeout=600)  # every writer has imported, connected and read
        times = [t for _ in procs for t in out.get(timeout=600)]
        for proc in procs:
            proc.join(timeout=30)
        return times
    finally:
        for proc in procs:
            if proc.is_alive():
                proc.terminate()
            _WRITERS.remove(proc)


def store_figures(backend: str, url: str, writers: int, saves: int) -> StoreFigures:
    print(f"  store on {backend}: 1 writer, then {writers} at once", flush=True)
    figures = StoreFigures(backend, writers=writers)
    try:
        figures.one = save_latencies(url, 1, saves)
        figures.many = save_latencies(url, writers, saves)
    except Exception as problem:
        figures.note = f"{type(problem).__name__}: {problem}"
    return figures


# -- PostgreSQL ----------------------------------------------------------------------------


def postgres_cluster() -> contextlib.AbstractContextManager[Any]:
    """The throwaway PostgreSQL server of the tests (``tests/conftest.py``'s
    ``postgres_server`` fixture, its own function run outside pytest): one source for how
    it is started, as root or not. Yields an object with ``url(name)`` and ``admin()``."""
    spec = importlib.util.spec_from_file_location(
        "placekit_tests_conftest", ROOT / "tests" / "conftest.py"
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up there
    spec.loader.exec_module(module)
    return contextlib.contextmanager(module.postgres_server.__wrapped__)()


def new_database(cluster: Any, name: str) -> str:
    with cluster.admin() as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.execute(f'CREATE DATABASE "{name}"')
    return cluster.url(name)


# -- the report ----------------------------------------------------------------------------


def _s(value: float | None, digits: int = 2) -> str:
    return "-" if value is None else ("not shown" if math.isinf(value) else f"{value:.{digits}f}")


def percentile(values: list[float | None], q: float) -> float | None:
    """Nearest rank; a value missing (a page not shown) counts as endless."""
    if not values:
        return None
    ranked = sorted(math.inf if v is None else v for v in values)
    return ranked[max(0, math.ceil(q * len(ranked)) - 1)]


def median(values: list[float | None]) -> float | None:
    found = [v for v in values if v is not None]
    return statistics.median(found) if found else None


def _met(ok: bool | None) -> str:
    return "-" if ok is None else ("met" if ok else "MISSED")


def report(run: Run) -> None:
    rows: list[tuple[str, str, str, str]] = []  # figure, value, target, met

    def row(figure: str, value: str, target: str = "", ok: bool | None = None) -> None:
        rows.append((figure, value, target, _met(ok) if target else ""))

    n = run.members
    single = median(run.single)
    forms = [v.to_form for v in run.visits]
    shown = sum(t is not None for t in forms)
    if run.visits:
        row("pages shown (join form)", f"{shown} of {n}", f"{n} of {n}", shown == n)
    protocol = run.clients == "protocol"
    # In a protocol run "the form" is its widgets' states arriving: the server's part only.
    form = "widget states (server's part)" if protocol else "the form"
    limit = TARGET_P95_PLANNED if run.planned else TARGET_P95
    target = f"<= {limit}x single" + (" (planned room)" if run.planned else "")
    row(f"single visit: time to {form}, median s", _s(single))
    if run.visits:
        p50, p95 = percentile(forms, 0.5), percentile(forms, 0.95)
        ratio = p95 / single if p95 is not None and single else None
        row(f"room: time to {form}, median s", _s(p50))
        row(f"room: time to {form}, p95 s (x single)", f"{_s(p95)} ({_s(ratio)}x)",
            "" if protocol else target, ratio is not None and ratio <= limit)  # fmt: skip
        served = [v.served for v in run.visits]
        single_served = median(run.single_served)
        s95 = percentile(served, 0.95)
        row("single visit: page served (HTML's last byte), median s", _s(single_served))
        row("room: page served, median / p95 s",
            f"{_s(percentile(served, 0.5))} / {_s(s95)}")  # fmt: skip
        device = median(run.browser_single) if protocol else None
        if device is not None and single is not None and p95 is not None:
            # A member's own device draws their page: on a single visit, a browser's time to
            # the form less the server's part. In the room they wait for the server's part
            # as the room found it, then that.
            own = p95 + (device - single)
            row("single visit in a browser: time to the form, median s", _s(device))
            row("room on members' own devices: server's p95 + browser's own part, s (x single)",
                f"{own:.2f} ({own / device:.2f}x)", target, own / device <= limit)  # fmt: skip
        exercise = [v.to_exercise for v in run.visits if v.to_form is not None]
        if not protocol:
            row("room: exercise page after the link, median / p95 s",
                f"{_s(percentile(exercise, 0.5))} / {_s(percentile(exercise, 0.95))}")  # fmt: skip
    if run.pool is not None:
        row("kernels before the room (pool)", str(run.pool))
    if run.kernels_started is not None and protocol:
        row("kernels started during the room (pool excluded)", str(run.kernels_started))
    elif run.kernels_started is not None:
        loads = sum(v.loads for v in run.visits)
        row("page loads by the room (2 per member) / kernels started",
            f"{loads} / {run.kernels_started}")  # fmt: skip
    if run.cpu and run.room_seconds:
        row(f"CPU s in the room: server and kernels / browser (of {os.cpu_count()} x"
            f" {run.room_seconds:.0f})",
            f"{run.cpu['server']:.0f} / {run.cpu['browser']:.0f}")  # fmt: skip
    if run.peak_kernels is not None and run.pool is not None:
        row("peak kernels", str(run.peak_kernels), f"<= N + pool = {n + run.pool}",
            run.peak_kernels <= n + run.pool)  # fmt: skip
    if run.peak_rss is not None:
        per = run.peak_rss / run.peak_kernels / tti.MIB if run.peak_kernels else 0
        row("peak kernel memory, MiB RSS (per kernel)", f"{run.peak_rss / tti.MIB:.0f} ({per:.0f})")
    if run.left_30 is not None:
        row("kernels left 30 s after the tabs closed", str(run.left_30))
    if run.left_60 is not None and run.pool is not None:
        row("kernels left 60 s after the tabs closed", str(run.left_60),
            f"<= pool ({run.pool})", run.left_60 <= run.pool)  # fmt: skip
    if run.join_kernel_gone:
        gone = run.join_kernel_gone
        row("join page's kernel gone after its link was pressed, median / max s",
            f"{_s(median(list(gone)))} / {_s(max(gone))}")  # fmt: skip
    if run.visits and not protocol:
        saves = [v.save for v in run.visits if v.save is not None]
        row(f"save latency p50 / p95 s ({run.db}, {len(saves)} saves)",
            f"{_s(percentile(saves, 0.5))} / {_s(percentile(saves, 0.95))}")  # fmt: skip
        row('saves confirmed ("Saved at" shown)', f"{len(saves)} of {n}")
    if run.stored:
        lost = [
            v.name for v in run.visits if v.save is not None and run.stored.get(v.name) != v.mode
        ]
        row("saves lost", str(len(lost)), "0", not lost)
        unconfirmed = sum(v.save is None and run.stored.get(v.name) == v.mode for v in run.visits)
        if unconfirmed:
            row("stored, but the page never said so", str(unconfirmed))
    if run.results or run.baseline:
        res, base = median(run.results), median(run.baseline)
        ratio = res / base if res and base else None
        row("facilitator results page, median s", _s(res))
        row("baseline notebook, median s", _s(base))
        row("results page / baseline", _s(ratio), f"<= {TARGET_RESULTS}x",
            ratio is not None and ratio <= TARGET_RESULTS)  # fmt: skip
    for figures in run.store:
        one, many = figures.one, figures.many
        if figures.note:
            row(f"store on {figures.backend}", figures.note)
            continue
        p95_one, p95_many = percentile(one, 0.95), percentile(many, 0.95)
        row(f"store {figures.backend}, 1 writer: p50 / p95 ms",
            f"{_ms(percentile(one, 0.5))} / {_ms(p95_one)}")  # fmt: skip
        row(f"store {figures.backend}, {figures.writers} writers: p50 / p95 ms",
            f"{_ms(percentile(many, 0.5))} / {_ms(p95_many)}"
            + (f" ({p95_many / p95_one:.0f}x)" if p95_one and p95_many else ""))  # fmt: skip

    print()
    args = " ".join(run.serve_args) or "none"
    print(f"Room of {n} within {run.within:g} s on one placekit serve: {run.db},"
          f" serve args: {args}")  # fmt: skip
    width = max(len(r[0]) for r in rows) if rows else 10
    value_w = max((len(r[1]) for r in rows), default=5)
    print(f"{'figure':{width}}  {'value':>{value_w}}  {'target':24} met")
    print("-" * (width + value_w + 34))
    for figure, value, target, met in rows:
        print(f"{figure:{width}}  {value:>{value_w}}  {target:24} {met}".rstrip())
    failures = Counter(f"{v.failed} (status: {v.status or '-'})" for v in run.visits if v.failed)
    for what, count in failures.most_common():
        print(f"  {count} member(s) stopped at {what}")
    for page in run.left_pages:
        if page != NOT_THE_ROOMS:
            print(f"  kernel left at 60 s: {page}")
    if pooled := run.left_pages.count(NOT_THE_ROOMS):
        print(f"  kernels left at 60 s that served no page of the room (the pools): {pooled}")
    if run.log_notes:
        print("  server log:")
        print("\n".join(f"    {note}" for note in run.log_notes))
    load = ", ".join(f"{x:.1f}" for x in run.load_before)
    who = (
        "page_client members"
        if run.clients == "protocol"
        else (f"browsers at niceness {run.browser_nice}")
    )
    print(f"{os.cpu_count()} CPUs, load average before the room {load}, {who},"
          f" {time.strftime('%Y-%m-%d %H:%M')}.")  # fmt: skip


def _ms(value: float | None) -> str:
    return "-" if value is None else f"{value * 1000:.1f}"


# -- running -------------------------------------------------------------------------------

_STATE: dict[str, Any] = {}  # what the signal handler needs to clean up and report


def _cleanup() -> None:
    for proc in list(_WRITERS):
        with contextlib.suppress(Exception):
            proc.terminate()
    tti._stop_all()
    cluster = _STATE.pop("cluster", None)
    if cluster is not None:
        with contextlib.suppress(BaseException):
            cluster.__exit__(None, None, None)
    work = _STATE.pop("work", None)
    if work is not None:
        if _STATE.get("keep"):
            print(f"Kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)


def _on_signal(signum: int, _frame: Any) -> None:
    """Ctrl+C or SIGTERM: stop what we started, report what we have, leave (as in
    voila_tti: an exception raised inside Playwright's API can hang it)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    print("\nInterrupted: stopping servers.", file=sys.stderr, flush=True)
    _cleanup()
    run = _STATE.get("run")
    if run is not None:
        with contextlib.suppress(Exception):
            report(run)
    sys.stdout.flush()
    os._exit(128 + signum)


@contextlib.contextmanager
def watching(server: tti.Server) -> Iterator[KernelWatch]:
    watch = KernelWatch(server)
    watch.start()
    try:
        yield watch
    finally:
        watch.done.set()
        watch.join(timeout=5)


def lower_browsers(niceness: int) -> int:
    """Give this run's Chromium processes ``niceness``: members' browsers run on their own
    devices, but here thirty share the server's two cores, so at 0 they take the CPU the
    server's kernels would have. Pages a browser opens later inherit it (Linux keeps a
    parent's niceness across fork). Returns how many processes were changed."""
    changed = 0
    for process in psutil.Process().children(recursive=True):
        with contextlib.suppress(psutil.Error):
            if "chrom" in process.name():
                process.nice(niceness)
                changed += 1
    return changed


async def pool_filled(server: tti.Server, timeout: float) -> None:
    """Wait until the server is idle and its kernel count has stopped growing: a planned
    room's pools (two pages' worth) fill a few kernels at a time, quiet between starts."""
    began = time.monotonic()
    before = -1
    while time.monotonic() - began < timeout:
        await asyncio.to_thread(tti.wait_until_idle, [server], 45.0)
        now = len(kernels(server))
        if now == before:
            break
        before = now
        await asyncio.sleep(5.0)
    print(f"  {before} kernel(s) after {time.monotonic() - began:.0f} s", flush=True)


async def refilled(server: tti.Server, idle: int, timeout: float) -> None:
    """Wait for a planned room's pools to hold ``idle`` kernels again (Voila refills a
    taken kernel after ``fill_delay``, 60 s) and the server to be idle."""
    began = time.monotonic()
    while len(kernels(server)) < idle and time.monotonic() - began < timeout:
        await asyncio.sleep(1.0)
    await asyncio.to_thread(tti.wait_until_idle, [server], 45.0)
    print(f"  pools refilled to {len(kernels(server))} after {time.monotonic() - began:.0f} s")


async def browse(
    run: Run, server: tti.Server, workbook: Any, db: str, skip_results: bool, nice: int
) -> None:
    """Single visits, the room, and (unless skipped) the results against the baseline."""
    from playwright.async_api import async_playwright

    if run.clients == "protocol":
        # A browser's single visits first, for its own part of a visit (drawing the page):
        # a member's device does that part whatever the room, so it is added to the
        # server's part measured below.
        async with async_playwright() as pw:
            browser = await pw.chromium.launch(executable_path=tti.CHROMIUM)
            try:
                await pool_filled(server, 600.0 if run.planned else 45.0)
                full = len(kernels(server))
                probe = Run(1, 0.0, run.db, run.serve_args)
                print("Single visit in a browser", flush=True)
                await single_visits(browser, server, workbook.team_link, full, probe)
                run.browser_single = probe.single
                if run.planned:
                    await refilled(server, full, 300.0)
            finally:
                await browser.close()
        await measure(run, server, workbook, db, protocol_visits, protocol_room)
        return

    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=tti.CHROMIUM)
        if nice:
            print(f"Browsers at niceness {nice} ({lower_browsers(nice)} processes)", flush=True)
        try:
            await measure(
                run,
                server,
                workbook,
                db,
                functools.partial(single_visits, browser),
                functools.partial(the_room, browser),
            )
            if not skip_results:
                await compare_results(browser, run, server, workbook, db)
        finally:
            await browser.close()


async def measure(
    run: Run,
    server: tti.Server,
    workbook: Any,
    db: str,
    visits: Callable[..., Any],
    room: Callable[..., Any],
) -> None:
    """Single visits (``visits``), then the room (``room``), watching the server's kernels
    until 60 s after the room's pages have closed."""
    await pool_filled(server, 600.0 if run.planned else 45.0)
    idle = len(kernels(server))
    print(f"Single visit ({idle} kernel(s) on the idle server)", flush=True)
    await visits(server, workbook.team_link, idle, run)
    if run.planned:  # the single visits took kernels from the pool: the room gets a full one
        await refilled(server, idle, 300.0)
    run.pool = len(kernels(server))
    run.load_before = os.getloadavg()
    print(f"The room: {run.members} members within {run.within:g} s", flush=True)
    with watching(server) as watch:
        began = time.monotonic()
        closed = await room(run, workbook.team_link)
        run.room_seconds = closed - began
        run.peak_kernels, run.peak_rss = watch.peaks(began, closed)
        run.kernels_started = len(watch.seen) - (run.pool or 0)
        run.cpu = {side: watch.cpu_seconds(side) for side in ("server", "browser")}
        print(f"  all pages closed after {run.room_seconds:.0f} s", flush=True)
        if run.clients == "browser":
            run.stored = stored_modes(db, workbook.team_code)
        for mark in (30, 60):
            await asyncio.sleep(max(0.0, closed + mark - time.monotonic()))
            left = kernels(server)
            print(f"  {mark} s after: {len(left)} kernel(s)", flush=True)
            if mark == 30:
                run.left_30 = len(left)
            else:
                run.left_60 = len(left)
                run.left_pages = whose(run.visits, [kernel_id(p) for p in left])
        run.join_kernel_gone = [
            watch.seen[v.join_kernel][1] - v.left_join
            for v in run.visits
            if v.left_join is not None and v.join_kernel in watch.seen
        ]


def whose(visits: list[Visit], kernel_ids: list[str | None]) -> list[str]:
    """Which member's page each kernel served: "Room member 03, join page"."""
    pages = {v.join_kernel: f"{v.name}, join page" for v in visits}
    pages |= {v.exercise_kernel: f"{v.name}, exercise page" for v in visits}
    return [pages.get(k, NOT_THE_ROOMS) for k in kernel_ids]


async def compare_results(
    browser: Any, run: Run, server: tti.Server, workbook: Any, db: str
) -> None:
    work: Path = _STATE["work"]
    tti.write_baseline(work / "baseline")
    # The baseline gets what PlaceKit gets: a kernel ready when PlaceKit has prepared some.
    preheat = "--preheat" in run.serve_args or run.planned
    env = tti.placekit_env(base_env(db))
    baseline = tti.Server(
        "baseline", tti.server_argv(preheat, work / "baseline"), env, work / "baseline.log"
    )
    tti._RUNNING.append(baseline)
    baseline.wait_for_port()
    parts = urlparse(workbook.team_link)
    query = urlencode({"code": workbook.facilitator_code, "exercise": EXERCISE})
    results_url = f"{parts.scheme}://{parts.netloc}/voila/render/exercise.ipynb?{query}"
    print(f"Facilitator results ({len(run.stored)} members) against the baseline", flush=True)
    await results_and_baseline(
        browser,
        run,
        (server, baseline),
        (results_url, f"{baseline.url}/voila/render/baseline.ipynb"),
    )


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if "--live" in argv:  # the live session's room: its own script beside this one
        import live_room  # lazy: only the live run needs it

        return live_room.main([a for a in argv if a != "--live"])
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--members", type=int, default=30, help="browser members (30)")
    parser.add_argument("--within", type=float, default=10.0, help="seconds they arrive in")
    parser.add_argument("--db", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--serve-args", default="", help='passed to placekit serve: "--room 30"')
    parser.add_argument("--writers", type=int, default=50, help="store writers at once (50)")
    parser.add_argument("--saves", type=int, default=10, help="saves per store writer (10)")
    parser.add_argument("--skip-store", action="store_true", help="no store-level figures")
    parser.add_argument("--skip-results", action="store_true", help="no results page")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    parser.add_argument(
        "--clients",
        choices=("browser", "protocol"),
        default="browser",
        help="members as Chromium pages (join, answer, save), or as page_client visits of the "
        "join page (the server's part of a visit alone; no drawing, no answers)",
    )
    parser.add_argument(
        "--browser-nice",
        type=int,
        default=0,
        help="niceness of the members' browsers (0: they compete with the server, which "
        "overstates every delay; 19: the server first, but then pages it has served wait "
        "minutes to be drawn while kernels start, as measured in bench/README.md)",
    )
    args = parser.parse_args(argv)
    if args.members < 1 or args.within < 0 or args.writers < 1 or args.saves < 1:
        parser.error("--members, --writers and --saves must be at least 1, --within >= 0")

    work = Path(tempfile.mkdtemp(prefix="placekit-room-"))
    run = Run(
        args.members,
        args.within,
        args.db,
        shlex.split(args.serve_args),
        args.browser_nice,
        args.clients,
    )
    _STATE.update(work=work, keep=args.keep, run=run)
    signal.signal(signal.SIGINT, _on_signal)
    signal.signal(signal.SIGTERM, _on_signal)
    print(f"Working folder: {work}", flush=True)
    try:
        cluster = None
        if args.db == "postgres" or not args.skip_store:
            manager = postgres_cluster()
            try:
                cluster = manager.__enter__()
                _STATE["cluster"] = manager
            except BaseException as problem:  # pytest.fail's Failed is a BaseException
                print(f"No PostgreSQL: {problem}", flush=True)
                if args.db == "postgres":
                    return 0
        db = (
            new_database(cluster, "placekit_room")
            if args.db == "postgres"
            else str(work / "placekit.db")
        )
        os.environ["PLACEKIT_DB"] = db  # this process's own reads and writes, too
        env = base_env(db)
        server = start_serve(work, env, run.serve_args)
        workbook = new_workbook(env, f"Room of {args.members}")
        seed_issues(db, workbook.team_code)
        print(f"placekit serve at {server.url}; team link {workbook.team_link}", flush=True)
        asyncio.run(browse(run, server, workbook, db, args.skip_results, run.browser_nice))
        run.log_notes = log_notes(server.log)
        tti._stop_all()  # servers and kernels off before the store's own figures
        if not args.skip_store:
            print("Store save latency", flush=True)
            run.store.append(store_figures("SQLite", str(work / "store.db"), args.writers,
                                           args.saves))  # fmt: skip
            if cluster is not None:
                url = new_database(cluster, "placekit_store")
                run.store.append(store_figures("PostgreSQL", url, args.writers, args.saves))
        report(run)
    finally:
        _cleanup()
    return 0


if __name__ == "__main__":
    sys.exit(main())
