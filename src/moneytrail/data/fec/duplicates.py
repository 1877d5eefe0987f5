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

#: The row id the rules name rows by (any unique integer per row).
RID = "_rid"
#: Hash of a row's amendment key, null for rows the rule never matches (`amend_hash`).
AMEND_HASH = "_amend_hash"

_COUNTED = ~pl.col("memo")
_AMEND_KEY = [
    "fec_kind",
    "fec_committee_id",
    "fec_tran_id",
    "fec_transaction_type",
    "date",
    "fec_amount_cents",
]
_FILE_NUM = pl.col("fec_file_num").cast(pl.Int64, strict=False)
_MARKS_SCHEMA = {RID: pl.get_index_type(), "_reason": pl.String()}


def amend_hash() -> pl.Expr:
    """`AMEND_HASH` of each row: the amendment key's hash, null when the row has no key."""
    keyed = pl.all_horizontal(pl.col("fec_tran_id", "date").is_not_null())
    return pl.when(keyed).then(pl.struct(_AMEND_KEY).hash()).alias(AMEND_HASH)


def _counted(tx: pl.LazyFrame, marked: pl.DataFrame) -> pl.LazyFrame:
    """Rows still counted: not memo as filed, not marked by an earlier rule."""
    rows = tx.filter(_COUNTED)
    return rows.join(marked.lazy(), on=RID, how="anti") if marked.height else rows


def _amended(tx: pl.LazyFrame, marked: pl.DataFrame, passes: int) -> pl.LazyFrame:
    keyed = _counted(tx, marked).filter(pl.col(AMEND_HASH).is_not_null())
    # Hashes whose rows come from different filings, one slice of the hash space at a time.
    repeated = [
        keyed.filter(pl.col(AMEND_HASH) % passes == part)
        .group_by(AMEND_HASH)
        .agg(_lo=_FILE_NUM.min(), _hi=_FILE_NUM.max())
        .filter(pl.col("_lo") < pl.col("_hi"))
        .select(AMEND_HASH)
        .collect(engine="streaming")
        for part in range(passes)
    ]
    suspects = keyed.join(pl.concat(repeated).lazy(), on=AMEND_HASH, how="semi")
    # The rule itself, on the real keys of those rows only.
    return suspects.filter(_FILE_NUM.max().over(_AMEND_KEY) > _FILE_NUM).select(RID)


def _itoth_copies(tx: pl.LazyFrame, marked: pl.DataFrame, passes: int) -> pl.LazyFrame:
    pas2 = tx.filter(pl.col("fec_kind") == "itpas2").select("transaction_id").unique()
    return (
        _counted(tx, marked)
        .filter(pl.col("fec_kind") == "itoth")
        .join(pas2, on="transaction_id", how="semi")
        .select(RID)
    )


def _notices_in_periodic(tx: pl.LazyFrame, marked: pl.DataFrame, passes: int) -> pl.LazyFrame:
    counted = _counted(tx, marked)
    periodic = counted.filter(
        pl.col("fec_kind").is_in(["itoth", "itpas2"])
        & (pl.col("kind") == "independent_expenditure")
    )
    notices = counted.filter(pl.col("fec_kind") == "ie")
    by_tran = ["fec_committee_id", "fec_tran_id"]
    by_value = ["fec_committee_id", "candidate_id", "amount_cents", "date"]
    a = notices.join(periodic.select(by_tran).drop_nulls().unique(), on=by_tran, how="semi").select(
        RID
    )
    b = notices.join(
        periodic.select(by_value).drop_nulls().unique(), on=by_value, how="semi"
    ).select(RID)
    return pl.concat([a, b])


def _giver_copies(tx: pl.LazyFrame, marked: pl.DataFrame, passes: int) -> pl.LazyFrame:
    key = ["source_id", "recipient_committee_id", "amount_cents"]
    between = (
        _counted(tx, marked)
        .filter(
            (pl.col("kind") == "contribution")
            & (pl.col("source_kind") == "committee")
            & pl.col("source_id").is_not_null()
            & pl.col("recipient_committee_id").is_not_null()
            & (pl.col("source_id") != pl.col("recipient_committee_id"))
        )
        .select(RID, *key, "date", "fec_file", "fec_line", "fec_committee_id")
        .collect(engine="streaming")
        .lazy()
    )

    def ranked(side: pl.Expr) -> pl.LazyFrame:
        return (
            between.filter(side)
            .sort([*key, "date", "fec_file", "fec_line"], nulls_last=True)
            .with_columns(_n=pl.int_range(pl.len()).over(key))
            .select(RID, *key, "_n")
        )

    givers = ranked(pl.col("fec_committee_id") == pl.col("source_id"))
    receivers = ranked(pl.col("fec_committee_id") == pl.col("recipient_committee_id"))
    return givers.join(receivers.select(*key, "_n"), on=[*key, "_n"], how="semi").select(RID)


_RULES = (
    (_amended, AMENDED),
    (_itoth_copies, SAME_RECORD_IN_ITPAS2),
    (_notices_in_periodic, ALSO_IN_PERIODIC_REPORT),
    (_giver_copies, REPORTED_BY_RECIPIENT),
)


def memo_marks(tx: pl.LazyFrame, *, passes: int = 1) -> pl.DataFrame:
    """The counted rows of `tx` that repeat other rows: `_rid` and `_reason` (see above).

    Args:
        tx: FEC transactions with the `fec_*` columns, `RID` and `AMEND_HASH`.
        passes: slices of the hash space the amendment rule groups one at a time (its memory
            is about 30 bytes per keyed row divided by `passes`).

    Each rule sees the marks of the rules before it; a row is marked once.
    """
    marked = pl.DataFrame(schema=_MARKS_SCHEMA)
    for rule, reason in _RULES:
        rids = rule(tx, marked, passes).collect(engine="streaming")
        if rids.height:
            new = rids.unique().with_columns(_reason=pl.lit(reason)).cast(_MARKS_SCHEMA)  # type: ignore[arg-type]
            marked = pl.concat([marked, new])
    return marked


def apply_marks(tx: pl.LazyFrame, marks: pl.DataFrame) -> pl.LazyFrame:
    """`tx` with the rows `marks` names made memo, each with its rule's `memo_reason`."""
    if marks.height == 0:
        return tx
    hit = pl.col("_reason").is_not_null()
    return (
        tx.join(marks.lazy(), on=RID, how="left", maintain_order="left")
        .with_columns(
            memo_reason=pl.when(hit).then(pl.col("_reason")).otherwise(pl.col("memo_reason")),
            memo=pl.col("memo") | hit,
        )
        .drop("_reason")
    )


def count_once(tx: pl.DataFrame) -> pl.DataFrame:
    """`tx` (FEC transactions with the `fec_*` columns) with repeats marked memo (see above)."""
    out = tx.with_row_index(RID).with_columns(amend_hash())
    marks = memo_marks(out.lazy())
    return apply_marks(out.lazy(), marks).drop(RID, AMEND_HASH).collect()
