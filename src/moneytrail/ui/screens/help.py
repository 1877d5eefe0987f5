"""`HelpScreen`: every key, what each pane and drill-down shows. `?`/F1 opens it, any of Esc/q/?
closes it. The key list is generated from the bindings (`moneytrail.ui.keys`), as docs/ui.md's."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import ModalScreen
from textual.widgets import Static

from moneytrail.ui.screens.explorer import StatsPanel
from moneytrail.ui.screens.once import DismissOnce

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
    """The help page: the key reference generated from the bindings (`ui.keys`), the panes."""
    from moneytrail.ui.keys import key_groups

    out = Text()
    for title, rows in key_groups():
        out.append(f"{title}\n", style="bold underline")
        for row in rows:
            out.append(f"{' '.join(row.keys):<19}", style="bold")
            out.append(f" {row.does}\n")
        out.append("\n")
    out.append("Panes and drill-downs\n", style="bold underline")
    for name, what in PANES:
        out.append(f"{name:<13}", style="bold")
        out.append(f"{what}\n")
    out.append("\nMoney is exact; memo rows are shown but never added; refunds subtract.\n")
    out.append("Filters stay on through every drill-down. Press Esc to close.", style="italic")
    return out


class HelpScreen(DismissOnce, ModalScreen[None]):
    """The key reference."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,question_mark,f1", "dismiss", "Close", show=True, tooltip="close"),
    ]

    def compose(self) -> ComposeResult:
        with StatsPanel(id="help-box"):  # scrolls with the panel's keys: j k g G PgDn PgUp
            yield Static(help_text(), markup=False)

    def on_mount(self) -> None:
        self.query_one("#help-box").focus()
