"""A Figure on a page: its description at once, the chart only once the browser has shown
the page, and a plain message (never a traceback) when the chart cannot be drawn."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from typing import Any

import altair as alt
import ipywidgets as w
import pandas as pd
import pytest

from placekit import Figure, chart_with_table, hookimpl, interactive_chart
from placekit.data.responses import Responses
from placekit.exercise import Exercise, Page, Summary
from placekit.testing import TestWorkbook, charts_of, html_of
from placekit.widgets.charts import png


def bars() -> alt.Chart:
    return alt.Chart(pd.DataFrame({"n": [1, 2]})).mark_bar().encode(x="n:Q")


def shown_on_screen(widget: Any) -> None:
    """What the browser does once it has drawn the placeholder: one message to the kernel."""
    (screen,) = [c for c in widget.children if type(c).__name__ == "_OnScreen"]
    screen._handle_custom_msg({"shown": True}, [])


def test_the_description_shows_at_once_and_the_chart_once_on_screen() -> None:
    drawn: list[int] = []

    def draw() -> alt.Chart:
        drawn.append(1)
        return bars()

    figure = Figure(draw, "Two bars, <one> taller")
    page = interactive_chart(figure)
    assert "Two bars, &lt;one&gt; taller" in html_of(page) and "Drawing the chart" in html_of(page)
    assert drawn == [] and page.chart is None
    shown_on_screen(page)
    assert drawn == [1] and page.chart is figure.chart()
    assert "Drawing the chart" not in html_of(page) and "Two bars" in html_of(page)
    assert isinstance(page.children[-1], alt.JupyterChart)
    shown_on_screen(interactive_chart(figure))  # the same figure on a second page
    assert drawn == [1] and charts_of(page) == [figure.chart()]


def test_a_chart_that_cannot_be_drawn_is_logged_and_shown_as_a_plain_message(
    caplog: pytest.LogCaptureFixture,
) -> None:
    def draw() -> alt.Chart:
        raise ValueError("no such column")

    page = interactive_chart(Figure(draw, "A broken chart"))
    with caplog.at_level(logging.ERROR, logger="placekit"):
        shown_on_screen(page)
    assert "Sorry, this chart could not be drawn." in html_of(page)
    assert "no such column" not in html_of(page) and "Traceback" not in html_of(page)
    assert "A broken chart" in caplog.text and "no such column" in caplog.text
    with pytest.raises(AssertionError, match="“A broken chart” could not be drawn"):
        charts_of(page)


def test_an_altair_chart_is_drawn_at_once() -> None:
    shown = interactive_chart(bars())
    assert isinstance(shown, alt.JupyterChart)
    assert [c.to_dict()["mark"] for c in charts_of(shown)] == [{"type": "bar"}]


def test_on_a_page_legends_go_under_the_chart_unless_the_plugin_placed_them() -> None:
    frame = pd.DataFrame({"n": [1, 2], "kind": ["a", "b"]})
    coloured = alt.Chart(frame).mark_bar().encode(x="n:Q", color="kind:N")
    styled = coloured.configure_legend(labelFontSize=13)
    (shown,) = charts_of(interactive_chart(styled))
    # Under the plot, one entry a line: a side legend made charts too wide for a phone.
    assert shown.to_dict()["config"]["legend"] == {
        "orient": "bottom",
        "direction": "vertical",
        "labelFontSize": 13,  # the plugin's own legend style is kept
    }
    placed = coloured.configure_legend(orient="left")
    (kept,) = charts_of(interactive_chart(placed))
    assert kept.to_dict()["config"]["legend"]["orient"] == "left"


def test_a_figure_makes_a_picture_for_a_report() -> None:
    assert png(Figure(bars, "Two bars")).startswith(b"\x89PNG\r\n\x1a\n")


class Counts(Exercise):
    """Two charts of one table, and a table no chart draws."""

    id = "counts"
    title = "Counts"
    summary = "Two charts of one table."
    steps = (("count", "Count"),)

    def pages(self, responses: Responses) -> Sequence[Page]:
        return []

    def summarise(self, responses: Responses) -> Summary:
        counts = pd.DataFrame({"Kind": ["Parks", "Halls"], "Count": [3, 5]})
        return Summary(
            tables={"Counts": counts, "Notes": pd.DataFrame({"Note": ["none"]})},
            figures={
                "Bars": Figure(bars, "Counts as bars.", table="Counts"),
                "Bars again": Figure(bars, "Counts as bars, again.", table="Counts"),
            },
        )


class CountsPlugin:
    @hookimpl
    def register_exercises(self, register: Callable[[Any], None]) -> None:
        register(Counts())


def test_a_charts_table_follows_it_captioned_as_its_figures(
    placekit_workbook: TestWorkbook, register_plugin: Callable[..., None]
) -> None:
    register_plugin(CountsPlugin(), name="counts-plugin")
    page = html_of(placekit_workbook.results("counts"))
    chart, table = page.index("<h2>Bars</h2>"), page.index("<h3>Counts</h3>")
    again = page.index("<h2>Bars again</h2>")
    # Straight after its chart, once: named, captioned, in a labelled scrolling region.
    assert page.index("<h2>Notes</h2>") < chart < table < again
    assert page.count("<h3>Counts</h3>") == 1 and "<h2>Counts</h2>" not in page
    assert "<caption>The figures in the chart “Bars”</caption>" in page[table:again]
    assert 'role="region" aria-label="Counts"' in page[table:again]
    # The second chart of the same table points back to it.
    assert "The table “Counts” above has this chart’s figures." in page[again:]


def test_on_a_members_page_a_chart_is_followed_by_its_figures() -> None:
    counts = pd.DataFrame({"Kind": ["Parks", "<Halls>"], "Count": [3, 5]})
    page = html_of(w.VBox(chart_with_table("Counts", Figure(bars, "Counts as bars."), counts)))
    chart, caption = page.index("<h3>Counts</h3>"), page.index("<caption>")
    assert chart < page.index("Counts as bars.") < caption
    # Named once: the table's own heading would only repeat the chart's.
    assert page.count("Counts</h") == 1
    assert "<caption>The figures in the chart “Counts”</caption>" in page
    assert "&lt;Halls&gt;" in page and 'role="region" aria-label="Counts"' in page
    # A table of its own name gets its heading one level down; an empty one says so.
    empty = counts.iloc[:0]
    figure = Figure(bars, "Counts as bars.", table="Asset counts")
    page = html_of(w.VBox(chart_with_table("Bars", figure, empty, level=2)))
    assert "<h2>Bars</h2>" in page and "<h3>Asset counts</h3>" in page
    assert "The figures in the chart “Bars”: none yet." in page and "<table" not in page
