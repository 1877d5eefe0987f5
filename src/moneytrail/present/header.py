"""The filter part of every view's header: a filtered view always says so.

Contract: `filters_text(filters)` reads `query.filters.Filters.describe()` and returns
``no filters`` or ``filtered: donor state NY; date 2016-01-01–…`` (docs/figures.md, "Filters").
A trace adds how much of the whole its matching sources are (`TraceResult.filter_header`).
"""

from __future__ import annotations

from typing import Any

from moneytrail.present.sanitize import safe_str


def filters_text(filters: Any) -> str:
    """``no filters`` or ``filtered: …`` with every active filter's label."""
    labels = filters.describe()
    if not labels:
        return "no filters"
    return "filtered: " + "; ".join(safe_str(label) for label in labels)
