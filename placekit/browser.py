"""The page's link to the browser: the query string, and the member's token in localStorage.

Voila hides the query string from a preheated kernel, and importing ``voila`` in the
kernel to wait for it costs seconds, so the browser sends it over the widget comm instead.
The same channel keeps a member's personal token in the browser, so the team link brings
each member back to their own answers.
"""

from __future__ import annotations

import anywidget
import traitlets

_ESM = """
function render({ model }) {
  const key = () => "placekit:member:" + (new URLSearchParams(location.search).get("code") || "");
  model.set("query", location.search.replace(/^\\?/, ""));
  model.set("stored_token", localStorage.getItem(key()) || "");
  model.save_changes();
  model.on("change:remember_token", () => {
    const token = model.get("remember_token");
    if (token) { localStorage.setItem(key(), token); } else { localStorage.removeItem(key()); }
  });
}
export default { render };
"""


class BrowserContext(anywidget.AnyWidget):
    """Invisible: reports ``query`` and ``stored_token``; writes ``remember_token``."""

    _esm = _ESM
    query = traitlets.Unicode("").tag(sync=True)
    stored_token = traitlets.Unicode("").tag(sync=True)
    remember_token = traitlets.Unicode("").tag(sync=True)
