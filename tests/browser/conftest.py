"""Real-browser test fixtures: a real ``placekit serve`` and Debian's Chromium.

One server is started for the whole session (``placekit_server``) on a free port with its
own SQLite file. ``make_workbook`` creates workbooks through the real ``placekit new``.
Nothing here talks to the server over HTTP before a browser does: waiting for the port is a
TCP connect, because every GET of a Voila page starts a kernel.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import psutil
import pytest
from playwright.sync_api import Page, expect

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = "/usr/bin/chromium"
PLACEKIT = Path(sys.executable).with_name("placekit")  # the venv's console script

SERVER_START_TIMEOUT = 90  # seconds until the port answers
# A page is interactive ~3-5 s after loading and a widget round trip is well under a
# second, but a 2-core machine under load can take far longer: wait generously.
EXPECT_TIMEOUT = 20_000  # ms

expect.set_options(timeout=EXPECT_TIMEOUT)
LINK = re.compile(r"^\s*(Team|Facilitator) link[^:]*:\s*(\S+)\s*$")


@dataclass(frozen=True)
class Workbook:
    title: str
    team_link: str
    facilitator_link: str

    @property
    def team_code(self) -> str:
        return code_of(self.team_link)

    @property
    def facilitator_code(self) -> str:
        return code_of(self.facilitator_link)


@dataclass(frozen=True)
class Server:
    base_url: str
    db: Path
    log: Path
    demo: Workbook

    def env(self) -> dict[str, str]:
        return os.environ | {"PLACEKIT_DB": str(self.db), "PLACEKIT_BASE_URL": self.base_url}

    def url(self, page: str, **query: str) -> str:
        from urllib.parse import urlencode

        return f"{self.base_url}/voila/render/{page}.ipynb?{urlencode(query)}"

    def log_tail(self, lines: int = 60) -> str:
        text = self.log.read_text(errors="replace") if self.log.exists() else ""
        return "\n".join(text.splitlines()[-lines:])


def code_of(url: str) -> str:
    return parse_qs(urlparse(url).query)["code"][0]


def parse_links(output: str) -> list[Workbook]:
    """Workbooks from the "Title / Team link / Facilitator link" blocks the CLI prints."""
    found: list[Workbook] = []
    lines = output.splitlines()
    for number, line in enumerate(lines):
        team = LINK.match(line)
        if not team or team.group(1) != "Team" or number + 1 >= len(lines):
            continue
        facilitator = LINK.match(lines[number + 1])
        if facilitator and facilitator.group(1) == "Facilitator":
            title = lines[number - 1].strip() if number else ""
            found.append(Workbook(title, team.group(2), facilitator.group(2)))
    return found


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _port_open(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1):
            return True
    except OSError:
        return False


def _stop(process: subprocess.Popen[bytes]) -> None:
    """Terminate the server and every process it started (kernels run in their own
    sessions, so a process-group signal would miss them)."""
    try:
        children = psutil.Process(process.pid).children(recursive=True)
    except psutil.NoSuchProcess:
        children = []
    process.terminate()
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=5)
    for child in children:
        try:
            child.terminate()
        except psutil.NoSuchProcess:
            pass
    _gone, alive = psutil.wait_procs(children, timeout=10)
    for child in alive:
        try:
            child.kill()
        except psutil.NoSuchProcess:
            pass


@pytest.fixture(scope="session")
def placekit_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """A real ``placekit serve`` (Voila) on a free loopback port, with a fresh database."""
    folder = tmp_path_factory.mktemp("placekit-serve")
    db, log = folder / "placekit.db", folder / "serve.log"
    port = _free_port()
    env = os.environ | {"PLACEKIT_DB": str(db)}
    env.pop("PLACEKIT_BASE_URL", None)
    with log.open("wb") as out:
        # A file, not a pipe: no one would read a pipe after start-up, and a full pipe
        # would block the server.
        process = subprocess.Popen(
            [str(PLACEKIT), "serve", "--port", str(port)],
            stdout=out,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            env=env,
            cwd=folder,
            start_new_session=True,
        )
    try:
        deadline = time.monotonic() + SERVER_START_TIMEOUT
        while not _port_open(port):
            if process.poll() is not None:
                pytest.fail(f"placekit serve exited ({process.returncode}):\n{log.read_text()}")
            if time.monotonic() > deadline:
                pytest.fail(f"placekit serve did not open port {port}:\n{log.read_text()}")
            time.sleep(0.25)
        output = log.read_text(errors="replace")
        workbooks = parse_links(output)
        assert workbooks, f"placekit serve printed no links:\n{output}"
        assert "First run: created a demo workbook" in output
        base_url = f"http://127.0.0.1:{port}"
        assert all(wb.team_link.startswith(base_url) for wb in workbooks), output
        yield Server(base_url, db, log, workbooks[0])
    finally:
        _stop(process)


@pytest.fixture(scope="session")
def make_workbook(placekit_server: Server) -> Callable[[str], Workbook]:
    """Create a workbook with the real ``placekit new``; returns its title and links."""

    def make(title: str) -> Workbook:
        done = subprocess.run(
            [str(PLACEKIT), "new", title],
            env=placekit_server.env(),
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        assert done.returncode == 0, done.stderr
        (workbook,) = parse_links(done.stdout)
        assert workbook.team_link.startswith(placekit_server.base_url), done.stdout
        assert workbook.team_code != workbook.facilitator_code
        return workbook

    return make


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict) -> dict:
    # Debian's Chromium; Playwright's own flags already make it headless and unsandboxed.
    return {**browser_type_launch_args, "executable_path": CHROMIUM}


def save_screenshot(page: Page, name: str) -> Path:
    """The whole page as test-artifacts/<name>.png.

    Voila scrolls inside ``#rendered_cells``, so a full-page screenshot alone stops at the
    window; the window is made as tall as the content for the shot, then put back.
    """
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    size = page.viewport_size or {"width": 1280, "height": 720}
    height = page.evaluate(
        """() => {
          const cells = document.querySelector('#rendered_cells');
          const hidden = cells ? cells.scrollHeight - cells.clientHeight : 0;
          return document.documentElement.scrollHeight + Math.max(hidden, 0);
        }"""
    )
    page.set_viewport_size({"width": size["width"], "height": min(max(height, 400), 10000)})
    try:
        page.wait_for_timeout(300)  # let the layout settle at the new size
        page.screenshot(path=path, full_page=True)
    finally:
        page.set_viewport_size(size)
    return path


@pytest.fixture
def screenshot() -> Callable[[Page, str], Path]:
    return save_screenshot
