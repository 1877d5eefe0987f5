"""What each view asks of the query layer, as plain functions run inside thread workers.

Contract: every function here calls query-layer functions and `present.table.TableModel.build`
only; none touches Textual, builds a Polars plan or collects one (the query layer runs every
plan), so they run in `@work(thread=True)` workers and can be tested alone. A detail result is
split generically: the entity's own pane row and the scalars describe it (the identity line), a
`Summary` feeds the statistics panel, and every other frame is a section (a tab). The raw rows,
which a detail leaves unread, are not a section: `DetailResult.rows` keeps the detail so the Rows
tab can ask for them when it is opened, a page at a time (`rows_model`: the first `PAGE_ROWS` in
the order asked for, with the detail's row count as the model's total), all of them only to
search them (`rows_search_model`) or to stream them to a file (`export_rows`).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from moneytrail.data.dataset import Dataset
from moneytrail.data.ids import split_qualified
from moneytrail.present import table
from moneytrail.present.table import TableModel
from moneytrail.query import details, entity_stats, export, panes, trace
from moneytrail.query.filters import Filters
from moneytrail.query.kinds import KINDS, kind, pane_of
from moneytrail.query.trace_result import TraceResult
from moneytrail.ui.views import PANE_ENTITY, PANE_ORDER, Entity, EntityView, Pane

#: Section labels for the detail dataclasses' frame fields.
SECTION_LABELS: dict[str, str] = {
    "recipients": "Recipients",
    "rows": "Rows",
    "top_donors": "Top donors",
    "transfers_out": "Passed on",
    "independent_expenditures": "Ind. spending",
    "expenditures": "Spending",
    "candidates": "Candidates",
    "spenders": "Outside money",
    "committees": "Committees",
    "top_funders": "Top funders",
    "outside_spenders": "Outside money",
    "reconciliation": "Reconciliation",
}
#: Columns shown first in a detail's raw-row section.
ROW_ORDER: tuple[str, ...] = (
    "date",
    "amount_cents",
    "memo",  # beside the amount, so a memo row (shown, never counted) is marked at any width
    "source_name",
    "kind",
    "recipient_name",
    "recipient_committee_id",
    "candidate_name",
    "candidate_id",
    "support_oppose",
    "source_state",
)
SECTION_ORDER: dict[str, tuple[str, ...]] = {
    "rows": ROW_ORDER,
    "candidates": (
        "name",
        "party",
        "raised_cents",
        "ie_support_cents",
        "ie_oppose_cents",
        "incumbent",
        "won",
    ),
    "recipients": ("name", "total_cents", "count", "candidate_name", "race_name"),
    "top_donors": ("name", "state", "total_cents", "count"),
    "transfers_out": ("name", "kind", "total_cents", "count"),
    "committees": ("name", "kind", "state", "receipts_cents", "receipts_count", "donors"),
    "top_funders": ("name", "state", "total_cents", "count"),
    "independent_expenditures": ("candidate_name", "support_oppose", "total_cents", "count"),
    "spenders": ("name", "candidate_name", "support_oppose", "total_cents", "count"),
    "outside_spenders": ("name", "support_oppose", "total_cents", "count"),
}
#: Columns hidden in every grid (kept for drill-down, copy and export).
HIDDEN: tuple[str, ...] = ("donor_key",)
#: The query-layer pane behind each UI pane: the pane of the kind the UI pane lists.
_PANE_QUERY: dict[Pane, panes.PaneName] = {
    pane: pane_of(entity) for pane, (entity, _id) in PANE_ENTITY.items()
}
#: Detail fields that are neither identity facts nor sections of their own: each kind's own
#: row (`EntityKind.head`), the row listing, and a donor's identity.
_NOT_FACTS: tuple[str, ...] = (
    *(k.head for k in KINDS.values() if k.head is not None),
    "rows",
    "row_count",
    "name",
    "donor_key",
)


#: Rows a pane reads at a time: the first page, then one more each time the grid's cursor
#: nears the last row read (up to `table.PAGE_ROWS`).
PANE_PAGE = 25_000


def pane_model(
    ds: Dataset,
    filters: Filters,
    pane: Pane,
    committee_donors: bool | None = None,
    sort: tuple[str, bool] | None = None,
    search: str = "",
) -> TableModel:
    """The first `PANE_PAGE` rows of a top-level pane, sorted by `sort` and kept to the rows
    with the `/` word `search` by the query layer (`panes.pane_window`); the model's total is
    the listing's row count (`committee_donors`: see `panes.pane_frame`)."""
    window = panes.pane_window(
        ds,
        filters,
        _PANE_QUERY[pane],
        offset=0,
        limit=PANE_PAGE,
        sort=sort,
        search=search,
        hidden=HIDDEN,
        committee_donors=committee_donors,
    )
    return TableModel.page(
        window.rows,
        total=window.total,
        order=PANE_ORDER[pane],
        hidden=HIDDEN,
        sort=sort,
        search=search,
    )


def pane_more(
    model: TableModel,
    ds: Dataset,
    filters: Filters,
    pane: Pane,
    committee_donors: bool | None = None,
) -> TableModel:
    """`model` (a pane's page) with the listing's next `PANE_PAGE` rows appended, in its order
    and under its `/` word; at most `table.PAGE_ROWS` rows are ever held."""
    limit = min(PANE_PAGE, table.PAGE_ROWS - model.raw.height)
    if limit <= 0 or not model.is_page:
        return model
    window = panes.pane_window(
        ds,
        filters,
        _PANE_QUERY[pane],
        offset=model.raw.height,
        limit=limit,
        sort=model.sort,
        search=model.search,
        hidden=HIDDEN,
        committee_donors=committee_donors,
    )
    return model.extended(window.rows, window.total)


def export_pane(
    ds: Dataset,
    filters: Filters,
    pane: Pane,
    committee_donors: bool | None,
    sort: tuple[str, bool] | None,
    search: str,
    path: Path,
) -> Path:
    """Write every row of a pane's listing (in the order and under the `/` word shown) to
    `path`, streamed by the query layer, never through the UI; returns `path`.

    Raises:
        ExportError: the format cannot be told from `path`.
        OSError: the file cannot be written.
    """
    listing = panes.pane_listing(
        ds,
        filters,
        _PANE_QUERY[pane],
        sort=sort,
        search=search,
        hidden=HIDDEN,
        committee_donors=committee_donors,
    )
    return export.export_lazy(listing, path)


def pane_shown_share(ds: Dataset, filters: Filters, pane: Pane) -> float | None:
    """The share of a pane's headline money the filters leave (None without filters)."""
    return panes.shown_share(ds, filters, _PANE_QUERY[pane])


def rejects_text(ds: Dataset, limit: int) -> Any:
    """The rejected rows view's text: the first `limit` rejects (`present.rejects`)."""
    from moneytrail.present.rejects import rejects_text as text_of
    from moneytrail.query.rejects import rejected_rows

    rows = rejected_rows(ds, limit)
    return text_of(rows.iter_rows(named=True), ds.report.rows_rejected)


def row_summary(
    ds: Dataset, filters: Filters, entity: Entity, entity_id: str
) -> entity_stats.EntityStats:
    """Statistics of one pane row's money (the side panel of a pane; docs/figures.md)."""
    return entity_stats.entity_stats(ds, filters, entity, entity_id)


@dataclass(frozen=True, slots=True)
class DetailResult:
    """A detail query split for display."""

    #: `(label, value)` facts about the entity, already plain strings.
    identity: tuple[tuple[str, str], ...]
    summary: Any
    #: `(field name, label, model)` per section, in the dataclass's order (not the raw rows).
    sections: tuple[tuple[str, str, TableModel], ...]
    #: The detail itself, whose lazy ``rows`` listing the Rows tab reads on demand.
    rows: details.HasRows
    #: The share of the entity's headline money the filters leave (`panes.shown_share`; None
    #: without a filter), for the header's filter status.
    shown: float | None = None


def _detail(ds: Dataset, filters: Filters, view: EntityView, all_candidates: bool) -> Any:
    # A race lists only its candidates with money unless asked (`races.race_candidates`).
    options = {"all_candidates": True} if view.entity == "race" and all_candidates else {}
    return kind(view.entity).detail(ds, filters, view.id, **options)


_IDENTITY_COLUMNS: tuple[str, ...] = (
    "committee_id",
    "candidate_id",
    "race_id",
    "kind",
    "party",
    "state",
    "office",
    "jurisdiction",
    "year",
    "stage",
    "race_name",
    "incumbent",
    "won",
)


def _identity_of_row(row: dict[str, Any]) -> list[tuple[str, str]]:
    return [
        (col.replace("_", " "), _as_filed(col, str(row[col])))
        for col in _IDENTITY_COLUMNS
        if row.get(col) not in (None, "")
    ]


def _as_filed(column: str, value: str) -> str:
    """An id as its filing system writes it, with that system (`fl:X` -> `X (fl)`): users see
    and type ids as filed (docs/sources.md); other values as they are."""
    if not column.endswith("_id"):
        return value
    source, written = split_qualified(value)
    return written if source is None else f"{written} ({source})"


def detail_result(
    ds: Dataset, filters: Filters, view: EntityView, all_candidates: bool = False
) -> DetailResult:
    """Run the detail query for `view` and split it into identity, summary and sections.

    The raw rows are not read here (see the module docstring): opening a committee costs its
    figures only, however many rows it has. `all_candidates`: a race lists its candidates with
    no money too.
    """
    detail = _detail(ds, filters, view, all_candidates)
    identity = _identity_of_row(details.head_row(detail))
    summary: Any = None
    frames = details.sections(detail)
    framed = {name for name, _ in frames}
    for f in dataclasses.fields(detail):
        if f.name in framed or f.name in _NOT_FACTS:
            continue
        value = getattr(detail, f.name)
        if isinstance(value, entity_stats.EntityStats):
            summary = value
        elif isinstance(value, tuple):
            if value and f.name != "variants":
                identity.append((f.name, "; ".join(str(v) for v in value[:3])))
            elif len(value) > 1:
                identity.append(("name variants", str(len(value))))
        elif value not in (None, ""):
            identity.append((f.name.replace("_", " "), str(value)))
    sections: list[tuple[str, str, TableModel]] = []
    for name, frame in frames:
        label = SECTION_LABELS.get(name, name.replace("_", " ").capitalize())
        model = TableModel.build(frame, order=SECTION_ORDER.get(name, ()), hidden=HIDDEN)
        sections.append((name, label, model))
    shown = panes.shown_share(ds, filters, view.entity, view.id)
    return DetailResult(tuple(identity), summary, tuple(sections), detail, shown)


def rows_model(rows: details.HasRows, sort: tuple[str, bool] | None = None) -> TableModel:
    """The Rows tab: the first `PAGE_ROWS` of a detail's rows (sorted by `sort` when given).

    The model's total is the detail's row count, so the header says how many rows there are and
    that only the first page is shown; the model cannot sort or search itself (`is_page`).
    """
    page = details.rows_page(rows, table.PAGE_ROWS, sort)
    return TableModel.build(
        page, order=SECTION_ORDER["rows"], hidden=HIDDEN, sort=sort, total=rows.row_count
    )


def rows_search_model(
    rows: details.HasRows, sort: tuple[str, bool] | None, term: str
) -> TableModel:
    """The Rows tab under a `/` word filter: every row is read and searched, matches kept.

    The model holds every matching row (it can be sorted and exported as it is).
    """
    return TableModel.build(
        details.all_rows(rows),
        order=SECTION_ORDER["rows"],
        hidden=HIDDEN,
        sort=sort,
        search=term.strip(),
    )


def export_rows(rows: details.HasRows, sort: tuple[str, bool] | None, path: Path) -> Path:
    """Write every row of a detail (in the Rows tab's order) to `path`; returns `path`.

    Raises:
        ExportError: the format cannot be told from `path`.
        OSError: the file cannot be written.
    """
    return export.export_lazy(details.sorted_rows(rows, sort), path)


def export_trace(result: TraceResult, path: Path) -> Path:
    """Write a flow view's tree (every node, depth first) to `path`; returns `path`.

    Raises:
        ExportError: the format cannot be told from `path`.
        OSError: the file cannot be written.
    """
    return export.export_frame(trace.tree_frame(result), path)


def race_trace(ds: Dataset, filters: Filters, race_id: str) -> TraceResult:
    """The race's trace, whose header facts (`present.trace.trace_context_parts`: ultimate
    outside share, unattributed share, largest source and its income ratio) the race detail's
    context line shows."""
    return trace.trace_race(ds, filters, race_id)
