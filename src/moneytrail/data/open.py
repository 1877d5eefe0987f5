"""`open_dataset`: the one entry point that turns a user's PATH into a `Dataset`.

It asks the sources (`moneytrail.data.sources`) what PATH holds — each file goes to the
source that recognises its content; a folder may mix sources — reads them into one dataset,
and puts the Parquet cache (`moneytrail.data.cache`) in front of the slow readers:

* a plan with a source that is slow to read (`always_cache`: FEC bulk data, where parsing
  millions of `|`-delimited rows is the slow part) is always cached; other plans only when
  their files total at least `TABLES_CACHE_MIN_BYTES` (a small CSV folder such as the bundled
  sample reads faster than a cache lookup pays back). A small dataset is read once and held in
  memory, so no query reads its files or derives its columns again.
* The cache key covers the input files, each source used, its options and any file an option
  names (a mapping file).
* A cache hit reads only the cache: lazy Parquet scans plus the aggregates stored at import
  time, with `report.from_cache=True`.
* A miss imports, stores the tables and the frames the caller's `aggregates` function computes
  (the query layer's unfiltered pane results: the data layer never imports the query layer),
  and returns the dataset over the stored files.
* `cache=False` (the CLI's `--no-cache`) reads and writes no cache and holds the data in memory.
* An unusable cache directory (read-only, full, not a directory) falls back to memory and says
  so in `report.warnings`; it is never an error.

Problems with the input as a whole raise `DataError` (one line, naming the file).
"""

from __future__ import annotations

import errno
import os
from dataclasses import replace
from pathlib import Path

import polars as pl

from moneytrail.data import cache as cache_store
from moneytrail.data.cache import AggregatesFn
from moneytrail.data.dataset import Dataset
from moneytrail.data.errors import DataError
from moneytrail.data.progress import ProgressCallback
from moneytrail.data.sources.combine import Plan, SourceOptions, plan, plan_key, read_plan
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


def check_path(path: Path | None, options: SourceOptions | None = None) -> None:
    """Raise the `DataError` `open_dataset(path)` would raise for a PATH that holds no dataset.

    `options` are the sources' options (a CSV is recognised by the mapping it is given).

    Cheap (each file's first bytes are sniffed, nothing is parsed), so the explorer can refuse
    a bad PATH with one line before it takes over the terminal. File contents are still
    checked only when read.
    """
    if path is None:
        path = sample_dataset_path()
        if not path.exists():
            raise DataError("the bundled sample dataset is missing", path=str(path))
    if not path.exists():
        raise DataError("no such file or directory", path=str(path))
    plan(path, options)


def _worth_caching(p: Plan) -> bool:
    if any(c.source.always_cache for c in p.claims):
        return True
    total = sum(f.stat().st_size for c in p.claims for f in c.files)
    return total >= TABLES_CACHE_MIN_BYTES


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


def cache_key(path: Path, options: SourceOptions | None = None) -> str:
    """The cache key `open_dataset(path, options=options)` stores its entry under."""
    return cache_store.fingerprint(path, extra=plan_key(plan(path, options)))


def open_dataset(
    path: str | os.PathLike[str] | None = None,
    *,
    cache: bool = True,
    cache_dir: Path | None = None,
    progress: ProgressCallback | None = None,
    options: SourceOptions | None = None,
    aggregates: AggregatesFn | None = None,
) -> Dataset:
    """Load the dataset at `path`, or the bundled sample when `path` is None.

    Args:
        path: a file or a folder of files in any registered source's format (moneytrail
            tables, FEC bulk files, ...; a folder may mix them); a `str` or any path-like.
        cache: False reads and writes no cache (`--no-cache`): the data is held in memory.
        cache_dir: the cache root; default `moneytrail.paths.cache_dir()`
            (`MONEYTRAIL_CACHE_DIR` or the user cache directory).
        progress: called as the import goes (see `moneytrail.data.progress`).
        options: per-source option values, ``{"csv": {"mapping": "fl.toml"}}``.
        aggregates: computes the frames stored with a new cache entry (the query layer's
            `moneytrail.query.panes.pane_aggregates`); None stores none.

    Raises:
        DataError: PATH is missing or holds no dataset, an option is unknown, or a reader
            rejected its input as a whole.
    """
    path = Path(path) if path is not None else sample_dataset_path()
    if not path.exists():
        check_path(path)  # the one-line error for a missing PATH or sample
    p = plan(path, options)
    memory = any(c.source.always_cache for c in p.claims)
    small = not _worth_caching(p)
    if not cache or small:
        fresh = read_plan(p, progress)
        # A small dataset is read once and held in memory: a lazy plan over its files would
        # read them and derive every column (donor identities, ...) again in each query.
        return in_memory(fresh) if memory or small else fresh

    root = cache_dir if cache_dir is not None else default_cache_dir()
    key = cache_store.fingerprint(path, extra=plan_key(p))  # as `cache_key`, planned once
    try:
        hit = cache_store.lookup(root, key)
    except OSError:
        hit = None  # An unreadable cache is a miss; writing below reports the problem.
    if hit is not None:
        return hit

    def produce(workdir: Path) -> Dataset:
        # A lone FEC source stores its rows in the build folder as it reads (out of core),
        # taking any cycle an earlier entry holds from the same files as it is.
        return read_plan(p, progress, workdir=workdir, reuse=cache_store.earlier_cycles(root))

    try:
        entry = cache_store.write_entry(
            root, key, produce, source=path, aggregates=aggregates, progress=progress
        )
    except OSError as exc:
        if exc.errno not in _CACHE_UNUSABLE:
            raise
        reason = exc.strerror or str(exc)
        return _with_warning(
            in_memory(read_plan(p, progress)),
            f"cache directory {root} unusable ({reason}): working in memory",
        )
    try:
        return cache_store.read_entry(entry, from_cache=False, verify=False)
    except cache_store.CacheInvalid as exc:
        # Removed or damaged between our write and this read (e.g. `cache clear` meanwhile).
        return _with_warning(
            in_memory(read_plan(p, progress)), f"cache entry vanished ({exc}): working in memory"
        )
