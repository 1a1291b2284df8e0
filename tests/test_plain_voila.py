"""Plain Voila finds PlaceKit's template (JupyterHub's Voila, JupyterLab's preview, one run by
hand): the package installs it to ``share/jupyter`` the standard way, as well as carrying
the copy ``placekit serve`` puts first on ``JUPYTER_PATH``."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import nbformat

from placekit.testing import free_port
from placekit.web.serve import template_path

TEMPLATE = Path("voila", "templates", "placekit")


def page_within(url: str, deadline: float) -> str:
    """As much of the page as came by ``deadline`` (monotonic): Voila streams a page as its
    notebook runs, and a broken one may never end."""
    chunks = []
    try:
        page = urllib.request.urlopen(url, timeout=5)
    except urllib.error.HTTPError as error:  # an answer, if not the page
        page = error
    with page:
        while time.monotonic() < deadline:
            try:
                chunk = page.read1(65536)
            except TimeoutError:
                break
            if not chunk:
                break
            chunks.append(chunk)
    return b"".join(chunks).decode(errors="replace")


def test_the_template_is_installed_where_jupyter_looks_for_it() -> None:
    installed = Path(sys.prefix, "share", "jupyter", TEMPLATE)
    ours = template_path() / TEMPLATE
    names = sorted(p.name for p in ours.iterdir())
    assert sorted(p.name for p in installed.iterdir()) == names
    for name in names:  # the same files: `make setup` reinstalls when they change
        assert (installed / name).read_bytes() == (ours / name).read_bytes(), name


def test_plain_voila_serves_a_notebook_with_placekits_template(tmp_path) -> None:
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("Hello, team")])
    nbformat.write(notebook, tmp_path / "hello.ipynb")
    env = {k: v for k, v in os.environ.items() if not k.startswith("JUPYTER_")}
    port = free_port()
    log = (tmp_path / "voila.log").open("wb")  # a file: a pipe nobody reads fills and blocks
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "voila",
            "hello.ipynb",
            "--no-browser",
            f"--port={port}",
            "--Voila.ip=127.0.0.1",
            "--template=placekit",
        ],
        cwd=tmp_path,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        html = ""
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not html and server.poll() is None:
            try:
                html = page_within(f"http://127.0.0.1:{port}/", deadline)
            except OSError:  # not listening yet
                time.sleep(0.5)
        assert html, (tmp_path / "voila.log").read_text()
        assert 'lang="en-GB"' in html  # PlaceKit's template, not Voila's lab
        assert "Skip to main content" in html
        assert "Hello, team" in html
    finally:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        log.close()
