"""A question with several answers: one checkbox per option, read as one value.

ipywidgets has no such widget; its ``SelectMultiple`` is a list box that needs Ctrl or Shift
to pick several, which people on a phone or a keyboard cannot be expected to know.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import ipywidgets as w
import traitlets

from placekit.widgets.html import esc


class CheckboxGroup(w.VBox):
    """``value`` is the tuple of chosen option values, in the options' order.

    ``value`` lives in the kernel only: observe it as any input's value.
    """

    value = traitlets.Tuple()

    def __init__(
        self,
        options: Sequence[tuple[str, Any]],
        value: Sequence[Any] = (),
        description: str = "",
        disabled: bool = False,
        **kwargs: Any,
    ) -> None:
        chosen = set(value)
        self._options = [(label, option) for label, option in options]
        self._boxes = [
            w.Checkbox(
                value=option in chosen,
                description=label,
                indent=False,
                disabled=disabled,
                style={"description_width": "initial"},
            )
            for label, option in self._options
        ]
        # The question is the group's label: the browser script names the group by it.
        legend = w.HTML(f'<span class="pk-legend">{esc(description)}</span>')
        super().__init__([legend, *self._boxes], **kwargs)
        self.add_class("pk-checkbox-group")
        self.value = tuple(option for _label, option in self._options if option in chosen)
        for box in self._boxes:
            box.observe(self._ticked, "value")

    @traitlets.observe("value")
    def _show(self, change: dict[str, Any]) -> None:
        # Set from Python (a test, an analyst): tick the boxes to match.
        chosen = set(change["new"])
        for (_label, option), box in zip(self._options, self._boxes, strict=True):
            box.value = option in chosen

    def _ticked(self, _change: dict[str, Any]) -> None:
        self.value = tuple(
            option
            for (_label, option), box in zip(self._options, self._boxes, strict=True)
            if box.value
        )
