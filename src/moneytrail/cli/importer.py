"""`moneytrail import PATH`: import (and cache) a dataset, showing progress and the load report.

The import itself is `moneytrail.data.open.open_dataset`; this module adds what a terminal user
sees: a Rich progress bar per stage on stderr while it runs (only when stderr is a terminal:
input MB read, rows, MB/s and time left while reading, then each later step by name with its
running time), then the load report on stdout: per file the rows read, loaded and rejected
(by reason) and the bytes replaced while decoding, the totals, entities created from
references, warnings, whether the dataset was served from the cache, and the time taken with
rows/s. `rich_progress` is also what `moneytrail.cli.common.load` uses for every other
dataset-reading command.
"""

from __future__ import annotations

import argparse
import contextlib
import sys
import time
from collections.abc import Iterator
from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, Progress, ProgressColumn, Task, TaskID, TextColumn
from rich.text import Text

from moneytrail.cli.common import add_dataset_options, load, non_negative_int, source_options
from moneytrail.data import cache as cache_store
from moneytrail.data.dataset import Dataset
from moneytrail.data.open import cache_key
from moneytrail.data.progress import ProgressCallback, counts_bytes
from moneytrail.data.report import LoadReport
from moneytrail.paths import cache_dir
from moneytrail.present.money import format_count
from moneytrail.present.progress import ProgressMeter
from moneytrail.present.sanitize import safe_str


class FiguresColumn(ProgressColumn):
    """The stage's figures from its `ProgressMeter`, as of each redraw (so the running time and
    the time left move between reports): ``25.0/50.0 MB · 412,000 rows · 48.2 MB/s · 0:26 left``
    while reading, ``5/7 · 0:03`` for steps."""

    def render(self, task: Task) -> Text:
        meter = task.fields.get("meter")
        view = meter.view() if isinstance(meter, ProgressMeter) else None
        return Text("" if view is None else view.figures(), style="progress.download")


#: The one bar all step stages share (its label follows the current step).
_STEPS_SLOT = "\x00steps"


@contextlib.contextmanager
def rich_progress(console: Console | None = None) -> Iterator[ProgressCallback | None]:
    """A progress callback drawing a Rich bar per stage on stderr; None when not a terminal.

    Stages arrive as `(stage, done, total[, rows])`: each input file gets its own bar (MB read,
    rows, MB/s, time left, from `moneytrail.present.progress`) and the steps after reading
    (counting once, the cache write, ...) one bar whose label names the current step, with its
    running time (a pulsing bar when the step has no measure).
    """
    console = console or Console(stderr=True)
    if not console.is_terminal:
        yield None
        return
    bar = Progress(
        TextColumn("{task.description}", markup=False),
        BarColumn(bar_width=12),  # leaves the figures room on an 80-column terminal
        FiguresColumn(),
        console=console,
        transient=True,
    )
    tasks: dict[str, tuple[TaskID, ProgressMeter]] = {}

    def callback(stage: str, done: int, total: int, rows: int | None = None, /) -> None:
        label = safe_str(stage)
        # One bar per input file; the steps after reading share one bar whose label follows.
        slot = stage if counts_bytes(stage) else _STEPS_SLOT
        if slot not in tasks:
            meter = ProgressMeter()
            tasks[slot] = (bar.add_task(label, total=total or None, meter=meter), meter)
        task, meter = tasks[slot]
        meter.update(stage, done, total, rows)
        bar.update(task, description=label, completed=done, total=total or None)

    with bar:
        yield callback


def _rejected_text(rejected: dict[str, int]) -> str:
    parts = (f"{safe_str(reason)} {format_count(n)}" for reason, n in sorted(rejected.items()))
    return ", ".join(parts)


def format_report(report: LoadReport, *, source: str, where: str, seconds: float) -> list[str]:
    """The load report as the lines `moneytrail import` prints (columns sized to the paths)."""
    paths = [safe_str(f.path) for f in report.files]
    w = max([len("total"), *(len(p) for p in paths)])
    kw = max([len("kind"), *(len(safe_str(f.kind)) for f in report.files)])

    # Each count column is as wide as its header or its widest figure (the totals), so the
    # report fits 80 columns unless the paths themselves are long.
    totals = (report.rows_read, report.rows_loaded, report.rows_rejected, report.bytes_replaced)
    headers = ("read", "loaded", "rejected", "bytes replaced")
    nw = [max(len(h), len(format_count(n))) for h, n in zip(headers, totals, strict=True)]

    def row(path: str, kind: str, read: str, loaded: str, rejected: str, replaced: str) -> str:
        return (
            f"{path:<{w}}  {kind:<{kw}}  {read:>{nw[0]}}  {loaded:>{nw[1]}}  "
            f"{rejected:>{nw[2]}}  {replaced:>{nw[3]}}"
        )

    lines = [f"dataset: {safe_str(source)}", where]
    lines.append(row("file", "kind", "read", "loaded", "rejected", "bytes replaced"))
    for path, f in zip(paths, report.files, strict=True):
        lines.append(
            row(
                path,
                safe_str(f.kind),
                format_count(f.rows_read),
                format_count(f.rows_loaded),
                format_count(f.rows_rejected),
                format_count(f.bytes_replaced),
            )
        )
        if f.rejected:
            lines.append(f"    rejected: {_rejected_text(f.rejected)}")
    lines.append(
        row(
            "total",
            "",
            format_count(report.rows_read),
            format_count(report.rows_loaded),
            format_count(report.rows_rejected),
            format_count(report.bytes_replaced),
        )
    )
    by_reason: dict[str, int] = {}
    for f in report.files:
        for reason, n in f.rejected.items():
            by_reason[reason] = by_reason.get(reason, 0) + n
    if by_reason:
        lines.append(f"rejected by reason: {_rejected_text(by_reason)}")
    made = [f"{k} {format_count(v)}" for k, v in sorted(report.created.items()) if v]
    if made:
        lines.append(f"created from references: {', '.join(made)}")
    for warning in report.warnings:
        lines.append(f"warning: {safe_str(warning)}")
    rate = report.rows_read / seconds if seconds > 0 else 0.0
    lines.append(f"time: {seconds:.2f} s ({rate:,.0f} rows/s)")
    return lines


def _where(ds: Dataset, args: argparse.Namespace) -> str:
    """One line saying where the data now lives: cache hit, new cache entry, or memory."""
    if ds.report.from_cache:
        return "served from cache"
    if args.no_cache:
        return "imported in memory (--no-cache): nothing cached"
    if any("working in memory" in w for w in ds.report.warnings):
        return "imported in memory: the cache is unusable (see the warning below)"
    root = args.cache_dir if args.cache_dir is not None else cache_dir()
    key = cache_key(Path(args.path), source_options(args))
    entry = cache_store.entry_path(root, key)
    if entry.is_dir():
        return f"imported and cached in {safe_str(entry)}"
    return "imported (small moneytrail tables are read directly, not cached)"


def run(args: argparse.Namespace) -> int:
    start = time.perf_counter()
    with rich_progress() as progress:
        ds = load(args, progress=progress, warn=False)
    seconds = time.perf_counter() - start
    source = str(Path(args.path).resolve())
    for line in format_report(ds.report, source=source, where=_where(ds, args), seconds=seconds):
        print(line)
    for line in rejects_lines(ds, args.rejects):
        print(line)
    sys.stdout.flush()
    return 0


def rejects_lines(ds: Dataset, limit: int) -> list[str]:
    """The rejected rows, ``file:line: column: reason`` and the raw text indented (0 = all)."""
    from moneytrail.query.rejects import reject_label, rejected_rows

    total = ds.report.rows_rejected
    if not total:
        return []
    rows = rejected_rows(ds, None if limit == 0 else limit)
    lines = ["rejected rows:"]
    for row in rows.iter_rows(named=True):
        lines.append(f"  {safe_str(reject_label(row))}")
        if row["raw"]:
            lines.append(f"    {safe_str(row['raw'])}")
    if rows.height < total:
        lines.append(f"  … and {total - rows.height:,} more (--rejects 0 lists all)")
    return lines


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser(
        "import",
        help="import PATH into the cache and print the load report",
        description=(
            "Import a dataset (FEC bulk files or moneytrail tables) and print the load report: "
            "rows read, loaded and rejected (by reason) and bytes replaced, per file. FEC data is "
            "converted to Parquet in the cache so later opens are fast; a second import of "
            "unchanged files is served from the cache."
        ),
    )
    add_dataset_options(parser, path_required=True)
    parser.add_argument(
        "--rejects",
        type=non_negative_int,
        default=100,
        metavar="N",
        help="rejected rows listed with file, line, reason and raw text (default 100; 0: all)",
    )
    parser.set_defaults(func=run)
