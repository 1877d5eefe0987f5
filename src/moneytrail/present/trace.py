"""A trace's header facts as text: the filter note, out-of-state figures, the largest source.

Contract: `trace_context_parts(result)` reads a `query.trace_result.TraceResult` by attribute and
returns plain strings (data names included verbatim: callers pass them through
`present.sanitize` before they reach a terminal), in the order the CLI and the flow view show
them: the filter status when any filter is on (`present.header.filter_status`, as every view's
header says it: ``filtered: donor state NY · 12.0% of the total shown``; the share is known
when a donor-side filter selects the sources),
``ultimate sources outside LA: 62.0%``, ``unattributed: 3.0%``, and for a race the largest
ultimate source and its multiple of the local median household income. Labels come from
`query.figures` (docs/figures.md). The flow view, the race detail's header and `moneytrail show
race` all print them from here. `node_label` writes a flow-tree node as safe Rich text.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text

from moneytrail.present.header import filter_status
from moneytrail.present.money import format_money, format_share
from moneytrail.present.sanitize import safe_str, safe_text
from moneytrail.query.figures import UNATTRIBUTED, ultimate_outside_label
from moneytrail.query.trace_result import IE_NOTE_PREFIX, FlowNode, RaceContext


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
    largest = largest_source_part(result.race_context)
    if largest is not None:
        parts.append(largest)
    return parts


def largest_source_part(ctx: RaceContext | None) -> str | None:
    """``largest source X: 31.5% ($933,000.00), 22.8× the local median household income …``."""
    if ctx is None or ctx.largest_source is None:
        return None
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
    return largest


def context_text(result: Any) -> Text:
    """The trace's header facts (`trace_context_parts`) on one safe line, ` · ` between them."""
    return safe_text(" · ".join(trace_context_parts(result)))


def node_label(node: FlowNode, *, root: bool = False, amount_width: int = 0) -> Text:
    """`$1,234.00  45.6%  name  (note)` as safe Rich text.

    The figures come first, right-aligned to `amount_width`, so a narrow terminal cuts a long
    name, never an amount; the root shows its amount and name (its share is 100%). A node paying
    independent expenditures says for or against which candidate before its name.
    """
    text = Text(no_wrap=True, overflow="ellipsis")
    money = format_money(node.amount_cents).rjust(amount_width)
    text.append(money, style="green" if node.amount_cents >= 0 else "red")
    text.append("  ")
    if not root:
        text.append(format_share(node.share).rjust(6), style="cyan")
        text.append("  ")
    note = node.note
    if note.startswith(IE_NOTE_PREFIX):
        # Independent expenditures: whom they were for or against is the point, so it comes
        # before the payer's name (`IE opposing DOE, JANE · Some PAC`), where it is not cut.
        text.append(f"IE {safe_str(note.removeprefix(IE_NOTE_PREFIX))}", style="yellow")
        text.append(" · ")
        note = ""
    text.append_text(safe_text(node.name, style="bold" if root else ""))
    if node.kind == "own_funds":
        text.append("  unattributed", style="dim italic")
    if note:
        text.append(f"  ({safe_str(note)})", style="dim")
    return text
