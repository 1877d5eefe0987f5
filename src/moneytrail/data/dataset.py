"""`Dataset`: one loaded dataset, whatever it was read from.

Every reader (moneytrail tables, FEC bulk files, the Parquet cache) returns a `Dataset` whose
frames follow the loaded schemas in `moneytrail.data.schema`. Queries take a `Dataset`; nothing
downstream needs to know where the data came from.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from moneytrail.data.donor_parts import DonorParts
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
    #: Which stored part files hold a donor's rows (a large cached FEC import), so
    #: `donor_rows` reads one part per cycle; None when not known (every row is read).
    donor_parts: DonorParts | None = None

    def donor_rows(self, donor_key: str) -> pl.LazyFrame:
        """Every transaction of one `donor_key` (lazy; in stored order), read from the part
        files that can hold it when `donor_parts` knows them, else filtered from all rows."""
        mine = pl.col("donor_key") == donor_key
        parts = self.donor_parts
        files = (
            None if parts is None or parts.of is not self.transactions else parts.files(donor_key)
        )
        if files is None:
            return self.transactions.filter(mine)
        if not files:
            return self.transactions.clear()
        return pl.scan_parquet(files, hive_partitioning=False).filter(mine)
