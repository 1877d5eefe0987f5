"""Cache entries' on-disk layout: Parquet footers decoded, hive partitions and clustering found."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from moneytrail.data.cache_layout import FooterError, entry_layout, read_footer


def _rows(n: int, cycle: int) -> pl.DataFrame:
    return pl.DataFrame(
        {
            "donor_key": [f"K{i:05d}" for i in range(n)],
            "amount_cents": list(range(n)),
            "cycle": [cycle] * n,
        }
    )


def test_footer_gives_rows_row_groups_and_recorded_sort_columns(tmp_path: Path) -> None:
    plain = tmp_path / "plain.parquet"
    _rows(1_000, 2016).write_parquet(plain, row_group_size=300)
    meta = pq.ParquetFile(plain).metadata
    footer = read_footer(plain)
    assert (footer.rows, footer.row_groups) == (meta.num_rows, meta.num_row_groups) == (1_000, 4)
    assert footer.sorted_by == ()

    sorted_file = tmp_path / "sorted.parquet"
    table = pa.table({"a": [1, 2, 3], "donor_key": ["x", "y", "z"]})
    pq.write_table(table, sorted_file, row_group_size=2, sorting_columns=[pq.SortingColumn(1)])
    assert read_footer(sorted_file).sorted_by == ("donor_key",)
    assert read_footer(sorted_file).row_groups == 2


def test_a_file_that_is_not_parquet_is_a_footer_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.parquet"
    bad.write_bytes(b"not parquet at all, just text" * 3)
    with pytest.raises(FooterError):
        read_footer(bad)
    cut = tmp_path / "cut.parquet"
    _rows(100, 2016).write_parquet(cut)
    data = cut.read_bytes()
    cut.write_bytes(data[:12] + data[-8:])  # the footer length now points before the start
    with pytest.raises(FooterError):
        read_footer(cut)


@pytest.fixture
def entry(tmp_path: Path) -> Path:
    """An entry as the partitioned cache stores one: hive parts per cycle, small tables."""
    root = tmp_path / "entry"
    for cycle, n in ((2016, 700), (2018, 300)):
        part = root / "transactions" / f"cycle={cycle}"
        part.mkdir(parents=True)
        _rows(n, cycle).drop("cycle").write_parquet(part / "part-00000.parquet", row_group_size=256)
    _rows(5, 2016).write_parquet(root / "committees.parquet")
    _rows(3, 2016).write_parquet(root / "agg-donors.parquet")
    (root / "manifest.json").write_text("{}")
    return root


def test_layout_from_the_manifest(entry: Path) -> None:
    manifest = {
        "layout": {
            "transactions": {
                "path": "transactions",
                "partitioning": ["cycle"],
                "clustered_by": "donor_key",
                "row_group_rows": 256,
            }
        }
    }
    tables = entry_layout(entry, manifest)
    assert [t.name for t in tables] == ["transactions", "committees", "agg-donors"]
    tx = tables[0]
    assert tx.from_manifest
    assert tx.partitioning == ("cycle",) and tx.partitions == ("cycle=2016", "cycle=2018")
    assert tx.clustered_by == ("donor_key",) and tx.row_group_rows == 256
    assert (tx.rows, len(tx.files), tx.row_groups) == (1_000, 2, 3 + 2)
    assert tx.glob == "transactions/*/*.parquet"
    assert tx.size_bytes == sum(p.stat().st_size for p in entry.rglob("part-*.parquet"))
    # The glob is what another engine reads: Polars gets every row and the cycle back.
    read = pl.scan_parquet(entry / tx.glob, hive_partitioning=True)
    counts = read.group_by("cycle").len().sort("cycle").collect()
    assert counts.rows() == [(2016, 700), (2018, 300)]


@pytest.mark.parametrize("written", ["transactions/", "./transactions", "transactions/*/*.parquet"])
def test_a_manifest_path_names_the_tables_folder_however_written(entry: Path, written: str) -> None:
    (tx, *_) = entry_layout(entry, {"layout": {"transactions": {"path": written}}})
    assert (tx.path, tx.glob, tx.rows) == ("transactions", "transactions/*/*.parquet", 1_000)


def test_layout_found_on_disk_without_a_manifest_layout(entry: Path) -> None:
    tables = {t.name: t for t in entry_layout(entry, {})}
    assert set(tables) == {"transactions", "committees", "agg-donors"}
    tx = tables["transactions"]
    assert not tx.from_manifest and tx.partitioning == ("cycle",)
    assert tx.clustered_by == () and tx.row_group_rows is None
    assert tables["committees"].glob == "committees.parquet"
    assert tables["committees"].rows == 5 and tables["committees"].partitions == ()
