"""The entity kinds, declared once: donor, committee, race, candidate.

Every dispatcher that does something "for an entity" (the pane queries, details, search and
the palette, CLI ``show``/``trace``, the flow view) looks the entity up here instead of
spelling its own ``if entity == "donor"`` chain, so a new kind (or a change to one) is one edit.

Per kind: what a user calls it, the id and name columns of its listing, the figure matches are
ranked by, the pane and dataset table that list it, its listing query, its detail and its
trace. The functions are named here and imported when first called, so any query module can
import this one without an import cycle. Pure: Polars and the standard library only.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal, get_args

from moneytrail.query.figures import HEADLINE, FigureEntity

if TYPE_CHECKING:
    import polars as pl

    from moneytrail.data.dataset import Dataset
    from moneytrail.query.filters import Filters
    from moneytrail.query.trace_result import TraceResult

#: The kinds' names: the four `figures.HEADLINE` gives a headline figure (named there, once).
EntityName = FigureEntity
PaneName = Literal["donors", "committees", "races"]

#: ``listing(ds, filters, *, search=None)``: every entity of a kind, or those whose name
#: matches `search` (`query.search.word_match`).
Listing = Callable[..., "pl.LazyFrame"]
DetailFn = Callable[["Dataset", "Filters | None", str], Any]
TraceFn = Callable[..., "TraceResult"]


def _lazy(module: str, name: str) -> Callable[..., Any]:
    """`module.name`, imported on its first call."""

    def call(*args: Any, **kwargs: Any) -> Any:
        return getattr(importlib.import_module(module), name)(*args, **kwargs)

    call.__name__ = call.__qualname__ = name
    call.__doc__ = f"`{module}.{name}`"
    return call


_DETAILS = "moneytrail.query.details"
_TRACE = "moneytrail.query.trace"


@dataclass(frozen=True, slots=True)
class EntityKind:
    """One kind of entity and how every part of moneytrail reaches it.

    Attributes:
        name: the kind (``committee``), as the CLI takes it and messages say it.
        plural: ``committees``.
        id_column: the column of `listing` holding its id (a donor's is ``donor_key``).
        name_column: the column of `listing` holding its display name.
        total_column: the figure `moneytrail.query.search.find` ranks matches by: the kind's
            headline figure (`moneytrail.query.figures.HEADLINE`, docs/figures.md).
        pane: the explorer pane listing this kind, or None (candidates are listed in races).
        table: the `Dataset` table listing this kind, or None (donors are derived from rows).
        listing: every entity of the kind under filters (the pane query); ``search=`` keeps
            those whose name matches.
        detail: the drill-down of one entity, `(ds, filters, id)`.
        trace: where one entity's money came from or went, `(ds, filters, id, limit=...)`.
        traced_as: the kind the trace result describes (a candidate traces its race).
        head: the field of the detail holding the entity's own one-row frame, or None (a
            donor's detail carries its identity as fields instead).
    """

    name: EntityName
    plural: str
    id_column: str
    name_column: str
    pane: PaneName | None
    table: str | None
    listing: Listing
    detail: DetailFn
    trace: TraceFn
    traced_as: EntityName
    head: str | None

    @property
    def total_column(self) -> str:
        """The kind's headline figure column, as `HEADLINE` defines it."""
        return HEADLINE[self.name][0]


def _trace_candidate(
    ds: Dataset, filters: Filters, candidate_id: str, **kwargs: Any
) -> TraceResult:
    """A candidate's money is its race's: the race's trace."""
    from moneytrail.query import trace

    race_id = trace.candidate_race(ds, candidate_id)
    if race_id is None:
        raise LookupError(f"candidate {candidate_id!r} has no race to trace")
    return trace.trace_race(ds, filters, race_id, **kwargs)


KINDS: dict[EntityName, EntityKind] = {
    k.name: k
    for k in (
        EntityKind(
            name="donor",
            plural="donors",
            id_column="donor_key",
            name_column="name",
            pane="donors",
            table=None,
            listing=_lazy("moneytrail.query.donors", "donors"),
            detail=_lazy(_DETAILS, "donor_detail"),
            trace=_lazy(_TRACE, "trace_donor_forward"),
            traced_as="donor",
            head=None,
        ),
        EntityKind(
            name="committee",
            plural="committees",
            id_column="committee_id",
            name_column="name",
            pane="committees",
            table="committees",
            listing=_lazy("moneytrail.query.committees", "committees"),
            detail=_lazy(_DETAILS, "committee_detail"),
            trace=_lazy(_TRACE, "trace_committee"),
            traced_as="committee",
            head="committee",
        ),
        EntityKind(
            name="race",
            plural="races",
            id_column="race_id",
            name_column="name",
            pane="races",
            table="races",
            listing=_lazy("moneytrail.query.races", "races"),
            detail=_lazy(_DETAILS, "race_detail"),
            trace=_lazy(_TRACE, "trace_race"),
            traced_as="race",
            head="race",
        ),
        EntityKind(
            name="candidate",
            plural="candidates",
            id_column="candidate_id",
            name_column="name",
            pane=None,
            table="candidates",
            listing=_lazy("moneytrail.query.races", "candidates"),
            detail=_lazy(_DETAILS, "candidate_detail"),
            trace=_trace_candidate,
            traced_as="race",
            head="candidate",
        ),
    )
}

#: Every kind, in the order lists of matches show them.
ENTITY_NAMES: tuple[EntityName, ...] = get_args(EntityName)
#: The kinds an explorer pane lists, by pane.
PANES: dict[PaneName, EntityKind] = {k.pane: k for k in KINDS.values() if k.pane is not None}


def kind(name: str) -> EntityKind:
    """The kind called `name`.

    Raises:
        ValueError: no such kind (the message lists them).
    """
    try:
        return KINDS[name]  # type: ignore[index]
    except KeyError:
        raise ValueError(
            f"unknown entity {name!r}; expected {', '.join(ENTITY_NAMES[:-1])} or "
            f"{ENTITY_NAMES[-1]}"
        ) from None


def entity_sources(ds: Dataset, entity: str, entity_id: str) -> tuple[str, ...]:
    """The sources (`moneytrail.data.sources`) one entity comes from, sorted (collects).

    A listed entity has one; a donor has one per source its gifts were read from.
    """
    import polars as pl

    from moneytrail.data.schema import SOURCE_COLUMN

    k = kind(entity)
    if k.table is not None:
        rows = getattr(ds, k.table).filter(pl.col(k.id_column) == entity_id)
    else:
        rows = ds.transactions.filter(pl.col(k.id_column) == entity_id)
    if SOURCE_COLUMN not in rows.collect_schema().names():
        return ()
    found = rows.select(pl.col(SOURCE_COLUMN).drop_nulls().unique().sort()).collect()
    return tuple(found.to_series().to_list())


def pane_of(entity: str) -> PaneName:
    """The explorer pane listing `entity`.

    Raises:
        ValueError: the kind has no pane of its own (candidates are listed in races).
    """
    pane = kind(entity).pane
    if pane is None:
        raise ValueError(f"{entity} has no pane of its own")
    return pane
