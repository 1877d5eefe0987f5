"""FEC amounts and dates, parsed by the shared parser (`moneytrail.data.values`).

This module only says which of the shared rules each FEC column uses and what the FEC reader
calls a failure:

* Amounts (`TRANSACTION_AMT`, `exp_amo`) follow the ``fec`` money style; anything the shared
  parser rejects, and an empty amount, is ``bad amount``.
* Dates: `MMDDYYYY` in the itcont/itoth/itpas2 files, `MM/DD/YYYY` in oppexp; the independent-
  expenditure csv uses `DD-MON-YY` (``15-JAN-16``) and, in some years, `MM/DD/YYYY` or ISO. An
  empty date is null (the FEC leaves some undated); a date that is present but impossible
  (``02302016``, ``00000000``, ``13012016``) or outside the shared year range (``01010000``) is
  ``bad date``.
"""

from __future__ import annotations

import polars as pl

from moneytrail.data import values

BAD_AMOUNT = "bad amount"
BAD_DATE = "bad date"


def amount_ok(col: str) -> pl.Expr:
    """True where `col` is a well-formed amount (an empty one is not)."""
    return values.money_cents(pl.col(col), "fec").is_not_null()


def amount_cents(col: str) -> pl.Expr:
    """`col` as exact Int64 cents (null where not `amount_ok`)."""
    return values.money_cents(pl.col(col), "fec")


def _blank(col: str) -> pl.Expr:
    return pl.col(col).is_null() | (pl.col(col).str.strip_chars() == "")


def mmddyyyy(col: str) -> pl.Expr:
    """`MMDDYYYY` (itcont, itoth, itpas2)."""
    return values.parse_date(pl.col(col), "%m%d%Y")


def slashed_mmddyyyy(col: str) -> pl.Expr:
    """`MM/DD/YYYY` (oppexp; some IE csv years)."""
    return values.parse_date(pl.col(col), "%m/%d/%Y")


def ie_date(col: str) -> pl.Expr:
    """`DD-MON-YY` (e.g. ``15-JAN-16``), or `MM/DD/YYYY`, or ISO `YYYY-MM-DD`."""
    return values.parse_date(pl.col(col), ["%d-%b-%y", "%m/%d/%Y", "%Y-%m-%d"])


def date_ok(col: str, parsed: pl.Expr) -> pl.Expr:
    """True where `col` is blank (an undated row) or parsed to a real date."""
    return _blank(col) | parsed.is_not_null()
