"""Reconciling a committee's or candidate's counted receipts with what it reported in total.

Two figures help a reader check the itemized money against the filer's own totals (FEC data;
docs/fec.md, "Reconciliation"):

* **reported by the giver only** (``giver_only_cents``): counted receipts that the recipient's
  own reports in the files do not hold; they are known from the giver's copy (a PAC's ``24K``
  to a candidate committee whose receipt is not in the bulk files yet). A row is giver-only when
  its filer (``fec_committee_id``) is not its recipient. ``filed_by_recipient_cents`` is the
  rest: receipts = filed by the recipient + reported by the giver only.
* **reported total receipts** (``reported_receipts_cents``, through ``reported_through``): the
  filer's TTL_RECEIPTS from the FEC summary file (``webk`` for committees, ``weball``/``webl``
  for candidates), when that file was loaded. ``coverage_share`` = receipts of the reported
  cycle / reported total receipts: how much of the reported money is itemized and counted here
  (below 1 mostly from unitemized small gifts and reports filed after the snapshot). A summary
  covers one cycle (the latest one loaded, ``reported_cycle``), so when the dataset holds several
  only the receipts of that cycle (`moneytrail.query.cycles.row_cycle`) are set against it.

Under a global filter the counted side is filtered, the reported side never is.
"""

from __future__ import annotations

import polars as pl

from moneytrail.query.cycles import CYCLE_COLUMN, row_cycle
from moneytrail.query.figures import FIGURE_LABELS

#: The label of giver-only money in running text (the column's label, lower case).
GIVER_ONLY_LABEL = FIGURE_LABELS["giver_only_cents"].lower()
RECONCILIATION_COLUMNS: tuple[str, ...] = (
    "receipts_cents",
    "filed_by_recipient_cents",
    "giver_only_cents",
    "reported_receipts_cents",
    "coverage_share",
    "reported_through",
)
#: The columns an entity frame (committees, candidates) carries when a summary could be loaded.
REPORTED_COLUMNS: tuple[str, ...] = ("reported_receipts_cents", "reported_through")
#: The cycle the reported totals are for (`data.fec.summaries.REPORTED_CYCLE`; absent from
#: caches written before it existed: all receipts are then set against the total).
REPORTED_CYCLE = "reported_cycle"
#: The transactions column that says who filed a row (FEC data only).
FILER_COLUMN = "fec_committee_id"


def can_reconcile(transactions_columns: list[str], entity_columns: list[str]) -> bool:
    """True when rows say who filed them and the entity frame has the reported columns."""
    return FILER_COLUMN in transactions_columns and all(
        c in entity_columns for c in REPORTED_COLUMNS
    )


def giver_only() -> pl.Expr:
    """Rows filed by someone other than their recipient (the giver's copy counts)."""
    return (pl.col(FILER_COLUMN) != pl.col("recipient_committee_id")).fill_null(False)


def receipt_figures(receipts: pl.LazyFrame, by: list[str] | None = None) -> pl.LazyFrame:
    """``receipts_cents`` and ``giver_only_cents`` of counted `receipts` (with `FILER_COLUMN`,
    and ``cycle`` when the rows carry one) per row cycle (`cycles.row_cycle`), and per group
    of the `by` columns when given (to be stored for many entities at once)."""
    keys = [*(by or []), row_cycle(receipts.collect_schema().names())]
    return receipts.group_by(keys).agg(
        receipts_cents=pl.col("amount_cents").sum(),
        giver_only_cents=pl.col("amount_cents").filter(giver_only()).sum(),
    )


def reconciliation(receipts: pl.LazyFrame, entity: pl.DataFrame) -> pl.LazyFrame:
    """One row of `RECONCILIATION_COLUMNS`.

    Args:
        receipts: the entity's counted receipts (with `FILER_COLUMN`, and ``cycle`` when the
            rows carry one).
        entity: the entity's one-row frame (committee or candidate) with `REPORTED_COLUMNS`.
    """
    return reconciled(receipt_figures(receipts), entity)


def reconciled(figures: pl.LazyFrame, entity: pl.DataFrame) -> pl.LazyFrame:
    """`reconciliation` from the entity's `receipt_figures`."""
    reported = entity.lazy().select(
        pl.col("reported_receipts_cents").first(), pl.col("reported_through").first()
    )
    cycle = entity.item(0, REPORTED_CYCLE) if REPORTED_CYCLE in entity.columns else None
    receipts = pl.col("receipts_cents")
    of_cycle = receipts if cycle is None else receipts.filter(pl.col(CYCLE_COLUMN) == cycle)
    counted = figures.select(
        receipts_cents=receipts.sum(),
        giver_only_cents=pl.col("giver_only_cents").sum(),
        _cycle_receipts=of_cycle.sum(),
    )
    return (
        counted.join(reported, how="cross")
        .with_columns(
            filed_by_recipient_cents=pl.col("receipts_cents") - pl.col("giver_only_cents"),
            coverage_share=pl.when(pl.col("reported_receipts_cents") > 0)
            .then(pl.col("_cycle_receipts") / pl.col("reported_receipts_cents"))
            .otherwise(None),
        )
        .select(RECONCILIATION_COLUMNS)
    )
