"""A stopwatch with a time box, counted in the browser.

The clock runs in the page, so it keeps time however busy the kernel or the network is;
only the result crosses to the kernel, when the person stops it (``seconds``).
"""

from __future__ import annotations

import anywidget
import traitlets

#: Seconds as a clock face, "4:05"; the countdown's script starts with it too.
CLOCK_JS = """
function clock(total) {
  const s = Math.max(0, Math.round(total));
  return Math.floor(s / 60) + ":" + String(s % 60).padStart(2, "0");
}
"""

_ESM = (
    CLOCK_JS
    + """

function render({ model, el }) {
  el.classList.add("pk-stopwatch");
  const shown = document.createElement("p");
  shown.className = "pk-stopwatch-time";
  const button = document.createElement("button");
  button.type = "button";
  button.className = "pk-stopwatch-button";
  const result = document.createElement("p");
  result.setAttribute("aria-live", "polite");
  el.append(shown, button, result);
  let started = null;
  let timer = null;

  function draw(elapsed) {
    const limit = model.get("limit_seconds");
    shown.textContent = clock(elapsed) + (limit ? " of " + clock(limit) : "");
    el.classList.toggle("pk-over", Boolean(limit) && elapsed > limit);
  }
  function idle() {
    button.textContent = model.get("start_label");
    const done = model.get("seconds");
    draw(done || 0);
    const limit = model.get("limit_seconds");
    if (!done) { result.textContent = ""; return; }
    const over = limit && done > limit ? ": " + clock(done - limit) + " over the time box"
      : (limit ? ": within the time box" : "");
    result.textContent = "Last time: " + clock(done) + over + ".";
  }
  button.addEventListener("click", () => {
    if (started === null) {
      started = performance.now();
      button.textContent = "Stop";
      result.textContent = "";
      timer = setInterval(() => draw((performance.now() - started) / 1000), 250);
      draw(0);
    } else {
      clearInterval(timer);
      const seconds = Math.max(1, Math.round((performance.now() - started) / 1000));
      started = null;
      model.set("seconds", seconds);
      model.save_changes();
      idle();
    }
  });
  model.on("change:seconds", () => { if (started === null) idle(); });
  model.on("change:limit_seconds", () => { if (started === null) idle(); });
  idle();
  return () => clearInterval(timer);
}
export default { render };
"""
)

_CSS = """
.pk-stopwatch { margin: 8px 0 16px; }
.pk-stopwatch .pk-stopwatch-time { font-size: 36px; font-weight: bold; margin: 4px 0;
  font-variant-numeric: tabular-nums; }
.pk-stopwatch.pk-over .pk-stopwatch-time { color: #d4351c; }
.pk-stopwatch .pk-stopwatch-button { font-size: 19px; min-height: 44px; padding: 0 16px;
  background: #1d70b8; color: #fff; border: 0; box-shadow: 0 2px 0 #003078; cursor: pointer; }
.pk-stopwatch .pk-stopwatch-button:focus { outline: 3px solid #fd0; outline-offset: 0; }
"""


class Stopwatch(anywidget.AnyWidget):
    """Press to start, press again to stop; ``seconds`` is the last timing (0: none yet).

    ``limit_seconds`` is the time box (0: none): the clock turns red past it.
    """

    _esm = _ESM
    _css = _CSS
    seconds = traitlets.Int(0).tag(sync=True)
    limit_seconds = traitlets.Int(0).tag(sync=True)
    start_label = traitlets.Unicode("Start timing").tag(sync=True)
