"""Command-palette providers: jump to any donor, committee, race or candidate by name.

The name lookup (`query.search.find`) runs in a thread so typing in the palette never blocks the
UI; each entity kind contributes its few biggest matches, labelled with the kind and total.
"""

from __future__ import annotations

import asyncio
from functools import partial
from typing import TYPE_CHECKING, Any

import polars as pl
from rich.text import Text
from textual.command import Hit, Hits, Provider

from moneytrail.present.money import format_money_short
from moneytrail.present.sanitize import safe_str
from moneytrail.query.search import find
from moneytrail.ui.views import Entity, EntityView

if TYPE_CHECKING:
    from moneytrail.ui.app import MoneytrailApp

ENTITIES: tuple[Entity, ...] = ("donor", "committee", "race", "candidate")
#: Matches shown per entity kind.
PER_KIND = 5


def _matches(ds: Any, filters: Any, query: str) -> list[tuple[Entity, str, str, int | None]]:
    out: list[tuple[Entity, str, str, int | None]] = []
    for entity in ENTITIES:
        try:
            frame: pl.DataFrame = find(ds, entity, query, filters=filters)
        except (LookupError, ValueError, pl.exceptions.PolarsError):
            continue
        for row in frame.head(PER_KIND).iter_rows(named=True):
            out.append((entity, str(row["id"]), str(row["name"] or row["id"]), row["total_cents"]))
    return out


class EntityProvider(Provider):
    """Donors, committees, races and candidates whose name contains the typed words."""

    async def search(self, query: str) -> Hits:
        app: MoneytrailApp = self.app  # type: ignore[assignment]
        if app.dataset is None or len(query.strip()) < 2:
            return
        found = await asyncio.to_thread(_matches, app.dataset, app.filters, query)
        for entity, entity_id, name, total in found:
            label = Text()
            label.append(f"{entity:<10}", style="dim")
            label.append(safe_str(name))
            if total is not None:
                label.append(f"  {format_money_short(total)}", style="dim")
            view = EntityView(entity, entity_id, name)
            yield Hit(
                1.0 / (1 + len(name)),
                label,
                partial(app.open_view, view, None),
                text=safe_str(name),
                help=f"open this {entity}",
            )
