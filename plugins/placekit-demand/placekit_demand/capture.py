"""Step 3: capture demands one contact at a time, or import a file of them."""

from __future__ import annotations

import datetime as dt
import re
from typing import TYPE_CHECKING, Any

import ipywidgets as w

from placekit import (
    ConflictError,
    DatasetConflictError,
    FieldError,
    PageContext,
    Responses,
    button,
    download_link,
    esc,
    html_box,
    new_record_id,
    now,
)
from placekit_demand import data
from placekit_demand.schema import CHANNEL_LABELS, CHANNELS
from placekit_demand.setup_pages import STYLE

if TYPE_CHECKING:
    from placekit import Preview

RECENT = 5
_TIME = re.compile(r"^([01]?\d|2[0-3])[:.]([0-5]\d)$")
REPEAT = (("Yes", "yes"), ("No", "no"), ("Don’t know", "unsure"))

TEMPLATE_ROWS = (
    "demand_id,study_id,captured_at,service,channel,captured_by,verbatim,demand_type,"
    "classification,failure_reason,failure_category,predictable,preventable,repeat_contact,"
    "prior_contacts,resolved_first_point,passed_to,handling_minutes,person_key,notes,"
    "case_id,case_started,case_ended\r\n"
    'd0001,s01,04/03/2024 09:12,housing repairs,phone,cap03,"I reported a leak two weeks ago'
    ' and nobody has come",Where is my repair?,failure,No appointment made after first report,'
    "progress_chasing,yes,yes,true,1,false,repairs scheduling,6.5,7f3a9c2e,,R2041,"
    "19/02/2024,\r\n"
    "d0002,s01,04/03/2024 09:20,housing repairs,phone,cap03,My boiler has stopped working,"
    "Something is broken - please fix it,value,,,yes,no,false,0,true,,4.0,91bc04d7,,R2107,"
    "04/03/2024,07/03/2024\r\n"
)


def study_channels(responses: Responses) -> list[tuple[str, str]]:
    chosen = responses.get("study", "team").get("channels") or []
    return [(label, value) for value, label in CHANNELS if value in chosen] or [
        (label, value) for value, label in CHANNELS
    ]


def study_services(responses: Responses) -> list[str]:
    return list(responses.get("study", "team").get("services") or []) or ["(not named)"]


def _uk(stamp: str | None) -> str:
    """An ISO time as a UK reader writes it: 04/03/2024 09:12."""
    try:
        return dt.datetime.fromisoformat(str(stamp)).strftime("%d/%m/%Y %H:%M")
    except ValueError:
        return str(stamp or "")


def parse_when(day: dt.date | None, time_text: str) -> tuple[str | None, str | None]:
    """(ISO local time, None) or (None, what is wrong)."""
    if day is None:
        return None, "Enter the date the demand arrived"
    found = _TIME.match(time_text.strip())
    if not found:
        return None, "Enter the time as hh:mm, for example 09:12"
    stamp = dt.datetime.combine(day, dt.time(int(found.group(1)), int(found.group(2))))
    return stamp.isoformat(timespec="minutes"), None


def build_capture(ctx: PageContext) -> w.Widget:
    responses = ctx.responses
    records = responses.records("demand")
    last = list(records.values())[-1] if records else {}
    verbatim = w.Textarea(
        description="What did they say or write? Their words, not ours",
        placeholder="For example: I reported a leak two weeks ago and nobody has come",
        rows=3,
        layout=w.Layout(width="100%"),
        style={"description_width": "initial"},
    )
    verbatim.add_class("pk-field")
    channels = study_channels(responses)
    channel = w.ToggleButtons(
        options=channels,
        value=last.get("channel") if last.get("channel") in {v for _l, v in channels} else None,
        description="Channel",
        style={"description_width": "initial", "button_width": "auto"},
    )
    channel.add_class("pk-big")
    when = now()
    day = w.DatePicker(
        value=when.date(), description="Date", style={"description_width": "initial"}
    )
    day.add_class("pk-field")
    time = w.Text(
        value=when.strftime("%H:%M"),
        description="Time (hh:mm)",
        style={"description_width": "initial"},
        layout=w.Layout(width="12em"),
    )
    time.add_class("pk-field")
    services = study_services(responses)
    service = w.Dropdown(
        options=services,
        value=last.get("service") if last.get("service") in services else services[0],
        description="Service",
        style={"description_width": "initial"},
        layout=w.Layout(
            width="100%", max_width="30em", display="" if len(services) > 1 else "none"
        ),
    )
    service.add_class("pk-field")
    repeat = w.ToggleButtons(
        options=REPEAT,
        value=None,
        description="Contacted us about this before? (optional)",
        style={"description_width": "initial", "button_width": "auto"},
    )
    repeat.add_class("pk-big")
    case = w.Text(
        description="Case or job reference (optional)",
        placeholder="For example the repair job number",
        style={"description_width": "initial"},
        layout=w.Layout(width="100%", max_width="30em"),
    )
    case.add_class("pk-field")
    case_hint = html_box(
        "<p class='pk-hint'>Give every contact about the same need the same reference:"
        " repeat contacts then count as one case, and its end-to-end time runs from the"
        " first report to the need being met.</p>"
    )
    error = html_box("", "pk-error")
    save = button("Save and capture the next", "success")
    save.add_class("mod-primary")
    save.add_class("pk-touch")
    recent = html_box("")

    def draw_recent() -> None:
        mine = list(responses.records("demand").items())
        items = "".join(
            f"<li>“{esc(d.get('verbatim', ''))}” <span class='pk-meta'>"
            f"{esc(CHANNEL_LABELS.get(d.get('channel', ''), ''))},"
            f" {esc(_uk(d.get('captured_at')))}</span></li>"
            for _k, d in reversed(mine[-RECENT:])
        )
        recent.value = (
            f"<h3>Captured so far: {len(mine)}</h3><ol reversed>{items}</ol>" if mine else ""
        )

    def saving(_b: Any) -> None:
        text = verbatim.value.strip()
        if not text:
            error.value = "<span role='alert'>Type what the person said or wrote</span>"
            return
        if channel.value is None:
            error.value = "<span role='alert'>Choose the channel it came by</span>"
            return
        when, problem = parse_when(day.value, time.value)
        if problem:
            error.value = f"<span role='alert'>{esc(problem)}</span>"
            return
        record = {
            "verbatim": text,
            "channel": channel.value,
            "captured_at": when,
            "service": service.value,
            "captured_by": ctx.member,
            "repeat_contact": repeat.value,
            "case_ref": case.value.strip() or None,
            "round": data.current_round(responses),
        }
        if ctx.save("demand", new_record_id("c-"), record):
            error.value = ""
            verbatim.value = ""
            repeat.value = None
            case.value = ""
            current = now()
            day.value, time.value = current.date(), current.strftime("%H:%M")
            draw_recent()
            ctx.saved(f"Demand saved at {current:%H:%M:%S}")

    save.on_click(ctx.guard(saving))
    draw_recent()
    return w.VBox(
        [
            ctx.html(
                STYLE + "<p>One form per contact, as it happens. Write down what the person"
                " actually said or wrote, not what we would call it.</p>"
            ),
            verbatim,
            channel,
            w.HBox([day, time]),
            service,
            repeat,
            case,
            case_hint,
            error,
            save,
            recent,
        ]
    )


def validate_gathered(responses: Responses) -> list[FieldError]:
    if data.demand_count(responses):
        return []
    return [FieldError("Capture at least one demand, or import a file of them")]


def locked_until_demands(responses: Responses) -> str | None:
    if not data.demand_count(responses):
        return "Capture or import some demands first (step 3)."
    return None


def build_import(ctx: PageContext) -> w.Widget:
    # Lazy: the importer needs pandas and Arrow, which only this page of the study does.
    from placekit import ImportWidget
    from placekit_demand.file_schema import DEMAND_FILE

    responses = ctx.responses
    state: dict[str, int] = {"base": 0}
    status = html_box("")

    def describe() -> None:
        info = data.imported_info(responses)
        status.value = (
            f'<div class="pk-notice">The study holds {info.rows:,} imported demands'
            f" (latest file: {esc(info.note)}).</div>"
            if info
            else "<p>No file has been imported yet.</p>"
        )

    def check(frame: Any) -> Any:
        state["base"] = data.imported_version(responses)  # what the clash check saw
        return data.clashes(responses, frame)

    def remember(memory: dict[str, Any]) -> None:
        # A preference, not a record anyone edits by hand: the latest choice wins, with
        # no conflict box for two people matching words at once.
        for _attempt in range(2):
            entry = responses.entry("import_map", "team")
            try:
                responses.save("import_map", "team", memory, entry.version if entry else 0)
            except ConflictError:
                responses.reload()
                continue
            ctx.saved()
            return

    def save(preview: Preview, filename: str) -> str:
        try:
            saved = data.save_import(responses, preview, state["base"], note=filename)
        except DatasetConflictError:
            raise ValueError(
                "Someone else imported a file while you were checking this one, so nothing"
                " was saved. Choose your file again to check it against theirs."
            ) from None
        describe()
        ctx.saved()
        return (
            f"Imported {preview.rows:,} demands from {filename}. The study now holds"
            f" {saved.rows:,} imported demands."
        )

    template = download_link(
        "demand-records-template.csv",
        "text/csv",
        TEMPLATE_ROWS.encode("utf-8-sig"),
        "Download a template (CSV)",
    )
    required = ", ".join(c.title for c in DEMAND_FILE.columns if c.required)
    describe()
    return w.VBox(
        [
            ctx.html(
                STYLE + "<p>If your contact centre or case system can export contacts, import"
                " the export as CSV or Excel (.xlsx). Each row is one demand; it needs a"
                f" column for each of <strong>{esc(required)}</strong>, under the headings"
                " your system uses (you can match them here), and may have the others of the"
                " demand record, such as a case reference with the day the case was reported"
                " and the day it was fixed. Dates are read day first (04/03/2024 is 4"
                " March).</p>"
                "<p>Every row is checked before anything is saved, and a file is imported"
                f" whole or not at all.</p><p>{template}</p>"
            ),
            status,
            ImportWidget(
                DEMAND_FILE,
                save,
                check,
                memory=responses.get("import_map", "team"),
                remember=remember,
            ),
        ]
    )
