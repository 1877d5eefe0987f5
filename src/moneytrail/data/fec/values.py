"""Parsing FEC amounts and dates into exact cents and `Date`s, as native Polars expressions.

* Amounts (`TRANSACTION_AMT`, `exp_amo`): an optional ``-``, ASCII digits, and at most two
  decimals (``250``, ``-35``, ``1234.5``, ``.75``); surrounding spaces are ignored. The result
  is Int64 cents, never a float. Anything else, including an empty amount, is ``bad amount``;
  so are other Unicode digits (``１００``, ``١٠٠``), which a Unicode-aware digit class would
  accept but the integer cast would not, loading a row without its amount. Dates likewise take
  ASCII digits only.
* Dates: `MMDDYYYY` in the itcont/itoth/itpas2 files, `MM/DD/YYYY` in oppexp; the independent-
  expenditure csv uses `DD-MON-YY` (``15-JAN-16``) and, in some years, `MM/DD/YYYY`. An empty date
  is null (the FEC leaves some undated); a date that is present but impossible (``02302016``,
  ``00000000``, ``13012016``, or in year 0: ``01010000``) is ``bad date``. Year 0 parses in
  Polars but not as a Python `date`, so loading it would break every view that shows the row.
"""

from __future__ import annotations

import polars as pl

BAD_AMOUNT = "bad amount"
BAD_DATE = "bad date"

_AMOUNT_RE = r"^-?([0-9]{1,15}(\.[0-9]{0,2})?|\.[0-9]{1,2})$"


def amount_ok(col: str) -> pl.Expr:
    """True where `col` is a well-formed amount."""
    return pl.col(col).str.strip_chars().str.contains(_AMOUNT_RE).fill_null(False)


def amount_cents(col: str) -> pl.Expr:
    """`col` as exact Int64 cents (null where not `amount_ok`)."""
    text = pl.col(col).str.strip_chars()
    negative = text.str.starts_with("-")
    body = text.str.strip_prefix("-")
    whole = body.str.extract(r"^([0-9]*)", 1).str.replace(r"^$", "0")
    frac = body.str.extract(r"\.([0-9]*)$", 1).fill_null("").str.pad_end(2, "0")
    cents = whole.cast(pl.Int64, strict=False) * 100 + frac.cast(pl.Int64, strict=False)
    value = pl.when(negative).then(-cents).otherwise(cents)
    return pl.when(amount_ok(col)).then(value).otherwise(None).cast(pl.Int64)


def _blank(col: str) -> pl.Expr:
    return pl.col(col).is_null() | (pl.col(col).str.strip_chars() == "")


def parse_date(col: str, fmt: str, pattern: str) -> pl.Expr:
    """`col` parsed with strptime `fmt` where it matches regex `pattern` (else null)."""
    text = pl.col(col).str.strip_chars()
    parsed = text.str.strptime(pl.Date, fmt, strict=False)
    return (
        pl.when(text.str.contains(pattern) & (parsed.dt.year() >= 1)).then(parsed).otherwise(None)
    )


def mmddyyyy(col: str) -> pl.Expr:
    """`MMDDYYYY` (itcont, itoth, itpas2)."""
    return parse_date(col, "%m%d%Y", r"^[0-9]{8}$")


def slashed_mmddyyyy(col: str) -> pl.Expr:
    """`MM/DD/YYYY` (oppexp; some IE csv years)."""
    return parse_date(col, "%m/%d/%Y", r"^[0-9]{2}/[0-9]{2}/[0-9]{4}$")


def ie_date(col: str) -> pl.Expr:
    """`DD-MON-YY` (e.g. ``15-JAN-16``), or `MM/DD/YYYY`, or ISO `YYYY-MM-DD`."""
    text = pl.col(col).str.strip_chars().str.to_titlecase()
    dmy = (
        pl.when(text.str.contains(r"^[0-9]{2}-[A-Za-z]{3}-[0-9]{2}$"))
        .then(text.str.strptime(pl.Date, "%d-%b-%y", strict=False))
        .otherwise(None)
    )
    iso = parse_date(col, "%Y-%m-%d", r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
    return pl.coalesce(dmy, slashed_mmddyyyy(col), iso)


def date_ok(col: str, parsed: pl.Expr) -> pl.Expr:
    """True where `col` is blank (an undated row) or parsed to a real date."""
    return _blank(col) | parsed.is_not_null()
