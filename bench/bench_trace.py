"""Benchmark: how long tracing one committee takes once the committee graph is built.

It opens a dataset (default: the real FEC 2016 snapshot in `sample_data/fec-2016-early/`), then
prints, in milliseconds:

* **baseline**: one full `committees()` scan (the PACs pane query, forced past the precomputed
  aggregates with a no-op filter) — the ratio column compares every figure with it;
* **graph build**: the one scan that builds the committee graph for (dataset, filters);
* **trace (warm)**: `trace_committee` on random committees with receipts (seeded), graph cached:
  median and p95 — the figure the ≤ 200 ms target is about;
* **trace race / donor forward**: the same for random races and donors, when there are any.

`--synthetic ROWS` benchmarks a generated in-memory dataset instead (a few thousand committees
funding each other in a Zipf-shaped graph with cycles, donors, independent expenditures), which
needs no reader and lets the figure be checked at any size.

    uv run python bench/bench_trace.py                              # FEC 2016 snapshot
    uv run python bench/bench_trace.py PATH --samples 200
    uv run python bench/bench_trace.py --synthetic 2000000

`--fec ROWS` measures instead the **first trace in a fresh process** on a cached generated
FEC-layout dataset (`bench/gen_fec.py`, generated into `bench/out/` when missing, imported once
with `pane_aggregates` into `bench/out/trace-cache-<N>/`): for the largest committee, a median
one and the race with the most money, each in its own new process, the time from
`open_dataset` to the trace in hand and the process's peak RSS; then, in one more process, ten
traces in a row (browsing). Both **before** (the stored graph parts hidden, so the graph is
built from every row, as it was) and **after** (the stored parts), in one run.
`first_traces(folder, cache_dir)` does the same for any folder, for `bench/run.py`.

    nice -n 10 uv run python bench/bench_trace.py --fec 1000000
    nice -n 10 uv run python bench/bench_trace.py --fec 3000000 --big-committee 3000000

`--big-committee EDGES` adds one more new process: the largest committee's donor edges replaced
by EDGES generated ones (`one_big_committee`), the size of the largest committee of a 60M file.
"""

from __future__ import annotations

import argparse
import json
import platform
import random
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import polars as pl

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT / "src"))

from moneytrail.data.dataset import Dataset  # noqa: E402
from moneytrail.data.schema import CANDIDATES, COMMITTEES, RACES, TRANSACTIONS  # noqa: E402
from moneytrail.query.filters import Filters  # noqa: E402


def synthetic(rows: int, seed: int) -> Dataset:
    """A generated dataset: committees in a Zipf-shaped funding graph with cycles."""
    n_comm = max(50, rows // 400)
    n_donor = max(100, rows // 3)
    n_c2c = rows // 20
    n_ie = rows // 50
    rng = random.Random(seed)

    def zipf(n: int, k: int) -> list[int]:
        weights = [1 / (i + 1) for i in range(n)]
        return rng.choices(range(n), weights=weights, k=k)

    n_gift = rows - n_c2c - n_ie
    donors = [rng.randrange(n_donor) for _ in range(n_gift)]
    to = zipf(n_comm, n_gift)
    payer = zipf(n_comm, n_c2c)
    recv = zipf(n_comm, n_c2c)
    ie_payer = zipf(n_comm, n_ie)
    amount = [int(rng.paretovariate(1.16) * 2500) for _ in range(rows)]
    states = ["CA", "TX", "FL", "NY", "IL", "LA", "NM", "MS"]
    tx = pl.DataFrame(
        {
            "transaction_id": [f"t{i}" for i in range(rows)],
            "amount_cents": amount,
            "kind": ["contribution"] * (n_gift + n_c2c) + ["independent_expenditure"] * n_ie,
            "source_kind": ["individual"] * n_gift + ["committee"] * (n_c2c + n_ie),
            "source_id": [None] * n_gift + [f"C{p:05d}" for p in payer + ie_payer],
            "source_name": [f"DONOR {d}" for d in donors]
            + [f"COMMITTEE {p}" for p in payer + ie_payer],
            "source_state": [states[d % len(states)] for d in donors] + [None] * (n_c2c + n_ie),
            "recipient_committee_id": [f"C{c:05d}" for c in to + recv] + [None] * n_ie,
            "candidate_id": [None] * (n_gift + n_c2c) + [f"K{p % 500:04d}" for p in ie_payer],
            "support_oppose": [None] * (n_gift + n_c2c) + [rng.choice("SO") for _ in ie_payer],
            "memo": [False] * rows,
            "donor_key": [f"I|DONOR {d}|" for d in donors]
            + [f"C|C{p:05d}" for p in payer + ie_payer],
        }
    ).with_columns(date=pl.lit(None, dtype=pl.Date()))
    for col, dtype in TRANSACTIONS.items():
        if col not in tx.columns:
            tx = tx.with_columns(pl.lit(None, dtype=dtype).alias(col))
    tx = tx.select([pl.col(c).cast(t) for c, t in TRANSACTIONS.items()])
    committees = pl.DataFrame(
        {
            "committee_id": [f"C{c:05d}" for c in range(n_comm)],
            "name": [f"COMMITTEE {c}" for c in range(n_comm)],
            "kind": ["pac"] * n_comm,
            "state": [states[c % len(states)] for c in range(n_comm)],
            "party": [None] * n_comm,
            "candidate_id": [None] * n_comm,
            "inferred": [False] * n_comm,
        },
        schema=COMMITTEES,
    )
    candidates = pl.DataFrame(
        {
            "candidate_id": [f"K{k:04d}" for k in range(500)],
            "name": [f"CANDIDATE {k}" for k in range(500)],
            "party": [None] * 500,
            "race_id": [f"R{k // 2:03d}" for k in range(500)],
            "incumbent": [False] * 500,
            "won": [None] * 500,
            "inferred": [False] * 500,
        },
        schema=CANDIDATES,
    )
    races = pl.DataFrame(
        {
            "race_id": [f"R{r:03d}" for r in range(250)],
            "name": [f"RACE {r}" for r in range(250)],
            "office": ["DA"] * 250,
            "state": [states[r % len(states)] for r in range(250)],
            "jurisdiction": [None] * 250,
            "year": [2016] * 250,
            "stage": ["primary"] * 250,
            "population": [None] * 250,
            "median_household_income": [50_000] * 250,
            "inferred": [False] * 250,
        },
        schema=RACES,
    )
    return Dataset(
        name=f"synthetic-{rows}",
        source=Path(f"synthetic-{rows}"),
        transactions=tx.lazy(),
        committees=committees.lazy(),
        candidates=candidates.lazy(),
        races=races.lazy(),
    )


def timed(fn: Any, *args: Any, **kwargs: Any) -> tuple[float, Any]:
    start = time.perf_counter()
    value = fn(*args, **kwargs)
    return (time.perf_counter() - start) * 1000, value


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


# --- first trace in a fresh process ---------------------------------------------------------


def _open_cached(folder: Path, cache_dir: Path, stored: bool) -> Dataset:
    """The cached dataset (imported with the pane aggregates if not yet), without the stored
    graph parts when `stored` is False (the graph is then built from every row)."""
    from dataclasses import replace

    from moneytrail.data.open import open_dataset
    from moneytrail.query.panes import pane_aggregates
    from moneytrail.query.trace_graph import PARTS

    ds = open_dataset(folder, cache_dir=cache_dir, aggregates=pane_aggregates)
    if stored:
        return ds
    return replace(ds, aggregates={k: v for k, v in ds.aggregates.items() if k not in PARTS})


def trace_targets(folder: Path, cache_dir: Path, n: int = 5) -> dict[str, list[str]]:
    """Committees by receipts (largest first) and races by money (most first), `n` of each
    plus the median committee, from the stored graph parts (imports the folder if needed)."""
    from moneytrail.query.trace_graph import IES, RECEIPTS

    ds = _open_cached(folder, cache_dir, stored=True)
    receipts = ds.aggregates[RECEIPTS].sort(
        "amount_cents", "committee_id", descending=[True, False]
    )
    ids = receipts.collect().get_column("committee_id").to_list()
    races = (
        ds.candidates.select("candidate_id", "race_id")
        .join(ds.committees.select("committee_id", "candidate_id"), on="candidate_id", how="inner")
        .join(receipts, on="committee_id")
        .select("race_id", "amount_cents")
    )
    ies = ds.aggregates[IES].join(
        ds.candidates.select("candidate_id", "race_id"), on="candidate_id"
    )
    money = (
        pl.concat([races, ies.select("race_id", "amount_cents")])
        .group_by("race_id")
        .agg(pl.col("amount_cents").sum())
        .sort("amount_cents", "race_id", descending=[True, False])
        .collect()
    )
    return {
        "committees": ids[:n],
        "median_committee": [ids[len(ids) // 2]] if ids else [],
        "races": money.get_column("race_id").drop_nulls().to_list()[:n],
    }


def parts_cost(folder: Path, cache_dir: Path) -> dict[str, Any]:
    """What storing the graph's parts adds to an import: each part computed from the cached
    tables and written to Parquet as the cache does (streaming sink), its time and rows."""
    import tempfile

    from moneytrail.query.trace_graph import trace_aggregates

    ds = _open_cached(folder, cache_dir, stored=True)
    out: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(dir=cache_dir) as tmp:
        for name, plan in trace_aggregates(ds).items():
            t0 = time.perf_counter()
            target = Path(tmp) / f"agg-{name}.parquet"
            plan.sink_parquet(target, compression="zstd", compression_level=1)
            rows = pl.scan_parquet(target).select(pl.len()).collect().item()
            out[name] = {
                "s": time.perf_counter() - t0,
                "rows": rows,
                "mb": target.stat().st_size / 1e6,
            }
    out["rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return out


def child_first_trace(folder: str, cache_dir: str, mode: str, targets: str) -> dict[str, Any]:
    """In a fresh process: open, trace each `kind:id` of `targets` in turn; times and peak RSS
    (mode "prepare": import the folder if needed and pick the targets instead).

    The first figure (``first_s``) runs from before `open_dataset` to the first trace in hand:
    opening the cache, building or reading the graph, and the trace.
    """
    start = time.perf_counter()
    if mode == "prepare":
        return trace_targets(Path(folder), Path(cache_dir))
    if mode == "parts":
        return parts_cost(Path(folder), Path(cache_dir))
    if mode == "big":
        return one_big_committee(Path(cache_dir), int(targets))
    from moneytrail.query.trace import trace_committee, trace_race

    ds = _open_cached(Path(folder), Path(cache_dir), stored=mode == "after")
    opened = time.perf_counter() - start
    times: list[float] = []
    for target in targets.split(","):
        kind, _, key = target.partition(":")
        t0 = time.perf_counter()
        (trace_committee if kind == "committee" else trace_race)(ds, Filters(), key)
        times.append(time.perf_counter() - t0)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"open_s": opened, "first_s": opened + times[0], "traces_s": times, "rss_mb": peak_mb}


def _run_child(folder: Path, cache_dir: Path, mode: str, targets: list[str]) -> dict[str, Any]:
    """Run `child_first_trace` in a new process. Linux carries a parent's peak RSS into the
    children it forks, so the parent never opens the dataset itself."""
    cmd = [
        sys.executable,
        str(Path(__file__).resolve()),
        "--child",
        str(folder),
        str(cache_dir),
        mode,
        ",".join(targets),
    ]
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        raise SystemExit(f"trace child failed: {' '.join(cmd)}\n{proc.stderr[-2000:]}")
    result: dict[str, Any] = json.loads(proc.stdout.strip().splitlines()[-1])
    return result


def first_traces(folder: Path, cache_dir: Path) -> dict[str, Any]:
    """First trace in a fresh process, before (graph from every row) and after (stored parts),
    for the largest committee, the median one and the race with the most money; and ten
    traces in one process (browsing). Every figure from its own new process."""
    picks = _run_child(folder, cache_dir, "prepare", [""])
    singles = {
        "largest committee": f"committee:{picks['committees'][0]}",
        "median committee": f"committee:{picks['median_committee'][0]}",
    }
    if picks["races"]:
        singles["largest race"] = f"race:{picks['races'][0]}"
    browse = [f"committee:{c}" for c in picks["committees"]]
    browse += [f"race:{r}" for r in picks["races"]]
    out: dict[str, Any] = {"targets": singles, "browse": browse}
    out["parts"] = _run_child(folder, cache_dir, "parts", [""])
    for mode in ("before", "after"):
        for label, target in singles.items():
            out[f"{mode}: {label}"] = _run_child(folder, cache_dir, mode, [target])
        out[f"{mode}: browse"] = _run_child(folder, cache_dir, mode, browse[:10])
    return out


def one_big_committee(cache_dir: Path, edges: int) -> dict[str, Any]:
    """Trace one committee with `edges` donor edges, in this (fresh) process: the stored parts
    of the cached dataset in `cache_dir`, with its largest committee's donor edges replaced by
    `edges` generated ones (distinct donors, heavy-tailed amounts, three states) and its
    receipts set to their sum. What the largest committee of a much larger file costs, without
    importing that file."""
    from dataclasses import replace

    from moneytrail.data.cache import read_entry
    from moneytrail.query.trace import trace_committee
    from moneytrail.query.trace_graph import DONOR_EDGES, RECEIPTS

    entry = next(p for p in cache_dir.iterdir() if (p / "manifest.json").exists())
    big = cache_dir / f"big-edges-{edges}.parquet"
    if not big.exists():
        i = pl.int_range(edges, eager=True)
        frame = pl.DataFrame({"i": i}).select(
            recipient=pl.lit("BIG"),
            donor_key=pl.format("I|DONOR {}|{}", pl.col("i"), pl.col("i").hash(1) % 99_999),
            amount_cents=(5.0 / (1.0 - (pl.col("i").hash(2) % 1_000_000) / 1e6).pow(1 / 1.16))
            .clip(1, 500_000)
            .mul(100)
            .cast(pl.Int64),
            name=pl.format("DONOR, {}", pl.col("i")),
            state=pl.lit(pl.Series(["CA", "NY", "TX"])).gather(pl.col("i") % 3),
            kind=pl.lit("individual"),
        )
        frame.sort("recipient", "donor_key").write_parquet(big, row_group_size=65_536)
    start = time.perf_counter()
    ds = read_entry(entry)
    aggs = dict(ds.aggregates)
    aggs[DONOR_EDGES] = pl.scan_parquet(big)
    aggs[RECEIPTS] = pl.concat(
        [
            aggs[RECEIPTS],
            aggs[DONOR_EDGES]
            .group_by(pl.col("recipient").alias("committee_id"))
            .agg(pl.col("amount_cents").sum()),
        ]
    )
    ds = replace(ds, aggregates=aggs)
    opened = time.perf_counter() - start
    t0 = time.perf_counter()
    result = trace_committee(ds, Filters(), "BIG")
    took = time.perf_counter() - t0
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"open_s": opened, "trace_s": took, "sources": result.entry_count, "rss_mb": peak_mb}


def fec_main(rows: int, big_committee: int | None = None) -> int:
    sys.path.insert(0, str(HERE))
    import gen_fec

    src = gen_fec.default_path(rows)
    if not src.exists():
        gen_fec.generate(rows, src)
    cache_dir = HERE / "out" / f"trace-cache-{gen_fec.label(rows)}"
    t0 = time.perf_counter()
    res = first_traces(src.parent, cache_dir)
    took = time.perf_counter() - t0
    print(f"# first trace in a fresh process: {src.parent.name} ({rows:,} rows)")
    print(
        f"python {platform.python_version()}, polars {pl.__version__}, {platform.machine()}, "
        f"{__import__('os').cpu_count()} cpus; whole run {took:.0f} s (import included when the "
        "cache was not there)\n"
    )
    print("| measure | before: graph from every row | after: stored graph |")
    print("|---|---:|---:|")
    for label in [*res["targets"], "browse"]:
        b, a = res[f"before: {label}"], res[f"after: {label}"]
        if label == "browse":
            n = len(a["traces_s"])
            row = f"{n} traces in one process: total (open incl.) / peak RSS"
            cell = [
                f"{x['open_s'] + sum(x['traces_s']):.2f} s / {x['rss_mb']:,.0f} MB" for x in (b, a)
            ]
        else:
            row = f"{label}: open + first trace / peak RSS"
            cell = [f"{x['first_s']:.2f} s / {x['rss_mb']:,.0f} MB" for x in (b, a)]
        print(f"| {row} | {cell[0]} | {cell[1]} |")
    parts = res["parts"]
    seconds = sum(v["s"] for k, v in parts.items() if k != "rss_mb")
    print(
        f"\nstoring the graph parts (each computed from the cached tables, streaming sink): "
        f"{seconds:.1f} s in all, peak RSS {parts['rss_mb']:,.0f} MB; "
        + ", ".join(
            f"{k} {v['rows']:,} rows {v['mb']:.1f} MB" for k, v in parts.items() if k != "rss_mb"
        )
    )
    if big_committee:
        big = _run_child(src.parent, cache_dir, "big", [str(big_committee)])
        print(
            f"\none committee with {big_committee:,} donor edges ({big['sources']:,} sources), "
            f"in a new process: open {big['open_s']:.2f} s, first trace {big['trace_s']:.2f} s, "
            f"peak RSS {big['rss_mb']:,.0f} MB"
        )
    print("\ntargets: " + json.dumps(res["targets"]))
    print("raw: " + json.dumps({k: v for k, v in res.items() if ":" in k}))
    return 0


def main() -> int:
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        print(json.dumps(child_first_trace(*sys.argv[2:6])))
        return 0
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "path", nargs="?", type=Path, default=ROOT / "sample_data" / "fec-2016-early"
    )
    parser.add_argument("--synthetic", type=int, metavar="ROWS", help="benchmark generated data")
    parser.add_argument("--samples", type=int, default=100, help="random entities per kind")
    parser.add_argument("--seed", type=int, default=2016)
    parser.add_argument(
        "--fec", type=int, metavar="ROWS", help="first trace in a fresh process, generated FEC"
    )
    parser.add_argument(
        "--big-committee",
        type=int,
        metavar="EDGES",
        help="with --fec: also trace one committee with EDGES donor edges, in a new process",
    )
    args = parser.parse_args()
    if args.fec:
        return fec_main(args.fec, args.big_committee)

    from moneytrail.query.committees import committees
    from moneytrail.query.trace import trace_committee, trace_donor_forward, trace_race
    from moneytrail.query.trace_graph import clear_cache, flow_graph

    if args.synthetic:
        ms, ds = timed(synthetic, args.synthetic, args.seed)
        ds = Dataset(
            name=ds.name,
            source=ds.source,
            transactions=ds.transactions.collect().lazy(),
            committees=ds.committees,
            candidates=ds.candidates,
            races=ds.races,
        )
    else:
        from moneytrail.data.open import open_dataset

        ms, ds = timed(open_dataset, args.path)
    rows = ds.transactions.select(pl.len()).collect().item()
    print(f"# trace benchmark: {ds.name} ({rows:,} transactions)")
    print(
        f"python {platform.python_version()}, polars {pl.__version__}, {platform.machine()}, "
        f"{__import__('os').cpu_count()} cpus; open {ms:.0f} ms\n"
    )

    filters = Filters()
    forced = Filters(include_memo=True)  # same counted rows, but skips precomputed aggregates
    baseline = statistics.median(
        timed(lambda: committees(ds, forced).collect())[0] for _ in range(3)
    )
    clear_cache()
    build, graph = timed(flow_graph, ds, filters)

    rng = random.Random(args.seed)
    with_receipts = sorted(graph.receipts)
    picks = rng.sample(with_receipts, min(args.samples, len(with_receipts)))
    biggest = sorted(graph.receipts, key=lambda c: -graph.receipts[c])[:5]
    results: list[tuple[str, list[float]]] = []
    times = [timed(trace_committee, ds, filters, c)[0] for c in picks]
    results.append((f"trace committee (warm, {len(picks)} random)", times))
    big = [timed(trace_committee, ds, filters, c)[0] for c in biggest]
    results.append(("trace committee (warm, 5 largest)", big))
    races = sorted(graph.races)
    if races:
        sample = rng.sample(races, min(args.samples, len(races)))
        results.append(
            (
                f"trace race ({len(sample)} random)",
                [timed(trace_race, ds, filters, r)[0] for r in sample],
            )
        )
    donor_keys = graph.donors.ensure_labels([]).labels.get_column("donor_key").sort().to_list()
    if donor_keys:
        sample = rng.sample(donor_keys, min(args.samples, len(donor_keys)))
        results.append(
            (
                f"donor forward ({len(sample)} random)",
                [timed(trace_donor_forward, ds, filters, d)[0] for d in sample],
            )
        )

    print("| step | median ms | p95 ms | median / baseline |")
    print("|---|---:|---:|---:|")
    print(f"| baseline: one full committees() scan | {baseline:.1f} | | 1.00 |")
    print(f"| graph build (once per dataset + filters) | {build:.1f} | | {build / baseline:.2f} |")
    for label, values in results:
        med = statistics.median(values)
        print(f"| {label} | {med:.1f} | {pct(values, 0.95):.1f} | {med / baseline:.2f} |")
    print(
        f"\ncommittees with receipts: {len(with_receipts):,}; "
        f"committee-to-committee edges: {sum(len(v) for v in graph.in_committees.values()):,}; "
        f"donor edges: {graph.donors.ensure_all().edges.height:,}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
