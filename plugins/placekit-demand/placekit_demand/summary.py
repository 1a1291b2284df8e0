"""The demand study's results (D.7): measures, slices, typology, Pareto, verbatim wall,
causes, round-to-round change and capability (end-to-end time and daily demand as XmR
charts), and every demand as one row, for the team to take its study back into a
spreadsheet."""

from __future__ import annotations

from functools import partial

import pandas as pd

from placekit import Figure, Responses, Summary
from placekit_demand import charts, data, end_to_end, measures, per_demand, published
from placekit_demand.schema import CHANNEL_LABELS, SYSTEM_CONDITION_LABELS

TOP_TYPES = 5  # failure types shown on the verbatim wall and offered for causes


def top_failure_types(table: pd.DataFrame) -> list[str]:
    """The vital few failure types, or at least the top three, at most five."""
    if not len(table):
        return []
    vital = list(table.loc[table["Vital few"] == "yes", "Failure type"])
    wanted = max(len(vital), 3)
    return list(table["Failure type"])[: min(wanted, TOP_TYPES)]


def causes_table(responses: Responses, top: list[str]) -> pd.DataFrame:
    causes = responses.records("cause")
    rows = []
    for label in top:
        cause = causes.get(data.cause_key(responses, label), {})
        rows.append(
            {
                "Failure type": label,
                "System condition": SYSTEM_CONDITION_LABELS.get(
                    cause.get("system_condition") or "", ""
                ),
                "Description": cause.get("description") or "",
                "Owner": cause.get("owner") or "",
                "Experiment": cause.get("experiment") or "",
            }
        )
    return pd.DataFrame(
        rows, columns=["Failure type", "System condition", "Description", "Owner", "Experiment"]
    )


def study_table(responses: Responses) -> pd.DataFrame:
    study = responses.get("study", "team")
    purpose = responses.get("purpose", "team").get("statement", "")
    change = responses.get("change", "team").get("tried", "")
    rows = [
        ("Purpose (customer’s terms)", purpose),
        ("Services", "; ".join(study.get("services") or [])),
        ("Channels", "; ".join(CHANNEL_LABELS.get(c, c) for c in study.get("channels") or [])),
        (
            "Capture window",
            f"{study.get('window_start') or '?'} to {study.get('window_end') or '?'}",
        ),
        ("Who listens", "; ".join(study.get("listeners") or [])),
        ("Study round", str(data.current_round(responses))),
        ("Change being tried", change),
    ]
    return pd.DataFrame(rows, columns=["", "Answer"])


def summarise(responses: Responses) -> Summary:
    """Every output of D.7 from stored responses, capability (``end_to_end``) and each
    demand as one row (``per_demand``)."""
    # One read of the demands serves the measures, the cases and the per-demand table.
    base = data.demands(responses, data.RECORD_COLUMNS)
    frame = data.analysis_frame(responses, base)
    found = measured(responses, frame)
    cases = data.cases(responses, base, frame)
    tables, figures, notes = end_to_end.results(responses, frame, cases)
    found.tables |= tables
    if len(base) <= per_demand.ON_THE_PAGE:
        found.tables[per_demand.TITLE] = per_demand.table(responses, base, frame, cases)
    else:
        found.notes.append(
            f"Each demand: the study holds {len(base):,} demands, too many for one table on"
            " this page. “Download every demand” gives them all as one CSV file."
        )
    found.figures |= figures
    found.notes += notes
    return found


def measured(responses: Responses, frame: pd.DataFrame | None = None) -> Summary:
    """The measures of D.6 and D.7 (no capability, no per-demand rows): what the analysis
    page shows. ``frame``: an analysis frame already built."""
    frame = data.analysis_frame(responses) if frame is None else frame
    share = measures.failure_share(frame)
    pareto = measures.pareto(frame)
    top = top_failure_types(pareto)
    channels = measures.share_by(frame, "channel", "Channel")
    channels["Channel"] = channels["Channel"].map(lambda c: CHANNEL_LABELS.get(c, c))
    services = measures.share_by(frame, "service", "Service")
    notes = [share.sentence()]
    untyped = int(((frame["classification"] == "failure") & frame["type"].isna()).sum())
    if untyped:
        notes.append(
            f"{untyped:,} failure demands are not yet in a demand type and are not in the Pareto."
        )
    if share.unclassified and share.n:
        notes.append(
            "The measures use the demands classified so far. When these are a sample of a"
            " larger import, the interval shows how far the sample can be trusted."
        )
    tables = {
        "The study": study_table(responses),
        "Measures": measures.measures_table(frame),
        "By channel": channels,
        "By service": services,
        "By day of week": measures.share_by_day(frame),
        "By hour of day": measures.share_by_hour(frame),
        "Demand typology": measures.typology(frame),
        "Pareto of failure types": pareto,
        "Verbatim wall (sample per top failure type)": measures.verbatim_sample(frame, top),
        "System conditions behind the top failure types": causes_table(responses, top),
        "Study rounds": measures.rounds(frame),
        "Published levels (context, not targets)": published.table(),
    }
    figures = {}
    if len(pareto):
        figures["Pareto of failure types"] = Figure(
            partial(charts.pareto_chart, pareto),
            "Failure demands per type as bars, largest first, with the cumulative share as a"
            " line and the vital few in red, each named. The table “Pareto of failure types”"
            " has the same figures.",
            table="Pareto of failure types",
        )
    if len(channels) and share.n + share.unclear:
        figures["Value and failure by channel"] = Figure(
            partial(charts.split_chart, channels, "Channel"),
            "Value, failure and unclear demands on each channel, as bars in three panels, one"
            " a class. The table “By channel” has the same figures.",
            table="By channel",
        )
    if len(services) > 1 and share.n + share.unclear:
        figures["Value and failure by service"] = Figure(
            partial(charts.split_chart, services, "Service"),
            "Value, failure and unclear demands for each service, as bars in three panels,"
            " one a class. The table “By service” has the same figures.",
            table="By service",
        )
    return Summary(tables=tables, figures=figures, notes=notes)
