"""`ExplorerScreen`: what every browsing screen shares.

Layout, top to bottom: a header line (dataset, filters, row count, a loading marker), a breadcrumb
line, a tab line (panes or detail sections), the grid with the statistics panel beside it (always
at ≥ 120 columns, toggled over the grid with `i` below that), the `/` search input when open, and
the footer. Subclasses say what the tabs are, how to load a tab's `TableModel`, what statistics to
show, and where `Enter` goes; this class runs those loads in exclusive thread workers, one group per
purpose, and drops results whose request id is stale. A tab whose model is a page of a listing
the query layer holds (a pane) is sorted, searched and exported by the query layer (`page_job`,
`export_job`), and grows by its next rows when the cursor nears the last row read (`more_job`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.events import Resize
from textual.screen import Screen
from textual.widgets import Footer, Input, Static, Tab, Tabs
from textual.worker import get_current_worker

from moneytrail.present.header import filters_text, header_line, rows_status
from moneytrail.present.sanitize import safe_str
from moneytrail.present.summary import summary_text
from moneytrail.present.table import TableModel
from moneytrail.ui.messages import QueryDone, error_line
from moneytrail.ui.views import EntityView, ViewSpec
from moneytrail.ui.widgets.grid import ResultGrid

if TYPE_CHECKING:
    from moneytrail.ui.app import MoneytrailApp

#: Width from which the statistics panel is shown beside the grid.
WIDE = 120
#: The worker group reading a paged listing's next rows.
MORE = "more"
#: Rows before the last one read at which the next rows are asked for (at least a screenful).
MORE_MARGIN = 50
CRUMB_SEPARATOR = " › "

SEARCH_HELP = "keep rows with a whole word (any case); Enter keeps it, Esc clears it"
STATS_HELP = "statistics panel (beside the grid from 120 columns, in its place below)"
TRACE_HELP = "trace the money of the row or the entity viewed (flow view)"
EXPORT_HELP = "export every row of the view: the suffix picks .csv .parquet .json .md"
TABS_HELP = "pane 1–3, or in a detail its section 1–6"


class StatsPanel(VerticalScroll):
    """The statistics panel: scrolls with the same keys as the grid and the flow view."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j,down", "scroll_down", "Down", show=False, tooltip="scroll down"),
        Binding("k,up", "scroll_up", "Up", show=False, tooltip="scroll up"),
        Binding("g,home", "scroll_home", "Top", show=False, tooltip="top"),
        Binding("G,end", "scroll_end", "Bottom", show=False, tooltip="bottom"),
        Binding("pagedown,ctrl+d", "page_down", "Page down", show=False, tooltip="page down"),
        Binding("pageup,ctrl+u", "page_up", "Page up", show=False, tooltip="page up"),
    ]


class ExplorerScreen(Screen[None]):
    """A header, breadcrumb, tabs, grid and statistics panel (see the module docstring)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "escape,q,backspace",
            "back",
            "Back",
            show=True,
            id="back",
            tooltip="back one view (first closes the search box or the statistics panel)",
        ),
        Binding("slash", "search", "Find", show=True, id="search", tooltip=SEARCH_HELP),
        Binding(
            "n",
            "next_match",
            "Next match",
            show=False,
            id="next-match",
            tooltip="next row with the / word",
        ),
        Binding(
            "N",
            "prev_match",
            "Previous match",
            show=False,
            id="prev-match",
            tooltip="previous row with the / word",
        ),
        Binding(
            "s",
            "sort",
            "Sort",
            show=True,
            id="sort",
            tooltip="sort by the cursor's column (numbers biggest first, text A–Z); again reverses",
        ),
        Binding("i", "toggle_stats", "Stats", show=True, id="stats", tooltip=STATS_HELP),
        Binding(
            "f",
            "app.filters",
            "Filter",
            show=True,
            id="filters",
            tooltip="global filters: dates, cycles, donor states, amounts, source kinds, memo rows",
        ),
        Binding(
            "F",
            "app.clear_filters",
            "Clear filters",
            show=False,
            id="clear-filters",
            tooltip="clear every filter",
        ),
        Binding("t", "trace", "Trace", show=True, id="trace", tooltip=TRACE_HELP),
        Binding("e", "export", "Export", show=True, id="export", tooltip=EXPORT_HELP),
        Binding(
            "y",
            "copy_row",
            "Copy row",
            show=False,
            id="copy-row",
            tooltip="copy the row to the clipboard (OSC 52: works over SSH)",
        ),
        Binding("Y", "copy_cell", "Copy cell", show=False, id="copy-cell", tooltip="copy the cell"),
        *(
            Binding(str(n), f"tab({n - 1})", f"Tab {n}", show=False, tooltip=TABS_HELP)
            for n in range(1, 7)
        ),
        Binding("tab", "next_tab", "Next tab", show=False, tooltip="next pane or section"),
        Binding(
            "shift+tab", "prev_tab", "Previous tab", show=False, tooltip="previous pane or section"
        ),
    ]

    def __init__(self, trail: tuple[ViewSpec, ...]) -> None:
        super().__init__()
        self.trail = trail
        self._requests: dict[str, int] = {}
        self._pending: set[str] = set()
        self._search_term = ""
        self._filters_seen: Any = None
        self._dataset_seen: Any = None
        self._stats_key: Any = None
        #: The paged model whose next rows are being read (`_want_more`).
        self._more_for: TableModel | None = None
        #: Set once the widgets are mounted; until then the screen's keys do nothing.
        self._ready = False

    # --- subclass hooks ------------------------------------------------------------------

    def tab_labels(self) -> list[tuple[str, str]]:
        """`(id, label)` of each tab."""
        raise NotImplementedError

    def current_tab(self) -> str:
        """The id of the tab shown."""
        raise NotImplementedError

    def select_tab(self, tab_id: str) -> None:
        """Show tab `tab_id` (loading it if needed)."""
        raise NotImplementedError

    def reload(self) -> None:
        """Run this screen's queries again (the filters changed)."""
        raise NotImplementedError

    def stats_for_row(self, row: dict[str, Any]) -> tuple[Any, EntityView] | None:
        """What the statistics panel should summarise for a highlighted row (None: the view)."""
        return None

    def drill(
        self, row: dict[str, Any], columns: list[str], prefer: str | None = None
    ) -> EntityView | None:
        """The entity `Enter` on `row` opens (`prefer`: the column under the cursor)."""
        raise NotImplementedError

    def trace_target(self) -> EntityView | None:
        """The entity `t` traces."""
        return None

    def view_summary(self) -> Any:
        """The statistics of the view itself, when it has one."""
        return None

    def shown_share(self) -> float | None:
        """The share of the view's headline money the filters leave, when known (header)."""
        return None

    def page_job(self, sort: tuple[str, bool] | None, search: str) -> tuple[Any, ...] | None:
        """`(func, *args)` building the current tab's first page again in another order or
        under another `/` word, when its model is a page of a listing the query layer holds
        (a pane); None when the tab's model holds every row (it sorts and searches itself)."""
        return None

    def more_job(self, model: TableModel) -> tuple[Any, ...] | None:
        """`(func, *args)` giving `model` with its listing's next rows appended, or None."""
        return None

    def export_job(self, model: TableModel) -> Any:
        """A `write(path)` streaming every row of a paged listing to a file, or None (the
        model holds every row and is exported as it is)."""
        return None

    # --- layout --------------------------------------------------------------------------

    @property
    def mt_app(self) -> MoneytrailApp:
        """The app, typed."""
        return self.app  # type: ignore[return-value]

    def compose(self) -> ComposeResult:
        yield Static(id="header", markup=False)
        yield Static(id="crumbs", markup=False)
        tabs = Tabs(*(Tab(label, id=tab_id) for tab_id, label in self.tab_labels()), id="tabs")
        tabs.can_focus = False  # keys belong to the grid; 1-6 and Tab switch tabs
        yield tabs
        yield Static(id="identity", markup=False)
        yield Static(id="context", markup=False)  # a race's money in context (details only)
        with Horizontal(id="body"):
            yield ResultGrid(id="grid")
            with StatsPanel(id="stats"):
                yield Static(id="stats-text", markup=False)
        yield Input(id="search", placeholder="find a whole word (Enter keeps, Esc clears)")
        # Compact, and the palette (Ctrl+P, in the help) left out: at 80 columns the footer then
        # holds every key a newcomer needs, t and e included.
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        self.grid.key_hook = self._grid_key
        self._filters_seen = self.mt_app.filters
        self._dataset_seen = self.mt_app.dataset
        self._apply_width(self.size.width)
        self.refresh_header()
        self.refresh_crumbs()
        self._ready = True

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """No key acts before the widgets exist.

        A screen is on top of the stack as soon as it is pushed, but its widgets mount a moment
        later: Enter then 2 in one burst (fast typing, a slow SSH link) ran `tab(1)` on a screen
        without tabs and raised `NoMatches`.
        """
        return self._ready

    def on_screen_resume(self) -> None:
        stale_data = (
            self._dataset_seen is not None and self._dataset_seen is not self.mt_app.dataset
        )
        if stale_data or (
            self._filters_seen is not None and self._filters_seen != self.mt_app.filters
        ):
            self._filters_seen = self.mt_app.filters
            self._dataset_seen = self.mt_app.dataset
            self.reload()
        self.refresh_header()
        self.grid.focus_grid()

    def on_resize(self, event: Resize) -> None:
        was_visible = self.stats_visible
        self._apply_width(event.size.width)
        self.refresh_crumbs()
        self.refresh_header()
        if self._ready and ((self.stats_visible and not was_visible) or self.has_class("-narrow")):
            # The panel was hidden (nothing was drawn into it) or its width changed: draw it
            # again, or it would show blank or cut to the old width.
            self._stats_key = None
            self.update_stats()

    def _apply_width(self, width: int) -> None:
        self.set_class(width >= WIDE, "-wide")
        self.set_class(width < WIDE, "-narrow")

    @property
    def grid(self) -> ResultGrid:
        """The grid of the current tab."""
        return self.query_one("#grid", ResultGrid)

    def cursor(self) -> tuple[TableModel | None, int, int]:
        """The grid's model, highlighted row and column, each -1 unless it exists in the model.

        Right after a new model is shown the grid can still report the cursor of the table it is
        replacing (the old table is removed asynchronously), e.g. row 36 of a 19-row pane; the
        model would raise on that row, so it is checked here.
        """
        model = self.grid.model
        if model is None:
            return None, -1, -1
        row, column = self.grid.cursor_row, self.grid.cursor_column
        row = row if 0 <= row < model.row_count else -1
        column = column if 0 <= column < len(model.columns) else -1
        return model, row, column

    @property
    def stats_visible(self) -> bool:
        """Whether the statistics panel is on screen."""
        if self.has_class("-wide"):
            return not self.has_class("-stats-closed")
        return self.has_class("-stats-open")

    def refresh_header(self) -> None:
        """Dataset name, sample note, row count (with the `/` word and the sort), active filters
        and the loading marker, fitted to the screen's width by `present.header`: the wordy
        parts shorten so the filters, the word and the sort stay readable at 80 columns."""
        app = self.mt_app
        ds = app.dataset
        rows = rows_short = None
        model = self.grid.model
        if model is not None:
            sort = None
            if model.sort is not None:
                column, descending = model.sort
                sort = (model.label_of(column), descending)
            rows, rows_short = rows_status(model.total_rows, model.row_count, model.search, sort)
        text = header_line(
            ds.name if ds else "…",
            synthetic=ds is not None and ds.synthetic,
            rows=rows,
            rows_short=rows_short,
            status=filters_text(app.filters, self.shown_share()),
            loading=bool(self._pending),
            width=max(20, self.size.width),
        )
        self.query_one("#header", Static).update(text)

    def crumb_labels(self) -> list[str]:
        """The breadcrumb, one label per view in the trail."""
        return [safe_str(spec.label) for spec in self.trail]

    def refresh_crumbs(self) -> None:
        """The breadcrumb, cut from the left when it does not fit (the end matters most)."""
        line = CRUMB_SEPARATOR.join(self.crumb_labels())
        width = max(10, self.size.width - 1)
        if len(line) > width:
            line = "…" + line[-(width - 1) :]
        self.query_one("#crumbs", Static).update(Text(line, no_wrap=True))

    # --- workers -------------------------------------------------------------------------

    def next_request(self, group: str) -> int:
        """A fresh request id for `group`; earlier ones become stale."""
        self._requests[group] = self._requests.get(group, 0) + 1
        self._pending.add(group)
        self.refresh_header()
        return self._requests[group]

    @work(thread=True, exclusive=True, group="query", exit_on_error=False)
    def run_query(self, group: str, request_id: int, func: Any, *args: Any) -> None:
        """Run `func(*args)` in a thread and post the result as `QueryDone`."""
        self.answer(group, request_id, func, *args)

    @work(thread=True, exclusive=True, group="stats", exit_on_error=False)
    def run_stats(self, request_id: int, func: Any, *args: Any) -> None:
        """Like `run_query`, in its own group so a stats load never cancels the grid's."""
        self.answer("stats", request_id, func, *args)

    @work(thread=True, exclusive=True, group="model", exit_on_error=False)
    def run_model(self, request_id: int, func: Any, *args: Any) -> None:
        """Sort/filter a model in a thread (a million rows take a moment)."""
        self.answer("model", request_id, func, *args)

    @work(thread=True, exclusive=True, group=MORE, exit_on_error=False)
    def run_more(self, request_id: int, func: Any, *args: Any) -> None:
        """Read the next rows of a paged listing in a thread (the grid scrolled near its end)."""
        self.answer(MORE, request_id, func, *args)

    def answer(self, group: str, request_id: int, func: Any, *args: Any) -> None:
        """In a worker thread: run `func(*args)` and post its result or its error (one line) as
        `QueryDone(group, request_id)`, unless the worker was cancelled (a newer request of the
        group superseded it: its result is dropped)."""
        worker = get_current_worker()
        try:
            result = func(*args)
        except Exception as exc:  # shown to the user, never a crash
            if not worker.is_cancelled:
                self.post_message(QueryDone(group, request_id, error=error_line(exc)))
            return
        if not worker.is_cancelled:
            self.post_message(QueryDone(group, request_id, result=result))

    @on(QueryDone)
    def _done(self, message: QueryDone) -> None:
        message.stop()
        if message.request_id != self._requests.get(message.group):
            return  # stale: a newer request of this group is on its way
        self._pending.discard(message.group)
        if message.group == "stats":
            self._show_stats(message)
        elif message.group == MORE:
            self._more_done(message)
        elif message.group == "model":
            if message.error is not None:
                self.notify(
                    f"Could not sort or search: {message.error}", severity="error", markup=False
                )
            else:
                self.show_model(message.result, column=self.column_after(message.result))
        else:
            self.query_done(message)
        self.refresh_header()

    def column_after(self, model: TableModel) -> int:
        """Where the cursor goes when a sort or `/` filter replaces the grid's model: on the
        sorted column (a header click sorts a column the cursor is not on), else where it was."""
        if model.sort is not None:
            names = [spec.name for spec in model.columns]
            if model.sort[0] in names:
                return names.index(model.sort[0])
        return max(0, self.grid.cursor_column)

    def query_done(self, message: QueryDone) -> None:
        """A subclass's query finished (not stale)."""
        raise NotImplementedError

    def show_model(self, model: TableModel, row: int = 0, column: int = 0) -> None:
        """Show `model` in the grid and remember it for the current tab."""
        self._drop_more()
        self.remember_model(model)
        empty = (
            f"No rows contain the word “{safe_str(model.search)}”. Press / and Esc to clear it."
            if model.search
            else self.empty_text()
        )
        self.grid.show(model, empty=empty, row=row, column=column)
        self.refresh_header()
        self.update_stats()

    def remember_model(self, model: TableModel) -> None:
        """Keep `model` as the current tab's model (subclasses cache per tab)."""

    def empty_text(self) -> str:
        """What an empty tab says."""
        if self.mt_app.filters.is_default:
            return "Nothing here in this dataset."
        return "Nothing here under the current filters. Press F to clear them, f to change them."

    # --- paged listings ------------------------------------------------------------------

    def _drop_more(self) -> None:
        """Forget a next-rows read under way: the grid now shows another model."""
        if MORE in self._pending:
            self.workers.cancel_group(self, MORE)
            self._pending.discard(MORE)
        self._requests[MORE] = self._requests.get(MORE, 0) + 1
        self._more_for = None

    def _want_more(self) -> None:
        """Read the next rows of a paged listing when the cursor nears the last row read."""
        model, row, _ = self.cursor()
        if model is None or row < 0 or not model.is_page or MORE in self._pending:
            return
        if row < model.row_count - max(MORE_MARGIN, self.grid.size.height):
            return
        job = self.more_job(model)
        if job is None:
            return
        self._more_for = model
        self.run_more(self.next_request(MORE), *job)

    def _more_done(self, message: QueryDone) -> None:
        asked_for, self._more_for = self._more_for, None
        if message.error is not None:
            error = f"Could not read more rows: {message.error}"
            self.notify(error, severity="error", markup=False)
            return
        model: TableModel = message.result
        if asked_for is not self.grid.model or model is asked_for:
            return  # the grid moved on (a sort, a word, another tab), or nothing more came
        _, row, column = self.cursor()
        self.remember_model(model)
        self.grid.show(model, empty=self.empty_text(), row=row, column=column, keep_scroll=True)

    # --- statistics ----------------------------------------------------------------------

    def update_stats(self) -> None:
        """Refresh the statistics panel for the highlighted row (or the view)."""
        if not self.stats_visible:
            return
        own = self.view_summary()
        panel = self.query_one("#stats-text", Static)
        width = self._stats_width()
        model, row, _ = self.cursor()
        target = None
        if model is not None and row >= 0:
            target = self.stats_for_row(model.row(row))
        if target is None:
            if own is not None:
                panel.update(summary_text(own, width, title=self.stats_title()))
            else:
                panel.update(Text("Highlight a row to see its statistics.", style="italic"))
            return
        func_args, view = target
        if self._stats_key == (view, self.mt_app.filters):
            return
        self._stats_key = (view, self.mt_app.filters)
        panel.update(Text(f"{safe_str(view.label)}\nloading…", no_wrap=True))
        request = self.next_request("stats")
        self.run_stats(request, *func_args)

    def _stats_width(self) -> int:
        # Beside the grid the panel is 42 cells (border and padding take 2); over it, the screen.
        return 38 if self.has_class("-wide") else max(30, min(64, self.size.width - 4))

    def stats_title(self) -> str:
        """Heading of the panel when it shows the view's own statistics."""
        return safe_str(self.trail[-1].label)

    def _show_stats(self, message: QueryDone) -> None:
        panel = self.query_one("#stats-text", Static)
        width = self._stats_width()
        if message.error:
            panel.update(Text(f"Statistics unavailable: {message.error}"))
            return
        key = self._stats_key
        title = safe_str(key[0].label) if key else "Statistics"
        panel.update(summary_text(message.result, width, title=title))

    @on(ResultGrid.RowHighlighted)
    def _row_highlighted(self, event: ResultGrid.RowHighlighted) -> None:
        self.update_stats()
        self._want_more()

    def action_toggle_stats(self) -> None:
        """`i`: show or hide the statistics panel."""
        if self.has_class("-wide"):
            self.toggle_class("-stats-closed")
        else:
            self.toggle_class("-stats-open")
        self._stats_key = None
        self.update_stats()
        if self.has_class("-narrow") and self.has_class("-stats-open"):
            self.query_one("#stats", StatsPanel).focus()  # j/k, PgDn... scroll it
        else:
            self.grid.focus_grid()

    # --- tabs ----------------------------------------------------------------------------

    def _tab_ids(self) -> list[str]:
        return [tab_id for tab_id, _ in self.tab_labels()]

    def action_tab(self, index: int) -> None:
        """`1`…`6`: go to that tab."""
        ids = self._tab_ids()
        if 0 <= index < len(ids):
            self.query_one("#tabs", Tabs).active = ids[index]

    def action_next_tab(self) -> None:
        """Tab: the next tab (wrapping)."""
        self._step_tab(1)

    def action_prev_tab(self) -> None:
        """Shift+Tab: the previous tab (wrapping)."""
        self._step_tab(-1)

    def _step_tab(self, step: int) -> None:
        ids = self._tab_ids()
        if not ids:
            return
        index = ids.index(self.current_tab()) if self.current_tab() in ids else 0
        self.query_one("#tabs", Tabs).active = ids[(index + step) % len(ids)]

    @on(Tabs.TabActivated)
    def _tab_activated(self, event: Tabs.TabActivated) -> None:
        event.stop()
        if event.tab.id and event.tab.id != self.current_tab():
            self.select_tab(event.tab.id)
        self.grid.focus_grid()

    # --- actions -------------------------------------------------------------------------

    def action_back(self) -> None:
        """Esc/q/Backspace: close the search or stats, else go back one view."""
        if not self.is_active:
            return  # queued for a screen already left: popping now would close another one
        search = self.query_one("#search", Input)
        if search.has_class("-open"):  # Esc in the box clears the word (Enter keeps it)
            self._close_search()
            if search.value:
                search.value = ""  # its Input.Changed runs the empty search
            elif self.grid.model is not None and self.grid.model.search:
                self._apply_search("")
            return
        if self.has_class("-stats-open"):
            self.action_toggle_stats()
            return
        if len(self.app.screen_stack) > 2:
            self.app.pop_screen()
        else:
            self.notify("Top of the trail: Q quits.", timeout=2, markup=False)

    @on(ResultGrid.RowChosen)
    def _chosen(self, event: ResultGrid.RowChosen) -> None:
        self.action_open_row()

    def action_open_row(self) -> None:
        """Enter: drill into what the highlighted row names."""
        model, row, column = self.cursor()
        if model is None or row < 0:
            return
        prefer = model.columns[column].name if column >= 0 else None
        target = self.drill(model.row(row), model.raw.columns, prefer=prefer)
        if target is None:
            self.notify("This row names nothing to open.", timeout=2, markup=False)
            return
        self.mt_app.open_view(target, self.trail)

    def action_search(self) -> None:
        """`/`: open the incremental whole-word filter."""
        search = self.query_one("#search", Input)
        search.add_class("-open")
        # Shown at once (not on the next style pass), or the box could not take focus yet and
        # the word typed right after `/` (a fast typist, a paste, SSH) went to the grid.
        search.display = True
        search.value = self._search_term
        self.set_focus(search)  # now: `Widget.focus` waits a turn, after the queued keys

    def _grid_key(self, key: str, character: str | None) -> bool:
        """Keys the grid got that belong to the search box (see `ResultGrid.key_hook`).

        `/` opens the box at once, and what was typed behind it (queued for the grid before the
        box had focus) goes into the box: Enter keeps the word, Esc clears it.
        """
        search = self.query_one("#search", Input)
        if not search.has_class("-open"):
            if key == "slash" and self._ready:
                self.action_search()
                return True
            return False
        if key == "enter":
            self._close_search()
        elif key == "escape":
            self.action_back()
        elif character is not None:
            search.insert_text_at_cursor(character)
        else:
            return False
        return True

    @on(Input.Changed, "#search")
    def _search_changed(self, event: Input.Changed) -> None:
        event.stop()
        self._apply_search(event.value)

    @on(Input.Submitted, "#search")
    def _search_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self._close_search()

    def _close_search(self) -> None:
        search = self.query_one("#search", Input)
        search.remove_class("-open")
        search.display = False
        self.grid.focus_grid()

    def _apply_search(self, term: str) -> None:
        self._search_term = term
        model = self.base_model()
        if model is None:
            return
        shown = self.grid.model
        sort = shown.sort if shown is not None else None
        # A page of a bigger listing is searched by the query layer, over every row.
        job = self.page_job(sort, term.strip()) if model.is_page else None
        request = self.next_request("model")
        if job is not None:
            self.run_model(request, *job)
        else:
            self.run_model(request, _search, model, term, sort)

    def base_model(self) -> TableModel | None:
        """The current tab's model before any `/` filter (subclasses keep it)."""
        return self.grid.model

    def _jump(self, step: int) -> None:
        model = self.grid.model
        table = self.grid.table
        term = self._search_term.strip()
        if model is None or table is None:
            return
        if not term:
            self.notify("Nothing to find: press / first.", timeout=2, markup=False)
            return
        rows = model.matches(term)
        if not rows:
            self.notify(f"No row contains “{safe_str(term)}”.", timeout=2, markup=False)
            return
        current = table.cursor_row
        after = [r for r in rows if (r > current if step > 0 else r < current)]
        target = (after[0] if step > 0 else after[-1]) if after else rows[0 if step > 0 else -1]
        table.move_cursor(row=target)

    def action_next_match(self) -> None:
        """`n`: the next row containing the search word."""
        self._jump(1)

    def action_prev_match(self) -> None:
        """`N`: the previous row containing the search word."""
        self._jump(-1)

    @on(ResultGrid.SortRequested)
    def _sort_requested(self, event: ResultGrid.SortRequested) -> None:
        self._sort(event.column)

    def action_sort(self) -> None:
        """`s`: sort by the column under the cursor (again reverses)."""
        model, _, column = self.cursor()
        if model is None or column < 0:
            return
        self._sort(model.columns[column].name)

    def _sort(self, column: str) -> None:
        model = self.grid.model
        if model is None:
            return
        # A page of a bigger listing is sorted by the query layer: its first page in the new order.
        job = self.page_job(model.next_sort(column), model.search) if model.is_page else None
        request = self.next_request("model")
        if job is not None:
            self.run_model(request, *job)
        else:
            self.run_model(request, model.sorted_by, column)
        self.notify(f"Sorting by {model.label_of(column)}…", timeout=1.5, markup=False)

    def action_copy_row(self) -> None:
        """`y`: copy the highlighted row (OSC 52: works over SSH)."""
        model, row, _ = self.cursor()
        if model is None or row < 0:
            return
        self.app.copy_to_clipboard(model.row_text(row))
        self.notify("Row copied to the clipboard.", timeout=2, markup=False)

    def action_copy_cell(self) -> None:
        """`Y`: copy the highlighted cell."""
        model, row, column = self.cursor()
        if model is None or row < 0 or column < 0:
            return
        self.app.copy_to_clipboard(model.cell_text(row, column))
        self.notify("Cell copied to the clipboard.", timeout=2, markup=False)

    def action_export(self) -> None:
        """`e`: export the current view's rows (path prompted)."""
        model = self.grid.model
        if model is None:
            self.notify("Nothing to export yet.", timeout=2, markup=False)
            return
        write = self.export_job(model) if model.is_page else None
        if write is not None:  # every row of the listing, streamed to the file
            self.mt_app.export_with(write, model.total_rows, self.export_name())
            return
        self.mt_app.export_model(model, self.export_name())

    def export_name(self) -> str:
        """What exports of this view are named after (the app makes it a file name)."""
        return "-".join(spec.label for spec in self.trail[-2:])

    def action_trace(self) -> None:
        """`t`: trace money through pass-through committees (the flow view)."""
        target = self.trace_target()
        model, row, _ = self.cursor()
        if target is None and model is not None and row >= 0:
            target = self.drill(model.row(row), model.raw.columns)
        if target is None:
            self.notify("Highlight a donor, committee or race to trace.", timeout=2, markup=False)
            return
        self.mt_app.open_flow(target, self.trail)


def _search(model: TableModel, term: str, sort: tuple[str, bool] | None) -> TableModel:
    """`model` (a tab's rows before any word filter) filtered to `term`, in the order shown."""
    if sort is not None and model.sort != sort:
        model = model.sorted_by(*sort)
    return model.filtered(term)
