"""A page's kernel websocket that says nothing when the page has gone mid-message.

jupyter_server's connection sends kernel messages with tornado's ``write_message`` and
never looks at the future it returns. When a tab closes while a message is on its way (a
kernel shut down as its page goes, which the door does within seconds) that future fails
with ``WebSocketClosedError`` and asyncio prints "Task exception was never retrieved" and
two tracebacks in the terminal, for nothing anyone can act on: the page is gone.
"""

from __future__ import annotations

import logging
from asyncio import Future
from collections.abc import Callable
from typing import Any

from jupyter_server.services.kernels.connection.channels import ZMQChannelsWebsocketConnection
from tornado.websocket import WebSocketClosedError

log = logging.getLogger(__name__)


GONE = "A kernel message was not sent: its page had closed."


def _sent(future: Future) -> None:
    """Looks at a send's outcome, so asyncio does not complain that nobody did."""
    if future.cancelled():
        return
    error = future.exception()
    if isinstance(error, WebSocketClosedError):
        log.debug(GONE)
    elif error is not None:
        log.error("A kernel message could not be sent to its page.", exc_info=error)


class QuietWebsocketConnection(ZMQChannelsWebsocketConnection):
    """Messages to a page that has closed are dropped quietly; any other failure to send is
    logged as an error."""

    @property
    def write_message(self) -> Callable[..., Any]:
        send = self.websocket_handler.write_message

        def write(message: Any, binary: bool = False) -> Any:
            try:
                sent = send(message, binary=binary)
            except WebSocketClosedError:
                log.debug(GONE)
                return None
            if isinstance(sent, Future):
                sent.add_done_callback(_sent)
            return sent

        return write
