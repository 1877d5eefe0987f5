"""A trace's figures as safe Rich text: the race context line and the flow tree's node labels.

The flow view, the race detail's header and `moneytrail show race` all print the race context
from here, so the outside share, the largest source and its multiple of the local median household
income read the same everywhere. Names pass through `sanitize` (never markup).
"""

from __future__ import annotations

from rich.text import Text

from moneytrail.present.money import format_money, format_share
from moneytrail.present.sanitize import safe_str, safe_text
from moneytrail.query.trace_result import IE_NOTE_PREFIX, FlowNode, RaceContext


def context_text(ctx: RaceContext) -> Text:
    """`Ultimately from outside FL: 99.9% · Largest source: X 99.9% ($1.00) = 22.4× the local…`."""
    text = Text()
    if ctx.state:
        # "Ultimately": of the traced sources, not the direct gifts the statistics' out-of-state
        # share counts (a race's money from a local PAC funded from afar is outside money here).
        text.append(f"Ultimately from outside {safe_str(ctx.state)}: ")
        text.append(format_share(ctx.outside_share), style="bold")
    largest = ctx.largest_source
    if largest is not None:
        if len(text):
            text.append(" · ")
        text.append("Largest source: ")
        text.append_text(safe_text(largest.name, style="bold"))
        text.append(f" {format_share(ctx.largest_share)} ({format_money(largest.amount_cents)})")
        if ctx.income_multiple is not None and ctx.median_household_income:
            m = ctx.income_multiple
            times = f"{m:,.1f}" if abs(m) >= 1 else f"{m:.2g}"
            text.append(" = ")
            text.append(f"{times}×", style="bold")
            text.append(
                f" the local median household income (${ctx.median_household_income:,}, approx.)"
            )
    return text


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
