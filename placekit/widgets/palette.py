"""The one set of colours every chart uses, so the kit's charts read as one.

Series (one colour per group, polygon or category) use the Okabe-Ito palette, chosen
because its colours stay apart for readers with any common colour-vision deficiency. Colours
that carry a meaning are GOV.UK's, the same as the pages' own: blue for emphasis, green and
red for good and bad, grey for unclear or not counted. Each series also has its own marker
shape and line dash, so no chart tells its series apart by colour alone (WCAG 1.4.1).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Palette:
    #: Okabe & Ito (2008), black left out (it reads as text, not a series).
    series: tuple[str, ...] = (
        "#0072B2",
        "#D55E00",
        "#009E73",
        "#E69F00",
        "#CC79A7",
        "#56B4E9",
        "#F0E442",
    )
    accent: str = "#1d70b8"  # GOV.UK blue
    good: str = "#00703c"  # GOV.UK green
    bad: str = "#d4351c"  # GOV.UK red
    neutral: str = "#b1b4b6"  # GOV.UK mid-grey
    text: str = "#0b0c0c"  # GOV.UK text
    muted: str = "#505a5f"  # GOV.UK secondary text
    #: From good to bad through neutral (a stance from ally to opponent), and unknown.
    diverging: tuple[str, ...] = ("#00703c", "#85994b", "#b1b4b6", "#f47738", "#d4351c")
    unknown: str = "#6f72af"
    #: Vega's marker shapes, one a series, in the colours' order.
    shapes: tuple[str, ...] = (
        "circle",
        "square",
        "diamond",
        "triangle-up",
        "triangle-down",
        "cross",
        "triangle-right",
    )
    #: Line dashes (dash, gap, … in pixels), one a series: solid first.
    dashes: tuple[tuple[int, ...], ...] = (
        (1, 0),
        (8, 4),
        (2, 3),
        (10, 3, 2, 3),
        (4, 4),
        (1, 6),
        (14, 4),
    )

    def for_series(self, count: int) -> list[str]:
        """Colours for ``count`` series, repeating the palette if there are more."""
        return [self.series[i % len(self.series)] for i in range(count)]

    def shapes_for(self, count: int) -> list[str]:
        """Marker shapes for ``count`` series, as ``for_series`` gives their colours."""
        return [self.shapes[i % len(self.shapes)] for i in range(count)]

    def dashes_for(self, count: int) -> list[list[int]]:
        """Line dashes for ``count`` series, as ``for_series`` gives their colours."""
        return [list(self.dashes[i % len(self.dashes)]) for i in range(count)]


PALETTE = Palette()
