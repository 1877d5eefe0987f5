"""The one money and date parser every source uses, as native Polars expressions.

Every reader (moneytrail tables, FEC bulk files, IRS and state exports, CSV by mapping) turns
its amount and date text into loaded values here, so "what is a valid amount" and "what is a
valid date" have one answer (documented in docs/sources.md):

**Money** (`money_problem`, `money_cents`). Surrounding spaces are ignored, then by `style`:

* ``plain``: an optional sign (``-`` or ``+``), ASCII digits, an optional ``.`` and decimals
  (``250``, ``-35``, ``+7.5``, ``1234.5``, ``.75``, ``3.``). At most 16 digits before the point;
  decimals beyond the cents must be zeros (``10.500`` is exactly $10.50, ``1.005`` is rejected,
  never rounded). Other Unicode digits (``１００``) are rejected.
* ``fec``: what the FEC writes, read more strictly because anything else there means a damaged
  field: ``plain`` without ``+`` and without zeros after the cents, at most 15 digits.
* ``us``: what spreadsheets and state exports write: ``plain``, or with a ``$`` after the sign
  and ``,`` between groups of three digits (``$1,000.00``, ``-$25``), or negative in
  parentheses (``($25.00)``). It is rewritten to ``plain`` and checked by the same rule.

The result is exact Int64 cents from integer arithmetic (never a float). A problem is one of
`NOT_MONEY` or `TOO_MANY_DECIMALS`; a blank value is no problem here (it is null: whether a
value is required is the caller's rule).

**Dates** (`parse_date`, `date_problem`). A strptime-style format; each field must have its
exact width (``%Y`` four digits, ``%m``/``%d`` two, ``%y`` two, ``%b`` a month abbreviation),
except ``%-m``/``%-d`` which take one or two digits (``1/5/2016``). A value that does not have
the format's shape is `NOT_A_DATE`; one that has it but names no day (``2016-02-30``, month 13)
is `NO_SUCH_DATE`; a year outside `MIN_YEAR`-`MAX_YEAR` is `YEAR_OUT_OF_RANGE` (usually a typo
such as ``0016``; year 0 would also break every view that converts the date to Python). A
blank date is null and no problem.

Pure: Polars and the standard library only.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Final, Literal

import polars as pl

MoneyStyle = Literal["plain", "fec", "us"]
MONEY_STYLES: Final[tuple[str, ...]] = ("plain", "fec", "us")

NOT_MONEY: Final = "not a decimal dollar amount"
TOO_MANY_DECIMALS: Final = "more than 2 decimal places"
NO_SUCH_DATE: Final = "no such date"

#: Dates outside these years are rejected as implausible.
MIN_YEAR: Final = 1900
MAX_YEAR: Final = 2100
YEAR_OUT_OF_RANGE: Final = f"year outside {MIN_YEAR}-{MAX_YEAR}"

_MONEY_RE: Final = r"^[+-]?(?:[0-9]{1,16}(?:\.[0-9]*)?|\.[0-9]+)$"
_MONEY_2DP_RE: Final = r"^[+-]?(?:[0-9]{1,16}(?:\.[0-9]{0,2})?|\.[0-9]{1,2})$"
# `us` style: sign, optional `$`, digits with or without thousands commas, decimals.
_US_RE: Final = r"^([+-]?)\$?((?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]*)(?:\.[0-9]*)?)$"
_US_PAREN_RE: Final = r"^\(\$?((?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]*)(?:\.[0-9]*)?)\)$"


def _blank_to_null(text: pl.Expr) -> pl.Expr:
    stripped = text.str.strip_chars()
    return pl.when(stripped != "").then(stripped)


def _plain(text: pl.Expr, style: MoneyStyle) -> pl.Expr:
    """`text` stripped (null when blank) and, for `us` style, rewritten to `plain`."""
    s = _blank_to_null(text)
    if style in ("plain", "fec"):
        return s
    if style != "us":
        raise ValueError(f"unknown money style {style!r} (one of {', '.join(MONEY_STYLES)})")
    # Only a value in the style's shape loses its `$` and group commas; anything else (``1,00``,
    # a decimal comma) is left as it is, for the plain rule to reject.
    signed = s.str.replace(_US_RE, "${1}${2}").str.replace_all(",", "", literal=True)
    parens = s.str.replace(_US_PAREN_RE, "-${1}").str.replace_all(",", "", literal=True)
    return (
        pl.when(s.str.contains(_US_PAREN_RE))
        .then(parens)
        .when(s.str.contains(_US_RE))
        .then(signed)
        .otherwise(s)
    )


_FEC_RE: Final = r"^-?(?:[0-9]{1,15}(?:\.[0-9]{0,2})?|\.[0-9]{1,2})$"


def _patterns(style: MoneyStyle) -> tuple[str, str]:
    """(any-decimals shape, at-most-cents shape) of `style`."""
    return (_FEC_RE, _FEC_RE) if style == "fec" else (_MONEY_RE, _MONEY_2DP_RE)


def _trimmed(plain: pl.Expr, style: MoneyStyle) -> pl.Expr:
    """Zeros after the cents dropped (``10.500`` -> ``10.50``); anything else unchanged."""
    if style == "fec":
        return plain
    return plain.str.replace(r"^([^.]*\.[0-9]{2})0+$", "${1}")


def money_problem(text: pl.Expr, style: MoneyStyle = "plain") -> pl.Expr:
    """The reason `text` is not a valid amount (`NOT_MONEY`, `TOO_MANY_DECIMALS`), else null.

    Null for a blank or null value.
    """
    plain = _plain(text, style)
    trimmed = _trimmed(plain, style)
    shape, cents_shape = _patterns(style)
    return (
        pl.when(plain.is_null())
        .then(pl.lit(None, dtype=pl.String()))
        .when(~plain.str.contains(shape))
        .then(pl.lit(NOT_MONEY))
        .when(~trimmed.str.contains(cents_shape))
        .then(pl.lit(TOO_MANY_DECIMALS))
    )


def money_cents(text: pl.Expr, style: MoneyStyle = "plain") -> pl.Expr:
    """`text` as exact Int64 cents; null where blank or where `money_problem` is not null."""
    plain = _plain(text, style)
    trimmed = _trimmed(plain, style)
    shape, cents_shape = _patterns(style)
    negative = trimmed.str.starts_with("-")
    body = trimmed.str.strip_chars_start("+-")
    whole = body.str.extract(r"^([0-9]*)", 1).str.replace(r"^$", "0")
    frac = body.str.extract(r"\.([0-9]*)$", 1).fill_null("").str.pad_end(2, "0")
    cents = whole.cast(pl.Int64, strict=False) * 100 + frac.cast(pl.Int64, strict=False)
    value = pl.when(negative).then(-cents).otherwise(cents)
    ok = trimmed.str.contains(cents_shape) & plain.str.contains(shape)
    return pl.when(ok).then(value).cast(pl.Int64)


# --- dates ----------------------------------------------------------------------------------

_FIELD_SHAPES: Final = {
    "%Y": "[0-9]{4}",
    "%y": "[0-9]{2}",
    "%m": "[0-9]{2}",
    "%d": "[0-9]{2}",
    "%-m": "[0-9]{1,2}",
    "%-d": "[0-9]{1,2}",
    "%b": "[A-Za-z]{3}",
}
_TOKEN_RE: Final = re.compile(r"%-?[A-Za-z]")


def date_shape(fmt: str) -> str:
    """The regex a value written in strptime format `fmt` must match (whole value)."""
    out: list[str] = []
    pos = 0
    for m in _TOKEN_RE.finditer(fmt):
        out.append(re.escape(fmt[pos : m.start()]))
        shape = _FIELD_SHAPES.get(m.group(0))
        if shape is None:
            raise ValueError(f"unsupported date field {m.group(0)!r} in {fmt!r}")
        out.append(shape)
        pos = m.end()
    out.append(re.escape(fmt[pos:]))
    return "^" + "".join(out) + "$"


def _chrono(fmt: str) -> str:
    # Polars' parser takes one- or two-digit months and days for %m/%d; the shape regex above
    # is what enforces the width.
    return fmt.replace("%-m", "%m").replace("%-d", "%d")


def _one_format(text: pl.Expr, fmt: str) -> tuple[pl.Expr, pl.Expr]:
    """(parsed date or null, shape matches) for one format; `%b` is case-insensitive."""
    value = text.str.to_titlecase() if "%b" in fmt else text
    shaped = value.str.contains(date_shape(fmt))
    parsed = value.str.strptime(pl.Date, _chrono(fmt), strict=False)
    return pl.when(shaped).then(parsed), shaped


def _formats(fmt: str | Sequence[str]) -> list[str]:
    return [fmt] if isinstance(fmt, str) else list(fmt)


def parse_date(text: pl.Expr, fmt: str | Sequence[str]) -> pl.Expr:
    """`text` as a `Date` by the first of `fmt` it fits; null where blank or invalid."""
    value = _blank_to_null(text)
    parsed = pl.coalesce([_one_format(value, f)[0] for f in _formats(fmt)])
    year = parsed.dt.year()
    return pl.when((year >= MIN_YEAR) & (year <= MAX_YEAR)).then(parsed)


def date_problem(text: pl.Expr, fmt: str | Sequence[str]) -> pl.Expr:
    """Why `text` is not a date in `fmt` (`not_a_date_reason`, `NO_SUCH_DATE`,
    `YEAR_OUT_OF_RANGE`), else null. Null for a blank or null value."""
    value = _blank_to_null(text)
    results = [_one_format(value, f) for f in _formats(fmt)]
    parsed = pl.coalesce([p for p, _ in results])
    shaped = pl.any_horizontal([s for _, s in results])
    year = parsed.dt.year()
    return (
        pl.when(value.is_null())
        .then(pl.lit(None, dtype=pl.String()))
        .when(~shaped)
        .then(pl.lit(not_a_date_reason(fmt)))
        .when(parsed.is_null())
        .then(pl.lit(NO_SUCH_DATE))
        .when((year < MIN_YEAR) | (year > MAX_YEAR))
        .then(pl.lit(YEAR_OUT_OF_RANGE))
    )


_HUMAN: Final = {"%Y": "YYYY", "%y": "YY", "%m": "MM", "%d": "DD", "%-m": "M", "%-d": "D"}


def not_a_date_reason(fmt: str | Sequence[str]) -> str:
    """``not a date (expected YYYY-MM-DD)`` for `fmt` ``%Y-%m-%d`` (formats joined by ``or``)."""
    shown = [_TOKEN_RE.sub(lambda m: _HUMAN.get(m.group(0), "MON"), f) for f in _formats(fmt)]
    return f"not a date (expected {' or '.join(shown)})"
