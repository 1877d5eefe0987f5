"""`MoneytrailApp` and `run_app`: the explorer's entry point.

The app owns what is global: the dataset (opened in a worker with a progress screen when given a
path), the global `Filters` (kept through every drill-down), the theme (persisted to the settings
file) and the screen stack, which mirrors the stack of view specs (`ui.views`). Screens run their
own queries; the app never queries.
"""

from __future__ import annotations

import asyncio
import contextlib
import signal
import sys
import threading
from collections.abc import Callable, Iterable
from functools import partial
from pathlib import Path
from typing import Any, ClassVar

from textual import on, work
from textual.app import App, SystemCommand
from textual.await_complete import AwaitComplete
from textual.binding import Binding, BindingType
from textual.command import CommandList, CommandPalette
from textual.css.query import NoMatches
from textual.screen import Screen
from textual.worker import get_current_worker

from moneytrail.data.dataset import Dataset
from moneytrail.data.errors import DataError
from moneytrail.data.progress import ImportCancelled
from moneytrail.present.sanitize import safe_str
from moneytrail.present.table import TableModel
from moneytrail.query.export import export_frame
from moneytrail.query.filters import Filters
from moneytrail.settings import Settings, load_settings, save_settings
from moneytrail.ui.commands import EntityProvider
from moneytrail.ui.messages import DatasetLoaded, LoadFailed, LoadProgress, error_line
from moneytrail.ui.screens.once import DismissOnce
from moneytrail.ui.views import EntityView, PaneView, ViewSpec


class _Palette(DismissOnce, CommandPalette):
    """Textual's command palette, hardened against keys that arrive faster than it settles.

    Each guard is a crash the seeded monkey test (tests/robust/test_monkey.py) found in
    Textual 8.2 when keys arrive in one burst, as a fast typist or a slow SSH link delivers them:

    * `OptionList._move_page` indexes the line map, which is empty until the list's first
      layout: Ctrl+P then PgDn raised `KeyError`. Paging that early does nothing.
    * Enter, Enter: the second selection dismissed again, and `dismiss` pops whatever screen is
      on top (the panes). A palette dismisses once.
    * A search worker that starts after the palette closed finds no `CommandList` and its
      `NoMatches` ended the app. A closed palette has nothing to search for.
    """

    _ORIGINAL_GATHER = CommandPalette._gather_commands.__wrapped__  # type: ignore[attr-defined]

    @work(exclusive=True, group=CommandPalette._GATHER_COMMANDS_GROUP)
    async def _gather_commands(self, search_value: str) -> None:
        try:
            await _Palette._ORIGINAL_GATHER(self, search_value)
        except NoMatches:
            if self.is_active and self.query(CommandList):
                raise

    def _action_command_list(self, action: str) -> None:
        try:
            super()._action_command_list(action)
        except KeyError:
            if not action.startswith("page_"):
                raise


class MoneytrailApp(App[int]):
    """The explorer."""

    CSS_PATH = "app.tcss"
    TITLE = "moneytrail"
    COMMANDS: ClassVar[set[Any]] = App.COMMANDS | {EntityProvider}
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("Q", "quit", "Quit", show=True, priority=True, id="quit", tooltip="quit"),
        Binding(
            "question_mark,f1",
            "help",
            "Help",
            show=True,
            priority=True,
            id="help",
            tooltip="this help",
        ),
        Binding(
            "ctrl+p",
            "command_palette",
            "Palette",
            show=False,
            priority=True,
            tooltip=(
                "command palette: jump to any donor, committee, race or candidate by name "
                "(a new trail); every action; Change theme"
            ),
        ),
        Binding(
            "R",
            "rejects",
            "Rejected rows",
            show=False,
            tooltip="rows set aside at load: file, line and reason",
        ),
    ]

    def __init__(
        self,
        dataset: Dataset | None = None,
        *,
        path: Path | None = None,
        filters: Filters | None = None,
        open_options: dict[str, Any] | None = None,
        settings: Settings | None = None,
        persist_settings: bool = True,
    ) -> None:
        super().__init__()
        self.dataset = dataset
        self.path = path
        self.filters = filters or Filters()
        self.open_options = open_options or {}
        self.settings = settings if settings is not None else load_settings()
        self.persist_settings = persist_settings
        # Set only when opening the dataset fails; `run_app` prints it after the terminal is
        # restored. Every normal quit reads it too, so it must exist from the start.
        self.load_error: str | None = None
        if self.settings.theme in self.available_themes:
            self.theme = self.settings.theme

    # --- start-up ------------------------------------------------------------------------

    def on_mount(self) -> None:
        self._quit_on_sigint()
        if self.dataset is not None:
            self._show_dataset()
            return
        from moneytrail.ui.screens.loading import LoadingScreen

        what = str(self.path) if self.path is not None else "the bundled sample"
        self.push_screen(LoadingScreen(what))
        self._open_dataset()

    def _quit_on_sigint(self) -> None:
        """SIGINT (`kill -INT`) quits as the quit keys do, by a callback on the event loop.

        Left to asyncio, a SIGINT cancels the app's main task wherever it is awaiting; on a
        loaded machine that could land outside the message loop that absorbs the cancellation,
        and the program ended with status 130 and a `KeyboardInterrupt` traceback instead of
        cleanly. Only in a real terminal on the main thread (not in headless tests).
        """
        if self.is_headless or threading.current_thread() is not threading.main_thread():
            return
        with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
            asyncio.get_running_loop().add_signal_handler(signal.SIGINT, self.exit)

    @work(thread=True, exclusive=True, group="open", exit_on_error=False)
    def _open_dataset(self) -> None:
        from moneytrail.data.open import open_dataset

        worker = get_current_worker()

        def progress(stage: str, done: int, total: int, rows: int | None = None, /) -> None:
            if worker.is_cancelled:  # the user cancelled (or quit): stop at this report
                raise ImportCancelled
            self.post_message(LoadProgress(stage, done, total, rows))

        try:
            dataset = open_dataset(self.path, progress=progress, **self.open_options)
        except ImportCancelled:
            return  # the process can end now: the import left nothing behind
        except (DataError, OSError) as exc:
            self.post_message(LoadFailed(safe_str(str(exc))))
            return
        if not worker.is_cancelled:
            self.post_message(DatasetLoaded(dataset))

    @on(LoadProgress)
    def _progress(self, message: LoadProgress) -> None:
        from moneytrail.ui.screens.loading import LoadingScreen

        if isinstance(self.screen, LoadingScreen):
            self.screen.progress(message.stage, message.done, message.total, message.rows)

    @on(DatasetLoaded)
    def _loaded(self, message: DatasetLoaded) -> None:
        self.dataset = message.dataset
        self._show_dataset()

    @on(LoadFailed)
    def _failed(self, message: LoadFailed) -> None:
        # The message is printed by `run_app` once the terminal is restored: Textual's own exit
        # message would be rendered (wrapped at the width, styled) rather than one plain line.
        self.load_error = message.error
        self.exit(1, return_code=1)

    def _show_dataset(self) -> None:
        from moneytrail.ui.screens.main import MainScreen

        ds = self.dataset
        assert ds is not None
        self.title = f"moneytrail · {safe_str(ds.name)}"
        if ds.synthetic:
            self.sub_title = "synthetic sample: illustrative"
        if len(self.screen_stack) > 1:
            self.switch_screen(MainScreen())
        else:
            self.push_screen(MainScreen())
        report = ds.report
        if report.rows_rejected:
            self.notify(
                f"{report.rows_rejected:,} malformed "
                f"{'row was' if report.rows_rejected == 1 else 'rows were'} set aside: press R "
                "(or Ctrl+P, Rejected rows) to see each one's file, line, reason and text.",
                title="Load report",
                timeout=6,
                markup=False,
            )
        for warning in report.warnings:
            self.notify(safe_str(warning), severity="warning", timeout=6, markup=False)

    # --- navigation ----------------------------------------------------------------------

    def pop_screen(self) -> AwaitComplete:
        """Pop the top screen, but never the panes: they are the bottom of every trail.

        A dialog that dismisses itself twice (two Enters queued before the first one closed it)
        would otherwise pop the main screen and leave a blank app.
        """
        from moneytrail.ui.screens.main import MainScreen

        if len(self.screen_stack) <= 2 and isinstance(self.screen, MainScreen):
            return AwaitComplete()
        return super().pop_screen()

    def open_view(self, view: EntityView, parent_trail: tuple[ViewSpec, ...] | None) -> None:
        """Drill into `view` on top of `parent_trail`.

        None (a palette jump) starts a new trail: the views above the panes are closed and
        `view` opens on the panes, so the breadcrumb and Esc both lead back to the panes.
        """
        from moneytrail.ui.screens.detail import DetailScreen
        from moneytrail.ui.screens.main import MainScreen

        if parent_trail is None:
            while len(self.screen_stack) > 2 and not isinstance(self.screen, MainScreen):
                self.pop_screen()
            parent_trail = ()
        self.push_screen(DetailScreen(view, parent_trail))

    def open_flow(self, view: EntityView, parent_trail: tuple[ViewSpec, ...]) -> None:
        """`t`: push the flow view tracing `view`'s money (Enter in it drills on from here)."""
        from moneytrail.ui.screens.flow import FlowScreen

        assert self.dataset is not None
        trail = parent_trail if parent_trail[-1:] == (view,) else (*parent_trail, view)
        self.push_screen(
            FlowScreen(self.dataset, self.filters, view.entity, view.id, view.label, trail)
        )

    def action_links(self, committee_key: str | None = None, name: str = "") -> None:
        """The links view: names linked across filing systems (of one committee, if given)."""
        from moneytrail.ui.screens.links import LinksScreen

        self.push_screen(LinksScreen(committee_key, name))

    def open_again(self) -> Dataset:
        """Open the dataset again from its files (thread-safe: call it from a worker), e.g.
        after a link decision was saved beside it."""
        from moneytrail.data.open import open_dataset

        assert self.dataset is not None
        where = self.path if self.path is not None else self.dataset.source
        return open_dataset(where, **self.open_options)

    def replace_dataset(self, dataset: Dataset) -> None:
        """Use `dataset` from now on: the screen on top queries it when it next loads, every
        browsing screen below reloads when it is shown again."""
        self.dataset = dataset

    def action_rejects(self) -> None:
        """`R`: the rows set aside at load time (file, line, reason, raw text)."""
        from moneytrail.ui.screens.rejects import RejectsScreen

        if self.dataset is not None and not isinstance(self.screen, RejectsScreen):
            self.push_screen(RejectsScreen(self.dataset))

    def action_help(self) -> None:
        """`?`/F1: the key reference."""
        from moneytrail.ui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def action_pane(self, index: int) -> None:
        """Go back to the top-level panes and show pane `index` (0 donors, 1 PACs, 2 races)."""
        from moneytrail.ui.screens.main import MainScreen

        while len(self.screen_stack) > 2:
            self.pop_screen()
        if isinstance(self.screen, MainScreen):
            self.screen.action_tab(index)

    # --- filters -------------------------------------------------------------------------

    def action_filters(self) -> None:
        """`f`: the filter form."""
        from moneytrail.ui.screens.filters import FilterScreen

        self.push_screen(FilterScreen(self.filters, self.dataset), self.set_filters)

    def action_clear_filters(self) -> None:
        """`F`: clear every filter."""
        if self.filters.is_default:
            self.notify("No filters are on.", timeout=2, markup=False)
            return
        self.set_filters(Filters())
        self.notify("Filters cleared.", timeout=2, markup=False)

    def set_filters(self, filters: Filters | None) -> None:
        """Apply new global filters: the current screen reloads now, the others on return."""
        from moneytrail.ui.screens.explorer import ExplorerScreen

        if filters is None or filters == self.filters:
            return
        self.filters = filters
        screen = self.screen
        if isinstance(screen, ExplorerScreen):
            screen._filters_seen = filters
            screen.reload()
            screen.refresh_header()

    # --- export --------------------------------------------------------------------------

    def export_model(self, model: TableModel, title: str) -> None:
        """Prompt for a path, then write `model`'s rows there in a worker."""
        self.export_with(partial(export_frame, model.raw), model.total_rows, title)

    def export_with(self, write: Callable[[Path], object], rows: int, title: str) -> None:
        """Prompt for a path (default here, named after `title`: `title.csv` with every
        character but letters and digits a dash), then run `write(path)` in a worker.

        `rows` is how many rows `write` writes (shown in the dialog and the notification). The
        outcome is notified either way: a bad path, a full disk or a read error is one line.
        """
        from moneytrail.ui.screens.export import ExportScreen

        def chosen(path: Path | None) -> None:
            if path is not None:
                self._export(write, rows, path)

        stem = "".join(ch if ch.isalnum() else "-" for ch in title.lower()).strip("-")[:60]
        self.push_screen(ExportScreen(Path.cwd() / f"{stem or 'export'}.csv", rows), chosen)

    @work(thread=True, exclusive=True, group="export", exit_on_error=False)
    def _export(self, write: Callable[[Path], object], rows: int, path: Path) -> None:
        try:
            write(path)
        except Exception as exc:  # reported to the user, never a crashed worker
            self.call_from_thread(
                self.notify, f"Export failed: {error_line(exc)}", severity="error", markup=False
            )
            return
        self.call_from_thread(
            self.notify,
            f"Exported {rows:,} rows to {safe_str(str(path))}",
            timeout=4,
            markup=False,
        )

    # --- palette and theme ---------------------------------------------------------------

    def action_command_palette(self) -> None:
        """Ctrl+P: the palette, unless one is already in the stack.

        Textual only checks the top screen, so Ctrl+P, F1, Ctrl+P pushed a second palette with
        the first one's id under the help and crashed the app (`DuplicateIds`).
        """
        if not self.use_command_palette or any(
            isinstance(screen, CommandPalette) for screen in self.screen_stack
        ):
            return
        self.push_screen(_Palette(id="--command-palette"))

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        yield SystemCommand("Donors pane", "Show every donor", lambda: self.action_pane(0))
        yield SystemCommand("PACs pane", "Show every committee", lambda: self.action_pane(1))
        yield SystemCommand("Races pane", "Show every race", lambda: self.action_pane(2))
        yield SystemCommand("Filters", "Open the global filter form (f)", self.action_filters)
        yield SystemCommand("Clear filters", "Remove every filter (F)", self.action_clear_filters)
        yield SystemCommand("Help", "Every key (?)", self.action_help)
        yield SystemCommand(
            "Links",
            "Committees linked across filing systems: why; confirm or break one",
            self.action_links,
        )
        yield SystemCommand(
            "Rejected rows",
            "Rows set aside at load time: file, line, reason, raw text (R)",
            self.action_rejects,
        )
        from moneytrail.ui.screens.detail import DetailScreen
        from moneytrail.ui.screens.explorer import ExplorerScreen
        from moneytrail.ui.screens.main import MainScreen

        if isinstance(screen, ExplorerScreen):
            for title, help_text, action in (
                ("Export view", "Write this view to CSV/Parquet/JSON/Markdown (e)", "export"),
                ("Statistics", "Toggle the statistics panel (i)", "toggle_stats"),
                ("Find", "Filter rows to a whole word (/)", "search"),
                ("Sort", "Sort by the cursor's column (s)", "sort"),
                ("Copy row", "Copy the highlighted row (y)", "copy_row"),
                ("Copy cell", "Copy the highlighted cell (Y)", "copy_cell"),
                ("Open row", "Drill into the highlighted row (Enter)", "open_row"),
                ("Trace money", "Trace to ultimate sources (t)", "trace"),
                ("Back", "Back one view (Esc)", "back"),
            ):
                yield SystemCommand(title, help_text, getattr(screen, f"action_{action}"))
        if isinstance(screen, MainScreen):
            yield SystemCommand(
                "Donors: committees",
                "Include or leave out committees that gave to committees (c)",
                screen.action_toggle_committee_donors,
            )
        if isinstance(screen, DetailScreen) and screen.view.entity == "committee":
            yield SystemCommand(
                "Links of this committee",
                "Names in other filings linked to it: why; confirm or break (L)",
                screen.action_links,
            )
        if isinstance(screen, DetailScreen) and screen.view.entity == "race":
            yield SystemCommand(
                "Race: all candidates",
                "List also the candidates with no money, or again only those with money (a)",
                screen.action_toggle_all_candidates,
            )

    def watch_theme(self, theme: str) -> None:
        """Persist the chosen theme."""
        if not getattr(self, "persist_settings", False) or theme == self.settings.theme:
            return
        self.settings = self.settings.with_theme(theme)
        try:
            save_settings(self.settings)
        except OSError as exc:
            self.notify(
                f"Could not save the theme: {safe_str(str(exc))}", severity="warning", markup=False
            )


def run_app(
    dataset: Dataset | None = None,
    *,
    path: Path | None = None,
    filters: Filters | None = None,
    open_options: dict[str, Any] | None = None,
) -> int:
    """Run the explorer until the user quits; returns the exit code.

    Args:
        dataset: an already opened dataset, or None to open `path` inside the app (with a
            progress screen).
        path: what to open when `dataset` is None (None: the bundled sample).
        filters: initial global filters.
        open_options: extra keyword arguments for `open_dataset` (cache options).
    """
    app = MoneytrailApp(dataset, path=path, filters=filters, open_options=open_options)
    result = app.run()
    if app.load_error is not None:
        print(f"moneytrail: {app.load_error}", file=sys.stderr)
    return app.return_code if app.return_code is not None else int(result or 0)


__all__ = ["MoneytrailApp", "PaneView", "run_app"]
