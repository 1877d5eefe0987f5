"""Where an import's time and memory go: each stage's start, the RSS then and the peak so far.

Opens PATH into a fresh cache (or `--cache DIR`, kept) as the CLI does, printing one line per
import stage (the progress callback's stage labels) with the seconds since start, the current
RSS and the peak RSS (VmRSS / VmHWM from /proc/self/status; Linux only).

    uv run python bench/import_stages.py bench/out/fec-10m
    nice -n 5 uv run python bench/import_stages.py bench/out/fec-60m --cache /tmp/c60
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
import time
from pathlib import Path

from moneytrail.data.open import open_dataset
from moneytrail.query.panes import pane_aggregates


def memory() -> dict[str, int]:
    """VmRSS and VmHWM of this process, in MB."""
    out: dict[str, int] = {}
    with open("/proc/self/status", encoding="ascii") as fh:
        for line in fh:
            if line.startswith(("VmRSS", "VmHWM")):
                key, value = line.split(":")
                out[key] = int(value.split()[0]) // 1024
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", type=Path)
    parser.add_argument("--cache", type=Path, default=None, help="cache root to use and keep")
    args = parser.parse_args()
    root = args.cache or Path(tempfile.mkdtemp(prefix="mt-stages-"))
    start = time.perf_counter()
    last: list[str] = []

    def progress(stage: str, done: int, total: int, rows: int | None = None) -> None:
        # Reading stages are named after their file; later stages ("fec: ...") by step.
        if last and last[-1] == stage:
            return
        last.append(stage)
        m = memory()
        print(f"{time.perf_counter() - start:8.1f} s  rss {m['VmRSS']:6,} MB  "
              f"peak {m['VmHWM']:6,} MB  {stage}", flush=True)  # fmt: skip

    try:
        open_dataset(args.path, cache_dir=root, aggregates=pane_aggregates, progress=progress)
        progress("done", 0, 0)
    finally:
        if args.cache is None:
            shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
