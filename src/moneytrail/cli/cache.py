"""`moneytrail cache info|clear`: see and remove what the Parquet cache holds.

`info` lists every stored dataset (source path, rows, size on disk, created date, key) plus any
invalid entries and leftovers of interrupted imports; exit 0. `clear --all` removes everything
(exit 0 even when empty); `clear PATH` removes every cached version of PATH's dataset, and exits
1 when nothing was cached for it, so scripts can tell.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from moneytrail.data import cache as cache_store
from moneytrail.data.errors import DataError
from moneytrail.paths import cache_dir
from moneytrail.present.money import format_count
from moneytrail.present.sanitize import safe_str


def format_bytes(n: int) -> str:
    """`812 B`, `12.3 KB`, `1.4 GB` (powers of 1000, like `ls -h --si`)."""
    value = float(n)
    for unit in ("B", "KB", "MB", "GB"):
        if value < 1000 or unit == "GB":
            return f"{value:.0f} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1000
    return f"{value:.1f} TB"  # pragma: no cover - the loop always returns


def _root(args: argparse.Namespace) -> Path:
    return args.cache_dir if args.cache_dir is not None else cache_dir()


def run_info(args: argparse.Namespace) -> int:
    root = _root(args)
    entries = list(cache_store.iter_entries(root))
    leftovers = cache_store.incomplete_builds(root)
    valid = [e for e in entries if e.valid]
    total = sum(e.size_bytes for e in entries)
    print(f"cache: {safe_str(root)}")
    if not entries and not leftovers:
        print("no cached datasets")
        return 0
    print(f"{format_count(len(valid))} dataset(s), {format_bytes(total)}")
    print(f"{'created (UTC)':<20} {'rows':>12} {'size':>10}  {'key':<32}  source")
    for e in entries:
        created = e.created.strftime("%Y-%m-%d %H:%M:%S")
        rows = format_count(e.rows) if e.valid else "-"
        source = safe_str(e.source) if e.valid else f"INVALID: {safe_str(e.problem)}"
        print(f"{created:<20} {rows:>12} {format_bytes(e.size_bytes):>10}  {e.key:<32}  {source}")
    if leftovers:
        print(
            f"{format_count(len(leftovers))} interrupted or in-progress import(s) "
            "(removed by the next import or by `moneytrail cache clear --all`)"
        )
    return 0


def run_clear(args: argparse.Namespace) -> int:
    root = _root(args)
    if args.all:
        removed = cache_store.clear(root)
    else:
        removed = cache_store.clear(root, args.path)
        if not removed:
            raise DataError("nothing cached for this path", path=str(args.path))
    size = sum(e.size_bytes for e in removed)
    print(
        f"removed {format_count(len(removed))} cached dataset(s), {format_bytes(size)}, "
        f"from {safe_str(root)}"
    )
    return 0


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser(
        "cache",
        help="list or clear the Parquet cache of imported datasets",
        description="List (info) or remove (clear) the datasets stored in the Parquet cache.",
    )
    actions = parser.add_subparsers(dest="cache_command", metavar="ACTION", required=True)
    dir_help = "cache directory (default: $MONEYTRAIL_CACHE_DIR or the user cache dir)"

    info = actions.add_parser("info", help="list cached datasets: source, rows, size, date")
    info.add_argument("--cache-dir", type=Path, default=None, help=dir_help)
    info.set_defaults(func=run_info)

    clear = actions.add_parser("clear", help="remove cached datasets (--all, or one PATH's)")
    which = clear.add_mutually_exclusive_group(required=True)
    which.add_argument("--all", action="store_true", help="remove every cached dataset")
    which.add_argument(
        "path", metavar="PATH", type=Path, nargs="?", default=None, help="the dataset's path"
    )
    clear.add_argument("--cache-dir", type=Path, default=None, help=dir_help)
    clear.set_defaults(func=run_clear)
