"""View specs: what a screen shows, as immutable values.

A pane (Donors, PACs, Races) and every drill-down is a frozen spec. The screen stack mirrors a
stack of specs: a drill-down pushes a new screen whose `trail` is its parent's trail plus its own
spec, so the breadcrumb is just the labels of the trail. Specs hold no data and no widgets; the
screens run the query a spec names in a worker. Global filters live on the app, not in specs, so
they stay on through every drill.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from moneytrail.query.kinds import KINDS, EntityName

Entity = EntityName

Pane = Literal["donors", "pacs", "races"]

PANES: tuple[Pane, ...] = ("donors", "pacs", "races")
PANE_TITLES: dict[Pane, str] = {"donors": "Donors", "pacs": "PACs", "races": "Races"}
#: The entity each pane's rows are, and the column holding its id.
_PANE_KINDS: dict[Pane, Entity] = {"donors": "donor", "pacs": "committee", "races": "race"}
PANE_ENTITY: dict[Pane, tuple[Entity, str]] = {
    pane: (entity, KINDS[entity].id_column) for pane, entity in _PANE_KINDS.items()
}
#: Columns shown first in each pane (the rest follow in the query's order).
PANE_ORDER: dict[Pane, tuple[str, ...]] = {
    "donors": ("name", "state", "total_cents", "count", "median_cents", "recipients"),
    "pacs": ("name", "kind", "state", "receipts_cents", "donors", "transfers_out_cents"),
    "races": (
        "name",
        "state",
        "year",
        "stage",
        "raised_cents",
        "ie_support_cents",
        "ie_oppose_cents",
    ),
}
#: Id columns a result row may carry, in the order they are tried, and the entity each names.
ID_COLUMNS: dict[str, Entity] = {
    "donor_key": "donor",
    "committee_id": "committee",
    "recipient_committee_id": "committee",
    "recipient_id": "committee",
    "source_committee_id": "committee",
    "target_committee_id": "committee",
    "candidate_id": "candidate",
    "race_id": "race",
}
#: For an id column, the columns that may hold its display name, best first.
NAME_COLUMNS: dict[str, tuple[str, ...]] = {
    "donor_key": ("name", "donor_name", "source_name"),
    "committee_id": ("committee_name", "name"),
    "recipient_committee_id": ("recipient_name", "committee_name", "name"),
    "recipient_id": ("recipient_name", "name"),
    "source_committee_id": ("source_name", "name"),
    "target_committee_id": ("target_name", "name"),
    "candidate_id": ("candidate_name", "name"),
    "race_id": ("race_name", "name"),
}


@dataclass(frozen=True, slots=True)
class PaneView:
    """A top-level pane listing every donor, committee or race."""

    pane: Pane

    @property
    def label(self) -> str:
        """Breadcrumb label."""
        return PANE_TITLES[self.pane]


@dataclass(frozen=True, slots=True)
class EntityView:
    """One entity's detail: a donor, committee, race or candidate."""

    entity: Entity
    id: str
    #: The entity's name as the row it was reached from showed it (already sanitized on display).
    name: str

    @property
    def label(self) -> str:
        """Breadcrumb label."""
        return self.name or self.id


ViewSpec = PaneView | EntityView


#: A column the cursor may sit on -> the id column of the entity it shows.
CURSOR_COLUMNS: dict[str, str] = {
    **{c: c for c in ID_COLUMNS},
    "race_name": "race_id",
    "candidate_name": "candidate_id",
    "committee_name": "committee_id",
    "recipient_name": "recipient_committee_id",
}


def drill_target(
    row: dict[str, Any],
    columns: list[str],
    *,
    current: EntityView | None = None,
    prefer: str | None = None,
) -> EntityView | None:
    """The entity a result row names, for `Enter`.

    When the cursor sits on a column showing an entity (`prefer`, e.g. ``race_name``), that
    entity; otherwise the first id column in column order. The entity being viewed is skipped,
    so Enter on a donor's own contribution rows goes to the committee that received them.
    """
    preferred = CURSOR_COLUMNS.get(prefer or "")
    if preferred is not None and preferred in columns:
        columns = [preferred, *[c for c in columns if c != preferred]]
    for column in columns:
        entity = ID_COLUMNS.get(column)
        value = row.get(column)
        if entity is None or value is None or value == "":
            continue
        if current is not None and current.entity == entity and current.id == str(value):
            continue
        name = next(
            (str(row[c]) for c in NAME_COLUMNS.get(column, ()) if row.get(c) not in (None, "")),
            str(value),
        )
        return EntityView(entity, str(value), name)
    # A committee paying the row (source_kind == committee) also names an entity.
    if row.get("source_kind") == "committee" and row.get("source_id"):
        target = EntityView("committee", str(row["source_id"]), str(row.get("source_name") or ""))
        if current is None or target.id != current.id:
            return target
    return None
