"""`LoadingScreen`: shown while the dataset opens in a worker, with its import progress.

Esc, Q or Ctrl+C cancels (the app exits with status 0): a user interrupting a long first import
reaches for Ctrl+C, which Textual otherwise answers with a "press Q to quit" notice. The
progress bar is fed by `LoadProgress` messages the data layer's progress callback posts from the
worker thread.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Center, Middle
from textual.screen import Screen
from textual.widgets import ProgressBar, Static

from moneytrail.present.sanitize import safe_str


class LoadingScreen(Screen[None]):
    """Opening a dataset."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,Q,q,ctrl+c", "app.quit", "Cancel", show=True),
    ]

    def __init__(self, what: str) -> None:
        super().__init__()
        self.what = what

    def compose(self) -> ComposeResult:
        with Middle(), Center():
            yield Static(Text(f"Opening {safe_str(self.what)}…"), id="load-title")
            yield ProgressBar(total=None, show_eta=False, id="load-bar")
            yield Static(Text("Esc cancels"), id="load-stage")

    def progress(self, stage: str, done: int, total: int) -> None:
        """Show how far the import is (`total == 0`: unknown)."""
        bar = self.query_one("#load-bar", ProgressBar)
        if total > 0:
            bar.update(total=total, progress=done)
        self.query_one("#load-stage", Static).update(
            Text(f"{safe_str(stage)}  {done:,}{f' / {total:,}' if total else ''}   Esc cancels")
        )
