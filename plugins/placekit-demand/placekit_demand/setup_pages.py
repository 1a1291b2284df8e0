"""Steps 1 and 2: scope the study and write the purpose in the customer's terms."""

from __future__ import annotations

import ipywidgets as w

from placekit import FieldError, PageContext, Responses
from placekit_demand.schema import STUDY

STYLE = """<style>
.pk-app .pk-big > div { flex-wrap: wrap; height: auto; }
.pk-app .pk-big .widget-toggle-button { min-height: 48px; min-width: 44px; font-size: 17px;
  margin: 4px 8px 4px 0; width: auto; padding: 0 14px; }
.pk-app .pk-big .widget-toggle-button.mod-active { background: #1d70b8 !important;
  color: #fff !important; font-weight: bold; }
.pk-app .pk-field > .widget-label { height: auto !important; min-height: 0; }
.pk-app .pk-field > select { flex: none; width: 100%; max-width: 40em; height: auto;
  min-height: 40px; font-size: 17px; }
.pk-app textarea { font-family: Arial, Helvetica, sans-serif; }
.pk-app .pk-big > .widget-label, .pk-app .pk-big .widget-label { font-weight: bold;
  font-size: 19px; width: auto !important; white-space: normal; }
.pk-app .pk-big { flex-direction: column; align-items: flex-start; height: auto; }
.pk-app .pk-card { border: 1px solid #b1b4b6; padding: 8px 12px; margin: 8px 0; }
.pk-app .pk-card blockquote { margin: 4px 0 8px; font-size: 19px; border-left: 4px solid
  #b1b4b6; padding-left: 10px; }
.pk-app .pk-meta { color: #505a5f; font-size: 16px; }
.pk-app button.pk-touch { min-height: 48px; }
.pk-app .pk-wordings td button { margin: 0; }
@media (max-width: 640px) {
  .pk-app h1 { font-size: 27px; } .pk-app h2 { font-size: 22px; }
  .pk-app .widget-hbox { flex-wrap: wrap; }
}
</style>"""


def validate_scope(responses: Responses) -> list[FieldError]:
    study = responses.get("study", "team")
    errors = [
        FieldError(message, field=f"team.{name}")
        for name, message in STUDY.errors(study).items()
        if name in ("services", "channels", "target_n")
    ]
    if not study.get("channels"):
        errors = [e for e in errors if e.field != "team.channels"]
        errors.append(FieldError("Choose at least one channel to listen on", "team.channels"))
    target = str(study.get("target_n") or "").strip()
    if target and not target.isdigit():
        errors.append(FieldError("Give the number of demands as a whole number", "team.target_n"))
    start, end = study.get("window_start"), study.get("window_end")
    if start and end and end < start:
        errors.append(FieldError("The capture window ends before it starts", "team.window_end"))
    return errors


def validate_purpose(responses: Responses) -> list[FieldError]:
    message = (
        responses.exercise.kind("purpose")
        .field("statement")
        .check(responses.get("purpose", "team").get("statement"))
    )
    return [FieldError(message, field="team.statement")] if message else []


def build_scope(ctx: PageContext) -> w.Widget:
    return w.VBox(
        [
            ctx.html(
                STYLE + "<p>Decide what the team will study: which services, which channels,"
                " when, and who will listen. Study demand as it arrives, at the points of"
                " transaction, and write down what people actually say.</p>"
            ),
            ctx.field("study", "team", "services", slot="team.services"),
            ctx.field("study", "team", "channels", slot="team.channels"),
            ctx.field("study", "team", "window_start", slot="team.window_start"),
            ctx.field("study", "team", "window_end", slot="team.window_end"),
            ctx.field("study", "team", "listeners", slot="team.listeners"),
            ctx.field("study", "team", "target_n", slot="team.target_n"),
        ]
    )


def build_purpose(ctx: PageContext) -> w.Widget:
    return w.VBox(
        [
            ctx.html(
                "<p>Value demand is what the service exists to do; failure demand is caused"
                " by not doing something, or not doing it right. To tell them apart, the"
                " team needs the service’s purpose as a citizen would put it.</p>"
            ),
            ctx.field("purpose", "team", "statement", slot="team.statement"),
        ]
    )
