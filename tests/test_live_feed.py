"""A member's page kernel hearing the room (placekit.live.feed): the server's event stream
read in a thread, each event handed to the kernel's loop, the key sent in place of a
sign-in; a dropped stream read again; stopped once the session is over."""

from __future__ import annotations

import asyncio
import http.server
import json
import threading

from placekit.live import feed
from placekit.testing import run_apart


def test_the_feed_hears_each_change_reconnects_and_stops_when_the_session_is_over(
    monkeypatch,
) -> None:
    asked: list[tuple[str, str | None]] = []
    streams = [
        [{"live": True, "step": "gut"}],  # then the connection drops (a restart)
        [{"live": True, "step": "reveal"}, {"live": False}],
    ]

    class Events(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - http.server's name
            asked.append((self.path, self.headers.get(feed.HEADER)))
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream")
            self.end_headers()
            self.wfile.write(b"retry: 2000\n\n: still here\n\n")
            for event in streams.pop(0) if streams else []:
                self.wfile.write(f"data: {json.dumps(event)}\n\n".encode())
            self.wfile.flush()

        def log_message(self, *_args: object) -> None:
            pass  # quiet: http.server logs each request to stderr

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Events)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    monkeypatch.setenv(feed.ADDRESS, f"http://127.0.0.1:{server.server_port}/live/")
    monkeypatch.setenv(feed.KEY, "the-server's-key")
    monkeypatch.setattr(feed, "RETRY_S", 0.1)
    assert feed.available()

    async def listen() -> tuple[list[dict], list[str]]:
        heard: list[dict] = []
        threads: list[str] = []
        done = asyncio.Event()

        def on_event(event: dict) -> None:
            heard.append(event)
            threads.append(threading.current_thread().name)
            if not event["live"]:
                done.set()

        room = feed.RoomFeed("ab" * 16, on_event, asyncio.get_running_loop()).start()
        await asyncio.wait_for(done.wait(), 10)
        await asyncio.sleep(0.3)  # time for a further ask, which should not come
        assert room.closed is False  # over by the stream's word, not by close()
        return heard, threads

    try:
        heard, threads = run_apart(listen)
    finally:
        server.shutdown()
    assert [e.get("step") for e in heard] == ["gut", "reveal", None]
    assert "placekit-room-feed" not in threads  # on the loop's thread, not the feed's
    assert asked == [(f"/live/{'ab' * 16}/events", "the-server's-key")] * 2


def test_a_page_outside_the_server_has_no_feed(monkeypatch) -> None:
    monkeypatch.delenv(feed.ADDRESS, raising=False)
    monkeypatch.delenv(feed.KEY, raising=False)
    assert not feed.available()
