"""A plugin that raises inside a page costs that page only, with a clear message and a log."""

from __future__ import annotations

import logging
from types import SimpleNamespace

from placekit import hookimpl
from placekit.exercise import Exercise, Field, FieldError, Page, RecordKind
from placekit.web.pages import exercise_page

NOTE = RecordKind("note", "member", (Field("text", "Your note", required=True),))


class Fragile(Exercise):
    id = "fragile"
    title = "Fragile exercise"
    summary = "Its second page and its results are broken on purpose."
    kinds = (NOTE,)
    primary_kind = "note"
    steps = (("first", "First"), ("second", "Second"), ("third", "Third"))

    def pages(self, responses):
        def must_have_text(r):
            return [] if r.get("note", "me").get("text") else [FieldError("Write a note")]

        return [
            Page(
                "first", "first", "First", lambda c: c.field("note", "me", "text"), must_have_text
            ),
            Page("second", "second", "Second", self.broken),
            Page("third", "third", "Third", lambda c: c.html("<p>Third page works</p>")),
        ]

    def broken(self, ctx):
        raise RuntimeError("bug in the plugin's second page")

    def summarise(self, responses):
        raise ValueError("bug in the plugin's summary")


def fragile_plugin():
    @hookimpl
    def register_exercises(register):
        register(Fragile())

    return SimpleNamespace(register_exercises=register_exercises)


def test_a_failing_page_shows_a_message_and_the_rest_keeps_working(
    register_plugin, exercise_driver, caplog
):
    register_plugin(fragile_plugin(), name="fragile-plugin")
    ann = exercise_driver("fragile", member="Ann")
    ann.fill({"me.text": "first page works"}).next()
    assert ann.page == "second"
    assert "problem in the “fragile-plugin” plugin" in ann.text
    assert "Your answers are saved" in ann.text
    assert "bug in the plugin" not in ann.text  # no traceback or internals on screen
    ann.next()
    assert ann.page == "third" and "Third page works" in ann.text
    ann.back().back()
    assert ann.page == "first" and ann.inputs()["me.text"].value == "first page works"
    assert any(
        "fragile-plugin" in r.getMessage()
        and r.levelno == logging.ERROR
        and "bug in the plugin's second page" in (r.exc_text or repr(r.exc_info))
        for r in caplog.records
    )


def test_a_failing_summary_still_shows_the_facilitator_page(
    register_plugin, placekit_workbook, caplog
):
    register_plugin(fragile_plugin(), name="fragile-plugin")
    placekit_workbook.join("Ann")
    page = exercise_page(placekit_workbook.facilitator_code, "fragile")
    shown = "\n".join(
        str(getattr(w, "value", ""))
        for w in _walk(page)
        if isinstance(getattr(w, "value", None), str)
    )
    assert "team results" in shown and "Ann" in shown  # completion still listed
    assert "could not be worked out because of a problem in the “fragile-plugin” plugin" in shown
    assert any("fragile-plugin" in r.getMessage() for r in caplog.records)


def _walk(widget):
    yield widget
    for child in getattr(widget, "children", ()):
        yield from _walk(child)
