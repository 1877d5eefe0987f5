"""`open_dataset`: the one entry point that turns a user's PATH into a `Dataset`.

It decides what PATH holds (a moneytrail-tables folder, FEC bulk files), hands it to the right
reader, and puts the Parquet cache (`moneytrail.data.cache`) in front of the slow readers:

* FEC bulk data is always cached (parsing millions of `|`-delimited rows is the slow part);
  moneytrail tables only when their files total at least `TABLES_CACHE_MIN_BYTES` (a small CSV
  folder such as the bundled sample reads faster than a cache lookup pays back).
* A cache hit reads only the cache: lazy Parquet scans plus the pane aggregates stored at import
  time, with `report.from_cache=True`.
* A miss imports, stores the tables and the unfiltered donors/committees/races results, and
  returns the dataset over the stored files.
* `cache=False` (the CLI's `--no-cache`) reads and writes no cache and holds the data in memory.
* An unusable cache directory (read-only, full, not a directory) falls back to memory and says
  so in `report.warnings`; it is never an error.

Problems with the input as a whole raise `DataError` (one line, naming the file).
"""

from __future__ import annotations

import errno
import os
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path

import polars as pl

from moneytrail.data import cache as cache_store
from moneytrail.data.dataset import Dataset
from moneytrail.data.errors import DataError
from moneytrail.data.progress import ProgressCallback
from moneytrail.paths import cache_dir as default_cache_dir
from moneytrail.paths import sample_dataset_path

#: moneytrail-tables folders smaller than this are read directly, never cached.
TABLES_CACHE_MIN_BYTES = 32 * 1024 * 1024

#: errno values that mean "the cache directory cannot be used" rather than "bad input".
_CACHE_UNUSABLE = {
    errno.EACCES,
    errno.EPERM,
    errno.EROFS,
    errno.ENOSPC,
    errno.EDQUOT,
    errno.EFBIG,
    errno.EIO,
    errno.ENOTDIR,
    errno.EEXIST,
    errno.ENOENT,
}


def _kind(path: Path) -> str:
    """ "tables", "fec" or "filings", or DataError when PATH holds none of them."""
    from moneytrail.data import tables

    if tables.is_tables_path(path):
        return "tables"
    from moneytrail.data import fec

    if fec.is_fec_path(path):
        return "fec"
    from moneytrail.data.sources.folder import is_filings_path

    if is_filings_path(path):
        return "filings"
    raise DataError(
        "no moneytrail tables (transactions.csv/.parquet) or FEC bulk files found",
        path=str(path),
    )


def check_path(path: Path | None) -> None:
    """Raise the `DataError` `open_dataset(path)` would raise for a PATH that holds no dataset.

    Cheap (names only, nothing is read), so the explorer can refuse a bad PATH with one line
    before it takes over the terminal. File contents are still checked only when read.
    """
    if path is None:
        path = sample_dataset_path()
        if not path.exists():
            raise DataError("the bundled sample dataset is missing", path=str(path))
    if not path.exists():
        raise DataError("no such file or directory", path=str(path))
    _kind(path)


def _read_source(kind: str, path: Path, progress: ProgressCallback | None) -> Dataset:
    if kind == "filings":
        from moneytrail.data.sources.folder import load_filings

        return load_filings(path)
    if kind == "fec":
        from moneytrail.data import fec

        return fec.import_fec(path, progress=progress)
    from moneytrail.data import tables

    return tables.load_tables(path)


def _worth_caching(kind: str, path: Path) -> bool:
    if kind == "fec":
        return True
    if kind == "filings":
        return False  # The cache does not store cross-system links yet.
    total = sum(f.stat().st_size for f in cache_store.input_files(path))
    return total >= TABLES_CACHE_MIN_BYTES


def pane_aggregates(dataset: Dataset) -> Mapping[str, pl.LazyFrame | pl.DataFrame]:
    """The panes' unfiltered results, stored with a cache entry so first paint scans nothing.

    Computed by the query layer itself (`donors`, `committees`, `candidates`, `races` with
    default `Filters`), so the stored frames are exactly what the panes would compute.
    """
    from moneytrail.query.committees import committees
    from moneytrail.query.donors import donors
    from moneytrail.query.filters import Filters
    from moneytrail.query.races import candidates, races

    everything = Filters()
    return {
        "donors": donors(dataset, everything),
        "committees": committees(dataset, everything),
        "candidates": candidates(dataset, everything),
        "races": races(dataset, everything),
    }


def in_memory(dataset: Dataset) -> Dataset:
    """`dataset` with every table collected once, so queries never re-read the source files."""
    frames = pl.collect_all(
        [
            dataset.transactions,
            dataset.committees,
            dataset.candidates,
            dataset.races,
            dataset.rejects,
        ]
    )
    tx, cm, cn, rc, rj = (f.lazy() for f in frames)
    return replace(dataset, transactions=tx, committees=cm, candidates=cn, races=rc, rejects=rj)


def _with_warning(dataset: Dataset, warning: str) -> Dataset:
    report = replace(dataset.report, warnings=(*dataset.report.warnings, warning))
    return replace(dataset, report=report)


def open_dataset(
    path: str | os.PathLike[str] | None = None,
    *,
    cache: bool = True,
    cache_dir: Path | None = None,
    progress: ProgressCallback | None = None,
) -> Dataset:
    """Load the dataset at `path`, or the bundled sample when `path` is None.

    Args:
        path: a moneytrail-tables folder, or FEC bulk files (folder, zip or member file); a
            `str` or any path-like.
        cache: False reads and writes no cache (`--no-cache`): the data is held in memory.
        cache_dir: the cache root; default `moneytrail.paths.cache_dir()`
            (`MONEYTRAIL_CACHE_DIR` or the user cache directory).
        progress: called as the import goes (see `moneytrail.data.progress`).

    Raises:
        DataError: PATH is missing or holds no dataset, or a reader rejected it as a whole.
    """
    path = Path(path) if path is not None else sample_dataset_path()
    check_path(path)
    kind = _kind(path)
    if not cache or not _worth_caching(kind, path):
        fresh = _read_source(kind, path, progress)
        return in_memory(fresh) if kind == "fec" else fresh

    root = cache_dir if cache_dir is not None else default_cache_dir()
    key = cache_store.fingerprint(path)
    try:
        hit = cache_store.lookup(root, key)
    except OSError:
        hit = None  # An unreadable cache is a miss; writing below reports the problem.
    if hit is not None:
        return hit

    fresh = _read_source(kind, path, progress)
    try:
        entry = cache_store.write_entry(
            root, key, fresh, source=path, aggregates=pane_aggregates, progress=progress
        )
    except OSError as exc:
        if exc.errno not in _CACHE_UNUSABLE:
            raise
        reason = exc.strerror or str(exc)
        return _with_warning(
            in_memory(fresh), f"cache directory {root} unusable ({reason}): working in memory"
        )
    try:
        return cache_store.read_entry(entry, from_cache=False, verify=False)
    except cache_store.CacheInvalid as exc:
        # Removed or damaged between our write and this read (e.g. `cache clear` meanwhile).
        return _with_warning(in_memory(fresh), f"cache entry vanished ({exc}): working in memory")
