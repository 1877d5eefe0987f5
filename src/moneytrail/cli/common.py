"""Options shared by subcommands: the dataset PATH, cache options, global filters, output format."""

from __future__ import annotations

import argparse
import contextlib
import signal
import sys
import threading
from collections.abc import Iterator
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path

from moneytrail.data.dataset import Dataset
from moneytrail.data.progress import ProgressCallback
from moneytrail.data.schema import SOURCE_KINDS
from moneytrail.query.filters import Filters


def add_dataset_options(parser: argparse.ArgumentParser, *, path_required: bool = False) -> None:
    """PATH plus the cache options every dataset-reading command takes."""
    if path_required:
        parser.add_argument("path", metavar="PATH", type=Path, help="dataset folder or file")
    else:
        parser.add_argument(
            "path",
            metavar="PATH",
            type=Path,
            nargs="?",
            default=None,
            help="dataset folder or file (default: the bundled sample)",
        )
    parser.add_argument(
        "--cache-dir",
        type=Path,
        default=None,
        help="Parquet cache directory (default: $MONEYTRAIL_CACHE_DIR or the user cache dir)",
    )
    parser.add_argument(
        "--no-cache", action="store_true", help="import in memory; read and write no cache"
    )
    parser.add_argument(
        "-o",
        "--source-option",
        metavar="SOURCE.NAME=VALUE",
        action="append",
        default=[],
        type=_source_option,
        help="an option of one input source (repeatable), e.g. csv.mapping=fl.toml",
    )
    parser.add_argument(
        "--mapping",
        metavar="FILE",
        type=Path,
        default=None,
        help="read CSV files by this TOML mapping (same as -o csv.mapping=FILE; see "
        "moneytrail mapping init)",
    )


def _source_option(text: str) -> tuple[str, str, str]:
    key, sep, value = text.partition("=")
    source, dot, name = key.strip().partition(".")
    if not sep or not dot or not source or not name:
        raise argparse.ArgumentTypeError(f"expected SOURCE.NAME=VALUE, got {text!r}")
    return source, name, value


def source_options(args: argparse.Namespace) -> dict[str, dict[str, str]]:
    """The `-o SOURCE.NAME=VALUE` options as `open_dataset(options=...)` takes them."""
    out: dict[str, dict[str, str]] = {}
    for source, name, value in getattr(args, "source_option", None) or []:
        out.setdefault(source, {})[name] = value
    if getattr(args, "mapping", None) is not None:
        out.setdefault("csv", {})["mapping"] = str(args.mapping)
    return out


def open_options(args: argparse.Namespace) -> dict[str, object]:
    """The keyword arguments of `open_dataset` the parsed dataset options describe."""
    from moneytrail.query.panes import pane_aggregates

    return {
        "cache": not getattr(args, "no_cache", False),
        "cache_dir": getattr(args, "cache_dir", None),
        "options": source_options(args),
        "aggregates": pane_aggregates,
    }


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not an ISO date (YYYY-MM-DD): {text!r}") from None


def _dollars_to_cents(text: str) -> int:
    try:
        value = Decimal(text.replace(",", "").lstrip("$"))
    except InvalidOperation:
        raise argparse.ArgumentTypeError(f"not an amount in dollars: {text!r}") from None
    if not value.is_finite() or value != value.quantize(Decimal("0.01")):
        raise argparse.ArgumentTypeError(f"not an amount in dollars and cents: {text!r}")
    return int(value * 100)


def non_negative_int(text: str) -> int:
    """argparse type: an integer >= 0."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be zero or more: {text!r}")
    return value


def _cycles(text: str) -> list[int]:
    """argparse type: one cycle or a comma list (``2016`` or ``2016,2018``)."""
    from moneytrail.query.cycles import is_cycle

    out: list[int] = []
    for part in text.split(","):
        part = part.strip()
        if not part:
            continue
        try:
            value = int(part)
        except ValueError:
            raise argparse.ArgumentTypeError(f"not a cycle year: {part!r}") from None
        if not is_cycle(value):
            raise argparse.ArgumentTypeError(
                f"not a cycle: {part!r} (a cycle is named by its even election year, e.g. 2016)"
            )
        out.append(value)
    if not out:
        raise argparse.ArgumentTypeError(f"no cycle given: {text!r}")
    return out


def add_filter_options(parser: argparse.ArgumentParser) -> None:
    """The global filters (see `moneytrail.query.filters.Filters`)."""
    group = parser.add_argument_group("filters")
    group.add_argument("--since", type=_date, help="first date included (YYYY-MM-DD)")
    group.add_argument("--until", type=_date, help="last date included (YYYY-MM-DD)")
    group.add_argument(
        "--state", action="append", default=[], help="donor state (repeatable), e.g. FL"
    )
    group.add_argument("--min-amount", type=_dollars_to_cents, help="smallest amount, dollars")
    group.add_argument("--max-amount", type=_dollars_to_cents, help="largest amount, dollars")
    group.add_argument(
        "--kind",
        action="append",
        default=[],
        choices=SOURCE_KINDS,
        help="source kind (repeatable)",
    )
    group.add_argument(
        "--cycle",
        action="append",
        default=[],
        type=_cycles,
        metavar="YEAR",
        help="election cycle, its even year (repeatable or a comma list), e.g. 2016,2018",
    )
    group.add_argument(
        "--include-memo",
        action="store_true",
        help="show memo rows in row listings (they are never added into totals)",
    )


def filters_from_args(args: argparse.Namespace) -> Filters:
    """The `Filters` the parsed options describe."""
    return Filters(
        since=args.since,
        until=args.until,
        states=frozenset(s.upper() for s in args.state),
        min_cents=args.min_amount,
        max_cents=args.max_amount,
        source_kinds=frozenset(args.kind),
        include_memo=args.include_memo,
        cycles=frozenset(c for group in args.cycle for c in group),
    )


def add_format_option(parser: argparse.ArgumentParser, choices: tuple[str, ...]) -> None:
    parser.add_argument(
        "--format",
        choices=choices,
        default=choices[0],
        help=f"output format (default {choices[0]})",
    )


@contextlib.contextmanager
def interrupt_once() -> Iterator[None]:
    """Within the block, Ctrl+C (SIGINT) raises `KeyboardInterrupt` once; later ones are ignored.

    A Ctrl+C that lands while Polars is writing Parquet surfaces twice: as the error the
    interrupted write raises, then again at the next line of Python. The second one fell in the
    cache writer's cleanup (`finally`) and left its temp dir behind (measured: every time at
    300k rows, `test_ctrl_c_during_the_cache_write_leaves_no_partial_cache`). Outside the main
    thread, where no signal handler can be set, the block runs as it is.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    fired = False

    def handler(signum: int, frame: object) -> None:
        nonlocal fired
        if not fired:
            fired = True
            raise KeyboardInterrupt

    previous = signal.signal(signal.SIGINT, handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


def load(
    args: argparse.Namespace,
    *,
    progress: ProgressCallback | None = None,
    warn: bool = True,
) -> Dataset:
    """Open the dataset the options name, honouring `--cache-dir` and `--no-cache`.

    Without an explicit `progress`, a Rich progress bar is drawn on stderr while an import
    runs (only when stderr is a terminal; scripts see nothing), so every command shows progress
    on a first, slow open of FEC data. Ctrl+C stops it with no partial cache left
    (`interrupt_once`). With `warn`, each load warning (e.g. an unusable cache
    directory, so the data was imported in memory) is printed to stderr as one line, so a script
    learns of it without the output it parses changing.
    """
    from moneytrail.data.open import open_dataset

    kwargs = open_options(args)
    if progress is not None:
        with interrupt_once():
            ds = open_dataset(args.path, progress=progress, **kwargs)  # type: ignore[arg-type]
    else:
        from moneytrail.cli.importer import rich_progress

        with rich_progress() as bar, interrupt_once():
            ds = open_dataset(args.path, progress=bar, **kwargs)  # type: ignore[arg-type]
    if warn:
        from moneytrail.present.sanitize import safe_str

        for warning in ds.report.warnings:
            print(f"moneytrail: warning: {safe_str(warning)}", file=sys.stderr)
        line = rejected_line(ds, args.path)
        if line is not None:
            print(f"moneytrail: {line}", file=sys.stderr)
    return ds


def rejected_line(ds: Dataset, path: Path | None = None) -> str | None:
    """``2 rows rejected; run `moneytrail import PATH` for the list`` (None when none were).

    PATH is what the user named (`path`), else where the dataset came from.
    """
    import shlex

    from moneytrail.present.money import format_count
    from moneytrail.present.sanitize import safe_str

    n = ds.report.rows_rejected
    if not n:
        return None
    rows = "row" if n == 1 else "rows"
    where = safe_str(shlex.quote(str(path if path is not None else ds.source)))
    return f"{format_count(n)} {rows} rejected; run `moneytrail import {where}` for the list"
