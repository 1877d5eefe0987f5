"""The app loads the committed sample cleanly and sees the story's headline figures.

`open_dataset()` with no path is what a bare `moneytrail` opens: it must find this folder, load
every row (zero rejects), mark it synthetic, and its donors pane must put the mega-donor on top
with the story's exact total.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from moneytrail.data.dataset import Dataset
from moneytrail.query.committees import committees
from moneytrail.query.donors import donors
from moneytrail.query.filters import Filters
from tests.sample.conftest import SAMPLE_DIR


@pytest.fixture
def sample(bundled_sample: Dataset) -> Dataset:
    """`open_dataset()` into a fresh cache, once per test process (tests/conftest.py)."""
    return bundled_sample


def test_open_dataset_without_a_path_loads_the_sample_with_zero_rejects(
    sample: Dataset, tx: pl.DataFrame
) -> None:
    assert sample.source.resolve() == SAMPLE_DIR.resolve()
    assert sample.synthetic
    assert sample.rejects.collect().height == 0
    for file in sample.report.files:
        assert file.rows_read == file.rows_loaded, file
        assert not file.rejected, file
    # Every file's rows are loaded: the tables' rows, the IRS schedules and the state exports'
    # items (the IRS file's header, report and footer records are not transactions).
    files = {Path(f.path).name: f.rows_loaded for f in sample.report.files}
    assert set(files) >= {"transactions.csv", "FullDataFile.txt", "FL-Contributions.txt"}
    assert tx.height == sample.transactions.select(pl.len()).collect().item()
    assert tx.filter(pl.col("source") == "tables").height == files["transactions.csv"]
    assert set(tx["source"]) == {"tables", "irs", "fl", "la"}
    # Nothing is inferred: every referenced committee, candidate and race is listed.
    assert not any(sample.report.created.values())


def test_donors_pane_puts_the_mega_donor_on_top_with_the_story_total(sample: Dataset) -> None:
    top = donors(sample, Filters()).head(1).collect().row(0, named=True)
    assert top["total_cents"] == 3_000_000_00
    assert "SOROS" in top["name"].upper()
    assert top["variants"] == 2  # "SOROS, GEORGE" and "George Soros" at one ZIP merge.


def test_committees_pane_shows_the_florida_pac_receipts(sample: Dataset) -> None:
    row = (
        committees(sample, Filters())
        .filter(pl.col("committee_id") == "fl:Florida Safety and Justice (PAC)")
        .collect()
        .row(0, named=True)
    )
    assert row["name"] == "Florida Safety and Justice"
    assert row["receipts_cents"] == 1_387_500_00
