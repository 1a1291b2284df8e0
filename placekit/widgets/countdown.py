"""The room's timer on a member's page, counted down in the browser.

The kernel sends only what the facilitator set (the seconds left, running or paused), each
time it changes; the page counts down by its own clock from the moment it is told, so the
timer keeps time however busy the kernel is, and a browser's clock set wrong does not
matter.
"""

from __future__ import annotations

import anywidget
import traitlets

from placekit.widgets.stopwatch import CLOCK_JS

_ESM = (
    CLOCK_JS
    + """
function render({ model, el }) {
  el.classList.add("pk-countdown");
  const shown = document.createElement("p");
  shown.className = "pk-countdown-time";
  shown.setAttribute("role", "timer");  // read when asked, not at every second
  const said = document.createElement("p");
  said.className = "pk-visually-hidden";
  said.setAttribute("role", "status");
  el.append(shown, said);
  let ends = null;
  let ticking = null;
  let toldUp = false;

  function left() {
    return ends === null ? model.get("seconds_left")
      : Math.max(0, (ends - performance.now()) / 1000);
  }
  function draw() {
    el.hidden = !model.get("shown");
    const now = left();
    shown.textContent = now <= 0 ? "Time is up"
      : "Time left: " + clock(now) + (model.get("running") ? "" : " (paused)");
    if (now <= 0 && !toldUp) {
      toldUp = true;
      said.textContent = "Time is up";
      clearInterval(ticking);
    }
  }
  function sync() {
    clearInterval(ticking);
    said.textContent = "";
    ends = model.get("running") ? performance.now() + model.get("seconds_left") * 1000 : null;
    toldUp = left() <= 0;  // already up when the page was told: shown, not announced
    if (ends !== null) ticking = setInterval(draw, 250);
    draw();
  }
  model.on("change:sent", sync);
  sync();
  return () => clearInterval(ticking);
}
export default { render };
"""
)

_CSS = """
.pk-countdown .pk-countdown-time { font-size: 28px; font-weight: bold; margin: 4px 0;
  font-variant-numeric: tabular-nums; }
"""


class Countdown(anywidget.AnyWidget):
    """The room's timer: hidden with none set; ``show`` sets it."""

    _esm = _ESM
    _css = _CSS
    shown = traitlets.Bool(False).tag(sync=True)
    running = traitlets.Bool(False).tag(sync=True)
    seconds_left = traitlets.Float(0.0).tag(sync=True)
    sent = traitlets.Int(0).tag(sync=True)  # counts each ``show``: the page starts again

    def show(self, seconds_left: float | None, running: bool = False) -> None:
        """Count down from ``seconds_left`` (None: no timer, hidden), or, not ``running``,
        show it paused there."""
        with self.hold_sync():
            self.shown = seconds_left is not None
            self.running = running
            self.seconds_left = seconds_left or 0.0
            self.sent += 1
