"""Every demand of the study as one row, in plain words: what the team needs to take its
own study back into a spreadsheet (the facilitator's downloads and ``placekit export``).

The columns are built from categorical codes wherever they can be (channel, classification,
type), so even a large import costs a relabelling, not a string per row.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from placekit import Responses, write_csv
from placekit_demand import data
from placekit_demand.schema import CHANNEL_LABELS, CLASS_LABELS, FAILURE_CATEGORIES

TITLE = "Each demand"
#: Up to this many demands the table is one of the results (shown on the facilitator's
#: page, in every download and ``placekit export``); past it the page would carry tens of
#: megabytes of table (75,000 rows are 43 MB of HTML), so the facilitator's panel offers the
#: whole table as a CSV file instead (``csv_file``).
ON_THE_PAGE = 5_000
NOT_CLASSIFIED = "Not yet classified"
_YES_NO = {"yes": "Yes", "no": "No", "unsure": "Unsure"}


def _relabel(column: pd.Series, labels: dict[str, str], missing: str = "") -> pd.Categorical:
    """A column of the kit's own values in plain words, as a categorical (the words are the
    kit's, so no cell of it can start a formula); ``missing`` where it is empty."""
    values = column if isinstance(column.dtype, pd.CategoricalDtype) else column.astype("category")
    words = [labels.get(str(c), str(c)) for c in values.cat.categories]
    codes = values.cat.codes.to_numpy()
    shown = list(dict.fromkeys([*words, missing]))
    remap = np.array([shown.index(w) for w in words] + [shown.index(missing)])
    return pd.Categorical.from_codes(remap[codes], shown)


def _text(column: pd.Series) -> pd.Series:
    """What the team or its files wrote, as text ("" where empty): kept as text so the
    exporters can keep any formula out of it."""
    if isinstance(column.dtype, pd.CategoricalDtype):
        # Kept categorical (a million rows of a few labels), which the exporters' formula
        # guard reads as text; missing becomes a category of its own.
        labels = column.cat.rename_categories([str(c) for c in column.cat.categories])
        if "" not in labels.cat.categories:
            labels = labels.cat.add_categories([""])
        return labels.fillna("").reset_index(drop=True)
    return column.astype("str").fillna("").reset_index(drop=True)


def _yes_no(column: pd.Series) -> pd.Categorical:
    known = column.astype("boolean")
    codes = np.where(known.isna(), 2, np.where(known.fillna(False), 0, 1))
    return pd.Categorical.from_codes(codes, ["Yes", "No", ""])


def _case_refs(base: pd.DataFrame, cases: pd.DataFrame) -> pd.Series:
    """Each demand's case reference as ``data.cases`` names its cases (None for none)."""
    refs = base["case_id"]
    if refs.notna().any():
        refs = refs.astype("str").str.strip().replace("", None)
    else:
        refs = pd.Series(None, index=base.index, dtype="str")
    own = refs.isna().to_numpy() & base["demand_id"].isin(cases["case"]).to_numpy()
    return refs.where(~own, base["demand_id"].astype("str"))


def table(
    responses: Responses, base: pd.DataFrame, frame: pd.DataFrame, cases: pd.DataFrame
) -> pd.DataFrame:
    """One row per demand: ``base`` holds the demands with ``data.RECORD_COLUMNS``,
    ``frame`` their analysis frame (the team's classifications and types applied) and
    ``cases`` the cases they belong to (``data.cases``).

    Built from whole columns (codes relabelled, text kept as text): a million demands
    cost about a second, where a string a row would cost many."""
    base = base.reset_index(drop=True)
    frame = frame.reset_index(drop=True)
    ids = base["demand_id"].astype("str")
    reason = _text(base["failure_reason"])
    kinds = [value for value, _label in FAILURE_CATEGORIES]
    category = pd.Categorical(base["failure_category"].astype("object"), categories=kinds)
    codes = np.asarray(category.codes).copy()
    verdicts = responses.records("verdict")
    if verdicts:  # the team's verdicts (a few hundred) replace the file's, by position
        at = pd.Index(ids).get_indexer(list(verdicts))
        found = at >= 0
        picked = [v for v, hit in zip(verdicts.values(), found, strict=True) if hit]
        reason.iloc[at[found]] = [v.get("failure_reason") or "" for v in picked]
        codes[at[found]] = [
            kinds.index(v["failure_category"]) if v.get("failure_category") in kinds else -1
            for v in picked
        ]
    case = _case_refs(base, cases)
    if len(cases):
        by_case = cases.set_index("case")
        started, ended = case.map(by_case["started"]), case.map(by_case["ended"])
    else:
        started = ended = pd.Series(pd.NaT, index=base.index, dtype="datetime64[ns]")
    source = base["source"].astype("category")
    source = source.cat.rename_categories(
        ["Captured on the form" if s == "captured" else f"File: {s}" for s in source.cat.categories]
    )
    return pd.DataFrame(
        {
            "Demand reference": ids,
            "When it arrived": pd.to_datetime(frame["captured_at"]),
            "Service": _text(base["service"]),
            "Channel": _relabel(base["channel"], CHANNEL_LABELS),
            "What the person said": _text(base["verbatim"]),
            "Value or failure": _relabel(frame["classification"], CLASS_LABELS, NOT_CLASSIFIED),
            "What we failed to do": reason,
            "Kind of failure": _relabel(
                pd.Series(pd.Categorical.from_codes(codes, kinds)), dict(FAILURE_CATEGORIES)
            ),
            "Demand type": _text(frame["type"]),
            "Predictable": _relabel(frame["predictable"], _YES_NO),
            "Contacted before": _yes_no(base["repeat_contact"]),
            "Minutes spent": pd.to_numeric(base["handling_minutes"], errors="coerce"),
            "Case reference": case.fillna(""),
            "Case started": pd.to_datetime(started),
            "Case ended": pd.to_datetime(ended),
            "Study round": pd.array(base["round"], dtype="Int64"),
            "Captured by": _text(base["captured_by"]),
            "Where it came from": _text(source),
        }
    )


def csv_file(responses: Responses) -> tuple[str, bytes]:
    """(file name, bytes) of every demand as CSV, through the kit's own CSV writer (which
    keeps formulas out of the cells), for a study too large for the results page."""
    base = data.demands(responses, data.RECORD_COLUMNS)
    frame = data.analysis_frame(responses, base)
    every = table(responses, base, frame, data.cases(responses, base, frame))
    return "each-demand.csv", write_csv({TITLE: every})
