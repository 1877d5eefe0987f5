"""`HelpScreen`: every key, what each pane and drill-down shows. `?`/F1 opens it, any of Esc/q/?
closes it. The key list is generated from the bindings (`moneytrail.ui.keys`), as docs/ui.md's."""

from __future__ import annotations

from typing import ClassVar

from rich.console import Group, RenderableType
from rich.table import Table
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


#: Width of the key column; what a key does wraps in the column beside it.
KEY_WIDTH = 19


def help_page() -> Group:
    """The help page: the key reference generated from the bindings (`ui.keys`), the panes."""
    from moneytrail.ui.keys import key_groups

    parts: list[RenderableType] = []
    for title, rows in key_groups():
        parts.append(Text(title, style="bold underline"))
        keys = Table.grid(padding=(0, 1))
        keys.add_column(width=KEY_WIDTH, no_wrap=True, style="bold")
        keys.add_column(ratio=1)
        for row in rows:
            keys.add_row(Text(" ".join(row.keys)), Text(row.does))
        parts += [keys, Text()]
    parts.append(Text("Panes and drill-downs", style="bold underline"))
    panes = Table.grid(padding=(0, 1))
    panes.add_column(width=12, no_wrap=True, style="bold")
    panes.add_column(ratio=1)
    for name, what in PANES:
        panes.add_row(Text(name), Text(what))
    parts += [
        panes,
        Text(),
        Text("Money is exact; memo rows are shown but never added; refunds subtract."),
        Text("Filters stay on through every drill-down. Press Esc to close.", style="italic"),
    ]
    return Group(*parts)


class HelpScreen(DismissOnce, ModalScreen[None]):
    """The key reference."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,question_mark,f1", "dismiss", "Close", show=True, tooltip="close"),
    ]

    def compose(self) -> ComposeResult:
        with StatsPanel(id="help-box"):  # scrolls with the panel's keys: j k g G PgDn PgUp
            yield Static(help_page(), markup=False)

    def on_mount(self) -> None:
        self.query_one("#help-box").focus()
