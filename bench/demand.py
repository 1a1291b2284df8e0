"""Importing and summarising a million-row demand export, against bare pandas on the same file.

Run:  .venv/bin/python bench/demand.py [--rows 1000000] [--runs 3] [--seed 7] [--keep]

1. Generates (seeded) a realistic export of the demand record (EXERCISES.md D.5) as CSV:
   eight services, nine channels weighted as a council's are, timestamps over three weeks
   in UK format (dd/mm/yyyy hh:mm), customer wordings with varying details, value and
   failure classifications with failure categories, handling minutes, pseudonymous person
   keys with repeat contacts, and mostly empty notes.
2. Times, each in a fresh subprocess (so peak memory is that run's alone), alternating:

   * **pandas** (the baseline): ``pd.read_csv`` of the file, the date column parsed
     day-first, then the same group-bys as PlaceKit's summary: value / failure / unclear by
     channel, service, weekday, hour and demand type; the Pareto of failure types; repeat,
     first-point and capacity sums.
   * **PlaceKit**: what the import page and the results page do. Import: read the upload's
     bytes, check every cell against the schema (``placekit.importing.files``), check ids against
     the study, save the whole dataset as one Parquet version in a fresh SQLite store.
     Summary: a fresh read of the dataset from the store and the demand exercise's whole
     ``summarise()`` (measures, slices, typology, Pareto, verbatim wall, charts).

It prints the medians, the ratio of PlaceKit's import + summary time to pandas', and of
their peak memory (VmHWM), against the targets (time ≤ 1.5×, memory ≤ 2×). It
reports and never asserts.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TARGET_TIME = 1.5
TARGET_MEMORY = 2.0
MIB = 1024 * 1024

SERVICES = (
    "housing repairs",
    "council tax",
    "waste and recycling",
    "adult social care front door",
    "benefits",
    "parking",
    "planning",
    "children's services front door",
)
CHANNELS = (
    ("phone", 0.46),
    ("email", 0.18),
    ("web_form", 0.16),
    ("face_to_face", 0.06),
    ("letter", 0.04),
    ("social_media", 0.03),
    ("referral_from_agency", 0.04),
    ("home_visit", 0.02),
    ("other", 0.01),
)
# (wording with {n} for a varying detail, demand type, class, failure category)
WORDINGS = (
    (
        "I reported a leak {n} weeks ago and nobody has come",
        "Where is my repair?",
        "failure",
        "progress_chasing",
    ),
    (
        "When is someone coming about my {n} windows?",
        "Where is my repair?",
        "failure",
        "progress_chasing",
    ),
    ("My boiler has stopped working", "Something is broken, please fix it", "value", ""),
    (
        "The engineer came {n} times but didn't have the part",
        "You came but did not fix it",
        "failure",
        "not_resolved_first_time",
    ),
    (
        "I got a bill for £{n}0 but I already paid",
        "You sent me the wrong bill",
        "failure",
        "error_correction",
    ),
    ("I want to set up a direct debit", "I want to pay", "value", ""),
    (
        "My bin was missed again, {n} weeks running",
        "You missed my bin",
        "failure",
        "not_resolved_first_time",
    ),
    ("Can I order a new recycling box?", "I need a bin or box", "value", ""),
    (
        "I don't understand the letter you sent about my claim",
        "What does this letter mean?",
        "failure",
        "unclear_information",
    ),
    ("I need help at home for my mum, she is {n}0", "I need care and support", "value", ""),
    (
        "I was told to ring this number but it is the wrong team",
        "You sent me to the wrong place",
        "failure",
        "wrong_place_signposted",
    ),
    (
        "Nobody turned up for my appointment at {n} o'clock",
        "You missed my appointment",
        "failure",
        "missed_appointment_by_us",
    ),
    ("I need a parking permit for my new car", "I need a permit", "value", ""),
    (
        "Has my planning application been looked at? It's been {n} weeks",
        "Where is my application?",
        "failure",
        "progress_chasing",
    ),
    (
        "You asked me for the same documents {n} times",
        "You keep asking me the same thing",
        "failure",
        "repeat_referral_or_assessment",
    ),
    ("I'm worried about a child on my street", "I am worried about a child", "value", ""),
    (
        "Not sure if this is the right place, it's about a noise",
        "Where do I go for this?",
        "unclear",
        "",
    ),
)


# -- the file ------------------------------------------------------------------------------


def generate(path: Path, rows: int, seed: int) -> None:
    """A seeded, realistic demand export as CSV (UTF-8, UK dates)."""
    import numpy as np
    import pandas as pd

    rng = np.random.default_rng(seed)
    pick = rng.integers(0, len(WORDINGS), rows)
    number = pd.Series(rng.integers(2, 9, rows)).astype(str)
    templates = pd.Series([w for w, *_ in WORDINGS])[pick].reset_index(drop=True)
    before = templates.str.split("{n}", n=1, regex=False).str[0]
    after = templates.str.split("{n}", n=1, regex=False).str[1]
    verbatim = before.where(after.isna(), before + number + after.fillna(""))
    kinds = np.array([t for _, t, _, _ in WORDINGS], dtype=object)[pick]
    classes = np.array([c for _, _, c, _ in WORDINGS], dtype=object)[pick]
    categories = np.array([f for *_, f in WORDINGS], dtype=object)[pick]
    # Some demands are judged differently from their type's usual class.
    flip = rng.random(rows) < 0.05
    classes = np.where(flip & (classes == "value"), "failure", classes)
    start = np.datetime64("2024-03-04T08:00")
    # Demand arrives mostly in office hours, on weekdays.
    day = rng.integers(0, 21, rows)
    day = np.where(rng.random(rows) < 0.9, day - day % 7 + rng.integers(0, 5, rows), day)
    minute = rng.normal(12.5 * 60, 150, rows).clip(0, 24 * 60 - 1).astype(int)
    stamps = pd.Series(start + (day * 1440 + minute - 480).astype("timedelta64[m]"))
    people = rng.integers(0, rows // 3, rows)
    repeat = (classes == "failure") & (rng.random(rows) < 0.6)
    channel_names = [c for c, _ in CHANNELS]
    weights = np.array([w for _, w in CHANNELS])
    frame = pd.DataFrame(
        {
            "demand_id": "d" + pd.Series(np.arange(1, rows + 1)).astype(str).str.zfill(7),
            "study_id": "s01",
            "captured_at": stamps.dt.strftime("%d/%m/%Y %H:%M"),
            "service": np.array(SERVICES, dtype=object)[pick % len(SERVICES)],
            "channel": rng.choice(channel_names, rows, p=weights / weights.sum()),
            "captured_by": "cap" + pd.Series(rng.integers(1, 60, rows)).astype(str).str.zfill(2),
            "verbatim": verbatim,
            "demand_type": kinds,
            "classification": classes,
            "failure_reason": np.where(
                classes == "failure", "We did not do it right first time", ""
            ),
            "failure_category": np.where(classes == "failure", categories, ""),
            "predictable": rng.choice(["yes", "no", "unsure"], rows, p=[0.8, 0.15, 0.05]),
            "preventable": np.where(classes == "failure", "yes", "no"),
            "repeat_contact": np.where(repeat, "true", "false"),
            "prior_contacts": np.where(repeat, rng.integers(1, 6, rows), 0),
            "resolved_first_point": np.where(rng.random(rows) < 0.7, "true", "false"),
            "passed_to": np.where(rng.random(rows) < 0.2, "back office", ""),
            "handling_minutes": rng.gamma(2.0, 3.5, rows).round(1),
            "person_key": pd.Series(people).map(lambda p: f"{(p * 2654435761) % 2**32:08x}"),
            "notes": np.where(rng.random(rows) < 0.03, "called back", ""),
        }
    )
    frame.to_csv(path, index=False)


# -- the two contenders (each run in a subprocess of its own) --------------------------------


def cpu_seconds() -> float:
    """CPU time of this process, every thread: beside wall time it shows, on a shared
    machine, how much of a slow run was waiting for a core."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def run_pandas(path: Path) -> dict[str, float]:
    import pandas as pd

    start, cpu = time.perf_counter(), cpu_seconds()
    df = pd.read_csv(path)
    df["captured_at"] = pd.to_datetime(df["captured_at"], format="%d/%m/%Y %H:%M")
    cls = df["classification"]
    for key in (
        df["channel"],
        df["service"],
        df["captured_at"].dt.day_of_week,
        df["captured_at"].dt.hour,
        df["demand_type"],
    ):
        pd.crosstab(key, cls)
    failures = df.loc[cls == "failure", "demand_type"].value_counts()
    (failures.cumsum() / failures.sum()).tolist()
    df.loc[cls == "value", "resolved_first_point"].mean()
    df["repeat_contact"].mean()
    df["prior_contacts"].mean()
    df.groupby("classification")["handling_minutes"].sum()
    df.groupby(["demand_type", "predictable"]).size()
    return {"total": time.perf_counter() - start, "cpu": cpu_seconds() - cpu}


def run_placekit(path: Path, db: Path) -> dict[str, float]:
    from placekit_demand import data
    from placekit_demand.file_schema import DEMAND_FILE

    from placekit.data.access import create_workbook, join, resolve
    from placekit.data.responses import Responses
    from placekit.data.store import Store
    from placekit.importing.files import read_and_preview
    from placekit.plugins import get_registry

    # Imported before the clock starts, as pandas is for the baseline: Altair's import is a
    # one-off cost of the kernel (about 3 s here), not of importing or summarising.
    __import__("altair")
    __import__("placekit_demand.summary")  # the page has it loaded before anyone clicks

    store = Store(db)
    _id, team, _f = create_workbook(store, "Benchmark")
    access = resolve(store, team)
    member = join(store, access, "Bench")
    exercise = get_registry().exercises["demand"]

    start, cpu = time.perf_counter(), cpu_seconds()
    payload = path.read_bytes()  # what the upload widget hands over
    responses = Responses(store, access.workbook_id, exercise, member.id)
    _raw, preview = read_and_preview(payload, DEMAND_FILE, path.name)
    extra = data.clashes(responses, preview.frame)
    assert preview.ok and not len(extra), preview.messages(5)
    del payload, _raw
    data.save_import(responses, preview, base_version=0, note=path.name)
    del preview
    imported = time.perf_counter()

    data._CACHE.clear()  # the results page is a fresh kernel: read back from the store
    facilitator = Responses(store, access.workbook_id, exercise)
    summary = exercise.summarise(facilitator)
    assert summary.tables["Measures"]["n"].iloc[0] > 0
    done = time.perf_counter()
    return {
        "import": imported - start,
        "summary": done - imported,
        "total": done - start,
        "cpu": cpu_seconds() - cpu,
    }


def peak_memory() -> int:
    """This process's peak resident memory in bytes.

    VmHWM, not ``ru_maxrss``: on Linux ``ru_maxrss`` survives fork and exec, so a child
    would report the parent's peak (here, the generator's) instead of its own.
    """
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) * 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def child(argv: list[str]) -> int:
    which, path = argv[0], Path(argv[1])
    result = run_pandas(path) if which == "pandas" else run_placekit(path, Path(argv[2]))
    result["peak_bytes"] = peak_memory()
    print(json.dumps(result))
    return 0


def measure(which: str, path: Path, work: Path, run: int) -> dict[str, float]:
    db = work / f"placekit-{run}.db"
    argv = [sys.executable, __file__, "--child", which, str(path), str(db)]
    done = subprocess.run(argv, capture_output=True, text=True, check=False)
    if done.returncode:
        raise RuntimeError(f"{which} run failed:\n{done.stderr[-3000:]}")
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] == "--child":
        return child(argv[1:])
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--keep", action="store_true", help="keep the generated file")
    args = parser.parse_args(argv)

    work = Path(tempfile.mkdtemp(prefix="placekit-demand-bench-"))
    try:
        path = work / "demands.csv"
        began = time.perf_counter()
        generate(path, args.rows, args.seed)
        size = path.stat().st_size
        print(
            f"Generated {args.rows:,} rows ({size / MIB:.0f} MiB) in"
            f" {time.perf_counter() - began:.1f} s: {path}",
            flush=True,
        )
        results: dict[str, list[dict[str, float]]] = {"pandas": [], "placekit": []}
        for run in range(args.runs):
            order = ("pandas", "placekit") if run % 2 == 0 else ("placekit", "pandas")
            for which in order:
                got = measure(which, path, work, run)
                results[which].append(got)
                parts = ", ".join(
                    f"{k} {v:.2f} s" for k, v in got.items() if k not in ("peak_bytes", "cpu")
                )
                print(
                    f"  run {run + 1}/{args.runs} {which:8} {parts};"
                    f" peak {got['peak_bytes'] / MIB:.0f} MiB",
                    flush=True,
                )

        def median(which: str, key: str) -> float:
            return statistics.median(r[key] for r in results[which])

        base_t, base_m = median("pandas", "total"), median("pandas", "peak_bytes")
        base_c, pk_c = median("pandas", "cpu"), median("placekit", "cpu")
        pk_t, pk_m = median("placekit", "total"), median("placekit", "peak_bytes")
        print()
        rows = (
            ("", "median s", "peak MiB", "CPU s"),
            (
                "pandas read_csv + group-bys",
                f"{base_t:.2f}",
                f"{base_m / MIB:.0f}",
                f"{base_c:.2f}",
            ),
            ("PlaceKit import + summary", f"{pk_t:.2f}", f"{pk_m / MIB:.0f}", f"{pk_c:.2f}"),
            ("  of which import (check + save)", f"{median('placekit', 'import'):.2f}", "", ""),
            (
                "  of which summary (read + measures)",
                f"{median('placekit', 'summary'):.2f}",
                "",
                "",
            ),
        )
        for label, seconds, memory, cpu in rows:
            print(f"{label:38}{seconds:>9}{memory:>10}{cpu:>8}")
        ratio_t, ratio_m = pk_t / base_t, pk_m / base_m
        verdict_t = "met" if ratio_t <= TARGET_TIME else "MISSED"
        verdict_m = "met" if ratio_m <= TARGET_MEMORY else "MISSED"
        print()
        print(f"Time ratio   {ratio_t:.2f}  (target <= {TARGET_TIME}: {verdict_t})")
        print(f"Memory ratio {ratio_m:.2f}  (target <= {TARGET_MEMORY}: {verdict_m})")
        print(
            f"{args.rows:,} rows, {size / MIB:.0f} MiB, median of {args.runs} runs each,"
            f" {os.cpu_count()} CPUs, {time.strftime('%Y-%m-%d')}."
        )
    finally:
        if args.keep:
            print(f"Kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
