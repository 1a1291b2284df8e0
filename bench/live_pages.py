"""Members' pages in a live session: how soon thirty members' pages, open in browsers, show
the facilitator's change to the room, against one member's page in the same run.

Run:  .venv/bin/python bench/live_pages.py [--members 30] [--moves 6]

1. Starts a real ``placekit serve --max-kernels 2N+4`` (room for every page), makes a
   workbook with ``placekit new``, joins N members through the store, and starts a live
   session of the triage as the facilitator's page does (``sessions.start``).
2. Baseline: one member's page (Chromium, a context of its own, the triage opened with the
   member's own link) waits while the facilitator moves the room ``--moves`` times, 2 s
   apart; for each move, the time from the change committing to the page's banner saying
   "The room is on step K" (the page notes it by a MutationObserver, on the machine's
   one clock). The median.
3. The room: N members' pages open at once, and the facilitator moves the room again; for
   each move, the time until every page shows it. Reported: p50, p95 and the largest
   against the 2 s target, and as a ratio to the baseline. What a move costs each page is
   what a Reveal or a closed round costs: the same feed (``placekit.live.feed``) brings it,
   and the page redraws what changed.

It reports and never asserts: the exit status is 0 either way.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

from live_room import TARGET_S, p, print_rows  # the bench folder's own: run as a script
from playwright.sync_api import sync_playwright

from placekit.data.access import join, resolve
from placekit.data.store import Store
from placekit.live import sessions
from placekit.plugins import get_registry
from placekit.testing import running_server

CHROMIUM = "/usr/bin/chromium"
PAGE_LOAD_MS = 180_000
#: Each page notes, by its own clock, when its banner first names each step.
SEEN = """
window.pkSeen = {};
new MutationObserver(() => {
  const banner = document.querySelector(".pk-in-room");
  const m = banner && banner.textContent.match(/The room is on step (\\d+) of/);
  if (m && !(m[1] in window.pkSeen)) window.pkSeen[m[1]] = Date.now() / 1000;
}).observe(document, { subtree: true, childList: true, characterData: true });
"""


def moves(store: Store, facilitator, session, pages: list, count: int, first: int) -> list[float]:  # noqa: ANN001
    """Move the room ``count`` times from step ``first``; each move's time to every page."""
    triage = get_registry().exercises["triage"]
    waits = []
    for k in range(first, first + count):
        step = triage.steps[k % len(triage.steps)][0]
        number = k % len(triage.steps) + 1
        at = time.time()
        sessions.change_room(
            store, facilitator, session, lambda s, step=step: replace(s, step=step)
        )
        deadline = at + 30
        seen: list[float | None] = [None] * len(pages)
        while time.time() < deadline and None in seen:
            for i, page in enumerate(pages):
                if seen[i] is None:
                    seen[i] = page.evaluate(f"window.pkSeen['{number}'] || null")
            time.sleep(0.05)
        waits.append(max(s - at for s in seen) if None not in seen else float("inf"))  # type: ignore[operator]
        time.sleep(2.0)
    return waits


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--members", type=int, default=30)
    parser.add_argument("--moves", type=int, default=6)
    args = parser.parse_args(argv)
    triage = get_registry().exercises["triage"]
    with tempfile.TemporaryDirectory(prefix="placekit-live-pages-") as work:
        # Room enough for every page at once (the door would hold the rest back); kernels
        # start as pages open, forked from the warm process.
        options = ["--max-kernels", str(2 * args.members + 4)]
        with running_server(Path(work), options=options) as server, sync_playwright() as pw:
            workbook = server.new_workbook("Live pages")
            store = Store(server.db)
            facilitator = resolve(store, workbook.facilitator_code)
            team = resolve(store, workbook.team_code)
            members = [join(store, team, f"Member {i}") for i in range(args.members + 1)]
            session = sessions.start(store, facilitator, triage)
            browser = pw.chromium.launch(executable_path=CHROMIUM)

            def open_page(member):  # noqa: ANN001, ANN202
                page = browser.new_context().new_page()
                page.add_init_script(SEEN)
                page.goto(
                    server.url(
                        "exercise", code=workbook.team_code, exercise="triage", me=member.token
                    )
                )
                page.get_by_text("Live in the room.").wait_for(timeout=PAGE_LOAD_MS)
                return page

            solo = open_page(members[0])
            base = statistics.median(moves(store, facilitator, session, [solo], args.moves, 0))
            solo.context.close()
            pages = [open_page(member) for member in members[1:]]
            room = moves(store, facilitator, session, pages, args.moves, args.moves)
            browser.close()

    print(f"\nLive pages: {args.members} members' pages in Chromium, {args.moves} moves")
    rows = [
        ("facilitator's change to 1 page (s, median)", base, None),
        (f"to all {args.members} pages: p50 (s)", p(room, 0.5), None),
        (f"to all {args.members} pages: p95 (s)", p(room, 0.95), TARGET_S),
        (f"to all {args.members} pages: largest (s)", max(room), None),
        ("p95 / one page", p(room, 0.95) / base, None),
    ]
    print_rows(rows)
    print(f"moves never shown on every page: {sum(w == float('inf') for w in room)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
