"""`Dataset`: one loaded dataset, whatever it was read from.

Every reader (moneytrail tables, FEC bulk files, the Parquet cache) returns a `Dataset` whose
frames follow the loaded schemas in `moneytrail.data.schema`. Queries take a `Dataset`; nothing
downstream needs to know where the data came from.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from moneytrail.data.report import LoadReport
from moneytrail.data.schema import REJECTS


@dataclass(frozen=True, slots=True)
class Dataset:
    """A loaded dataset: lazy frames over the normalized tables, plus its load report."""

    name: str
    source: Path
    transactions: pl.LazyFrame
    committees: pl.LazyFrame
    candidates: pl.LazyFrame
    races: pl.LazyFrame
    report: LoadReport = field(default_factory=LoadReport)
    rejects: pl.LazyFrame = field(default_factory=lambda: pl.LazyFrame(schema=REJECTS))
    #: True for the bundled illustrative sample: the UI labels it synthetic in the title bar.
    synthetic: bool = False
    #: Precomputed aggregates stored at import time (e.g. "donors", "committee_totals"), keyed
    #: by name; queries use them when no filter is active so first paint needs no full scan.
    aggregates: dict[str, pl.LazyFrame] = field(default_factory=dict)
    #: The same rows as `transactions`, stored clustered by `recipient_committee_id` (a large
    #: cached dataset), so a committee's or race's rows come from a few row groups; None when
    #: not stored (queries then read `transactions`).
    by_recipient: pl.LazyFrame | None = None
