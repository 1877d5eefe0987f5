"""`Filters`: the immutable global filter spec applied to every query.

Filters select which transactions count. Memo rows never add into totals; `include_memo` only
makes them visible in row listings (see docs/data-model.md). In a trace, the donor-side filters
(states, source kinds, amounts) select ultimate sources and the others (dates, cycles) apply to
every hop (docs/figures.md). A row's cycle is defined once, in `moneytrail.query.cycles`.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date

import polars as pl

from moneytrail.query.cycles import describe_cycles, in_cycles


@dataclass(frozen=True, slots=True)
class Filters:
    """Global filters. The default instance filters nothing (memo rows hidden)."""

    since: date | None = None
    until: date | None = None
    states: frozenset[str] = frozenset()  # source_state, upper-case two-letter codes
    min_cents: int | None = None
    max_cents: int | None = None
    source_kinds: frozenset[str] = frozenset()  # subset of schema.SOURCE_KINDS
    include_memo: bool = False
    cycles: frozenset[int] = frozenset()  # election cycles (even years), `query.cycles.row_cycle`

    @property
    def is_default(self) -> bool:
        """True when nothing is filtered (precomputed aggregates can be used)."""
        return self == Filters()

    def predicate(self, columns: Collection[str]) -> pl.Expr:
        """One boolean expression selecting the filtered rows of a frame with these columns.

        The column names matter to the cycle filter only: a row's cycle is its ``cycle`` column
        when the frame has one, else its date's (`moneytrail.query.cycles`).
        """
        conds: list[pl.Expr] = [pl.lit(True)]
        if not self.include_memo:
            conds.append(~pl.col("memo").fill_null(False))
        if self.since is not None:
            conds.append(pl.col("date") >= self.since)
        if self.until is not None:
            conds.append(pl.col("date") <= self.until)
        if self.states:
            conds.append(pl.col("source_state").is_in(sorted(self.states)))
        if self.min_cents is not None:
            conds.append(pl.col("amount_cents") >= self.min_cents)
        if self.max_cents is not None:
            conds.append(pl.col("amount_cents") <= self.max_cents)
        if self.source_kinds:
            conds.append(pl.col("source_kind").is_in(sorted(self.source_kinds)))
        if self.cycles:
            conds.append(in_cycles(columns, self.cycles))
        return pl.all_horizontal(conds)

    @property
    def donor_side(self) -> bool:
        """True when a donor-side filter (donor state, source kind, amount) is active.

        Donor-side filters select which ultimate sources a trace shows and counts; they never
        cut an intermediate hop (docs/figures.md, "Filters").
        """
        return bool(
            self.states
            or self.source_kinds
            or self.min_cents is not None
            or self.max_cents is not None
        )

    def hops(self) -> Filters:
        """These filters without the donor-side ones: what applies to every hop of a trace."""
        return Filters(
            since=self.since,
            until=self.until,
            include_memo=self.include_memo,
            cycles=self.cycles,
        )

    def describe_donor_side(self) -> list[str]:
        """Short labels of the active donor-side filters (``donor state NY``, …)."""
        return Filters(
            states=self.states,
            source_kinds=self.source_kinds,
            min_cents=self.min_cents,
            max_cents=self.max_cents,
        ).describe()

    def apply(self, transactions: pl.LazyFrame) -> pl.LazyFrame:
        """The transactions these filters select."""
        columns = transactions.collect_schema().names() if self.cycles else ()
        return transactions.filter(self.predicate(columns))

    def describe(self) -> list[str]:
        """Short human labels of the active filters, for headers and reports."""
        out: list[str] = []
        if self.cycles:
            out.append(describe_cycles(self.cycles))
        if self.since or self.until:
            out.append(f"date {self.since or '…'}–{self.until or '…'}")
        if self.states:
            out.append("donor state " + ",".join(sorted(self.states)))
        if self.min_cents is not None or self.max_cents is not None:
            lo = "…" if self.min_cents is None else f"${self.min_cents / 100:,.2f}"
            hi = "…" if self.max_cents is None else f"${self.max_cents / 100:,.2f}"
            out.append(f"amount {lo}–{hi}")
        if self.source_kinds:
            out.append("donor kind " + ",".join(sorted(self.source_kinds)))
        if self.include_memo:
            out.append("memo rows shown")
        return out
