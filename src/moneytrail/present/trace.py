"""A trace's header facts as text: the filter note, out-of-state figures, the largest source.

Contract: `trace_context_parts(result)` reads a `query.trace_result.TraceResult` by attribute and
returns plain strings (data names included verbatim: callers pass them through
`present.sanitize` before they reach a terminal), in the order the CLI and the flow view show
them: the filter status when any filter is on (`present.header.filter_status`, as every view's
header says it: ``filtered: donor state NY · 12.0% of the total shown``; the share is known
when a donor-side filter selects the sources),
``ultimate sources outside LA: 62.0%``, ``unattributed: 3.0%``, and for a race the largest
ultimate source and its multiple of the local median household income. Labels come from
`query.figures` (docs/figures.md).
"""

from __future__ import annotations

from typing import Any

from moneytrail.present.header import filter_status
from moneytrail.present.money import format_money, format_share
from moneytrail.query.figures import UNATTRIBUTED, ultimate_outside_label


def trace_context_parts(result: Any) -> list[str]:
    """The header facts of a trace (see the module docstring)."""
    parts: list[str] = []
    labels = getattr(result, "filter_labels", ())
    if labels:
        parts.append(filter_status(labels, result.shown_share))
    if result.home_state and result.outside_share is not None:
        label = ultimate_outside_label(result.home_state)
        parts.append(f"{label}: {format_share(result.outside_share)}")
    if result.unattributed_share:
        parts.append(f"{UNATTRIBUTED}: {format_share(result.unattributed_share)}")
    ctx = result.race_context
    if ctx is not None and ctx.largest_source is not None:
        largest = (
            f"largest source {ctx.largest_source.name}: {format_share(ctx.largest_share)} "
            f"({format_money(ctx.largest_source.amount_cents)})"
        )
        if ctx.income_multiple is not None and ctx.median_household_income:
            m = ctx.income_multiple
            times = f"{m:,.1f}" if abs(m) >= 1 else f"{m:.2g}"
            largest += (
                f", {times}× the local median household income "
                f"(${ctx.median_household_income:,}, approximate)"
            )
        parts.append(largest)
    return parts
