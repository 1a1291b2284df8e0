"""The server's side of forked kernels: the warm process, and the kernel provisioner that
asks it for each page's kernel (jupyter_client's provisioner API; the entry point
``placekit-forked`` in pyproject.toml, chosen by ``PlaceKitVoila`` in ``server.py``).

Measured in bench/room.py: a kernel forked from the warm process is ready in a small part of
the CPU time a cold ``python -m ipykernel_launcher`` takes, and shares the warm process's
imported code with every other kernel. Anything this path cannot start exactly as a cold
kernel would (another interpreter, another kernel, different ``PYTHON*`` settings,
redirected output, or a warm process that cannot start) is started cold, as before.

Invariants:
- one warm process per server, started on first use and again if it has died; requests to
  it go one at a time, each in a worker thread, so the server's event loop never waits;
- a forked kernel is watched and signalled through a pidfd, which names that process and
  no later one given the same number: the warm process, not the server, is its parent.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import select
import signal
import socket
import subprocess
import sys
import threading
import time
from typing import Any

from jupyter_client.connect import KernelConnectionInfo
from jupyter_client.provisioning import LocalProvisioner

NAME = "placekit-forked"  # the provisioner's entry point
LAUNCHER = ("-m", "ipykernel_launcher")
ANSWER_TIMEOUT_S = 60.0  # the first answer waits for the warm process's imports
log = logging.getLogger(__name__)


def supported() -> bool:
    """Forking needs POSIX ``fork`` and Linux's pidfds (5.3 and later)."""
    return hasattr(os, "fork") and hasattr(os, "pidfd_open")


class WarmError(RuntimeError):
    """The warm process could not start a kernel; the caller starts it cold."""


class Warm:
    """The warm process (``warm.py``) and the socket to it."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._process: subprocess.Popen[bytes] | None = None
        self._channel: socket.socket | None = None
        self._answers: Any = None
        self._settings: dict[str, str] = {}  # the warm process's interpreter settings
        self._said = ""

    @property
    def pid(self) -> int | None:
        return self._process.pid if self._process is not None else None

    def say_once(self, message: str) -> None:
        """Log why kernels start cold, once while the reason stays the same (it may hold
        for every page until the server restarts)."""
        if message != self._said:
            self._said = message
            log.warning("%s", message)

    def start(self) -> None:
        """Start the warm process now (it imports for about a second), unless it runs."""
        with self._lock:
            self._ensure()

    def can_fork(self, cmd: list[str], env: dict[str, str]) -> bool:
        """Whether ``cmd`` in ``env`` is the kernel this process would become: ipykernel's
        launcher on this interpreter, with the interpreter's own settings unchanged."""
        return (
            len(cmd) > 3
            and cmd[0] == sys.executable
            and tuple(cmd[1:3]) == LAUNCHER
            and _python_settings(env) == (self._settings or _python_settings(os.environ))
        )

    def fork(self, argv: list[str], env: dict[str, str], cwd: str) -> int:
        """Ask for a kernel; its pid. Blocks: call it in a worker thread."""
        request = json.dumps({"argv": argv, "env": env, "cwd": cwd}).encode() + b"\n"
        with self._lock:
            self._ensure()
            assert self._channel is not None
            try:
                self._channel.sendall(request)
                line = self._answers.readline()
            except OSError as error:
                self._stop()
                raise WarmError(f"the warm process did not answer: {error}") from error
            if not line:
                self._stop()
                raise WarmError("the warm process has gone")
        answer = json.loads(line)
        if "pid" not in answer:
            raise WarmError(answer.get("error", "no pid"))
        return int(answer["pid"])

    def _ensure(self) -> None:
        if self._process is not None and self._process.poll() is None:
            return
        self._stop()
        ours, theirs = socket.socketpair()
        ours.settimeout(ANSWER_TIMEOUT_S)
        try:
            self._process = subprocess.Popen(
                [sys.executable, "-m", "placekit.web.kernels.warm", str(theirs.fileno())],
                pass_fds=[theirs.fileno()],
                stdin=subprocess.DEVNULL,
                start_new_session=True,
            )
        except OSError as error:
            ours.close()
            raise WarmError(f"the warm process did not start: {error}") from error
        finally:
            theirs.close()
        self._channel, self._answers = ours, ours.makefile("rb")
        self._settings = _python_settings(os.environ)

    def stop(self) -> None:
        """Stop the warm process (its kernels exit with it)."""
        with self._lock:
            self._stop()

    def _stop(self) -> None:
        # Its kernels exit with it (each watches its parent): a warm process is stopped only
        # with the server, or when it no longer answers, and those pages then say their
        # connection is lost.
        if self._channel is not None:
            self._answers.close()
            self._channel.close()  # the warm process exits when it reads the end
        self._channel = self._answers = None
        self._settings = {}
        if self._process is not None and self._process.poll() is None:
            self._process.terminate()
        self._process = None


def _python_settings(env: Any) -> dict[str, str]:
    """The variables an interpreter reads as it starts (a forked kernel has the warm
    process's, fixed when it started)."""
    return {key: value for key, value in env.items() if key.startswith("PYTHON")}


WARM = Warm()  # the server's one warm process


class ForkedKernel:
    """A forked kernel, in the shape ``LocalProvisioner`` uses a ``Popen``. Its exit status
    goes to the warm process (its parent), so a kernel that has gone reports 0."""

    stdin = stdout = stderr = None

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.returncode: int | None = None
        try:
            self._fd: int | None = os.pidfd_open(pid)
        except ProcessLookupError:  # gone already
            self._fd, self.returncode = None, 0

    def poll(self) -> int | None:
        if self._fd is not None and select.select([self._fd], [], [], 0)[0]:
            os.close(self._fd)
            self._fd, self.returncode = None, 0
        return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        deadline = None if timeout is None else time.monotonic() + timeout
        while self.poll() is None:
            if deadline is not None and time.monotonic() > deadline:
                raise subprocess.TimeoutExpired(str(self.pid), timeout or 0)
            time.sleep(0.05)
        return 0

    def send_signal(self, signum: int) -> None:
        if self.poll() is None:
            assert self._fd is not None
            signal.pidfd_send_signal(self._fd, signum)

    def terminate(self) -> None:
        self.send_signal(signal.SIGTERM)

    def kill(self) -> None:
        self.send_signal(signal.SIGKILL)


class ForkingProvisioner(LocalProvisioner):
    """Jupyter's local provisioner, whose ipykernel kernels are forked from the warm
    process; every other kernel, and any the warm process cannot start, starts cold."""

    async def launch_kernel(self, cmd: list[str], **kwargs: Any) -> KernelConnectionInfo:
        env = kwargs.get("env") or dict(os.environ)
        redirected = any(kwargs.get(stream) is not None for stream in ("stdin", "stdout", "stderr"))
        if redirected or not WARM.can_fork(cmd, env):
            return await super().launch_kernel(cmd, **kwargs)
        cwd = str(kwargs.get("cwd") or os.getcwd())
        try:
            pid = await asyncio.to_thread(WARM.fork, cmd, env, cwd)
        except WarmError as error:
            WARM.say_once(f"Page kernels start cold: {error}")
            return await super().launch_kernel(cmd, **kwargs)
        self.process = ForkedKernel(pid)
        # The child made its own session before the warm process answered.
        self.pid = self.pgid = pid
        self.cwd = cwd
        return self.connection_info
