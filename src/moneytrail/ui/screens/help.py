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

KEYS: tuple[tuple[str, str], ...] = (
    ("1 2 3, Tab/S-Tab", "Donors / PACs / Races; in a detail: its sections"),
    ("j k, ↓ ↑", "move down / up (h l, ← →: columns)"),
    ("g G", "first / last row"),
    ("PgDn PgUp, C-d C-u", "page down / up"),
    ("Enter", "open what the row names (donor, committee, race, candidate)"),
    ("Esc q Backspace", "back one view (closes search / stats first)"),
    ("/", "filter rows to a whole word; Enter keeps, Esc closes"),
    ("n N", "next / previous row with the word"),
    ("s, header click", "sort by the cursor's column (again reverses)"),
    ("i", "statistics panel (always beside the grid at ≥120 columns)"),
    ("f F", "global filters form / clear all filters"),
    ("e", "export this view: .csv .parquet .json .md"),
    ("y Y", "copy the row / the cell (OSC 52, works over SSH)"),
    ("t", "trace money to its ultimate sources (flow view)"),
    ("Ctrl+P", "palette: jump to any donor, committee, race, candidate; themes"),
    ("? F1", "this help"),
    ("Q", "quit"),
)

PANES: tuple[tuple[str, str], ...] = (
    ("Donors", "every donor identity (name variants merged), total, gifts, median"),
    ("PACs", "every committee with receipts, money passed on, outside spending"),
    ("Races", "every race with candidates' money and outside money for/against"),
    ("donor ›", "recipients ranked, raw contributions; stats of the gifts"),
    ("committee ›", "top donors, money passed on, independent spending, rows"),
    ("race ›", "candidates, outside spenders, rows; Enter on a candidate"),
    ("candidate ›", "its committees, top funders, outside spenders, rows"),
)


def help_text() -> Text:
    """The help page as text (also used by docs/ui.md)."""
    out = Text()
    out.append("Keys\n", style="bold underline")
    for key, what in KEYS:
        out.append(f"{key:<20}", style="bold")
        out.append(f"{what}\n")
    out.append("\nPanes and drill-downs\n", style="bold underline")
    for name, what in PANES:
        out.append(f"{name:<13}", style="bold")
        out.append(f"{what}\n")
    out.append("\nMoney is exact; memo rows are shown but never added; refunds subtract.\n")
    out.append("Filters stay on through every drill-down. Press Esc to close.", style="italic")
    return out


class HelpScreen(ModalScreen[None]):
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
