"""Page kernels forked from the warm Python (placekit/web/kernels): each is the kernel a cold
start would make (its folder, its environment, working widgets, its own random numbers,
its own command line in ps), with PlaceKit already imported, and it goes when it is shut
down, killed, or when the warm process goes. Anything the warm process cannot start the
same way starts cold. Driven through jupyter_client, as Voila starts its kernels."""

from __future__ import annotations

import json
import os
import sys
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from pathlib import Path

import psutil
import pytest
from jupyter_client.manager import AsyncKernelManager
from jupyter_client.provisioning import KernelProvisionerFactory
from traitlets.config import Config

from placekit.testing import run_apart
from placekit.web.kernels import forked, warm

pytestmark = pytest.mark.skipif(not forked.supported(), reason="needs fork and pidfds (Linux)")

PROBE = """
import json, os, random, sys
print(json.dumps({
    "preloaded": "placekit.web.pages" in sys.modules,
    "cwd": os.getcwd(),
    "probe": os.environ.get("PK_PROBE"),
    "random": random.random(),
    "targets": sorted(get_ipython().kernel.comm_manager.targets),
}))
"""


@pytest.fixture
def forking() -> Iterator[Config]:
    """jupyter_client's provisioner factory set to fork, as ``placekit serve`` sets it."""
    config = Config()
    config.KernelProvisionerFactory.default_provisioner_name = forked.NAME
    KernelProvisionerFactory.clear_instance()
    KernelProvisionerFactory.instance(config=config)
    yield config
    KernelProvisionerFactory.clear_instance()
    forked.WARM.stop()


@asynccontextmanager
async def kernel(config: Config, cwd: Path, **env: str) -> AsyncIterator[AsyncKernelManager]:
    manager = AsyncKernelManager(kernel_name="python3", config=config)
    await manager.start_kernel(env=os.environ | env, cwd=str(cwd))
    try:
        yield manager
    finally:
        if await manager.is_alive():
            await manager.shutdown_kernel(now=True)


async def run(manager: AsyncKernelManager, code: str) -> dict:
    client = manager.client()
    client.start_channels()
    try:
        await client.wait_for_ready(timeout=60)
        printed: list[str] = []

        def keep(message: dict) -> None:
            if message["msg_type"] == "stream":
                printed.append(message["content"]["text"])

        reply = await client.execute_interactive(code, output_hook=keep, timeout=60)
        assert reply["content"]["status"] == "ok", reply["content"]
    finally:
        client.stop_channels()
    return json.loads("".join(printed))


def gone(pid: int, within: float = 10.0) -> bool:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        try:
            if psutil.Process(pid).status() == psutil.STATUS_ZOMBIE:
                return True
        except psutil.NoSuchProcess:
            return True
        time.sleep(0.1)
    return False


def test_a_forked_kernel_is_the_kernel_a_cold_start_makes(forking, tmp_path) -> None:
    async def scenario() -> None:
        async with kernel(forking, tmp_path, PK_PROBE="one") as first:
            async with kernel(forking, tmp_path / "..", PK_PROBE="two") as second:
                seen = [await run(first, PROBE), await run(second, PROBE)]
                pids = [first.provisioner.pid, second.provisioner.pid]
                for manager in (first, second):
                    process = psutil.Process(manager.provisioner.pid)
                    assert process.parent().pid == forked.WARM.pid
                    # ps shows the kernel's own command line, connection file and all.
                    launcher = [sys.executable, "-m", "ipykernel_launcher"]
                    assert process.cmdline() == [*launcher, "-f", manager.connection_file]
        assert [s["preloaded"] for s in seen] == [True, True]
        assert [s["cwd"] for s in seen] == [str(tmp_path), str(tmp_path.parent)]
        assert [s["probe"] for s in seen] == ["one", "two"]
        assert seen[0]["random"] != seen[1]["random"]  # each fork reseeds
        for s in seen:  # ipywidgets' comm targets, registered in each kernel
            assert {"jupyter.widget", "jupyter.widget.control"} <= set(s["targets"])
        assert all(gone(pid) for pid in pids)

    run_apart(scenario)


def test_a_forked_kernel_goes_when_killed_or_when_the_warm_process_goes(forking, tmp_path) -> None:
    async def scenario() -> None:
        async with kernel(forking, tmp_path) as killed:
            pid = killed.provisioner.pid
            await killed.shutdown_kernel(now=True)  # SIGKILL, as a culled kernel's end
            assert gone(pid)
            assert not await killed.is_alive()
        async with kernel(forking, tmp_path) as orphan:
            await run(orphan, "print('{}')")
            pid, warm = orphan.provisioner.pid, forked.WARM.pid
            forked.WARM.stop()
            assert gone(warm) and gone(pid)  # a kernel never outlives its server's warm process
        async with kernel(forking, tmp_path) as after:  # a new warm process, started on demand
            assert (await run(after, PROBE))["preloaded"]
            assert psutil.Process(after.provisioner.pid).parent().pid == forked.WARM.pid != warm

    run_apart(scenario)


def test_a_kernel_the_warm_process_cannot_be_starts_cold(forking, tmp_path) -> None:
    """Another PYTHONPATH changes what the interpreter imports as it starts: that kernel is
    a fresh Python, the server's own child, as without the warm process."""

    async def scenario() -> None:
        async with kernel(forking, tmp_path, PYTHONPATH=str(tmp_path)) as cold:
            assert not (await run(cold, PROBE))["preloaded"]
            assert psutil.Process(cold.provisioner.pid).parent().pid == os.getpid()

    run_apart(scenario)


def test_a_warm_python_with_a_thread_running_starts_kernels_cold_and_says_why(
    forking, tmp_path, monkeypatch, caplog
) -> None:
    """A fork copies only the forking thread: an import that starts one (here Python's own
    sitecustomize, as a plugin's import might) would leave every kernel without it."""
    (tmp_path / "sitecustomize.py").write_text(
        "import threading, time\n"
        "threading.Thread(target=time.sleep, args=(3600,), name='ticker', daemon=True).start()\n"
    )
    monkeypatch.setenv("PYTHONPATH", str(tmp_path))  # the warm process's and the kernel's

    async def scenario() -> None:
        async with kernel(forking, tmp_path) as cold:
            assert not (await run(cold, PROBE))["preloaded"]
            assert psutil.Process(cold.provisioner.pid).parent().pid == os.getpid()

    with caplog.at_level("WARNING", logger=forked.__name__):
        run_apart(scenario)
    assert "Page kernels start cold: an import started a thread (ticker)" in caplog.text


def test_packages_installed_after_the_warm_python_started_make_kernels_start_cold(
    tmp_path, monkeypatch
) -> None:
    """A plugin installed (or upgraded, or removed) while the server runs would be missing
    or stale in a fork: pip changes the packages folder, and from then on the warm process
    declines. (End to end: tests/browser/test_scaffold_browser.py installs a plugin into a
    running server.)"""
    monkeypatch.setattr(warm.site, "getsitepackages", lambda: [str(tmp_path)])
    monkeypatch.setattr(warm.site, "ENABLE_USER_SITE", False)
    monkeypatch.setattr(warm, "AT_PRELOAD", warm.watched())
    assert not warm.changed_since_imports()
    time.sleep(0.01)  # a later modification time than the one recorded
    (tmp_path / "placekit_walk_the_patch-0.1.0.dist-info").mkdir()
    assert warm.changed_since_imports()


def test_code_edited_after_the_warm_python_imported_it_makes_kernels_start_cold(
    tmp_path, monkeypatch
) -> None:
    """A plugin author edits their exercise (an editable install) and reloads the page: a
    fork would run the code as it was imported, so the warm process declines."""
    (tmp_path / "walk_the_patch.py").write_text("TITLE = 'Walk the patch'\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.delitem(sys.modules, "walk_the_patch", raising=False)
    import walk_the_patch  # noqa: F401 - imported as the warm process imports a plugin

    monkeypatch.setattr(warm, "AT_PRELOAD", warm.watched())
    assert not warm.changed_since_imports()
    time.sleep(0.01)  # a later modification time than the one recorded
    (tmp_path / "walk_the_patch.py").write_text("TITLE = 'Walk the patch, again'\n")
    assert warm.changed_since_imports()
