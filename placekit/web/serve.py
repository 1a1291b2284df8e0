"""Running Voila on the workbooks with the settings PlaceKit needs."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from placekit.web.capacity import RoomPlan

# A page shuts its own kernel down when it goes (PlaceKit's template; Voila's own request is
# refused, Voila issue #1458). Kernels a page could not shut down (a crashed browser, a phone
# that slept) are culled once idle with no browser attached for this long; a page open and
# connected is never culled. Its member reloads and resumes.
CULL_IDLE_SECONDS = 120
CULL_INTERVAL_SECONDS = 30
# About 1 load in 20 hangs on "Executing 1 of N" (Voila issue #1395); a cell timeout turns
# a hang into an error that the page's reload recovers from, instead of a page stuck forever.
# Long enough for a page on a busy server (a room of twenty opening at once, when a cold page
# can take half a minute): a timeout there would reload a page that was only slow, and each
# reload starts its work again.
CELL_TIMEOUT_SECONDS = 45
# Once a cell has run, Voila waits this long for the rest of its output (nbclient's default,
# 4 s) and then renders the page without it: in a room of thirty browsers on two cores the
# page's widget arrived later than that, four pages of thirty were served with no form, and
# sat blank until the watchdog reloaded them (bench/README.md). A page on time waits for
# nothing more.
IOPUB_TIMEOUT_SECONDS = 30
# A planned room's kernel taken by a page is replaced this long after, once the room has
# arrived: Voila's default (1 s) refilled thirty pools during the burst, each refill a kernel
# start and a notebook run, taking the CPU the room's own pages needed.
REFILL_DELAY_SECONDS = 60
# An uploaded file reaches the kernel as one websocket message, and Tornado refuses any
# message over 10 MiB by closing the connection (the page dies). A case-system export of a
# million rows is ~200 MB.
MAX_UPLOAD_BYTES = 512 * 1024 * 1024


def workbooks_dir() -> Path:
    """The notebooks Voila serves: the checkout's ``workbooks/``, else the installed copy."""
    package = Path(__file__).resolve().parents[1]  # placekit/
    checkout = package.parent / "workbooks"
    return checkout if checkout.is_dir() else package / "_workbooks"


def template_path() -> Path:
    """A Jupyter data folder holding PlaceKit's Voila template (add it to JUPYTER_PATH)."""
    return Path(__file__).resolve().parent / "share" / "jupyter"


def voila_env(base: dict[str, str]) -> dict[str, str]:
    """The environment Voila needs to find PlaceKit's template and its settings
    (``share/jupyter/config/voila.py``: the upload size)."""
    paths = [str(template_path()), *filter(None, [base.get("JUPYTER_PATH")])]
    configs = [str(template_path() / "config"), *filter(None, [base.get("JUPYTER_CONFIG_PATH")])]
    return base | {
        "JUPYTER_PATH": os.pathsep.join(paths),
        "JUPYTER_CONFIG_PATH": os.pathsep.join(configs),
    }


def pages(notebooks: Path | None = None) -> int:
    """The notebooks a server on ``notebooks`` serves (each gets its own prestarted pool)."""
    return sum(1 for _ in (notebooks or workbooks_dir()).rglob("*.ipynb"))


def voila_command(
    port: int,
    host: str = "127.0.0.1",
    plan: RoomPlan | None = None,
    notebooks: Path | None = None,
    fork: bool = True,
    prefix: str = "/",
    sign_in: str = "",
) -> list[str]:
    """PlaceKit's server (Voila behind the door, ``placekit.web.server``) with PlaceKit's
    settings, serving ``notebooks`` (by default the workbooks); ``plan``: kernels to hold
    and to prestart (by default as many as the machine's memory holds, none prestarted);
    ``fork``: page kernels forked from a warm Python where the OS allows
    (``placekit.web.kernels``), else each a fresh one; ``prefix``: the path a proxy in front
    sends (JupyterHub's ``/services/placekit/``); ``sign_in``: whose pages need a JupyterHub
    sign-in (``placekit.web.hub``), none by default."""
    args = [
        sys.executable,
        "-m",
        "placekit.web.server",
        str(notebooks or workbooks_dir()),
        "--no-browser",
        f"--port={port}",
        "--Voila.port_retries=0",  # never serve quietly on another port than the links say
        f"--Voila.ip={host}",
        "--template=placekit",
        "--show_tracebacks=False",  # users see a plain message; the server log has the detail
        f"--MappingKernelManager.cull_idle_timeout={CULL_IDLE_SECONDS}",
        f"--MappingKernelManager.cull_interval={CULL_INTERVAL_SECONDS}",
        "--MappingKernelManager.cull_connected=False",
        f"--VoilaExecutor.timeout={CELL_TIMEOUT_SECONDS}",
        f"--VoilaExecutor.iopub_timeout={IOPUB_TIMEOUT_SECONDS}",
        f"--PlaceKitVoila.fork_kernels={fork}",
        f"--Voila.base_url={prefix}",
    ]
    if sign_in:
        args.append(f"--PlaceKitVoila.hub_sign_in={sign_in}")
    if os.name == "posix":
        # Kernels talk to the server over Unix sockets, not TCP ports: a TCP kernel is given
        # free ports that it binds only once started, and in a burst another kernel or a
        # connection took them first ("Address already in use"; five restarts, then the page
        # is dead). Nothing else on the machine can reach an IPC kernel either.
        args.append("--KernelManager.transport=ipc")
    if plan is not None:
        args.append(f"--PlaceKitVoila.max_kernels={plan.max_kernels}")
        if plan.pool:
            args += [
                "--preheat_kernel=True",
                f"--pool_size={plan.pool}",
                f"--VoilaKernelManager.fill_delay={REFILL_DELAY_SECONDS}",
            ]
    return args
