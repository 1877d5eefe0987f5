"""Fixtures for the bundled sample: its folder, its generator, and its data as loaded.

The sample is the story's filings in their real formats (an IRS 8872 file, Florida and
Louisiana exports) plus moneytrail tables for what no format covers (sample_data/README.md), so
the loader is the only reader of them: these fixtures open the folder without a cache and give
the tests plain frames, with the loaded values written back as the tables write them (dates
`YYYY-MM-DD`, amounts `-25.00`, flags `true`/`false`) and exact Int64 `cents` beside them. No
query-layer code is involved, so the tests still pin the data itself.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from moneytrail.data.dataset import Dataset
from moneytrail.data.open import open_dataset

REPO = Path(__file__).resolve().parents[2]
SAMPLE_DIR = REPO / "sample_data" / "safety-and-justice"
GENERATOR = REPO / "sample_data" / "generate.py"


def as_text(frame: pl.DataFrame) -> pl.DataFrame:
    """`frame` with booleans as `true`/`false`, dates ISO and integers as decimal strings."""
    out = []
    for name, dtype in frame.schema.items():
        col = pl.col(name)
        if dtype == pl.Boolean:
            out.append(pl.when(col).then(pl.lit("true")).when(~col).then(pl.lit("false")))
        elif dtype == pl.Date:
            out.append(col.dt.strftime("%Y-%m-%d"))
        elif dtype.is_integer():
            out.append(col.cast(pl.String))
        else:
            out.append(col)
    return frame.select(e.alias(n) for e, n in zip(out, frame.columns, strict=True))


@pytest.fixture(scope="session")
def loaded() -> Dataset:
    """The committed sample, opened as a bare `moneytrail` opens it (without a cache)."""
    return open_dataset(SAMPLE_DIR, cache=False)


@pytest.fixture(scope="session")
def tx(loaded: Dataset) -> pl.DataFrame:
    """Every loaded row with `amount` (decimal dollars), `cents` (exact Int64) and `is_memo`."""
    rows = loaded.transactions.collect()
    dollars = pl.col("amount_cents").abs()
    amount = pl.format(
        "{}{}.{}",
        pl.when(pl.col("amount_cents") < 0).then(pl.lit("-")).otherwise(pl.lit("")),
        (dollars // 100).cast(pl.String),
        (dollars % 100).cast(pl.String).str.zfill(2),
    )
    extra = rows.select(
        amount.alias("amount"),
        pl.col("amount_cents").alias("cents"),
        pl.col("memo").alias("is_memo"),
    )
    return as_text(rows).with_columns(extra)


@pytest.fixture(scope="session")
def counted(tx: pl.DataFrame) -> pl.DataFrame:
    """The rows that count into totals: everything but memo rows."""
    return tx.filter(~pl.col("is_memo"))


@pytest.fixture(scope="session")
def committees(loaded: Dataset) -> pl.DataFrame:
    return as_text(loaded.committees.collect())


@pytest.fixture(scope="session")
def candidates(loaded: Dataset) -> pl.DataFrame:
    return as_text(loaded.candidates.collect())


@pytest.fixture(scope="session")
def races(loaded: Dataset) -> pl.DataFrame:
    return as_text(loaded.races.collect())
