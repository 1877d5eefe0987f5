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

    ``kind`` is one of ``individual``, ``organization``, ``committee`` (a committee with no
    recorded receipts: its own source), ``own_funds`` (a committee paying out more than it
    received; ``id`` is that committee), ``other`` (the remainder past the listing limit) for
    sources; ``candidate``, ``independent_expenditure``, ``expenditure``, ``held``, ``other`` for
    destinations.
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
    #: Share of the money whose ultimate source has a known state other than the race's.
    outside_share: float
    largest_source: FlowEntry | None
    largest_share: float
    median_household_income: int | None
    #: The largest source's total over the race's median household income (None if unknown).
    income_multiple: float | None


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
