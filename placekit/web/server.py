"""PlaceKit's web server: Voila, with a door in front of its pages, a gate on kernel starts,
page kernels forked from a warm Python (``kernels/``), and, run as a JupyterHub service, the
hub's sign-in before the pages that need it (``hub.py``).

``placekit serve`` runs ``python -m placekit.web.server`` with Voila's own options plus
``--PlaceKitVoila.max_kernels`` and ``--PlaceKitVoila.max_starting`` (see ``door.py`` for the
policy). This module runs only in the server process; no page's kernel imports it.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import os
import secrets
import threading

import tornado.web
from jupyter_server.services.kernels.connection.base import BaseKernelWebsocketConnection
from jupyter_server.services.kernels.kernelmanager import AsyncMappingKernelManager
from jupyter_server.utils import url_path_join
from traitlets import Bool, Enum, Int, Type
from voila.app import Voila
from voila.tornado.contentshandler import VoilaContentsHandler
from voila.tornado.handler import TornadoVoilaHandler
from voila.tornado.treehandler import TornadoVoilaTreeHandler

from placekit.data.store import Store
from placekit.live import feed
from placekit.live.join_codes import Attempts
from placekit.web.capacity import default_max_kernels
from placekit.web.door import Door, Verdict
from placekit.web.hub import SIGN_IN, HubSignIn
from placekit.web.join import JoinCodeHandler
from placekit.web.kernels import forked
from placekit.web.kernels.websocket import QuietWebsocketConnection
from placekit.web.projector import (
    SESSION,
    STEP,
    ProjectorHandler,
    RevealHandler,
    RoomEventsHandler,
    room_watchers,
)

TICKET = "pk_turn"  # the waiting page's query parameter; the page template strips it
ASK_AGAIN_MS = 2000
PRERENDER_LIMIT_S = 30.0  # a prestarted page's notebook runs in ~1 s on an idle machine


class RoomKernelManager(AsyncMappingKernelManager):
    """Starts at most ``max_starting`` kernels at once, prestarted ones included: a start is
    CPU-bound, and thirty at once on two cores made each take half a minute and raced the
    kernels for ports ("Address already in use").

    A prestarted kernel keeps its place until Voila has run its notebook in it (its first
    "busy" then "idle"): Voila runs it as soon as the start returns, and a room of thirty's
    sixty notebooks run at once on two cores timed out ("Timeout waiting for IOPub
    output") and left pool pages that never showed their form."""

    max_starting = Int(2, config=True, help="Kernels started at the same time, at most.")

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self._starts: asyncio.Semaphore | None = None
        self._rendering: set[asyncio.Task] = set()  # held, so they are not collected
        self.prestarting = 0  # pool refills: starts no visitor is waiting on

    async def start_kernel(self, *args, **kwargs) -> str:
        # Voila marks a pool's kernels in their environment; a visitor's start is counted by
        # the door that let them in instead.
        prestart = kwargs.get("env", {}).get("VOILA_PREHEAT") == "True"
        if self._starts is None:  # made here, on the server's event loop
            self._starts = asyncio.Semaphore(self.max_starting)
        self.prestarting += prestart
        await self._starts.acquire()
        try:
            kernel_id = await super().start_kernel(*args, **kwargs)
        except BaseException:
            self._done_starting(prestart)
            raise
        if not prestart:
            self._done_starting(False)
            return kernel_id
        task = asyncio.ensure_future(self._when_rendered(kernel_id))
        self._rendering.add(task)
        task.add_done_callback(self._rendering.discard)
        return kernel_id

    async def _when_rendered(self, kernel_id: str) -> None:
        """Wait for the kernel to have run its notebook, or PRERENDER_LIMIT_S (a notebook
        too quick to be seen busy, or one that hangs, holds the place no longer)."""
        loop = asyncio.get_running_loop()
        deadline, seen_busy = loop.time() + PRERENDER_LIMIT_S, False
        try:
            while loop.time() < deadline and kernel_id in self._kernels:
                state = getattr(self._kernels[kernel_id], "execution_state", "")
                seen_busy = seen_busy or state == "busy"
                if seen_busy and state == "idle":
                    return
                await asyncio.sleep(0.1)
        finally:
            self._done_starting(True)

    def _done_starting(self, prestart: bool) -> None:
        self.prestarting -= prestart
        if self._starts is not None:
            self._starts.release()


def _ready(task: asyncio.Task) -> bool:
    return task.done() and not task.cancelled() and task.exception() is None


def ready_kernels(kernel_manager: AsyncMappingKernelManager, notebook: str) -> int:
    """Prestarted kernels waiting for ``notebook``. Voila keeps its pool as a private list of
    start tasks (voila 0.5, pinned in pyproject); no pool, no ready kernels."""
    pool = getattr(kernel_manager, "_pools", {}).get(notebook, [])
    return sum(1 for task in pool if _ready(task))


def take_ready_first(kernel_manager: AsyncMappingKernelManager, notebook: str) -> None:
    """Put ``notebook``'s ready kernels at the front of its pool. Voila gives a page the
    pool's first task and awaits it, ready or not: a refill still in its ``fill_delay`` (60 s)
    or a start still under way would keep the page waiting while a ready kernel sat behind
    it. ``sort`` is stable, so ready kernels keep their order."""
    pool = getattr(kernel_manager, "_pools", {}).get(notebook)
    if pool:
        pool.sort(key=lambda task: not _ready(task))


class DoorHandler(TornadoVoilaHandler):
    """Voila's page handler, behind the door: an admitted page renders as Voila's would; any
    other gets the waiting page, which asks again by itself. With hub sign-in on, a page that
    needs it goes to the hub's login first (``hub.py``)."""

    async def prepare(self) -> None:
        await super().prepare()
        sign_in: HubSignIn | None = self.settings.get("placekit_sign_in")
        if self._finished or sign_in is None:
            return
        if await sign_in.needed(self.get_argument("code", None)):
            await sign_in.turn_away(self)

    @tornado.web.authenticated
    async def get(self, path: str | None = None) -> None:
        door: Door = self.settings["placekit_door"]
        km = self.kernel_manager
        self._page = self.notebook_path or path or ""  # as Voila names the page's pool
        verdict = door.knock(
            self.get_argument(TICKET, None),
            live=len(km.list_kernel_ids()),
            starting=km.prestarting,
            ready=ready_kernels(km, self._page),
        )
        if not verdict.admitted:
            self._wait(verdict)
            return
        kernel_less = verdict.in_flight
        try:
            async for html in self.get_generator(path=path):
                if kernel_less:  # Voila writes its first byte once the kernel runs
                    door.kernel_started()
                    kernel_less = False
                self.write(html)
                self.flush()
        finally:
            if verdict.in_flight:  # the page's notebook has run, or failed
                door.prepared(had_kernel=not kernel_less)

    def should_use_rendered_notebook(self, notebook_data: dict, pool_size: int, *args) -> bool:
        """A prestarted page only from a ready kernel: with none ready (the room has taken
        them all and the refills wait their delay), Voila would hold the page for a refill;
        a kernel started now, through the door, is sooner."""
        ready = ready_kernels(self.kernel_manager, self._page)
        if not ready or not super().should_use_rendered_notebook(notebook_data, ready, *args):
            return False
        take_ready_first(self.kernel_manager, self._page)
        return True

    def _wait(self, verdict: Verdict) -> None:
        self.set_status(503)  # for a script or a proxy; a person sees the page below
        self.set_header("Retry-After", str(ASK_AGAIN_MS // 1000))
        self.set_header("Cache-Control", "no-cache, no-store, must-revalidate")
        self.finish(
            self.render_template(
                "busy.html", ticket=verdict.ticket, ahead=verdict.ahead, ask_again_ms=ASK_AGAIN_MS
            )
        )


class PlaceKitVoila(Voila):
    """Voila whose page handler is the door's, and whose kernels start through the gate."""

    max_kernels = Int(
        0, config=True, help="Kernels running at once, at most (0: from the machine's memory)."
    )
    max_starting = Int(
        0, config=True, help="Pages prepared at once, at most (0: one per CPU core)."
    )
    fork_kernels = Bool(
        True, config=True, help="Fork page kernels from a warm Python (where the OS can)."
    )
    hub_sign_in = Enum(
        ["", *SIGN_IN],
        "",
        config=True,
        help="Pages that need a JupyterHub sign-in, as a hub service: facilitators' or all.",
    )

    kernel_websocket_connection_class = Type(
        default_value=QuietWebsocketConnection,
        klass=BaseKernelWebsocketConnection,
        config=True,
        help="The kernel websocket connection class (quiet when a page has closed).",
    )

    @property
    def _starting(self) -> int:
        return self.max_starting or os.cpu_count() or 1

    def init_settings(self) -> dict:
        # Before Voila's kernel manager, which starts the pool of kernels (--room) at once.
        self._offer_room_feed()
        self.voila_configuration.multi_kernel_manager_class = RoomKernelManager
        self.config.RoomKernelManager.max_starting = self._starting  # before it is made
        if self.fork_kernels and forked.supported():
            # Read when the first kernel starts; the warm process imports meanwhile.
            self.config.KernelProvisionerFactory.default_provisioner_name = forked.NAME
            threading.Thread(target=_start_warm, name="placekit-warm", daemon=True).start()
        return super().init_settings()

    def init_handlers(self) -> list:
        self.app.settings["placekit_door"] = Door(
            max_kernels=self.max_kernels or default_max_kernels(), max_starting=self._starting
        )
        # Members reach one page, the workbook's index: Voila's file list of the notebooks
        # (the server's root and /voila/tree) and its contents API are not for them.
        index = url_path_join(self.server_url, "/voila/render/index.ipynb")
        join = {"attempts": Attempts(), "store": _store}
        screen = {"store": _store, "watchers": room_watchers(_store)}
        routes = [
            (url_path_join(self.server_url, "join"), JoinCodeHandler, join),
            (url_path_join(self.server_url, f"live/{SESSION}"), ProjectorHandler, screen),
            (url_path_join(self.server_url, f"live/{SESSION}/events"), RoomEventsHandler, screen),
            (
                url_path_join(self.server_url, f"live/{SESSION}/reveal/{STEP}"),
                RevealHandler,
                screen,
            ),
        ]
        if self.hub_sign_in:
            sign_in = self.app.settings["placekit_sign_in"] = HubSignIn(self.hub_sign_in, _store)
            routes.append(
                (url_path_join(self.server_url, "oauth_callback"), sign_in.callback_handler)
            )
        for route in super().init_handlers():
            if route[1] is TornadoVoilaTreeHandler:
                routes.append(
                    (route[0], tornado.web.RedirectHandler, {"url": index, "permanent": False})
                )
            elif route[1] is TornadoVoilaHandler:
                routes.append((route[0], DoorHandler, *route[2:]))
            elif route[1] is not VoilaContentsHandler:
                routes.append(route)
        return routes

    def _offer_room_feed(self) -> None:
        """Tell the page kernels, through the environment they inherit, where the room's
        events are and a key to read them by (placekit.live.feed): new at each start, so
        a key outlives neither the server nor its kernels."""
        host = self.ip if self.ip not in ("", "0.0.0.0", "::", "localhost") else "127.0.0.1"
        host = f"[{host}]" if ":" in host else host
        served_at = self.server_url or self.base_url  # as Voila's init_settings defaults it
        os.environ[feed.ADDRESS] = f"http://{host}:{self.port}" + url_path_join(served_at, "live/")
        os.environ[feed.KEY] = secrets.token_urlsafe(32)


@functools.cache
def _store() -> Store:
    """The database, opened when first needed: a server no one asks a join code of (a
    bench's, say) never touches it."""
    return Store()  # PLACEKIT_DB, pinned by placekit serve


def _start_warm() -> None:
    try:
        forked.WARM.start()
    except forked.WarmError as error:  # kernels start cold, as without it
        logging.getLogger(__name__).warning("%s", error)


main = PlaceKitVoila.launch_instance

if __name__ == "__main__":
    main()
