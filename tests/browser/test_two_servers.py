"""Two ``placekit serve`` on one PostgreSQL database behind nginx, configured by the file
docs/deploy.md gives (docs/deploy/nginx-two-servers.conf): members on either server save
into the same workbook at the same time and every save is kept; a member whose server goes
down reloads onto the other and resumes exactly where they were."""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from placekit.data.access import resolve
from placekit.data.responses import Responses
from placekit.data.store import Store
from placekit.plugins import get_registry
from placekit.testing import free_port, join_team, parse_links, placekit_command, running_server

pytestmark = pytest.mark.browser
ROOT = Path(__file__).resolve().parents[2]
SITE = ROOT / "docs" / "deploy" / "nginx-two-servers.conf"
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
PAGE_LOAD = 60_000
TRIAGE = "Wicked, tame or critical?"


@contextmanager
def nginx(listen: int, a: int, b: int) -> Iterator[Path]:
    """nginx running the documented site, its ports changed to ``listen``, ``a`` and ``b``;
    yields its folder (``access.log``: each request's status, the servers tried, its path)."""
    assert os.access(NGINX, os.X_OK), "nginx is missing: run `make proxy-deps`"
    site = SITE.read_text()
    for documented, ours in (("8080", listen), ("8866", a), ("8867", b)):
        assert documented in site
        site = site.replace(documented, str(ours))
    # Not pytest's tmp_path: as root, nginx's workers run as nobody and must reach it.
    folder = Path(tempfile.mkdtemp(prefix="placekit-nginx-"))
    folder.chmod(0o755)
    for temp in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
        (folder / temp).mkdir(mode=0o777)
        (folder / temp).chmod(0o777)
    (folder / "site.conf").write_text(site)
    (folder / "nginx.conf").write_text(
        f"""daemon off;
worker_processes 1;
pid {folder}/nginx.pid;
error_log {folder}/error.log;
events {{}}
http {{
    log_format upstream '$status|$upstream_addr|$request_uri';
    access_log {folder}/access.log upstream;
    client_body_temp_path {folder}/body;
    proxy_temp_path {folder}/proxy;
    fastcgi_temp_path {folder}/fastcgi;
    uwsgi_temp_path {folder}/uwsgi;
    scgi_temp_path {folder}/scgi;
    include {folder}/site.conf;
}}
"""
    )
    process = subprocess.Popen(
        [NGINX, "-p", str(folder), "-c", str(folder / "nginx.conf")],
        stdout=subprocess.DEVNULL,
        stderr=(folder / "stderr.log").open("wb"),
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                socket.create_connection(("127.0.0.1", listen), 1).close()
                break
            except OSError:
                assert process.poll() is None, (folder / "stderr.log").read_text()
                assert time.monotonic() < deadline, "nginx did not listen"
                time.sleep(0.2)
        yield folder
    finally:
        process.terminate()
        process.wait(timeout=15)
        shutil.rmtree(folder, ignore_errors=True)


def pinned(context: BrowserContext, proxy: str, server: str) -> BrowserContext:
    """A browser the proxy has already sent to ``server`` (``placekit_a`` or ``_b``)."""
    context.add_cookies([{"name": "pk_server", "value": server, "url": proxy}])
    return context


def requests(front: Path) -> list[str]:
    return (front / "access.log").read_text().splitlines()


def answered_by(line: str) -> int:
    """The port of the server that answered a request nginx logged (the last one tried:
    a server that is down is tried first, refuses, and is listed before it)."""
    tried = line.split("|")[1].split(", ")
    return int(tried[-1].rsplit(":", 1)[1])


def stored_titles(db: str, team_code: str) -> set[str]:
    """The triage issues' titles as the database holds them."""
    store = Store(db)
    access = resolve(store, team_code)
    triage = get_registry().exercises["triage"]
    issues = Responses(store, access.workbook_id, triage).records("issue").values()
    return {issue.get("title") or "" for issue in issues}


def add_issue(page: Page, number: int, title: str, db: str, team_code: str) -> None:
    """Add an issue and wait until its title is saved: "Saved at" shows first for the new,
    empty issue, before the typed title's own save."""
    page.get_by_role("button", name="Add an issue").click()
    page.get_by_label(f"Issue {number}", exact=True).fill(title)
    deadline = time.monotonic() + 30
    while title not in stored_titles(db, team_code):
        assert time.monotonic() < deadline, f"{title!r} was not saved"
        time.sleep(0.25)
    expect(page.locator(".pk-status")).to_contain_text(re.compile(r"Saved at \d\d:\d\d:\d\d"))


def test_two_servers_on_one_database_behind_a_proxy(tmp_path, browser, postgres_url) -> None:
    listen, port_a, port_b = free_port(), free_port(), free_port()
    proxy = f"http://127.0.0.1:{listen}"
    with ExitStack() as servers, nginx(listen, port_a, port_b) as front:
        (tmp_path / "a").mkdir()
        (tmp_path / "b").mkdir()
        on_a = servers.enter_context(
            running_server(tmp_path / "a", db=postgres_url, port=port_a, base_url=proxy)
        )
        stop_a = servers.pop_all()  # server A can be stopped by itself, mid-test
        on_b = servers.enter_context(
            running_server(tmp_path / "b", db=postgres_url, port=port_b, base_url=proxy)
        )
        workbook = on_b.new_workbook("Two servers")
        assert workbook.team_link.startswith(proxy)  # links name the proxy, not a server
        assert on_a.demo.title == on_b.demo.title  # one database: B found A's demo
        # `placekit list` run by hand, with only the database named: links to the proxy.
        env = {k: v for k, v in os.environ.items() if k != "PLACEKIT_BASE_URL"}
        listed = subprocess.run(
            [placekit_command(), "list"],
            env=env | {"PLACEKIT_DB": postgres_url},
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        assert [w.team_link.startswith(proxy) for w in parse_links(listed)] == [True, True]

        # Members on each server at once, in one shared list of issues.
        ash = pinned(browser.new_context(), proxy, "placekit_a").new_page()
        bo = pinned(browser.new_context(), proxy, "placekit_b").new_page()
        for page, name in ((ash, "Ash"), (bo, "Bo")):
            join_team(page, workbook.team_link, name, TRIAGE)
        for page in (ash, bo):
            expect(page.get_by_role("button", name="Add an issue")).to_be_visible(timeout=PAGE_LOAD)
        assert {answered_by(line) for line in requests(front)} == {port_a, port_b}
        add_issue(ash, 1, "Housing on the estate", postgres_url, workbook.team_code)
        # Bo's page did not know of Ash's issue yet: both are saved, neither over the other.
        add_issue(bo, 1, "Youth services", postgres_url, workbook.team_code)
        ash.reload()
        expect(ash.get_by_label("Issue 1", exact=True)).to_be_visible(timeout=PAGE_LOAD)
        kept = {ash.get_by_label(f"Issue {n}", exact=True).input_value() for n in (1, 2)}
        assert kept == {"Housing on the estate", "Youth services"}  # both saves kept

        # Server A goes down: Ash's page says so, and a reload lands on B and resumes.
        stop_a.close()
        expect(ash.get_by_role("alert").filter(has_text="Connection lost")).to_be_visible(
            timeout=PAGE_LOAD
        )
        before = len(requests(front))
        ash.reload()
        expect(ash.get_by_label("Issue 2", exact=True)).to_be_visible(timeout=PAGE_LOAD)
        assert ash.get_by_label("Issue 1", exact=True).input_value() in kept
        expect(ash.get_by_text("Step 1 of 9: List issues")).to_be_visible()
        assert {answered_by(line) for line in requests(front)[before:]} == {port_b}
        add_issue(ash, 3, "Bus routes", postgres_url, workbook.team_code)  # saving works there
        for page in (ash, bo):
            page.context.close()
