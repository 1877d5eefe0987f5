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
    IS_CONTRIBUTION,
    IS_IE,
    NOT_MEMO,
    candidate_committee_ids,
    candidates_rows,
    counted,
    entity_rows,
    ie_table,
    race_candidate_ids,
    received_by,
)
from moneytrail.query.stats import (
    DONOR_PARTS,
    SUMMARY_PARTS,
    Summary,
    direct_outside_share,
    summarize,
    summary_combined,
    summary_from_parts,
    summary_partials,
    summary_parts,
)

#: The transaction columns `stats.summarize` reads.
SUMMARY_COLUMNS: tuple[str, ...] = (
    "amount_cents",
    "date",
    "source_state",
    "source_kind",
    "donor_key",
)
#: The stored pane listing of each kind whose figures are stored.
KINDS_PLURAL: dict[FigureEntity, str] = {"committee": "committees", "race": "races"}

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


# --- stored figures of the largest entities ------------------------------------------------

#: Committees and races with at least this many counted receipts have their statistics
#: stored with the cache (`summary_aggregates`): their panels and details then read no receipts.
LARGE_ROWS = 20_000
#: The kinds whose figures are stored, by the id their receipts are grouped under.
STORED_KINDS: tuple[FigureEntity, ...] = ("committee", "race")


def stored_name(entity: FigureEntity, part: str) -> str:
    """The aggregate name of one stored part of an entity kind's figures."""
    return f"detail_{entity}_{part}"


def keyed_receipts(ds: Dataset, entity: FigureEntity, columns: list[str]) -> pl.LazyFrame:
    """The counted receipts under default filters (`columns` of them) with the id of the
    committee or race whose headline money they are, as ``entity_id``: a committee's receipts,
    a race's money raised (gifts to its candidates' own committees)."""
    rows = (
        counted(ds, Filters())
        .filter(IS_CONTRIBUTION & pl.col("recipient_committee_id").is_not_null())
        .select(columns)
    )
    if entity == "committee":
        return rows.with_columns(pl.col("recipient_committee_id").alias("entity_id"))
    races = ds.candidates.filter(pl.col("race_id").is_not_null()).select("candidate_id", "race_id")
    own = (
        ds.committees.filter(pl.col("candidate_id").is_not_null())
        .select("committee_id", "candidate_id")
        .join(races, on="candidate_id", how="inner")
        .select("committee_id", pl.col("race_id").alias("entity_id"))
        .unique()
    )
    return rows.join(own, left_on="recipient_committee_id", right_on="committee_id", how="inner")


def large_receipts(ds: Dataset, entity: FigureEntity, columns: list[str]) -> pl.LazyFrame:
    """`keyed_receipts` of the entities with at least `LARGE_ROWS` of them."""
    keyed = keyed_receipts(ds, entity, columns)
    return keyed.join(_large_ids(keyed), on="entity_id", how="semi")


def large_ids(ds: Dataset, entity: FigureEntity) -> pl.LazyFrame:
    """The ``entity_id`` of every committee or race with at least `LARGE_ROWS` receipts."""
    return _large_ids(keyed_receipts(ds, entity, ["recipient_committee_id"]))


def _large_ids(keyed: pl.LazyFrame) -> pl.LazyFrame:
    return (
        keyed.group_by("entity_id")
        .agg(n=pl.len())
        .filter(pl.col("n") >= LARGE_ROWS)
        .select("entity_id")
    )


_SUMMARY_READ = ["recipient_committee_id", *SUMMARY_COLUMNS]


def summary_aggregates(ds: Dataset) -> dict[str, pl.LazyFrame]:
    """The `stats.summary_parts` of every large committee and race (see `LARGE_ROWS`) under
    default filters, keyed by ``entity_id`` and sorted by it, to be stored with the cache
    (`panes.pane_aggregates`)."""
    out: dict[str, pl.LazyFrame] = {}
    for entity in STORED_KINDS:
        parts = summary_parts(large_receipts(ds, entity, _SUMMARY_READ), ["entity_id"])
        for part, plan in parts.items():
            out[stored_name(entity, part)] = plan.sort("entity_id", maintain_order=True)
    return out


def donor_summary_parts() -> dict[str, tuple[FigureEntity, str]]:
    """The `summary_aggregates` that group each entity's receipts by donor (`DONOR_PARTS`),
    by name: what `summary_partial` and `summary_combine` take."""
    return {stored_name(e, p): (e, p) for e in STORED_KINDS for p in DONOR_PARTS}


def summary_partial(ds: Dataset, entity: FigureEntity, part: str) -> pl.LazyFrame:
    """`stats.summary_partials` of every committee or race in `ds`, whose rows must hold
    whole donors (a slice of stored rows by donor): `summary_combine` finishes them."""
    return summary_partials(keyed_receipts(ds, entity, _SUMMARY_READ), ["entity_id"])[part]


def summary_combine(
    ds: Dataset, entity: FigureEntity, part: str, partials: pl.LazyFrame
) -> pl.LazyFrame:
    """`summary_aggregates(ds)[stored_name(entity, part)]` from the `summary_partial`s of
    slices of `ds`'s rows that split no donor."""
    rows = large_receipts(ds, entity, _SUMMARY_READ)
    combined = summary_combined(part, partials, rows, ["entity_id"])
    return combined.sort("entity_id", maintain_order=True)


def stored_parts(
    ds: Dataset, filters: Filters, entity: FigureEntity, entity_id: str, parts: tuple[str, ...]
) -> dict[str, pl.DataFrame] | None:
    """The stored `parts` of one entity's figures (``entity_id`` dropped), or None when they
    cannot be used: a filter is active, they are not stored, or the entity is not large."""
    if not filters.is_default or KINDS_PLURAL[entity] not in ds.aggregates:
        return None
    names = [stored_name(entity, part) for part in (*SUMMARY_PARTS, *parts)]
    if any(name not in ds.aggregates for name in names):
        return None
    mine = pl.col("entity_id") == entity_id
    frames = pl.collect_all([ds.aggregates[n].filter(mine).drop("entity_id") for n in names])
    found = dict(zip((*SUMMARY_PARTS, *parts), frames, strict=True))
    return found if found["scalars"].height else None


def stored_pane_row(ds: Dataset, entity: FigureEntity, entity_id: str) -> pl.LazyFrame:
    """The entity's row of its stored pane listing (default filters)."""
    id_column = f"{entity}_id"
    return ds.aggregates[KINDS_PLURAL[entity]].filter(pl.col(id_column) == entity_id).head(1)


def race_ie_states(ds: Dataset, filters: Filters, race_id: str) -> pl.LazyFrame:
    """The counted independent expenditures on a race's candidates as rows (``source_state``,
    ``amount_cents``): the outside part of the money its direct out-of-state share is over."""
    on_race = IS_IE & pl.col("candidate_id").is_in(race_candidate_ids(ds, race_id))
    rows = filters.apply(ie_table(ds)).filter(NOT_MEMO & on_race)
    return rows.select("source_state", "amount_cents")


def state_totals(summary: Summary) -> pl.LazyFrame:
    """A summary's money by donor state as rows (``source_state``, ``amount_cents``): what
    `stats.direct_outside_share` needs of the rows it summarises."""
    return summary.by_state.lazy().select(
        "source_state", pl.col("total_cents").alias("amount_cents")
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
    stored = stored_parts(ds, filters, entity, entity_id, ()) if entity in STORED_KINDS else None
    if stored is not None:
        # A large committee or race: its figures were stored with the cache, nothing is read.
        head = _first(stored_pane_row(ds, entity, entity_id).collect())
        summary = summary_from_parts(stored)
        if entity == "committee":
            home, contest = head.get("state"), state_totals(summary)
        else:
            home = _race_state(ds, entity_id)
            contest = pl.concat([state_totals(summary), race_ie_states(ds, filters, entity_id)])
        outside = outside_shares(ds, filters, entity, entity_id, contest, home)
        return build_stats(entity, summary, head, outside)
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
