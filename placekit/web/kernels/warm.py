"""A warm Python that becomes page kernels by forking.

A page's kernel was a fresh ``python -m ipykernel_launcher``: about a CPU-second before its
first widget (Python and ipykernel 0.5 s, PlaceKit and its plugins 0.36 s; bench/README.md),
so thirty visitors at once queued for half a minute on two cores. This process imports all
that once, then forks a child for each kernel the server asks for. The child becomes the
kernel ipykernel's launcher would have made from the same command line, environment and
folder, with the imports already done.

Run as ``python -m placekit.web.kernels.warm FD`` by ``forked.py``, in a session of its own
(a Ctrl-C in the server's terminal is the server's to handle). FD is its end of a socket
pair. Each request is a line of JSON, ``{"argv": [...], "env": {...}, "cwd": "..."}``,
answered ``{"pid": N}`` once the child leads a session of its own (so the server may signal
its process group), or ``{"error": "..."}``.

Invariants:
- no thread, event loop or zmq context ever runs here: a fork copies only the forking
  thread, and a loop or context shared by every kernel would break them all;
- only what every page imports before its first widget is imported here (the notebooks'
  own module and the plugins' entry points; ``tests/test_startup.py`` keeps that lean), so
  nothing heavy sits in every kernel;
- it forks only while the installed packages, and the code it imported from a checkout, are
  as its imports found them: a plugin installed, upgraded, removed or edited since would be
  missing or stale in a fork, so each kernel then starts cold (the server asks, this
  process declines) until the server restarts;
- it exits when the server closes the socket, and each kernel exits when it does
  (ipykernel's parent poller), as a kernel exits with the server that launched it.
"""

from __future__ import annotations

import gc
import importlib
import json
import os
import signal
import site
import socket
import sys
import threading
import time
import traceback
from importlib.metadata import entry_points

from ipykernel.kernelapp import IPKernelApp

#: What a page's kernel imports before its first widget, besides ipykernel (above): the
#: module the notebooks run (``workbooks/*.ipynb``) and every installed plugin (loaded as a
#: page starts).
PRELOAD = ("placekit.web.pages",)
PLUGIN_GROUP = "placekit"


def watched() -> dict[str, int]:
    """What a fork would be stale against, each with its modification time: every folder
    packages are installed into (pip adds or removes an entry there for every install,
    upgrade and uninstall, an editable install's ``.pth`` file included) and the file of
    every module imported from outside the installed packages and the standard library (an
    editable checkout's code, PlaceKit's or a plugin author's, which changes with no
    install)."""
    folders = [*site.getsitepackages()]
    if site.ENABLE_USER_SITE:
        folders.append(site.getusersitepackages())
    installs = (sys.prefix, sys.base_prefix, *folders)
    files = {
        path
        for module in list(sys.modules.values())
        if (path := getattr(module, "__file__", None)) and not path.startswith(installs)
    }
    changed = {}
    for path in [*folders, *sorted(files)]:
        try:
            changed[path] = os.stat(path).st_mtime_ns
        except OSError:  # gone: a change like any other
            changed[path] = -1
    return changed


#: ``watched()`` as the imports below left it.
AT_PRELOAD: dict[str, int] = {}


def changed_since_imports() -> bool:
    """Whether anything ``watched()`` lists changed since the imports: code imported
    since (a kernel's, or a test's) is not compared."""
    now = watched()
    return any(now.get(path) != when for path, when in AT_PRELOAD.items())


def preload() -> None:
    """Import what every kernel needs. A plugin that fails to import is left for its page
    to report, as it would be without the warm process."""
    for name in PRELOAD:
        importlib.import_module(name)
    for point in entry_points(group=PLUGIN_GROUP):
        try:
            importlib.import_module(point.module)
        except Exception:  # noqa: BLE001 - the page shows the plugin's own error
            continue
    AT_PRELOAD.update(watched())
    # Objects made so far are never freed: leaving them out of collections keeps the
    # kernels from writing to (and so copying) the pages they share with this process.
    gc.freeze()


def become_kernel(argv: list[str], env: dict[str, str], cwd: str) -> None:
    """Run, in a forked child, the kernel ``argv`` (``python -m ipykernel_launcher ARGS``)
    would start. Never returns."""
    code = 1
    try:
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)  # a kernel's subprocesses need reaping
        signal.signal(signal.SIGINT, signal.default_int_handler)
        _set_title(argv)  # before the environment changes: the title may use its space
        os.environ.clear()
        os.environ.update(env)
        time.tzset()
        os.chdir(cwd)
        sys.argv = argv[2:]
        # ipykernel read JPY_PARENT_PID when this process imported it. The kernel exits
        # when the warm process does, as a cold kernel exits with the server.
        app = IPKernelApp.instance(parent_handle=os.getppid())
        app.initialize(argv[3:])
        if "ipywidgets" in sys.modules:
            # ipywidgets registers its comm targets when imported in a kernel; it was
            # imported here before there was one.
            sys.modules["ipywidgets"].register_comm_target()
        app.start()
        code = 0
    except SystemExit as exit_:
        code = exit_.code if isinstance(exit_.code, int) else 1
    except BaseException:  # noqa: BLE001 - the child must never return to the warm loop
        traceback.print_exc()
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)


def _set_title(argv: list[str]) -> None:
    """Show the kernel's own command line in ``ps`` (and to anything that finds kernels
    by it), not the warm process's."""
    from setproctitle import setproctitle  # lazy: only a kernel needs it

    setproctitle(" ".join(argv))


def fork(request: dict, channel: int) -> int:
    """Fork a kernel for ``request``; its pid once it leads its own session. ``channel``:
    the server's socket, which the kernel must not hold."""
    ready_r, ready_w = os.pipe()
    pid = os.fork()
    if pid == 0:
        try:
            os.close(channel)
            os.close(ready_r)
            os.setsid()
            os.close(ready_w)  # tells the warm process the session is made
            become_kernel(request["argv"], request["env"], request["cwd"])
        finally:
            os._exit(1)  # never back into the warm process's loop
    os.close(ready_w)
    os.read(ready_r, 1)  # returns at the child's close, or its death
    os.close(ready_r)
    return pid


def unforkable() -> str:
    """Why this process cannot fork a working kernel now, or "": a thread an import
    started would be missing from every child, holding whatever locks it held; and a
    package installed, upgraded or removed, or code edited, since the imports would be
    missing, or stale, in every child (a fresh Python finds it as it is now)."""
    others = [t.name for t in threading.enumerate() if t is not threading.main_thread()]
    if others:
        return f"an import started a thread ({', '.join(others)})"
    if changed_since_imports():
        return "code or packages changed since the server started (restart it for fast starts)"
    return ""


def serve(channel: socket.socket) -> None:
    """Answer the server's requests until it closes the socket."""
    requests = channel.makefile("rb")
    for line in requests:
        if reason := unforkable():
            answer: dict = {"error": reason}
        else:
            try:
                answer = {"pid": fork(json.loads(line), channel.fileno())}
            except Exception as error:  # noqa: BLE001 - the server falls back to a cold start
                answer = {"error": f"{type(error).__name__}: {error}"}
        channel.sendall(json.dumps(answer).encode() + b"\n")


def main() -> None:
    channel = socket.socket(fileno=int(sys.argv[1]))
    # Children are reaped as they exit; the server watches each through a pidfd.
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)
    if sys.path and sys.path[0] == os.getcwd():  # `-m` put the server's folder first
        del sys.path[0]
    preload()
    with channel:
        serve(channel)


if __name__ == "__main__":
    main()
