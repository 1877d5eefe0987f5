"""The rows a reader set aside: every rejected row with its file, line, reason and raw text.

Contract: `rejected_rows(ds, limit)` collects the dataset's rejects table (schema
`data.schema.REJECTS`: ``file``, ``line``, ``column``, ``reason``, ``raw``) in file then line
order, at most `limit` rows (None: all); `reject_label(row)` is the one-line form every view
shows, ``file:line: column: reason`` (the column left out when the whole line was malformed).
Rejected rows are never part of any figure (docs/figures.md). Pure: Polars and stdlib only.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import polars as pl

from moneytrail.data.dataset import Dataset

COLUMNS: tuple[str, ...] = ("file", "line", "column", "reason", "raw")


def rejected_rows(ds: Dataset, limit: int | None = None) -> pl.DataFrame:
    """The rejected rows, by file then line (at most `limit`; None for all)."""
    rows = ds.rejects.select(COLUMNS).sort("file", "line", nulls_last=True)
    return (rows if limit is None else rows.head(limit)).collect()


def reject_label(row: Mapping[str, Any]) -> str:
    """``file:line: column: reason`` of one rejected row (raw data: sanitise before showing)."""
    where = f"{row['file']}:{row['line']}"
    column = row.get("column")
    return f"{where}: {column}: {row['reason']}" if column else f"{where}: {row['reason']}"
