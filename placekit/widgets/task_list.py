"""The wizard's task list (GOV.UK pattern): each step, its state, and a link to open it.

An HTML list cannot call the kernel, so the list is a tiny anywidget: ``value`` holds the
list's HTML (what tests read and what the page shows), ``links`` the step each row opens
(None: the row is not a link, a step that cannot start yet). The front end makes each
such row's title a real link (keyboard-reachable, announced as a link) and tells the
kernel which step was chosen; ``on_open`` is called with it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import anywidget
import traitlets

_ESM = """
function render({ model, el }) {
  function draw() {
    el.innerHTML = model.get("value");
    const links = model.get("links");
    el.querySelectorAll("ol.pk-tasks > li").forEach((row, i) => {
      const step = links[i];
      const title = row.firstElementChild;
      if (!step || !title) { return; }
      const link = document.createElement("a");
      link.href = "#";
      link.className = "pk-task-link";
      link.textContent = title.textContent;
      link.addEventListener("click", (event) => {
        event.preventDefault();
        model.send({ open: step });
      });
      title.replaceChildren(link);
    });
  }
  draw();
  model.on("change:value", draw);
  model.on("change:links", draw);
}
export default { render };
"""


class TaskList(anywidget.AnyWidget):
    """The steps of an exercise as a list whose rows open their step."""

    _esm = _ESM
    value = traitlets.Unicode("").tag(sync=True)
    links = traitlets.List(traitlets.Unicode(allow_none=True)).tag(sync=True)

    def __init__(self, on_open: Callable[[str], Any] | None = None) -> None:
        super().__init__()
        self._on_open = on_open
        self.on_msg(self._message)

    def _message(self, _widget: Any, content: Any, _buffers: Any) -> None:
        step = content.get("open") if isinstance(content, dict) else None
        if step in self.links and self._on_open is not None:
            self._on_open(step)

    def choose(self, step: str) -> None:
        """Open ``step`` as a click on its row does (fails if the row is not a link)."""
        if step not in self.links:
            raise ValueError(f"the task list has no link to step {step!r}")
        self._message(self, {"open": step}, [])
