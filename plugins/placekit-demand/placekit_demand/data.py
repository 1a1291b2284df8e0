"""Reading and saving a demand study's data: captured demands, the imported dataset, the
team's classifications and typology, joined into one analysis frame.

Captured demands (typed into the form, a handful a day) are ordinary entries. An imported
file is one versioned dataset in the store (Parquet), saved in one transaction, so a
million rows are all imported or none. Classifications and type assignments are small
entries: a classification per demand the team has read, an assignment per *wording*, so
grouping one wording groups every demand worded that way however large the file.
"""

from __future__ import annotations

import hashlib
import io
import re
from collections import OrderedDict
from typing import TYPE_CHECKING, Any

from placekit import Responses
from placekit_demand.schema import CLASS_NAMES

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd
    import pyarrow as pa

    from placekit import DatasetVersion, Preview

DATASET = "imported"  # the dataset's key in the store
_PUNCTUATION = " .!?,;:"

# The imported dataset, decoded, for the last few (database, workbook, version) read: every
# page of the wizard asks for it, and decoding a million rows each time would be slow.
_CACHE: OrderedDict[tuple[Any, ...], pd.DataFrame] = OrderedDict()
_CACHE_SIZE = 2


def wording(text: Any) -> str:
    """A wording as grouped: case, spacing and end punctuation ignored."""
    return re.sub(r"\s+", " ", str(text or "").lower()).strip(_PUNCTUATION)


def wording_key(text: Any) -> str:
    """The record id of a wording's type assignment."""
    return hashlib.sha1(wording(text).encode("utf-8")).hexdigest()[:16]


def _wordings(verbatims: pd.Series) -> pa.Array:
    """``wording()`` for a whole column, in Arrow kernels (the same rules)."""
    import pyarrow as pa  # lazy: data pages only; every kernel loads this
    import pyarrow.compute as pc  # lazy, as in _wordings

    text = pa.array(verbatims.astype("object").where(verbatims.notna(), ""), type=pa.string())
    text = pc.replace_substring_regex(pc.utf8_lower(text), r"\s+", " ")
    return pc.utf8_trim(text, characters=_PUNCTUATION)


def current_round(responses: Responses) -> int:
    value = responses.get("study", "team").get("round")
    try:
        return max(1, int(value))
    except (TypeError, ValueError):
        return 1


# -- the imported dataset ------------------------------------------------------------------


def imported_info(responses: Responses) -> DatasetVersion | None:
    """Facts about the imported dataset (rows, version), without reading it."""
    info = responses.dataset_info(DATASET)
    return None if info is None or info.deleted else info


def imported_version(responses: Responses) -> int:
    """The dataset's latest version (a removal counts), 0 if nothing was ever imported."""
    info = responses.dataset_info(DATASET)
    return info.version if info else 0


def imported(responses: Responses, columns: tuple[str, ...] | None = None) -> pd.DataFrame:
    """Every imported demand (empty frame if none), typed as the file schema says; only
    ``columns`` when given (Parquet reads just those, which is much cheaper)."""
    info = responses.dataset_info(DATASET)
    if info is None or info.deleted:
        frame = empty_demands()
        return frame if columns is None else frame[list(columns)]
    key = (responses.source, responses.workbook_id, info.version, columns)
    if key not in _CACHE:
        found = responses.get_dataset(DATASET, info.version)
        assert found is not None and found.payload is not None
        _CACHE[key] = decode(found.payload, columns)
        while len(_CACHE) > _CACHE_SIZE:
            _CACHE.popitem(last=False)
    _CACHE.move_to_end(key)
    return _CACHE[key]


def encode(frame: pd.DataFrame) -> bytes:
    """A frame as Parquet bytes.

    Measured on a million demands: Parquet with zstd is 12 MB a version against 21 MB for
    Arrow IPC (every version is kept), and any analyst's tool reads it. Column statistics
    are left out: nothing here filters on them, and they cost a third of the write time.
    """
    import pyarrow as pa  # lazy, as in _wordings
    import pyarrow.parquet as pq  # lazy, as in _wordings

    buffer = io.BytesIO()
    table = pa.Table.from_pandas(frame.reset_index(drop=True), preserve_index=False)
    pq.write_table(table, buffer, compression="zstd", write_statistics=False)
    return buffer.getvalue()


def decode(payload: bytes, columns: tuple[str, ...] | None = None) -> pd.DataFrame:
    """A stored dataset as a frame; a column added to the file schema since it was saved
    (the case columns, say) comes back empty, of its type."""
    import pandas as pd  # lazy, as in _wordings
    import pyarrow as pa  # lazy, as in _wordings
    import pyarrow.parquet as pq  # lazy, as in _wordings

    stored = pq.ParquetFile(pa.BufferReader(payload))
    names = set(stored.schema_arrow.names)
    wanted = list(columns) if columns else None
    frame = stored.read(columns=[c for c in wanted if c in names] if wanted else None).to_pandas()
    shape = empty_demands()
    for name in wanted or list(shape.columns):
        if name not in frame.columns:
            frame[name] = pd.Series(index=frame.index, dtype=shape[name].dtype)
    return frame[wanted] if wanted else frame


def empty_demands() -> pd.DataFrame:
    import pandas as pd  # lazy, as in _wordings

    from placekit_demand.file_schema import DEMAND_FILE  # lazy: its Schema needs Arrow

    frame = DEMAND_FILE.empty()
    frame["round"] = pd.array([], dtype="Int64")
    frame["source"] = pd.array([], dtype="str")
    return frame


def ids_in_use(responses: Responses) -> set[str]:
    """Demand ids already in the study that a new file must not reuse (captured ones)."""
    return set(responses.records("demand"))


def clashes(responses: Responses, frame: pd.DataFrame) -> pd.DataFrame:
    """Problems for rows whose demand id is already in the study (a file imported twice)."""
    import pandas as pd  # lazy, as in _wordings

    from placekit import PROBLEM_COLUMNS  # lazy: the importer's module needs Arrow

    captured_ids = ids_in_use(responses)
    if imported_info(responses) is None and not captured_ids:  # a first import cannot clash
        return pd.DataFrame(columns=PROBLEM_COLUMNS)
    existing = imported(responses, ("demand_id",))["demand_id"]
    taken = pd.Index(existing.astype("object")).union(pd.Index(list(captured_ids)))
    ids = frame["demand_id"].astype("object")
    mask = ids.isin(taken).to_numpy() & ids.notna().to_numpy()
    rows = frame.index.to_numpy()[mask]
    values = ids[mask].astype(str)
    return pd.DataFrame(
        {
            "row": pd.array(rows, dtype="Int64"),
            "column": "demand_id",
            "value": values.to_numpy(dtype=object),
            "message": (
                "“" + values + "” is already in this study (was this file imported before?)"
            ).to_numpy(dtype=object),
        },
        columns=PROBLEM_COLUMNS,
    )


def save_import(
    responses: Responses, preview: Preview, base_version: int, note: str = ""
) -> DatasetVersion:
    """Add a checked file's rows to the imported dataset: one new version, all or nothing."""
    import numpy as np  # lazy, as in _wordings
    import pandas as pd  # lazy, as in _wordings

    from placekit_demand.file_schema import DEMAND_FILE  # lazy, as in empty_demands

    if not preview.ok:
        raise ValueError("This file has problems: nothing was imported")
    new = preview.frame.reset_index(drop=True)
    new["round"] = pd.array(np.full(len(new), current_round(responses)), dtype="Int64")
    new["source"] = pd.Categorical.from_codes(np.zeros(len(new), dtype=np.int8), [note or "import"])
    before = imported(responses)
    combined = pd.concat([before, new], ignore_index=True) if len(before) else new
    if not isinstance(combined["source"].dtype, pd.CategoricalDtype):
        combined["source"] = combined["source"].astype("category")
    for column in DEMAND_FILE.columns:  # the same column types whichever files were joined
        current = combined[column.name].dtype
        if column.type == "choice" and not (
            isinstance(current, pd.CategoricalDtype)
            and list(current.categories) == list(column.choices)
        ):
            combined[column.name] = pd.Categorical(
                combined[column.name].astype("object"), categories=list(column.choices)
            )
        elif column.type == "string" and not isinstance(
            combined[column.name].dtype, pd.CategoricalDtype
        ):
            combined[column.name] = combined[column.name].astype("category")
    return responses.put_dataset(
        DATASET, encode(combined), rows=len(combined), base_version=base_version, note=note
    )


# -- captured demands ----------------------------------------------------------------------


def captured(responses: Responses) -> pd.DataFrame:
    """The demands typed into the capture form, in the imported dataset's shape."""
    import pandas as pd  # lazy, as in _wordings

    records = responses.records("demand")
    if not records:
        return empty_demands()
    names = {m["id"]: m["display_name"] for m in responses.members}
    rows = []
    for demand_id, d in records.items():
        repeat = d.get("repeat_contact")
        rows.append(
            {
                "demand_id": demand_id,
                "captured_at": pd.to_datetime(d.get("captured_at"), errors="coerce"),
                "service": d.get("service") or "",
                "channel": d.get("channel"),
                "captured_by": names.get(d.get("captured_by") or "", d.get("captured_by")),
                "verbatim": d.get("verbatim") or "",
                "repeat_contact": {"yes": True, "no": False}.get(repeat or ""),
                "handling_minutes": pd.to_numeric(d.get("handling_minutes"), errors="coerce"),
                "case_id": str(d.get("case_ref") or "").strip() or None,
                "round": d.get("round") or 1,
                "source": "captured",
            }
        )
    frame = pd.DataFrame(rows)
    out = empty_demands()
    out = out.reindex(range(len(frame)))
    for column in frame.columns:
        out[column] = frame[column].to_numpy()
    out["captured_at"] = pd.to_datetime(out["captured_at"])
    out["round"] = pd.array(out["round"], dtype="Int64")
    return out


def demand_count(responses: Responses) -> int:
    """How many demands the study holds, read cheaply (no dataset is decoded)."""
    info = imported_info(responses)
    return len(responses.records("demand")) + (info.rows if info else 0)


# What the measures read: the rest (reasons, notes, person keys) stays on disk.
ANALYSIS_COLUMNS = (
    "demand_id",
    "captured_at",
    "service",
    "channel",
    "verbatim",
    "demand_type",
    "classification",
    "predictable",
    "repeat_contact",
    "prior_contacts",
    "resolved_first_point",
    "handling_minutes",
    "round",
)


def demands(responses: Responses, columns: tuple[str, ...] | None = None) -> pd.DataFrame:
    """Every demand in the study, captured and imported, as the file schema's columns
    (only ``columns`` when given)."""
    import pandas as pd  # lazy, as in _wordings

    mine, theirs = captured(responses), imported(responses, columns)
    if columns is not None:
        mine = mine[list(columns)]
    if not len(mine):
        return theirs
    if not len(theirs):
        return mine
    return pd.concat([theirs, mine], ignore_index=True)


# -- the team's judgements -----------------------------------------------------------------


def types(responses: Responses) -> dict[str, dict[str, Any]]:
    """Type id -> type (label, class_hint, predictable), in the order created."""
    return {k: v for k, v in responses.records("type").items() if str(v.get("label", "")).strip()}


def file_labels(responses: Responses) -> dict[str, int]:
    """The demand types an imported file brought (its ``demand_type`` column), with how
    many demands carry each, most first; read from that column alone."""
    column = imported(responses, ("demand_type",))["demand_type"]
    counts = column.value_counts(sort=True)
    return {str(label): int(n) for label, n in counts.items() if n and str(label).strip()}


def absorbed(responses: Responses) -> dict[str, str]:
    """File label -> the team's type that holds it: one the team accepted, renamed or
    merged it into (its ``from_file`` labels), or one it named the same."""
    found: dict[str, str] = {}
    for type_id, t in types(responses).items():
        found.setdefault(str(t["label"]).strip(), type_id)
    for type_id, t in types(responses).items():
        for label in t.get("from_file") or []:
            found[str(label)] = type_id
    return found


def pending_file_types(responses: Responses) -> dict[str, int]:
    """The file's types the team has not yet accepted, renamed or merged, with counts."""
    held = absorbed(responses)
    return {label: n for label, n in file_labels(responses).items() if label not in held}


def assigned_types(responses: Responses) -> dict[str, str]:
    """Normalised wording -> type id, for every wording the team has grouped."""
    found = {}
    for record in responses.records("assign").values():
        if record.get("type_id"):
            found[wording(record.get("verbatim"))] = record["type_id"]
    return found


def analysis_frame(responses: Responses, frame: pd.DataFrame | None = None) -> pd.DataFrame:
    """The demands with the team's classifications and typology applied (for the measures).

    A classification saved by the team overrides the file's; a wording's assigned type
    overrides the file's ``demand_type``; a type's predictability judgement overrides the
    row's. Columns stay categorical, so a million rows cost little to group.
    """
    import numpy as np  # lazy, as in _wordings
    import pandas as pd  # lazy, as in _wordings

    base = demands(responses, ANALYSIS_COLUMNS) if frame is None else frame
    out = base[
        [
            "demand_id",
            "captured_at",
            "service",
            "channel",
            "verbatim",
            "repeat_contact",
            "prior_contacts",
            "resolved_first_point",
            "handling_minutes",
            "round",
        ]
    ].copy(deep=False)
    out["captured_at"] = pd.to_datetime(out["captured_at"])
    codes = _codes(base["classification"], CLASS_NAMES)
    verdicts = {
        k: v.get("classification")
        for k, v in responses.records("verdict").items()
        if v.get("classification") in CLASS_NAMES
    }
    if verdicts:
        where = pd.Index(base["demand_id"].astype("object")).get_indexer(list(verdicts))
        found = where >= 0
        values = np.array([CLASS_NAMES.index(v) for v in verdicts.values()])
        codes = codes.copy()
        codes[where[found]] = values[found]
    out["classification"] = pd.Categorical.from_codes(codes, CLASS_NAMES)
    out["type"], out["predictable"] = _typed(responses, base)
    return out


def _codes(column: pd.Series, categories: tuple[str, ...]) -> np.ndarray:
    import numpy as np  # lazy, as in _wordings
    import pandas as pd  # lazy, as in _wordings

    if isinstance(column.dtype, pd.CategoricalDtype) and tuple(column.cat.categories) == tuple(
        categories
    ):
        return np.asarray(column.cat.codes).copy()
    return np.asarray(pd.Categorical(column.astype("object"), categories=categories).codes)


def _typed(responses: Responses, base: pd.DataFrame) -> tuple[pd.Categorical, pd.Categorical]:
    """Each demand's type label and predictability, as categoricals."""
    import numpy as np  # lazy, as in _wordings
    import pandas as pd  # lazy, as in _wordings
    import pyarrow as pa  # lazy, as in _wordings
    import pyarrow.compute as pc  # lazy, as in _wordings

    team = types(responses)
    labels = {k: str(v["label"]).strip() for k, v in team.items()}
    held = absorbed(responses)
    file_types = base["demand_type"]
    if not isinstance(file_types.dtype, pd.CategoricalDtype):
        file_types = file_types.astype("category")
    # A file's label the team has taken into one of its types (accepted, renamed, merged)
    # counts as that type; the others stay types of their own until the team decides.
    shown = [labels[held[c]] if c in held else c for c in map(str, file_types.cat.categories)]
    names = list(dict.fromkeys([*shown, *labels.values()]))
    position = {name: i for i, name in enumerate(names)}
    remap = np.array([position[name] for name in shown] + [-1])
    codes = remap[np.asarray(file_types.cat.codes)]  # -1 stays -1 (the appended entry)
    assigned = {w: labels[t] for w, t in assigned_types(responses).items() if t in labels}
    if assigned and len(base):
        keys = list(assigned)
        at = pc.index_in(_wordings(base["verbatim"]), value_set=pa.array(keys))
        hit = np.asarray(at.is_valid().to_numpy(zero_copy_only=False), dtype=bool)
        chosen = np.array([position[assigned[k]] for k in keys])
        codes[hit] = chosen[at.fill_null(0).to_numpy(zero_copy_only=False)[hit]]
    kinds = ("yes", "no", "unsure")
    judged = {labels[k]: v.get("predictable") for k, v in team.items()}
    per_type = np.array(
        [kinds.index(judged[n]) if judged.get(n) in kinds else -1 for n in names] + [-1]
    )
    from_type = per_type[codes]
    from_row = _codes(base["predictable"], kinds)
    predictable = np.where(from_type >= 0, from_type, from_row)
    return (
        pd.Categorical.from_codes(codes, names),
        pd.Categorical.from_codes(predictable, kinds),
    )


def cause_key(responses: Responses, label: str) -> str:
    """The cause record of a failure type: the team's type id, or one made from its label
    (a type that came with an imported file)."""
    for type_id, t in types(responses).items():
        if str(t["label"]).strip() == label:
            return type_id
    return f"label-{wording_key(label)}"


def unassigned_wordings(responses: Responses, limit: int = 20) -> tuple[pd.DataFrame, int, int]:
    """The most frequent wordings not yet in a type: (top wordings with counts, demands
    unassigned, distinct wordings unassigned)."""
    import pandas as pd  # lazy, as in _wordings

    frame = analysis_frame(responses)
    left = frame[frame["type"].isna()]
    if not len(left):
        return pd.DataFrame(columns=["verbatim", "demands"]), 0, 0
    keys = pd.Series(_wordings(left["verbatim"]).to_numpy(zero_copy_only=False), index=left.index)
    counts = keys.value_counts(sort=True)
    top = counts.head(limit)
    first = pd.Series(left.index, index=keys.to_numpy()).groupby(level=0).first()
    shown = left.loc[first.loc[top.index].to_numpy(), "verbatim"].astype(str).to_numpy()
    table = pd.DataFrame({"verbatim": shown, "demands": top.to_numpy()})
    return table, int(len(left)), int(len(counts))


# -- cases and their end-to-end time --------------------------------------------------------

CASE_COLUMNS = ("case_id", "case_started", "case_ended")
# What the per-demand table and the capability read, besides the measures' columns.
RECORD_COLUMNS = (
    *ANALYSIS_COLUMNS,
    *CASE_COLUMNS,
    "failure_reason",
    "failure_category",
    "captured_by",
    "source",
)


def case_key(ref: str) -> str:
    """The record id of a case's start and end as the team recorded them."""
    return "case-" + hashlib.sha1(str(ref).strip().encode("utf-8")).hexdigest()[:16]


def cases(responses: Responses, base: pd.DataFrame, frame: pd.DataFrame) -> pd.DataFrame:
    """One row per case as the customer sees it, from the demands (``base``, with the case
    columns) and their analysis frame (``frame``, the same rows): every contact with the
    same case reference is one need, and one with no reference but a start or end of its
    own is a case by itself.

    Columns: ``case``, ``contacts``, ``first_contact``, ``started`` (the team's date, else
    the earliest the file gives, else the first contact), ``ended`` (the team's date, else
    the latest the file gives), ``days`` (end-to-end, where both are known and in order),
    ``type`` and ``service`` (of the first contact: the need as it was first put).
    """
    import numpy as np  # lazy, as in _wordings
    import pandas as pd  # lazy, as in _wordings

    columns = ["case", "contacts", "first_contact", "started", "ended", "days", "type", "service"]
    dated = base["case_started"].notna() | base["case_ended"].notna()
    if not base["case_id"].notna().any() and not dated.any():  # most studies: no cases
        return pd.DataFrame(columns=columns)
    ref = base["case_id"].astype("str").str.strip().replace("", None)
    own = ref.isna() & dated
    ref = ref.where(~own, base["demand_id"].astype("str"))
    keep = ref.notna().to_numpy()
    if not keep.any():
        return pd.DataFrame(columns=columns)
    rows = pd.DataFrame(
        {
            "case": ref[keep].astype(str).to_numpy(),
            "captured_at": pd.to_datetime(frame["captured_at"]).to_numpy()[keep],
            "case_started": pd.to_datetime(base["case_started"]).to_numpy()[keep],
            "case_ended": pd.to_datetime(base["case_ended"]).to_numpy()[keep],
            "type": frame["type"].astype("object").to_numpy()[keep],
            "service": frame["service"].astype("object").to_numpy()[keep],
        }
    ).sort_values(["case", "captured_at"], kind="stable")
    grouped = rows.groupby("case", sort=False)
    out = grouped.agg(
        contacts=("captured_at", "size"),
        first_contact=("captured_at", "min"),
        file_started=("case_started", "min"),
        file_ended=("case_ended", "max"),
        type=("type", "first"),
        service=("service", "first"),
    ).reset_index()
    recorded = responses.records("case")
    keys = out["case"].map(case_key)
    team_started = pd.to_datetime(
        keys.map(lambda k: (recorded.get(k) or {}).get("started")), errors="coerce"
    )
    team_ended = pd.to_datetime(
        keys.map(lambda k: (recorded.get(k) or {}).get("ended")), errors="coerce"
    )
    out["started"] = team_started.fillna(out["file_started"]).fillna(out["first_contact"])
    out["ended"] = team_ended.fillna(out["file_ended"])
    span = (out["ended"] - out["started"]) / pd.Timedelta(days=1)
    out["days"] = np.where(span >= 0, span, np.nan)
    return out[columns]


def end_to_end(cases_table: pd.DataFrame) -> tuple[pd.DataFrame, int]:
    """The cases with an end-to-end time, in the order they ended (a capability chart's
    time order), and how many ended before they started (left out: a date is wrong)."""
    done = cases_table[cases_table["ended"].notna()]
    wrong = int(done["days"].isna().sum())
    timed = done[done["days"].notna()].sort_values(["ended", "case"], kind="stable")
    return timed.reset_index(drop=True), wrong


def classified_count(responses: Responses, frame: pd.DataFrame | None = None) -> tuple[int, int]:
    """(demands classified, demands in the study)."""
    frame = analysis_frame(responses) if frame is None else frame
    return int(frame["classification"].notna().sum()), len(frame)
