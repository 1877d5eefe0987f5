"""Drill-downs and browsing memory over a cached FEC-layout dataset, for before/after comparisons.

    uv run python bench/drill.py --rows 1000000 --work bench/out/drill-after [--clustered]
    PYTHONPATH=/tmp/before/src python bench/drill.py --rows 1000000 --work bench/out/drill-before

Runs in two child processes, like `bench/run.py`: **import** opens the generated folder
(`bench/gen_fec.py`, reused when present) into an empty cache under `--work` with the pane
aggregates; with `--clustered` it also writes the transactions sorted by
``recipient_committee_id`` in 64k-row groups with statistics (the ``by_recipient`` table the
cache stores for a big dataset). **browse** then reopens the cache in a fresh process (with that
copy as ``Dataset.by_recipient``), shows the first page of each pane (`panes.pane_window` when
the code has it, else the whole `panes.pane_frame`), and times `donor_detail`,
`committee_detail` and `race_detail` on the ids `bench/run.py` picks (the 5 biggest and 20
drawn with seed 2016), printing median / p95 per kind and the process's peak RSS as JSON, also
as it was before the first committee detail (whose out-of-state figure builds the trace graph).
Whichever code is first on ``sys.path`` is measured, so the same script times both sides.
`--without-trace` leaves the traced out-of-state figure out of the details (as when the trace
fails), to time a detail's own reads apart from the trace it asks for. `--without-donor-parts`
makes donor details filter every stored part (`Dataset.donor_parts` dropped), as before a
donor's part was known, to compare both on the same cache; `--kinds donor` times only donors.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import random
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import gen_fec  # noqa: E402
from run import _ids  # noqa: E402

PAGE = 25_000  # the explorer's first page of a pane (`ui.loaders.PANE_PAGE`)
CLUSTERED = "by_recipient.parquet"


def _import(src: Path, work: Path, clustered: bool) -> dict[str, Any]:
    from moneytrail.data.open import open_dataset
    from moneytrail.query.panes import pane_aggregates

    start = time.perf_counter()
    ds = open_dataset(src, cache_dir=work / "cache", aggregates=pane_aggregates)
    if clustered:
        ds.transactions.sort("recipient_committee_id", nulls_last=True).sink_parquet(
            work / CLUSTERED, row_group_size=65_536, statistics=True
        )
    return {"seconds": time.perf_counter() - start, "rows": ds.report.rows_loaded}


def _without_trace() -> None:
    """Leave the traced figure (ultimate out-of-state share) out of every detail, as if the
    trace failed, to time the detail's own reads apart from the trace's."""
    from moneytrail.query import trace

    def untraced(*args: Any, **kwargs: Any) -> Any:
        raise trace.TraceError("left out by bench/drill.py --without-trace")

    trace.ultimate_outside = untraced  # type: ignore[assignment]


def _browse(src: Path, work: Path, kinds: list[str], donor_parts: bool) -> dict[str, Any]:
    import polars as pl

    from moneytrail.data.open import open_dataset
    from moneytrail.query import panes
    from moneytrail.query.details import committee_detail, donor_detail, race_detail
    from moneytrail.query.filters import Filters
    from moneytrail.query.kinds import PANES

    start = time.perf_counter()
    ds = open_dataset(src, cache_dir=work / "cache", aggregates=panes.pane_aggregates)
    if (work / CLUSTERED).exists():
        ds = dataclasses.replace(ds, by_recipient=pl.scan_parquet(work / CLUSTERED))
    if not donor_parts and hasattr(ds, "donor_parts"):
        ds = dataclasses.replace(ds, donor_parts=None)
    f = Filters()
    firsts: dict[str, pl.DataFrame] = {}
    for pane in ("donors", "committees", "races"):
        if hasattr(panes, "pane_window"):
            firsts[pane] = panes.pane_window(ds, f, pane, offset=0, limit=PAGE).rows
        else:
            firsts[pane] = panes.pane_frame(ds, f, pane)
    panes_seconds = time.perf_counter() - start
    rng = random.Random(2016)
    out: dict[str, Any] = {"panes_seconds": panes_seconds}
    plan = {
        "donor": ("donors", "donor_key", donor_detail),
        "committee": ("committees", "committee_id", committee_detail),
        "race": ("races", "race_id", race_detail),
    }
    for name, (pane, column, fn) in plan.items():
        if name not in kinds:
            continue
        # The same ids as bench/run.py: the biggest first, then random ones (seeded).
        ids = _ids(PANES[pane].listing(ds, f).select(column).collect(), column, rng)
        times = []
        for entity_id in ids:
            begin = time.perf_counter()
            fn(ds, f, entity_id)
            times.append(time.perf_counter() - begin)
        times.sort()
        p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
        out[name] = {"n": len(times), "median": statistics.median(times), "p95": p95}
        if name == "donor":  # a donor's detail traces nothing: the peak before any trace
            out["peak_rss_before_traces_mb"] = _peak_mb()
    out["peak_rss_mb"] = _peak_mb()
    return out


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--work", type=Path, required=True)
    parser.add_argument("--clustered", action="store_true")
    parser.add_argument("--step", choices=("import", "browse"), default=None)
    parser.add_argument("--kinds", default="donor,committee,race", help="details to time")
    parser.add_argument(
        "--without-donor-parts",
        action="store_true",
        help="donor details filter every part (as before a donor's part was known)",
    )
    parser.add_argument(
        "--without-trace", action="store_true", help="details leave out the traced figure"
    )
    args = parser.parse_args()
    src = gen_fec.default_path(args.rows)
    if args.step == "import":
        print(json.dumps(_import(src.parent, args.work, args.clustered)))
        return
    if args.step == "browse":
        if args.without_trace:
            _without_trace()
        kinds = args.kinds.split(",")
        print(json.dumps(_browse(src.parent, args.work, kinds, not args.without_donor_parts)))
        return
    if not src.exists():
        gen_fec.generate(args.rows, src)
    if not (src.parent / "cm.txt").exists():
        gen_fec.write_entities(args.rows, src.parent)
    args.work.mkdir(parents=True, exist_ok=True)
    base = [sys.executable, __file__, "--rows", str(args.rows), "--work", str(args.work)]
    results = {}
    for step in ("import", "browse"):
        extra = ["--clustered"] if args.clustered and step == "import" else []
        if step == "browse":
            extra += ["--kinds", args.kinds]
            extra += ["--without-trace"] if args.without_trace else []
            extra += ["--without-donor-parts"] if args.without_donor_parts else []
        done = subprocess.run([*base, "--step", step, *extra], capture_output=True, text=True)
        if done.returncode != 0:
            raise SystemExit(done.stderr[-3000:])
        results[step] = json.loads(done.stdout.strip().splitlines()[-1])
    print(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()
