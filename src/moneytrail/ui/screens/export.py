"""`ExportScreen`: prompt for the path an export is written to (`e`). Dismisses with a Path.

The format follows the suffix (.csv, .parquet, .json, .md); an unknown suffix is reported in the
dialog before anything is written. A typed or pasted path is shown back through `safe_text`, so
control characters in it appear as stand-ins, never as escapes.
"""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static

from moneytrail.present.sanitize import safe_text
from moneytrail.query.export import ExportError, format_for
from moneytrail.ui.screens.once import DismissOnce


class ExportScreen(DismissOnce, ModalScreen[Path | None]):
    """Where to write the current view."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel", show=True)]

    def __init__(self, default: Path, rows: int) -> None:
        super().__init__()
        self.default = default
        self.rows = rows

    def compose(self) -> ComposeResult:
        with Vertical(id="export-box"):
            yield Label(f"Export {self.rows:,} rows to (.csv .parquet .json .md):")
            yield Input(str(self.default), id="export-path")
            yield Static(id="export-error", markup=False)

    def on_mount(self) -> None:
        self.query_one("#export-path", Input).focus()

    @on(Input.Submitted, "#export-path")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if not self.is_active:
            return
        path = Path(event.value.strip()).expanduser()
        try:
            format_for(path)
        except ExportError as exc:
            self.query_one("#export-error", Static).update(safe_text(str(exc), style="bold"))
            return
        if not path.parent.is_dir():
            self.query_one("#export-error", Static).update(
                safe_text(f"no such folder: {path.parent}", style="bold")
            )
            return
        self.dismiss(path)

    def action_cancel(self) -> None:
        """Close without exporting."""
        self.dismiss(None)
