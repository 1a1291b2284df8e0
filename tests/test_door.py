"""The server's door (placekit/web/door.py) and the machine's capacity (capacity.py): who opens
a page now, who waits and in what order, and how many kernels a room is given."""

from __future__ import annotations

import pytest

from placekit.web.capacity import HEADROOM_BYTES, KERNEL_BYTES, default_max_kernels, plan_room
from placekit.web.door import Door


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def door(max_kernels: int = 10, max_starting: int = 2, **kw) -> Door:
    return Door(max_kernels=max_kernels, max_starting=max_starting, clock=Clock(), **kw)


def test_pages_open_while_there_is_room():
    d = door()
    first = d.knock(None, live=0, starting=0, ready=0)
    assert first.admitted and first.in_flight
    d.kernel_started()
    d.prepared(had_kernel=True)
    assert d.knock(None, live=1, starting=0, ready=0).admitted


def test_a_burst_is_let_in_no_faster_than_pages_can_be_prepared():
    d = door(max_starting=2)
    verdicts = [d.knock(None, live=0, starting=0, ready=0) for _ in range(5)]
    assert [v.admitted for v in verdicts] == [True, True, False, False, False]
    assert [v.ahead for v in verdicts[2:]] == [0, 1, 2]
    assert len({v.ticket for v in verdicts[2:]}) == 3
    # Their kernels run, but their notebooks are still running: nobody else yet.
    d.kernel_started()
    d.kernel_started()
    assert not d.knock(verdicts[2].ticket, live=2, starting=0, ready=0).admitted
    d.prepared(had_kernel=True)
    assert d.knock(verdicts[2].ticket, live=2, starting=0, ready=0).admitted
    assert not d.knock(verdicts[3].ticket, live=2, starting=0, ready=0).admitted


def test_waiting_pages_go_in_the_order_they_came():
    d = door(max_starting=1)
    d.knock(None, live=0, starting=0, ready=0)  # in, starting
    early = d.knock(None, live=0, starting=0, ready=0)
    late = d.knock(None, live=0, starting=0, ready=0)
    d.prepared(had_kernel=False)
    # The later page asks first once there is room: it still waits behind the earlier one.
    assert not d.knock(late.ticket, live=1, starting=0, ready=0).admitted
    # A newcomer queues behind both, even though a kernel could start.
    newcomer = d.knock(None, live=1, starting=0, ready=0)
    assert not newcomer.admitted and newcomer.ahead == 2
    assert d.knock(early.ticket, live=1, starting=0, ready=0).admitted


def test_the_machine_s_limit_holds_whatever_the_start_rate():
    d = door(max_kernels=3, max_starting=2)
    assert not d.knock(None, live=3, starting=0, ready=0).admitted
    # Kernels a pool is starting count against the limit too.
    assert not d.knock(None, live=1, starting=2, ready=0).admitted
    # A page let in but whose kernel is not running yet holds its place under the limit.
    d = door(max_kernels=3, max_starting=5)
    assert d.knock(None, live=2, starting=0, ready=0).admitted
    waits = d.knock(None, live=2, starting=0, ready=0)
    assert not waits.admitted
    d.kernel_started()  # now one of the live kernels, and not counted twice
    assert not d.knock(waits.ticket, live=3, starting=0, ready=0).admitted
    assert d.knock(waits.ticket, live=2, starting=0, ready=0).admitted  # another closed


def test_a_prestarted_kernel_lets_a_page_in_at_once_and_starts_nothing():
    d = door(max_kernels=3, max_starting=1)
    d.knock(None, live=0, starting=0, ready=0)  # one start in flight: the gate is full
    taken = d.knock(None, live=2, starting=0, ready=1)
    assert taken.admitted and not taken.in_flight
    assert (d.kernel_less, d.preparing) == (1, 1)


def test_a_closed_waiting_page_gives_up_its_place():
    clock = Clock()
    d = Door(max_kernels=10, max_starting=1, patience=10, clock=clock)
    d.knock(None, live=0, starting=0, ready=0)
    gone = d.knock(None, live=0, starting=0, ready=0)
    stays = d.knock(None, live=0, starting=0, ready=0)
    clock.now = 6
    assert d.knock(stays.ticket, live=0, starting=0, ready=0).ahead == 1
    clock.now = 12  # `gone` has not asked for 12 s, `stays` asked 6 s ago
    d.prepared(had_kernel=False)
    assert d.knock(stays.ticket, live=1, starting=0, ready=0).admitted
    assert d.waiting == 0
    # Its tab comes back with the old ticket: it queues again, at the back, never refused.
    back = d.knock(gone.ticket, live=1, starting=1, ready=0)
    assert not back.admitted and back.ticket != gone.ticket


def test_a_failed_start_frees_its_place():
    d = door(max_starting=1)
    d.knock(None, live=0, starting=0, ready=0)
    d.prepared(had_kernel=False)  # the handler says so however the page ended
    assert (d.kernel_less, d.preparing) == (0, 0)
    assert d.knock(None, live=0, starting=0, ready=0).admitted


def test_a_door_that_lets_nobody_in_is_refused():
    with pytest.raises(ValueError):
        Door(max_kernels=0, max_starting=1)


def test_the_machine_s_memory_sets_the_limit():
    assert default_max_kernels(available=HEADROOM_BYTES + 110 * KERNEL_BYTES) == 110
    assert default_max_kernels(available=HEADROOM_BYTES // 2) == 2  # never below two pages
    assert default_max_kernels() >= 2  # measured on this machine


def test_a_room_gets_a_prestarted_kernel_per_person_for_each_page_when_memory_allows():
    plan = plan_room(30, max_kernels=110, pages=2)
    assert (plan.pool, plan.short) == (30, False)
    # 40 kernels: 30 for the room's open pages, 5 ready for each of the two pages.
    small = plan_room(30, max_kernels=40, pages=2)
    assert (small.pool, small.short) == (5, True)
    assert plan_room(0, max_kernels=110, pages=2).pool == 0
