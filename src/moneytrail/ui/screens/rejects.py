"""`RejectsScreen`: the rows set aside at load time, with file, line, reason and raw text.

Opened with `R`, from the command palette ("Rejected rows") and named in the load notice. The
rows are read in a thread worker (group ``"rejects"``) and shown as safe text
(`present.rejects`); Esc, q or R closes it.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from moneytrail.data.dataset import Dataset
from moneytrail.ui.screens.once import DismissOnce

#: Rejected rows listed (the CLI's `moneytrail import PATH --rejects 0` lists every one).
SHOWN = 1_000


class RejectsScreen(DismissOnce, ModalScreen[None]):
    """The load report's rejected rows."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,R", "dismiss", "Close", show=True),
        Binding("j,down", "scroll_down", "Down", show=False),
        Binding("k,up", "scroll_up", "Up", show=False),
    ]

    def __init__(self, dataset: Dataset) -> None:
        super().__init__()
        self.dataset = dataset

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="rejects-box"):
            yield Static(Text("Reading the rejected rows…"), id="rejects-text", markup=False)

    def on_mount(self) -> None:
        self.load_rejects()

    @work(thread=True, exclusive=True, group="rejects", exit_on_error=False)
    def load_rejects(self) -> None:
        from moneytrail.ui.loaders import rejects_text

        text = rejects_text(self.dataset, SHOWN)
        self.app.call_from_thread(self._show, text)

    def _show(self, text: Text) -> None:
        if self.is_attached:
            self.query_one("#rejects-text", Static).update(text)

    def action_scroll_down(self) -> None:
        self.query_one("#rejects-box", VerticalScroll).scroll_down()

    def action_scroll_up(self) -> None:
        self.query_one("#rejects-box", VerticalScroll).scroll_up()
