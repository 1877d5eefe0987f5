"""Every view's header line, and its filter status: a filtered view always says so.

Contract:

* `filter_status(labels, shown)` is the one place the filter status is worded:
  ``no filters``, or ``filtered: donor state NY; date 2016-01-01–…`` followed by
  ``· 12.0% of the total shown`` when `shown` (the share of the view's headline money the
  filters leave, `query.panes.shown_share` for panes and details, the trace's own
  `TraceResult.shown_share`) is known (docs/figures.md, "Filters"). Panes, details, the flow view
  and the CLI's trace all call it.
* `filters_text(filters, shown)` is `filter_status` of `query.filters.Filters.describe()`.
* `header_line(...)` builds an explorer screen's header (dataset name, sample note, row count,
  filter status, loading marker) fitted to a width. Unfiltered, a line too long is cut at its
  end. Filtered, the filter status is what a user must read, so the dataset name and the sample
  note give way first (the note shortens to
  ``(synthetic)``, the "first N shown" hint to its short form, the name is elided with ``…``);
  when even then the whole status does not fit, it gets a second line of its own.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rich.text import Text

from moneytrail.present.sanitize import safe_str

#: The sample note, long and short (the short one when the line is tight).
SAMPLE_NOTE = " (synthetic sample, illustrative)"
SAMPLE_NOTE_SHORT = " (synthetic)"
#: Fewest characters of the dataset name kept when eliding it (the ellipsis included).
MIN_NAME = 4
SEPARATOR = " │ "
#: The marker shown while a query runs.
LOADING = "loading…"
#: The status of a view nothing filters.
NO_FILTERS = "no filters"


def filter_status(labels: Sequence[str], shown: float | None = None) -> str:
    """``no filters`` or ``filtered: …`` with every label (and the share `shown`)."""
    if not labels:
        return NO_FILTERS
    text = "filtered: " + "; ".join(safe_str(label) for label in labels)
    if shown is not None:
        text += f" · {shown * 100:.1f}% of the total shown"
    return text


def filters_text(filters: Any, shown: float | None = None) -> str:
    """`filter_status` of the active global filters (`Filters.describe()`)."""
    return filter_status(filters.describe(), shown)


def _elide(name: str, width: int) -> str:
    if len(name) <= width:
        return name
    return name[: max(1, width - 1)] + "…"


def header_line(
    name: str,
    *,
    synthetic: bool,
    rows: str | None,
    status: str,
    loading: bool,
    width: int,
    rows_short: str | None = None,
) -> Text:
    """The header fitted to `width` cells (see the module docstring).

    `name` is sanitised here; `rows` (the row count part, `rows_short` its short form) and
    `status` (`filter_status`) are already safe text. The result is one line, or two when even
    the shortest first line leaves no room for the whole filter status: the status then has
    the second line to itself.
    """
    name = safe_str(name)
    loading_part = SEPARATOR + LOADING if loading else ""
    note = SAMPLE_NOTE if synthetic else ""

    def tail(rows_part: str | None) -> str:
        return "".join(SEPARATOR + part for part in (rows_part, status) if part)

    # A filtered line keeps room for the loading marker whether it shows or not, so the header
    # does not switch between one and two lines each time a query runs.
    reserve = len(SEPARATOR + LOADING)

    def fits(name_part: str, note_part: str, rows_part: str | None) -> bool:
        return len(name_part) + len(note_part) + len(tail(rows_part)) + reserve <= width

    text = Text(no_wrap=True, overflow="ellipsis")
    if status == NO_FILTERS:
        # Nothing filtered: nothing must stay whole; the line is cut at its end.
        text.append(name, style="bold")
        text.append(note, style="italic")
        text.append(tail(rows))
        text.append(loading_part, style="bold")
        return text
    # Give way in order: the sample note shortens, the row hint shortens, the name is elided.
    short_note = SAMPLE_NOTE_SHORT if synthetic else ""
    short_rows = rows if rows_short is None else rows_short
    room = width - len(short_note) - len(tail(short_rows)) - reserve
    if room < MIN_NAME:
        # Even the shortest first line leaves no room for the whole status: it gets the second
        # line to itself, and the first keeps the name and note (cut at the end if need be).
        text.append(name, style="bold")
        text.append(note, style="italic")
        if rows:
            text.append(SEPARATOR + rows)
        text.append(loading_part, style="bold")
        text.append("\n" + status)
        return text
    rows_part = rows
    if not fits(name, note, rows_part):
        note = short_note
    if not fits(name, note, rows_part):
        rows_part = short_rows
    if not fits(name, note, rows_part):
        name = _elide(name, room)
    text.append(name, style="bold")
    text.append(note, style="italic")
    text.append(tail(rows_part))
    text.append(loading_part, style="bold")
    return text
