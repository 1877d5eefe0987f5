"""`HelpScreen`: every key, what each pane and drill-down shows. `?`/F1 opens it, any of Esc/q/?
closes it."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from moneytrail.ui.screens.once import DismissOnce

KEYS: tuple[tuple[str, str], ...] = (
    ("1 2 3  Tab S-Tab", "Donors / PACs / Races; in a detail: sections"),
    ("j k  ↓ ↑", "down / up (h l, ← →: columns)"),
    ("g G", "first / last row"),
    ("PgDn PgUp C-d C-u", "page down / up"),
    ("Enter", "open the donor/committee/race/candidate"),
    ("Esc q Backspace", "back one view (closes search/stats first)"),
    ("/", "keep rows with a whole word (Esc closes)"),
    ("n N", "next / previous row with the word"),
    ("s  header click", "sort by the cursor's column; again reverses"),
    ("i", "statistics panel (beside the grid at ≥120)"),
    ("f F", "global filters / clear all filters"),
    ("e", "export this view: .csv .parquet .json .md"),
    ("y Y", "copy row / cell (OSC 52, works over SSH)"),
    ("t", "trace the money (flow view)"),
    ("c", "donors: include/leave out committees"),
    ("a", "race: also candidates with no money"),
    ("Ctrl+P", "palette: jump to any name; themes; actions"),
    ("? F1", "this help"),
    ("Q", "quit"),
)

PANES: tuple[tuple[str, str], ...] = (
    ("Donors", "donor identities (name variants merged), totals"),
    ("PACs", "committees: receipts, passed on, outside money"),
    ("Races", "races: candidates' money, outside for/against"),
    ("donor ›", "recipients ranked, raw contributions, stats"),
    ("committee ›", "top donors, passed on, ind. spending, rows"),
    ("race ›", "candidates, outside spenders, rows"),
    ("candidate ›", "its committees, funders, outside spenders"),
)


def help_text() -> Text:
    """The help page as text (also used by docs/ui.md)."""
    out = Text()
    out.append("Keys\n", style="bold underline")
    for key, what in KEYS:
        out.append(f"{key:<19}", style="bold")
        out.append(f"{what}\n")
    out.append("\nPanes and drill-downs\n", style="bold underline")
    for name, what in PANES:
        out.append(f"{name:<13}", style="bold")
        out.append(f"{what}\n")
    out.append("\nMoney is exact; memo rows are shown but never added; refunds subtract.\n")
    out.append("Filters stay on through every drill-down. Press Esc to close.", style="italic")
    return out


class HelpScreen(DismissOnce, ModalScreen[None]):
    """The key reference."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,question_mark,f1", "dismiss", "Close", show=True),
        Binding("j,down", "scroll_down", "Down", show=False),
        Binding("k,up", "scroll_up", "Up", show=False),
    ]

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-box"):
            yield Static(help_text(), markup=False)

    def action_scroll_down(self) -> None:
        self.query_one("#help-box", VerticalScroll).scroll_down()

    def action_scroll_up(self) -> None:
        self.query_one("#help-box", VerticalScroll).scroll_up()
