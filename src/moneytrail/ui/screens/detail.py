"""`DetailScreen`: one donor, committee, race or candidate, reached by drilling down.

The detail query runs once per filter setting in a worker; its frames become tabs (recipients,
top donors, candidates, raw rows, ...), its one-row frames and scalars the identity line, and its
`Summary` the statistics panel. `Enter` on any row that names another entity goes there.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.widgets import Static

from moneytrail.present.sanitize import safe_str
from moneytrail.present.table import TableModel
from moneytrail.ui import loaders
from moneytrail.ui.messages import QueryDone
from moneytrail.ui.screens.explorer import ExplorerScreen
from moneytrail.ui.views import ENTITY_TITLES, EntityView, ViewSpec, drill_target

#: Tabs every detail kind shows, known before the query returns (so the tab line never jumps).
DETAIL_TABS: dict[str, list[tuple[str, str]]] = {
    "donor": [("recipients", "Recipients"), ("rows", "Rows")],
    "committee": [
        ("top_donors", "Top donors"),
        ("transfers_out", "Passed on"),
        ("independent_expenditures", "Ind. spending"),
        ("expenditures", "Spending"),
        ("rows", "Rows"),
    ],
    "race": [("candidates", "Candidates"), ("spenders", "Outside money"), ("rows", "Rows")],
    "candidate": [
        ("committees", "Committees"),
        ("top_funders", "Top funders"),
        ("outside_spenders", "Outside money"),
        ("rows", "Rows"),
    ],
}


class DetailScreen(ExplorerScreen):
    """One entity's detail."""

    def __init__(self, view: EntityView, parent_trail: tuple[ViewSpec, ...]) -> None:
        super().__init__((*parent_trail, view))
        self.view = view
        self._tabs = list(DETAIL_TABS[view.entity])
        self.section = self._tabs[0][0]
        self._result: loaders.DetailResult | None = None
        self._models: dict[str, TableModel] = {}

    def tab_labels(self) -> list[tuple[str, str]]:
        return [(tab_id, f"{i} {label}") for i, (tab_id, label) in enumerate(self._tabs, 1)]

    def current_tab(self) -> str:
        return self.section

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one("#identity", Static).update(
            Text(f"{ENTITY_TITLES[self.view.entity]}: {safe_str(self.view.label)}", no_wrap=True)
        )
        self.reload()

    def reload(self) -> None:
        self._result = None
        self._models.clear()
        self._stats_key = None
        self.grid.show_message(f"Loading {safe_str(self.view.label)}…")
        app = self.mt_app
        request = self.next_request("detail")
        self.run_query(
            "detail", request, loaders.detail_result, app.dataset, app.filters, self.view
        )

    def query_done(self, message: QueryDone) -> None:
        if message.error:
            self.grid.show_message(f"Could not open this {self.view.entity}: {message.error}")
            return
        result: loaders.DetailResult = message.result
        self._result = result
        self._identity(result)
        self.select_tab(self.section, force=True)

    def _identity(self, result: loaders.DetailResult) -> None:
        text = Text(no_wrap=True, overflow="ellipsis")
        text.append(f"{ENTITY_TITLES[self.view.entity]}: ", style="bold")
        text.append(safe_str(self.view.label))
        for label, value in result.identity:
            text.append(f" · {label}: ", style="dim")
            text.append(safe_str(value))
        self.query_one("#identity", Static).update(text)

    def select_tab(self, tab_id: str, force: bool = False) -> None:
        if tab_id == self.section and not force:
            return
        self.section = tab_id
        self._search_term = ""
        self._stats_key = None
        if self._result is None:
            return
        model = self._models.get(tab_id) or self._section_model(tab_id)
        if model is None:
            self.grid.show_message("This section has nothing to show for this view.")
            self.refresh_header()
            self.update_stats()
            return
        self.show_model(model)

    def _section_model(self, tab_id: str) -> TableModel | None:
        if self._result is None:
            return None
        return next((m for name, _, m in self._result.sections if name == tab_id), None)

    def remember_model(self, model: TableModel) -> None:
        self._models[self.section] = model

    def base_model(self) -> TableModel | None:
        return self._section_model(self.section)

    def empty_text(self) -> str:
        label = dict(self._tabs).get(self.section, self.section)
        if self.mt_app.filters.is_default:
            return f"{label}: none for this {self.view.entity}."
        return f"{label}: none under the current filters (F clears them)."

    def view_summary(self) -> Any:
        return self._result.summary if self._result is not None else None

    def stats_for_row(self, row: dict[str, Any]) -> tuple[Any, EntityView] | None:
        return None  # the panel shows this entity's own statistics

    def drill(
        self, row: dict[str, Any], columns: list[str], prefer: str | None = None
    ) -> EntityView | None:
        return drill_target(row, columns, current=self.view, prefer=prefer)

    def trace_target(self) -> EntityView | None:
        return self.view
