"""`FilterScreen`: the global filter form (`f`). Dismisses with new `Filters`, or None.

Fields are free text so the form works in 80×24 and over SSH: dates as YYYY-MM-DD, states,
source kinds and cycles comma-separated, amounts in dollars. Beside the cycle field the form lists
the cycles the dataset holds (`query.cycles.dataset_cycles`, asked in a worker when the form
opens); once known, a cycle the dataset does not hold is refused. Invalid input is reported under
the form and the form stays open.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Input, Label, Static
from textual.worker import get_current_worker

from moneytrail.data.dataset import Dataset
from moneytrail.data.schema import SOURCE_KINDS
from moneytrail.query.cycles import dataset_cycles, is_cycle
from moneytrail.query.filters import Filters
from moneytrail.ui.screens.once import DismissOnce


class MarkedCheckbox(Checkbox):
    """A checkbox whose state reads without colour: ``X`` when on, blank when off.

    Textual's checkbox draws the same ``X`` either way and tells them apart by colour only,
    which `NO_COLOR` (and a monochrome terminal) erases.
    """

    def render(self) -> Content:
        """The checkbox with ``X`` only when on (Textual draws it either way)."""
        self.BUTTON_INNER = "X" if self.value else " "
        return super().render()


class FilterError(ValueError):
    """A field of the form cannot be read; the message names it."""


def _date(text: str, field: str) -> date | None:
    text = text.strip()
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise FilterError(f"{field}: not a date like 2016-08-30") from None


def _cents(text: str, field: str) -> int | None:
    text = text.strip().replace(",", "").lstrip("$")
    if not text:
        return None
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise FilterError(f"{field}: not an amount in dollars") from None
    if not value.is_finite() or value != value.quantize(Decimal("0.01")):
        raise FilterError(f"{field}: at most two decimals")
    return int(value * 100)


def _cycles(text: str, known: tuple[int, ...] | None) -> frozenset[int]:
    """The cycles typed (``2016, 2018``); `known`: the dataset's cycles, None while unknown."""
    out: set[int] = set()
    for part in (p.strip() for p in text.split(",")):
        if not part:
            continue
        if not part.isdecimal() or not is_cycle(int(part)):
            raise FilterError("cycles: even election years separated by commas, e.g. 2016, 2018")
        out.add(int(part))
    if known is not None and out - set(known):
        held = ", ".join(str(c) for c in known) or "none"
        raise FilterError(f"cycles: this dataset holds {held}")
    return frozenset(out)


def parse_filters(
    since: str,
    until: str,
    states: str,
    low: str,
    high: str,
    kinds: str,
    memo: bool,
    cycles: str = "",
    known_cycles: tuple[int, ...] | None = None,
) -> Filters:
    """The `Filters` the form's fields describe.

    `known_cycles` are the dataset's cycles (None while they are not known yet: any cycle
    year is then taken).

    Raises:
        FilterError: a field cannot be read (the message names the field).
    """
    state_set = frozenset(s.strip().upper() for s in states.split(",") if s.strip())
    if any(len(s) != 2 or not s.isalpha() for s in state_set):
        raise FilterError("states: two-letter codes separated by commas, e.g. FL, LA")
    kind_set = frozenset(k.strip().lower() for k in kinds.split(",") if k.strip())
    unknown = kind_set - set(SOURCE_KINDS)
    if unknown:
        raise FilterError(f"kinds: choose from {', '.join(SOURCE_KINDS)}")
    result = Filters(
        since=_date(since, "from"),
        until=_date(until, "to"),
        states=state_set,
        min_cents=_cents(low, "min $"),
        max_cents=_cents(high, "max $"),
        source_kinds=kind_set,
        include_memo=memo,
        cycles=_cycles(cycles, known_cycles),
    )
    if result.since and result.until and result.since > result.until:
        raise FilterError("from is after to")
    if (
        result.min_cents is not None
        and result.max_cents is not None
        and result.min_cents > result.max_cents
    ):
        raise FilterError("min $ is above max $")
    return result


def _money_field(cents: int | None) -> str:
    return "" if cents is None else f"{cents / 100:.2f}"


class FilterScreen(DismissOnce, ModalScreen[Filters | None]):
    """The global filter form."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", show=True),
        Binding("ctrl+s", "apply", "Apply", show=True),
    ]

    def __init__(self, current: Filters, dataset: Dataset | None = None) -> None:
        super().__init__()
        self.current = current
        self.dataset = dataset
        #: The dataset's cycles, once the worker has found them.
        self.known_cycles: tuple[int, ...] | None = None

    def compose(self) -> ComposeResult:
        f = self.current
        with Vertical(id="filter-box"):
            yield Label("Filters (apply to every pane and drill-down)", classes="title")
            with Horizontal(classes="row"):
                yield Label("from", classes="field")
                yield Input(str(f.since or ""), placeholder="YYYY-MM-DD", id="since")
                yield Label("to", classes="field")
                yield Input(str(f.until or ""), placeholder="YYYY-MM-DD", id="until")
            with Horizontal(classes="row"):
                yield Label("states", classes="field")
                yield Input(",".join(sorted(f.states)), placeholder="FL,LA", id="states")
                yield Label("kinds", classes="field")
                yield Input(
                    ",".join(sorted(f.source_kinds)), placeholder="individual,...", id="kinds"
                )
            with Horizontal(classes="row"):
                yield Label("min $", classes="field")
                yield Input(_money_field(f.min_cents), placeholder="0.00", id="low")
                yield Label("max $", classes="field")
                yield Input(_money_field(f.max_cents), placeholder="", id="high")
            with Horizontal(classes="row"):
                yield Label("cycles", classes="field")
                yield Input(
                    ", ".join(str(c) for c in sorted(f.cycles)), placeholder="2016", id="cycles"
                )
                yield Static("", id="known-cycles", markup=False)
            yield MarkedCheckbox("show memo rows in row listings", f.include_memo, id="memo")
            yield Static(id="filter-error", markup=False)
            with Horizontal(classes="buttons"):
                yield Button("Apply", variant="primary", id="apply")
                yield Button("Clear", id="clear")
                yield Button("Cancel", id="cancel")

    def on_mount(self) -> None:
        self.query_one("#since", Input).focus()
        if self.dataset is not None:
            self.query_one("#known-cycles", Static).update("in data: …")
            self._find_cycles(self.dataset)

    @dataclass
    class CyclesFound(Message):
        """The dataset's cycles, found by `_find_cycles`."""

        cycles: tuple[int, ...]

    @work(thread=True, exclusive=True, group="filter-cycles", exit_on_error=False)
    def _find_cycles(self, dataset: Dataset) -> None:
        found = dataset_cycles(dataset)
        if not get_current_worker().is_cancelled:
            self.post_message(self.CyclesFound(found))

    @on(CyclesFound)
    def _show_cycles(self, message: CyclesFound) -> None:
        self.known_cycles = found = message.cycles
        held = ", ".join(str(c) for c in found) if found else "none"
        self.query_one("#known-cycles", Static).update(f"in data: {held}")

    def _value(self, field: str) -> str:
        return self.query_one(f"#{field}", Input).value

    def action_apply(self) -> None:
        """Read the form; dismiss with the filters or show what is wrong."""
        try:
            filters = parse_filters(
                self._value("since"),
                self._value("until"),
                self._value("states"),
                self._value("low"),
                self._value("high"),
                self._value("kinds"),
                self.query_one("#memo", Checkbox).value,
                self._value("cycles"),
                self.known_cycles,
            )
        except FilterError as exc:
            self.query_one("#filter-error", Static).update(Text(str(exc), style="bold"))
            return
        self.dismiss(filters)

    def action_cancel(self) -> None:
        """Close without changing the filters."""
        self.dismiss(None)

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_apply()

    @on(Button.Pressed, "#apply")
    def _apply_pressed(self) -> None:
        self.action_apply()

    @on(Button.Pressed, "#clear")
    def _clear_pressed(self) -> None:
        self.dismiss(Filters())

    @on(Button.Pressed, "#cancel")
    def _cancel_pressed(self) -> None:
        self.dismiss(None)
