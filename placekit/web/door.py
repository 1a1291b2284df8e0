"""Who opens a page now, and who waits: the server's door in front of a burst of visitors.

Every page load starts a kernel (~150 MB, and a second or more of CPU). Thirty people opening
the team link in the same ten seconds on a two-core server made every page slow, some never
shown, and memory climb without limit; so the door lets a page in only when

* a prestarted kernel is ready for its notebook (a planned room; it costs nothing new), or
* the machine can hold one more kernel (``max_kernels``, sized from its memory) and fewer
  than ``max_starting`` pages are being prepared (a kernel starting, then running the page's
  notebook: CPU-bound work, so more at once only makes every one of them slower, and races
  the kernels for ports).

Anyone else gets a waiting page with a ticket that asks again every couple of seconds, and
the door serves tickets in the order they were given out: nobody who waits is overtaken by
someone who came later, and nobody is ever turned away. A ticket whose page stops asking
(its tab closed) is forgotten after ``patience`` seconds.

Invariants:
- an admitted page counts against the kernel limit until its kernel is running
  (``kernel_started``; from then on it is one of the ``live`` kernels) and against the start
  rate until its page is prepared (``prepared``), so one event-loop tick cannot admit a
  burst past either limit, and no page is counted twice against the kernel limit;
- tickets are admitted in issue order; an unknown or expired ticket queues again at the back.

Pure policy: no Tornado or Voila here, so it is tested with a fake clock.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Verdict:
    """``admitted`` (``in_flight`` if it is to start a kernel: tell the door when it has, and
    when its page is prepared), or a ``ticket`` to ask again with and how many wait
    ``ahead`` of it."""

    admitted: bool
    in_flight: bool = False
    ticket: str | None = None
    ahead: int = 0


@dataclass
class Door:
    max_kernels: int
    max_starting: int
    patience: float = 10.0
    clock: Callable[[], float] = time.monotonic
    kernel_less: int = 0  # admitted, kernel not yet running
    preparing: int = 0  # admitted, page not yet prepared
    _queue: dict[str, float] = field(default_factory=dict)  # ticket -> last asked; issue order
    _numbers: itertools.count = field(default_factory=lambda: itertools.count(1))

    def __post_init__(self) -> None:
        if self.max_kernels < 1 or self.max_starting < 1:
            raise ValueError("a door must let at least one page in")

    def knock(self, ticket: str | None, *, live: int, starting: int, ready: int) -> Verdict:
        """A page asks to open. ``live``: kernels running; ``starting``: kernel starts under
        way that no admitted page asked for (a pool refilling); ``ready``: prestarted kernels
        waiting for this page's notebook (a page given one needs neither limit)."""
        now = self.clock()
        self._forget_gone(now)
        if ticket not in self._queue:
            ticket = None
        cold = min(
            self.max_kernels - live - starting - self.kernel_less,
            self.max_starting - starting - self.preparing,
        )
        free = ready + max(0, cold)
        order = list(self._queue)
        place = order.index(ticket) if ticket else len(order)
        if place < free:
            if ticket:
                del self._queue[ticket]
            in_flight = place >= ready  # the first `ready` take prestarted kernels
            self.kernel_less += in_flight
            self.preparing += in_flight
            return Verdict(admitted=True, in_flight=in_flight)
        if ticket is None:
            ticket = str(next(self._numbers))
        self._queue[ticket] = now
        return Verdict(admitted=False, ticket=ticket, ahead=place)

    def kernel_started(self) -> None:
        """An in-flight page's kernel runs (it is one of the live kernels now)."""
        self.kernel_less = max(0, self.kernel_less - 1)

    def prepared(self, *, had_kernel: bool) -> None:
        """An in-flight page is prepared, or failed (``had_kernel``: ``kernel_started``
        was said for it)."""
        if not had_kernel:
            self.kernel_started()
        self.preparing = max(0, self.preparing - 1)

    @property
    def waiting(self) -> int:
        return len(self._queue)

    def _forget_gone(self, now: float) -> None:
        for ticket, seen in list(self._queue.items()):
            if now - seen > self.patience:
                del self._queue[ticket]
