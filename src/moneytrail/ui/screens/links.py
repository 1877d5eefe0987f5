"""`LinksScreen`: the names linked across filing systems, why, and the user's verdict on each.

A 527's IRS report names a state PAC only by name ("FLORIDA SAFETY AND JUSTICE", FL) and the
PAC's state report names the 527 the same way; the data layer links such names to committees
and says why (docs/sources.md, *Linking across filing systems*). This screen lists every link
(`moneytrail.query.links.list_links`): its status (auto: the rule; confirmed: you; broken: you
undid it), the name and state as the filing writes them, the committee, how many rows and the
reason. Reached from the palette ("Links") and with `L` in a committee's detail (then only that
committee's links).

Keys: `c` confirms the highlighted link, `b` breaks it (a broken one can be confirmed again),
Enter opens the committee, Esc/q goes back. A verdict is saved beside the dataset
(`moneytrail-links.csv`, as `moneytrail links --confirm/--break` does) and the dataset is opened
again, so every view and trace follows it. Listing runs in a thread worker (group ``links``),
saving and reopening in another (group ``links-decide``); each result carries its request id
and stale ones are dropped. Every cell is sanitised text, never markup.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar, Literal

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static

from moneytrail.present.money import format_count
from moneytrail.present.sanitize import safe_str, safe_text
from moneytrail.query.links import Link, decide, list_links
from moneytrail.ui.messages import error_line
from moneytrail.ui.views import EntityView

if TYPE_CHECKING:
    from moneytrail.ui.app import MoneytrailApp

#: Columns of the table; `why` and the committee's id are also on the lines under it, so they
#: are readable at 80 columns however wide the table is.
COLUMNS = ("status", "name as filed", "state", "linked to", "rows", "why")
STATUS_STYLE = {"auto": "cyan", "confirmed": "green", "broken": "red"}


class LinksScreen(Screen[None]):
    """Every link across filing systems (of one committee, when `committee_key` is given)."""

    DEFAULT_CSS = """
    LinksScreen #links-title { height: 1; padding: 0 1; background: $panel; text-style: bold; }
    LinksScreen #links-status { height: auto; padding: 0 1; color: $text-muted; }
    LinksScreen #links-why { height: auto; max-height: 3; padding: 0 1; }
    LinksScreen DataTable { height: 1fr; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q", "close", "Back", id="links.close", tooltip="back"),
        Binding(
            "c",
            "confirm",
            "Confirm",
            id="links.confirm",
            tooltip="confirm the highlighted link (also a broken one); saved beside the data",
        ),
        Binding(
            "b",
            "break_link",
            "Break",
            id="links.break",
            tooltip="break the highlighted link; saved beside the data, which reloads",
        ),
        Binding("enter", "open_committee", "Open", id="links.open", tooltip="open the committee"),
        Binding("j", "down", "Down", show=False, tooltip="next link"),
        Binding("k", "up", "Up", show=False, tooltip="previous link"),
    ]

    @dataclass
    class Listed(Message):
        """A listing finished for request `request_id`."""

        request_id: int
        links: list[Link]
        error: str | None = None

    @dataclass
    class Decided(Message):
        """A verdict was saved (`path`) and the dataset reopened (`dataset`), or `error`."""

        request_id: int
        verdict: str
        link: Link
        path: str = ""
        dataset: Any = None
        error: str | None = None

    def __init__(self, committee_key: str | None = None, committee_name: str = "") -> None:
        super().__init__()
        self.committee_key = committee_key
        self.committee_name = committee_name
        self.links: list[Link] = []
        self._request = 0
        self._busy = False

    @property
    def mt_app(self) -> MoneytrailApp:
        """The app, typed."""
        return self.app  # type: ignore[return-value]

    def compose(self) -> ComposeResult:
        title = "Links across filing systems"
        if self.committee_key is not None:
            title += f" · {safe_str(self.committee_name or self.committee_key)}"
        yield Static(title, id="links-title", markup=False)
        yield Static("Loading the links…", id="links-status", markup=False)
        table: DataTable[Text] = DataTable(id="links-table", cursor_type="row", zebra_stripes=True)
        yield table
        yield Static("", id="links-why", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns(*COLUMNS)
        table.focus()
        self.reload()

    # --- listing -------------------------------------------------------------------------

    def reload(self) -> None:
        """List the links again (in a worker)."""
        self._request += 1
        self._list(self._request)

    @work(thread=True, exclusive=True, group="links", exit_on_error=False)
    def _list(self, request_id: int) -> None:
        dataset = self.mt_app.dataset
        try:
            found = list_links(dataset, self.committee_key) if dataset is not None else []
        except Exception as exc:  # shown on the screen, never a crashed worker
            self.post_message(self.Listed(request_id, [], error_line(exc)))
            return
        self.post_message(self.Listed(request_id, found))

    @on(Listed)
    def _listed(self, message: Listed) -> None:
        if message.request_id != self._request:
            return  # a newer listing is on its way
        status = self.query_one("#links-status", Static)
        if message.error is not None:
            status.update(f"Could not list the links: {message.error}")
            return
        table = self.query_one(DataTable)
        keep = table.cursor_row
        self.links = message.links
        table.clear()
        for link in self.links:
            table.add_row(*_cells(link))
        if self.links:
            table.move_cursor(row=min(max(keep, 0), len(self.links) - 1))
        status.update(_status_line(self.links, self.committee_key is not None))
        self._show_why()

    @on(DataTable.RowHighlighted)
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._show_why()

    def _show_why(self) -> None:
        """The highlighted link in full under the table: why, the committee and its id."""
        link = self.highlighted()
        self.query_one("#links-why", Static).update(_why(link) if link else Text())

    # --- verdicts ------------------------------------------------------------------------

    def highlighted(self) -> Link | None:
        """The link under the cursor, if any."""
        row = self.query_one(DataTable).cursor_row
        return self.links[row] if 0 <= row < len(self.links) else None

    def action_confirm(self) -> None:
        """`c`: confirm the highlighted link (also one the user broke)."""
        self._verdict("confirm")

    def action_break_link(self) -> None:
        """`b`: break the highlighted link."""
        self._verdict("break")

    def _verdict(self, verdict: Literal["confirm", "break"]) -> None:
        link = self.highlighted()
        if link is None:
            self.notify("No link is highlighted.", timeout=3, markup=False)
            return
        if self._busy:
            self.notify("Still saving the last decision…", timeout=3, markup=False)
            return
        already = {"confirm": "confirmed", "break": "broken"}[verdict]
        if link.status == already:
            self.notify(f"This link is already {already}.", timeout=3, markup=False)
            return
        self._busy = True
        self._request += 1
        self.query_one("#links-status", Static).update(
            f"Saving: {verdict} {safe_str(link.name)} ({safe_str(link.state)}); reloading the data…"
        )
        self._decide(self._request, link, verdict)

    @work(thread=True, exclusive=True, group="links-decide", exit_on_error=False)
    def _decide(self, request_id: int, link: Link, verdict: Literal["confirm", "break"]) -> None:
        app = self.mt_app
        dataset = app.dataset
        try:
            assert dataset is not None
            path = decide(dataset, link, verdict)
            fresh = app.open_again()
        except Exception as exc:  # a read-only folder, a vanished file: one line, no crash
            self.post_message(self.Decided(request_id, verdict, link, error=error_line(exc)))
            return
        self.post_message(self.Decided(request_id, verdict, link, str(path), fresh))

    @on(Decided)
    def _decided(self, message: Decided) -> None:
        self._busy = False
        link = message.link
        if message.error is not None:
            self.notify(
                f"Could not save the decision: {message.error}", severity="error", markup=False
            )
            self.reload()
            return
        self.mt_app.replace_dataset(message.dataset)
        done = {"confirm": "Confirmed", "break": "Broke"}[message.verdict]
        self.notify(
            f"{done}: {safe_str(link.name)} ({safe_str(link.state)}) → "
            f"{safe_str(link.committee_name)}. Saved in {safe_str(message.path)}; data reloaded.",
            timeout=5,
            markup=False,
        )
        self.reload()

    # --- navigation ----------------------------------------------------------------------

    @on(DataTable.RowSelected)
    def _selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_open_committee()

    def action_open_committee(self) -> None:
        """Enter: the linked committee's detail."""
        link = self.highlighted()
        if link is None:
            return
        self.mt_app.open_view(EntityView("committee", link.committee_key, link.committee_name), ())

    def action_down(self) -> None:
        """`j`: next link."""
        self.query_one(DataTable).action_cursor_down()

    def action_up(self) -> None:
        """`k`: previous link."""
        self.query_one(DataTable).action_cursor_up()

    def action_close(self) -> None:
        """Esc/q: back."""
        if self.is_current:
            self.app.pop_screen()


def _cells(link: Link) -> list[Text]:
    target = safe_text(link.committee_name)
    return [
        Text(link.status, style=STATUS_STYLE.get(link.status, "")),
        safe_text(link.name),
        safe_text(link.state),
        target,
        Text(format_count(link.rows), justify="right"),
        safe_text(link.reason),
    ]


def _why(link: Link) -> Text:
    text = Text()
    text.append_text(safe_text(link.name))
    text.append(f" ({safe_str(link.state)})" if link.state else "")
    text.append(" → ")
    text.append_text(safe_text(link.committee_name, style="bold"))
    text.append(f" [{safe_str(link.committee_id)}]", style="dim")
    if link.source:
        rows = f"{format_count(link.rows)} row{'' if link.rows == 1 else 's'}"
        text.append(f" · {rows} of {safe_str(link.source)}", style="dim")
    text.append("\nwhy: ", style="dim")
    text.append_text(safe_text(link.reason))
    return text


def _status_line(links: list[Link], one_committee: bool) -> str:
    if not links:
        if one_committee:
            return "No name in another filing system is linked to this committee."
        return "No names are linked across filing systems in this dataset."
    live = sum(1 for link in links if link.status != "broken")
    broken = len(links) - live
    line = f"{live:,} linked" + (f", {broken:,} broken" if broken else "")
    return f"{line}. c confirms, b breaks the highlighted link (saved beside the data)."
