"""`DetailScreen`: one donor, committee, race or candidate, reached by drilling down.

The detail query runs once per filter setting in a worker; its frames become tabs (recipients,
top donors, candidates, ...), its one-row frames and scalars the identity line, and its `Summary`
the statistics panel. `Enter` on any row that names another entity goes there. A race also shows
its context line under the identity (the trace's header facts: ultimate sources outside its state,
unattributed money, the largest ultimate source and its multiple of the local median household
income), traced in its own worker group (``context``) once the detail is in, worded as the flow
view words them.

The Rows tab (the entity's raw transactions, up to millions for a big committee) is read only when
it is selected, in its own exclusive worker group (``rows``, stale results dropped): the first
`PAGE_ROWS` rows, with the detail's row count as the model's total so the header says how many of
how many are shown. Sorting it asks the query layer for the first page in the new order; `/` reads
and searches every row; export streams every row to the file (in the tab's order), never the page.
"""

from __future__ import annotations

from functools import partial
from typing import Any, ClassVar

from rich.text import Text
from textual import work
from textual.binding import Binding, BindingType
from textual.widgets import Static

from moneytrail.present import table
from moneytrail.present.money import format_count
from moneytrail.present.sanitize import safe_str
from moneytrail.present.table import TableModel
from moneytrail.present.trace import context_text
from moneytrail.query import details
from moneytrail.query.selection import from_fec_bulk
from moneytrail.ui import loaders
from moneytrail.ui.messages import QueryDone
from moneytrail.ui.screens.explorer import ExplorerScreen
from moneytrail.ui.views import EntityView, ViewSpec, drill_target

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

#: The tab of the raw rows, loaded on demand (see the module docstring).
ROWS = "rows"
#: The worker group of a race's context line (outside share, largest source, income ratio).
CONTEXT = "context"
#: The extra tab of committee and candidate details on FEC data.
RECONCILIATION = ("reconciliation", "Reconciliation")


class DetailScreen(ExplorerScreen):
    """One entity's detail."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "L",
            "links",
            "Links",
            show=False,
            id="links",
            tooltip="committee detail: its links across filing systems, to confirm or break",
        ),
        Binding(
            "a",
            "toggle_all_candidates",
            "All candidates",
            show=False,
            id="all-candidates",
            tooltip="race detail: also list the candidates with no money",
        ),
    ]

    def __init__(self, view: EntityView, parent_trail: tuple[ViewSpec, ...]) -> None:
        super().__init__((*parent_trail, view))
        self.view = view
        self._tabs = list(DETAIL_TABS[view.entity])
        dataset = self.mt_app.dataset
        if view.entity in ("committee", "candidate") and dataset and from_fec_bulk(dataset):
            self._tabs.append(RECONCILIATION)
        self.section = self._tabs[0][0]
        self._result: loaders.DetailResult | None = None
        self._models: dict[str, TableModel] = {}
        #: The order the Rows tab is in (None: the listing's own order).
        self._rows_sort: tuple[str, bool] | None = None
        #: A race lists its candidates with no money too (`a`).
        self.all_candidates = False

    def tab_labels(self) -> list[tuple[str, str]]:
        return [(tab_id, f"{i} {label}") for i, (tab_id, label) in enumerate(self._tabs, 1)]

    def current_tab(self) -> str:
        return self.section

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one("#identity", Static).update(
            Text(f"{self.view.entity}: {safe_str(self.view.label)}", no_wrap=True)
        )
        self.reload()

    def reload(self) -> None:
        self._result = None
        self.query_one("#context", Static).remove_class("-shown")
        self._models.clear()
        self._drop_rows()
        self._stats_key = None
        self.grid.show_message(f"Loading {safe_str(self.view.label)}…")
        app = self.mt_app
        request = self.next_request("detail")
        self.run_query(
            "detail",
            request,
            loaders.detail_result,
            app.dataset,
            app.filters,
            self.view,
            self.all_candidates,
        )

    def query_done(self, message: QueryDone) -> None:
        if message.group == ROWS:
            self._rows_done(message)
            return
        if message.group == CONTEXT:
            self._context_done(message)
            return
        if message.error:
            self.grid.show_message(f"Could not open this {self.view.entity}: {message.error}")
            return
        result: loaders.DetailResult = message.result
        self._result = result
        self._identity(result)
        self.select_tab(self.section, force=True)
        if self.view.entity == "race":
            request = self.next_request(CONTEXT)
            app = self.mt_app
            self.run_context(request, loaders.race_trace, app.dataset, app.filters, self.view.id)

    def _identity(self, result: loaders.DetailResult) -> None:
        text = Text(no_wrap=True, overflow="ellipsis")
        text.append(f"{self.view.entity}: ", style="bold")
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
        if model is None and tab_id == ROWS:
            self._open_rows()
            return
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
        if self.section == ROWS:
            self._rows_sort = model.sort

    # --- a race's context line --------------------------------------------------------------

    @work(thread=True, exclusive=True, group=CONTEXT, exit_on_error=False)
    def run_context(self, request_id: int, func: Any, *args: Any) -> None:
        """Compute a race's context figures in a thread; posts `QueryDone` of group CONTEXT."""
        self.answer(CONTEXT, request_id, func, *args)

    def _context_done(self, message: QueryDone) -> None:
        line = self.query_one("#context", Static)
        if message.error is not None:
            line.update(Text(f"Context unavailable: {message.error}"))
        else:
            line.update(context_text(message.result))
        line.set_class(bool(str(line.render())), "-shown")

    # --- the Rows tab, read on demand --------------------------------------------------------

    @work(thread=True, exclusive=True, group=ROWS, exit_on_error=False)
    def run_rows(self, request_id: int, func: Any, *args: Any) -> None:
        """Read the Rows tab's model in a thread; posts `QueryDone` of group ``rows``."""
        self.answer(ROWS, request_id, func, *args)

    def _drop_rows(self) -> None:
        """Forget a Rows read under way (the filters changed: its result is for the old ones)."""
        self.workers.cancel_group(self, ROWS)
        self._requests[ROWS] = self._requests.get(ROWS, 0) + 1
        self._pending.discard(ROWS)
        self._rows_sort = None

    def _open_rows(self) -> None:
        """The Rows tab was selected and is not read yet: read its first page."""
        if self._result is None:
            return
        count = self._result.rows.row_count
        shown = min(count, table.PAGE_ROWS)
        what = (
            f"{format_count(count)} rows"
            if shown == count
            else (f"the first {format_count(shown)} of {format_count(count)} rows")
        )
        self.grid.show_message(f"Reading {what}…")
        if ROWS in self._pending:
            return  # already on its way (the tab was left and selected again)
        request = self.next_request(ROWS)
        self.run_rows(request, loaders.rows_model, self._result.rows, self._rows_sort)

    def _rows_done(self, message: QueryDone) -> None:
        if message.error:
            if self.section == ROWS:
                self.grid.show_message(f"Could not read the rows: {message.error}")
            return
        model: TableModel = message.result
        self._models[ROWS] = model
        self._rows_sort = model.sort
        if self.section == ROWS:
            self.show_model(model, column=self.column_after(model))

    def _rows_page_shown(self) -> details.HasRows | None:
        """The detail whose Rows page (not a `/` result) is in the grid, if that is what shows."""
        model = self.grid.model
        if self.section != ROWS or self._result is None or model is None:
            return None
        return self._result.rows if model.total is not None else None

    def _sort(self, column: str) -> None:
        """Sorting the Rows page asks the query layer for the first page in the new order."""
        rows = self._rows_page_shown()
        model = self.grid.model
        if rows is None or model is None:
            super()._sort(column)  # other tabs, and a `/` result, hold every row
            return
        request = self.next_request(ROWS)
        self.run_rows(request, loaders.rows_model, rows, model.next_sort(column))
        self.notify(f"Sorting by {model.label_of(column)}…", timeout=1.5, markup=False)

    def _apply_search(self, term: str) -> None:
        """`/` on the Rows tab searches every row (read in the ``rows`` worker)."""
        if self.section != ROWS or self._result is None:
            super()._apply_search(term)
            return
        self._search_term = term
        request = self.next_request(ROWS)
        rows = self._result.rows
        if term.strip():
            self.run_rows(request, loaders.rows_search_model, rows, self._rows_sort, term)
        else:
            self.run_rows(request, loaders.rows_model, rows, self._rows_sort)

    def action_toggle_all_candidates(self) -> None:
        """On a race: list also the candidates with no money, or again only those with money."""
        if self.view.entity != "race":
            self.notify("Only a race lists candidates (a)", markup=False)
            return
        self.all_candidates = not self.all_candidates
        self.notify(
            "Every candidate listed, also those with no money (a: only those with money)"
            if self.all_candidates
            else "Only candidates with money listed (a: every candidate)",
            markup=False,
        )
        self.reload()

    def action_export(self) -> None:
        """`e`: on the Rows page, every row of the entity is written (streamed), not the page."""
        rows = self._rows_page_shown()
        if rows is None:
            super().action_export()
            return
        write = partial(loaders.export_rows, rows, self._rows_sort)
        self.mt_app.export_with(write, rows.row_count, self.export_name())

    def base_model(self) -> TableModel | None:
        return self._section_model(self.section)

    def empty_text(self) -> str:
        label = dict(self._tabs).get(self.section, self.section)
        if self.mt_app.filters.is_default:
            return f"{label}: none for this {self.view.entity}."
        return f"{label}: none under the current filters (F clears them)."

    def view_summary(self) -> Any:
        return self._result.summary if self._result is not None else None

    def shown_share(self) -> float | None:
        return self._result.shown if self._result is not None else None

    def stats_for_row(self, row: dict[str, Any]) -> tuple[Any, EntityView] | None:
        return None  # the panel shows this entity's own statistics

    def drill(
        self, row: dict[str, Any], columns: list[str], prefer: str | None = None
    ) -> EntityView | None:
        return drill_target(row, columns, current=self.view, prefer=prefer)

    def trace_target(self) -> EntityView | None:
        return self.view

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "links" and self.view.entity != "committee":
            return False  # only a committee is linked across filing systems
        return super().check_action(action, parameters)

    def action_links(self) -> None:
        """`L`: the names in other filing systems linked to this committee, to confirm or break."""
        self.mt_app.action_links(self.view.id, self.view.label)
