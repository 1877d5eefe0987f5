"""Mapping FEC transaction files (itcont, itoth, itpas2, oppexp) to loaded transactions.

Input: a `BulkRead` (string fields). Output: the loaded transaction columns that the file
determines, plus the `fec_*` provenance columns (see `EXTRA_COLUMNS`), and rejects for rows
whose amount or date cannot be parsed. Deduplication across rows (amendments, the same transfer
reported by both committees, itpas2 copies of itoth rows) happens later, in
`moneytrail.data.fec.duplicates`, because it needs every file at once.

The meaning of each FEC transaction type (TRANSACTION_TP) is decided here; docs/fec.md is the
prose version of these tables:

* receipts (types starting with ``1``, except ``17R``, ``15I``, ``15T``; and the national party
  accounts' ``30``/``31``/``32`` with their variants, `PARTY_ACCOUNT_RECEIPTS`): the filer
  (CMTE_ID) received money from NAME; ``recipient_committee_id`` = CMTE_ID. When OTHER_ID is a
  committee id the source is that committee (``source_id`` = OTHER_ID) whatever ENTITY_TP says;
  otherwise `source_kind` follows ENTITY_TP (IND/CAN individual, ORG organization,
  PAC/COM/CCM/PTY committee). On earmarked receipts (``15E``, ``30E``-``32E``) OTHER_ID is the
  conduit, kept in ``conduit_committee_id``, never the source.
* refunds the filer paid back (`REFUNDS_PAID`: ``20Y``, ``21Y``, ``22Y``, ``22Z``, ``22R``,
  ``23Y``, ``40``-``42`` ``T``/``Y``/``Z``; positive in the file): the same shape as a receipt
  with the amount negated, so they subtract from the filer's receipts and from the donor's giving.
* refunds the filer got back (``17R``): a negative contribution from the filer to OTHER_ID.
* contributions and transfers made (``24K``, ``24G``, ``24Z``): from the filer
  (``source_kind`` committee, ``source_id`` = CMTE_ID) to OTHER_ID.
* a conduit's copies of an earmarked gift, received (``15I``, ``15T``: intermediary in) or
  passed on (``24T``, ``24I``): the donor's (NAME's) gift to OTHER_ID with the filer as
  ``conduit_committee_id``; always ``memo`` (``memo_reason`` = ``earmark_forwarded``): the
  recipient's ``15E`` row is the one that counts.
* independent expenditures (``24E`` support, ``24A`` oppose): from the filer, for or against
  CAND_ID (itpas2) or OTHER_ID (itoth); the payee is in ``description``.
* coordinated party expenditures and communication costs (``24C``, ``24F`` support; ``24N``
  oppose): ``expenditure`` rows with the candidate and side set.
* everything else (other ``2x`` types, the party accounts' ``40``/``41``/``42``, all of oppexp):
  ``expenditure`` from the filer.

``memo`` is MEMO_CD = ``X`` (``memo_reason`` = ``memo_code``), an earmark copy at the conduit, a
row naming the filer itself as OTHER_ID (a move between its own accounts: ``own_account_transfer``)
or a joint-fundraising memo code (``joint_fundraising_memo`` when MEMO_CD is blank).
"""

from __future__ import annotations

from dataclasses import replace

import polars as pl

from moneytrail.data.fec.bulk import BulkRead
from moneytrail.data.fec.values import (
    BAD_AMOUNT,
    BAD_DATE,
    amount_cents,
    date_ok,
    mmddyyyy,
    slashed_mmddyyyy,
)
from moneytrail.data.validate import Check, split_rejects

#: Refunds the filer paid back to a giver (positive in the file): 20Y nonfederal, 21Y Native
#: American tribe, 22R/22Y/22Z, 23Y inaugural, and the national party accounts' refunds
#: 40T/40Y/40Z (convention), 41T/41Y/41Z (headquarters), 42T/42Y/42Z (recount).
REFUNDS_PAID: tuple[str, ...] = (
    "20Y",
    "21Y",
    "22Y",
    "22Z",
    "22R",
    "23Y",
    *(f"{account}{suffix}" for account in ("40", "41", "42") for suffix in ("T", "Y", "Z")),
)
#: Receipts of the national party separate accounts (30 convention, 31 headquarters, 32
#: recount) and their variants: E earmarked, F/J joint-fundraising memos, G transfer in from an
#: affiliated committee, K from a registered filer, T from a Native American tribe.
PARTY_ACCOUNT_RECEIPTS: tuple[str, ...] = tuple(
    f"{account}{suffix}"
    for account in ("30", "31", "32")
    for suffix in ("", "E", "F", "G", "J", "K", "T")
)
REFUNDS_RECEIVED: tuple[str, ...] = ("17R",)
CONTRIBUTIONS_MADE: tuple[str, ...] = ("24K", "24G", "24Z")
#: A conduit's copies of an earmarked gift: received (15I/15T, intermediary in) and passed on
#: (24T/24I). The recipient's 15E is the same money; OTHER_ID names the recipient.
EARMARKS_FORWARDED: tuple[str, ...] = ("24T", "24I", "15I", "15T")
#: Earmarked receipts: OTHER_ID is the conduit, never the source.
EARMARKED_RECEIPTS: tuple[str, ...] = ("15E", "30E", "31E", "32E")
INDEPENDENT_EXPENDITURES: dict[str, str] = {"24E": "S", "24A": "O"}
CANDIDATE_SPENDING: dict[str, str] = {"24C": "S", "24F": "S", "24N": "O"}
COMMITTEE_ENTITIES: tuple[str, ...] = ("PAC", "COM", "CCM", "PTY")
INDIVIDUAL_ENTITIES: tuple[str, ...] = ("IND", "CAN")

#: memo_reason values (why a row is memo; null for counted rows).
MEMO_CODE = "memo_code"
EARMARK_FORWARDED = "earmark_forwarded"
OWN_ACCOUNT_TRANSFER = "own_account_transfer"
JOINT_FUNDRAISING_MEMO = "joint_fundraising_memo"

#: Joint-fundraising memos: a participant's share of a JFC transfer, per original giver. The
#: transfer itself carries the money; these name who gave it and never add to totals, even
#: when a filer left MEMO_CD blank.
JOINT_FUNDRAISING_MEMOS: tuple[str, ...] = (
    "10J",
    "11J",
    "15J",
    "18J",
    "19J",
    "30F",
    "30J",
    "31F",
    "31J",
    "32F",
    "32J",
)


#: Provenance columns every FEC transaction row carries after the loaded columns.
EXTRA_COLUMNS: dict[str, pl.DataType] = {
    "cycle": pl.Int32(),
    "memo_reason": pl.String(),
    "fec_file": pl.String(),
    "fec_line": pl.Int64(),
    "fec_kind": pl.String(),
    "fec_committee_id": pl.String(),  # the filer (CMTE_ID / spe_id)
    "fec_transaction_type": pl.String(),
    "fec_entity_type": pl.String(),
    "fec_amendment": pl.String(),
    "fec_report_type": pl.String(),
    "fec_election": pl.String(),
    "fec_image_num": pl.String(),
    "fec_file_num": pl.String(),
    "fec_tran_id": pl.String(),
    "fec_other_id": pl.String(),
    "fec_name": pl.String(),
    "fec_memo_code": pl.String(),
    "fec_amount_cents": pl.Int64(),  # the amount exactly as the file states it
}


def value_rejects(
    read: BulkRead, checks: list[tuple[str, pl.Expr, str]]
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Split `read.rows` into (rows passing every check, rejects of the first failed check).

    Args:
        read: the bulk read.
        checks: (column, ok-expression, reason), tried in order.
    """
    return split_rejects(
        read.rows,
        [Check(~ok, column, reason) for column, ok, reason in checks],
        file=read.file.label,
        line="line",
        raw="raw",
    )


def _parsed_value_rejects(read: BulkRead, date: pl.Expr) -> tuple[pl.DataFrame, pl.DataFrame]:
    """`value_rejects` for TRANSACTION_AMT and TRANSACTION_DT, each parsed once.

    The amount (`_amount`, Int64 cents) and the date (`_date`, by `date`) are parsed before the
    checks, which then test the parsed values: `amount_cents` is null exactly where `amount_ok`
    fails, and `date_ok` takes the parsed date. The good rows keep `_amount` and `_date`.
    """
    parsed = replace(
        read,
        rows=read.rows.with_columns(_amount=amount_cents("TRANSACTION_AMT"), _date=date),
    )
    return value_rejects(
        parsed,
        [
            ("TRANSACTION_AMT", pl.col("_amount").is_not_null(), BAD_AMOUNT),
            ("TRANSACTION_DT", date_ok("TRANSACTION_DT", pl.col("_date")), BAD_DATE),
        ],
    )


def _provenance(read: BulkRead, kind: str) -> list[pl.Expr]:
    f = pl.col
    return [
        pl.lit(read.file.cycle, dtype=pl.Int32).alias("cycle"),
        pl.lit(read.file.label).alias("fec_file"),
        f("line").alias("fec_line"),
        pl.lit(kind).alias("fec_kind"),
        f("CMTE_ID").alias("fec_committee_id"),
        f("AMNDT_IND").alias("fec_amendment"),
        f("RPT_TP").alias("fec_report_type"),
        f("TRANSACTION_PGI").alias("fec_election"),
        f("IMAGE_NUM").alias("fec_image_num"),
        f("FILE_NUM").alias("fec_file_num"),
        f("TRAN_ID").alias("fec_tran_id"),
        f("NAME").alias("fec_name"),
        f("MEMO_CD").alias("fec_memo_code"),
    ]


def _join_text(*parts: pl.Expr) -> pl.Expr:
    """Non-null parts joined with " - " (null when all are null)."""
    joined = pl.concat_str([p for p in parts], separator=" - ", ignore_nulls=True)
    return pl.when(joined == "").then(None).otherwise(joined)


def map_itemized(read: BulkRead) -> tuple[pl.DataFrame, pl.DataFrame]:
    """itcont / itoth / itpas2 rows as transactions (see the module docstring), and rejects."""
    good, rejects = _parsed_value_rejects(read, mmddyyyy("TRANSACTION_DT"))
    f = pl.col
    tp = f("_tp")
    other = f("OTHER_ID")
    cand = f("CAND_ID") if "CAND_ID" in good.columns else pl.lit(None, dtype=pl.String)
    is_refund_paid = tp.is_in(REFUNDS_PAID)
    is_refund_received = tp.is_in(REFUNDS_RECEIVED)
    is_earmark_out = tp.is_in(EARMARKS_FORWARDED)
    is_ie = tp.is_in(list(INDEPENDENT_EXPENDITURES))
    is_cand_spend = tp.is_in(list(CANDIDATE_SPENDING))
    is_receipt = (
        (tp.str.starts_with("1") & ~is_refund_received & ~is_earmark_out)
        | tp.is_in(PARTY_ACCOUNT_RECEIPTS)
        | is_refund_paid
    )
    is_given = tp.is_in(CONTRIBUTIONS_MADE) | is_refund_received
    # The named party is the source: receipts, refunds paid back to them, forwarded earmarks.
    named_source = is_receipt | is_earmark_out
    entity = f("ENTITY_TP")
    other_is_committee = other.str.starts_with("C").fill_null(False)
    other_is_candidate = other.str.contains(r"^[HSP]").fill_null(False)
    # OTHER_ID names the giver on a receipt, except on earmarks (there it is the conduit) and
    # on a conduit's own copies; a registered committee there makes it committee money
    # whatever ENTITY_TP says (the giver's copy then pairs with it in `duplicates`).
    earmark_copy = tp.is_in(EARMARKED_RECEIPTS) | is_earmark_out
    other_is_giver = other_is_committee & ~earmark_copy
    named_kind = (
        pl.when(other_is_giver)
        .then(pl.lit("committee"))
        .when(entity.is_in(INDIVIDUAL_ENTITIES))
        .then(pl.lit("individual"))
        .when(entity == "ORG")
        .then(pl.lit("organization"))
        .when(entity.is_in(COMMITTEE_ENTITIES))
        .then(pl.lit("committee"))
        .otherwise(pl.lit("individual"))
    )
    kind = (
        pl.when(is_ie)
        .then(pl.lit("independent_expenditure"))
        .when(is_receipt | is_given | is_earmark_out)
        .then(pl.lit("contribution"))
        .otherwise(pl.lit("expenditure"))
    )
    amount = f("_amount")
    source_kind = pl.when(named_source).then(named_kind).otherwise(pl.lit("committee"))
    source_id = (
        pl.when(named_source)
        .then(pl.when(other_is_giver).then(other).otherwise(None))
        .otherwise(f("CMTE_ID"))
    )
    person = [
        pl.when(named_source).then(f(c)).otherwise(None).alias(alias)
        for c, alias in (
            ("NAME", "source_name"),
            ("CITY", "source_city"),
            ("STATE", "source_state"),
            ("ZIP_CODE", "source_zip"),
            ("EMPLOYER", "source_employer"),
            ("OCCUPATION", "source_occupation"),
        )
    ]
    recipient = (
        pl.when(is_receipt)
        .then(f("CMTE_ID"))
        .when((is_given | is_earmark_out) & other_is_committee)
        .then(other)
        .otherwise(None)
    )
    candidate = pl.coalesce(
        cand, pl.when(~named_source & other_is_candidate).then(other).otherwise(None)
    )
    side = (
        pl.when(is_ie)
        .then(tp.replace_strict(INDEPENDENT_EXPENDITURES, default=None))
        .when(is_cand_spend)
        .then(tp.replace_strict(CANDIDATE_SPENDING, default=None))
        .otherwise(None)
    )
    memo_code = (f("MEMO_CD").str.to_uppercase() == "X").fill_null(False)
    # A committee's transfer between its own accounts (a national party moving money into its
    # headquarters account) is neither a receipt nor spending: OTHER_ID is the filer itself.
    own_account = (other == f("CMTE_ID")).fill_null(False) & ~earmark_copy
    jf_memo = tp.is_in(JOINT_FUNDRAISING_MEMOS)
    memo = memo_code | is_earmark_out | own_account | jf_memo
    memo_reason = (
        pl.when(is_earmark_out)
        .then(pl.lit(EARMARK_FORWARDED))
        .when(memo_code)
        .then(pl.lit(MEMO_CODE))
        .when(own_account)
        .then(pl.lit(OWN_ACCOUNT_TRANSFER))
        .when(jf_memo)
        .then(pl.lit(JOINT_FUNDRAISING_MEMO))
        .otherwise(None)
    )
    description = (
        pl.when(named_source).then(f("MEMO_TEXT")).otherwise(_join_text(f("NAME"), f("MEMO_TEXT")))
    )
    conduit = (
        pl.when(tp.is_in(EARMARKED_RECEIPTS))
        .then(pl.when(other_is_committee).then(other).otherwise(None))
        .when(is_earmark_out)
        .then(f("CMTE_ID"))
        .otherwise(None)
    )
    out = good.with_columns(
        _tp=f("TRANSACTION_TP").str.strip_chars().str.to_uppercase(),
    ).select(
        f("SUB_ID").alias("transaction_id"),
        f("_date").alias("date"),
        pl.when(is_refund_paid | is_refund_received)
        .then(-amount)
        .otherwise(amount)
        .alias("amount_cents"),
        kind.alias("kind"),
        source_kind.alias("source_kind"),
        source_id.alias("source_id"),
        *person,
        recipient.alias("recipient_committee_id"),
        candidate.alias("candidate_id"),
        side.alias("support_oppose"),
        memo.alias("memo"),
        description.alias("description"),
        conduit.alias("conduit_committee_id"),
        *_provenance(read, read.file.kind),
        memo_reason.alias("memo_reason"),
        tp.alias("fec_transaction_type"),
        entity.alias("fec_entity_type"),
        other.alias("fec_other_id"),
        amount.alias("fec_amount_cents"),
    )
    return out, rejects


def map_oppexp(read: BulkRead) -> tuple[pl.DataFrame, pl.DataFrame]:
    """oppexp rows as `expenditure` transactions paid by the filer, and rejects."""
    good, rejects = _parsed_value_rejects(read, slashed_mmddyyyy("TRANSACTION_DT"))
    f = pl.col
    memo_code = (f("MEMO_CD").str.to_uppercase() == "X").fill_null(False)
    out = good.select(
        f("SUB_ID").alias("transaction_id"),
        f("_date").alias("date"),
        f("_amount").alias("amount_cents"),
        pl.lit("expenditure").alias("kind"),
        pl.lit("committee").alias("source_kind"),
        f("CMTE_ID").alias("source_id"),
        memo_code.alias("memo"),
        _join_text(f("NAME"), f("PURPOSE"), f("MEMO_TEXT")).alias("description"),
        *_provenance(read, "oppexp"),
        pl.when(memo_code).then(pl.lit(MEMO_CODE)).otherwise(None).alias("memo_reason"),
        pl.lit(None, dtype=pl.String).alias("fec_transaction_type"),
        f("ENTITY_TP").alias("fec_entity_type"),
        pl.lit(None, dtype=pl.String).alias("fec_other_id"),
        f("_amount").alias("fec_amount_cents"),
    )
    return out, rejects
