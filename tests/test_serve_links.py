"""Links that reach the running server: `placekit serve` refuses a busy port rather than
serving quietly on another, and `placekit new`/`list` print the address of the server
started on the same database."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from placekit import cli
from placekit.data.access import SERVER_URL, base_url
from placekit.data.store import Store


def test_serve_refuses_a_busy_port_with_a_plain_message(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("PLACEKIT_DB", str(tmp_path / "pk.db"))
    with socket.socket() as held:
        held.bind(("127.0.0.1", 0))
        held.listen()
        port = held.getsockname()[1]
        code = cli.main(["serve", "--port", str(port), "--no-demo"])
    assert code == 1  # understood, but cannot be done: not a usage error
    err = capsys.readouterr().err
    assert f"port {port} is already in use" in err
    assert f"placekit serve --port {port + 1}" in err
    assert not (tmp_path / "pk.db").exists()  # nothing started, nothing written


def test_links_follow_the_variable_then_the_server_then_the_default(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("PLACEKIT_BASE_URL", raising=False)
    store = Store(tmp_path / "pk.db")
    assert base_url(store) == "http://127.0.0.1:8866"
    store.set_setting(SERVER_URL, "http://127.0.0.1:9123")
    assert base_url(store) == "http://127.0.0.1:9123"
    store.set_setting(SERVER_URL, "http://127.0.0.1:9124")  # the latest start wins
    assert base_url(Store(tmp_path / "pk.db")) == "http://127.0.0.1:9124"
    monkeypatch.setenv("PLACEKIT_BASE_URL", "https://kit.example.org/")
    assert base_url(store) == "https://kit.example.org"


def test_new_and_list_print_links_to_the_server_of_this_database(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("PLACEKIT_BASE_URL", raising=False)
    monkeypatch.setenv("PLACEKIT_DB", str(tmp_path / "pk.db"))
    Store().set_setting(SERVER_URL, "http://127.0.0.1:9200")  # as `placekit serve` records
    assert cli.main(["new", "Northtown"]) == 0
    assert cli.main(["list"]) == 0
    out = capsys.readouterr().out
    links = [w for w in out.split() if w.startswith("http")]
    assert len(links) == 4
    assert all(w.startswith("http://127.0.0.1:9200/voila/render/index.ipynb?code=") for w in links)


def test_a_code_that_starts_with_a_dash_still_exports(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("PLACEKIT_DB", str(tmp_path / "pk.db"))
    codes = iter(["-" + "a" * 31, "-" + "b" * 31])  # one code in 64 starts with "-"
    monkeypatch.setattr("placekit.data.access.new_code", lambda: next(codes))
    assert cli.main(["new", "Dashes"]) == 0
    out = tmp_path / "dash.csv"
    code = cli.main(["export", "-" + "b" * 31, "triage", "--format", "csv", "-o", str(out)])
    assert code == 0, capsys.readouterr().err
    assert list(tmp_path.glob("dash-*.csv"))
