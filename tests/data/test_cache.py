"""The Parquet cache store: round trip, fingerprints, verification, atomicity, clearing."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from dataclasses import replace
from pathlib import Path

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from moneytrail.data import cache
from moneytrail.data.dataset import Dataset
from moneytrail.data.report import FileReport, LoadReport
from tests.factories import committee, make_dataset, tx


def _dataset() -> Dataset:
    ds = make_dataset(
        transactions=[
            tx("t1", 500_00, source_name="DOE, JANE", source_zip="32801", recipient="C1"),
            tx("t2", 25_00, source_name="ROE, RICHARD", recipient="C1", memo=True),
            tx("t3", -10_00, source_name="DOE, JANE", source_zip="32801", recipient="C2"),
        ],
        committees=[committee("C1", "Friends of Doe"), committee("C2", "SMITH [R] PAC")],
        name="unit",
    )
    report = LoadReport(
        files=(
            FileReport("a/itcont.txt", "fec:itcont", 4, 3, {"bad amount": 1}, bytes_replaced=2),
        ),
        created={"committees": 1},
        warnings=("a note",),
    )
    rejects = pl.LazyFrame(
        {"file": ["a/itcont.txt"], "line": [4], "column": ["TRANSACTION_AMT"]}
        | {"reason": ["bad amount"], "raw": ["x|y"]},
    )
    return replace(ds, report=report, rejects=rejects)


def _totals(ds: Dataset) -> dict[str, pl.LazyFrame]:
    return {
        "donors": ds.transactions.filter(~pl.col("memo"))
        .group_by("donor_key")
        .agg(total_cents=pl.col("amount_cents").sum())
        .sort("donor_key")
    }


def test_round_trip_serves_same_tables_report_and_aggregates(tmp_path: Path) -> None:
    ds = _dataset()
    entry = cache.write_entry(tmp_path, "k", ds, source=tmp_path, aggregates=_totals)
    back = cache.lookup(tmp_path, "k")
    assert back is not None and entry == tmp_path / "k"
    assert back.report.from_cache
    assert back.report.files == ds.report.files
    assert back.report.created == {"committees": 1}
    assert back.report.warnings == ("a note",)
    for table in ("committees", "candidates", "races", "rejects"):
        assert_frame_equal(getattr(back, table).collect(), getattr(ds, table).collect())
    stored = back.transactions.collect()
    assert stored.get_column("donor_key").to_list() == sorted(
        ds.transactions.collect().get_column("donor_key").to_list()
    )
    assert_frame_equal(stored.sort("transaction_id"), ds.transactions.collect())
    assert back.aggregates["donors"].collect().to_dicts() == [
        {"donor_key": "I|DOE, JANE|32801", "total_cents": 490_00}
    ]
    assert back.name == "unit"


def test_reopen_is_lazy_parquet_scans(tmp_path: Path) -> None:
    cache.write_entry(tmp_path, "k", _dataset(), source=tmp_path, aggregates=_totals)
    back = cache.lookup(tmp_path, "k")
    assert back is not None
    plan = back.transactions.explain()
    assert "parquet" in plan.lower()


def test_missing_entry_is_a_miss(tmp_path: Path) -> None:
    assert cache.lookup(tmp_path, "nope") is None
    assert cache.lookup(tmp_path / "absent-root", "nope") is None


def test_fingerprint_stable_then_changes_with_mtime_and_size(tmp_path: Path) -> None:
    src = tmp_path / "src"
    src.mkdir()
    f = src / "itcont.txt"
    f.write_text("a|b\n")
    (src / "cm.txt").write_text("c\n")
    first = cache.fingerprint(src)
    assert cache.fingerprint(src) == first
    st = f.stat()
    os.utime(f, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000_000))
    touched = cache.fingerprint(src)
    assert touched != first
    mtime = f.stat().st_mtime_ns
    f.write_text("a|bc\n")  # one byte longer, same mtime
    os.utime(f, ns=(mtime, mtime))
    assert cache.fingerprint(src) not in (first, touched)


def test_fingerprint_of_single_file_and_added_file(tmp_path: Path) -> None:
    f = tmp_path / "itcont.txt"
    f.write_text("x\n")
    single = cache.fingerprint(f)
    before = cache.fingerprint(tmp_path)
    (tmp_path / "cn.txt").write_text("y\n")
    assert cache.fingerprint(tmp_path) != before
    assert cache.fingerprint(f) == single


def _truncate(path: Path, keep: int) -> None:
    data = path.read_bytes()
    path.write_bytes(data[:keep])


def test_truncated_parquet_is_detected_and_removed(tmp_path: Path) -> None:
    entry = cache.write_entry(tmp_path, "k", _dataset(), source=tmp_path, aggregates=_totals)
    target = entry / "transactions.parquet"
    _truncate(target, target.stat().st_size // 2)
    with pytest.raises(cache.CacheInvalid, match=r"transactions\.parquet"):
        cache.verify_entry(entry)
    assert cache.lookup(tmp_path, "k") is None
    assert not entry.exists()


def test_same_size_corruption_of_footer_is_detected(tmp_path: Path) -> None:
    entry = cache.write_entry(tmp_path, "k", _dataset(), source=tmp_path)
    target = entry / "committees.parquet"
    data = bytearray(target.read_bytes())
    data[-20] ^= 0xFF
    target.write_bytes(bytes(data))
    with pytest.raises(cache.CacheInvalid, match="checksum"):
        cache.verify_entry(entry)


def test_tampered_or_missing_manifest_is_invalid(tmp_path: Path) -> None:
    entry = cache.write_entry(tmp_path, "k", _dataset(), source=tmp_path)
    manifest = json.loads((entry / cache.MANIFEST).read_text())
    manifest["files"]["transactions.parquet"]["rows"] = 99
    (entry / cache.MANIFEST).write_text(json.dumps(manifest))
    with pytest.raises(cache.CacheInvalid, match="manifest checksum"):
        cache.verify_entry(entry)
    (entry / cache.MANIFEST).unlink()
    with pytest.raises(cache.CacheInvalid, match="no manifest"):
        cache.verify_entry(entry)


def test_other_format_version_is_invalid(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    entry = cache.write_entry(tmp_path, "k", _dataset(), source=tmp_path)
    monkeypatch.setattr(cache, "CACHE_FORMAT_VERSION", cache.CACHE_FORMAT_VERSION + 1)
    with pytest.raises(cache.CacheInvalid, match="format"):
        cache.verify_entry(entry)


def test_failed_build_leaves_nothing(tmp_path: Path) -> None:
    def boom(ds: Dataset) -> dict[str, pl.LazyFrame]:
        raise RuntimeError("aggregate failed")

    with pytest.raises(RuntimeError):
        cache.write_entry(tmp_path, "k", _dataset(), source=tmp_path, aggregates=boom)
    assert list(tmp_path.iterdir()) == []


def test_killed_build_leaves_no_usable_entry_and_is_swept(tmp_path: Path) -> None:
    """A process killed just before its manifest is written (no cleanup runs)."""
    code = textwrap.dedent(
        f"""
        import os, sys
        from pathlib import Path
        sys.path.insert(0, {str(Path(__file__).resolve().parents[2])!r})
        from moneytrail.data import cache
        from tests.data.test_cache import _dataset
        def killed(tmp, body):
            os._exit(9)
        cache._write_manifest = killed
        cache.write_entry(Path({str(tmp_path)!r}), "k", _dataset(), source=Path("."))
        """
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert proc.returncode == 9, proc.stderr
    leftovers = cache.incomplete_builds(tmp_path)
    assert len(leftovers) == 1 and (leftovers[0] / "transactions.parquet").exists()
    assert not (tmp_path / "k").exists()
    assert cache.lookup(tmp_path, "k") is None
    assert list(cache.iter_entries(tmp_path)) == []
    # The next build sweeps the dead process's temp dir away and publishes normally.
    cache.write_entry(tmp_path, "k", _dataset(), source=tmp_path)
    assert cache.incomplete_builds(tmp_path) == []
    assert cache.lookup(tmp_path, "k") is not None


def test_second_publisher_keeps_the_first_valid_entry(tmp_path: Path) -> None:
    first = cache.write_entry(tmp_path, "k", _dataset(), source=tmp_path)
    created = json.loads((first / cache.MANIFEST).read_text())["created"]
    again = cache.write_entry(tmp_path, "k", _dataset(), source=tmp_path)
    assert again == first
    assert json.loads((first / cache.MANIFEST).read_text())["created"] == created
    assert [p.name for p in tmp_path.iterdir()] == ["k"]


def test_publisher_replaces_an_invalid_entry(tmp_path: Path) -> None:
    bad = tmp_path / "k"
    bad.mkdir()
    (bad / "transactions.parquet").write_bytes(b"PAR1 half written")
    cache.write_entry(tmp_path, "k", _dataset(), source=tmp_path)
    assert cache.lookup(tmp_path, "k") is not None


def test_iter_entries_and_clear(tmp_path: Path) -> None:
    root = tmp_path / "cache"
    a, b = tmp_path / "a", tmp_path / "b"
    a.mkdir()
    b.mkdir()
    cache.write_entry(root, "ka", _dataset(), source=a)
    cache.write_entry(root, "kb", _dataset(), source=b)
    entries = list(cache.iter_entries(root))
    assert {e.source for e in entries} == {str(a.resolve()), str(b.resolve())}
    assert all(e.valid and e.rows == 3 and e.size_bytes > 0 for e in entries)
    removed = cache.clear(root, a)
    assert [e.key for e in removed] == ["ka"]
    assert [e.key for e in cache.iter_entries(root)] == ["kb"]
    assert cache.clear(root, a) == []
    (root / ".tmp-kc-1-abcd").mkdir()
    assert [e.key for e in cache.clear(root)] == ["kb"]
    assert list(root.iterdir()) == []


def test_unwritable_root_raises_oserror_and_leaves_nothing(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    with pytest.raises(OSError):
        cache.write_entry(blocker / "cache", "k", _dataset(), source=tmp_path)


def _keyed_dataset(rows: int) -> Dataset:
    """`rows` transactions whose donor keys repeat out of order, with null keys among them."""
    keys = ["B|ROE", None, "A|DOE", "C|POE", "A|DOE", "B|ROE", None]
    ds = make_dataset(
        transactions=[
            tx(f"t{i:03d}", (i + 1) * 100, recipient="C1", donor_key=keys[i % len(keys)])
            for i in range(rows)
        ],
        committees=[committee("C1", "Friends of Doe")],
    )
    return ds


def test_transactions_stored_in_stable_donor_order_across_batches(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Batches of 4 rows: ties of one key are spread over many batches, so a gather that lost
    # the input order of ties (or a batch boundary) would show here.
    monkeypatch.setattr(cache, "_CLUSTER_BATCH", 4)
    ds = _keyed_dataset(45)
    cache.write_entry(tmp_path, "k", ds, source=tmp_path)
    back = cache.lookup(tmp_path, "k")
    assert back is not None
    expected = ds.transactions.collect().sort("donor_key", maintain_order=True)
    assert expected.get_column("donor_key").null_count() == 13
    assert_frame_equal(back.transactions.collect(), expected)


def test_clustered_source_honours_projection_filter_and_limit(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(cache, "_CLUSTER_BATCH", 3)
    frame = _keyed_dataset(20).transactions.collect()
    ordered = frame.sort("donor_key", maintain_order=True)
    clustered = cache._clustered(frame)
    assert_frame_equal(clustered.collect(), ordered)
    wanted = pl.col("amount_cents") > 500
    assert_frame_equal(
        clustered.filter(wanted).select("transaction_id").head(5).collect(),
        ordered.filter(wanted).select("transaction_id").head(5),
    )


def test_transactions_without_donor_key_are_stored_as_given(tmp_path: Path) -> None:
    ds = _keyed_dataset(9)
    bare = replace(ds, transactions=ds.transactions.drop("donor_key"))
    cache.write_entry(tmp_path, "k", bare, source=tmp_path)
    stored = pl.read_parquet(tmp_path / "k" / "transactions.parquet")
    assert_frame_equal(stored, bare.transactions.collect())
