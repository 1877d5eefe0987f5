"""The out-of-core FEC import (`import_fec(..., workdir=...)`, what the cache runs) gives the
same rows, entities and figures as the in-memory import, however many buckets it uses.

Buckets are made tiny here (a few hundred rows) so the FEC snapshot and a generated file are
split into many donor and recipient buckets, as a 60M-row file is.
"""

from __future__ import annotations

import sys
from pathlib import Path

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from moneytrail.data.fec import staging
from moneytrail.data.fec.earmarks import UNITEMIZED_PREFIX
from moneytrail.data.fec.importer import import_fec
from moneytrail.data.open import open_dataset
from moneytrail.query.panes import pane_aggregates
from tests.fec_two_cycles import write_two_cycles

SNAPSHOT = Path(__file__).resolve().parents[3] / "sample_data" / "fec-2016-early"
BENCH = Path(__file__).resolve().parents[3] / "bench"


@pytest.fixture
def tiny_buckets(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(staging, "BUCKET_ROWS", 6_000)
    monkeypatch.setattr(staging, "BUFFER_BYTES", 256 * 1024)


def _sorted(frame: pl.LazyFrame | pl.DataFrame, columns: list[str]) -> pl.DataFrame:
    df = frame.collect() if isinstance(frame, pl.LazyFrame) else frame
    return df.select(columns).sort(columns, nulls_last=True)


def _same_dataset(path: Path, tmp: Path) -> None:
    memory = import_fec(path)
    work = tmp / "work"
    disk = import_fec(path, workdir=work, tag="fec")
    columns = memory.transactions.collect_schema().names()
    stored = disk.transactions.collect_schema().names()
    assert stored == [*columns[:19], "source", *columns[19:]]  # tagged as `read_plan` tags
    assert disk.transactions.select(pl.col("source").unique()).collect().item() == "fec"
    expected = _sorted(memory.transactions, columns)
    assert _sorted(disk.transactions, columns).equals(expected)
    assert disk.by_recipient is not None
    assert _sorted(disk.by_recipient, columns).equals(expected)
    for table in ("committees", "candidates", "races", "rejects"):
        a = getattr(memory, table).collect()
        b = getattr(disk, table).collect()
        assert a.sort(pl.all()).equals(b.sort(pl.all())), table
    assert memory.report == disk.report
    assert not (work / staging.STAGE).exists()  # the staged parts are gone


def test_snapshot_in_many_buckets_equals_in_memory(tiny_buckets: None, tmp_path: Path) -> None:
    _same_dataset(SNAPSHOT, tmp_path)


def test_two_cycles_in_many_buckets_equal_in_memory(tiny_buckets: None, tmp_path: Path) -> None:
    _same_dataset(write_two_cycles(tmp_path / "fec"), tmp_path)


def test_parts_are_clustered_and_each_donor_in_one_part(tiny_buckets: None, tmp_path: Path) -> None:
    work = tmp_path / "work"
    import_fec(SNAPSHOT, workdir=work, tag="fec")
    parts = sorted((work / staging.TRANSACTIONS_DIR / "cycle=2016").glob("part-*.parquet"))
    assert len(parts) > 3
    seen: dict[str, Path] = {}
    for part in parts:
        keys = pl.read_parquet(part, columns=["donor_key"]).get_column("donor_key")
        assert keys.is_sorted(), part.name
        for key in keys.unique().to_list():
            assert seen.setdefault(key, part) == part, f"{key} in {seen[key].name} and {part.name}"
    recipients = sorted((work / staging.BY_RECIPIENT_DIR).glob("*.parquet"))
    assert len(recipients) > 3
    owner: dict[str | None, Path] = {}
    for part in recipients:
        ids = pl.read_parquet(part, columns=["recipient_committee_id"]).get_column(
            "recipient_committee_id"
        )
        assert ids.drop_nulls().is_sorted(), part.name
        for rid in ids.unique().to_list():
            assert owner.setdefault(rid, part) == part, rid


def test_conduit_pseudo_donor_is_kept_in_one_part(
    tmp_path: Path, tiny_buckets: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Lump receipts from ActBlue filed by its committee id (a committee source) and by its
    name only (an organization) become the one pseudo-donor "UNITEMIZED EARMARKED
    CONTRIBUTIONS VIA ACTBLUE": its rows start in different donor buckets and must still end
    in one part."""
    from tests.data.fec.conftest import actblue_cm_line, actblue_lump_lines, many_donor_lines
    from tests.data.fec.test_rules import write

    monkeypatch.setattr(staging, "BUCKET_ROWS", 1_000)  # 3,060 rows: four donor buckets
    write(tmp_path, "cm.txt", [actblue_cm_line()])
    write(tmp_path, "itcont.txt", actblue_lump_lines() + many_donor_lines())
    work = tmp_path / "work"
    ds = import_fec(tmp_path, workdir=work, tag="fec")
    rows = ds.transactions.collect()
    pseudo = rows.filter(pl.col("source_name").str.starts_with(UNITEMIZED_PREFIX))
    assert pseudo.height == 60
    assert pseudo.get_column("donor_key").n_unique() == 1
    holding = [
        p
        for p in sorted((work / staging.TRANSACTIONS_DIR).rglob("*.parquet"))
        if pl.read_parquet(p, columns=["source_name"])
        .get_column("source_name")
        .str.starts_with(UNITEMIZED_PREFIX)
        .any()
    ]
    assert len(holding) == 1


def test_generated_file_through_the_cache_in_many_buckets(
    tiny_buckets: None, tmp_path: Path
) -> None:
    """A generated FEC-layout file (bench/gen_fec.py) opened through the cache, as the CLI
    and the app do: every pane figure equals the in-memory import's."""
    sys.path.insert(0, str(BENCH))
    try:
        import gen_fec
    finally:
        sys.path.remove(str(BENCH))
    folder = tmp_path / "gen"
    gen_fec.generate(20_000, folder / "itcont.txt", seed=11)
    cached = open_dataset(folder, cache_dir=tmp_path / "cache", aggregates=pane_aggregates)
    memory = open_dataset(folder, cache=False)
    assert cached.by_recipient is not None
    for name in ("donors", "committees", "races", "candidates"):
        stored = cached.aggregates[name].collect()
        fresh = pane_aggregates(memory)[name].lazy().collect()
        assert stored.sort(pl.all()).equals(fresh.sort(pl.all())), name


def test_a_damaged_part_is_caught_on_reopen(tiny_buckets: None, tmp_path: Path) -> None:
    """Reopening skips parsing the footers of unchanged parts; a part written to after the
    build (one byte flipped in its middle) is still caught, and the entry rebuilt."""
    from moneytrail.data import cache as cache_store

    root = tmp_path / "cache"
    first = open_dataset(SNAPSHOT, cache_dir=root, aggregates=pane_aggregates)
    total = first.transactions.select(pl.col("amount_cents").sum()).collect().item()
    (entry,) = [p for p in root.iterdir() if not p.name.startswith(".")]
    parts = sorted((entry / "transactions").rglob("*.parquet"))
    victim = parts[len(parts) // 2]
    data = bytearray(victim.read_bytes())
    data[len(data) // 2] ^= 0xFF
    victim.write_bytes(bytes(data))
    with pytest.raises(cache_store.CacheInvalid, match="checksum"):
        cache_store.verify_entry(entry)
    again = open_dataset(SNAPSHOT, cache_dir=root, aggregates=pane_aggregates)
    assert again.report.from_cache is False  # rebuilt
    assert again.transactions.select(pl.col("amount_cents").sum()).collect().item() == total


def test_adding_a_cycle_imports_only_that_cycle(tmp_path: Path) -> None:
    """A folder with cycle 2016 is opened; then cycle 2018's files are added. The second open
    reads only the 2018 files (the 2016 parts are linked from the first entry) and gives the
    same dataset as importing both cycles at once."""
    from tests.fec_two_cycles import write_two_cycles

    both = write_two_cycles(tmp_path / "both")
    only16 = tmp_path / "grow"
    only16.mkdir()
    for f in sorted(both.iterdir()):
        if "16" in f.name:
            (only16 / f.name).write_bytes(f.read_bytes())
    root = tmp_path / "cache"
    first = open_dataset(only16, cache_dir=root, aggregates=pane_aggregates)
    assert first.transactions.select(pl.col("cycle").unique()).collect().to_series().to_list() == [
        2016
    ]
    for f in sorted(both.iterdir()):
        if "18" in f.name:
            (only16 / f.name).write_bytes(f.read_bytes())
    read: list[str] = []

    def progress(stage: str, done: int, total: int, rows: int | None = None) -> None:
        read.append(stage)

    grown = open_dataset(only16, cache_dir=root, aggregates=pane_aggregates, progress=progress)
    assert "fec: cycle 2016 already imported" in read
    assert not any("16.zip" in stage for stage in read)  # no 2016 file was read again
    assert any("18.zip" in stage for stage in read)
    whole = open_dataset(both, cache=False)
    columns = whole.transactions.collect_schema().names()
    assert _sorted(grown.transactions, columns).equals(_sorted(whole.transactions, columns))
    assert _sorted(grown.by_recipient, columns).equals(_sorted(whole.transactions, columns))  # type: ignore[arg-type]
    for table in ("committees", "candidates", "races"):
        a = getattr(grown, table).collect().drop("source", strict=False)
        b = getattr(whole, table).collect().drop("source", strict=False)
        assert a.sort(pl.all()).equals(b.sort(pl.all())), table
    assert [f.path for f in grown.report.files] == [f.path for f in whole.report.files]
    assert grown.report.files == whole.report.files
    entries = [p for p in root.iterdir() if not p.name.startswith(".")]
    old = next(p for p in entries if p != grown.source and (p / "cycles" / "cycle=2016").exists())
    linked = sorted((old / "transactions" / "cycle=2016").glob("*.parquet"))[0]
    assert linked.stat().st_nlink >= 2  # the new entry's part is the same file


def test_detail_figures_stored_part_by_part_equal_whole(
    tiny_buckets: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The large committees' and races' stored detail figures, the committees listing and the
    trace graph's donor edges, computed one recipient part at a time on a large import, equal
    the same figures computed over all rows at once (a race's committees are in one part)."""
    from moneytrail.query import entity_stats
    from moneytrail.query.trace_graph import DONOR_EDGES

    monkeypatch.setattr(entity_stats, "LARGE_ROWS", 20)
    cached = open_dataset(SNAPSHOT, cache_dir=tmp_path / "cache", aggregates=pane_aggregates)
    assert cached.by_recipient is not None
    memory = open_dataset(SNAPSHOT, cache=False)
    whole = pane_aggregates(memory)
    names = [n for n in whole if n.startswith("detail_")]
    assert any("race" in n for n in names) and any("committee" in n for n in names)
    for name in names:
        stored = cached.aggregates[name].collect()
        fresh = whole[name].lazy().collect()
        assert stored.height > 0, name
        # Floats (a concentration index) may differ in the last bits: summation order.
        keys = [c for c, t in stored.schema.items() if not t.is_float()]
        assert_frame_equal(stored.sort(keys), fresh.sort(keys), check_exact=False)
    # The committees listing (distinct donors per committee) and the trace graph's donor
    # edges are computed part by part too.
    assert cached.aggregates["committees"].collect().equals(whole["committees"].lazy().collect())
    edges = ["recipient", "donor_key", "amount_cents"]
    stored_edges = cached.aggregates[DONOR_EDGES].select(edges).collect().sort(edges)
    assert stored_edges.height > 1000
    assert stored_edges.equals(whole[DONOR_EDGES].lazy().select(edges).collect().sort(edges))


def test_a_large_part_is_computed_in_slices(
    tiny_buckets: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A recipient part above `cache.SLICE_ROWS` computes the donor edges in slices of the
    donor key's hash: the same edges as one pass."""
    from moneytrail.data import cache as cache_store
    from moneytrail.query.trace_graph import DONOR_EDGES

    monkeypatch.setattr(cache_store, "SLICE_ROWS", 500)
    cached = open_dataset(SNAPSHOT, cache_dir=tmp_path / "cache", aggregates=pane_aggregates)
    whole = pane_aggregates(open_dataset(SNAPSHOT, cache=False))
    edges = ["recipient", "donor_key", "amount_cents"]
    stored = cached.aggregates[DONOR_EDGES].select(edges).collect().sort(edges)
    assert stored.equals(whole[DONOR_EDGES].lazy().select(edges).collect().sort(edges))


def test_donor_figures_of_a_large_part_combine_from_slices(
    tiny_buckets: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The stored figures that group an entity's receipts by donor (distinct donors,
    concentration, top donors, the committees listing's donors) of a recipient part above
    `cache.SLICE_ROWS` are computed over slices of its donors and combined: the same figures
    as one pass. An entity large enough to be stored may have fewer rows than that in a
    slice, so "large" is judged on the part."""
    from moneytrail.data import cache as cache_store
    from moneytrail.query import entity_stats

    monkeypatch.setattr(cache_store, "SLICE_ROWS", 300)
    monkeypatch.setattr(entity_stats, "LARGE_ROWS", 20)
    cached = open_dataset(SNAPSHOT, cache_dir=tmp_path / "cache", aggregates=pane_aggregates)
    assert cached.by_recipient is not None
    sizes = cached.by_recipient.group_by(pl.col("recipient_committee_id")).len().collect()
    assert sizes.get_column("len").max() > 300 * 2  # some part is cut into several slices
    whole = pane_aggregates(open_dataset(SNAPSHOT, cache=False))
    names = ["scalars", "sources", "top_donors"]
    checked = [n for n in whole if n.startswith("detail_") and n.rsplit("_", 1)[-1] in names]
    checked += [n for n in whole if n.endswith("top_donors")]
    assert len(set(checked)) == 5
    for name in set(checked):
        stored = cached.aggregates[name].collect()
        fresh = whole[name].lazy().collect()
        assert stored.height > 0, name
        assert stored.schema == fresh.schema, name
        keys = [c for c, t in stored.schema.items() if not t.is_float()]
        assert_frame_equal(stored.sort(keys), fresh.sort(keys), check_exact=False)
    # The committees listing's distinct donors too.
    assert cached.aggregates["committees"].collect().equals(whole["committees"].lazy().collect())
