"""A page visit as the server sees it, without a browser: what the server and the page's
kernel do for one visitor, whatever their device.

A Voila page reaches a member in three parts: the server runs the notebook and sends the
page (HTML); the browser fetches the page's scripts and styles; the page's widget manager
connects to its kernel's websocket and asks for every widget's state (ipywidgets 8's
``jupyter.widget.control`` comm, ``request_states``), then draws them. The drawing is the
member's device's own work: thirty members bring thirty devices. This client does the
other parts as the page does, so a room of them on the server's machine measures the
server alone (``bench/room.py --clients protocol``): a browser room on the same two cores
measures thirty Chromium renderers competing with the kernels.

What it leaves out: the scripts a page's bundle loads later by itself (webpack chunks, a
browser caches them after the first visit), and the widgets' own messages after the form
shows. Leaving a page is what the page template does: a DELETE of its kernel, with the
``_xsrf`` double-submit token.
"""

from __future__ import annotations

import asyncio
import json
import re
import secrets
import struct
import time
import uuid
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urljoin, urlparse

from tornado.httpclient import AsyncHTTPClient, HTTPRequest
from tornado.websocket import websocket_connect

CONFIG = re.compile(
    r'<script id="jupyter-config-data" type="application/json">\s*(\{.*?\})\s*</script>', re.S
)
CONTROL_PROTOCOL = "1.0.0"  # ipywidgets 8's widget control comm refuses any other version
BUSY = 503  # the door's waiting page: ask again with its ticket, as its script does
TICKET = re.compile(r'searchParams\.set\("pk_turn", "(\w+)"\)')

# Enough for a room: Tornado's default client makes ten requests at once and queues the rest.
AsyncHTTPClient.configure(None, max_clients=500)


@dataclass
class PageVisit:
    served: float | None = None  # s from the first request to the page's last byte
    assets: float | None = None  # s, once its scripts and styles have arrived
    to_form: float | None = None  # s, once its widgets' states have arrived
    waits: int = 0  # waiting pages (the door's) before it was let in
    kernel_id: str | None = None
    failed: str = ""


class _Assets(HTMLParser):
    """The page's own scripts and styles."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "script" and found.get("src"):
            self.urls.append(found["src"] or "")
        elif tag == "link" and found.get("rel") == "stylesheet" and found.get("href"):
            self.urls.append(found["href"] or "")


def _message(
    session: str, msg_type: str, content: dict[str, Any], metadata: dict[str, Any] | None = None
) -> dict[str, Any]:
    return {
        "header": {
            "msg_id": uuid.uuid4().hex,
            "username": "room",
            "session": session,
            "msg_type": msg_type,
            "version": "5.3",
            "date": "",
        },
        "parent_header": {},
        "metadata": metadata or {},
        "content": content,
        "channel": "shell",
        "buffers": [],
    }


def _decode(frame: str | bytes) -> dict[str, Any]:
    """A kernel message off the websocket: JSON text, or Jupyter's binary framing (a count,
    offsets, then the message's JSON and its buffers) when a message carries buffers."""
    if isinstance(frame, str):
        return json.loads(frame)
    (count,) = struct.unpack("!I", frame[:4])
    offsets = struct.unpack(f"!{count}I", frame[4 : 4 + 4 * count])
    end = offsets[1] if count > 1 else len(frame)
    return json.loads(frame[offsets[0] : end].decode("utf-8"))


async def _get(url: str, timeout: float) -> Any:
    request = HTTPRequest(url, request_timeout=timeout, follow_redirects=True)
    return await AsyncHTTPClient().fetch(request, raise_error=False)


async def open_page(url: str, timeout: float = 180.0) -> PageVisit:
    """Open ``url`` as a page does (waiting its turn at the door, as the waiting page's own
    script does) and fetch its widgets' states; times from the first request."""
    visit = PageVisit()
    start = time.perf_counter()
    deadline = start + timeout

    def left() -> float:
        return max(0.1, deadline - time.perf_counter())

    try:
        target = url
        while True:
            response = await _get(target, left())
            if response.code != BUSY:
                break
            visit.waits += 1
            ticket = TICKET.search(response.body.decode("utf-8", "replace"))
            join = "&" if "?" in url else "?"
            target = f"{url}{join}pk_turn={ticket.group(1)}" if ticket else url
            retry = float(response.headers.get("Retry-After", "2"))
            await asyncio.sleep(min(retry, left()))
        if response.code != 200:
            raise RuntimeError(f"HTTP {response.code}")
        visit.served = time.perf_counter() - start
        html = response.body.decode("utf-8")
        assets = _Assets()
        assets.feed(html)
        for asset in assets.urls:
            if urlparse(urljoin(url, asset)).netloc != urlparse(url).netloc:
                continue  # another site's: the server's part is what this measures
            got = await _get(urljoin(url, asset), left())
            if got.code != 200:
                raise RuntimeError(f"HTTP {got.code} for {asset}")
        visit.assets = time.perf_counter() - start
        config = json.loads(CONFIG.search(html).group(1))
        visit.kernel_id = config["kernelId"]
        await _widget_states(url, config, left())
        visit.to_form = time.perf_counter() - start
    except Exception as problem:
        visit.failed = f"{type(problem).__name__}: {problem}"[:120]
    return visit


async def _widget_states(url: str, config: dict[str, Any], timeout: float) -> None:
    """What the page's widget manager asks first: every widget's state, in one reply."""
    parts = urlparse(url)
    base = config.get("baseUrl") or "/"
    session = uuid.uuid4().hex
    socket_url = (
        f"ws://{parts.netloc}{base}api/kernels/{config['kernelId']}/channels?session_id={session}"
    )
    connection = await websocket_connect(socket_url, connect_timeout=timeout)
    try:
        comm_id = uuid.uuid4().hex
        opened = _message(
            session,
            "comm_open",
            {"comm_id": comm_id, "target_name": "jupyter.widget.control", "data": {}},
            {"version": CONTROL_PROTOCOL},
        )
        ask = _message(
            session, "comm_msg", {"comm_id": comm_id, "data": {"method": "request_states"}}
        )
        connection.write_message(json.dumps(opened))
        connection.write_message(json.dumps(ask))
        ask_id = ask["header"]["msg_id"]
        end = time.perf_counter() + timeout
        while time.perf_counter() < end:
            frame = await connection.read_message()
            if frame is None:
                raise RuntimeError("the kernel's websocket closed")
            message = _decode(frame)
            data = message.get("content", {}).get("data", {})
            if (
                message.get("parent_header", {}).get("msg_id") == ask_id
                and data.get("method") == "update_states"
            ):
                return
        raise TimeoutError("no widget states")
    finally:
        connection.close()


async def close_page(url: str, kernel_id: str | None) -> None:
    """What the page template does as the page goes: shut its kernel down."""
    if kernel_id is None:
        return
    token = secrets.token_hex(16)
    parts = urlparse(url)
    request = HTTPRequest(
        f"{parts.scheme}://{parts.netloc}/api/kernels/{kernel_id}",
        method="DELETE",
        headers={"X-XSRFToken": token, "Cookie": f"_xsrf={token}"},
        request_timeout=30,
    )
    await AsyncHTTPClient().fetch(request, raise_error=False)
