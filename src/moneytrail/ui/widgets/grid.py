"""`ResultGrid`: a `TableModel` shown in a virtual `textual-fastdatatable` grid.

Attributes down, messages up: the owning screen calls `show(model)` (again with the model grown by
its next rows as the user scrolls a paged listing, keeping the scroll); the grid posts `RowChosen`
(Enter / double click), `SortRequested` (`s` or a header click) and `RowHighlighted`. Cells are the
model's pre-formatted safe strings (`render_markup=False`, so `SMITH [R]` stays literal; a value
wider than its column is clipped with `…`, never wrapped out of sight), column widths come from
the model, and the backend's per-cell width measurement is pre-seeded with them so
the first paint of a million-row pane does not measure a million cells. An empty model shows a
short explanation instead of an empty box.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from rich.console import JustifyMethod, RenderableType
from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.coordinate import Coordinate
from textual.message import Message
from textual.widgets import Static
from textual_fastdatatable import DataTable
from textual_fastdatatable.backend import create_backend

from moneytrail.present.table import TableModel


class _Table(DataTable):
    """The grid itself, with vim keys; Tab is left to the screen (it switches panes).

    `g`/`G` and Home/End go to the first/last row (the backend's Home/End only scroll), as in
    the flow view and the statistics panel.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "select_cursor", "Open", show=True, tooltip="open what the row names"),
        Binding("j,down", "cursor_down", "Down", show=False, tooltip="next row"),
        Binding("k,up", "cursor_up", "Up", show=False, tooltip="previous row"),
        Binding("h,left", "cursor_left", "Left", show=False, tooltip="previous column"),
        Binding("l,right", "cursor_right", "Right", show=False, tooltip="next column"),
        Binding("g,home", "cursor_table_start", "Top", show=False, tooltip="first row"),
        Binding("G,end", "cursor_table_end", "Bottom", show=False, tooltip="last row"),
        Binding("pagedown,ctrl+d", "page_down", "Page down", show=False, tooltip="page down"),
        Binding("pageup,ctrl+u", "page_up", "Page up", show=False, tooltip="page up"),
        Binding("tab", "screen.next_tab", "Next tab", show=False),
        Binding("shift+tab", "screen.prev_tab", "Previous tab", show=False),
    ]

    #: Set by `ResultGrid`: its `key_hook`.
    key_hook: Callable[[str, str | None], bool] | None = None
    #: Indices of the columns whose cells are right-aligned (numbers).
    right_columns: frozenset[int] = frozenset()

    def scroll_to_cursor(self) -> None:
        """Scroll so the cursor's cell is in view."""
        self._scroll_cursor_into_view()

    async def _on_key(self, event: events.Key) -> None:
        """Offer the key to the owner's hook first (see `ResultGrid.key_hook`)."""
        hook = self.key_hook
        if hook is not None and hook(event.key, event.character if event.is_printable else None):
            event.stop()
            event.prevent_default()
            return
        await super()._on_key(event)

    def _get_cell_renderable(
        self, row_index: int, column_index: int, max_width: int | None = None
    ) -> RenderableType:
        """A text cell as literal `Text`, exactly as the model formatted it.

        The backend hands a plain string to Rich as escaped markup, and Rich's `escape` doubles
        a trailing backslash that its markup parser then keeps: `X\\` showed as `X\\\\`. The
        model's strings are already safe and one line, so they need no markup round trip.
        """
        if row_index >= 0:
            datum = self.get_cell_at(Coordinate(row=row_index, column=column_index))
            if isinstance(datum, str):
                # Numbers are padded to the model's width; a column widened for its sort arrow
                # keeps them under the right-aligned label.
                justify: JustifyMethod = "right" if column_index in self.right_columns else "left"
                return Text(datum, no_wrap=True, overflow="ellipsis", justify=justify)
        return super()._get_cell_renderable(row_index, column_index, max_width)


class ResultGrid(Vertical):
    """One result table (or an explanation when it has no rows)."""

    DEFAULT_CSS = """
    ResultGrid { height: 1fr; }
    ResultGrid > _Table { height: 1fr; }
    ResultGrid > .empty { padding: 1 2; color: $text-muted; height: auto; }
    """

    class RowChosen(Message):
        """Enter on a row: drill into what it names."""

        def __init__(self, grid: ResultGrid, row: int) -> None:
            super().__init__()
            self.grid = grid
            self.row = row

    class RowHighlighted(Message):
        """The cursor moved to another row."""

        def __init__(self, grid: ResultGrid, row: int) -> None:
            super().__init__()
            self.grid = grid
            self.row = row

    class SortRequested(Message):
        """Sort by `column` (again reverses)."""

        def __init__(self, grid: ResultGrid, column: str) -> None:
            super().__init__()
            self.grid = grid
            self.column = column

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.model: TableModel | None = None
        #: Called with each key (and its character, if printable) the grid receives, before the
        #: grid acts on it; True means the owner took it. Keys reach the widget focused when
        #: they were *read*: a word typed right after `/` is already queued here when the search
        #: box opens, and the owner forwards it there.
        self.key_hook: Callable[[str, str | None], bool] | None = None
        self._last_row = -1
        #: The table mounted by the last `show` (None after `show_message`): the one the model
        #: describes. A query would also find the previous table until its removal completes,
        #: whose cursor can point past the new model's rows.
        self._table: _Table | None = None

    def compose(self) -> ComposeResult:
        yield Static(Text("Loading…"), classes="empty")

    @property
    def table(self) -> _Table | None:
        """The grid widget, when rows are shown."""
        return self._table

    @property
    def cursor_row(self) -> int:
        """The highlighted row, or -1 when nothing is shown."""
        table = self.table
        return table.cursor_row if table is not None and self.model and self.model.row_count else -1

    @property
    def cursor_column(self) -> int:
        """The highlighted column, or -1."""
        table = self.table
        return table.cursor_column if table is not None else -1

    def show_message(self, message: Text | str) -> None:
        """Replace the grid with an explanation (loading, empty, error)."""
        self.model = None
        self._table = None
        self.remove_children()
        self.mount(Static(message if isinstance(message, Text) else Text(message), classes="empty"))

    def show(
        self,
        model: TableModel,
        *,
        empty: str = "No rows.",
        row: int = 0,
        column: int = 0,
        keep_scroll: bool = False,
    ) -> None:
        """Show `model`, cursor on `row`/`column`; an empty model shows `empty` instead.

        `keep_scroll`: the rows stay where they were on screen (a page grown by its next rows).
        """
        old = self._table
        scroll = (old.scroll_x, old.scroll_y) if keep_scroll and old is not None else None
        focused = self.screen.focused
        # Keep focus in the search box while the user types; otherwise the grid takes it.
        keep_focus = focused is not None and focused.id == "search"
        self.remove_children()
        self.model = model
        self._table = None
        self._last_row = -1
        if model.row_count == 0:
            self.mount(Static(Text(empty), classes="empty"))
            return
        # The backend renames the frame it is handed: give it its own (shallow) copy.
        backend = create_backend(model.display.clone())
        labels: list[str | Text] = []
        widths: list[int] = []
        for spec in model.columns:
            label = spec.label
            if model.sort is not None and model.sort[0] == spec.name:
                arrow = "↓" if model.sort[1] else "↑"  # the sorted column says so
                label = f"{arrow} {label}" if spec.right else f"{label} {arrow}"
            width = max(spec.width, len(label))
            widths.append(width)
            labels.append(Text(label.rjust(width) if spec.right else label, no_wrap=True))
        # Pre-seed the measured widths so the backend never scans every cell to size columns.
        backend._column_content_widths = list(widths)  # type: ignore[attr-defined]
        table = _Table(
            backend=backend,
            column_labels=labels,
            column_widths=list(widths),
            # Without a maximum the backend word-wraps a cell wider than its column into a
            # one-line row, so `PAC [link=...]` showed as a bare `PAC`: clip with `…` instead.
            max_column_content_width=max(widths),
            render_markup=False,
            show_row_labels=False,
            cursor_type="cell",
            zebra_stripes=True,
        )
        table.key_hook = self.key_hook
        table.right_columns = frozenset(i for i, spec in enumerate(model.columns) if spec.right)
        self.mount(table)
        self._table = table
        if row or column:
            table.move_cursor(
                row=min(max(row, 0), model.row_count - 1),
                column=min(max(column, 0), len(model.columns) - 1),
            )
            # A table not laid out yet cannot scroll: bring the cursor (e.g. on the column just
            # sorted, far right) into view once it has a size.
            if scroll is not None:
                x, y = scroll
                table.call_after_refresh(
                    lambda: table.scroll_to(x, y, animate=False, immediate=True)
                )
            else:
                table.call_after_refresh(table.scroll_to_cursor)
        if not keep_focus:
            table.focus()

    def focus_grid(self) -> None:
        """Give the grid keyboard focus (if rows are shown)."""
        table = self.table
        if table is not None:
            table.focus()

    @on(DataTable.CellSelected)
    def _chosen(self, event: DataTable.CellSelected) -> None:
        event.stop()
        self.post_message(self.RowChosen(self, event.coordinate.row))

    @on(DataTable.CellHighlighted)
    def _highlighted(self, event: DataTable.CellHighlighted) -> None:
        event.stop()
        if event.coordinate.row != self._last_row:
            self._last_row = event.coordinate.row
            self.post_message(self.RowHighlighted(self, event.coordinate.row))

    @on(DataTable.HeaderSelected)
    def _header(self, event: DataTable.HeaderSelected) -> None:
        event.stop()
        if self.model is not None and 0 <= event.column_index < len(self.model.columns):
            self.post_message(self.SortRequested(self, self.model.columns[event.column_index].name))
