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

The same holds for a lump receipt that names the conduit only by name: NAME ``ACTBLUE`` or
``WINRED`` (`CONDUIT_NAME_RE`), no OTHER_ID, and an ENTITY_TP that is not a person (``ORG``,
``PAC``, blank, ...). It is conduit money, never an organization that gave; the conduit id is
the listed conduit of that name (or the known id of ActBlue / WinRed), else null.
"""

from __future__ import annotations

import polars as pl

from moneytrail.data.fec.committees import CONDUIT_NAME_RE, KNOWN_CONDUITS

UNITEMIZED_PREFIX = "UNITEMIZED EARMARKED CONTRIBUTIONS VIA "


def _conduit_word(name: pl.Expr) -> pl.Expr:
    """The conduit name a NAME or CMTE_NM starts with, uppercased (``ACTBLUE``), or null."""
    return name.str.extract(CONDUIT_NAME_RE, 1).str.to_uppercase()


def attribute_conduit_receipts(tx: pl.LazyFrame, committees: pl.DataFrame) -> pl.LazyFrame:
    """`tx` with contributions whose source is a conduit re-sourced (see the module docstring).

    Row by row (the conduits are looked up in small tables), so it streams and keeps row order.

    Args:
        tx: FEC transactions (loaded columns and `fec_*` columns).
        committees: loaded committees with decoded `kind`.
    """
    listed = (
        committees.filter(pl.col("kind") == "conduit")
        .select(pl.col("committee_id").alias("source_id"), pl.col("name").alias("_conduit_name"))
        .unique("source_id", keep="first", maintain_order=True)
    )
    known = pl.DataFrame(
        {"source_id": list(KNOWN_CONDUITS), "_conduit_name": list(KNOWN_CONDUITS.values())}
    )
    by_word = (
        pl.concat([listed, known])
        .with_columns(_word=_conduit_word(pl.col("_conduit_name")))
        .filter(pl.col("_word").is_not_null())
        .unique("_word", keep="first", maintain_order=True)
        .select("_word", pl.col("source_id").alias("_named_conduit"))
    )
    joined = (
        tx.with_columns(_word=_conduit_word(pl.col("source_name")))
        .join(listed.lazy(), on="source_id", how="left", maintain_order="left")
        .join(by_word.lazy(), on="_word", how="left", maintain_order="left")
    )
    receipt = (pl.col("kind") == "contribution") & (
        pl.col("fec_committee_id") == pl.col("recipient_committee_id")
    )
    by_id = pl.col("_conduit_name").is_not_null() & (pl.col("source_kind") == "committee")
    by_name = (
        pl.col("_word").is_not_null()
        & pl.col("source_id").is_null()
        & pl.col("fec_other_id").is_null()
        & ~pl.col("fec_entity_type").is_in(["IND", "CAN"]).fill_null(False)
    )
    hit = receipt & (by_id | by_name)
    conduit = pl.when(by_id).then(pl.col("source_id")).otherwise(pl.col("_named_conduit"))
    conduit_name = pl.when(by_id).then(pl.col("_conduit_name")).otherwise(pl.col("source_name"))
    return joined.with_columns(
        conduit_committee_id=pl.when(hit).then(conduit).otherwise(pl.col("conduit_committee_id")),
        source_name=pl.when(hit)
        .then(pl.lit(UNITEMIZED_PREFIX) + conduit_name)
        .otherwise(pl.col("source_name")),
        source_kind=pl.when(hit).then(pl.lit("individual")).otherwise(pl.col("source_kind")),
        source_id=pl.when(hit).then(None).otherwise(pl.col("source_id")),
    ).drop("_conduit_name", "_word", "_named_conduit")
