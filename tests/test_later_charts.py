"""A Figure on a page: its description at once, the chart only once the browser has shown
the page, and a plain message (never a traceback) when the chart cannot be drawn."""

from __future__ import annotations

import logging
from typing import Any

import altair as alt
import pandas as pd
import pytest

from placekit import Figure, interactive_chart
from placekit.testing import charts_of, html_of
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
    chart = bars()
    assert charts_of(interactive_chart(chart)) == [chart]


def test_a_figure_makes_a_picture_for_a_report() -> None:
    assert png(Figure(bars, "Two bars")).startswith(b"\x89PNG\r\n\x1a\n")
