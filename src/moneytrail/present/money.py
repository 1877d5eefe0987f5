"""Money, counts, shares and dates formatted for people.

Amounts arrive as exact Int64 cents; formatting uses integer arithmetic so a total shown is the
total filed, to the cent.
"""

from __future__ import annotations

from datetime import date


def cents_to_dollars(cents: int | None) -> float | None:
    """Cents as a JSON-ready dollar number: the nearest double, which prints back exactly.

    Any whole number of cents below 2**53 round-trips: `repr(cents_to_dollars(139999999))` is
    `'1399999.99'`.
    """
    if cents is None:
        return None
    return cents / 100


def format_money(cents: int | None, *, cents_shown: bool = True, sign: bool = False) -> str:
    """`$1,234,567.89` (or `-$12.00`; `$1,234,568` with `cents_shown=False`)."""
    if cents is None:
        return ""
    negative = cents < 0
    whole, frac = divmod(abs(cents), 100)
    if not cents_shown:
        whole += 1 if frac >= 50 else 0
        body = f"${whole:,}"
    else:
        body = f"${whole:,}.{frac:02d}"
    if negative:
        return "-" + body
    return ("+" + body) if sign else body


def format_money_short(cents: int | None) -> str:
    """Compact money for charts and narrow columns: `$1.4M`, `$930k`, `$12`."""
    if cents is None:
        return ""
    dollars = cents / 100
    mag = abs(dollars)
    sign = "-" if dollars < 0 else ""
    if mag >= 1e9:
        return f"{sign}${mag / 1e9:.1f}B"
    if mag >= 1e6:
        return f"{sign}${mag / 1e6:.1f}M"
    if mag >= 1e4:
        return f"{sign}${mag / 1e3:.0f}k"
    if mag >= 1e3:
        return f"{sign}${mag / 1e3:.1f}k"
    return f"{sign}${mag:.0f}"


def format_count(n: int | None) -> str:
    """`12,345`."""
    return "" if n is None else f"{n:,}"


def format_share(share: float | None, digits: int = 1) -> str:
    """A fraction as a percentage: `0.4567` → `45.7%`."""
    return "" if share is None else f"{share * 100:.{digits}f}%"


def format_date(value: date | None) -> str:
    """ISO date, or empty."""
    return "" if value is None else value.isoformat()
