"""The statistics of one entity: the same money as its pane row, with labelled extra sections.

Contract (docs/figures.md, "Statistics panel and show"): `entity_stats(ds, filters, entity, id)`
returns an `EntityStats` whose ``summary`` describes exactly the money of the entity's headline
figure, so its total equals the pane row's:

* a donor: its counted gifts (the donors pane's Total);
* a committee: its receipts (Receipts); its spending is a separate **Spending** section
  (Disbursed, Passed on, IE for, IE against, Spent), never mixed into the statistics;
* a candidate or race: the receipts of the candidates' own committees (Raised); the outside money
  is a separate **Outside money** section (IE for, IE against), never added to it.

For committees, candidates and races it also carries the two out-of-state figures
(`OutsideShares`): the direct share (`stats.direct_outside_share`, by the state on each row) and
the ultimate share and unattributed share (`trace.ultimate_outside`), both over the same money:
a committee's receipts; a race's or candidate's money (raised plus the IEs on it), which is what
its trace follows. The drill-downs (`details`) build their statistics with `build_stats` from the
same parts, so a pane row's panel and the detail agree. Pure: Polars and stdlib only.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import polars as pl

from moneytrail.data.dataset import Dataset
from moneytrail.query.committees import committee_table
from moneytrail.query.figures import FIGURE_LABELS, HEADLINE, FigureEntity
from moneytrail.query.filters import Filters
from moneytrail.query.races import candidate_table, race_table
from moneytrail.query.selection import (
    NOT_MEMO,
    candidate_committee_ids,
    candidates_rows,
    entity_rows,
    race_candidate_ids,
    received_by,
)
from moneytrail.query.stats import Summary, direct_outside_share, summarize

#: The extra section of each entity: (title, figure columns of its pane row).
SECTIONS: dict[FigureEntity, tuple[str, tuple[str, ...]]] = {
    "committee": (
        "Spending",
        (
            "disbursements_cents",
            "transfers_out_cents",
            "ie_support_cents",
            "ie_oppose_cents",
            "expenditures_cents",
        ),
    ),
    "candidate": ("Outside money", ("ie_support_cents", "ie_oppose_cents")),
    "race": ("Outside money", ("ie_support_cents", "ie_oppose_cents")),
}


@dataclass(frozen=True, slots=True)
class Section:
    """A labelled list of figures shown beside the statistics: ``(label, cents)`` lines."""

    title: str
    lines: tuple[tuple[str, int], ...]


@dataclass(frozen=True, slots=True)
class OutsideShares:
    """The out-of-state figures of one entity's money (definitions in docs/figures.md)."""

    home_state: str | None
    #: direct gifts from outside STATE (by the state filed on each row)
    direct_share: float | None
    #: ultimate sources outside STATE (traced; unattributed money in neither part)
    ultimate_share: float | None
    #: unattributed money over everything traced
    unattributed_share: float


@dataclass(frozen=True, slots=True)
class EntityStats:
    """Statistics of one entity's headline money, its extra sections and out-of-state figures."""

    entity: FigureEntity
    #: The label of ``summary.total_cents`` (``Total``, ``Receipts`` or ``Raised``).
    money_label: str
    summary: Summary
    sections: tuple[Section, ...]
    outside: OutsideShares | None


def build_stats(
    entity: FigureEntity,
    summary: Summary,
    head_row: Mapping[str, Any],
    outside: OutsideShares | None,
) -> EntityStats:
    """An `EntityStats` from its parts: the headline money's summary and the pane row."""
    sections: tuple[Section, ...] = ()
    if entity in SECTIONS and head_row:
        title, columns = SECTIONS[entity]
        lines = tuple((FIGURE_LABELS[c], int(head_row.get(c) or 0)) for c in columns)
        sections = (Section(title, lines),)
    return EntityStats(
        entity=entity,
        money_label=FIGURE_LABELS[HEADLINE[entity][0]],
        summary=summary,
        sections=sections,
        outside=outside,
    )


def outside_shares(
    ds: Dataset,
    filters: Filters,
    entity: FigureEntity,
    entity_id: str,
    contest_rows: pl.LazyFrame,
    home_state: str | None,
) -> OutsideShares:
    """Both out-of-state figures of an entity whose money is `contest_rows` (counted rows)."""
    from moneytrail.query.trace import TraceError, ultimate_outside

    try:
        _, ultimate, unattributed = ultimate_outside(ds, filters, entity, entity_id)
    except TraceError:
        ultimate, unattributed = None, 0.0
    return OutsideShares(
        home_state=home_state,
        direct_share=direct_outside_share(contest_rows, home_state),
        ultimate_share=ultimate,
        unattributed_share=unattributed,
    )


def _race_state(ds: Dataset, race_id: str | None) -> str | None:
    if race_id is None:
        return None
    found = ds.races.filter(pl.col("race_id") == race_id).select("state").head(1).collect()
    return found.item() if found.height else None


def entity_stats(
    ds: Dataset, filters: Filters | None, entity: FigureEntity, entity_id: str
) -> EntityStats:
    """The statistics panel of one pane row (see the module docstring); collects.

    An unknown id gives empty statistics (no counted rows), not an error: the row may have
    gone under new filters while the panel was loading.
    """
    filters = filters or Filters()

    def counted_rows(rows: pl.LazyFrame) -> pl.LazyFrame:
        return filters.apply(rows).filter(NOT_MEMO)

    if entity == "donor":
        mine = counted_rows(entity_rows(ds, entity, entity_id))
        return build_stats(entity, summarize(mine), {}, None)
    if entity == "committee":
        info = ds.committees.filter(pl.col("committee_id") == entity_id)
        rows = counted_rows(entity_rows(ds, entity, entity_id))
        receipts = rows.filter(received_by([entity_id]))
        head = _first(committee_table(info, rows).collect())
        outside = outside_shares(ds, filters, entity, entity_id, receipts, head.get("state"))
        return build_stats(entity, summarize(receipts), head, outside)
    if entity == "race":
        candidate_ids = race_candidate_ids(ds, entity_id)
        race_id: str | None = entity_id
    else:
        candidate_ids = [entity_id]
        found = (
            ds.candidates.filter(pl.col("candidate_id") == entity_id).select("race_id").collect()
        )
        race_id = found.item(0, 0) if found.height else None
    committee_ids = candidate_committee_ids(ds, candidate_ids)
    contest = counted_rows(candidates_rows(ds, candidate_ids, committee_ids))
    raised = contest.filter(received_by(committee_ids))
    candidates = ds.candidates.filter(pl.col("candidate_id").is_in(candidate_ids))
    per_candidate = candidate_table(ds, contest, candidates)
    head_plan = (
        race_table(ds, per_candidate, ds.races.filter(pl.col("race_id") == entity_id))
        if entity == "race"
        else per_candidate
    )
    home = _race_state(ds, race_id)
    outside = outside_shares(ds, filters, entity, entity_id, contest, home)
    return build_stats(entity, summarize(raised), _first(head_plan.collect()), outside)


def headline_money(
    ds: Dataset, filters: Filters | None, entity: FigureEntity, entity_id: str
) -> pl.LazyFrame:
    """One entity's headline figure (`figures.HEADLINE`) as a one-value plan: the total of the
    money its statistics describe (see the module docstring), from the entity's own rows only.

    Zero for an unknown id or when the filters leave nothing.
    """
    filters = filters or Filters()
    rows = filters.apply(entity_rows(ds, entity, entity_id)).filter(NOT_MEMO)
    if entity == "committee":
        rows = rows.filter(received_by([entity_id]))
    elif entity != "donor":
        candidate_ids = race_candidate_ids(ds, entity_id) if entity == "race" else [entity_id]
        rows = rows.filter(received_by(candidate_committee_ids(ds, candidate_ids)))
    return rows.select(pl.col("amount_cents").sum())


def _first(frame: pl.DataFrame) -> dict[str, Any]:
    return frame.row(0, named=True) if frame.height else {}
