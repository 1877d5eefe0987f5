"""`LoadingScreen`: shown while the dataset opens in a worker, with its import progress.

Esc, Q or Ctrl+C cancels (the app exits with status 0): a user interrupting a long first import
reaches for Ctrl+C, which Textual otherwise answers with a "press Q to quit" notice. The
progress bar is fed by `LoadProgress` messages the data layer's progress callback posts from the
worker thread; the line under it is `moneytrail.present.progress`'s (the same figures as the
CLI's bar: MB read, rows, MB/s and time left while reading, each later step by name with its
running time), redrawn every `REFRESH_S` seconds so the clock moves between reports.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Center, Middle
from textual.screen import Screen
from textual.widgets import ProgressBar, Static

from moneytrail.present.progress import ProgressMeter
from moneytrail.present.sanitize import safe_str

#: Seconds between redraws of the progress line (the running time and time left move).
REFRESH_S = 0.5


class LoadingScreen(Screen[None]):
    """Opening a dataset."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,Q,q,ctrl+c", "app.quit", "Cancel", show=True),
    ]

    def __init__(self, what: str) -> None:
        super().__init__()
        self.what = what
        self.meter = ProgressMeter()

    def compose(self) -> ComposeResult:
        with Middle(), Center():
            yield Static(Text(f"Opening {safe_str(self.what)}…"), id="load-title")
            yield ProgressBar(total=None, show_eta=False, id="load-bar")
            yield Static(Text("Esc cancels"), id="load-stage")

    def on_mount(self) -> None:
        self.set_interval(REFRESH_S, self._show)

    def progress(self, stage: str, done: int, total: int, rows: int | None = None) -> None:
        """Show how far the import is (`total == 0`: unknown)."""
        view = self.meter.update(stage, done, total, rows)
        bar = self.query_one("#load-bar", ProgressBar)
        if view.fraction is not None:
            bar.update(total=total, progress=done)
        else:  # a step with no measure: the bar pulses
            bar.update(total=None)
        self._show()

    def _show(self) -> None:
        view = self.meter.view()
        if view is None:
            return
        self.query_one("#load-stage", Static).update(Text(f"{view.line()}   Esc cancels"))
