"""Counting every dollar once: rows that repeat another row are kept but marked memo.

The FEC bulk files report some money more than once. Rather than drop the repeats (rows read
must equal rows loaded + rejected, and an analyst may want to see them), each repeat becomes
``memo = true`` with a `memo_reason` saying which rule matched. Rules run in this order, each
over the rows still counted after the previous ones:

1. ``amended``: the same transaction reported again in a later filing. Rows are the same
   transaction when the file kind, the filer (CMTE_ID / spe_id), TRAN_ID, transaction type,
   date and amount as filed agree; the copy from the highest FILE_NUM (the latest filing)
   counts, earlier copies are memo. The report type (RPT_TP) is not part of the key: a monthly
   report amended as a termination report still holds the same gift, and RPT_TP has no year
   (a ``Q1`` of 2015 and a ``Q1`` of 2016 are different reports), so filers that reuse TRAN_IDs
   each year never see last year's gift merged with this year's: the date differs. Rows without
   a TRAN_ID, a date or a FILE_NUM are never matched.
2. ``same_record_in_itpas2``: itpas2 is a subset of itoth (the same SUB_ID in both). The itpas2
   copy counts (it names the candidate, CAND_ID); the itoth copy is memo.
3. ``also_in_periodic_report``: an independent expenditure in the 24/48-hour-notice csv that
   the spender also reported on its periodic report (itpas2/itoth ``24E``/``24A``), matched by
   spender and TRAN_ID, or by spender, candidate, amount and date. The periodic report counts:
   notices are preliminary and the FEC's file description warns they repeat.
4. ``reported_by_recipient``: a contribution or transfer between two committees that both
   reported it (the giver as ``24K``/``24G``/``24Z``/``17R``, the recipient as
   ``18K``/``18G``/``15Z``/``22Z``...). Pairs are matched on giver, recipient and amount (dates
   may differ: sent vs received), one to one in date order. The recipient's report counts, as
   for individual contributions (itcont is reported by recipients too), so a committee's receipts
   here match what it reported receiving; the giver's copy is memo.
"""

from __future__ import annotations

import polars as pl

AMENDED = "amended"
SAME_RECORD_IN_ITPAS2 = "same_record_in_itpas2"
ALSO_IN_PERIODIC_REPORT = "also_in_periodic_report"
REPORTED_BY_RECIPIENT = "reported_by_recipient"

_COUNTED = ~pl.col("memo")


def _mark(tx: pl.DataFrame, rids: pl.Series, reason: str) -> pl.DataFrame:
    """Mark the counted rows whose `_rid` is in `rids` as memo with `reason`."""
    if rids.len() == 0:
        return tx
    hit = pl.col("_rid").is_in(rids.unique().implode())
    return tx.with_columns(
        memo_reason=pl.when(hit & _COUNTED).then(pl.lit(reason)).otherwise(pl.col("memo_reason")),
        memo=pl.col("memo") | hit,
    )


def _amended(tx: pl.LazyFrame) -> pl.LazyFrame:
    key = [
        "fec_kind",
        "fec_committee_id",
        "fec_tran_id",
        "fec_transaction_type",
        "date",
        "fec_amount_cents",
    ]
    file_num = pl.col("fec_file_num").cast(pl.Int64, strict=False)
    keyed = pl.all_horizontal(pl.col("fec_tran_id", "date").is_not_null())
    return tx.filter(_COUNTED & keyed & (file_num < file_num.max().over(key))).select("_rid")


def _itoth_copies(tx: pl.LazyFrame) -> pl.LazyFrame:
    pas2 = tx.filter(pl.col("fec_kind") == "itpas2").select("transaction_id").unique()
    return (
        tx.filter(_COUNTED & (pl.col("fec_kind") == "itoth"))
        .join(pas2, on="transaction_id", how="semi")
        .select("_rid")
    )


def _notices_in_periodic(tx: pl.LazyFrame) -> pl.LazyFrame:
    periodic = tx.filter(
        _COUNTED
        & pl.col("fec_kind").is_in(["itoth", "itpas2"])
        & (pl.col("kind") == "independent_expenditure")
    )
    notices = tx.filter(_COUNTED & (pl.col("fec_kind") == "ie"))
    by_tran = ["fec_committee_id", "fec_tran_id"]
    by_value = ["fec_committee_id", "candidate_id", "amount_cents", "date"]
    a = notices.join(periodic.select(by_tran).drop_nulls().unique(), on=by_tran, how="semi").select(
        "_rid"
    )
    b = notices.join(
        periodic.select(by_value).drop_nulls().unique(), on=by_value, how="semi"
    ).select("_rid")
    return pl.concat([a, b])


def _giver_copies(tx: pl.LazyFrame) -> pl.LazyFrame:
    key = ["source_id", "recipient_committee_id", "amount_cents"]
    between = tx.filter(
        _COUNTED
        & (pl.col("kind") == "contribution")
        & (pl.col("source_kind") == "committee")
        & pl.col("source_id").is_not_null()
        & pl.col("recipient_committee_id").is_not_null()
        & (pl.col("source_id") != pl.col("recipient_committee_id"))
    )

    def ranked(side: pl.Expr) -> pl.LazyFrame:
        return (
            between.filter(side)
            .sort([*key, "date", "fec_file", "fec_line"], nulls_last=True)
            .with_columns(_n=pl.int_range(pl.len()).over(key))
            .select("_rid", *key, "_n")
        )

    givers = ranked(pl.col("fec_committee_id") == pl.col("source_id"))
    receivers = ranked(pl.col("fec_committee_id") == pl.col("recipient_committee_id"))
    return givers.join(receivers.select(*key, "_n"), on=[*key, "_n"], how="semi").select("_rid")


def count_once(tx: pl.DataFrame) -> pl.DataFrame:
    """`tx` (FEC transactions with the `fec_*` columns) with repeats marked memo (see above).

    Each rule sees the marks of the rules before it. Rules collect only the (small) set of row
    ids they flag, so the full frame is rewritten at most once per rule that matched anything.
    """
    out = tx.with_row_index("_rid")
    for rule, reason in (
        (_amended, AMENDED),
        (_itoth_copies, SAME_RECORD_IN_ITPAS2),
        (_notices_in_periodic, ALSO_IN_PERIODIC_REPORT),
        (_giver_copies, REPORTED_BY_RECIPIENT),
    ):
        rids = rule(out.lazy()).collect().get_column("_rid")
        out = _mark(out, rids, reason)
    return out.drop("_rid")
