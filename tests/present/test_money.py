from __future__ import annotations

from decimal import Decimal

from moneytrail.present.money import (
    cents_to_dollars,
    format_count,
    format_money,
    format_money_short,
    format_share,
)


def test_format_money_exact() -> None:
    assert format_money(139999999) == "$1,399,999.99"
    assert format_money(-1200) == "-$12.00"
    assert format_money(5) == "$0.05"
    assert format_money(0) == "$0.00"
    assert format_money(None) == ""
    assert format_money(150, cents_shown=False) == "$2"
    assert format_money(100, sign=True) == "+$1.00"


def test_cents_to_dollars_round_trips() -> None:
    for cents in (139999999, 7, 10, 93300000, -2500, 2**50 + 1, 123456789012):
        dollars = cents_to_dollars(cents)
        assert Decimal(repr(dollars)) == Decimal(cents) / 100
    assert repr(cents_to_dollars(139999999)) == "1399999.99"


def test_short_forms() -> None:
    assert format_money_short(140000000) == "$1.4M"
    assert format_money_short(93300000) == "$933k"
    assert format_money_short(123400) == "$1.2k"
    assert format_count(12345) == "12,345"
    assert format_share(0.4567) == "45.7%"
