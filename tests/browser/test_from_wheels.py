"""PlaceKit as an administrator installs it: the wheels built from this checkout, put with
pip into a fresh venv outside it as ``placekit[exercises]``, served by that venv's
``placekit serve`` and used in a real browser, with no request leaving the server."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from placekit.testing import join_team, running_server

pytestmark = pytest.mark.browser
ROOT = Path(__file__).resolve().parents[2]
PLUGINS = sorted(p.parent for p in (ROOT / "plugins").glob("*/pyproject.toml"))


@pytest.fixture(scope="module")
def fresh_install(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A venv holding only what ``pip install "placekit[exercises]"`` brings (the wheels
    here stand in for the package index's)."""
    wheels = tmp_path_factory.mktemp("wheels")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation"]
        + ["--wheel-dir", str(wheels), str(ROOT), *map(str, PLUGINS)],
        check=True,
        timeout=300,
    )
    venv = tmp_path_factory.mktemp("fresh") / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=120)
    subprocess.run(
        [str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet"]
        + ["--find-links", str(wheels), "placekit[exercises]"],
        check=True,
        timeout=900,
        cwd=venv.parent,  # not the checkout: nothing of it may be picked up from here
    )
    return venv


def test_the_wheels_installed_in_a_fresh_venv_serve_every_exercise(
    fresh_install: Path, tmp_path: Path, browser, monkeypatch: pytest.MonkeyPatch
) -> None:
    placekit = str(fresh_install / "bin" / "placekit")
    # The venv's own tools only: nothing of this checkout's venv on the way.
    monkeypatch.setenv("PATH", f"{fresh_install / 'bin'}:/usr/bin:/bin")
    monkeypatch.delenv("VIRTUAL_ENV", raising=False)
    monkeypatch.delenv("PYTHONPATH", raising=False)
    where = subprocess.run(
        [str(fresh_install / "bin" / "python"), "-c", "import placekit; print(placekit.__file__)"],
        capture_output=True,
        text=True,
        check=True,
        cwd=tmp_path,
    ).stdout
    assert where.startswith(str(fresh_install)), where
    listed = subprocess.run(
        [placekit, "plugins"], capture_output=True, text=True, check=True, cwd=tmp_path
    ).stdout
    for folder in PLUGINS:
        assert f"({folder.name} " in listed, listed  # each built-in exercise's package
    assert "problem" not in listed.lower(), listed

    with running_server(tmp_path, command=placekit) as server:
        page = browser.new_context().new_page()
        requested: list[str] = []
        page.on("request", lambda request: requested.append(request.url))
        join_team(page, server.demo.team_link, "Ash", "Wicked, tame or critical?")
        expect(page.get_by_role("button", name="Add an issue")).to_be_visible(timeout=60_000)
        page.go_back()
        for title in ("Asset map", "Trust audit", "Demand analysis: value and failure demand"):
            expect(page.get_by_role("link", name=title)).to_be_visible(timeout=60_000)
        here = urlsplit(server.base_url).netloc
        outside = [
            url
            for url in requested
            if urlsplit(url).scheme in ("http", "https", "ws", "wss")
            and urlsplit(url).netloc != here
        ]
        assert len(requested) > 10 and outside == []  # no CDN, no font service: all from here
        page.context.close()
