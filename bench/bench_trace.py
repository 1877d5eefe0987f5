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
"""

from __future__ import annotations

import argparse
import platform
import random
import statistics
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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "path", nargs="?", type=Path, default=ROOT / "sample_data" / "fec-2016-early"
    )
    parser.add_argument("--synthetic", type=int, metavar="ROWS", help="benchmark generated data")
    parser.add_argument("--samples", type=int, default=100, help="random entities per kind")
    parser.add_argument("--seed", type=int, default=2016)
    args = parser.parse_args()

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
    donor_keys = graph.donor_flows.get_column("donor_key").unique().sort().to_list()
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
        f"donor edges: {graph.donor_edges.height:,}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
