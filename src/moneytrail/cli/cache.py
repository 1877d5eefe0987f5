"""`moneytrail cache info|clear`: see and remove what the Parquet cache holds.

`info [PATH]` prints the cache root and lists every stored dataset (source path, rows, size on
disk, created date, key) plus any invalid entries and leftovers of interrupted imports; then,
for each valid entry (only PATH's when given: exit 1 when nothing is cached for it), its
folder and each table's layout (`moneytrail.data.cache_layout`: path and glob, hive
partitions, clustering key, files, row groups and the rows per group the writer was given,
rows, size) and the line that reads its
transactions with DuckDB, so other engines can be pointed at it; exit 0. `clear --all` removes
everything
(exit 0 even when empty); `clear PATH` removes every cached version of PATH's dataset, and exits
1 when nothing was cached for it, so scripts can tell.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from moneytrail.data import cache as cache_store
from moneytrail.data.cache_layout import FooterError, TableLayout, entry_layout
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


def _layout_lines(entry: cache_store.CacheEntry) -> list[str]:
    """One entry's folder, source and tables, as `cache info` prints them."""
    lines = [
        "",
        f"entry: {safe_str(entry.path)}",
        f"  source: {safe_str(entry.source)}",
        f"  size: {format_bytes(entry.size_bytes)}, created "
        f"{entry.created.strftime('%Y-%m-%d %H:%M:%S')} UTC",
    ]
    try:
        tables = entry_layout(entry.path, cache_store.read_manifest(entry.path))
    except (FooterError, OSError, cache_store.CacheInvalid) as exc:
        return [*lines, f"  layout unreadable: {safe_str(str(exc))}"]
    head = (
        "table",
        "rows",
        "files",
        "row groups",
        "rows/group",
        "size",
        "partitions",
        "clustered by",
        "read",
    )
    rows = [
        (
            safe_str(t.name),
            format_count(t.rows),
            format_count(len(t.files)),
            format_count(t.row_groups),
            format_count(t.row_group_rows) if t.row_group_rows else "-",
            format_bytes(t.size_bytes),
            ", ".join(safe_str(p) for p in t.partitions) or "-",
            ", ".join(safe_str(c) for c in t.clustered_by) or "(not recorded)",
            safe_str(t.glob),
        )
        for t in tables
    ]
    widths = [max(len(r[i]) for r in [head, *rows]) for i in range(len(head))]
    right = {1, 2, 3, 4, 5}

    def cells(values: tuple[str, ...]) -> str:
        out = [
            v.rjust(w) if i in right else v.ljust(w)
            for i, (v, w) in enumerate(zip(values, widths, strict=True))
        ]
        return "  " + "  ".join(out).rstrip()

    lines.append(cells(head))
    lines.extend(cells(r) for r in rows)
    tx = next((t for t in tables if t.name == "transactions"), None)
    if tx is not None:
        lines.append(f"  DuckDB: {duckdb_read(entry.path, tx)}")
    return lines


def duckdb_read(entry: Path, table: TableLayout) -> str:
    """The DuckDB `read_parquet(...)` call that reads `table` of the entry at `entry`."""
    target = f"{entry}/{table.glob}".replace("'", "''")
    hive = ", hive_partitioning=true" if table.partitioning else ""
    return f"SELECT count(*) FROM read_parquet('{safe_str(target)}'{hive});"


def run_info(args: argparse.Namespace) -> int:
    root = _root(args)
    entries = list(cache_store.iter_entries(root))
    leftovers = cache_store.incomplete_builds(root)
    if args.path is not None:
        wanted = str(args.path.resolve())
        entries = [e for e in entries if e.source == wanted]
        if not entries:
            raise DataError(f"nothing cached for this path in {root}", path=str(args.path))
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
    if leftovers and args.path is None:
        print(
            f"{format_count(len(leftovers))} interrupted or in-progress import(s) "
            "(removed by the next import or by `moneytrail cache clear --all`)"
        )
    for e in valid:
        for line in _layout_lines(e):
            print(line)
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

    info = actions.add_parser(
        "info",
        help="list cached datasets (source, rows, size, date) and each one's Parquet layout",
        description=(
            "Print the cache root, every cached dataset, and each one's folder and tables: "
            "path and glob, hive partitions, clustering key, files, row groups, rows and size, "
            "so DuckDB, Spark or Polars can read the Parquet directly. With PATH, only that "
            "dataset's entries (exit 1 when none)."
        ),
    )
    info.add_argument(
        "path", metavar="PATH", type=Path, nargs="?", default=None, help="the dataset's path"
    )
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
