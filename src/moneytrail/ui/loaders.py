"""What each view asks of the query layer, as plain functions run inside thread workers.

Contract: every function here calls query-layer functions and `present.table.TableModel.build`
only; none touches Textual, so they run in `@work(thread=True)` workers and can be tested alone.
A detail result is split generically: one-row frames and scalars describe the entity (the identity
line), a `Summary` feeds the statistics panel, every other frame is a section (a tab).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

import polars as pl

from moneytrail.data.dataset import Dataset
from moneytrail.present.table import TableModel
from moneytrail.query import committees, details, donors, races, selection, stats
from moneytrail.query.filters import Filters
from moneytrail.ui.views import PANE_ORDER, Entity, EntityView, Pane

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
}
#: Columns shown first in a detail's raw-row section.
ROW_ORDER: tuple[str, ...] = (
    "date",
    "amount_cents",
    "source_name",
    "kind",
    "recipient_committee_id",
    "candidate_id",
    "support_oppose",
    "memo",
    "source_state",
)
SECTION_ORDER: dict[str, tuple[str, ...]] = {
    "rows": ROW_ORDER,
    "candidates": ("name", "party", "incumbent", "won", "total_cents", "raised_cents"),
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


def pane_model(ds: Dataset, filters: Filters, pane: Pane) -> TableModel:
    """The rows of a top-level pane."""
    if pane == "donors":
        frame = donors.donors(ds, filters)
    elif pane == "pacs":
        frame = committees.committees(ds, filters)
    else:
        frame = races.races(ds, filters)
    return TableModel.build(frame.collect(), order=PANE_ORDER[pane], hidden=HIDDEN)


def row_summary(ds: Dataset, filters: Filters, entity: Entity, entity_id: str) -> stats.Summary:
    """Statistics of one entity's counted rows (the side panel of a pane)."""
    return stats.summarize(selection.counted_for(ds, filters, entity, entity_id))


@dataclass(frozen=True, slots=True)
class DetailResult:
    """A detail query split for display."""

    #: `(label, value)` facts about the entity, already plain strings.
    identity: tuple[tuple[str, str], ...]
    summary: Any
    #: `(field name, label, model)` per section, in the dataclass's order.
    sections: tuple[tuple[str, str, TableModel], ...]


def _detail(ds: Dataset, filters: Filters, view: EntityView) -> Any:
    if view.entity == "donor":
        return details.donor_detail(ds, filters, view.id)
    if view.entity == "committee":
        return details.committee_detail(ds, filters, view.id)
    if view.entity == "race":
        return details.race_detail(ds, filters, view.id)
    return details.candidate_detail(ds, filters, view.id)


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


def _identity_of_row(frame: pl.DataFrame) -> list[tuple[str, str]]:
    row = frame.row(0, named=True) if frame.height else {}
    return [
        (col.replace("_", " "), str(row[col]))
        for col in _IDENTITY_COLUMNS
        if row.get(col) not in (None, "")
    ]


def detail_result(ds: Dataset, filters: Filters, view: EntityView) -> DetailResult:
    """Run the detail query for `view` and split it into identity, summary and sections."""
    detail = _detail(ds, filters, view)
    identity: list[tuple[str, str]] = []
    summary: Any = None
    sections: list[tuple[str, str, TableModel]] = []
    for f in dataclasses.fields(detail):
        value = getattr(detail, f.name)
        if isinstance(value, stats.Summary):
            summary = value
        elif isinstance(value, pl.DataFrame):
            if f.name in ("committee", "race", "candidate"):
                identity.extend(_identity_of_row(value))
                continue
            label = SECTION_LABELS.get(f.name, f.name.replace("_", " ").capitalize())
            model = TableModel.build(value, order=SECTION_ORDER.get(f.name, ()), hidden=HIDDEN)
            sections.append((f.name, label, model))
        elif isinstance(value, tuple):
            if value and f.name != "variants":
                identity.append((f.name, "; ".join(str(v) for v in value[:3])))
            elif len(value) > 1:
                identity.append(("name variants", str(len(value))))
        elif f.name not in ("name", "donor_key") and value not in (None, ""):
            identity.append((f.name.replace("_", " "), str(value)))
    return DetailResult(tuple(identity), summary, tuple(sections))
