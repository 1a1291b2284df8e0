"""Small shared pieces of the page: the stylesheet, escaping, and HTML building blocks.

Everything a user typed goes through ``esc()`` before it is put into HTML.
"""

from __future__ import annotations

import html
import logging
from collections.abc import Callable
from functools import wraps
from typing import Any

import ipywidgets as w

log = logging.getLogger("placekit")

# GOV.UK Design System colours and focus style, so public-sector users meet what they know.
STYLE = """
<style>
.pk-app { max-width: 960px; margin: 0 auto; font-family: Arial, Helvetica, sans-serif;
  font-size: 19px; color: #0b0c0c; line-height: 1.4; }
.pk-app h1 { font-size: 36px; margin: 10px 0 20px; }
.pk-app h2 { font-size: 27px; margin: 20px 0 12px; }
.pk-app h3 { font-size: 21px; margin: 16px 0 8px; }
.pk-app .widget-html-content { font-size: 19px; line-height: 1.4; }
/* Narrow screens (a phone during a call): nothing may be wider than the screen; long text
   wraps and wide tables and charts scroll inside themselves. */
.pk-app { box-sizing: border-box; width: 100%; min-width: 0; }
.pk-app .widget-html, .pk-app .widget-html-content { max-width: 100%; min-width: 0;
  overflow-wrap: break-word; }
.pk-app .widget-box { min-width: 0; max-width: 100%; }
.pk-app .jupyter-widgets.widget-output { max-width: 100%; overflow-x: auto; }
/* A chart wider than the screen shrinks to fit it, keeping its shape (Vega's SVG has a
   viewBox): a chart is one picture, so it scales rather than reflows (WCAG 1.4.10). */
.pk-app .vega-embed { display: block; max-width: 100%; }
.pk-app .vega-embed svg.marks { max-width: 100%; height: auto; }
@media (max-width: 600px) {
  .pk-app { font-size: 17px; }
  .pk-app h1 { font-size: 27px; }
  .pk-app h2 { font-size: 22px; }
}
.pk-app .widget-html-content p, .pk-app .widget-html-content li { font-size: 19px; }
.pk-app .widget-checkbox { width: auto; height: auto; }
.pk-app .widget-checkbox .widget-label-basic, .pk-app .widget-checkbox label {
  white-space: normal; overflow: visible; font-size: 19px; }
.pk-app > button.jupyter-button, .pk-app .widget-hbox > button.jupyter-button,
.pk-app .widget-vbox > button.jupyter-button {
  align-self: flex-start; }
.pk-app .pk-caption { color: #505a5f; font-size: 19px; }
.pk-app .pk-hint { color: #505a5f; font-size: 16px; margin: 0 0 6px; }
.pk-app .pk-field { flex-direction: column; align-items: flex-start; height: auto;
  margin: 8px 0 4px; }
.pk-app .pk-field > .widget-label { width: auto !important; max-width: 100%;
  height: auto; white-space: normal; overflow: visible; font-weight: bold; font-size: 19px;
  line-height: 1.3; margin-bottom: 6px; text-align: left; }
/* ipywidgets gives each option one line of fixed height, so a long answer that wraps
   (a phone, 400 % zoom) ran into the next; here an option grows with its text, the radio
   held in a gutter to the left of it, as GOV.UK lays its radios out. */
.pk-app .widget-radio { width: auto; max-width: 100%; }
.pk-app .widget-radio-box label { font-size: 18px !important; line-height: 1.5;
  height: auto; min-height: 28px; padding: 2px 0 2px 32px; position: relative; }
.pk-app .widget-radio-box input[type=radio] { position: absolute; left: 0; top: 4px;
  width: 20px; height: 20px; margin: 0; float: none; }
.pk-app .widget-checkbox input { width: 20px; height: 20px; margin-right: 8px;
  vertical-align: middle; }
.pk-app .pk-scroll { overflow-x: auto; max-width: 100%; }
/* GOV.UK order: label, hint, error, then the input. ipywidgets puts the label inside the
   input's widget, so that widget's box is dissolved and its parts placed in order. Radio
   and checkbox questions keep their own box (their options lay out badly once dissolved),
   so their hint and error follow the options. */
.pk-app .pk-question > .pk-field:not(.widget-checkbox):not(.pk-checkbox-group):not(.widget-radio) {
  display: contents; }
.pk-app .pk-question { margin-bottom: 12px; }
.pk-app .pk-question > .pk-field > .widget-label { order: 0; margin: 8px 0 6px; }
.pk-app .pk-question > .pk-hint { order: 1; }
.pk-app .pk-question > .pk-error { order: 2; }
.pk-app .pk-question > .pk-field > :not(.widget-label) { order: 3; }
.pk-app .pk-question > .pk-error:not(:has(span)) { display: none; }
.pk-app .pk-checkbox-group { margin: 8px 0 4px; }
.pk-app .pk-legend { font-weight: bold; font-size: 19px; line-height: 1.3; }
.pk-app .pk-field > input, .pk-app .pk-field > textarea, .pk-app .pk-field > .widget-datepicker {
  width: 100%; max-width: 40em; flex: none; }
/* ipywidgets gives a select a flex basis of 148px, its width in a row; in a field's column
   that basis became its height. */
.pk-app .pk-field > select { flex: none; width: auto; max-width: 100%; min-height: 40px;
  font-size: 17px; border: 2px solid #0b0c0c; }
.pk-app input[type=text], .pk-app textarea { font-size: 17px; border: 2px solid #0b0c0c; }
/* Jupyter's theme sets text areas in a code font; people write prose in them here. */
.pk-app textarea { font-family: Arial, Helvetica, sans-serif; line-height: 1.4; }
/* A question with its error shown (GOV.UK's form group in error): a red bar, red borders. */
.pk-app .pk-question:has(> .pk-error span) { border-left: 5px solid #d4351c;
  padding-left: 15px; }
.pk-app .pk-question:has(> .pk-error span) input[type=text],
.pk-app .pk-question:has(> .pk-error span) textarea { border-color: #d4351c; }
.pk-app .pk-error { color: #d4351c; font-weight: bold; font-size: 17px; }
.pk-app .pk-error-summary { border: 5px solid #d4351c; padding: 12px 16px; margin: 12px 0; }
.pk-app .pk-error-summary h2 { margin-top: 0; font-size: 24px; }
.pk-app .pk-error-summary a { color: #d4351c; font-weight: bold; }
.pk-app .pk-error-summary:focus { outline: 3px solid #ffdd00; }
/* Read out, not shown: "Error:" before an error beside its field (GOV.UK). */
.pk-app .pk-visually-hidden { position: absolute !important; width: 1px; height: 1px;
  margin: 0; padding: 0; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; border: 0; }
.pk-app .pk-caption a { color: #1d70b8; text-decoration: underline; }
.pk-app .pk-notice { border-left: 10px solid #1d70b8; padding: 8px 16px; margin: 12px 0;
  background: #f3f2f1; }
.pk-app .pk-warning { border-left: 10px solid #d4351c; padding: 8px 16px; margin: 12px 0;
  background: #fbeae8; }
.pk-app .pk-panel { background: #00703c; color: #fff; padding: 16px 20px; margin: 12px 0; }
.pk-app .pk-panel a, .pk-app .pk-panel code { color: #fff; }
.pk-app button.jupyter-button { font-size: 19px; height: auto; padding: 8px 16px;
  margin: 16px 12px 8px 0; max-width: 100%; white-space: normal; }
/* ipywidgets' own button colours put white on light green, blue or orange (under 4.5:1,
   WCAG 1.4.3): GOV.UK's darker ones instead. */
.pk-app button.mod-primary, .pk-app button.mod-success { background: #00703c; color: #fff; }
.pk-app button.mod-info { background: #1d70b8; color: #fff; }
.pk-app button.mod-warning { background: #f47738; color: #0b0c0c; }
.pk-app button.mod-danger { background: #d4351c; color: #fff; }
.pk-app button:focus, .pk-app input:focus, .pk-app textarea:focus, .pk-app a:focus {
  outline: 3px solid #ffdd00 !important; outline-offset: 0; box-shadow: inset 0 0 0 2px #0b0c0c; }
.pk-app .pk-tasks { list-style: none; padding: 0; margin: 0 0 16px; border-top: 1px solid #b1b4b6; }
.pk-app .pk-tasks li { display: flex; justify-content: space-between; padding: 6px 0;
  border-bottom: 1px solid #b1b4b6; font-size: 17px; }
.pk-app .pk-tasks li.pk-current { font-weight: bold; }
/* A task's link covers its whole row, so the row can be clicked anywhere (GOV.UK). */
.pk-app .pk-tasks li { position: relative; }
.pk-app .pk-tasks li a { color: #1d70b8; text-decoration: underline; }
.pk-app .pk-tasks li a::after { content: ""; position: absolute; inset: 0; }
.pk-app .pk-tasks li:has(a):hover { background: #f3f2f1; }
/* A workbook's exercises (GOV.UK task list): the title a link, its hint and dates
   beneath, the status on the right. */
.pk-app ul.pk-task-list { list-style: none; padding: 0; margin: 0 0 24px;
  border-top: 1px solid #b1b4b6; }
.pk-app li.pk-task { display: flex; justify-content: space-between; gap: 16px;
  padding: 12px 0; border-bottom: 1px solid #b1b4b6; position: relative; }
.pk-app .pk-task-name { font-size: 19px; }
.pk-app a.pk-task-name { color: #1d70b8; text-decoration: underline;
  text-underline-offset: .1em; }
.pk-app a.pk-task-name:hover { color: #003078; text-decoration-thickness: 3px; }
.pk-app a.pk-task-name::after { content: ""; position: absolute; inset: 0; }
.pk-app li.pk-task:has(a):hover { background: #f3f2f1; }
.pk-app .pk-task-hint { color: #484949; font-size: 16px; margin-top: 4px; }
.pk-app .pk-task-dates { font-weight: bold; }
.pk-app .pk-task-status { flex: none; text-align: right; }
.pk-app .pk-start-here { display: inline-block; background: #1d70b8; color: #fff;
  font-size: 14px; padding: 2px 8px; margin-right: 8px; vertical-align: middle; }
.pk-app .pk-welcome { border-left: 10px solid #b1b4b6; padding: 4px 16px; margin: 16px 0; }
.pk-app a.pk-finish { display: inline-block; margin: 16px 12px 8px 0; padding: 8px 0;
  font-size: 19px; color: #1d70b8; text-decoration: underline; }
.pk-app tr.pk-differs th, .pk-app tr.pk-differs td { background: #fff7bf; }
.pk-app dl.pk-terms dt { font-weight: bold; margin-top: 8px; }
.pk-app dl.pk-terms dd { margin: 0 0 4px; }
.pk-app .pk-tag { font-size: 14px; padding: 2px 8px; background: #eeefef; color: #383f43;
  text-transform: uppercase; letter-spacing: .5px; }
.pk-app .pk-tag-done { background: #cce2d8; color: #005a30; }
.pk-app .pk-tag-progress { background: #bbd4ea; color: #0c2d4a; }
.pk-app .pk-progress { font-size: 16px; color: #505a5f; margin-bottom: 4px; }
/* A table keeps its columns readable and scrolls sideways (inside .pk-scroll) when wide,
   rather than squeezing a text column to one word a line. */
.pk-app table.pk-table { border-collapse: collapse; margin: 8px 0 16px; font-size: 16px;
  width: max-content; }
.pk-app table.pk-table th, .pk-app table.pk-table td { border-bottom: 1px solid #b1b4b6;
  padding: 6px 12px 6px 0; text-align: left; vertical-align: top; max-width: 20em; }
.pk-app .pk-status { color: #505a5f; font-size: 15px; min-height: 1.4em; }
.pk-app .pk-join-code { font: bold 48px/1.2 "Courier New", monospace; letter-spacing: 0.1em;
  margin: 8px 0 16px; }
.pk-app .pk-join-form input { font-size: 24px; text-transform: uppercase; width: 8em; }
.pk-app a.pk-download { display: inline-block; background: #1d70b8; color: #fff;
  padding: 8px 14px; margin: 4px 8px 4px 0; text-decoration: none; font-size: 17px; }
</style>
"""


def esc(value: Any) -> str:
    """Text a user typed, made safe to put inside HTML."""
    return html.escape("" if value is None else str(value), quote=True)


SITE = "PlaceKit"


def page_title(*parts: str) -> str:
    """A browser tab's title, most particular part first: "Step 2 of 4: Gut call –
    Wicked, tame or critical? – PlaceKit" (GOV.UK's page titles)."""
    return " – ".join([*(p for p in parts if p), SITE])


def html_box(markup: str, *classes: str) -> w.HTML:
    box = w.HTML(markup)
    for cls in classes:
        box.add_class(cls)
    return box


def app(children: list[w.Widget]) -> w.VBox:
    """The outer container every page uses: the stylesheet and the page's width."""
    root = w.VBox([w.HTML(STYLE), *children])
    root.add_class("pk-app")
    return root


def button(label: str, style: str = "", tooltip: str = "") -> w.Button:
    b = w.Button(description=label, button_style=style, tooltip=tooltip or label)
    b.layout.width = "auto"
    return b


def table_html(frame: Any, caption: str = "", label: str = "") -> str:
    """A DataFrame as an accessible HTML table; cell text is escaped, missing values "—".

    A wide table scrolls sideways inside its own box, which a keyboard can reach (Tab, then
    the arrow keys); named by ``label`` (else the caption), the box is a region a screen
    reader can name and jump to."""
    nullable = [c for c in frame.columns if str(frame[c].dtype) in ("Int64", "Float64")]
    if nullable:
        # pandas prints a nullable column's missing value as "<NA>", ignoring na_rep.
        frame = frame.copy()
        for column in nullable:
            frame[column] = frame[column].astype(object).where(frame[column].notna(), None)
            frame[column] = frame[column].map(lambda v: "—" if v is None else v)
    body = frame.to_html(index=False, escape=True, na_rep="—", border=0, classes="pk-table")
    if caption:
        body = body.replace(">", f"><caption>{esc(caption)}</caption>", 1)
    name = label or caption
    region = f' role="region" aria-label="{esc(name)}"' if name else ""
    return f'<div class="pk-scroll" tabindex="0"{region}>{body}</div>'


OOPS = (
    "Something went wrong on our side. Everything you saved before this is safe. "
    "Try again, or reload the page."
)


def guarded(
    show: Callable[[str], None], where: str = ""
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Wrap a widget callback: a failure is logged with its traceback (and ``where``, say
    which plugin's page), the user sees a plain message instead (Voila would otherwise
    swallow it and leave a dead page)."""

    def decorate(fn: Callable[..., Any]) -> Callable[..., Any]:
        @wraps(fn)
        def run(*args: Any, **kwargs: Any) -> Any:
            try:
                return fn(*args, **kwargs)
            except Exception:
                name = getattr(fn, "__qualname__", fn)
                log.exception("Error in %s%s", name, f" ({where})" if where else "")
                show(OOPS)
                return None

        return run

    return decorate
