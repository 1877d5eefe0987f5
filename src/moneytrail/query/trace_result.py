"""What a trace returns: frozen results the CLI prints and the flow view renders.

A `TraceResult` holds the traced entity's total (exact cents), its ultimate sources (or, for a
donor forward trace, destinations) as `FlowEntry` rows largest first, the top paths, a tree of
`FlowNode`s from the entity out to its ultimate sources/destinations, and for races a
`RaceContext`. Amounts are computed as floats (pro-rata shares are fractions) and reported in
whole cents by largest-remainder rounding (`apportion`), so the entries add up to the total
exactly; each `share` is the unrounded amount over the total, so shares add up to 1.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

TraceEntity = Literal["committee", "race", "donor"]


@dataclass(frozen=True, slots=True)
class FlowEntry:
    """One ultimate source (or destination) of the traced money.

    ``kind`` is one of ``individual``, ``organization``, ``own_funds`` (*unattributed* money:
    a committee paying out more than it received, or a committee with no recorded receipts at
    all; ``id`` is that committee and ``state`` is None, since it is never inside or outside
    any state), ``other`` (the remainder past the listing limit) for sources; ``candidate``,
    ``independent_expenditure``, ``expenditure``, ``held``, ``other`` for destinations.
    """

    name: str
    kind: str
    id: str
    amount_cents: int
    share: float
    state: str | None = None
    race_id: str | None = None
    candidate_id: str | None = None
    support_oppose: str | None = None


@dataclass(frozen=True, slots=True)
class PathStep:
    """One entity on a money path."""

    kind: str
    id: str
    name: str


@dataclass(frozen=True, slots=True)
class FlowPath:
    """A path money took, listed in the direction it flowed (source first)."""

    steps: tuple[PathStep, ...]
    amount_cents: int
    share: float

    def label(self, arrow: str = " → ") -> str:
        """`DOE, JANE → National 527 → State PAC → Race` (raw names: sanitise before showing)."""
        return arrow.join(step.name for step in self.steps)


#: How a race trace's note starts on a node paying independent expenditures in the race
#: (``independent expenditures supporting DOE, JANE``): the flow view shows it ahead of the name.
IE_NOTE_PREFIX = "independent expenditures "


@dataclass(frozen=True, slots=True)
class FlowNode:
    """A node of the flow tree: an entity, the money through it on this branch, its children.

    ``share`` is the node's amount over the root's. ``note`` explains a leaf that is not an
    ultimate source/destination (a cycle back to a committee above, a depth or size cut).
    """

    kind: str
    id: str
    name: str
    amount_cents: int
    share: float
    children: tuple[FlowNode, ...] = ()
    note: str = ""


@dataclass(frozen=True, slots=True)
class RaceContext:
    """How a race's money compares with where it was run."""

    race_id: str
    name: str
    state: str | None
    #: Ultimate sources outside the race's state: of the traced money whose ultimate source
    #: has a known state, the share from another state (None when unknown). Unattributed money
    #: is in neither part.
    outside_share: float | None
    #: The largest ultimate source (a donor; never unattributed money nor the grouped rest).
    largest_source: FlowEntry | None
    largest_share: float
    median_household_income: int | None
    #: The largest source's total over the race's median household income (None if unknown).
    income_multiple: float | None
    #: Unattributed money (own funds, committees with no recorded receipts) over all traced.
    unattributed_share: float = 0.0


@dataclass(frozen=True, slots=True)
class TraceResult:
    """The result of `trace_committee`, `trace_race` or `trace_donor_forward`."""

    entity: TraceEntity
    entity_id: str
    name: str
    direction: Literal["sources", "destinations"]
    total_cents: int
    entries: tuple[FlowEntry, ...]
    #: How many ultimate sources/destinations there were before the listing limit.
    entry_count: int
    paths: tuple[FlowPath, ...]
    tree: FlowNode
    race_context: RaceContext | None = None
    #: Money the iteration could not trace (a closed cycle with no outside receipts), as a share
    #: of the total; it is reported as those committees' own funds.
    untraced_share: float = 0.0
    #: The committee's or race's state, and the ultimate out-of-state share of the traced money
    #: (as `RaceContext.outside_share`; None for a donor or an unknown state).
    home_state: str | None = None
    outside_share: float | None = None
    #: Unattributed money over all traced (never counted as inside or outside a state).
    unattributed_share: float = 0.0
    #: The active donor-side filters (``donor state NY``), or None when every source is counted;
    #: `shown_share` is then the matching sources' money over all the traced money.
    filter_note: str | None = None
    shown_share: float | None = None
    #: Every active filter's label (`Filters.describe()`: hop and donor-side), for the header's
    #: filter status (`present.header.filter_status`); empty when nothing is filtered.
    filter_labels: tuple[str, ...] = ()

    @property
    def sources(self) -> tuple[FlowEntry, ...]:
        return self.entries if self.direction == "sources" else ()

    @property
    def destinations(self) -> tuple[FlowEntry, ...]:
        return self.entries if self.direction == "destinations" else ()


def apportion(values: list[float], total: int) -> list[int]:
    """Round `values` to integers that add up to `total` exactly (largest-remainder method).

    Each value is floored; the cents still missing go, one each, to the largest remainders (or
    are taken back from the smallest when the floors overshoot, which float drift can cause).
    """
    if not values:
        return []
    floors = [math.floor(v) for v in values]
    diff = total - sum(floors)
    order = sorted(range(len(values)), key=lambda i: (-(values[i] - floors[i]), i))
    n = len(values)
    step = 1 if diff > 0 else -1
    if diff < 0:
        order.reverse()
    i = 0
    while diff != 0:
        floors[order[i % n]] += step
        diff -= step
        i += 1
    return floors
