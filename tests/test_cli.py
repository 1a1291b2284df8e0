"""The command line as a script or an administrator meets it: its version, ``python -m``,
exit statuses that tell a usage error from a failure, and no traceback on a closed pipe."""

from __future__ import annotations

import subprocess
import sys
from importlib.metadata import version

import pytest

from placekit import cli


def run(*args: str, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "placekit", *args], capture_output=True, text=True, **kwargs
    )


def test_python_dash_m_placekit_is_the_placekit_command_and_says_its_version() -> None:
    done = run("--version", timeout=60)
    assert done.returncode == 0
    assert done.stdout.strip() == f"placekit {version('placekit')}"
    helped = run("--help", timeout=60)
    assert helped.returncode == 0 and "serve" in helped.stdout
    assert "``" not in helped.stdout  # plain words, not the module's reST


def test_a_port_out_of_range_is_a_usage_error_with_a_plain_message(capsys) -> None:
    for port in ("99999", "0", "http"):
        with pytest.raises(SystemExit) as stop:
            cli.main(["serve", "--port", port])
        assert stop.value.code == 2
        assert "a port is a number from 1 to 65535" in capsys.readouterr().err


def test_a_closed_pipe_ends_the_command_quietly(tmp_path) -> None:
    """``placekit plugins | head -1``: the reader stops, and no traceback follows."""
    env = {"PLACEKIT_DB": str(tmp_path / "pk.db"), "PATH": "/usr/bin:/bin"}
    reader = subprocess.Popen(
        [sys.executable, "-m", "placekit", "plugins"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
    )
    assert reader.stdout is not None and reader.stderr is not None
    reader.stdout.close()  # as `head` does once it has its line
    err = reader.stderr.read().decode()
    assert reader.wait(timeout=60) == cli.FAILED
    assert "Traceback" not in err and "BrokenPipeError" not in err, err


def test_the_log_goes_beside_the_database_placekit_db_names(tmp_path, monkeypatch) -> None:
    from placekit.web.logs import log_path

    monkeypatch.delenv("PLACEKIT_LOG", raising=False)
    monkeypatch.setenv("PLACEKIT_DB", str(tmp_path / "team" / "pk.db"))
    assert log_path() == tmp_path / "team" / "placekit.log"
    monkeypatch.setenv("PLACEKIT_DB", "postgresql://placekit@db.example/placekit")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    assert log_path() == tmp_path / "data" / "placekit" / "placekit.log"
    monkeypatch.setenv("PLACEKIT_LOG", str(tmp_path / "chosen.log"))
    assert log_path() == tmp_path / "chosen.log"


def test_a_kit_with_no_exercise_says_what_to_install(tmp_path) -> None:
    from importlib.metadata import entry_points

    every = ",".join(ep.name for ep in entry_points(group="placekit"))
    done = run(
        "plugins",
        env={"PLACEKIT_DB": str(tmp_path / "pk.db"), "PLACEKIT_DISABLE_PLUGINS": every},
        timeout=60,
    )
    assert done.returncode == 0
    assert "No exercises are installed." in done.stdout
    assert 'pip install "placekit[exercises]"' in done.stdout
    assert "pip install ./plugins/placekit-triage" in done.stdout


def test_the_index_of_a_kit_with_no_exercise_says_what_to_install(monkeypatch) -> None:
    from importlib.metadata import entry_points

    from placekit.plugins import reset_registry
    from placekit.testing import html_of
    from placekit.web import pages

    every = ",".join(ep.name for ep in entry_points(group="placekit"))
    monkeypatch.setenv("PLACEKIT_DISABLE_PLUGINS", every)
    reset_registry(reload_plugins=True)
    try:
        index = pages.index_page()
        index.load({})  # the index with no code, as the server's root shows it
        shown = html_of(index)
    finally:
        monkeypatch.delenv("PLACEKIT_DISABLE_PLUGINS")
        reset_registry(reload_plugins=True)
    assert "No exercises are installed yet" in shown
    assert "pip install &quot;placekit[exercises]&quot;" in shown
