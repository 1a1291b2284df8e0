"""Time to interactive and kernel memory of PlaceKit's Voila pages, against Voila's own baseline.

Run:  .venv/bin/python bench/voila_tti.py [--runs 5] [--modes cold,preheat]

For each mode (cold kernels, then preheated kernels) this starts two Voila servers with the
flags PlaceKit uses (``placekit.web.serve.voila_command``): one on a baseline folder holding an
empty notebook that imports pandas and ipywidgets and shows one widget, one on PlaceKit's
workbooks with a fresh temporary database. Real Chromium (Playwright) then loads, in turn:

* baseline   ``/voila/render/baseline.ipynb``                 until "ready" is visible
* triage     ``/voila/render/exercise.ipynb?code=…&exercise=triage&me=…``
                                                              until "Step 1 of 9" is visible
* index      ``/voila/render/index.ipynb?code=…&me=…``        until "Your workbook" is visible

Each load gets a fresh browser context and is timed from ``page.goto`` to the text being
visible. The pages are interleaved (the order rotates every run) so machine noise hits the
baseline and PlaceKit alike, and before every load the script waits until the servers and
their kernels are idle (a preheated pool refills after each load). While each page is open,
the RSS of the kernel serving it (found through the page's ``kernelId`` among the Voila
server's child processes) is read. One unmeasured warm-up load of every page comes first.

It prints medians and ratios to the baseline of the same mode; the target is a ratio of at
most 1.3 for a cold load. It reports and never asserts: the exit status is 0 whether or not
the target is met. All servers and kernels it started are stopped on exit, Ctrl+C included.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import psutil

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run from a checkout without installing it

from placekit.testing import free_port  # noqa: E402  (from the checkout, just put on the path)

CHROMIUM = "/usr/bin/chromium"
TARGET_RATIO = 1.3
LOAD_TIMEOUT_S = 60.0
MIB = 1024 * 1024

BASELINE_SOURCE = "import pandas as pd\nimport ipywidgets as widgets\n\nwidgets.HTML('ready')"


@dataclass
class Target:
    name: str  # baseline | triage | index
    server: str  # which server serves it
    path: str  # URL path and query
    text: str  # what must be visible
    exact: bool = False


@dataclass
class Sample:
    seconds: float | None  # None: the text never became visible
    rss: float | None  # bytes, kernel process tree
    note: str = ""


@dataclass
class Results:
    samples: dict[tuple[str, str], list[Sample]] = field(default_factory=dict)
    warmup: dict[tuple[str, str], Sample] = field(default_factory=dict)
    busy_waits: int = 0  # times the machine did not go idle before a load


# -- servers -------------------------------------------------------------------------------


class Server:
    """A Voila server we started; stopping it also stops every kernel it started."""

    def __init__(self, name: str, argv: list[str], env: dict[str, str], log: Path) -> None:
        self.name = name
        self.port = int(next(a for a in argv if a.startswith("--port=")).split("=", 1)[1])
        self._log = log.open("wb")
        self.popen = subprocess.Popen(
            argv,
            env=env,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # Ctrl+C reaches the benchmark, which then stops us
        )
        self.proc = psutil.Process(self.popen.pid)
        self.known: dict[int, psutil.Process] = {}  # every descendant seen, to stop on exit
        self.log = log

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def tree(self) -> list[psutil.Process]:
        try:
            children = self.proc.children(recursive=True)
        except psutil.NoSuchProcess:
            children = []
        for child in children:
            self.known.setdefault(child.pid, child)
        return [self.proc, *children]

    def wait_for_port(self, timeout: float = 60.0) -> None:
        """A TCP connect, never a GET: a GET would start a kernel."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.popen.poll() is not None:
                raise RuntimeError(f"{self.name} server exited; see {self.log}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                    return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError(f"{self.name} server did not open port {self.port}; see {self.log}")

    def kernel_tree(self, kernel_id: str) -> list[psutil.Process]:
        for proc in self.tree()[1:]:
            try:
                if any(kernel_id in arg for arg in proc.cmdline()):
                    return [proc, *proc.children(recursive=True)]
            except psutil.Error:
                continue
        return []

    def stop(self) -> None:
        self.tree()
        if self.popen.poll() is None:
            self.popen.terminate()
            try:
                self.popen.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.popen.kill()
                self.popen.wait(timeout=5)
        # Kernels run in their own sessions: end those this server started, by process.
        leftovers = []
        for proc in self.known.values():
            try:
                if proc.is_running():
                    proc.terminate()
                    leftovers.append(proc)
            except psutil.Error:
                pass
        _gone, alive = psutil.wait_procs(leftovers, timeout=5)
        for proc in alive:
            try:
                proc.kill()
            except psutil.Error:
                pass
        self._log.close()


def server_argv(preheat: bool, folder: Path | None) -> list[str]:
    """PlaceKit's own server command; with ``folder``, the same flags on another folder.
    Preheated: one kernel kept ready per notebook."""
    from placekit.web.capacity import default_max_kernels, plan_room
    from placekit.web.serve import voila_command

    plan = plan_room(1 if preheat else 0, default_max_kernels(), pages=1)
    return voila_command(free_port(), plan=plan, notebooks=folder)


def placekit_env(env: dict[str, str]) -> dict[str, str]:
    """The environment ``placekit serve`` gives Voila (its template on JUPYTER_PATH)."""
    from placekit.web import serve

    voila_env = getattr(serve, "voila_env", None)
    return voila_env(env) if voila_env else env


def wait_until_idle(servers: list[Server], timeout: float = 45.0) -> bool:
    """Wait until our servers and kernels use under 5% of a core, and the whole machine under
    20%, for two half-second samples in a row (a preheated pool refills after every load)."""
    deadline = time.monotonic() + timeout
    quiet = 0
    while time.monotonic() < deadline:
        procs = [p for s in servers for p in s.tree()]
        for proc in procs:
            try:
                proc.cpu_percent(None)
            except psutil.Error:
                pass
        psutil.cpu_percent(None)
        time.sleep(0.5)
        machine = psutil.cpu_percent(None)
        busy = 0.0
        for proc in procs:
            try:
                busy += proc.cpu_percent(None)
            except psutil.Error:
                pass
        quiet = quiet + 1 if busy < 5.0 and machine < 20.0 else 0
        if quiet >= 2:
            return True
    return False


# -- the workbook and the pages ------------------------------------------------------------


def write_baseline(folder: Path) -> None:
    folder.mkdir(parents=True)
    notebook = {
        "cells": [
            {
                "cell_type": "code",
                "execution_count": None,
                "id": "page",
                "metadata": {},
                "outputs": [],
                "source": BASELINE_SOURCE,
            }
        ],
        "metadata": {
            "kernelspec": {
                "display_name": "Python 3 (ipykernel)",
                "language": "python",
                "name": "python3",
            },
            "language_info": {"name": "python"},
        },
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    (folder / "baseline.ipynb").write_text(json.dumps(notebook, indent=1))


def make_workbook() -> tuple[str, str]:
    """A workbook in ``PLACEKIT_DB`` with one member who has joined: (team code, token)."""
    from placekit.data.access import create_workbook, join, resolve
    from placekit.data.store import Store

    store = Store()
    _id, team, _facilitator = create_workbook(store, "Benchmark place team")
    member = join(store, resolve(store, team), "Bench Member")
    return team, member.token


def targets(team: str, token: str) -> list[Target]:
    exercise = urlencode({"code": team, "exercise": "triage", "me": token})
    index = urlencode({"code": team, "me": token})
    return [
        Target("baseline", "baseline", "/voila/render/baseline.ipynb", "ready", exact=True),
        Target("triage", "placekit", f"/voila/render/exercise.ipynb?{exercise}", "Step 1 of 9"),
        Target("index", "placekit", f"/voila/render/index.ipynb?{index}", "Your workbook"),
    ]


def kernel_id_of(page: Any) -> str | None:
    try:
        return page.evaluate(
            "() => JSON.parse(document.getElementById('jupyter-config-data').textContent).kernelId"
        )
    except Exception:
        return None


def load(browser: Any, server: Server, target: Target) -> Sample:
    context = browser.new_context()
    try:
        page = context.new_page()
        start = time.perf_counter()
        try:
            page.goto(server.url + target.path, wait_until="commit", timeout=LOAD_TIMEOUT_S * 1000)
            page.get_by_text(target.text, exact=target.exact).first.wait_for(
                state="visible", timeout=LOAD_TIMEOUT_S * 1000
            )
        except Exception as problem:  # a hang or an error page: record it, do not retry
            try:
                shown = " ".join(page.inner_text("body", timeout=2000).split())[:120]
            except Exception:
                shown = "?"
            return Sample(None, None, f"{type(problem).__name__}; page shows: {shown}")
        seconds = time.perf_counter() - start
        rss = None
        kernel_id = kernel_id_of(page)
        if kernel_id:
            total = 0
            for proc in server.kernel_tree(kernel_id):
                try:
                    total += proc.memory_info().rss
                except psutil.Error:
                    pass
            rss = float(total) or None
        return Sample(seconds, rss, "" if rss else "kernel process not found")
    finally:
        context.close()


# -- running -------------------------------------------------------------------------------


def run_mode(
    mode: str, runs: int, work: Path, env: dict[str, str], pages: list[Target], results: Results
) -> None:
    from playwright.sync_api import sync_playwright

    preheat = mode == "preheat"
    servers = {
        "baseline": Server(
            f"baseline-{mode}",
            server_argv(preheat, work / "baseline"),
            env,
            work / f"voila-baseline-{mode}.log",
        ),
        "placekit": Server(
            f"placekit-{mode}", server_argv(preheat, None), env, work / f"voila-placekit-{mode}.log"
        ),
    }
    _RUNNING.extend(servers.values())
    try:
        for server in servers.values():
            server.wait_for_port()
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM)
            try:
                for index in range(runs + 1):  # index 0 is the warm-up
                    order = pages[index % len(pages) :] + pages[: index % len(pages)]
                    for target in order:
                        if not wait_until_idle(list(servers.values())):
                            results.busy_waits += 1
                        sample = load(browser, servers[target.server], target)
                        key = (target.name, mode)
                        label = "warm-up" if index == 0 else f"run {index}/{runs}"
                        shown = f"{sample.seconds:.2f} s" if sample.seconds else "FAILED"
                        mem = f"{sample.rss / MIB:.0f} MiB" if sample.rss else "-"
                        print(
                            f"  {mode:7} {label:9} {target.name:8} {shown:>8}  {mem:>8}"
                            f"  {sample.note}",
                            flush=True,
                        )
                        if index == 0:
                            results.warmup[key] = sample
                        else:
                            results.samples.setdefault(key, []).append(sample)
            finally:
                browser.close()
    finally:
        for server in servers.values():
            server.stop()
            _RUNNING.remove(server)


def _median(values: list[float]) -> float | None:
    return statistics.median(values) if values else None


def report(results: Results, modes: list[str], pages: list[Target], runs: int) -> None:
    print()
    header = (
        f"{'page':9} {'mode':8} {'median s':>9} {'min-max s':>11} {'ratio':>6} "
        f"{'kernel RSS MiB':>15} {'ratio':>6} {'ok':>5}"
    )
    print(header)
    print("-" * len(header))
    verdicts = []
    for mode in modes:
        base = results.samples.get(("baseline", mode), [])
        base_t = _median([s.seconds for s in base if s.seconds])
        base_m = _median([s.rss for s in base if s.rss])
        for target in pages:
            got = results.samples.get((target.name, mode), [])
            times = [s.seconds for s in got if s.seconds]
            rss = [s.rss for s in got if s.rss]
            med_t, med_m = _median(times), _median(rss)
            spread = f"{min(times):.2f}-{max(times):.2f}" if times else "-"
            ratio_t = f"{med_t / base_t:.2f}" if med_t and base_t else "-"
            ratio_m = f"{med_m / base_m:.2f}" if med_m and base_m else "-"
            print(
                f"{target.name:9} {mode:8} {(f'{med_t:.2f}' if med_t else '-'):>9} {spread:>11} "
                f"{ratio_t:>6} {(f'{med_m / MIB:.0f}' if med_m else '-'):>15} {ratio_m:>6} "
                f"{len(times):>2}/{len(got):<2}"
            )
            if mode == "cold" and target.name != "baseline" and med_t and base_t:
                ratio = med_t / base_t
                met = "met" if ratio <= TARGET_RATIO else "MISSED"
                verdicts.append(
                    f"  {target.name}: cold ratio {ratio:.2f} -> target <= {TARGET_RATIO} {met}"
                )
    print()
    print(f"Target: a cold PlaceKit page within {TARGET_RATIO}x the baseline's time to widget.")
    print("\n".join(verdicts) or "  (no cold figures to judge)")
    failed = [
        (key, s.note)
        for key, samples in results.samples.items()
        for s in samples
        if s.seconds is None
    ]
    for (name, mode), note in failed:
        print(f"  failed load: {name} {mode}: {note}")
    if results.busy_waits:
        print(f"  note: {results.busy_waits} load(s) started before the machine went idle")
    print(
        f"Median of {runs} runs per page and mode, fresh browser context per load, "
        f"{os.cpu_count()} CPUs, {time.strftime('%Y-%m-%d')}."
    )


_RUNNING: list[Server] = []
_STATE: dict[str, Any] = {}  # what the signal handler needs to clean up and report


def _stop_all() -> None:
    for server in list(_RUNNING):
        try:
            server.stop()
        except Exception:
            pass
    _RUNNING.clear()


def _on_signal(signum: int, _frame: Any) -> None:
    """Ctrl+C or SIGTERM: stop our servers and kernels, report what we have, and leave.

    Raising KeyboardInterrupt inside Playwright's synchronous API can hang it, so this does
    the cleanup itself and ends the process; Playwright's driver and Chromium exit when
    their pipe to us closes.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    print("\nInterrupted: stopping servers.", file=sys.stderr, flush=True)
    _stop_all()
    results = _STATE.get("results")
    if results is not None and results.samples:
        report(results, _STATE["modes"], _STATE["pages"], _STATE["runs"])
    work = _STATE.get("work")
    if work is not None and not _STATE.get("keep"):
        shutil.rmtree(work, ignore_errors=True)
    sys.stdout.flush()
    os._exit(128 + signum)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5, help="measured loads per page and mode")
    parser.add_argument(
        "--modes", default="cold,preheat", help="comma-separated: cold, preheat (default both)"
    )
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    args = parser.parse_args(argv)
    modes = [m.strip() for m in args.modes.split(",") if m.strip()]
    if not modes or set(modes) - {"cold", "preheat"}:
        parser.error("--modes takes cold and/or preheat")
    if args.runs < 1:
        parser.error("--runs must be at least 1")

    work = Path(tempfile.mkdtemp(prefix="placekit-bench-"))
    results = Results()
    _STATE.update(work=work, keep=args.keep, results=results, modes=modes, runs=args.runs)
    signal.signal(signal.SIGINT, _on_signal)
    signal.signal(signal.SIGTERM, _on_signal)
    env = dict(os.environ)
    env["PLACEKIT_DB"] = str(work / "placekit.db")  # absolute: kernels run in another folder
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    env = placekit_env(env)
    os.environ["PLACEKIT_DB"] = env["PLACEKIT_DB"]
    try:
        write_baseline(work / "baseline")
        team, token = make_workbook()
        pages = targets(team, token)
        _STATE["pages"] = pages
        print(f"Working folder: {work}")
        for mode in modes:
            print(f"Mode {mode}: starting servers", flush=True)
            run_mode(mode, args.runs, work, env, pages, results)
        report(results, modes, pages, args.runs)
    finally:
        _stop_all()
        if args.keep:
            print(f"Kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
