"""No chart tells things apart by colour alone (WCAG 1.4.1): every chart of every exercise,
drawn from the demo's answers, shows what its colours mean in another way too."""

from __future__ import annotations

from pathlib import Path

import altair as alt
import pandas as pd
import pytest

import placekit
from placekit.data.store import Store
from placekit.dev.demo import seed_demo
from placekit.exercise import Figure
from placekit.plugins import get_registry
from placekit.testing import colour_only

# The Grint chart colours each issue, and numbers it too: "1. Title" in the legend, "1 ·
# Agreed: wicked" beside the issue's agreed point, and lines from each member's point to it.
NUMBERED = {("triage", "Grint chart"): ["Issue"]}


def test_every_chart_in_the_demo_shows_its_colours_meaning_another_way(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PLACEKIT_DB", str(tmp_path / "demo.db"))
    workbook = placekit.open(seed_demo(Store()).facilitator)
    found, drawn = {}, 0
    for exercise in get_registry().exercises:
        for name, figure in workbook.summary(exercise).figures.items():
            chart = figure.chart() if isinstance(figure, Figure) else figure
            drawn += 1
            alone = colour_only(chart)
            if alone != NUMBERED.get((exercise, name), []):
                found[f"{exercise}: {name}"] = alone
    assert drawn > 30  # every kind of chart, not an empty demo
    assert found == {}


FRAME = pd.DataFrame({"Kind": ["Parks", "Halls"], "Count": [3, 5], "Group": ["a", "b"]})


def test_colour_only_finds_colour_that_nothing_else_shows() -> None:
    bars = alt.Chart(FRAME).mark_bar().encode(x="Count:Q", y="Kind:N")
    assert colour_only(bars.encode(color="Kind:N")) == []  # the axis names each bar
    assert colour_only(bars.encode(color="Group:N")) == ["Group"]
    points = alt.Chart(FRAME).mark_point().encode(x="Count:Q", y="Kind:N", color="Group:N")
    assert colour_only(points.encode(shape="Group:N")) == []
    named = alt.Chart(FRAME).mark_text().encode(x="Count:Q", y="Kind:N", text="Group:N")
    assert colour_only(bars.encode(color="Group:N") + named) == []
    assert colour_only(bars.encode(color="Group:N").facet(column="Group:N")) == []
    red = bars.encode(color=alt.condition(alt.datum.Count > 4, alt.value("red"), alt.value("grey")))
    assert colour_only(red) == ["the test (datum.Count > 4)"]
    # A scale of numbers (a heat map's) is read from its labels, not asked of here.
    assert colour_only(bars.encode(color="Count:Q")) == []
