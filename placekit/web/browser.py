"""The page's link to the browser: the query string, and the member's token in localStorage.

Voila hides the query string from a preheated kernel, and importing ``voila`` in the
kernel to wait for it costs seconds, so the browser sends it over the widget comm instead.
The same channel keeps a member's personal token in the browser, so the team link brings
each member back to their own answers; and the page's script gives radio and checkbox
questions the semantics of a group, which ipywidgets does not.
"""

from __future__ import annotations

import anywidget
import traitlets

_ESM = """
let counter = 0;
// ipywidgets draws a radio question as a label beside loose radio inputs. Give each one the
// semantics of a real group: a screen reader hears the question with each option, and Tab
// stops once per question while the arrow keys move between its options.
function groupRadios(root) {
  root.querySelectorAll(".widget-radio").forEach((box) => {
    const group = box.querySelector(".widget-radio-box");
    if (!group) return;
    if (!group.getAttribute("role")) {
      const label = box.querySelector(":scope > .widget-label");
      const id = "pk-question-" + (++counter);
      group.setAttribute("role", "radiogroup");
      group.dataset.pkGroup = id;
      if (label) { label.id = id; group.setAttribute("aria-labelledby", id); }
    }
    group.querySelectorAll("input[type=radio]:not([name])").forEach((input) => {
      input.name = group.dataset.pkGroup;
    });
  });
}

// A several-answer question (placekit.widgets.checkboxes): one group named by its question.
function groupCheckboxes(root) {
  root.querySelectorAll(".pk-checkbox-group:not([role])").forEach((group) => {
    const legend = group.querySelector(".pk-legend");
    group.setAttribute("role", "group");
    if (legend) {
      legend.id = legend.id || "pk-question-" + (++counter);
      group.setAttribute("aria-labelledby", legend.id);
    }
  });
}

function groupAll() {
  groupRadios(document.body);
  groupCheckboxes(document.body);
}

function render({ model }) {
  groupAll();
  new MutationObserver(groupAll).observe(document.body, { childList: true, subtree: true });
  const key = () => "placekit:member:" + (new URLSearchParams(location.search).get("code") || "");
  model.set("query", location.search.replace(/^\\?/, ""));
  model.set("stored_token", localStorage.getItem(key()) || "");
  model.set("connected", true);  // a page with no query string must still load
  model.save_changes();
  model.on("change:remember_token", () => {
    const token = model.get("remember_token");
    if (token) { localStorage.setItem(key(), token); } else { localStorage.removeItem(key()); }
  });
}
export default { render };
"""


class BrowserContext(anywidget.AnyWidget):
    """Invisible: reports ``query`` and ``stored_token`` (then ``connected``); writes
    ``remember_token``."""

    _esm = _ESM
    connected = traitlets.Bool(False).tag(sync=True)
    query = traitlets.Unicode("").tag(sync=True)
    stored_token = traitlets.Unicode("").tag(sync=True)
    remember_token = traitlets.Unicode("").tag(sync=True)
