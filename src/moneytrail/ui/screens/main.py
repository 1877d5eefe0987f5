"""`MainScreen`: the three top-level panes (Donors, PACs, Races) as tabs.

Each pane's first page is loaded once per filter setting in a worker and kept, so switching panes
is instant; the next rows are read as the cursor nears the last row read, and the `/` filter,
sort and export of a pane bigger than a page go to the query layer (`loaders.pane_model`,
`pane_more`, `export_pane`). The statistics panel summarises the
highlighted row's counted money. `c` on the donors pane adds or removes the committees that gave
to committees (left out by default on FEC data: they are in the PACs pane; the query layer,
`query.donors`, decides the rows).
"""

from __future__ import annotations

from functools import partial
from typing import Any, ClassVar

from textual.binding import Binding, BindingType

from moneytrail.present.table import TableModel
from moneytrail.query.donors import committees_listed_by_default
from moneytrail.ui import loaders
from moneytrail.ui.messages import QueryDone
from moneytrail.ui.screens.explorer import ExplorerScreen
from moneytrail.ui.views import PANE_ENTITY, PANE_TITLES, PANES, EntityView, Pane, PaneView


class MainScreen(ExplorerScreen):
    """Donors / PACs / Races."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "c",
            "toggle_committee_donors",
            "Committees",
            show=False,
            id="committee-donors",
            tooltip="donors pane: include or leave out committees that gave to committees",
        ),
    ]

    def __init__(self, pane: Pane = "donors") -> None:
        super().__init__((PaneView(pane),))
        self.pane: Pane = pane
        self._models: dict[Pane, TableModel] = {}
        self._base: dict[Pane, TableModel] = {}
        self._shown: dict[Pane, float | None] = {}
        #: Committee donors shown on the donors pane; None: the dataset's default.
        self.committee_donors: bool | None = None

    def committee_donors_shown(self) -> bool:
        """Whether the donors pane lists committees now (the toggle, else the default)."""
        if self.committee_donors is not None:
            return self.committee_donors
        dataset = self.mt_app.dataset
        return dataset is None or committees_listed_by_default(dataset)

    def action_toggle_committee_donors(self) -> None:
        """Include or leave out committee donors, and reload the donors pane."""
        if self.mt_app.dataset is None:
            return
        self.committee_donors = not self.committee_donors_shown()
        self._models.pop("donors", None)
        self._base.pop("donors", None)
        message = (
            "Donors: committees that gave to committees included (c to leave them out)"
            if self.committee_donors
            else "Donors: individuals and organizations; committees are in PACs (c to include)"
        )
        self.notify(message, markup=False)
        if self.pane == "donors":
            self._stats_key = None
            self.grid.show_message(f"Loading {PANE_TITLES['donors']}…")
            self._load("donors")

    def tab_labels(self) -> list[tuple[str, str]]:
        return [(p, f"{i} {PANE_TITLES[p]}") for i, p in enumerate(PANES, start=1)]

    def current_tab(self) -> str:
        return self.pane

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one("#identity").display = False
        self.select_tab(self.pane, force=True)

    def select_tab(self, tab_id: str, force: bool = False) -> None:
        if tab_id not in PANES or (tab_id == self.pane and not force):
            return
        pane: Pane = tab_id
        self.pane = pane
        self.trail = (PaneView(pane),)
        self._stats_key = None
        self.refresh_crumbs()
        cached = self._models.get(pane)
        # A pane comes back as it was left; its sort and `/` word show in the header.
        self._search_term = cached.search if cached is not None else ""
        if cached is not None:
            self.grid.show(cached, empty=self.empty_text())
            self.refresh_header()
            self.update_stats()
            return
        self.grid.show_message(f"Loading {PANE_TITLES[pane]}…")
        self._load(pane)

    def _load(self, pane: Pane) -> None:
        app = self.mt_app
        if app.dataset is None:
            return
        request = self.next_request("pane")
        self.run_query(
            "pane", request, _pane_job, app.dataset, app.filters, pane, self.committee_donors
        )

    def reload(self) -> None:
        self._models.clear()
        self._base.clear()
        self._shown.clear()
        self._stats_key = None
        self.grid.show_message(f"Loading {PANE_TITLES[self.pane]}…")
        self._load(self.pane)

    def query_done(self, message: QueryDone) -> None:
        if message.error:
            self.grid.show_message(f"Could not load {PANE_TITLES[self.pane]}: {message.error}")
            return
        pane, model, shown = message.result
        self._base[pane] = model
        self._shown[pane] = shown
        if pane == self.pane:
            self.show_model(model)

    def remember_model(self, model: TableModel) -> None:
        self._models[self.pane] = model

    def base_model(self) -> TableModel | None:
        return self._base.get(self.pane)

    def shown_share(self) -> float | None:
        return self._shown.get(self.pane)

    def empty_text(self) -> str:
        if self.pane == "races" and self.mt_app.filters.is_default:
            return "This dataset has no races (no races table, or no candidates in races)."
        if self.pane == "donors" and self.mt_app.filters.is_default:
            return "This dataset has no contributions, so there are no donors to list."
        return super().empty_text()

    def stats_for_row(self, row: dict[str, Any]) -> tuple[Any, EntityView] | None:
        view = self.drill(row, list(row))
        if view is None:
            return None
        app = self.mt_app
        return (loaders.row_summary, app.dataset, app.filters, view.entity, view.id), view

    def drill(
        self, row: dict[str, Any], columns: list[str], prefer: str | None = None
    ) -> EntityView | None:
        entity, id_col = PANE_ENTITY[self.pane]
        value = row.get(id_col)
        if value is None:
            return None
        return EntityView(entity, str(value), str(row.get("name") or value))

    def stats_title(self) -> str:
        return "Statistics"

    def page_job(self, sort: tuple[str, bool] | None, search: str) -> tuple[Any, ...] | None:
        app = self.mt_app
        if app.dataset is None:
            return None
        pane_args = (app.dataset, app.filters, self.pane, self.committee_donors)
        return (loaders.pane_model, *pane_args, sort, search)

    def more_job(self, model: TableModel) -> tuple[Any, ...] | None:
        app = self.mt_app
        if app.dataset is None:
            return None
        pane_args = (app.dataset, app.filters, self.pane, self.committee_donors)
        return (loaders.pane_more, model, *pane_args)

    def export_job(self, model: TableModel) -> Any:
        app = self.mt_app
        if app.dataset is None:
            return None
        pane_args = (app.dataset, app.filters, self.pane, self.committee_donors)
        return partial(loaders.export_pane, *pane_args, model.sort, model.search)


def _pane_job(
    ds: Any, filters: Any, pane: Pane, committee_donors: bool | None = None
) -> tuple[Pane, TableModel, float | None]:
    model = loaders.pane_model(ds, filters, pane, committee_donors)
    return pane, model, loaders.pane_shown_share(ds, filters, pane)
