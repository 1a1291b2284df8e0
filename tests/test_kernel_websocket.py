"""A tab closed while its kernel is sending leaves no traceback in the server's terminal
(it did: "Task exception was never retrieved", WebSocketClosedError, in a busy room)."""

from __future__ import annotations

import asyncio
import gc
import logging
from types import SimpleNamespace

import pytest
from jupyter_server.services.kernels.connection.channels import ZMQChannelsWebsocketConnection
from tornado.iostream import StreamClosedError
from tornado.websocket import WebSocketClosedError

from placekit.testing import run_apart
from placekit.web.kernels.websocket import QuietWebsocketConnection


class ClosingPage:
    """A page's websocket whose stream closes while a message is on its way, failing the
    send the way tornado's ``write_message`` does."""

    def __init__(self, error: Exception) -> None:
        self.error = error

    def write_message(self, message, binary=False):
        async def wrapper():
            raise self.error

        return asyncio.ensure_future(wrapper())


def _unretrieved(connection_class, error: Exception) -> list[str]:
    """What asyncio reports after one send to a page that fails with ``error``."""
    reported: list[str] = []

    async def send() -> None:
        asyncio.get_running_loop().set_exception_handler(
            lambda loop, context: reported.append(context["message"])
        )
        fake_self = SimpleNamespace(websocket_handler=ClosingPage(error))
        connection_class.write_message.fget(fake_self)('{"msg_type": "status"}')
        await asyncio.sleep(0.01)  # the send fails
        gc.collect()  # asyncio reports an unretrieved exception when the task is collected

    run_apart(send)  # its own loop: in a full run, Playwright's runs in this thread
    return reported


def test_a_send_to_a_closed_page_is_quiet() -> None:
    closed = WebSocketClosedError()
    closed.__context__ = StreamClosedError()
    assert _unretrieved(ZMQChannelsWebsocketConnection, closed) == [
        "Task exception was never retrieved"
    ]  # as jupyter_server does it
    assert _unretrieved(QuietWebsocketConnection, closed) == []


def test_any_other_failure_to_send_is_logged(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.ERROR, logger="placekit.web.kernels.websocket"):
        assert _unretrieved(QuietWebsocketConnection, ValueError("bad frame")) == []
    assert "could not be sent" in caplog.text and "bad frame" in caplog.text


def test_a_page_closed_before_the_send_is_quiet() -> None:
    class Closed:
        def write_message(self, message, binary=False):
            raise WebSocketClosedError()

    write = QuietWebsocketConnection.write_message.fget(SimpleNamespace(websocket_handler=Closed()))
    assert write("{}") is None


def test_the_server_uses_it() -> None:
    from placekit.web.server import PlaceKitVoila

    assert PlaceKitVoila().kernel_websocket_connection_class is QuietWebsocketConnection
