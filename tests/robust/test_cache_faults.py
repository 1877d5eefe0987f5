"""Cache faults: damaged entries are rebuilt, unusable cache dirs fall back to memory, concurrent
and killed imports never leave a usable-looking partial entry.

Every test goes through `open_dataset` (or a real subprocess that imports the dataset) on a
copy of the bundled sample whose large files (its transactions and the two state exports) are
cut to their first `SUBSET_ROWS` rows (so ~40 rebuilds fit the CI budget), with the tables cache
threshold lowered to 0, so the real reader, cache writer, verifier and pane aggregates run.
`TAIL_BYTES` is lowered to 1 KiB so that the small files have data pages outside the footer
hash, as multi-MB ones do. "Right" always means: equal, table by table and row by row, to a
fresh in-memory import (`cache=False`), with the same non-memo total to the cent.

Figures recorded for docs/reliability.md (see tests/robust/figures.py): fault cases tried,
entries rebuilt, processes killed, leftovers swept, rows lost (must stay 0).
"""

from __future__ import annotations

import errno
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import replace
from functools import partial
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from moneytrail.cli import main
from moneytrail.data import cache
from moneytrail.data import open as open_mod
from moneytrail.data.dataset import Dataset
from moneytrail.paths import sample_dataset_path
from moneytrail.query.panes import pane_aggregates
from tests.robust.figures import record

#: What the CLI and the app open with: the query layer's pane aggregates stored with an entry.
open_dataset = partial(open_mod.open_dataset, aggregates=pane_aggregates)

SUBSET_ROWS = 3000
TAIL_BYTES = 1024
TABLES = ("transactions", "committees", "candidates", "races", "rejects")


@pytest.fixture(scope="module", autouse=True)
def _short_tail() -> Iterator[None]:
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(cache, "TAIL_BYTES", TAIL_BYTES)
        yield


#: The sample's large files, each cut to its header and first `SUBSET_ROWS` lines: the moneytrail
#: transactions table and the two state exports (they were two thirds of every rebuild's time).
CUT_FILES = ("transactions.csv", "FL-Contributions.txt", "LA-Contributions.csv")


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled sample with only the first `SUBSET_ROWS` rows of each of `CUT_FILES`."""
    folder = tmp_path_factory.mktemp("subset") / "sample"
    shutil.copytree(sample_dataset_path(), folder)
    for name in CUT_FILES:
        path = folder / name
        with path.open("rb") as fh:
            head = [line for _, line in zip(range(SUBSET_ROWS + 1), fh, strict=False)]
        path.write_bytes(b"".join(head))
    return folder


# --- the reference: a fresh in-memory import ------------------------------------------------


def _sorted(frame: pl.DataFrame) -> pl.DataFrame:
    return frame.sort(frame.columns, nulls_last=True)


def _snapshot(ds: Dataset, aggregates: dict[str, pl.DataFrame]) -> dict[str, pl.DataFrame]:
    """Every table and pane aggregate, collected and put in a canonical row order."""
    tables = pl.collect_all([getattr(ds, t) for t in TABLES])
    out = {t: _sorted(f) for t, f in zip(TABLES, tables, strict=True)}
    out.update({f"agg-{k}": _sorted(v) for k, v in aggregates.items()})
    return out


def _non_memo_cents(ds: Dataset) -> int:
    total = ds.transactions.filter(~pl.col("memo")).select(pl.col("amount_cents").sum())
    return int(total.collect().item())


@pytest.fixture(scope="module")
def fresh(sample: Path) -> dict[str, pl.DataFrame]:
    """The sample imported in memory, with the pane aggregates the query layer computes."""
    ds = open_dataset(sample, cache=False)
    aggs = {k: v.lazy().collect() for k, v in pane_aggregates(ds).items()}
    snap = _snapshot(ds, aggs)
    snap["_total"] = pl.DataFrame({"cents": [_non_memo_cents(ds)]})
    return snap


def assert_same_as_fresh(ds: Dataset, fresh: dict[str, pl.DataFrame]) -> None:
    """`ds` holds exactly what a fresh import holds: every row, every cent, every aggregate."""
    aggs = {k: v.lazy().collect() for k, v in ds.aggregates.items()}
    if not aggs:  # An in-memory fallback has no stored aggregates: compute them like the panes.
        aggs = {k: v.lazy().collect() for k, v in pane_aggregates(ds).items()}
    got = _snapshot(ds, aggs)
    assert _non_memo_cents(ds) == fresh["_total"].item()
    lost = fresh["transactions"].height - got["transactions"].height
    record("cache faults: transaction rows lost", max(lost, 0))
    for name, frame in got.items():
        assert_frame_equal(frame, fresh[name], check_column_order=False)
    assert set(got) == set(fresh) - {"_total"}


@pytest.fixture()
def root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty cache root in tmp_path; the sample is cached (threshold 0), as FEC data is."""
    where = tmp_path / "cache"
    monkeypatch.setenv("MONEYTRAIL_CACHE_DIR", str(where))
    monkeypatch.setenv("MONEYTRAIL_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.setattr(open_mod, "TABLES_CACHE_MIN_BYTES", 0)
    return where


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory, sample: Path) -> Path:
    """A cache root holding one valid entry of the sample, built once and copied per test."""
    where = tmp_path_factory.mktemp("built") / "cache"
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(open_mod, "TABLES_CACHE_MIN_BYTES", 0)
        ds = open_dataset(sample, cache_dir=where)
    assert not ds.report.from_cache and ds.report.warnings == ()
    return where


def _entry(root: Path, sample: Path) -> Path:
    entry: Path = cache.entry_path(root, open_mod.cache_key(sample))
    return entry


def _leftovers(root: Path) -> list[str]:
    return [p.name for p in cache.incomplete_builds(root)]


# --- damaged entries ------------------------------------------------------------------------


def _truncate(name: str, keep: Callable[[int], int]) -> Callable[[Path], None]:
    def damage(entry: Path) -> None:
        path = entry / name
        data = path.read_bytes()
        path.write_bytes(data[: keep(len(data))])

    return damage


def _flip(name: str, *, bits: int, seed: int, tail: bool = False) -> Callable[[Path], None]:
    """Flip `bits` random bits, in the data pages (before the hashed tail) unless `tail`."""

    def damage(entry: Path) -> None:
        path = entry / name
        data = bytearray(path.read_bytes())
        rng = random.Random(seed)
        lo, hi = (len(data) - 64, len(data) - 8) if tail else (4, len(data) - cache.TAIL_BYTES)
        assert hi > lo, f"{name} too small for a data-page flip"
        for _ in range(bits):
            data[rng.randrange(lo, hi)] ^= 1 << rng.randrange(8)
        path.write_bytes(bytes(data))

    return damage


def _overwrite(name: str, at: int, raw: bytes) -> Callable[[Path], None]:
    def damage(entry: Path) -> None:
        path = entry / name
        data = bytearray(path.read_bytes())
        pos = at if at >= 0 else len(data) + at
        data[pos : pos + len(raw)] = raw
        path.write_bytes(bytes(data))

    return damage


def _remove(name: str) -> Callable[[Path], None]:
    def damage(entry: Path) -> None:
        (entry / name).unlink()

    return damage


def _wrong_schema(name: str, *, resign: bool) -> Callable[[Path], None]:
    """Replace `name` by a valid Parquet file with other columns; `resign` makes the manifest
    describe it (sizes, hashes, rows, checksum), as a buggy build would."""

    def damage(entry: Path) -> None:
        path = entry / name
        pl.DataFrame({"committee_id": [1, 2], "something": ["a", "b"]}).write_parquet(path)
        if resign:
            _edit_manifest(lambda m: m["files"].__setitem__(name, cache._file_record(path)))(entry)

    return damage


def _retyped_column(entry: Path) -> None:
    """Same columns, one dtype changed; the file record is re-signed except for its schema."""
    path = entry / "committees.parquet"
    frame = pl.read_parquet(path)
    frame.with_columns(pl.col("inferred").cast(pl.String)).write_parquet(path)

    def resign(body: dict[str, Any]) -> None:
        record = cache._file_record(path)
        record["schema"] = body["files"]["committees.parquet"]["schema"]
        body["files"]["committees.parquet"] = record

    _edit_manifest(resign)(entry)


def _edit_manifest(change: Callable[[dict[str, Any]], object]) -> Callable[[Path], None]:
    """Change the manifest body and re-sign it: the manifest lies but its checksum holds."""

    def damage(entry: Path) -> None:
        path = entry / cache.MANIFEST
        body = json.loads(path.read_text())
        body.pop("checksum")
        change(body)
        body["checksum"] = cache._manifest_checksum(body)
        path.write_text(json.dumps(body))

    return damage


def _raw_manifest(text: str) -> Callable[[Path], None]:
    def damage(entry: Path) -> None:
        (entry / cache.MANIFEST).write_text(text)

    return damage


def _stale_checksum(entry: Path) -> None:
    path = entry / cache.MANIFEST
    path.write_text(path.read_text().replace('"rows": ', '"rows": 1'))


def _replace_entry_by_file(entry: Path) -> None:
    shutil.rmtree(entry)
    entry.write_text("not a cache entry")


def _drop_file_record(name: str) -> Callable[[dict[str, Any]], object]:
    def change(body: dict[str, Any]) -> object:
        files = body["files"]
        assert isinstance(files, dict)
        return files.pop(name)

    return change


FAULTS: dict[str, Callable[[Path], None]] = {
    # Truncated Parquet: empty, magic only, half, footer length and magic cut, last byte cut.
    "tx truncated to 0 bytes": _truncate("transactions.parquet", lambda n: 0),
    "tx truncated to the magic": _truncate("transactions.parquet", lambda n: 4),
    "tx truncated mid-file": _truncate("transactions.parquet", lambda n: n // 2),
    "tx footer missing": _truncate("transactions.parquet", lambda n: n - 8),
    "tx last byte missing": _truncate("transactions.parquet", lambda n: n - 1),
    "aggregate truncated mid-file": _truncate("agg-donors.parquet", lambda n: n // 2),
    "committees truncated mid-file": _truncate("committees.parquet", lambda n: n // 2),
    # Corrupt Parquet: flipped bits in data pages (same size, footer intact), in the footer,
    # wrong magic at either end.
    "tx one bit flipped in a data page": _flip("transactions.parquet", bits=1, seed=1),
    "tx 16 bits flipped in data pages": _flip("transactions.parquet", bits=16, seed=2),
    "aggregate bits flipped in data pages": _flip("agg-donors.parquet", bits=4, seed=3),
    "committees bit flipped in footer": _flip("committees.parquet", bits=1, seed=4, tail=True),
    "tx wrong leading magic": _overwrite("transactions.parquet", 0, b"XXXX"),
    "tx wrong trailing magic": _overwrite("transactions.parquet", -4, b"PAR0"),
    # A valid Parquet file with the wrong schema, with and without a manifest that covers it.
    "committees wrong schema": _wrong_schema("committees.parquet", resign=False),
    "committees wrong schema, manifest re-signed": _wrong_schema("committees.parquet", resign=True),
    "committees column retyped, manifest re-signed": _retyped_column,
    # Missing parts.
    "tx missing": _remove("transactions.parquet"),
    "aggregate missing": _remove("agg-races.parquet"),
    "manifest missing": _remove(cache.MANIFEST),
    "entry is a regular file": _replace_entry_by_file,
    # Manifests that are broken or lie (checksum recomputed so only the content lies).
    "manifest empty": _raw_manifest(""),
    "manifest truncated JSON": _raw_manifest('{"format": 2, "files": {'),
    "manifest is a JSON list": _raw_manifest("[1, 2, 3]"),
    "manifest edited, checksum stale": _stale_checksum,
    "manifest lies: other format version": _edit_manifest(
        lambda m: m.__setitem__("format", cache.CACHE_FORMAT_VERSION + 1)
    ),
    "manifest lies: older format version": _edit_manifest(lambda m: m.__setitem__("format", 1)),
    "manifest lies: other moneytrail version": _edit_manifest(
        lambda m: m.__setitem__("moneytrail", "0.0.0-other")
    ),
    "manifest lies: other key": _edit_manifest(lambda m: m.__setitem__("key", "0" * 32)),
    "manifest lies: row count": _edit_manifest(
        lambda m: m["files"]["transactions.parquet"].__setitem__("rows", 1)
    ),
    "manifest lies: omits the transactions file": _edit_manifest(
        _drop_file_record("transactions.parquet")
    ),
    "manifest lies: names an aggregate that is not there": _edit_manifest(
        lambda m: m["aggregates"].append("ghost")
    ),
    "manifest lies: no files at all": _edit_manifest(lambda m: m.__setitem__("files", {})),
    "manifest lies: report is not a mapping": _edit_manifest(lambda m: m.__setitem__("report", [])),
}


@pytest.mark.parametrize("fault", list(FAULTS))
def test_damaged_entry_is_detected_and_rebuilt(
    fault: str, built: Path, root: Path, fresh: dict[str, pl.DataFrame], sample: Path
) -> None:
    shutil.copytree(built, root)
    entry = _entry(root, sample)
    FAULTS[fault](entry)
    record("cache faults: damaged-entry cases tried")
    if entry.is_dir():
        with pytest.raises(cache.CacheInvalid):
            cache.verify_entry(entry)
    # `cache info` flags it (or, for a file where an entry should be, skips it) without failing.
    assert all(not e.valid for e in cache.iter_entries(root))

    ds = open_dataset(sample)
    assert not ds.report.from_cache, "a damaged entry was served"
    assert ds.report.warnings == (), "the rebuild fell back to memory"
    assert_same_as_fresh(ds, fresh)
    record("cache faults: entries rebuilt")

    # The bad entry was replaced by a valid one, nothing else is left, and it is served next.
    cache.verify_entry(entry)
    assert [p.name for p in root.iterdir()] == [entry.name]
    again = open_dataset(sample)
    assert again.report.from_cache
    assert _non_memo_cents(again) == fresh["_total"].item()


def test_reader_dtype_drift_does_not_make_every_open_rebuild(root: Path, sample: Path) -> None:
    """The schema is checked against what the build stored, so a reader that drifts from a
    contract dtype still gets cache hits (the contract is the readers' tests' business)."""
    ds = open_dataset(sample, cache=False)
    drifted = ds.rejects.with_columns(pl.col("line").cast(pl.Int32))
    key = "drift"
    cache.write_entry(root, key, replace(ds, rejects=drifted), source=sample)
    again = cache.lookup(root, key)
    assert again is not None and again.rejects.collect_schema()["line"] == pl.Int32


def test_unchanged_entry_is_not_rehashed_but_a_rewrite_is_caught(
    root: Path, fresh: dict[str, pl.DataFrame], monkeypatch: pytest.MonkeyPatch, sample: Path
) -> None:
    """Reopening hashes nothing when no file changed since the build; a same-size rewrite
    (new ctime) of a data page is hashed and caught."""
    open_dataset(sample)
    entry = _entry(root, sample)
    # Take the manifest out of the build's clock tick, as any later open would find it.
    manifest = entry / cache.MANIFEST
    later = manifest.stat().st_mtime_ns + 10_000_000_000
    os.utime(manifest, ns=(later, later))
    hashed: list[str] = []
    real = cache._full_sha256

    def counting(path: Path) -> str:
        hashed.append(path.name)
        digest: str = real(path)
        return digest

    monkeypatch.setattr(cache, "_full_sha256", counting)
    assert open_dataset(sample).report.from_cache
    assert hashed == []
    time.sleep(0.05)  # past the filesystem's timestamp tick, so the rewrite moves the ctime
    _flip("transactions.parquet", bits=1, seed=7)(entry)
    ds = open_dataset(sample)
    assert "transactions.parquet" in hashed
    assert not ds.report.from_cache
    assert_same_as_fresh(ds, fresh)


def test_entry_replaced_while_a_reader_judged_the_old_one_is_kept(
    built: Path,
    root: Path,
    fresh: dict[str, pl.DataFrame],
    monkeypatch: pytest.MonkeyPatch,
    sample: Path,
) -> None:
    """Reader B finds the old entry damaged; meanwhile A publishes a good one. B must not
    throw A's good entry away (A's lazy scans point into it)."""
    shutil.copytree(built, root)
    entry = _entry(root, sample)
    good = root.parent / "good"
    shutil.copytree(entry, good)
    _truncate("transactions.parquet", lambda n: n // 2)(entry)
    real = cache.verify_entry

    def slow_verify(path: Path) -> dict[str, Any]:
        try:
            body: dict[str, Any] = real(path)
            return body
        finally:
            if good.exists():  # A publishes while B is still verifying the damaged entry.
                shutil.rmtree(entry)
                good.rename(entry)

    monkeypatch.setattr(cache, "verify_entry", slow_verify)
    assert cache.lookup(root, entry.name) is None  # B saw damage...
    monkeypatch.setattr(cache, "verify_entry", real)
    cache.verify_entry(entry)  # ...but A's good entry is still there
    ds = open_dataset(sample)
    assert ds.report.from_cache
    assert_same_as_fresh(ds, fresh)


# --- unusable cache directories -------------------------------------------------------------


def _raiser(exc: BaseException) -> Callable[..., None]:
    def fail(*args: object, **kwargs: object) -> None:
        raise exc

    return fail


WRITE_FAULTS: dict[str, tuple[str, BaseException]] = {
    # Python's own errors, with errno.
    "EACCES writing a table": ("_sink", PermissionError(errno.EACCES, "Permission denied")),
    "EROFS writing a table": ("_sink", OSError(errno.EROFS, "Read-only file system")),
    "ENOSPC writing a table": ("_sink", OSError(errno.ENOSPC, "No space left on device")),
    "EDQUOT writing a table": ("_sink", OSError(errno.EDQUOT, "Disk quota exceeded")),
    "EFBIG writing a table": ("_sink", OSError(errno.EFBIG, "File too large")),
    "ENOSPC writing the manifest": (
        "_write_manifest",
        OSError(errno.ENOSPC, "No space left on device"),
    ),
    # What Polars really raises (measured on a full tmpfs and a read-only dir as non-root):
    # its own ComputeError, and a PermissionError without errno.
    "Polars ComputeError for a full disk": (
        "_sink",
        pl.exceptions.ComputeError(
            "parquet: File out of specification: underlying IO error: "
            "No space left on device (os error 28)"
        ),
    ),
    "Polars PermissionError without errno": (
        "_sink",
        PermissionError("Permission denied (os error 13): /cache/x/transactions.parquet"),
    ),
}


def _assert_memory_fallback(ds: Dataset, root: Path, fresh: dict[str, pl.DataFrame]) -> None:
    assert not ds.report.from_cache
    assert len(ds.report.warnings) == 1
    warning = ds.report.warnings[0]
    assert "working in memory" in warning and str(root) in warning and "\n" not in warning
    assert_same_as_fresh(ds, fresh)
    # No partial file: no temp dir, no Parquet file, no entry anywhere under the root.
    if root.is_dir():
        assert [p for p in root.rglob("*") if p.is_file()] == []
        assert _leftovers(root) == [] and list(cache.iter_entries(root)) == []
    record("cache faults: memory fallbacks")


@pytest.mark.parametrize("fault", list(WRITE_FAULTS))
def test_unwritable_or_full_cache_falls_back_to_memory_with_a_warning(
    fault: str,
    root: Path,
    fresh: dict[str, pl.DataFrame],
    monkeypatch: pytest.MonkeyPatch,
    sample: Path,
) -> None:
    target, exc = WRITE_FAULTS[fault]
    monkeypatch.setattr(cache, target, _raiser(exc))
    record("cache faults: unusable-cache cases tried")
    _assert_memory_fallback(open_dataset(sample), root, fresh)


def test_cache_dir_that_is_a_regular_file(
    root: Path, fresh: dict[str, pl.DataFrame], tmp_path: Path, sample: Path
) -> None:
    root.write_text("I am a file, not a directory")
    record("cache faults: unusable-cache cases tried")
    ds = open_dataset(sample)
    _assert_memory_fallback(ds, root, fresh)
    assert root.read_text() == "I am a file, not a directory"


def test_full_cache_warning_is_one_line_the_cli_user_sees(
    root: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], sample: Path
) -> None:
    monkeypatch.setattr(
        cache, "_sink", _raiser(pl.exceptions.ComputeError("IO error: (os error 28)"))
    )
    assert main(["import", str(sample)]) == 0
    out, err = capsys.readouterr()
    warnings = [line for line in out.splitlines() if line.startswith("warning: ")]
    assert warnings == [
        f"warning: cache directory {root} unusable (No space left on device): working in memory"
    ]
    assert "imported in memory: the cache is unusable" in out
    assert "Traceback" not in out + err


def test_read_only_cache_dir_by_permissions(
    root: Path, fresh: dict[str, pl.DataFrame], sample: Path
) -> None:
    """chmod 555 for real (root ignores modes: see the mounted variant below)."""
    if os.geteuid() == 0:
        pytest.skip("root ignores directory modes; the read-only mount test covers root")
    record("cache faults: unusable-cache cases tried")
    root.mkdir()
    root.chmod(0o555)
    try:
        _assert_memory_fallback(open_dataset(sample), root, fresh)
    finally:
        root.chmod(0o755)


@pytest.fixture()
def tiny_mount(tmp_path: Path) -> Iterator[Callable[[str], Path]]:
    """Mount a tmpfs with the given options on a dir in tmp_path (root only); unmounted after."""
    mounted: list[Path] = []

    def mount(options: str) -> Path:
        where = tmp_path / f"mnt{len(mounted)}"
        where.mkdir()
        done = subprocess.run(
            ["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(where)],
            capture_output=True,
            text=True,
        )
        if done.returncode != 0:
            pytest.skip(f"cannot mount a tmpfs here: {done.stderr.strip()}")
        mounted.append(where)
        return where

    if os.geteuid() != 0 or shutil.which("mount") is None:
        pytest.skip("needs root and mount(8)")
    yield mount
    for where in mounted:
        subprocess.run(["umount", str(where)], check=False)


@pytest.mark.parametrize(
    ("options", "reason"),
    [("ro,size=1m", "Read-only file system"), ("size=16k", "No space left on device")],
    ids=["read-only filesystem", "full filesystem"],
)
def test_really_read_only_or_full_cache_falls_back_to_memory(
    options: str,
    reason: str,
    tiny_mount: Callable[[str], Path],
    fresh: dict[str, pl.DataFrame],
    sample: Path,
    root: Path,
) -> None:
    """Real EROFS and a real ENOSPC in the middle of a Parquet write (Polars' own error)."""
    record("cache faults: unusable-cache cases tried")
    mnt = tiny_mount(options)
    where = mnt if options.startswith("ro") else mnt / "cache"
    ds = open_dataset(sample, cache_dir=where)
    _assert_memory_fallback(ds, where, fresh)
    assert f"({reason})" in ds.report.warnings[0]


# --- concurrent and killed imports (real subprocesses) --------------------------------------

#: A child that imports the dataset through `open_dataset`, printing each cache stage as it
#: starts (the kill test's markers) and, at the end, what it loaded. It waits for the `go` file
#: after its (slow) interpreter start-up, so the children's imports really overlap.
_CHILD = """
import json, sys, time
from pathlib import Path
import polars as pl
from moneytrail.data import cache, open as open_mod
open_mod.TABLES_CACHE_MIN_BYTES = 0
cache.TAIL_BYTES = int(sys.argv[3])
go = Path(sys.argv[4])
print("ready", flush=True)
while not go.exists():
    time.sleep(0.005)
def progress(stage, done, total):
    print("stage", stage, done, total, flush=True)
from moneytrail.query.panes import pane_aggregates
ds = open_mod.open_dataset(
    Path(sys.argv[1]), cache_dir=Path(sys.argv[2]), progress=progress, aggregates=pane_aggregates
)
cents = ds.transactions.filter(~pl.col("memo")).select(pl.col("amount_cents").sum())
rows = ds.transactions.select(pl.len()).collect().item()
out = {"rows": rows, "cents": cents.collect().item(), "warnings": list(ds.report.warnings)}
print("result " + json.dumps(out), flush=True)
"""


def _spawn(sample: Path, root: Path, go: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", _CHILD, str(sample), str(root), str(TAIL_BYTES), str(go)],
        env={**os.environ, "MONEYTRAIL_CACHE_DIR": str(root)},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _wait_ready(procs: list[subprocess.Popen[str]]) -> None:
    for proc in procs:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        assert line == "ready\n", (line, proc.stderr.read() if proc.stderr else "")


def test_concurrent_imports_over_a_damaged_entry_all_succeed(
    built: Path, tmp_path: Path, fresh: dict[str, pl.DataFrame], sample: Path
) -> None:
    """Three processes open the same dataset at once while its entry is damaged: each finds
    the damage, rebuilds and races to publish; all get the right data and one valid entry stays.
    """
    root = tmp_path / "shared-cache"
    shutil.copytree(built, root)
    entry = _entry(root, sample)
    _flip("transactions.parquet", bits=1, seed=11)(entry)
    go = tmp_path / "go"
    procs = [_spawn(sample, root, go) for _ in range(3)]
    _wait_ready(procs)
    go.touch()
    outputs = [p.communicate(timeout=120) for p in procs]
    record("cache faults: concurrent importing processes", len(procs))
    for proc, (out, err) in zip(procs, outputs, strict=True):
        assert proc.returncode == 0, err
        result = json.loads(out.splitlines()[-1].removeprefix("result "))
        assert result == {
            "rows": fresh["transactions"].height,
            "cents": fresh["_total"].item(),
            "warnings": [],
        }
    assert [p.name for p in root.iterdir()] == [entry.name]
    cache.verify_entry(entry)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(open_mod, "TABLES_CACHE_MIN_BYTES", 0)
        ds = open_dataset(sample, cache_dir=root)
    assert ds.report.from_cache
    assert_same_as_fresh(ds, fresh)


#: Where each killed import is SIGKILLed: as soon as it announces the named cache stage (the
#: temp dir then exists and that file is being written).
KILL_POINTS = (
    "cache: transactions",
    "cache: committees",
    "cache: rejects",
    "cache: aggregates",
    "cache: manifest",
)


def test_kill_9_during_import_leaves_no_usable_looking_entry(
    tmp_path: Path,
    fresh: dict[str, pl.DataFrame],
    sample: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """SIGKILL five imports at five points of the cache write; each cache then holds either
    nothing usable or a fully valid entry, the next open gives the right data, and the killed
    build's temp dir is removed by that open (it would otherwise pile up)."""
    roots = [tmp_path / f"cache-{i}" for i in range(len(KILL_POINTS))]
    gos = [tmp_path / f"go-{i}" for i in range(len(KILL_POINTS))]
    procs = [_spawn(sample, r, go) for r, go in zip(roots, gos, strict=True)]
    _wait_ready(procs)  # All start up together; each import then runs while it is watched.
    for proc, point, go in zip(procs, KILL_POINTS, gos, strict=True):
        assert proc.stdout is not None
        go.touch()
        seen = []
        for line in proc.stdout:
            seen.append(line)
            if line.startswith(f"stage {point} "):
                proc.send_signal(signal.SIGKILL)
                break
        assert proc.wait(timeout=120) == -signal.SIGKILL, (point, seen)
        record("cache faults: imports killed with SIGKILL")

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(open_mod, "TABLES_CACHE_MIN_BYTES", 0)
        for root, point in zip(roots, KILL_POINTS, strict=True):
            left = _leftovers(root)
            entries = [p for p in root.iterdir() if not p.name.startswith(".")]
            record("cache faults: temp dirs left by killed imports", len(left))
            for entry in entries:  # Anything that looks like an entry must be a valid one.
                cache.verify_entry(entry)
            assert left or entries, f"{point}: the killed import left no trace at all"
            capsys.readouterr()
            assert main(["cache", "info", "--cache-dir", str(root)]) == 0
            info = capsys.readouterr().out
            assert "INVALID" not in info
            if left:
                assert f"{len(left)} interrupted or in-progress import(s)" in info
            ds = open_dataset(sample, cache_dir=root)
            assert ds.report.from_cache == bool(entries), point
            assert ds.report.warnings == ()
            assert_same_as_fresh(ds, fresh)
            assert _leftovers(root) == [], f"{point}: temp dir not swept"
            record("cache faults: temp dirs swept by the next import", len(left))
            cache.verify_entry(_entry(root, sample))


def _fake_build(root: Path, pid: int, *, age_s: float, locked: bool) -> tuple[Path, int | None]:
    """A temp dir as a build of `pid` leaves it, its lock held (by us) or free, aged `age_s`."""
    tmp = root / f"{cache.TMP_PREFIX}{'f' * 32}-{pid}-{os.urandom(4).hex()}"
    tmp.mkdir(parents=True)
    (tmp / "transactions.parquet").write_bytes(b"PAR1 partial")
    fd = cache._lock_build(tmp) if locked else None
    if not locked:
        (tmp / cache.LOCK_NAME).touch()
    then = time.time() - age_s
    for path in (tmp, tmp / cache.LOCK_NAME):
        os.utime(path, (then, then))
    return tmp, fd


def test_stale_temp_dirs_are_swept_even_when_their_pid_was_reused(
    root: Path, fresh: dict[str, pl.DataFrame], sample: Path
) -> None:
    """In a container every run has the same PID, so "is its PID alive?" says yes forever for
    a killed run's temp dir. The free build lock says it is dead; a held one keeps it."""
    me, init = os.getpid(), 1  # both alive: this process, and PID 1
    reused_old, _ = _fake_build(root, me, age_s=600, locked=False)
    other_old, _ = _fake_build(root, init, age_s=600, locked=False)
    running, fd = _fake_build(root, 999_999_999, age_s=600, locked=True)
    young, _ = _fake_build(root, me, age_s=0, locked=False)  # may be a build that just began
    try:
        ds = open_dataset(sample)
        assert_same_as_fresh(ds, fresh)
        left = set(_leftovers(root))
        assert reused_old.name not in left and other_old.name not in left
        assert running.name in left, "a build holding its lock was swept"
        assert young.name in left
        record("cache faults: temp dirs swept by the next import", 2)
    finally:
        if fd is not None:
            os.close(fd)
    # Once the lock is free (its holder died) and the PID is gone, the next build sweeps it.
    open_dataset(sample, cache=True)  # a hit: reading never deletes anything
    assert running.name in set(_leftovers(root))
    cache.write_entry(root, "other", open_dataset(sample, cache=False), source=sample)
    assert _leftovers(root) == [young.name]
