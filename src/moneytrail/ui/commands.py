"""Command-palette providers: jump to any donor, committee, race or candidate by name.

The name lookup (`query.search.find_all`) runs in a thread worker (group ``palette-search``,
exclusive: a newer keystroke cancels the older lookup, whose result is dropped), so typing in the
palette never blocks the UI; each entity kind contributes its few biggest matches, labelled with
the kind and its headline figure (a race's or candidate's raised money, a committee's receipts,
a donor's total; docs/figures.md).
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from rich.text import Text
from textual.command import Hit, Hits, Provider
from textual.worker import WorkerCancelled, WorkerFailed

from moneytrail.present.money import format_money_short
from moneytrail.present.sanitize import safe_str
from moneytrail.query.search import find_all
from moneytrail.ui.views import EntityView

if TYPE_CHECKING:
    from moneytrail.ui.app import MoneytrailApp

#: Matches shown per entity kind.
PER_KIND = 5


class EntityProvider(Provider):
    """Donors, committees, races and candidates whose name contains the typed words."""

    async def search(self, query: str) -> Hits:
        app: MoneytrailApp = self.app  # type: ignore[assignment]
        if app.dataset is None or len(query.strip()) < 2:
            return
        worker = app.run_worker(
            partial(find_all, app.dataset, query, filters=app.filters, per_entity=PER_KIND),
            thread=True,
            group="palette-search",
            exclusive=True,
            exit_on_error=False,
        )
        try:
            found = await worker.wait()
        except (WorkerCancelled, WorkerFailed):
            return  # superseded by a newer query, or the lookup failed: show nothing
        for match in found:
            label = Text()
            label.append(f"{match.entity:<10}", style="dim")
            label.append(safe_str(match.name))
            if match.total_cents is not None:
                money = format_money_short(match.total_cents)
                label.append(f"  {money} {match.figure}", style="dim")
            view = EntityView(match.entity, match.entity_id, match.name)
            yield Hit(
                1.0 / (1 + len(match.name)),
                label,
                partial(app.open_view, view, None),
                text=safe_str(match.name),
                help=f"open this {match.entity}",
            )
