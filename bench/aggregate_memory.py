"""Peak RSS of each stored aggregate computed alone on a cache entry, one fresh process each.

    uv run python bench/aggregate_memory.py ENTRY              # every aggregate of the entry
    uv run python bench/aggregate_memory.py ENTRY NAME [NAME]  # just these

`ENTRY` is a cache entry folder (``<cache>/<key>``, e.g. ``bench/out/work-60m/cache/<key>``
after a `bench/run.py --keep` run). Each aggregate is computed as the import computes it
(`query.panes.pane_aggregates`; part by part with `cache.PerPart` where it says so) into a
temporary file that is then removed; the entry is only read. Prints one line per aggregate:
seconds, the child's peak RSS and its RSS after opening the entry. An import holds one
aggregate at a time, so the largest of these lines is the aggregates stage's own need.
"""

from __future__ import annotations

import resource
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path


def _one(entry: Path, name: str) -> None:
    from moneytrail.data import cache
    from moneytrail.query.panes import pane_aggregates

    stored = replace(cache.read_entry(entry, verify=False), aggregates={})
    opened = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
    start = time.perf_counter()
    aggregates = pane_aggregates(stored)
    per_part = pane_aggregates.per_part
    with tempfile.TemporaryDirectory() as tmp:
        target = Path(tmp) / "agg.parquet"
        if name in per_part:
            layout = cache.read_manifest(entry)["layout"]
            cache._sink_per_part(per_part[name], stored, entry, layout, target, aggregates[name])
        else:
            cache._sink(aggregates[name], target)
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
    how = "part by part" if name in per_part else "whole"
    print(f"{name:34s} {seconds:8.1f} s  peak {peak:6,d} MB  (open {opened} MB, {how})", flush=True)


def main() -> None:
    entry = Path(sys.argv[1])
    names = sys.argv[2:]
    if len(names) == 1:
        _one(entry, names[0])
        return
    if not names:
        names = sorted(p.name[4:-8] for p in entry.glob("agg-*.parquet"))
    for name in names:
        subprocess.run([sys.executable, __file__, str(entry), name], check=False)


if __name__ == "__main__":
    main()
