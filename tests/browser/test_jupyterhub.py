"""PlaceKit as a JupyterHub service, as docs/deploy.md sets it up: a real JupyterHub (from
PyPI) with its real proxy (configurable-http-proxy, from npm) starts ``placekit serve
--hub-sign-in facilitators``; members reach the team page through the hub's proxy with no
account, and the facilitator page needs a hub login by an account with access to the
service."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from placekit.testing import (
    free_port,
    join_team,
    parse_links,
    placekit_command,
    run_in_the_room,
)

pytestmark = pytest.mark.browser
ROOT = Path(__file__).resolve().parents[2]
PROXY = ROOT / "tests" / "browser" / "node_modules" / ".bin" / "configurable-http-proxy"
PAGE_LOAD = 60_000
START_TIMEOUT = 120  # seconds: the hub, its proxy, then the service it starts


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def routed(url: str) -> int | None:
    """The status ``url`` answers with, redirects not followed; None when nothing listens."""
    try:
        with urllib.request.build_opener(_NoRedirects).open(url, timeout=5) as answer:
            return answer.status
    except urllib.error.HTTPError as error:
        return error.code
    except OSError:
        return None


@contextmanager
def jupyterhub(folder: Path, db: Path) -> Iterator[str]:
    """A JupyterHub running PlaceKit as the managed service "placekit"; yields the hub's
    public address. Users "fay" may open PlaceKit; any other user may not."""
    assert PROXY.exists(), "configurable-http-proxy is missing: run `make npm-deps`"
    hub, hub_api, proxy_api, service = (free_port() for _ in range(4))
    public = f"http://127.0.0.1:{hub}"
    (folder / "jupyterhub_config.py").write_text(
        f"""
c = get_config()  # noqa
c.JupyterHub.bind_url = {public!r}
c.JupyterHub.public_url = {public!r}
c.JupyterHub.hub_bind_url = "http://127.0.0.1:{hub_api}"
c.ConfigurableHTTPProxy.api_url = "http://127.0.0.1:{proxy_api}"
c.ConfigurableHTTPProxy.command = [{str(PROXY)!r}]
c.JupyterHub.db_url = "sqlite:///{folder}/jupyterhub.sqlite"
c.JupyterHub.cookie_secret_file = "{folder}/jupyterhub_cookie_secret"
c.JupyterHub.authenticator_class = "dummy"
c.JupyterHub.services = [
    {{
        "name": "placekit",
        "display": True,
        "url": "http://127.0.0.1:{service}",
        "command": [{placekit_command()!r}, "serve", "--hub-sign-in", "facilitators"],
        "environment": {{"PLACEKIT_DB": {str(db)!r}}},
        "oauth_no_confirm": True,
    }}
]
c.JupyterHub.load_roles = [
    {{"name": "placekit-facilitators", "users": ["fay"],
      "scopes": ["access:services!service=placekit"]}},
]
"""
    )
    log = folder / "jupyterhub.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [str(Path(sys.executable).with_name("jupyterhub")), "-f", "jupyterhub_config.py"],
            cwd=folder,
            stdout=out,
            stderr=subprocess.STDOUT,
            env=os.environ | {"PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}"},
            start_new_session=True,
        )
    try:
        deadline = time.monotonic() + START_TIMEOUT
        # Ready once the hub's proxy routes to PlaceKit: its root redirects to the index (a
        # GET that starts no kernel), where before the proxy answered 404 itself.
        while routed(f"{public}/services/placekit/") != 302:
            assert process.poll() is None, log.read_text(errors="replace")
            assert time.monotonic() < deadline, log.read_text(errors="replace")
            time.sleep(0.5)
        yield public
    except BaseException:
        print(log.read_text(errors="replace")[-8000:])  # shown with the failure
        raise
    finally:
        process.terminate()  # the hub stops its proxy and its services
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, 9)
            process.wait()


def sign_in(page: Page, user: str) -> None:
    expect(page.get_by_label("Username")).to_be_visible(timeout=PAGE_LOAD)
    page.get_by_label("Username").fill(user)
    page.get_by_label("Password").fill("any password")  # the dummy authenticator's way
    page.get_by_role("button", name="Sign in").click()


def test_placekit_as_a_jupyterhub_service_with_hub_sign_in(tmp_path, browser) -> None:
    db = tmp_path / "placekit.db"
    with jupyterhub(tmp_path, db) as hub:
        made = subprocess.run(
            [placekit_command(), "new", "Hub team"],
            env={k: v for k, v in os.environ.items() if k != "PLACEKIT_BASE_URL"}
            | {"PLACEKIT_DB": str(db)},
            capture_output=True,
            text=True,
            check=True,
        )
        (workbook,) = parse_links(made.stdout)
        # The service told PlaceKit its public address: links go through the hub's proxy.
        assert workbook.team_link.startswith(f"{hub}/services/placekit/voila/render/")

        member = browser.new_context().new_page()
        join_team(member, workbook.team_link, "Ash", "Wicked, tame or critical?")
        expect(member.get_by_role("button", name="Add an issue")).to_be_visible(timeout=PAGE_LOAD)
        assert member.url.startswith(f"{hub}/services/placekit/")  # no hub login on the way

        facilitator = browser.new_context().new_page()
        facilitator.goto(workbook.facilitator_link)
        assert "/hub/login" in facilitator.url  # the hub asks who they are first
        sign_in(facilitator, "fay")
        expect(facilitator.get_by_role("heading", name="Facilitator view")).to_be_visible(
            timeout=PAGE_LOAD
        )
        assert facilitator.url == workbook.facilitator_link  # back at the link they opened
        expect(facilitator.get_by_role("listitem").filter(has_text="Ash").last).to_be_visible()

        # The room's screen needs the sign-in too: it opens for the facilitator; a member's
        # browser, signed in to no hub account, is sent to the hub's login first.
        results = workbook.facilitator_link.replace("/index.ipynb", "/exercise.ipynb")
        run_in_the_room(facilitator, f"{results}&exercise=triage")
        with facilitator.context.expect_page() as opened:
            facilitator.get_by_role("link", name=re.compile("Open the screen for the room")).click()
        screen = opened.value
        expect(screen.get_by_role("heading", name="Wicked, tame or critical?")).to_be_visible()
        expect(screen.locator("#joined")).to_have_text("0 joined")
        assert screen.url.startswith(f"{hub}/services/placekit/live/")
        member.goto(screen.url)
        assert "/hub/login" in member.url

        stranger = browser.new_context().new_page()
        stranger.goto(workbook.facilitator_link)
        sign_in(stranger, "sam")  # a hub user without access to PlaceKit
        expect(stranger.get_by_role("heading", level=1)).to_contain_text(
            "You do not have permission", timeout=PAGE_LOAD
        )  # the hub's own refusal
        expect(stranger.get_by_role("heading", name="Facilitator view")).to_have_count(0)
        for page in (member, facilitator, stranger):
            page.context.close()
