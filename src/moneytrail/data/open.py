"""`open_dataset`: the one entry point that turns a user's PATH into a `Dataset`.

It decides what PATH holds (a moneytrail-tables folder, FEC bulk files) and hands it to the
right reader. Problems with the input as a whole raise `DataError` (one line, naming the file).
"""

from __future__ import annotations

from pathlib import Path

from moneytrail.data import tables
from moneytrail.data.dataset import Dataset
from moneytrail.data.errors import DataError
from moneytrail.paths import sample_dataset_path


def open_dataset(path: Path | None = None) -> Dataset:
    """Load the dataset at `path`, or the bundled sample when `path` is None."""
    if path is None:
        path = sample_dataset_path()
        if not path.exists():
            raise DataError("the bundled sample dataset is missing", path=str(path))
    if not path.exists():
        raise DataError("no such file or directory", path=str(path))
    if tables.is_tables_path(path):
        return tables.load_tables(path)
    raise DataError(
        "no moneytrail tables (transactions.csv/.parquet) or FEC bulk files found",
        path=str(path),
    )
