"""Writing query results for scripts and people: JSON, CSV and Rich tables.

Money columns arrive as Int64 cents named `*_cents`; every output format renames them without the
suffix and gives dollars exact to the cent (JSON numbers, CSV `1234.50`, tables `$1,234.50`).

Terminal safety: every string a table or `console()` prints goes through `present.sanitize`
(the console itself sanitises any plain string handed to it, so a command that prints a line
built from data cannot forget to); column headers and titles too. JSON output keeps strings
exact but `\\u`-escapes every control, bidi and zero-width character, so `--format json` on a
terminal is as safe as a table. CSV output is for scripts and keeps every byte as filed.
"""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime
from typing import Any, TextIO

import polars as pl
from rich import box
from rich.console import Console, ConsoleOptions, Group, RenderResult
from rich.table import Table
from rich.text import Text

from moneytrail.data.ids import ID_KEYS, unqualified_expr, written_ids, written_record
from moneytrail.data.textsafe import json_safe
from moneytrail.present.money import cents_to_dollars, format_count, format_money, format_share
from moneytrail.present.sanitize import safe_str, safe_text
from moneytrail.query.export import CENTS, public_name
from moneytrail.query.figures import FIGURE_LABELS

__all__ = ["CENTS", "public_name", "safe_str", "safe_text"]


def _json_value(column: str, value: Any) -> Any:
    if value is None:
        return None
    if column.endswith(CENTS):
        return cents_to_dollars(int(value))
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, float) and value != value:  # NaN is not JSON
        return None
    return value


def records(frame: pl.DataFrame) -> list[dict[str, Any]]:
    """Rows as JSON-ready dicts: cents columns become dollar numbers under their public name."""
    return [record(row) for row in frame.iter_rows(named=True)]


def record(row: Mapping[str, Any]) -> dict[str, Any]:
    """One mapping made JSON-ready the same way as `records`; ids as their filing system
    writes them, with the `source` of a qualified one (`moneytrail.data.ids.written_record`)."""
    written = written_record(row)
    return {public_name(col): _json_value(col, val) for col, val in written.items()}


def write_json(payload: Any, out: TextIO | None = None) -> None:
    """`payload` as indented JSON: text kept exact, unsafe characters `\\u`-escaped."""
    out = out or sys.stdout
    out.write(json_safe(json.dumps(payload, indent=2, ensure_ascii=False)))
    out.write("\n")


def _csv_value(column: str, value: Any) -> str:
    if value is None:
        return ""
    if column.endswith(CENTS):
        cents = int(value)
        sign = "-" if cents < 0 else ""
        whole, frac = divmod(abs(cents), 100)
        return f"{sign}{whole}.{frac:02d}"
    if isinstance(value, date | datetime):
        return value.isoformat()
    return str(value)


def write_csv(frame: pl.DataFrame, out: TextIO | None = None) -> None:
    out = out or sys.stdout
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([public_name(c) for c in frame.columns])
    for row in written_ids(frame).iter_rows(named=True):
        writer.writerow([_csv_value(c, v) for c, v in row.items()])


def cell(column: str, value: Any) -> Text:
    """One value as safe, formatted Rich text for a table cell."""
    if value is None:
        return Text("")
    if column.endswith(CENTS):
        return Text(format_money(int(value)), justify="right")
    if column.endswith("_share") or column == "share":
        return Text(format_share(float(value)), justify="right")
    if isinstance(value, bool):
        return Text("yes" if value else "no")
    if isinstance(value, int):
        if column in ("year", "cycle"):
            return Text(str(value), justify="right")
        return Text(format_count(value), justify="right")
    if isinstance(value, float):
        return Text(f"{value:,.2f}", justify="right")
    if isinstance(value, date | datetime):
        return Text(value.isoformat())
    return safe_text(value)


#: A text column (a name) is given at least this many cells, or its longest value if shorter;
#: it wraps beyond that. A table that cannot give every column that much is shown as records.
NAME_MIN = 14


def _kept_whole(frame: pl.DataFrame, column: str) -> bool:
    """Money, counts, shares, years and dates: a cell that must never be cut or wrapped."""
    dtype = frame.schema[column]
    return column.endswith(CENTS) or dtype.is_numeric() or dtype.is_temporal()


class DataTable:
    """Rows of a frame, readable at any width and when piped; nothing is ever cut.

    At render time, if every whole column (money, counts, shares, dates: as wide as its widest
    cell) and every text column (at least `NAME_MIN` cells, wrapping beyond) fit the width, it
    is a table with one space between columns. Otherwise each row is printed as a record,
    one `label  value` line per column (the "expanded display" of psql), so a wide row at 80
    columns is still read whole instead of cut.
    """

    def __init__(self, frame: pl.DataFrame, columns: Sequence[str], title: str | None) -> None:
        self.columns = list(columns)
        self.title = safe_text(title) if title else None
        # A figure carries its one label (docs/figures.md), as in the explorer.
        self.headers = [
            safe_text(FIGURE_LABELS.get(col) or public_name(col).replace("_", " "))
            for col in columns
        ]
        self.whole = [_kept_whole(frame, col) for col in columns]
        # Ids as their filing system writes them (the `source` column, where listed, says whose).
        written = [
            unqualified_expr(c) for c in columns if c in ID_KEYS and frame.schema[c] == pl.String
        ]
        self.rows = [
            [cell(c, v) for c, v in row.items()]
            for row in frame.select(columns).with_columns(written).iter_rows(named=True)
        ]
        #: Each column's narrowest (whole columns: their widest cell) and widest (content).
        self.floors: list[int] = []
        self.ceilings: list[int] = []
        for i, header in enumerate(self.headers):
            cells = max((row[i].cell_len for row in self.rows), default=0)
            words = max((len(w) for w in header.plain.split()), default=1)
            floor = cells if self.whole[i] else min(cells, NAME_MIN)
            self.floors.append(max(floor, words, 1))
            self.ceilings.append(max(cells, header.cell_len, self.floors[-1]))

    def needed_width(self) -> int:
        """The narrowest the table can be drawn without cutting a whole column."""
        return sum(self.floors) + len(self.floors) - 1

    def widths(self, available: int) -> list[int]:
        """Column widths for `available` cells: whole columns fixed, text columns share the rest.

        Spare room goes one cell at a time to the text column furthest below its content width,
        so the longest names wrap least.
        """
        widths = list(self.floors)
        spare = available - self.needed_width()
        while spare > 0:
            short = [
                (top - w, i)
                for i, (w, top) in enumerate(zip(widths, self.ceilings, strict=True))
                if w < top
            ]
            if not short:
                break
            widths[max(short)[1]] += 1
            spare -= 1
        return widths

    def as_table(self, available: int) -> Table:
        out = Table(
            title=self.title,
            title_justify="left",
            box=box.SIMPLE_HEAD,
            show_edge=False,
            padding=(0, 0),
        )
        for header, whole, width in zip(
            self.headers, self.whole, self.widths(available), strict=True
        ):
            if whole:
                out.add_column(header, justify="right", no_wrap=True, width=width)
            else:
                out.add_column(header, overflow="fold", width=width)
        for row in self.rows:
            out.add_row(*row)
        return out

    def as_records(self) -> Group:
        label_width = max((h.cell_len for h in self.headers), default=0)
        parts: list[Any] = []
        if self.title is not None:
            parts.append(self.title)
        for n, row in enumerate(self.rows, 1):
            parts.append(Text(f"── {n:,} ──", style="dim"))
            grid = Table.grid(padding=(0, 2))
            grid.add_column(no_wrap=True, min_width=label_width, style="bold")
            grid.add_column(overflow="fold")
            for header, value in zip(self.headers, row, strict=True):
                grid.add_row(header, Text(value.plain, style=value.style, justify="left"))
            parts.append(grid)
        return Group(*parts)

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        if self.needed_width() <= options.max_width:
            yield self.as_table(options.max_width)
        else:
            yield self.as_records()


def table(
    frame: pl.DataFrame, columns: Sequence[str] | None = None, title: str | None = None
) -> DataTable:
    """`frame` (optionally only `columns`) for people: a table, or records when too narrow.

    Every cell is sanitised; amounts, counts and dates are never cut or wrapped; names wrap.
    """
    return DataTable(frame, list(columns) if columns is not None else frame.columns, title)


class SafeConsole(Console):
    """A Rich console that shows every plain string literally: never markup, controls visible.

    Rich parses `[...]` in strings unless markup is off, and keeps ESC and C1 bytes in them;
    this console turns each string it is handed (`print("...")`, a table cell or title given
    as `str`) into `present.sanitize.safe_text` first. `Text` objects are taken as they are:
    whoever builds one from data builds it with `safe_text`.
    """

    def render_str(self, text: str, **kwargs: Any) -> Text:
        kwargs["markup"] = False
        kwargs["emoji"] = False
        kwargs["highlight"] = False
        return super().render_str(safe_str(text), **kwargs)


def console(out: TextIO | None = None) -> Console:
    """A console for CLI output: no markup, emoji or highlighting, strings sanitised."""
    return SafeConsole(file=out or sys.stdout, markup=False, emoji=False, highlight=False)


def print_lines(lines: Iterable[str], out: TextIO | None = None) -> None:
    """Print plain data lines, sanitised."""
    stream = out or sys.stdout
    for line in lines:
        stream.write(safe_str(line) + "\n")
