"""Every view's header line, and its filter status: a filtered view always says so.

Contract:

* `filter_status(labels, shown)` is the one place the filter status is worded:
  ``no filters``, or ``filtered: donor state NY; date 2016-01-01–…`` followed by
  ``· 12.0% of the total shown`` when `shown` (the share of the view's headline money the
  filters leave, `query.panes.shown_share` for panes and details, the trace's own
  `TraceResult.shown_share`) is known (docs/figures.md, "Filters"). Panes, details, the flow view
  and the CLI's trace all call it.
* `filters_text(filters, shown)` is `filter_status` of `query.filters.Filters.describe()`.
* `rows_status(total, shown, search, sort)` words the row count part, long and short:
  ``12,345 rows matching “roe” by Total ↓ (first 1,000 shown: sort or / to narrow)`` and
  ``12,345 rows /roe ↓Total (first 1,000 shown)``.
* `header_line(...)` builds an explorer screen's header (dataset name, sample note, row count,
  filter status, loading marker) fitted to a width. The wordy parts give way first, in order:
  the sample note shortens to ``(synthetic)``, the row count part to its short form. Unfiltered,
  a line still too long is then cut at its end (the name is never elided). Filtered, the filter
  status is what a user must read, so the dataset name is elided with ``…``; when even then the
  whole status does not fit, it gets a second line of its own.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rich.text import Text

from moneytrail.present.money import format_count
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


def rows_status(
    total: int,
    shown: int,
    search: str | None = None,
    sort: tuple[str, bool] | None = None,
) -> tuple[str, str]:
    """The row count part of the header, in full and short.

    `total` rows match, the first `shown` of them are in the grid; `search` is the `/` word,
    `sort` the sorted column's label and whether it is biggest first. Counts and the word are
    made safe here.
    """
    count = f"{format_count(total)} row{'s' if total != 1 else ''}"
    long = short = count
    if search:
        word = safe_str(search)
        long += f" matching “{word}”"
        short += f" /{word}"
    if sort is not None:
        label, descending = sort
        label = safe_str(label)
        arrow = "↓" if descending else "↑"
        long += f" by {label} {arrow}"
        short += f" {arrow}{label}"
    if total > shown:
        first = f" (first {format_count(shown)} shown"
        long += first + ": sort or / to narrow)"
        short += first + ")"
    return long, short


def _rows(rows: str | None) -> str:
    return SEPARATOR + rows if rows else ""


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
    short_note = SAMPLE_NOTE_SHORT if synthetic else ""
    short_rows = rows if rows_short is None else rows_short

    def shortened(budget: int, rest: str) -> tuple[str, str | None]:
        """The note and row part, the wordy ones shortened in order until the name, note,
        row part and `rest` fit `budget` cells (or nothing is left to shorten)."""
        note_part, rows_part = note, rows
        if len(name) + len(note_part) + len(_rows(rows_part)) + len(rest) > budget:
            note_part = short_note
        if len(name) + len(note_part) + len(_rows(rows_part)) + len(rest) > budget:
            rows_part = short_rows
        return note_part, rows_part

    def line(name_part: str, note_part: str, rows_part: str | None, end: str) -> Text:
        text = Text(no_wrap=True, overflow="ellipsis")
        text.append(name_part, style="bold")
        text.append(note_part, style="italic")
        text.append(_rows(rows_part))
        text.append(end)
        text.append(loading_part, style="bold")
        return text

    if status == NO_FILTERS:
        # Nothing filtered: the wordy parts shorten (so the sort and the `/` word stay in view),
        # then a line still too long is cut at its end; the name is kept whole.
        note, rows_part = shortened(width, SEPARATOR + status + loading_part)
        return line(name, note, rows_part, SEPARATOR + status)
    # Filtered: the sample note shortens, the row part shortens, then the name is elided.
    # A filtered line keeps room for the loading marker whether it shows or not, so the header
    # does not switch between one and two lines each time a query runs.
    rest = SEPARATOR + status + SEPARATOR + LOADING
    room = width - len(short_note) - len(_rows(short_rows)) - len(rest)
    if room < MIN_NAME:
        # Even the shortest first line leaves no room for the whole status: it gets the second
        # line to itself; the first keeps the name (shortening the wordy parts to fit).
        note, rows_part = shortened(width, SEPARATOR + LOADING)
        text = line(name, note, rows_part, "")
        text.append("\n" + status)
        return text
    note, rows_part = shortened(width, rest)
    if len(name) > room:
        name = _elide(name, room)
    return line(name, note, rows_part, SEPARATOR + status)
