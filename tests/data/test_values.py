"""The one money and date parser (`moneytrail.data.values`) every source uses."""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest

from moneytrail.data import values


def _money(texts: list[str | None], style: values.MoneyStyle) -> list[tuple[object, object]]:
    frame = pl.DataFrame({"t": texts}, schema={"t": pl.String})
    out = frame.select(
        values.money_cents(pl.col("t"), style).alias("c"),
        values.money_problem(pl.col("t"), style).alias("p"),
    )
    return list(zip(out["c"].to_list(), out["p"].to_list(), strict=True))


NOT, DEC = values.NOT_MONEY, values.TOO_MANY_DECIMALS


@pytest.mark.parametrize(
    ("style", "text", "cents", "problem"),
    [
        ("plain", "250", 25_000, None),
        ("plain", " -35 ", -3_500, None),
        ("plain", "+7.5", 750, None),
        ("plain", ".75", 75, None),
        ("plain", "3.", 300, None),
        ("plain", "10.500", 1_050, None),  # zeros after the cents: exact, nothing rounded
        ("plain", "1.005", None, DEC),
        ("plain", "9999999999999999.99", 999_999_999_999_999_999, None),  # 16 digits
        ("plain", "12345678901234567", None, NOT),  # 17 digits
        ("plain", "$5", None, NOT),
        ("plain", "12,50", None, NOT),
        ("plain", "1e3", None, NOT),
        ("plain", "\uff11\uff10\uff10", None, NOT),  # fullwidth digits are not ASCII
        ("plain", "", None, None),  # blank: null, and the column's rule decides
        ("plain", None, None, None),
        ("fec", "-35", -3_500, None),
        ("fec", "+5", None, NOT),  # the FEC writes no plus sign
        ("fec", "10.500", None, NOT),
        ("fec", "1234567890123456", None, NOT),  # 16 digits: the FEC has 15 at most
        ("us", "$1,000.00", 100_000, None),
        ("us", "-$25", -2_500, None),
        ("us", "($25.50)", -2_550, None),
        ("us", "1,000", 100_000, None),
        ("us", "1,00", None, NOT),  # a comma not between groups of three
        ("us", "$1,000.005", None, DEC),
    ],
)
def test_money(
    style: values.MoneyStyle, text: str | None, cents: int | None, problem: str | None
) -> None:
    assert _money([text], style) == [(cents, problem)]


@pytest.mark.parametrize(
    ("fmt", "text", "parsed", "problem"),
    [
        ("%Y-%m-%d", "2016-01-15", date(2016, 1, 15), None),
        ("%Y-%m-%d", "2016-1-15", None, "not a date (expected YYYY-MM-DD)"),
        ("%Y-%m-%d", "2016-02-30", None, values.NO_SUCH_DATE),
        ("%Y-%m-%d", "0016-01-15", None, values.YEAR_OUT_OF_RANGE),
        ("%m%d%Y", "01152016", date(2016, 1, 15), None),
        ("%m%d%Y", "1152016", None, "not a date (expected MMDDYYYY)"),
        ("%m%d%Y", "01010000", None, values.YEAR_OUT_OF_RANGE),
        ("%-m/%-d/%Y", "1/5/2016", date(2016, 1, 5), None),
        ("%-m/%-d/%Y", "01/05/2016", date(2016, 1, 5), None),
        (("%d-%b-%y", "%m/%d/%Y"), "15-jan-16", date(2016, 1, 15), None),
        (("%d-%b-%y", "%m/%d/%Y"), "01/15/2016", date(2016, 1, 15), None),
        (
            ("%d-%b-%y", "%m/%d/%Y"),
            "2016-01-15",
            None,
            "not a date (expected DD-MON-YY or MM/DD/YYYY)",
        ),
        ("%Y-%m-%d", " ", None, None),
    ],
)
def test_dates(
    fmt: str | tuple[str, ...], text: str, parsed: date | None, problem: str | None
) -> None:
    frame = pl.DataFrame({"t": [text]})
    out = frame.select(
        values.parse_date(pl.col("t"), fmt).alias("d"),
        values.date_problem(pl.col("t"), fmt).alias("p"),
    )
    assert out.row(0) == (parsed, problem)


def test_an_unknown_style_or_date_field_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match="money style"):
        values.money_cents(pl.col("t"), "euro")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="unsupported date field"):
        values.date_shape("%Y-%j")
