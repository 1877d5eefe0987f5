"""Lookup benchmark: `query.search.find` (the CLI's `show`/`trace` and the palette) per kind.

For the bundled sample (small: held in memory, never cached) and the FEC 2016 snapshot (cached),
with and without a donor-state filter, times finding the biggest entity of each kind by its id
and by a word of its name: median of a few runs, after one warm-up.

    uv run python bench/bench_lookup.py
"""

from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path

from moneytrail.data.dataset import Dataset
from moneytrail.data.open import open_dataset
from moneytrail.query.filters import Filters
from moneytrail.query.kinds import KINDS, EntityName
from moneytrail.query.panes import pane_aggregates
from moneytrail.query.search import find, query_words

REPO = Path(__file__).resolve().parents[1]
DATASETS = {
    "sample": (REPO / "sample_data" / "safety-and-justice", "NY"),
    "fec-2016-early": (REPO / "sample_data" / "fec-2016-early", "CA"),
}
RUNS = 5


def _median_seconds(ds: Dataset, entity: EntityName, query: str, filters: Filters) -> float:
    """Median seconds of `find(ds, entity, query)` over `RUNS` runs, after one warm-up."""
    find(ds, entity, query, filters=filters)
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        find(ds, entity, query, filters=filters)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    cache = Path(tempfile.mkdtemp(prefix="mt-bench-lookup-"))
    print("| dataset | filter | kind | by id (s) | by name (s) |")
    print("|---|---|---|---|---|")
    for name, (path, state) in DATASETS.items():
        ds = open_dataset(path, cache_dir=cache, aggregates=pane_aggregates)
        for label, filters in (("none", Filters()), (state, Filters(states=frozenset({state})))):
            for kind in KINDS.values():
                top = kind.listing(ds, filters).head(1).collect()
                if not top.height:
                    continue
                key = str(top.item(0, kind.id_column))
                words = query_words(str(top.item(0, kind.name_column) or ""))
                word = max(words, key=len) if words else key
                by_id = _median_seconds(ds, kind.name, key, filters)
                by_name = _median_seconds(ds, kind.name, word, filters)
                print(f"| {name} | {label} | {kind.name} | {by_id:.3f} | {by_name:.3f} |")


if __name__ == "__main__":
    main()
