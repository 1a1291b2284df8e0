"""The capability part of the results: end-to-end time per case and daily demand per
type, each as an XmR chart (``capability``) with its table and its reading in words.

End-to-end times are charted in the order the cases ended, as a capability chart is, and
split where the system changed (the day the team gives beside the charts): a case
belongs to the period it ended in.
"""

from __future__ import annotations

from functools import partial

import numpy as np
import pandas as pd

from placekit import Figure, Responses
from placekit_demand import capability, charts, data

MIN_POINTS = 6  # fewer than this and no chart is drawn: the limits would mean little
STEADY_POINTS = 20  # fewer than this and the limits are called provisional
DAILY_TYPES = 3  # types (most demand first) that get a daily chart of their own
ALL = "All types"


def change_day(responses: Responses) -> pd.Timestamp | None:
    """The day the system changed, if the team gave one."""
    day = responses.get("change", "team").get("changed_on")
    return pd.Timestamp(day) if day else None


def time_chart(timed: pd.DataFrame, change: pd.Timestamp | None) -> capability.Chart | None:
    """The XmR chart of end-to-end days, in the order the cases ended."""
    if len(timed) < MIN_POINTS:
        return None
    periods = capability.split_periods(list(timed["ended"]), change)
    return capability.xmr(timed["days"].to_numpy(), list(timed["case"]), periods, unit="days")


def daily_counts(frame: pd.DataFrame) -> pd.DataFrame:
    """Demands a day: one row per day the study took in any demand, a column for all
    demand and one per type (0 on a day a type did not come). Days no demand was taken
    are not days studied, so they are left out rather than counted as nothing."""
    when = pd.to_datetime(frame["captured_at"])
    known = when.notna().to_numpy()
    if not known.any():
        return pd.DataFrame()
    # One bincount over (day, type) codes: a million demands in a fraction of a second.
    days, day_list = pd.factorize(when[known].dt.normalize(), sort=True)
    types = frame["type"]
    if not isinstance(types.dtype, pd.CategoricalDtype):
        types = types.astype("category")
    type_codes = np.asarray(types.cat.codes)[known]
    names = [*map(str, types.cat.categories), "(no type yet)"]
    type_codes = np.where(type_codes < 0, len(names) - 1, type_codes)
    counts = np.bincount(
        days * len(names) + type_codes, minlength=len(day_list) * len(names)
    ).reshape(len(day_list), len(names))
    table = pd.DataFrame(counts, index=pd.DatetimeIndex(day_list, name="day"), columns=names)
    table = table.loc[:, table.sum() > 0]
    order = table.sum().sort_values(ascending=False, kind="stable").index
    table = table[order]
    table.insert(0, ALL, table.sum(axis=1))
    return table


def daily_charts(frame: pd.DataFrame, change: pd.Timestamp | None) -> dict[str, capability.Chart]:
    """An XmR chart of daily demand for all demand and for each type."""
    counts = daily_counts(frame)
    if len(counts) < MIN_POINTS:
        return {}
    periods = capability.split_periods(list(counts.index), change)
    labels = [f"{day:%a %d/%m/%Y}" for day in counts.index]
    return {
        name: capability.xmr(counts[name].to_numpy(), labels, periods, unit="demands a day")
        for name in counts.columns
    }


def _signal_words(points: pd.DataFrame) -> list[str]:
    return [
        "; ".join(capability.SHORT[rule] for rule in capability.RULES if row[rule])
        for _i, row in points.iterrows()
    ]


def _figure(value: float) -> float:
    return round(float(value), 1) + 0.0


def limits_table(named: dict[str, capability.Chart], what: str) -> pd.DataFrame:
    """Each chart's periods with their limits and signals, one row a period."""
    rows = []
    for name, chart in named.items():
        for period, lim in chart.periods.items():
            mine = chart.points[chart.points["period"] == period]
            rows.append(
                {
                    what: name,
                    "Period": period,
                    "Points": lim.n,
                    "Average": _figure(lim.mean),
                    "Lower limit": _figure(max(lim.lower, 0.0)),
                    "Upper limit": _figure(lim.upper),
                    "9 in 10 under": _figure(np.percentile(mine["value"], 90)),
                    "Mean moving range": _figure(lim.mr_bar),
                    "Moving range limit": _figure(lim.mr_upper),
                    "Signals": "; ".join(chart.signalled(period))
                    and "; ".join(capability.SHORT[r] for r in chart.signalled(period)),
                }
            )
    return pd.DataFrame(rows)


def case_table(timed: pd.DataFrame, chart: capability.Chart | None) -> pd.DataFrame:
    """Every case with an end-to-end time, in the order charted (the chart's table)."""
    out = pd.DataFrame(
        {
            "Case": timed["case"].to_numpy(),
            "Demand type": timed["type"].fillna("").to_numpy(),
            "Service": timed["service"].fillna("").to_numpy(),
            "Started": timed["started"].to_numpy(),
            "Ended": timed["ended"].to_numpy(),
            "Days, end to end": np.round(timed["days"].to_numpy(dtype=float), 1) + 0.0,
            "Contacts": timed["contacts"].to_numpy(),
        }
    )
    if chart is not None:
        out["Period"] = chart.points["period"].to_numpy()
        out["Signal"] = _signal_words(chart.points)
    return out


def daily_table(named: dict[str, capability.Chart]) -> pd.DataFrame:
    """Demands a day, a row per day and type as charted (the daily charts' table)."""
    rows = []
    for name, chart in named.items():
        for (_i, point), signal in zip(
            chart.points.iterrows(), _signal_words(chart.points), strict=True
        ):
            rows.append(
                {
                    "Demand type": name,
                    "Day": point["label"],
                    "Demands": int(point["value"]),
                    "Period": point["period"],
                    "Signal": signal,
                }
            )
    return pd.DataFrame(rows, columns=["Demand type", "Day", "Demands", "Period", "Signal"])


def _provisional(chart: capability.Chart) -> str:
    if chart.latest.n >= STEADY_POINTS:
        return ""
    return (
        f" These limits come from {chart.latest.n} points; they settle with about"
        f" {STEADY_POINTS}, so treat them as provisional."
    )


def results(
    responses: Responses, frame: pd.DataFrame, cases: pd.DataFrame
) -> tuple[dict[str, pd.DataFrame], dict[str, Figure], list[str]]:
    """(tables, figures, notes) of capability, for the study's results."""
    change = change_day(responses)
    timed, wrong = data.end_to_end(cases)
    chart = time_chart(timed, change)
    tables: dict[str, pd.DataFrame] = {}
    figures: dict[str, Figure] = {}
    notes: list[str] = []
    open_cases = int(cases["ended"].isna().sum()) if len(cases) else 0
    if chart is not None:
        notes.append(
            capability.reading(chart, "Cases take", "days", tail=", end to end")
            + _provisional(chart)
        )
        tables["Capability: end-to-end time"] = limits_table({"End-to-end time": chart}, "Measure")
        figures["Capability chart: end-to-end time"] = Figure(
            partial(charts.xmr_chart, chart, "End-to-end time per case", "Days, end to end"),
            "Each case’s end-to-end time in days, from first report to the need being met,"
            " in the order the cases ended, with the average and the natural process limits;"
            " beneath it the moving range. Points that signal special cause are red diamonds. The"
            " table “End-to-end time per case” has the same figures.",
            table="End-to-end time per case",
        )
    elif len(cases):
        notes.append(
            f"End-to-end time: {len(timed):,} of {len(cases):,} cases have an end date so"
            f" far; the capability chart needs at least {MIN_POINTS}."
        )
    if len(cases):
        tables["End-to-end time per case"] = case_table(timed, chart)
    if wrong:
        notes.append(
            f"{wrong:,} case{'s' if wrong != 1 else ''} end before they start and are left out"
            " of the end-to-end time: check their dates."
        )
    if open_cases and chart is not None:
        notes.append(
            f"{open_cases:,} case{'s' if open_cases != 1 else ''} not yet ended"
            f" {'are' if open_cases != 1 else 'is'} not in the chart."
        )
    daily = daily_charts(frame, change)
    if daily:
        tables["Capability: daily demand per type"] = limits_table(daily, "Demand type")
        tables["Daily demand"] = daily_table(daily)
        notes.append(
            capability.reading(daily[ALL], "Demand runs at", "a day", counted="days", verb="had")
            + _provisional(daily[ALL])
        )
        shown = list(daily)[: DAILY_TYPES + 1]
        for name in shown:
            figures[f"Daily demand: {name}"] = Figure(
                partial(charts.xmr_chart, daily[name], f"Daily demand: {name}", "Demands a day"),
                f"Demands a day ({name.lower() if name == ALL else '“' + name + '”'}) on each"
                " day of the study, with the average and the natural process limits; beneath"
                " it the moving range. Points that signal special cause are red diamonds. The table"
                " “Daily demand” has the same figures.",
            )
    if chart is not None or daily:
        notes.append(capability.RULE_SET)
    return tables, figures, notes
