"""The FEC's summary files: what each committee and candidate reported in total.

Users download these beside the bulk files. Each line is one filer's totals over its reports so
far in the cycle (coverage ending CVG_END_DT), as the FEC processed them:

=========  ==================  ======================================================
kind       file                one line per
=========  ==================  ======================================================
``webk``   ``webkYY.zip``      PAC or party committee ("PAC and party summary")
``weball`` ``weballYY.zip``    candidate ("all candidates"), over its authorized committees
``webl``   ``weblYY.zip``      House/Senate candidate ("current campaigns"), same layout
=========  ==================  ======================================================

Only TTL_RECEIPTS (total receipts) and CVG_END_DT (coverage end, ``MM/DD/YYYY``) are used:
they are put beside the itemized receipts the tool counted, so a user sees how much of what a
filer reported is itemized in the bulk files (the rest is unitemized small gifts, and what was
filed after the snapshot). A line whose TTL_RECEIPTS is not an amount is a ``bad amount``
reject, a blank id a ``missing id``, an impossible coverage date a ``bad date``. When several
cycles (or both ``weball`` and ``webl``) list a filer, the latest cycle wins, and within it
``weball`` over ``webl``; that cycle is kept as ``reported_cycle``, so the itemized money it is
compared with is the money of the same cycle (`moneytrail.query.reconcile`).
"""

from __future__ import annotations

import polars as pl

from moneytrail.data.fec.bulk import BulkRead
from moneytrail.data.fec.transactions import value_rejects
from moneytrail.data.fec.values import (
    BAD_AMOUNT,
    BAD_DATE,
    amount_cents,
    amount_ok,
    date_ok,
    slashed_mmddyyyy,
)

SUMMARY_KINDS: tuple[str, ...] = ("webk", "weball", "webl")
MISSING_ID = "missing id"
_ID_COLUMN = {"webk": "CMTE_ID", "weball": "CAND_ID", "webl": "CAND_ID"}
#: The column naming the cycle the reported totals are for (null when the file name did not say).
REPORTED_CYCLE = "reported_cycle"
#: The columns a summary adds to committees and to candidates, besides `REPORTED_CYCLE`.
SUMMARY_COLUMNS: dict[str, pl.DataType] = {
    "reported_receipts_cents": pl.Int64(),
    "reported_through": pl.Date(),
}


def summary_rows(read: BulkRead) -> tuple[pl.DataFrame, pl.DataFrame]:
    """One summary file's rows as (id, reported totals, cycle, kind), and its rejects."""
    id_col = _ID_COLUMN[read.file.kind]
    checks = [
        (id_col, pl.col(id_col).is_not_null(), MISSING_ID),
        (
            "TTL_RECEIPTS",
            amount_ok("TTL_RECEIPTS") | pl.col("TTL_RECEIPTS").is_null(),
            BAD_AMOUNT,
        ),
        ("CVG_END_DT", date_ok("CVG_END_DT", slashed_mmddyyyy("CVG_END_DT")), BAD_DATE),
    ]
    good, rejects = value_rejects(read, checks)
    rows = good.select(
        pl.col(id_col).str.strip_chars().alias("id"),
        amount_cents("TTL_RECEIPTS").alias("reported_receipts_cents"),
        slashed_mmddyyyy("CVG_END_DT").alias("reported_through"),
        pl.lit(read.file.cycle, dtype=pl.Int32).alias("cycle"),
        pl.lit(read.file.kind).alias("kind"),
        "line",
    )
    return rows, rejects


def empty_summary() -> pl.DataFrame:
    return pl.DataFrame(
        schema={
            "id": pl.String,
            **SUMMARY_COLUMNS,
            "cycle": pl.Int32,
            "kind": pl.String,
            "line": pl.Int64,
        }
    )


def latest_totals(rows: pl.DataFrame, kinds: tuple[str, ...], key: str) -> pl.DataFrame:
    """The reported totals of each id (`SUMMARY_COLUMNS`, `REPORTED_CYCLE`), one row per id.

    The latest cycle wins, then the first of `kinds`, then the first line.
    """
    rank = pl.col("kind").replace_strict({k: i for i, k in enumerate(kinds)}, default=None)
    return (
        rows.filter(pl.col("kind").is_in(kinds))
        .with_columns(_rank=rank)
        .sort(["cycle", "_rank", "line"], descending=[True, False, False], nulls_last=True)
        .unique("id", keep="first", maintain_order=True)
        .select(
            pl.col("id").alias(key),
            *SUMMARY_COLUMNS,
            pl.col("cycle").cast(pl.Int32).alias(REPORTED_CYCLE),
        )
    )


def with_reported_totals(frame: pl.DataFrame, rows: pl.DataFrame, key: str) -> pl.DataFrame:
    """`frame` (committees or candidates) with its ids' reported totals (null when none).

    Adds `SUMMARY_COLUMNS` and `REPORTED_CYCLE`.
    """
    kinds = ("webk",) if key == "committee_id" else ("weball", "webl")
    totals = latest_totals(rows, kinds, key)
    return frame.join(totals, on=key, how="left", maintain_order="left")
