"""Drill-downs: everything about one donor, committee, race or candidate.

Each function collects (it is meant to run in a UI worker thread or the CLI) and returns a frozen
dataclass of small DataFrames. The entity's rows are read once per call for the figures, from the
tables that hold them clustered (`selection.entity_rows`: a committee's or race's receipts from
``by_recipient`` when stored), reading only the columns the figures need (`FIGURE_COLUMNS`): the
wide provenance columns are most of the bytes.
Every figure is derived from that small frame. Totals follow the same rules as the panes
(`moneytrail.query.selection`): counted rows only, refunds subtract, memo rows only in ``rows``
and only when ``filters.include_memo``. The one-row frames ``committee``, ``race`` and
``candidate`` have exactly the columns of the matching pane row.

The raw rows are not read: ``rows`` is a `LazyFrame` of the entity's visible rows with every
column, in ``ROW_ORDER`` (the same rows as `selection.rows_for`), and ``row_count`` says how many
there are. Callers collect what they show: a page (`rows_page`), or all of it to sort or export
(`all_rows`, or ``rows.sink_csv(...)`` to stream a big entity to a file).

Donor display names inside a detail (``top_donors``, ``top_funders``) are the most frequent raw
name among the detail's own rows (ties alphabetical), which can differ from the donors pane's
choice when a donor used other names elsewhere. Frames are sorted by ``total_cents`` descending,
then name, then id. An unknown id raises `LookupError` naming the id and the dataset.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

import polars as pl

from moneytrail.data.dataset import Dataset
from moneytrail.query.committees import committee_table
from moneytrail.query.cycles import CYCLE_COLUMN
from moneytrail.query.donors import display_names, latest_of
from moneytrail.query.entity_stats import (
    STORED_KINDS,
    EntityStats,
    build_stats,
    donor_summary_parts,
    keyed_receipts,
    large_ids,
    large_receipts,
    outside_shares,
    state_totals,
    stored_name,
    stored_pane_row,
    stored_parts,
    summary_aggregates,
    summary_combine,
    summary_partial,
)
from moneytrail.query.filters import Filters
from moneytrail.query.races import (
    CANDIDATE_COLUMNS,
    HAS_MONEY,
    RACE_CANDIDATE_COLUMNS,
    candidate_table,
    race_table,
    ranked,
)
from moneytrail.query.reconcile import (
    FILER_COLUMN,
    can_reconcile,
    receipt_figures,
    reconciled,
    reconciliation,
)
from moneytrail.query.selection import (
    IS_CONTRIBUTION,
    IS_IE,
    NOT_MEMO,
    ROW_ORDER,
    candidate_committee_ids,
    candidates_rows,
    committee_paid_rows,
    committee_rows,
    entity_rows,
    ie_table,
    paid_by,
    received_by,
    with_names,
)
from moneytrail.query.stats import SUMMARY_PARTS, Summary, summarize, summary_from_parts

#: The transaction columns every detail figure is computed from (the row listing has them all).
FIGURE_COLUMNS: tuple[str, ...] = (
    "transaction_id",
    "date",
    "amount_cents",
    "kind",
    "source_kind",
    "source_id",
    "source_name",
    "source_state",
    "recipient_committee_id",
    "candidate_id",
    "support_oppose",
    "memo",
    "description",
    "donor_key",
)
#: A detail's top donors (``top_donors``, ``top_funders``) list at most this many, biggest
#: first: a national conduit has millions of donors, and its rows (``rows``) hold them all.
TOP_DONORS = 1_000
#: Committees and races with at least this many counted receipts have their detail figures
#: stored with the cache (`detail_aggregates`): their details then read no receipts.
LARGE_ROWS = 20_000
#: What a donor detail reads besides: the facts about who the donor is.
_DONOR_FACTS: tuple[str, ...] = ("source_city", "source_employer", "source_occupation")


@dataclass(frozen=True, slots=True)
class DonorDetail:
    """One donor: identity facts, a summary of its gifts, whom it gave to, and its rows."""

    donor_key: str
    name: str | None
    variants: tuple[str, ...]  # distinct raw names, most frequent first
    cities: tuple[str, ...]
    states: tuple[str, ...]
    employers: tuple[str, ...]
    occupations: tuple[str, ...]
    #: statistics of the donor's counted gifts (`entity_stats`)
    stats: EntityStats
    #: committee_id, name, kind, candidate_id, candidate_name, race_id, race_name,
    #: total_cents, count
    recipients: pl.DataFrame
    #: the donor's visible rows, every column, in ``ROW_ORDER`` (not read; see the module doc)
    rows: pl.LazyFrame
    row_count: int

    @property
    def summary(self) -> Summary:
        """Statistics of the donor's counted gifts."""
        return self.stats.summary


@dataclass(frozen=True, slots=True)
class CommitteeDetail:
    """One committee: its pane row, who funded it, and where its money went."""

    committee: pl.DataFrame  # one row, the committees pane's columns
    #: statistics of its receipts, its Spending section, its out-of-state figures
    stats: EntityStats
    top_donors: pl.DataFrame  # donor_key, name, source_kind, state, total_cents, count
    transfers_out: pl.DataFrame  # committee_id, name, kind, total_cents, count
    #: candidate_id, candidate_name, race_id, race_name, support_oppose, total_cents, count
    independent_expenditures: pl.DataFrame
    expenditures: pl.DataFrame  # description, total_cents, count
    #: the committee's visible rows, every column, in ``ROW_ORDER`` (not read)
    rows: pl.LazyFrame
    row_count: int
    #: receipts beside giver-only money and the reported total (`reconcile`); FEC data only
    reconciliation: pl.DataFrame | None = None

    @property
    def summary(self) -> Summary:
        """Statistics of the committee's receipts."""
        return self.stats.summary

    @property
    def committee_id(self) -> str:
        """The committee's id."""
        return str(self.committee.item(0, "committee_id"))

    @property
    def name(self) -> str | None:
        """The committee's name."""
        value = self.committee.item(0, "name")
        return None if value is None else str(value)


@dataclass(frozen=True, slots=True)
class RaceDetail:
    """One race: its pane row, its candidates, the outside spenders, and all its money."""

    race: pl.DataFrame  # one row, the races pane's columns
    candidates: pl.DataFrame  # the race_candidates columns
    #: committee_id, name, candidate_id, candidate_name, support_oppose, total_cents, count
    spenders: pl.DataFrame
    #: statistics of the money raised, its Outside money section, its out-of-state figures
    stats: EntityStats
    #: the race's visible rows, every column, in ``ROW_ORDER`` (not read)
    rows: pl.LazyFrame
    row_count: int

    @property
    def summary(self) -> Summary:
        """Statistics of the money its candidates raised."""
        return self.stats.summary


@dataclass(frozen=True, slots=True)
class CandidateDetail:
    """One candidate: its pane row, its committees, its funders and the outside spenders."""

    candidate: pl.DataFrame  # one row, the candidates pane's columns
    committees: (
        pl.DataFrame
    )  # committee_id, name, kind, state, receipts_cents, receipts_count, donors
    top_funders: pl.DataFrame  # donor_key, name, source_kind, state, total_cents, count
    outside_spenders: pl.DataFrame  # committee_id, name, support_oppose, total_cents, count
    #: statistics of the money raised, its Outside money section, its out-of-state figures
    stats: EntityStats
    #: the candidate's visible rows, every column, in ``ROW_ORDER`` (not read)
    rows: pl.LazyFrame
    row_count: int
    #: receipts beside giver-only money and the reported total (`reconcile`); FEC data only
    reconciliation: pl.DataFrame | None = None

    @property
    def summary(self) -> Summary:
        """Statistics of the money the candidate raised."""
        return self.stats.summary


# --- helpers -------------------------------------------------------------------------------


def _by_total(frame: pl.LazyFrame, name: str, id_cols: Sequence[str]) -> pl.LazyFrame:
    by = ["total_cents", name, *id_cols]
    return frame.sort(by, descending=[True] + [False] * (len(by) - 1), nulls_last=True)


def _ranked_values(rows: pl.LazyFrame, column: str) -> pl.LazyFrame:
    """Distinct non-null values of `column`, most frequent first, ties alphabetical."""
    return (
        rows.filter(pl.col(column).is_not_null())
        .group_by(column)
        .agg(n=pl.len())
        .sort(["n", column], descending=[True, False])
        .select(column)
    )


def _top_donors(receipts: pl.LazyFrame, by: Sequence[str] = ()) -> pl.LazyFrame:
    """Receipts grouped by donor: donor_key, name, source_kind, state, total_cents, count; the
    `TOP_DONORS` biggest. With `by`, per group of those columns (which lead the result).

    Names and latest facts are looked up only for the donors that can make the list (a total
    at least the `TOP_DONORS`-th biggest, ties included), not for a conduit's million others.
    """
    keys = list(by)
    totals = receipts.group_by(*keys, "donor_key").agg(
        total_cents=pl.col("amount_cents").sum(), count=pl.len()
    )
    cut = pl.col("total_cents").top_k(TOP_DONORS).min().alias("cut")
    cuts = totals.group_by(keys).agg(cut) if keys else totals.select(cut)
    listed = (totals.join(cuts, on=keys) if keys else totals.join(cuts, how="cross")).filter(
        pl.col("total_cents") >= pl.col("cut")
    )
    donor = [*keys, "donor_key"]
    rows = receipts.join(listed.select(donor), on=donor, how="semi")
    latest = rows.group_by(donor).agg(
        latest_of({"source_kind": "source_kind", "state": "source_state"})
    )
    shaped = (
        listed.join(latest, on=donor, how="left")
        .unnest("latest")
        .join(display_names(rows, by=keys), on=donor, how="left")
        .select(*keys, "donor_key", "name", "source_kind", "state", "total_cents", "count")
    )
    ordered = _by_total(shaped, "name", ["donor_key"])
    if not keys:
        return ordered.head(TOP_DONORS)
    return ordered.group_by(keys, maintain_order=True).head(TOP_DONORS)


def _committee_names(ds: Dataset) -> pl.LazyFrame:
    return ds.committees.select("committee_id", "name", "kind")


def _candidate_names(ds: Dataset) -> pl.LazyFrame:
    races = ds.races.select("race_id", pl.col("name").alias("race_name"))
    return ds.candidates.select(
        "candidate_id", pl.col("name").alias("candidate_name"), "race_id"
    ).join(races, on="race_id", how="left")


@dataclass(frozen=True, slots=True)
class _Selection:
    """One entity's rows: the figure columns of its visible rows (read), and the listing (lazy)."""

    visible: pl.DataFrame  # FIGURE_COLUMNS of the visible rows
    listing: pl.LazyFrame  # every column of the visible rows, in ROW_ORDER; not read

    @property
    def counted(self) -> pl.LazyFrame:
        """The counted rows (visible and not memo), as a LazyFrame over the read frame."""
        return self.visible.lazy().filter(NOT_MEMO)


def _select(ds: Dataset, filters: Filters, matching: pl.LazyFrame) -> _Selection:
    """Read the figure columns of an entity's rows `matching` (`selection.entity_rows`).

    The listing carries the names of what its rows name by id (`selection.with_names`).
    On FEC data the filer column (`reconcile.FILER_COLUMN`) is read too, for `reconciliation`.
    """
    columns = list(FIGURE_COLUMNS)
    available = ds.transactions.collect_schema().names()
    # FEC rows: who filed each one and its file's cycle, for `reconciliation`.
    columns.extend(c for c in (FILER_COLUMN, CYCLE_COLUMN) if c in available)
    figures = filters.apply(matching.select(columns)).collect()
    listing = with_names(ds, filters.apply(matching)).sort(ROW_ORDER)
    return _Selection(visible=figures, listing=listing)


def _reconciliation(
    ds: Dataset, receipts: pl.LazyFrame, entity: pl.DataFrame
) -> pl.DataFrame | None:
    """`reconcile.reconciliation` of an entity, or None when the data cannot say (not FEC)."""
    if not can_reconcile(ds.transactions.collect_schema().names(), entity.columns):
        return None
    return reconciliation(receipts, entity).collect()


def _one(frame: pl.LazyFrame, what: str, key: str, value: str, ds: Dataset) -> pl.DataFrame:
    found = frame.filter(pl.col(key) == value).collect()
    if found.height == 0:
        raise LookupError(f"no {what} with id {value!r} in dataset {ds.name!r}")
    return found.head(1)


def _column_values(frame: pl.DataFrame) -> tuple[str, ...]:
    return tuple(str(v) for v in frame.to_series(0).to_list())


def detail_aggregate_names() -> tuple[str, ...]:
    """Every name `detail_aggregates` may store (its FEC-only ones included)."""
    return (
        *(stored_name(entity, part) for entity in STORED_KINDS for part in SUMMARY_PARTS),
        stored_name("committee", "top_donors"),
        stored_name("committee", "receipts"),
    )


def detail_aggregates(ds: Dataset) -> dict[str, pl.LazyFrame]:
    """The detail figures of the large committees and races, stored with the cache
    (`panes.pane_aggregates`) so their details read none of their receipts under default
    filters: their statistics (`entity_stats.summary_aggregates`), a committee's top donors and,
    on FEC data, its receipt figures for the reconciliation. Keyed by ``entity_id``."""
    out = summary_aggregates(ds)
    columns = _stored_columns(ds)
    receipts = large_receipts(ds, "committee", columns)
    top = _top_donors(receipts, ["entity_id"]).sort("entity_id", maintain_order=True)
    out[stored_name("committee", "top_donors")] = top
    if FILER_COLUMN in columns:
        figures = receipt_figures(receipts, ["entity_id"]).sort("entity_id")
        out[stored_name("committee", "receipts")] = figures
    return out


def _stored_columns(ds: Dataset) -> list[str]:
    """The receipt columns `detail_aggregates` reads: the figures', and as `_select` reads
    them, who filed each row and its file's cycle (for `reconciliation`) when present."""
    available = ds.transactions.collect_schema().names()
    return [*FIGURE_COLUMNS, *(c for c in (FILER_COLUMN, CYCLE_COLUMN) if c in available)]


DetailPartial = Callable[[Dataset], pl.LazyFrame]
DetailCombine = Callable[[pl.LazyFrame, Dataset], pl.LazyFrame]


def sliced_detail_aggregate(name: str) -> tuple[DetailPartial, DetailCombine] | None:
    """For a `detail_aggregates` result that groups each entity's receipts by donor (so a
    committee with millions of donors holds them all at once), how to compute it over slices
    of the rows that split no donor: a partial result per slice, and how the concatenated
    partials and the whole rows combine into the result (`moneytrail.data.cache.PerPart`).
    None for the others, which group by a few values."""
    summary = donor_summary_parts().get(name)
    if summary is not None:
        entity, part = summary
        return (
            lambda ds: summary_partial(ds, entity, part),
            lambda partials, ds: summary_combine(ds, entity, part, partials),
        )
    if name == stored_name("committee", "top_donors"):
        return _top_donors_partial, _top_donors_combine
    return None


def _top_donors_partial(ds: Dataset) -> pl.LazyFrame:
    """Every committee's top donors among the rows' donors (not only large committees')."""
    return _top_donors(keyed_receipts(ds, "committee", _stored_columns(ds)), ["entity_id"])


def _top_donors_combine(partials: pl.LazyFrame, ds: Dataset) -> pl.LazyFrame:
    """The large committees' top donors from slices' `_top_donors_partial`: each donor is in
    one slice, so the top of the slices' tops is the top (`_by_total` orders completely)."""
    listed = partials.join(large_ids(ds, "committee"), on="entity_id", how="semi")
    ordered = _by_total(listed, "name", ["donor_key"])
    top = ordered.group_by("entity_id", maintain_order=True).head(TOP_DONORS)
    return top.sort("entity_id", maintain_order=True)


# --- rows ----------------------------------------------------------------------------------


class HasRows(Protocol):
    """Any detail: its lazy row listing and how many rows it holds."""

    @property
    def rows(self) -> pl.LazyFrame:
        """Every column of the entity's visible rows, in ``ROW_ORDER``."""
        ...

    @property
    def row_count(self) -> int:
        """How many rows `rows` holds."""
        ...


def rows_page(detail: HasRows, limit: int, sort: tuple[str, bool] | None = None) -> pl.DataFrame:
    """The first `limit` rows of a detail's listing (what a grid shows first).

    In ``ROW_ORDER``, or with `sort` the first `limit` of `sorted_rows(detail, sort)`: only the
    page is materialised, so a sorted page of a million-row committee costs a top-k, not a copy.
    """
    return sorted_rows(detail, sort).head(limit).collect()


def sorted_rows(detail: HasRows, sort: tuple[str, bool] | None) -> pl.LazyFrame:
    """A detail's listing (not read), sorted by `(column, descending)` when `sort` is given.

    The sort keeps ``ROW_ORDER`` among equal values (nulls last), as `all_rows` and the grids do;
    an export streams this frame to its file (`moneytrail.query.export.export_lazy`).
    """
    if sort is None:
        return detail.rows
    return detail.rows.sort(sort[0], descending=sort[1], nulls_last=True, maintain_order=True)


def all_rows(detail: HasRows, sort: tuple[str, bool] | None = None) -> pl.DataFrame:
    """Every row of a detail's listing, in ``ROW_ORDER`` or sorted by `(column, descending)`.

    The sort keeps ``ROW_ORDER`` among equal values (nulls last), as the grids' sort does.
    """
    return sorted_rows(detail, sort).collect()


def head_row(detail: Any) -> dict[str, Any]:
    """The entity's own pane row (committee, race or candidate) as a dict; empty for a donor."""
    for name in ("committee", "race", "candidate"):
        frame = getattr(detail, name, None)
        if isinstance(frame, pl.DataFrame):
            return frame.row(0, named=True) if frame.height else {}
    return {}


def sections(detail: Any) -> tuple[tuple[str, pl.DataFrame], ...]:
    """`(field name, frame)` of a detail's list sections, in the dataclass's order.

    The entity's own one-row frame and the lazy ``rows`` listing are not sections (see
    `head_row`, `rows_page`).
    """
    return tuple(
        (f.name, value)
        for f in dataclasses.fields(detail)
        if f.name not in ("committee", "race", "candidate")
        and isinstance(value := getattr(detail, f.name), pl.DataFrame)
    )


# --- donor ---------------------------------------------------------------------------------


def donor_detail(ds: Dataset, filters: Filters | None, donor_key: str) -> DonorDetail:
    """Everything about one donor identity (``donor_key`` as in the donors pane).

    Identity facts (names, cities, states, employers, occupations) come from the donor's counted
    rows, or from all of its rows when the filters leave none, so a filtered-out donor still shows
    who it is (with an empty summary).
    """
    filters = filters or Filters()
    matching = entity_rows(ds, "donor", donor_key)
    # A row's cycle needs its own `cycle` (FEC rows) as well as its date (`query.cycles`).
    cycle = [CYCLE_COLUMN] if CYCLE_COLUMN in ds.transactions.collect_schema().names() else []
    everything = matching.select(*FIGURE_COLUMNS, *_DONOR_FACTS, *cycle).collect()
    if everything.height == 0:
        raise LookupError(f"no donor with key {donor_key!r} in dataset {ds.name!r}")
    visible = filters.apply(everything.lazy())
    counted = visible.filter(NOT_MEMO)
    recipients = (
        counted.group_by(pl.col("recipient_committee_id").alias("committee_id"))
        .agg(total_cents=pl.col("amount_cents").sum(), count=pl.len())
        .join(_committee_names(ds), on="committee_id", how="left")
        .join(ds.committees.select("committee_id", "candidate_id"), on="committee_id", how="left")
        .join(_candidate_names(ds), on="candidate_id", how="left")
        .select(
            "committee_id",
            "name",
            "kind",
            "candidate_id",
            "candidate_name",
            "race_id",
            "race_name",
            "total_cents",
            "count",
        )
    )
    counted_now = counted.collect()
    facts = counted_now.lazy() if counted_now.height else everything.lazy()
    names, cities, states, employers, occupations, recips, shown = pl.collect_all(
        [
            _ranked_values(facts, "source_name"),
            _ranked_values(facts, "source_city"),
            _ranked_values(facts, "source_state"),
            _ranked_values(facts, "source_employer"),
            _ranked_values(facts, "source_occupation"),
            _by_total(recipients, "name", ["committee_id"]),
            visible.select(pl.len()),
        ]
    )
    variants = _column_values(names)
    return DonorDetail(
        donor_key=donor_key,
        name=variants[0] if variants else None,
        variants=variants,
        cities=_column_values(cities),
        states=_column_values(states),
        employers=_column_values(employers),
        occupations=_column_values(occupations),
        stats=build_stats("donor", summarize(counted_now.lazy()), {}, None),
        recipients=recips,
        rows=with_names(ds, filters.apply(matching)).sort(ROW_ORDER),
        row_count=int(shown.item()),
    )


# --- committee -----------------------------------------------------------------------------


def committee_detail(ds: Dataset, filters: Filters | None, committee_id: str) -> CommitteeDetail:
    """Everything about one committee: receipts, donors, transfers, IEs, other spending, rows."""
    filters = filters or Filters()
    info = _one(ds.committees, "committee", "committee_id", committee_id, ds)
    fec = can_reconcile(ds.transactions.collect_schema().names(), info.columns)
    stored = stored_parts(
        ds, filters, "committee", committee_id, ("top_donors", *(("receipts",) if fec else ()))
    )
    if stored is not None:
        return _stored_committee(ds, filters, info, stored)
    selection = _select(ds, filters, committee_rows(ds, committee_id))
    counted = selection.counted
    receipts = counted.filter(received_by([committee_id]))
    trans, ie, exp = _spending(ds, counted.filter(paid_by(committee_id)))
    row, top = pl.collect_all([committee_table(info.lazy(), counted), _top_donors(receipts)])
    home = info.item(0, "state")
    outside = outside_shares(ds, filters, "committee", committee_id, receipts, home)
    return CommitteeDetail(
        reconciliation=_reconciliation(ds, receipts, info),
        committee=row,
        stats=build_stats("committee", summarize(receipts), row.row(0, named=True), outside),
        top_donors=top,
        transfers_out=trans,
        independent_expenditures=ie,
        expenditures=exp,
        rows=selection.listing,
        row_count=selection.visible.height,
    )


def _stored_committee(
    ds: Dataset, filters: Filters, info: pl.DataFrame, stored: dict[str, pl.DataFrame]
) -> CommitteeDetail:
    """A large committee's detail from its stored figures (`entity_stats.stored_parts`): only
    the rows it paid are read (from their ``donor_key`` cluster), never its receipts."""
    committee_id = str(info.item(0, "committee_id"))
    paid = _select(ds, filters, committee_paid_rows(ds, committee_id))
    trans, ie, exp = _spending(ds, paid.counted.filter(paid_by(committee_id)))
    row = stored_pane_row(ds, "committee", committee_id).collect()
    summary = summary_from_parts(stored)
    home = info.item(0, "state")
    outside = outside_shares(ds, filters, "committee", committee_id, state_totals(summary), home)
    figures = stored.get("receipts")
    return CommitteeDetail(
        reconciliation=None if figures is None else reconciled(figures.lazy(), info).collect(),
        committee=row,
        stats=build_stats("committee", summary, row.row(0, named=True), outside),
        top_donors=stored["top_donors"],
        transfers_out=trans,
        independent_expenditures=ie,
        expenditures=exp,
        rows=with_names(ds, filters.apply(committee_rows(ds, committee_id))).sort(ROW_ORDER),
        row_count=summary.count + paid.visible.height,
    )


def _spending(ds: Dataset, out: pl.LazyFrame) -> list[pl.DataFrame]:
    """A committee's counted payments `out` as its three spending sections (collected):
    transfers out, independent expenditures, other spending."""
    transfers = (
        out.filter(IS_CONTRIBUTION)
        .group_by(pl.col("recipient_committee_id").alias("committee_id"))
        .agg(total_cents=pl.col("amount_cents").sum(), count=pl.len())
        .join(_committee_names(ds), on="committee_id", how="left")
        .select("committee_id", "name", "kind", "total_cents", "count")
    )
    ies = (
        out.filter(IS_IE)
        .group_by("candidate_id", "support_oppose")
        .agg(total_cents=pl.col("amount_cents").sum(), count=pl.len())
        .join(_candidate_names(ds), on="candidate_id", how="left")
        .select(
            "candidate_id",
            "candidate_name",
            "race_id",
            "race_name",
            "support_oppose",
            "total_cents",
            "count",
        )
    )
    spending = (
        out.filter(pl.col("kind") == "expenditure")
        .group_by("description")
        .agg(total_cents=pl.col("amount_cents").sum(), count=pl.len())
    )
    return pl.collect_all(
        [
            _by_total(transfers, "name", ["committee_id"]),
            _by_total(ies, "candidate_name", ["candidate_id", "support_oppose"]),
            _by_total(spending, "description", []),
        ]
    )


# --- race ----------------------------------------------------------------------------------


def race_detail(
    ds: Dataset, filters: Filters | None, race_id: str, *, all_candidates: bool = False
) -> RaceDetail:
    """Everything about one race: its candidates, outside spenders and all money into it.

    ``candidates`` lists the candidates with money (`races.has_money`), as `race_candidates`;
    with `all_candidates` also those with none.
    """
    filters = filters or Filters()
    info = _one(ds.races, "race", "race_id", race_id, ds)
    candidates = ds.candidates.filter(pl.col("race_id") == race_id).collect()
    candidate_ids = sorted(candidates.get_column("candidate_id").to_list())
    committee_ids = candidate_committee_ids(ds, candidate_ids)
    stored = stored_parts(ds, filters, "race", race_id, ())
    if stored is not None and "candidates" in ds.aggregates:
        money = (candidate_ids, committee_ids)
        return _stored_race(ds, filters, info, money, stored, all_candidates=all_candidates)
    selection = _select(ds, filters, candidates_rows(ds, candidate_ids, committee_ids))
    counted = selection.counted
    per_candidate = candidate_table(ds, counted, candidates.lazy())
    race_row, cands, spend = pl.collect_all(
        [
            race_table(ds, per_candidate, info.lazy()),
            ranked(
                per_candidate if all_candidates else per_candidate.filter(HAS_MONEY), "candidate_id"
            ).select(RACE_CANDIDATE_COLUMNS),
            _spenders(ds, counted),
        ]
    )
    home = info.item(0, "state")
    outside = outside_shares(ds, filters, "race", race_id, counted, home)
    raised = summarize(counted.filter(received_by(committee_ids)))
    return RaceDetail(
        race=race_row,
        candidates=cands,
        spenders=spend,
        stats=build_stats("race", raised, race_row.row(0, named=True), outside),
        rows=selection.listing,
        row_count=selection.visible.height,
    )


def _stored_race(
    ds: Dataset,
    filters: Filters,
    info: pl.DataFrame,
    money: tuple[list[str], list[str]],
    stored: dict[str, pl.DataFrame],
    *,
    all_candidates: bool,
) -> RaceDetail:
    """A large race's detail from its stored figures (`entity_stats.stored_parts`) and stored
    pane rows: only the independent expenditures on its candidates are read."""
    race_id = str(info.item(0, "race_id"))
    candidate_ids, committee_ids = money
    on_candidates = IS_IE & pl.col("candidate_id").is_in(candidate_ids)
    ies = _select(ds, filters, ie_table(ds).filter(on_candidates))
    on_race = ds.aggregates["candidates"].filter(pl.col("race_id") == race_id)
    listed = on_race if all_candidates else on_race.filter(HAS_MONEY)
    race_row, cands, spend = pl.collect_all(
        [
            stored_pane_row(ds, "race", race_id),
            ranked(listed, "candidate_id").select(RACE_CANDIDATE_COLUMNS),
            _spenders(ds, ies.counted),
        ]
    )
    summary = summary_from_parts(stored)
    contest = pl.concat([state_totals(summary), ies.counted.select("source_state", "amount_cents")])
    outside = outside_shares(ds, filters, "race", race_id, contest, info.item(0, "state"))
    listing = filters.apply(candidates_rows(ds, candidate_ids, committee_ids))
    return RaceDetail(
        race=race_row,
        candidates=cands,
        spenders=spend,
        stats=build_stats("race", summary, race_row.row(0, named=True), outside),
        rows=with_names(ds, listing).sort(ROW_ORDER),
        row_count=summary.count + ies.visible.height,
    )


def _spenders(ds: Dataset, counted: pl.LazyFrame) -> pl.LazyFrame:
    """The outside spenders of counted rows: independent expenditures by spender, candidate and
    support/oppose, biggest first."""
    spenders = (
        counted.filter(IS_IE)
        .group_by(pl.col("source_id").alias("committee_id"), "candidate_id", "support_oppose")
        .agg(total_cents=pl.col("amount_cents").sum(), count=pl.len())
        .join(ds.committees.select("committee_id", "name"), on="committee_id", how="left")
        .join(
            ds.candidates.select("candidate_id", pl.col("name").alias("candidate_name")),
            on="candidate_id",
            how="left",
        )
        .select(
            "committee_id",
            "name",
            "candidate_id",
            "candidate_name",
            "support_oppose",
            "total_cents",
            "count",
        )
    )
    return _by_total(spenders, "name", ["committee_id", "candidate_id", "support_oppose"])


# --- candidate -----------------------------------------------------------------------------


def candidate_detail(ds: Dataset, filters: Filters | None, candidate_id: str) -> CandidateDetail:
    """Everything about one candidate: its committees, their funders, the outside spenders."""
    filters = filters or Filters()
    info = _one(ds.candidates, "candidate", "candidate_id", candidate_id, ds)
    committee_ids = candidate_committee_ids(ds, [candidate_id])
    selection = _select(ds, filters, candidates_rows(ds, [candidate_id], committee_ids))
    counted = selection.counted
    receipts = counted.filter(received_by(committee_ids))
    own = ds.committees.filter(pl.col("committee_id").is_in(committee_ids))
    committees = committee_table(own, receipts).select(
        "committee_id", "name", "kind", "state", "receipts_cents", "receipts_count", "donors"
    )
    outside = (
        counted.filter(IS_IE & (pl.col("candidate_id") == candidate_id))
        .group_by(pl.col("source_id").alias("committee_id"), "support_oppose")
        .agg(total_cents=pl.col("amount_cents").sum(), count=pl.len())
        .join(ds.committees.select("committee_id", "name"), on="committee_id", how="left")
        .select("committee_id", "name", "support_oppose", "total_cents", "count")
    )
    race_state = ds.races.join(info.lazy().select("race_id"), on="race_id", how="inner").select(
        "state"
    )
    row, comms, top, spenders, state = pl.collect_all(
        [
            candidate_table(ds, counted, info.lazy()).select(CANDIDATE_COLUMNS),
            committees.sort(
                ["receipts_cents", "name", "committee_id"],
                descending=[True, False, False],
                nulls_last=True,
            ),
            _top_donors(receipts),
            _by_total(outside, "name", ["committee_id", "support_oppose"]),
            race_state,
        ]
    )
    home = state.item(0, 0) if state.height else None
    shares = outside_shares(ds, filters, "candidate", candidate_id, counted, home)
    return CandidateDetail(
        reconciliation=_reconciliation(ds, receipts, info),
        candidate=row,
        committees=comms,
        top_funders=top,
        outside_spenders=spenders,
        stats=build_stats("candidate", summarize(receipts), row.row(0, named=True), shares),
        rows=selection.listing,
        row_count=selection.visible.height,
    )
