"""Committee and race drill-downs and traces on the largest ids of a kept cache: time, peak
RSS and a digest of every figure, for before/after comparisons at 60M rows.

    nice -n 10 uv run python bench/drill_ids.py --src bench/out/fec-60m \\
        --cache bench/out/work-60m/cache --kind committee --what detail --fresh \\
        --dump /tmp/after-committee.json

``--what`` is ``detail`` (`details.committee_detail` / `race_detail`), ``outside`` (the traced
figure alone, `trace.ultimate_outside`) or ``trace`` (`trace_committee` / `trace_race`).
``--fresh`` runs each id in its own process (the first call pays for the graph, as in the
app); without it the ids run one after another in one process (``--repeat`` times), as when
browsing. Each line of the output is one call: seconds, the process's peak RSS, and a hash of
every figure the call returned (`--dump` writes the figures themselves, to diff two runs).
`--without-trace` leaves the traced figure out of the details, as `bench/drill.py` does.
"""

from __future__ import annotations

import argparse
import dataclasses
import hashlib
import json
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any


def _plain(value: Any) -> Any:
    """Every figure of a result as JSON-able values (floats exact via repr)."""
    import polars as pl

    if isinstance(value, pl.LazyFrame):
        return None  # a detail's row listing: not read (``row_count`` says how many)
    if isinstance(value, pl.DataFrame):
        return [[_plain(v) for v in row] for row in value.rows()] + [value.columns]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, float):
        return repr(value)
    if value is None or isinstance(value, int | str | bool):
        return value
    return str(value)


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _largest(ds: Any, kind: str, n: int) -> list[str]:
    from moneytrail.query.committees import committees
    from moneytrail.query.filters import Filters
    from moneytrail.query.races import races

    f = Filters()
    if kind == "committee":
        frame = committees(ds, f).select("committee_id").head(n).collect()
    else:
        frame = races(ds, f).select("race_id").head(n).collect()
    return [v for v in frame.to_series().to_list() if v is not None]


def _call(kind: str, what: str) -> Any:
    from moneytrail.query import details, trace
    from moneytrail.query.filters import Filters

    f = Filters()
    if what == "detail":
        fn = details.committee_detail if kind == "committee" else details.race_detail
        return lambda ds, i: fn(ds, f, i)
    if what == "outside":
        return lambda ds, i: trace.ultimate_outside(ds, f, kind, i)
    fn = trace.trace_committee if kind == "committee" else trace.trace_race
    return lambda ds, i: fn(ds, f, i)


def _run(args: argparse.Namespace, ids: list[str] | None) -> list[dict[str, Any]]:
    from moneytrail.data.open import open_dataset
    from moneytrail.query.panes import pane_aggregates

    if args.without_trace:
        from moneytrail.query import trace

        def untraced(*_: Any, **__: Any) -> Any:
            raise trace.TraceError("left out by bench/drill_ids.py --without-trace")

        trace.ultimate_outside = untraced  # type: ignore[assignment]
    start = time.perf_counter()
    ds = open_dataset(args.src, cache_dir=args.cache, aggregates=pane_aggregates)
    opened = time.perf_counter() - start
    ids = ids or _largest(ds, args.kind, args.top)
    fn = _call(args.kind, args.what)
    out = []
    for round_ in range(args.repeat):
        for entity_id in ids:
            begin = time.perf_counter()
            result = fn(ds, entity_id)
            took = time.perf_counter() - begin
            figures = _plain(result)
            text = json.dumps(figures, sort_keys=True)
            out.append(
                {
                    "id": entity_id,
                    "round": round_,
                    "ms": round(took * 1000, 1),
                    "open_ms": round(opened * 1000, 1),
                    "peak_rss_mb": round(_peak_mb()),
                    "hash": hashlib.sha256(text.encode()).hexdigest()[:16],
                    "figures": figures,
                }
            )
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--src", type=Path, required=True)
    parser.add_argument("--cache", type=Path, required=True)
    parser.add_argument("--kind", choices=("committee", "race"), required=True)
    parser.add_argument("--what", choices=("detail", "outside", "trace"), default="detail")
    parser.add_argument("--top", type=int, default=5)
    parser.add_argument("--ids", default="", help="comma-separated ids instead of the largest")
    parser.add_argument("--fresh", action="store_true", help="one process per id")
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--without-trace", action="store_true")
    parser.add_argument("--dump", type=Path)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    ids = [i for i in args.ids.split(",") if i]
    if args.child:
        print(json.dumps(_run(args, ids)))
        return
    if args.fresh:
        if not ids:
            from moneytrail.data.open import open_dataset
            from moneytrail.query.panes import pane_aggregates

            ds = open_dataset(args.src, cache_dir=args.cache, aggregates=pane_aggregates)
            ids = _largest(ds, args.kind, args.top)
        results = []
        for entity_id in ids:
            argv = [a for a in sys.argv[1:] if a != "--fresh"]
            cmd = [sys.executable, __file__, *argv, "--child", "--ids", entity_id]
            done = subprocess.run(cmd, capture_output=True, text=True)
            if done.returncode != 0:
                raise SystemExit(done.stderr[-3000:])
            results.extend(json.loads(done.stdout.strip().splitlines()[-1]))
    else:
        results = _run(args, ids)
    for r in results:
        shown = {k: v for k, v in r.items() if k != "figures"}
        print(json.dumps(shown))
    times = sorted(r["ms"] for r in results)
    p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
    summary = {
        "kind": args.kind,
        "what": args.what,
        "n": len(times),
        "median_ms": statistics.median(times),
        "p95_ms": p95,
        "max_peak_rss_mb": max(r["peak_rss_mb"] for r in results),
    }
    print(json.dumps(summary))
    if args.dump:
        args.dump.write_text(json.dumps([[r["id"], r["figures"]] for r in results], indent=0))


if __name__ == "__main__":
    main()
