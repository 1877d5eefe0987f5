"""Earmarks: money given through a conduit (ActBlue, WinRed, ...) counts as the donor's gift.

An earmarked gift shows up twice in the bulk files: at the recipient as ``15E`` (NAME = the
donor, OTHER_ID = the conduit) and at the conduit as ``24T``/``24I`` (NAME = the donor, OTHER_ID
= the recipient). `moneytrail.data.fec.transactions` counts the recipient's ``15E`` row with the
conduit in ``conduit_committee_id`` and keeps the conduit's rows as memo (``earmark_forwarded``).

One case remains, handled here once the conduits are known: a recipient that reports what a
conduit forwarded as a lump receipt *from the conduit* (``18K`` with OTHER_ID = the conduit)
instead of per donor. The money is real and counted once, but its donors are not itemized, and
the conduit must never look like a donor of money it only forwarded. Such rows keep their amount
and recipient; their source becomes ``UNITEMIZED EARMARKED CONTRIBUTIONS VIA <conduit name>``
(`source_kind` individual, no `source_id`) with the conduit as ``conduit_committee_id`` and
``memo_reason`` null (they count).
"""

from __future__ import annotations

import polars as pl

UNITEMIZED_PREFIX = "UNITEMIZED EARMARKED CONTRIBUTIONS VIA "


def attribute_conduit_receipts(tx: pl.DataFrame, committees: pl.DataFrame) -> pl.DataFrame:
    """`tx` with contributions whose source is a conduit re-sourced (see the module docstring).

    Args:
        tx: FEC transactions (loaded columns and `fec_*` columns).
        committees: loaded committees with decoded `kind`.
    """
    conduits = committees.filter(pl.col("kind") == "conduit").select(
        pl.col("committee_id").alias("source_id"), pl.col("name").alias("_conduit_name")
    )
    if conduits.height == 0:
        return tx
    joined = tx.join(conduits, on="source_id", how="left", maintain_order="left")
    hit = (
        pl.col("_conduit_name").is_not_null()
        & (pl.col("kind") == "contribution")
        & (pl.col("source_kind") == "committee")
        & (pl.col("fec_committee_id") == pl.col("recipient_committee_id"))
    )
    return joined.with_columns(
        conduit_committee_id=pl.when(hit)
        .then(pl.col("source_id"))
        .otherwise(pl.col("conduit_committee_id")),
        source_name=pl.when(hit)
        .then(pl.lit(UNITEMIZED_PREFIX) + pl.col("_conduit_name"))
        .otherwise(pl.col("source_name")),
        source_kind=pl.when(hit).then(pl.lit("individual")).otherwise(pl.col("source_kind")),
        source_id=pl.when(hit).then(None).otherwise(pl.col("source_id")),
    ).drop("_conduit_name")
