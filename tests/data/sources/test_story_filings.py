"""The story on its real filings: the bundled sample is the story's 527, Florida and Louisiana
committees written as the IRS 8872 file and the state exports show them (plus moneytrail tables
for what no format covers; sample_data/generate.py). The generator also writes the same story
as moneytrail tables only (`write_tables`): both must tell the same story to the cent, through
the IRS / state boundary, with the 527's transfers counted once."""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import polars as pl
import pytest

from moneytrail.data.dataset import Dataset
from moneytrail.data.open import open_dataset
from moneytrail.paths import sample_dataset_path
from moneytrail.query.filters import Filters
from moneytrail.query.trace import trace_committee

GENERATOR = Path(__file__).resolve().parents[3] / "sample_data" / "generate.py"


def _generator() -> Iterator[ModuleType]:
    spec = importlib.util.spec_from_file_location("sample_generate_filings", GENERATOR)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses looks the module up while it executes
    try:
        spec.loader.exec_module(module)
        yield module
    finally:
        del sys.modules[spec.name]


@pytest.fixture(scope="module")
def gen() -> Iterator[ModuleType]:
    if not GENERATOR.exists():
        pytest.skip("the sample generator is not in this checkout")
    yield from _generator()


@pytest.fixture(scope="module")
def both(gen: ModuleType, tmp_path_factory: pytest.TempPathFactory) -> tuple[Dataset, Dataset]:
    out = tmp_path_factory.mktemp("tables")
    gen.write_tables(out)
    return open_dataset(out, cache=False), open_dataset(sample_dataset_path(), cache=False)


@pytest.fixture(scope="module")
def held(gen: ModuleType) -> dict[str, str]:
    """Each committee's id in the tables-only story -> its id in the filings."""
    _, committees = gen.build()
    filers = gen.Filers(committees)
    return {c.committee_id: filers.held(c.committee_id) for c in committees}


def _entries(result) -> list[tuple[str, int]]:  # type: ignore[no-untyped-def]
    return sorted((e.kind, e.amount_cents) for e in result.entries)


def test_every_record_is_in_the_exact_layouts(both: tuple[Dataset, Dataset]) -> None:
    _, filings = both
    assert filings.rejects.collect().height == 0
    kinds = {Path(f.path).name: f.rows_loaded for f in filings.report.files}
    assert all(kinds.values()), kinds


def test_every_flow_is_the_same_to_the_cent(
    both: tuple[Dataset, Dataset], held: dict[str, str]
) -> None:
    tables, filings = both

    def flows(ds: Dataset, ids: dict[str, str]) -> pl.DataFrame:
        rows = ds.transactions.filter(~pl.col("memo")).collect()
        return (
            rows.with_columns(
                pl.col("recipient_committee_id").replace(ids),
                pl.col("source_id").replace(ids).fill_null(""),
                # A committee's donor key is made of its id, compared above.
                pl.when(pl.col("source_kind") != "committee").then(pl.col("donor_key")),
            )
            .group_by("kind", "source_kind", "recipient_committee_id", "source_id", "donor_key")
            .agg(pl.col("amount_cents").sum(), pl.len())
            .sort(pl.all())
        )

    assert flows(tables, held).equals(flows(filings, {}))


def test_every_committee_traces_to_the_same_sources(
    both: tuple[Dataset, Dataset], held: dict[str, str]
) -> None:
    tables, filings = both
    for old, new in held.items():
        expected = trace_committee(tables, Filters(), old)
        got = trace_committee(filings, Filters(), new)
        assert got.total_cents == expected.total_cents, old
        assert _entries(got) == _entries(expected), old


def test_the_florida_pac_traces_to_the_donor_across_the_irs_boundary(
    both: tuple[Dataset, Dataset],
) -> None:
    _, filings = both
    got = trace_committee(filings, Filters(), "fl:Florida Safety and Justice (PAC)")
    assert got.total_cents == 1_387_500_00
    # All of it from the donor, directly and through the 527 (docs/SAMPLE_STORY: "all of which
    # came from the donor and his 527 group").
    assert {(e.kind, e.name.upper()) for e in got.entries} == {("individual", "SOROS, GEORGE")}


def test_the_527_transfer_is_counted_once(both: tuple[Dataset, Dataset]) -> None:
    _, filings = both
    tx = filings.transactions.collect()
    pairs = tx.filter(pl.col("linked_transaction_id").is_not_null())
    assert set(pairs.get_column("source")) == {"irs", "fl"}
    assert pairs.filter(pl.col("memo")).get_column("memo_reason").unique().to_list() == [
        "reported_by_recipient"
    ]
    counted = pairs.filter(~pl.col("memo"))
    assert set(counted.get_column("source")) == {"fl"}
    assert counted.get_column("amount_cents").sum() == 500_000_00  # the 527's two transfers


def test_the_louisiana_pac_traces_over_930_000_to_the_donor(
    both: tuple[Dataset, Dataset],
) -> None:
    _, filings = both
    got = trace_committee(filings, Filters(), "la:SJ-LA")
    assert got.total_cents == 933_000_00
