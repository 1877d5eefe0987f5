"""The filter part of every view's header: a filtered view always says so.

Contract: `filters_text(filters, shown)` reads `query.filters.Filters.describe()` and returns
``no filters`` or ``filtered: donor state NY; date 2016-01-01–…``, followed by
``· 12.0% of the total shown`` when `shown` (the share of the view's headline money the filters
leave, `query.panes.shown_share`) is known (docs/figures.md, "Filters"). A trace words its own
the same way (`TraceResult.filter_header`).
"""

from __future__ import annotations

from typing import Any

from moneytrail.present.sanitize import safe_str


def filters_text(filters: Any, shown: float | None = None) -> str:
    """``no filters`` or ``filtered: …`` with every active filter's label (and `shown`)."""
    labels = filters.describe()
    if not labels:
        return "no filters"
    text = "filtered: " + "; ".join(safe_str(label) for label in labels)
    if shown is not None:
        text += f" · {shown * 100:.1f}% of the total shown"
    return text
