"""Fixtures for the bundled sample: its folder, its generator and its tables read as plain text.

The tables are read with every column as a string (no inference), so these tests check the files
exactly as written; money is turned into exact Int64 cents through `Decimal(18, 2)`.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

REPO = Path(__file__).resolve().parents[2]
SAMPLE_DIR = REPO / "sample_data" / "safety-and-justice"
GENERATOR = REPO / "sample_data" / "generate.py"


def read_table(name: str) -> pl.DataFrame:
    """`<name>.csv` of the committed sample, every column a string, empty fields null."""
    return pl.read_csv(SAMPLE_DIR / f"{name}.csv", infer_schema=False)


@pytest.fixture(scope="session")
def tx() -> pl.DataFrame:
    """transactions.csv with `cents` (exact Int64) and `is_memo` (bool) added."""
    return read_table("transactions").with_columns(
        cents=(pl.col("amount").cast(pl.Decimal(18, 2)) * 100).cast(pl.Int64),
        is_memo=pl.col("memo") == "true",
    )


@pytest.fixture(scope="session")
def counted(tx: pl.DataFrame) -> pl.DataFrame:
    """The rows that count into totals: everything but memo rows."""
    return tx.filter(~pl.col("is_memo"))


@pytest.fixture(scope="session")
def committees() -> pl.DataFrame:
    return read_table("committees")


@pytest.fixture(scope="session")
def candidates() -> pl.DataFrame:
    return read_table("candidates")


@pytest.fixture(scope="session")
def races() -> pl.DataFrame:
    return read_table("races")
