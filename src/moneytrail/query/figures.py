"""The figures' names: one label per result column, and each entity's headline figure.

Contract: docs/figures.md defines every figure; this module holds what the other layers need to
name them the same way everywhere (grid headers, the statistics panel, the command palette, CLI
tables). Each label here belongs to exactly one column and one definition. Pure: stdlib only.
"""

from __future__ import annotations

from typing import Literal

FigureEntity = Literal["donor", "committee", "race", "candidate"]

#: Column -> label, for every figure column the query layer returns.
FIGURE_LABELS: dict[str, str] = {
    "total_cents": "Total",
    "count": "Rows",
    "median_cents": "Median",
    "receipts_cents": "Receipts",
    "receipts_count": "Rows",
    "donors": "Donors",
    "transfers_out_cents": "Passed on",
    "ie_support_cents": "IE for",
    "ie_oppose_cents": "IE against",
    "expenditures_cents": "Spent",
    "disbursements_cents": "Disbursed",
    "raised_cents": "Raised",
    # Reconciliation with what a filer reported (FEC data; `reconcile`, docs/figures.md).
    "filed_by_recipient_cents": "Filed by itself",
    "giver_only_cents": "Reported by the giver only",
    "reported_receipts_cents": "Reported total receipts",
    "coverage_share": "Coverage",
}

#: Each entity's headline figure: (column of its pane row, lower-case label). The command
#: palette, `show`'s "which one did you mean" list and the panes' default order use it.
HEADLINE: dict[FigureEntity, tuple[str, str]] = {
    "donor": ("total_cents", "total"),
    "committee": ("receipts_cents", "receipts"),
    "race": ("raised_cents", "raised"),
    "candidate": ("raised_cents", "raised"),
}


def direct_outside_label(state: str) -> str:
    """The label of the direct out-of-state share (`state` already made safe by the caller)."""
    return f"direct gifts from outside {state}"


def ultimate_outside_label(state: str) -> str:
    """The label of the ultimate out-of-state share (`state` already made safe by the caller)."""
    return f"ultimate sources outside {state}"


#: Label of money with no recorded source (own funds; committees with no receipt rows).
UNATTRIBUTED = "unattributed"


def shown_share_of(part_cents: float, whole_cents: float) -> float | None:
    """The "% of the total shown" of a filtered view: the headline money the filters leave over
    the same money without them; None when the whole is not positive (docs/figures.md)."""
    return part_cents / whole_cents if whole_cents > 0 else None
