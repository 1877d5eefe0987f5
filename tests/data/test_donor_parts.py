"""A donor's rows come from the one stored part its key hashes to (`Dataset.donor_rows`).

A large FEC import stores each cycle's rows in donor buckets (`names.donor_bucket_expr`), one
part file per bucket, plus one part for the conduits' pseudo-donors. `names.donor_key_buckets`
finds a key's bucket from the key alone; these tests check it against where every stored row
actually is (the FEC snapshot, two cycles and conduit pseudo-donors, each imported through the
cache in many small buckets), and that a donor's detail is the same read either way.
"""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path
from typing import Any

import polars as pl
import pytest

from moneytrail.data import cache as cache_store
from moneytrail.data.dataset import Dataset
from moneytrail.data.fec import staging
from moneytrail.data.fec.earmarks import UNITEMIZED_PREFIX
from moneytrail.data.names import donor_bucket_expr, donor_key_buckets, donor_key_expr
from moneytrail.data.open import open_dataset
from moneytrail.query.details import donor_detail
from moneytrail.query.filters import Filters
from moneytrail.query.selection import committee_paid_rows
from tests.data.fec.conftest import (
    SNAPSHOT,
    actblue_cm_line,
    actblue_lump_lines,
    fec_line,
    many_donor_lines,
)
from tests.data.fec.test_rules import write
from tests.fec_two_cycles import write_two_cycles


def _conduit_folder(folder: Path) -> Path:
    """Lump receipts from ActBlue (by its id, a committee source, and by name only, an
    organization): one pseudo-donor whose rows start in different buckets; plus people, an
    organization and a committee with empty normalized names, and people without a ZIP."""
    odd = [
        fec_line("itcont", CMTE_ID="C00000002", ENTITY_TP=kind, NAME=name, ZIP_CODE=zip_code,
                 TRANSACTION_DT="01152016", TRANSACTION_TP="15", TRANSACTION_AMT="25",
                 TRAN_ID=f"E{i}", SUB_ID=str(500 + i))
        for i, (kind, name, zip_code) in enumerate(
            [("ORG", "...", ""), ("ORG", "", ""), ("PAC", "--", ""), ("PAC", "", ""),
             ("IND", "SMITH, JOHN", ""), ("IND", "SMITH, JOHN A", "ABCDE"), ("IND", "", "33101"),
             ("IND", "SMITH, JOHN B", "")]
        )
    ]  # fmt: skip
    write(folder, "cm.txt", [actblue_cm_line()])
    write(folder, "itcont.txt", actblue_lump_lines() + odd + many_donor_lines())
    return folder


_FOLDERS = {
    "snapshot": (lambda tmp: SNAPSHOT, 6_000),
    "two cycles": (lambda tmp: write_two_cycles(tmp / "fec"), 2),
    "conduits": (lambda tmp: _conduit_folder(tmp / "conduits"), 300),
}


@pytest.fixture(params=list(_FOLDERS))
def stored(
    request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> tuple[Dataset, Path]:
    """A dataset imported through the cache in many small buckets, and its entry folder."""
    make, bucket_rows = _FOLDERS[request.param]
    monkeypatch.setattr(staging, "BUCKET_ROWS", bucket_rows)
    monkeypatch.setattr(staging, "BUFFER_BYTES", 256 * 1024)
    root = tmp_path / "cache"
    open_dataset(make(tmp_path), cache_dir=root)
    (entry,) = [p for p in root.iterdir() if not p.name.startswith(".")]
    return cache_store.read_entry(entry), entry


def _part_rows(entry: Path) -> pl.DataFrame:
    """Every stored transaction row's `donor_key`, `source_name`, cycle folder and part number."""
    frames = []
    for path in sorted((entry / "transactions").rglob("part-*.parquet")):
        number = int(re.fullmatch(r"part-(\d+)\.parquet", path.name).group(1))  # type: ignore[union-attr]
        frames.append(
            pl.read_parquet(path, columns=["donor_key", "source_name"]).with_columns(
                folder=pl.lit(path.parent.name), part=pl.lit(number), path=pl.lit(str(path))
            )
        )
    return pl.concat(frames)


def test_bucket_from_key_is_where_every_row_is_stored(stored: tuple[Dataset, Path]) -> None:
    ds, entry = stored
    records = cache_store.read_manifest(entry)["layout"]["transactions"]["donor_parts"]
    rows = _part_rows(entry)
    assert set(records) == set(rows.get_column("folder").unique())
    assert rows.get_column("path").n_unique() > 3  # many parts: the look-up has a choice
    pseudo_rows = 0
    for folder, key, name, part in rows.select(
        "folder", "donor_key", "source_name", "part"
    ).iter_rows():
        record = records[folder]
        if part == record["pseudo_part"]:
            assert name.startswith(UNITEMIZED_PREFIX), (folder, key)
            pseudo_rows += 1
            continue
        buckets = donor_key_buckets(key, record["buckets"])
        assert buckets is not None and part in buckets, (folder, key, part, buckets)
    if any(r["pseudo_part"] is not None for r in records.values()):
        assert pseudo_rows > 0
    # The look-up names every file holding a key's rows, and never every file.
    assert ds.donor_parts is not None
    every = rows.get_column("path").n_unique()
    for key, paths in rows.group_by("donor_key").agg(pl.col("path").unique()).iter_rows():
        files = [str(p) for p in ds.donor_parts.files(key) or []]
        assert set(paths) <= set(files), key
        assert len(files) <= 3 * len(records) < every, key


def test_conduit_pseudo_donors_and_empty_names_are_found(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(staging, "BUCKET_ROWS", 300)
    root = tmp_path / "cache"
    ds = open_dataset(_conduit_folder(tmp_path / "in"), cache_dir=root)
    keys = ds.transactions.select("donor_key", "source_name").unique().collect()
    pseudo = keys.filter(pl.col("source_name").str.starts_with(UNITEMIZED_PREFIX))
    assert pseudo.height == 1
    for key in [pseudo.item(0, "donor_key"), "O|", "C|", "I|SMITH JOHN||A|", "I||33101"]:
        expected = ds.transactions.filter(pl.col("donor_key") == key).collect()
        assert expected.height > 0, key
        assert ds.donor_rows(key).collect().equals(expected), key


def _same(a: Any, b: Any) -> bool:
    """Equal details. The row listing's rows tied on its order (a memo copy shares its row's
    date and transaction id) come in any order after `with_names`'s joins: compared as bags."""
    if isinstance(a, pl.LazyFrame):
        return a.collect().sort(pl.all()).equals(b.collect().sort(pl.all()))
    if isinstance(a, pl.DataFrame):
        return a.equals(b)
    if dataclasses.is_dataclass(a) and not isinstance(a, type):
        return all(_same(getattr(a, f.name), getattr(b, f.name)) for f in dataclasses.fields(a))
    return bool(a == b)


def test_donor_detail_is_the_same_with_and_without_the_parts(stored: tuple[Dataset, Path]) -> None:
    ds, _entry = stored
    everything = dataclasses.replace(ds, donor_parts=None)
    counts = ds.transactions.group_by("donor_key").len().sort("len", "donor_key").collect()
    keys = counts.get_column("donor_key")
    picked = {*keys.tail(3), *keys.head(3), *keys.gather_every(max(1, len(keys) // 25))}
    picked |= {k for k in keys if k.startswith(("C|", "O|"))} & set(keys.head(400))
    for filters in (Filters(), Filters(include_memo=True)):
        for key in sorted(picked):
            try:
                fast = donor_detail(ds, filters, key)
            except LookupError:
                with pytest.raises(LookupError):
                    donor_detail(everything, filters, key)
                continue
            assert _same(fast, donor_detail(everything, filters, key)), key
    committees = [k.removeprefix("C|") for k in keys if k.startswith("C|")][:20]
    for committee in committees:
        assert (
            committee_paid_rows(ds, committee)
            .collect()
            .equals(committee_paid_rows(everything, committee).collect())
        ), committee


def test_other_layouts_read_every_row(tmp_path: Path) -> None:
    """In memory, or with its transactions replaced, a dataset filters all its rows."""
    memory = open_dataset(SNAPSHOT, cache=False)
    assert memory.donor_parts is None
    key = memory.transactions.select(pl.col("donor_key").first()).collect().item()
    assert (
        memory.donor_rows(key)
        .collect()
        .equals(memory.transactions.filter(pl.col("donor_key") == key).collect())
    )
    cached = open_dataset(SNAPSHOT, cache_dir=tmp_path / "cache")
    assert cached.donor_parts is not None
    one_row = dataclasses.replace(cached, transactions=cached.transactions.head(1))
    first = one_row.transactions.collect()
    assert one_row.donor_rows(first.item(0, "donor_key")).collect().equals(first)


def test_key_buckets_match_row_buckets_on_odd_rows() -> None:
    """`donor_key_buckets(plain key)` holds the bucket `donor_bucket_expr` gives each row,
    for missing, blank and empty-after-normalizing names, ids and ZIPs."""
    names = [None, "", "...", "SMITH, JOHN", "Acme, Inc.", "J\u00f6rg M\u00fcller"]
    ids = [None, "", "  ", "C001", " C002 "]
    zips = [None, "", "ABCDE", "33101-1234", " 90210"]
    kinds = ["individual", "organization", "committee", None]
    rows = pl.DataFrame(
        [
            {"source_kind": k, "source_name": n, "source_id": i, "source_zip": z}
            for k in kinds
            for n in names
            for i in ids
            for z in zips
        ],
        schema={c: pl.String for c in ("source_kind", "source_name", "source_id", "source_zip")},
    )
    for n in (1, 2, 7, 150):
        out = rows.select(donor_key_expr(), bucket=donor_bucket_expr(n))
        for key, bucket in out.iter_rows():
            assert bucket in (donor_key_buckets(key, n) or ()), (key, bucket, n)
    assert donor_key_buckets("X|whatever", 7) is None
    assert donor_key_buckets("I|NO ZIP FIELD", 7) is None
