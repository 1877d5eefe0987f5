"""The Parquet cache: imported datasets stored once, reopened lazily in well under a second.

Layout under the cache root (`moneytrail.paths.cache_dir()` unless told otherwise)::

    <root>/<key>/transactions.parquet   committees.parquet  candidates.parquet  races.parquet
                 rejects.parquet        agg-donors.parquet  agg-committees.parquet  ...
                 manifest.json          (written last)

A large FEC import stores its transactions in parts instead, written by the reader itself into
the build folder (`moneytrail.data.fec.importer`)::

    <root>/<key>/transactions/cycle=2016/part-00000.parquet ...   (by donor_key)
                 by_recipient/cycle=2016/part-00000.parquet ...   (by recipient_committee_id)
                 cycles/cycle=2016/committees.parquet ... cycle.json (what reuses a cycle)

The manifest's ``layout`` says how each table is stored (`moneytrail cache info` prints it; for
FEC parts also which part holds a donor: `moneytrail.data.donor_parts`) and its ``cycles``
which cycles the entry holds and from which files (`earlier_cycles`).

`key` is a fingerprint of the inputs (resolved paths, sizes, mtimes of every input file) and of
`CACHE_FORMAT_VERSION`, so editing, replacing or touching a source file makes a new key and the
old entry is simply never read again (`moneytrail cache clear` removes it).

Guarantees:

* **Atomic**: an entry is built in `<root>/.tmp-<key>-<pid>-<rand>/` and renamed into place
  whole, so a killed import leaves only a `.tmp-*` directory, which is never read and is swept
  away by the next import or by `cache clear`. A build holds an exclusive `flock` on its
  `.lock` file for as long as it runs; the kernel drops the lock when the process dies (even by
  `kill -9`), so the sweep tells a dead build from a live one without trusting PIDs (which a
  container reuses: every run of a one-process container has the same PID).
* **Verified**: the manifest records each file's size, row count, a SHA-256 of its last
  `TAIL_BYTES` (where Parquet keeps its footer), a SHA-256 of the whole file and the file's
  stat stamp (inode, mtime, ctime) once written, plus a checksum of the manifest itself and the
  moneytrail version and key it belongs to. Opening an entry checks the sizes, tail hashes,
  footer row counts and the stored schema (cheap: no data pages are read). The whole-file hash
  is re-checked only for a file whose stat stamp changed since it was written (anything that
  writes to a file changes its ctime, which no user can set back) or was written in the same
  clock tick as the manifest (the "racy" case, as in git's index); unchanged files cost
  nothing, so reopening a multi-GB entry stays fast. A flipped bit in a data page is not
  always a Parquet decode error (measured: about half of single-bit flips in a zstd page read
  back as silently different values), hence the whole-file hash. Damage below the
  filesystem that changes no stat (media bit rot) is left to the disk's own checks.
  A truncated, corrupt or mismatched entry is reported as invalid and the caller rebuilds it.
* **Concurrent**: two processes building the same key both succeed; the loser of the rename
  race discards its copy and reads the winner's.
* **Lazy**: `read_entry` returns `pl.scan_parquet` frames; nothing is collected.
* **Drill-down friendly**: transactions are stored sorted by `donor_key` in 64k-row groups with
  min/max statistics, so a one-donor filter skips almost the whole file.

Pure data layer: Polars and the standard library only.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import json
import os
import re
import secrets
import shutil
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import polars as pl
from polars.io.plugins import register_io_source

from moneytrail import __version__
from moneytrail.data.dataset import Dataset
from moneytrail.data.donor_parts import DONOR_PARTS, DonorParts
from moneytrail.data.progress import CACHE_STAGE_PREFIX, ProgressCallback, report_stage
from moneytrail.data.report import LoadReport, file_report_from_json, file_report_to_json
from moneytrail.data.schema import LOADED_SCHEMAS, REJECTS

try:  # POSIX: build liveness by flock. Elsewhere the sweep falls back to PIDs.
    import fcntl
except ImportError:  # pragma: no cover - not POSIX
    fcntl = None  # type: ignore[assignment]

#: Bump whenever the stored layout or the meaning of stored columns changes: old entries are
#: then ignored (their key no longer matches) instead of being misread.
CACHE_FORMAT_VERSION = 7  # 7: the donor parts' look-up (`donor_parts`) in the layout

MANIFEST = "manifest.json"
#: The dataset tables stored per entry, in `Dataset` field order.
TABLES: tuple[str, ...] = ("transactions", "committees", "candidates", "races", "rejects")
#: The second copy of the transactions a large import stores, clustered by recipient committee.
BY_RECIPIENT = "by_recipient"
#: Folders of tables stored in parts (every part has the table's columns).
_PART_FOLDERS = ("transactions", BY_RECIPIENT)
#: Bytes at the end of each Parquet file that are hashed into the manifest (footer + last pages).
TAIL_BYTES = 64 * 1024
#: Rows per Parquet row group: small enough that a key filter skips most of a 10M-row file.
TX_ROW_GROUP = 65_536
TMP_PREFIX = ".tmp-"
TRASH_PREFIX = ".trash-"
#: Held (flock) by a build for its whole life, inside its temp dir.
LOCK_NAME = ".lock"
#: A temp dir whose lock is free but whose PID is alive is still swept once it is this old
#: (seconds): its PID was reused. Younger ones are left alone, since a build creates its dir
#: a moment before it takes the lock.
STALE_AFTER_S = 60.0
#: errno values that mean "the cache's disk cannot take this entry", when Polars reports them
#: inside its own exception type (it wraps the OS error as text: "... (os error 28)").
_STORAGE_ERRNOS = frozenset(
    {errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EROFS, errno.EACCES, errno.EPERM, errno.EIO}
)
_OS_ERROR_RE = re.compile(r"os error (\d+)")


@dataclass(frozen=True, slots=True)
class PerPart:
    """An aggregate computed part by part over transactions stored in clustered parts, then
    concatenated (in part order; sort when reading).

    For figures per donor (`by` ``donor_key``: every row of a donor is in one part of
    ``transactions/``) or per recipient committee (`by` ``recipient_committee_id``: the parts
    of ``by_recipient/``), so no step holds every donor's groups at once. `build` gets a
    dataset whose `transactions` is one part. On a dataset stored as one file it runs once.
    """

    build: Callable[[Dataset], pl.LazyFrame]
    by: str = "donor_key"
    #: Turns the concatenated parts' results into the stored aggregate, given the whole stored
    #: dataset (e.g. joins them with figures computed over every row); None stores them as
    #: they are.
    finish: Callable[[pl.LazyFrame, Dataset], pl.LazyFrame] | None = None
    #: A column every group of the result includes (``donor_key`` for per-(recipient, donor)
    #: figures): a part larger than `SLICE_ROWS` (one committee with millions of receipts)
    #: is then computed in slices of that column's hash, each holding whole groups.
    split_by: str | None = None
    #: With `split_by`, for a result grouped coarser than `split_by` (per committee, figures
    #: over its donors): computed on each slice instead of `build`, ...
    partial: Callable[[Dataset], pl.LazyFrame] | None = None
    #: ... and turned into the part's result by `combine`, given the slices' concatenated
    #: results and the part itself: ``combine(concat(partial(slice) ...), part)`` must equal
    #: ``build(part)``. None: the slices' results are the part's (each group is in one slice).
    combine: Callable[[pl.LazyFrame, Dataset], pl.LazyFrame] | None = None


#: Rows above which a `PerPart` with `split_by` computes a part in slices.
SLICE_ROWS = 1_000_000


#: Computes the aggregates stored with an entry from the dataset being cached. It may carry a
#: ``per_part`` mapping (name -> `PerPart`) naming results the cache can compute part by part.
AggregatesFn = Callable[[Dataset], Mapping[str, pl.LazyFrame | pl.DataFrame]]


class CacheInvalid(Exception):
    """An entry exists but cannot be trusted (truncated, corrupt, other format version)."""


@dataclass(frozen=True, slots=True)
class CacheEntry:
    """One stored dataset, as `moneytrail cache info` lists it."""

    key: str
    path: Path
    source: str
    name: str
    created: datetime
    size_bytes: int
    rows: int  # transactions stored
    valid: bool
    problem: str = ""


# --- fingerprint ----------------------------------------------------------------------------


def input_files(path: Path) -> list[Path]:
    """Every regular file under `path` (or `path` itself), hidden files skipped, sorted."""
    path = path.resolve()
    if path.is_file():
        return [path]
    out: list[Path] = []
    for dirpath, dirnames, filenames in os.walk(path):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        out.extend(Path(dirpath, f) for f in filenames if not f.startswith("."))
    return sorted(out)


def fingerprint(path: Path, extra: object = None) -> str:
    """The cache key for the dataset at `path`: changes when any input file's size or mtime does.

    Hashes the resolved root, each file's path relative to it, size and mtime (nanoseconds),
    the cache format version, the moneytrail version (a new release may read files
    differently, so it must not reuse an old release's conversion) and `extra`: any
    JSON-serialisable description of how the files are read (the sources used, their options
    and the files those options name: `moneytrail.data.sources.combine.plan_key`).
    """
    root = path.resolve()
    files = []
    for f in input_files(root):
        st = f.stat()
        rel = f.name if f == root else str(f.relative_to(root))
        files.append([rel, st.st_size, st.st_mtime_ns])
    payload = {
        "format": CACHE_FORMAT_VERSION,
        "moneytrail": __version__,
        "root": str(root),
        "files": files,
        "read": extra,
    }
    blob = json.dumps(payload, sort_keys=True, separators=(",", ":")).encode()
    return hashlib.sha256(blob).hexdigest()[:32]


# --- report (de)serialisation ---------------------------------------------------------------


def _report_to_json(report: LoadReport) -> dict[str, Any]:
    return {
        "files": [file_report_to_json(f) for f in report.files],
        "created": dict(report.created),
        "warnings": list(report.warnings),
    }


def _report_from_json(data: Mapping[str, Any], *, from_cache: bool) -> LoadReport:
    files = tuple(file_report_from_json(f) for f in data["files"])
    return LoadReport(
        files=files,
        created={str(k): int(v) for k, v in data["created"].items()},
        warnings=tuple(str(w) for w in data["warnings"]),
        from_cache=from_cache,
    )


# --- manifest -------------------------------------------------------------------------------


def _tail_sha256(path: Path, size: int) -> str:
    with path.open("rb") as fh:
        fh.seek(max(0, size - TAIL_BYTES))
        return hashlib.sha256(fh.read()).hexdigest()


def _parquet_rows(path: Path) -> int:
    """Row count from the Parquet footer alone (no data pages read)."""
    return int(pl.scan_parquet(path).select(pl.len()).collect().item())


def _full_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def _stamp(st: os.stat_result) -> list[int]:
    """What changes whenever anything writes to the file: inode, size, mtime, ctime (ns)."""
    return [st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns]


def _schema_record(path: Path) -> dict[str, str]:
    """Column name -> dtype text, from the Parquet footer."""
    return {name: str(dtype) for name, dtype in pl.read_parquet_schema(path).items()}


def _file_record(path: Path) -> dict[str, Any]:
    st = path.stat()
    return {
        "bytes": st.st_size,
        "rows": _parquet_rows(path),
        "tail_sha256": _tail_sha256(path, st.st_size),
        "sha256": _full_sha256(path),
        "stamp": _stamp(st),
        "schema": _schema_record(path),
    }


def _manifest_checksum(body: Mapping[str, Any]) -> str:
    blob = json.dumps(body, sort_keys=True, separators=(",", ":")).encode()
    return hashlib.sha256(blob).hexdigest()


def read_manifest(entry: Path) -> dict[str, Any]:
    """The entry's manifest, checked against its own checksum and the format version.

    Raises:
        CacheInvalid: missing, unparsable, tampered with, or another format version.
    """
    try:
        raw = (entry / MANIFEST).read_text(encoding="utf-8")
        data = json.loads(raw)
    except FileNotFoundError:
        raise CacheInvalid("no manifest (incomplete build)") from None
    except (OSError, ValueError) as exc:
        raise CacheInvalid(f"unreadable manifest: {exc}") from None
    if not isinstance(data, dict) or "checksum" not in data:
        raise CacheInvalid("manifest has no checksum")
    body = {k: v for k, v in data.items() if k != "checksum"}
    if _manifest_checksum(body) != data["checksum"]:
        raise CacheInvalid("manifest checksum mismatch")
    if body.get("format") != CACHE_FORMAT_VERSION:
        raise CacheInvalid(f"cache format {body.get('format')} (expected {CACHE_FORMAT_VERSION})")
    if body.get("moneytrail") != __version__:
        raise CacheInvalid(
            f"written by moneytrail {body.get('moneytrail')} (this is {__version__})"
        )
    _check_shape(body)
    return body


def _check_shape(body: Mapping[str, Any]) -> None:
    """Every field `read_entry` relies on is there with the right type (else CacheInvalid)."""
    fields: dict[str, type | tuple[type, ...]] = {
        "key": str,
        "source": str,
        "name": str,
        "synthetic": bool,
        "created": str,
        "report": dict,
        "aggregates": list,
        "files": dict,
    }
    for name, kind in fields.items():
        if not isinstance(body.get(name), kind):
            raise CacheInvalid(f"manifest field {name!r} missing or malformed")
    try:
        _report_from_json(body["report"], from_cache=True)
        datetime.fromisoformat(body["created"])
    except (KeyError, TypeError, ValueError, AttributeError):
        raise CacheInvalid("manifest report malformed") from None
    folders = {t for t, spec in body.get("layout", {}).items() if spec.get("folder")}
    if not isinstance(body.get("layout", {}), dict):
        raise CacheInvalid("manifest field 'layout' malformed")
    wanted = [f"{t}.parquet" for t in TABLES if t not in folders]
    wanted += [f"agg-{a}.parquet" for a in body["aggregates"]]
    for table in folders:
        if not table_files(body, table):
            raise CacheInvalid(f"manifest lists no file of {table}")
    for name in wanted:
        rec = body["files"].get(name)
        if not isinstance(rec, dict) or not {
            "bytes",
            "rows",
            "tail_sha256",
            "sha256",
            "schema",
        } <= set(rec):
            raise CacheInvalid(f"manifest does not describe {name}")


#: The columns (and dtypes) each stored table must have: the loaded contract of `schema.py`.
_STORED_SCHEMAS: dict[str, Mapping[str, pl.DataType]] = {**LOADED_SCHEMAS, "rejects": REJECTS}


def table_of(name: str) -> str:
    """The table a stored file belongs to: ``transactions/cycle=2016/part-00001.parquet`` and
    ``transactions.parquet`` both belong to ``transactions``; ``by_recipient/…`` to its copy."""
    first = name.split("/", 1)[0]
    return "transactions" if first == BY_RECIPIENT else first.removesuffix(".parquet")


def table_files(manifest: Mapping[str, Any], table: str) -> list[str]:
    """The manifest's files of `table` stored as a folder (relative paths, in order)."""
    prefix = f"{table}/"
    return sorted(name for name in manifest["files"] if name.startswith(prefix))


def _check_schema(path: Path, name: str, rec: Mapping[str, Any]) -> None:
    """The file's columns and dtypes are the ones recorded at build time, and a dataset table
    has every contract column (footer only: cheap).

    Dtypes are compared with the build's record, not the contract: a reader that drifts from a
    contract dtype must not make every open rebuild its entry; a missing contract column would
    break every query, so it invalidates the entry.
    """
    stored = _schema_record(path)
    if stored != rec["schema"]:
        raise CacheInvalid(f"{name}: columns differ from the manifest's")
    _check_contract(name, stored)


def _check_contract(name: str, schema: Mapping[str, str]) -> None:
    """A dataset table's recorded columns include every contract column (else CacheInvalid)."""
    if not isinstance(schema, Mapping):
        raise CacheInvalid(f"{name}: no schema in the manifest")
    missing = [c for c in _STORED_SCHEMAS.get(table_of(name), {}) if c not in schema]
    if missing:
        raise CacheInvalid(f"{name}: no column {missing[0]!r}")


def _content_unchanged(path: Path, rec: Mapping[str, Any], manifest_mtime_ns: int) -> bool:
    """True when nothing can have written to `path` since its record was taken.

    The stamp must match, and the file's ctime must be older than the manifest's mtime: a write
    in the same clock tick as the build (timestamps are coarse, a few ms) would not move the
    ctime, so such a file is always hashed.
    """
    stamp = rec.get("stamp")
    if not isinstance(stamp, list) or len(stamp) != 4:
        return False
    st = path.stat()
    return _stamp(st) == stamp and st.st_ctime_ns < manifest_mtime_ns


def verify_entry(entry: Path) -> dict[str, Any]:
    """Check every file the manifest lists (size, tail hash, footer row count).

    Returns:
        The manifest body.

    Raises:
        CacheInvalid: with the first problem found.
    """
    manifest = read_manifest(entry)
    if manifest["key"] != entry.name:
        raise CacheInvalid(f"manifest is for key {manifest['key']}, not {entry.name}")
    try:
        manifest_mtime_ns = (entry / MANIFEST).stat().st_mtime_ns
    except OSError:
        raise CacheInvalid("no manifest (incomplete build)") from None
    part_schemas: dict[str, Any] = {}
    for name, rec in manifest["files"].items():
        path = entry / name
        try:
            size = path.stat().st_size
        except OSError:
            raise CacheInvalid(f"{name}: missing") from None
        if size != rec["bytes"]:
            raise CacheInvalid(f"{name}: {size} bytes, manifest says {rec['bytes']}")
        if _tail_sha256(path, size) != rec["tail_sha256"]:
            raise CacheInvalid(f"{name}: checksum mismatch")
        _check_contract(name, rec["schema"])
        folder, _, rest = name.partition("/")
        rest = rest if folder in _PART_FOLDERS else ""
        if rest and folder in part_schemas:
            # One more part of a table stored in parts: its recorded columns must be the
            # table's, and when nothing wrote to it since the build, its last bytes (the
            # footer: row counts, schema) are the ones hashed then, so it is not parsed again.
            # That keeps reopening a dataset of hundreds of parts cheap; the table's first
            # part is checked in full like any file.
            if rec["schema"] != part_schemas[folder]:
                raise CacheInvalid(f"{name}: columns differ from the other parts'")
            try:
                if _content_unchanged(path, rec, manifest_mtime_ns):
                    continue
            except OSError:
                raise CacheInvalid(f"{name}: unreadable") from None
        elif rest:
            part_schemas[folder] = rec["schema"]
        try:
            rows = _parquet_rows(path)
            _check_schema(path, name, rec)
        except CacheInvalid:
            raise
        except Exception as exc:  # Polars raises several error types for a damaged footer.
            raise CacheInvalid(f"{name}: unreadable Parquet ({type(exc).__name__})") from None
        if rows != rec["rows"]:
            raise CacheInvalid(f"{name}: {rows} rows, manifest says {rec['rows']}")
        try:
            changed = not _content_unchanged(path, rec, manifest_mtime_ns)
            if changed and _full_sha256(path) != rec["sha256"]:
                raise CacheInvalid(f"{name}: content checksum mismatch")
        except OSError:
            raise CacheInvalid(f"{name}: unreadable") from None
    return manifest


# --- reading --------------------------------------------------------------------------------


def entry_path(root: Path, key: str) -> Path:
    return root / key


def read_entry(entry: Path, *, from_cache: bool = True, verify: bool = True) -> Dataset:
    """The dataset stored in `entry`, as lazy Parquet scans (nothing is collected).

    Raises:
        CacheInvalid: when the entry fails verification.
    """
    manifest = verify_entry(entry) if verify else read_manifest(entry)
    frames = {t: _scan_table(entry, manifest, t) for t in TABLES}
    tx_layout = manifest.get("layout", {}).get("transactions", {})
    aggregates = {a: pl.scan_parquet(entry / f"agg-{a}.parquet") for a in manifest["aggregates"]}
    by_recipient = (
        _scan_table(entry, manifest, BY_RECIPIENT)
        if BY_RECIPIENT in manifest.get("layout", {})
        else None
    )
    return Dataset(
        name=str(manifest["name"]),
        source=Path(manifest["source"]),
        transactions=frames["transactions"],
        committees=frames["committees"],
        candidates=frames["candidates"],
        races=frames["races"],
        report=_report_from_json(manifest["report"], from_cache=from_cache),
        rejects=frames["rejects"],
        synthetic=bool(manifest["synthetic"]),
        aggregates=aggregates,
        by_recipient=by_recipient,
        donor_parts=DonorParts.from_layout(
            frames["transactions"],
            entry,
            tx_layout.get(DONOR_PARTS),
            table_files(manifest, "transactions") if tx_layout.get("folder") else [],
        ),
    )


def _scan_table(entry: Path, manifest: Mapping[str, Any], table: str) -> pl.LazyFrame:
    """A stored table as one lazy scan: its file, or every part of its folder in order.

    The parts' folder names (``cycle=2016``) are hive-style for other engines; the rows carry
    the same values as columns, so the scan reads no partition columns from the paths.
    """
    if manifest.get("layout", {}).get(table, {}).get("folder"):
        parts = [entry / name for name in table_files(manifest, table)]
        return pl.scan_parquet(parts, hive_partitioning=False)
    return pl.scan_parquet(entry / f"{table}.parquet")


def lookup(root: Path, key: str) -> Dataset | None:
    """The valid cached dataset for `key`, or None (missing). An invalid entry is removed."""
    entry = entry_path(root, key)
    if not entry.is_dir():
        return None
    judged = _identity(entry)
    try:
        return read_entry(entry, from_cache=True)
    except CacheInvalid:
        _discard(entry, only=judged)
        return None


# --- writing --------------------------------------------------------------------------------


def _identity(path: Path) -> tuple[int, int] | None:
    """(device, inode) of `path`, or None when it is gone."""
    try:
        st = path.stat()
    except OSError:
        return None
    return (st.st_dev, st.st_ino)


def _discard(path: Path, *, only: tuple[int, int] | None = None) -> None:
    """Remove a directory robustly: rename it aside first so no reader sees it half-deleted.

    With `only`, remove it only if it is still the directory that was judged invalid: another
    process may have replaced it with a good entry meanwhile (published by rename, so it has a
    new inode), and that entry, which its publisher is already reading, must stay.
    """
    if only is not None and _identity(path) != only:
        return
    trash = path.with_name(f"{TRASH_PREFIX}{path.name}-{secrets.token_hex(4)}")
    try:
        path.rename(trash)
    except OSError:
        trash = path  # Already gone, or cannot rename: try to delete where it is.
    if trash.is_dir() and not trash.is_symlink():
        shutil.rmtree(trash, ignore_errors=True)
    else:
        with contextlib.suppress(OSError):
            trash.unlink()


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _lock_build(tmp: Path) -> int | None:
    """Create and flock `tmp/.lock`; the open descriptor is the build's proof of life."""
    if fcntl is None:  # pragma: no cover - not POSIX
        return None
    fd = os.open(tmp / LOCK_NAME, os.O_CREAT | os.O_RDWR, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        os.close(fd)
        raise
    return fd


def _build_is_dead(tmp: Path) -> bool:
    """True when the build that owns temp dir `tmp` is gone (killed, crashed).

    A build's `.lock` is flocked for its whole life and the kernel releases it when the process
    dies, so a lock we can take means a dead owner. The PID in the name is a second opinion
    only: a free lock with a live PID is trusted dead once `STALE_AFTER_S` old (the PID was
    reused, as in containers), since a build takes its lock right after creating its dir.
    """
    parts = tmp.name[len(TMP_PREFIX) :].split("-")
    pid = int(parts[-2]) if len(parts) >= 3 and parts[-2].isdigit() else None
    pid_dead = pid is None or (pid != os.getpid() and not _pid_alive(pid))
    lock = tmp / LOCK_NAME
    if fcntl is None:  # pragma: no cover - not POSIX
        return pid_dead
    try:
        fd = os.open(lock, os.O_RDWR)
    except FileNotFoundError:
        # Killed between mkdir and lock, or a lock-less leftover: PID and age decide.
        return pid_dead or _age_s(tmp) > STALE_AFTER_S
    except OSError:
        return pid_dead
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            return False  # Held: the build is alive.
        return pid_dead or _age_s(lock) > STALE_AFTER_S
    finally:
        os.close(fd)


def _age_s(path: Path) -> float:
    try:
        return time.time() - path.stat().st_mtime
    except OSError:
        return 0.0


def sweep_stale(root: Path) -> int:
    """Remove leftovers of killed builds (`.tmp-*` of dead builds) and `.trash-*` dirs."""
    removed = 0
    if not root.is_dir():
        return 0
    for child in root.iterdir():
        trash = child.name.startswith(TRASH_PREFIX)
        if trash or (child.name.startswith(TMP_PREFIX) and _build_is_dead(child)):
            shutil.rmtree(child, ignore_errors=True)
            removed += 1
    return removed


def _storage_error(exc: BaseException) -> OSError | None:
    """The OSError behind a failed cache write, with its errno, when it is a storage problem.

    Polars reports a full disk as `ComputeError("... No space left on device (os error 28)")`
    and a refused file as a `PermissionError` without errno; both are turned into a plain
    `OSError(errno, ...)` so callers can fall back to memory as they do for Python's own errors.
    """
    if isinstance(exc, OSError) and exc.errno is not None:
        return exc
    match = _OS_ERROR_RE.search(str(exc))
    if match is None or int(match.group(1)) not in _STORAGE_ERRNOS:
        return None
    code = int(match.group(1))
    return OSError(code, os.strerror(code))


def _fsync_dir(path: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _sink(frame: pl.LazyFrame | pl.DataFrame, path: Path) -> None:
    """Stream `frame` to a zstd Parquet file in `TX_ROW_GROUP`-row groups.

    zstd level 1: measured at 1M FEC rows it writes in 0.74 s instead of 1.17 s (level 3) for a
    file under 1% larger.
    """
    options: dict[str, Any] = {
        "compression": "zstd",
        "compression_level": 1,
        "row_group_size": TX_ROW_GROUP,
    }
    if isinstance(frame, pl.DataFrame):
        frame.write_parquet(path, **options)
    else:
        frame.sink_parquet(path, **options)


#: Rows gathered per batch when writing clustered transactions: four row groups. The batch is
#: the only sorted data held at once, so it stays small beside the table while keeping the
#: generator's Python round trips few (40 batches at 10M rows).
_CLUSTER_BATCH = 4 * TX_ROW_GROUP


def _donor_order(frame: pl.DataFrame) -> pl.Series:
    """Row indices of `frame` in stored order: by `donor_key`, ties kept in input order.

    Only the key column and the indices are sorted (nulls first, as `DataFrame.sort` puts
    them), so this holds a few bytes per row instead of a sorted copy of every column.
    """
    index = pl.int_range(pl.len(), dtype=pl.get_index_type())
    return frame.select(index.sort_by("donor_key", maintain_order=True)).to_series()


def _clustered(frame: pl.DataFrame) -> pl.LazyFrame:
    """`frame` sorted by `donor_key` (stable), as a lazy source that never holds a sorted copy.

    The permutation is computed once; a generator then gathers the rows `_CLUSTER_BATCH` at a
    time. The streaming Parquet sink pulls from it, so the file is written as one stream of
    row groups (the same groups, statistics and bytes as sorting first) while only one batch
    of sorted rows exists beside `frame`. `register_io_source` is marked unstable by Polars;
    the tests here pin the order, projection, filter and limit it must honour.
    """
    order = _donor_order(frame)

    def batches(
        columns: list[str] | None,
        predicate: pl.Expr | None,
        n_rows: int | None,
        _batch_size: int | None,
    ) -> Iterator[pl.DataFrame]:
        source = frame if columns is None else frame.select(columns)
        left = order.len() if n_rows is None else n_rows
        for start in range(0, order.len(), _CLUSTER_BATCH):
            if left <= 0:
                return
            batch = source[order.slice(start, _CLUSTER_BATCH)]
            if predicate is not None:
                batch = batch.filter(predicate)
            batch = batch.head(left)
            left -= batch.height
            yield batch

    return register_io_source(batches, schema=frame.schema)


def _sink_transactions(frame: pl.LazyFrame, path: Path) -> None:
    """Store transactions clustered by `donor_key` (stable), or as they are without one.

    With small row groups and min/max statistics, a drill-down's `donor_key == k` filter then
    reads one row group instead of every row (measured at 1M rows: 190 ms to 18 ms median).
    Every query orders its results by explicit keys, so stored row order carries no meaning.
    The frame is collected (an in-memory frame is not copied by that) and written through
    `_clustered`, which sorts only a permutation. Measured on the whole import at 3M rows
    (`bench/bench_import_stream.py`): peak 4.3 GB with a sorted copy (`collect().sort`),
    4.1 GB with the streaming engine's sort and sink, 2.8 GB with `_clustered`, for 13-49%
    more CPU time than the sorted copy: the importer's frame is many chunks and Polars
    gathers from a many-chunk column more slowly than it sorts (gathering chunk by chunk
    did not help: it lost the memory saving).
    """
    if "donor_key" not in frame.collect_schema().names():
        _sink(frame, path)
        return
    _sink(_clustered(frame.collect()), path)


def _sink_per_part(
    aggregate: PerPart,
    stored: Dataset,
    tmp: Path,
    layout: Mapping[str, Mapping[str, Any]],
    target: Path,
    whole: pl.LazyFrame | pl.DataFrame,
) -> None:
    """Store `aggregate` computed on each part in turn (one part's result held at a time),
    or `whole` (the same figures in one query) when the table is not stored in parts."""
    table = BY_RECIPIENT if aggregate.by == "recipient_committee_id" else "transactions"
    if not layout.get(table, {}).get("folder"):
        _sink(whole, target)
        return
    if aggregate.finish is not None:
        concatenated = target.with_name(f".parts-{target.name}")
        _sink_per_part(replace(aggregate, finish=None), stored, tmp, layout, concatenated, whole)
        _sink(aggregate.finish(pl.scan_parquet(concatenated), stored), target)
        concatenated.unlink()
        return
    parts = sorted((tmp / table).rglob("*.parquet"))
    schema = aggregate.build(
        replace(stored, transactions=pl.scan_parquet(parts[0]))
    ).collect_schema()

    def results(
        columns: list[str] | None,
        predicate: pl.Expr | None,
        n_rows: int | None,
        _batch_size: int | None,
    ) -> Iterator[pl.DataFrame]:
        left = n_rows
        for frame in computed():
            if predicate is not None:
                frame = frame.filter(predicate)
            if columns is not None:
                frame = frame.select(columns)
            batch = frame.collect()
            if left is not None:
                batch = batch.head(left)
                left -= batch.height
            yield batch
            if left is not None and left <= 0:
                return

    def computed() -> Iterator[pl.LazyFrame]:
        """Each part's result, or for a part over `SLICE_ROWS` (with `split_by`) its slices'
        results by the hash of that column, or their `combine`d result."""
        for part in parts:
            rows = pl.scan_parquet(part)
            size = _parquet_rows(part) if aggregate.split_by is not None else 0
            n = -(-size // SLICE_ROWS)
            if n <= 1:
                yield aggregate.build(of(rows))
                continue
            key = pl.col(aggregate.split_by).hash() % n  # type: ignore[arg-type]
            partial = aggregate.partial or aggregate.build
            sliced = (partial(of(rows.filter(key == i))) for i in range(n))
            if aggregate.combine is None:
                yield from sliced
                continue
            held = pl.concat([frame.collect() for frame in sliced], how="vertical")
            yield aggregate.combine(held.lazy(), of(rows))

    def of(rows: pl.LazyFrame) -> Dataset:
        return replace(stored, transactions=rows, by_recipient=None)

    _sink(register_io_source(results, schema=schema), target)


#: Where an out-of-core import keeps each cycle's record (`moneytrail.data.fec.importer`).
_CYCLE_RECORDS = "cycles/*/cycle.json"


def _donor_parts_records(tmp: Path) -> dict[str, Any] | None:
    """Each stored cycle's `DONOR_PARTS` record by cycle folder (`moneytrail.data.donor_parts`),
    or None unless every cycle of the stored transactions has one."""
    records: dict[str, Any] = {}
    for folder in sorted(p for p in (tmp / "transactions").iterdir() if p.is_dir()):
        path = tmp / "cycles" / folder.name / "cycle.json"
        record = json.loads(path.read_bytes()).get(DONOR_PARTS) if path.is_file() else None
        if not isinstance(record, dict):
            return None
        records[folder.name] = record
    return records or None


def _cycle_records(tmp: Path) -> dict[str, dict[str, str]]:
    """Each stored cycle's fingerprint and the SHA-256 of its record, for `earlier_cycles`."""
    records: dict[str, dict[str, str]] = {}
    for path in sorted(tmp.glob(_CYCLE_RECORDS)):
        data = path.read_bytes()
        records[path.parent.name] = {
            "fingerprint": str(json.loads(data)["fingerprint"]),
            "sha256": hashlib.sha256(data).hexdigest(),
        }
    return records


def earlier_cycles(root: Path) -> Callable[[str, str], Path | None]:
    """A lookup for an importer that stores cycles (`import_fec(reuse=...)`): the published,
    valid entry under `root` holding cycle `name` imported from the same files (same
    `fingerprint`), or None. So adding a cycle's files to a folder imports only that cycle.
    """

    def find(name: str, fingerprint: str) -> Path | None:
        if not root.is_dir():
            return None
        for child in sorted(root.iterdir()):
            if child.name.startswith(".") or not child.is_dir():
                continue
            try:
                record = read_manifest(child).get("cycles", {}).get(name)
                if not isinstance(record, dict) or record.get("fingerprint") != fingerprint:
                    continue
                stored = (child / "cycles" / name / "cycle.json").read_bytes()
                if hashlib.sha256(stored).hexdigest() != record.get("sha256"):
                    continue
                verify_entry(child)
            except (CacheInvalid, OSError, ValueError):
                continue
            return child
        return None

    return find


def _write_manifest(tmp: Path, body: dict[str, Any]) -> None:
    body = {**body, "checksum": _manifest_checksum(body)}
    target = tmp / MANIFEST
    with target.open("w", encoding="utf-8") as fh:
        json.dump(body, fh, indent=1, sort_keys=True)
        fh.flush()
        os.fsync(fh.fileno())


#: Reads a dataset, writing what it can straight into the build folder it is given (an
#: out-of-core reader stores its transactions there in the entry's layout).
ProduceFn = Callable[[Path], Dataset]


def write_entry(
    root: Path,
    key: str,
    dataset: Dataset | ProduceFn,
    *,
    source: Path,
    aggregates: AggregatesFn | None = None,
    progress: ProgressCallback | None = None,
) -> Path:
    """Store `dataset` under `root/key` atomically and return the entry directory.

    `dataset` is a dataset, or a function that reads one given the private build folder (so a
    large import writes its parts there and nowhere else: a cancelled or failed build leaves
    nothing behind). Tables are streamed to Parquet (zstd) in that temp dir, unless the reader
    already stored them there (``transactions/`` and ``by_recipient/`` folders of parts);
    `aggregates` is then run on the *stored* tables (so it scans Parquet, not the source again)
    and its results are stored too; the manifest goes last, and the directory is renamed into
    place. If another process published the same key first, its (verified) entry wins and ours
    is discarded.

    Raises:
        OSError: the cache root cannot be created or written (read-only, full, not a dir).
            The temp dir is removed before raising.
    """
    root.mkdir(parents=True, exist_ok=True)
    sweep_stale(root)
    tmp = root / f"{TMP_PREFIX}{key}-{os.getpid()}-{secrets.token_hex(4)}"
    tmp.mkdir()
    lock_fd: int | None = None
    try:
        lock_fd = _lock_build(tmp)
        return _build(root, key, tmp, dataset, source, aggregates, progress)
    except (OSError, pl.exceptions.PolarsError) as exc:
        storage = _storage_error(exc)
        if storage is None or storage is exc:
            raise
        raise storage from exc
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)
        if lock_fd is not None:
            os.close(lock_fd)


def _layout(tmp: Path) -> dict[str, dict[str, Any]]:
    """How each table is stored (the manifest's ``layout``; `moneytrail cache info` prints it)."""
    layout: dict[str, dict[str, Any]] = {}
    for table in (*TABLES, BY_RECIPIENT):
        folder = tmp / table
        if folder.is_dir():
            layout[table] = {
                "folder": True,
                "path": f"{table}/",
                "partitioning": ["cycle"] if any(folder.glob("cycle=*")) else [],
                "clustered_by": "recipient_committee_id" if table == BY_RECIPIENT else "donor_key",
                "row_group_rows": TX_ROW_GROUP,
            }
            if table == "transactions" and (records := _donor_parts_records(tmp)):
                layout[table][DONOR_PARTS] = records
        elif (tmp / f"{table}.parquet").is_file():
            spec: dict[str, Any] = {"folder": False, "path": f"{table}.parquet", "partitioning": []}
            if table == "transactions":
                spec |= {"clustered_by": "donor_key", "row_group_rows": TX_ROW_GROUP}
            layout[table] = spec
    return layout


def _build(
    root: Path,
    key: str,
    tmp: Path,
    dataset: Dataset | ProduceFn,
    source: Path,
    aggregates: AggregatesFn | None,
    progress: ProgressCallback | None,
) -> Path:
    """`write_entry`'s work inside the locked temp dir `tmp`; returns the published entry."""
    if not isinstance(dataset, Dataset):
        dataset = dataset(tmp)
    steps = len(TABLES) + 2
    report_stage(progress, f"{CACHE_STAGE_PREFIX} transactions", 0, steps)
    if not (tmp / "transactions").is_dir():  # else the reader stored them (clustered) already
        _sink_transactions(dataset.transactions, tmp / "transactions.parquet")
    others = {
        "committees": dataset.committees,
        "candidates": dataset.candidates,
        "races": dataset.races,
        "rejects": dataset.rejects,
    }
    for i, (table, frame) in enumerate(others.items(), start=1):
        report_stage(progress, f"{CACHE_STAGE_PREFIX} {table}", i, steps)
        _sink(frame, tmp / f"{table}.parquet")
    layout = _layout(tmp)
    stored = read_entry_unverified(tmp, dataset, layout)
    agg_names: list[str] = []
    if aggregates is not None:
        report_stage(progress, f"{CACHE_STAGE_PREFIX} aggregates", len(TABLES), steps)
        per_part: Mapping[str, PerPart] = getattr(aggregates, "per_part", {})
        for name, result in aggregates(stored).items():
            target = tmp / f"agg-{name}.parquet"
            if name in per_part:
                _sink_per_part(per_part[name], stored, tmp, layout, target, result)
            else:
                _sink(result, target)
            agg_names.append(name)
    report_stage(progress, f"{CACHE_STAGE_PREFIX} manifest", steps - 1, steps)
    files = {p.relative_to(tmp).as_posix(): _file_record(p) for p in sorted(tmp.rglob("*.parquet"))}
    body = {
        "format": CACHE_FORMAT_VERSION,
        "moneytrail": __version__,
        "key": key,
        "source": str(source.resolve()),
        "name": dataset.name,
        "synthetic": dataset.synthetic,
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
        "report": _report_to_json(dataset.report),
        "aggregates": agg_names,
        "layout": layout,
        "cycles": _cycle_records(tmp),
        "files": files,
    }
    _write_manifest(tmp, body)
    _fsync_dir(tmp)
    final = entry_path(root, key)
    _publish(tmp, final)
    _fsync_dir(root)
    report_stage(progress, f"{CACHE_STAGE_PREFIX} manifest", steps, steps)
    return final


def read_entry_unverified(
    tmp: Path, dataset: Dataset, layout: Mapping[str, Mapping[str, Any]] | None = None
) -> Dataset:
    """`dataset` with its tables replaced by scans of the Parquet files just written in `tmp`."""
    layout = _layout(tmp) if layout is None else layout
    manifest = {
        "layout": layout,
        "files": {p.relative_to(tmp).as_posix(): {} for p in tmp.rglob("*.parquet")},
    }
    frames = {t: _scan_table(tmp, manifest, t) for t in TABLES}
    return replace(
        dataset,
        transactions=frames["transactions"],
        committees=frames["committees"],
        candidates=frames["candidates"],
        races=frames["races"],
        rejects=frames["rejects"],
        aggregates={},
        by_recipient=_scan_table(tmp, manifest, BY_RECIPIENT) if BY_RECIPIENT in layout else None,
        donor_parts=DonorParts.from_layout(
            frames["transactions"],
            tmp,
            layout.get("transactions", {}).get(DONOR_PARTS),
            table_files(manifest, "transactions")
            if layout.get("transactions", {}).get("folder")
            else [],
        ),
    )


def _publish(tmp: Path, final: Path) -> None:
    """Rename `tmp` to `final`; if `final` exists, keep it when valid, else replace it."""
    for _attempt in range(3):
        try:
            tmp.rename(final)
            return
        except OSError as exc:
            if exc.errno not in (errno.EEXIST, errno.ENOTEMPTY, errno.EISDIR, errno.ENOTDIR):
                raise
        if not final.is_dir() or final.is_symlink():
            _discard(final)  # A file (or link) where the entry belongs is never an entry.
            continue
        # Someone else published first. Theirs wins if it verifies; a bad one is replaced.
        judged = _identity(final)
        try:
            verify_entry(final)
        except CacheInvalid:
            _discard(final, only=judged)
            continue
        return
    raise OSError(errno.EEXIST, "could not publish cache entry", str(final))


# --- listing and clearing -------------------------------------------------------------------


def _dir_size(path: Path) -> int:
    total = 0
    for f in path.rglob("*"):
        with contextlib.suppress(OSError):
            total += f.stat().st_size
    return total


def iter_entries(root: Path) -> Iterator[CacheEntry]:
    """Every published entry under `root` (valid or not), oldest first."""
    if not root.is_dir():
        return
    found: list[CacheEntry] = []
    for child in root.iterdir():
        if child.name.startswith(".") or not child.is_dir():
            continue
        try:
            manifest = verify_entry(child)
        except CacheInvalid as exc:
            created = datetime.fromtimestamp(child.stat().st_mtime, UTC)
            found.append(
                CacheEntry(
                    key=child.name,
                    path=child,
                    source="?",
                    name="?",
                    created=created,
                    size_bytes=_dir_size(child),
                    rows=0,
                    valid=False,
                    problem=str(exc),
                )
            )
            continue
        found.append(
            CacheEntry(
                key=child.name,
                path=child,
                source=str(manifest["source"]),
                name=str(manifest["name"]),
                created=datetime.fromisoformat(manifest["created"]),
                size_bytes=_dir_size(child),
                rows=stored_rows(manifest, "transactions"),
                valid=True,
            )
        )
    yield from sorted(found, key=lambda e: (e.created, e.key))


def stored_rows(manifest: Mapping[str, Any], table: str) -> int:
    """Rows of a stored table, from the manifest (its file, or the sum of its parts)."""
    files = manifest["files"]
    if f"{table}.parquet" in files:
        return int(files[f"{table}.parquet"]["rows"])
    return sum(int(files[name]["rows"]) for name in table_files(manifest, table))


def incomplete_builds(root: Path) -> list[Path]:
    """Temp dirs of builds in progress or killed mid-way."""
    if not root.is_dir():
        return []
    return sorted(p for p in root.iterdir() if p.name.startswith((TMP_PREFIX, TRASH_PREFIX)))


def clear(root: Path, source: Path | None = None) -> list[CacheEntry]:
    """Remove the entries of `source` (every fingerprint of it), or all entries when None.

    Clearing everything also removes leftovers of killed builds. Returns the removed entries.
    """
    removed: list[CacheEntry] = []
    wanted = str(source.resolve()) if source is not None else None
    for entry in list(iter_entries(root)):
        if wanted is None or entry.source == wanted:
            _discard(entry.path)
            removed.append(entry)
    if wanted is None:
        for leftover in incomplete_builds(root):
            shutil.rmtree(leftover, ignore_errors=True)
    return removed
