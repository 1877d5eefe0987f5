"""`open_dataset` with the cache in front: hit/miss, --no-cache, fallbacks, concurrency.

The reader is replaced by a counting fake (a factory dataset) so these tests pin the cache
orchestration itself; the real FEC import through the cache is covered in
tests/cli/test_import_cache.py on the 2016 sample.
"""

from __future__ import annotations

import errno
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from moneytrail.data import cache
from moneytrail.data import open as open_mod
from moneytrail.data.dataset import Dataset
from moneytrail.data.errors import DataError
from moneytrail.data.open import open_dataset
from moneytrail.query import trace_graph
from moneytrail.query.donors import donors
from moneytrail.query.filters import Filters
from moneytrail.query.panes import pane_aggregates
from tests.factories import committee, make_dataset, tx
from tests.fake_source import DatasetSource, install

REPO = Path(__file__).resolve().parents[2]


def fake_dataset() -> Dataset:
    return make_dataset(
        transactions=[
            tx("t1", 500_00, source_name="DOE, JANE", source_zip="32801", recipient="C1"),
            tx("t2", 250_00, source_name="DOE, JANE", source_zip="32801", recipient="C2"),
            tx("t3", 100_00, source_name="ROE, RICH", recipient="C1"),
            tx("t4", 99_00, source_name="ROE, RICH", recipient="C1", memo=True),
        ],
        committees=[committee("C1", "Friends of Doe"), committee("C2", "Other PAC")],
        name="fake",
    )


@pytest.fixture()
def source(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, object]:
    """A source folder read by a counting fake FEC reader; the cache root is under tmp_path."""
    src = tmp_path / "src"
    src.mkdir()
    (src / "itcont.txt").write_text("fake\n")
    fake = DatasetSource(fake_dataset)
    install(monkeypatch, fake)
    calls = fake.calls
    monkeypatch.setenv("MONEYTRAIL_CACHE_DIR", str(tmp_path / "cache"))
    return {"path": src, "calls": calls, "root": tmp_path / "cache"}


def test_second_open_is_served_from_cache_with_same_results(source: dict[str, object]) -> None:
    path, calls, root = source["path"], source["calls"], source["root"]
    assert isinstance(path, Path) and isinstance(calls, list) and isinstance(root, Path)
    first = open_dataset(path, aggregates=pane_aggregates)
    assert not first.report.from_cache and len(calls) == 1
    second = open_dataset(path, aggregates=pane_aggregates)
    assert second.report.from_cache and len(calls) == 1
    expected = donors(fake_dataset(), Filters()).collect()
    assert_frame_equal(donors(first, Filters()).collect(), expected)
    assert_frame_equal(donors(second, Filters()).collect(), expected)
    stored = {"donors", "committees", "candidates", "races", "cycles", *trace_graph.PARTS}
    assert stored <= set(second.aggregates)
    assert_frame_equal(second.aggregates["donors"].collect(), expected)
    assert len([p for p in root.iterdir() if not p.name.startswith(".")]) == 1


def test_touching_a_source_file_misses_the_cache(source: dict[str, object]) -> None:
    path, calls = source["path"], source["calls"]
    assert isinstance(path, Path) and isinstance(calls, list)
    open_dataset(path)
    f = path / "itcont.txt"
    st = f.stat()
    os.utime(f, ns=(st.st_atime_ns, st.st_mtime_ns + 5_000_000_000))
    again = open_dataset(path)
    assert not again.report.from_cache and len(calls) == 2


def test_corrupt_cache_is_rebuilt(source: dict[str, object]) -> None:
    path, calls, root = source["path"], source["calls"], source["root"]
    assert isinstance(path, Path) and isinstance(calls, list) and isinstance(root, Path)
    open_dataset(path)
    entry = root / open_mod.cache_key(path)
    target = entry / "transactions.parquet"
    target.write_bytes(target.read_bytes()[:100])
    rebuilt = open_dataset(path)
    assert not rebuilt.report.from_cache and len(calls) == 2
    assert rebuilt.transactions.select(pl.len()).collect().item() == 4
    assert open_dataset(path).report.from_cache


def test_no_cache_writes_nothing_and_holds_data_in_memory(
    source: dict[str, object], tmp_path: Path
) -> None:
    path, root = source["path"], source["root"]
    assert isinstance(path, Path) and isinstance(root, Path)
    ds = open_dataset(path, cache=False)
    assert not root.exists()
    assert "parquet" not in ds.transactions.explain().lower()
    assert ds.transactions.select(pl.len()).collect().item() == 4


def test_cache_dir_argument_overrides_environment(
    source: dict[str, object], tmp_path: Path
) -> None:
    path, root = source["path"], source["root"]
    assert isinstance(path, Path) and isinstance(root, Path)
    other = tmp_path / "elsewhere"
    open_dataset(path, cache_dir=other)
    assert not root.exists()
    assert open_dataset(path, cache_dir=other).report.from_cache


def test_unusable_cache_dir_falls_back_to_memory_with_warning(
    source: dict[str, object], tmp_path: Path
) -> None:
    path = source["path"]
    assert isinstance(path, Path)
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory")
    ds = open_dataset(path, cache_dir=blocker / "cache")
    assert not ds.report.from_cache
    assert len(ds.report.warnings) == 1 and "working in memory" in ds.report.warnings[0]
    assert ds.transactions.select(pl.len()).collect().item() == 4


@pytest.mark.skipif(os.geteuid() == 0, reason="root ignores directory permissions")
def test_read_only_cache_dir_falls_back_to_memory(
    source: dict[str, object], tmp_path: Path
) -> None:
    path = source["path"]
    assert isinstance(path, Path)
    ro = tmp_path / "ro"
    ro.mkdir()
    ro.chmod(0o500)
    try:
        ds = open_dataset(path, cache_dir=ro)
    finally:
        ro.chmod(0o700)
    assert "working in memory" in ds.report.warnings[0]


def test_full_disk_while_writing_falls_back_to_memory(
    source: dict[str, object], monkeypatch: pytest.MonkeyPatch
) -> None:
    path, root = source["path"], source["root"]
    assert isinstance(path, Path) and isinstance(root, Path)

    def full(frame: object, target: Path) -> None:
        target.write_bytes(b"PAR1")
        raise OSError(errno.ENOSPC, "No space left on device", str(target))

    monkeypatch.setattr(cache, "_sink", full)
    ds = open_dataset(path)
    assert "No space left on device" in ds.report.warnings[0]
    assert ds.transactions.select(pl.len()).collect().item() == 4
    assert [p for p in root.iterdir()] == []  # the partial build was removed


def test_missing_path_is_a_data_error(tmp_path: Path) -> None:
    with pytest.raises(DataError, match="no such file"):
        open_dataset(tmp_path / "absent")


def test_two_concurrent_imports_both_succeed(source: dict[str, object]) -> None:
    path, root = source["path"], source["root"]
    assert isinstance(path, Path) and isinstance(root, Path)
    code = textwrap.dedent(
        f"""
        import sys, time
        from pathlib import Path
        sys.path.insert(0, {str(REPO)!r})
        from moneytrail.data import open as open_mod
        from moneytrail.data.sources import registry
        from tests.data.test_open import fake_dataset
        from tests.fake_source import DatasetSource
        # Both processes are importing at the same time: each read waits for the other's.
        slow = DatasetSource(fake_dataset, rendezvous=(Path({str(root)!r} + "-meet"), 2))
        registry._load = lambda: ((slow,), ())
        ds = open_mod.open_dataset(Path({str(path)!r}), cache_dir=Path({str(root)!r}))
        n = ds.transactions.select(__import__("polars").len()).collect().item()
        print(n, ds.report.from_cache, list(ds.report.warnings))
        """
    )
    procs = [
        subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
        for _ in range(2)
    ]
    outputs = [p.communicate(timeout=120)[0].strip() for p in procs]
    assert [p.returncode for p in procs] == [0, 0]
    assert outputs == ["4 False []", "4 False []"]
    assert [p.name for p in root.iterdir()] == [open_mod.cache_key(path)]
    assert open_dataset(path).report.from_cache


def _tables_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "tables"
    folder.mkdir()
    (folder / "transactions.csv").write_text(
        "transaction_id,date,amount,kind,source_kind,source_name,source_zip,"
        "recipient_committee_id,memo\n"
        't1,2016-01-02,500.00,contribution,individual,"DOE, JANE",32801,C1,false\n'
        't2,2016-01-03,-20.00,contribution,individual,"DOE, JANE",32801,C1,false\n'
        "t3,2016-01-04,75.00,contribution,individual,SMITH [R],10001,C1,true\n"
        "t4,2016-13-04,75.00,contribution,individual,BAD DATE,10001,C1,false\n"
    )
    (folder / "committees.csv").write_text("committee_id,name,kind\nC1,Friends of Doe,pac\n")
    return folder


def test_small_tables_folder_is_read_directly_not_cached(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MONEYTRAIL_CACHE_DIR", str(tmp_path / "cache"))
    ds = open_dataset(_tables_folder(tmp_path))
    assert not ds.report.from_cache
    assert not (tmp_path / "cache").exists()


def test_large_tables_folder_is_cached_with_report_and_rejects(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MONEYTRAIL_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(open_mod, "TABLES_CACHE_MIN_BYTES", 0)
    folder = _tables_folder(tmp_path)
    direct = open_dataset(folder, cache=False)
    first = open_dataset(folder, aggregates=pane_aggregates)
    second = open_dataset(folder, aggregates=pane_aggregates)
    assert (first.report.from_cache, second.report.from_cache) == (False, True)
    assert second.report.files == direct.report.files
    assert second.report.rows_rejected == 1
    assert_frame_equal(second.rejects.collect(), direct.rejects.collect())
    # Stored clustered by donor_key (see cache._sink_transactions): same rows, other order.
    stored = second.transactions.collect()
    assert stored.get_column("donor_key").is_sorted()
    assert_frame_equal(
        stored.sort("transaction_id"), direct.transactions.collect().sort("transaction_id")
    )
    expected = donors(direct, Filters()).collect()
    assert_frame_equal(second.aggregates["donors"].collect(), expected)
    assert_frame_equal(donors(second, Filters()).collect(), expected)
    assert expected.get_column("total_cents").to_list() == [480_00]  # memo not added


def test_a_str_path_opens_like_a_path(tmp_path: Path) -> None:
    folder = tmp_path / "tables"
    folder.mkdir()
    (folder / "transactions.csv").write_text(
        "transaction_id,date,amount,kind,source_kind,source_name,recipient_committee_id\n"
        "A,2016-01-01,5.00,contribution,individual,X,C1\n"
    )
    from_str = open_dataset(str(folder), cache=False)
    from_path = open_dataset(folder, cache=False)
    assert_frame_equal(from_str.transactions.collect(), from_path.transactions.collect())
    with pytest.raises(DataError, match="no such file"):
        open_dataset(str(tmp_path / "missing"), cache=False)
