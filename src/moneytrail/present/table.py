"""`TableModel`: a query result turned into the strings a grid shows, with its raw rows kept.

Contract: every displayed cell is a plain, safe string computed with native Polars expressions
(never a Python loop over rows, so a million-row pane formats in a worker in well under a second):

* money (`*_cents` integer columns) as `$1,234.56`, right-aligned by padding to the column width,
  computed in integer arithmetic so the cents shown are the cents filed;
* counts with thousands separators, shares (`*_share`) as percentages, dates as ISO;
* text (and column labels, which can come from a file's header) with every unsafe character
  replaced by the visible stand-ins of `data.textsafe` (the grid renders strings literally,
  never as markup);
* lists joined with `; `.

Column widths are known up front (money and counts measured exactly over the whole column, text
from a sample and capped), so the grid never has to measure every cell on first paint. The model is
immutable: sorting and filtering return new models. It may be built in a worker thread.

A model usually holds its whole result in `raw` and formats the first `PAGE_ROWS` of it. A model
can instead hold only a page of a bigger result the query layer keeps (a detail's raw rows): it
is built with `total`, the result's size, which `total_rows` reports so the grid says "first N
shown" the same way; such a model cannot sort or filter itself (`is_page`), its owner asks the
query layer for another page. A page can also record the `/` word its rows were matched to by the
query layer (`page`), and grow by the result's next rows as the grid scrolls (`extended`).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any, Literal

import polars as pl

from moneytrail.data.ids import ID_KEYS, unqualified_expr
from moneytrail.data.textsafe import safe_expr, safe_str
from moneytrail.query.figures import FIGURE_LABELS
from moneytrail.query.search import text_match

ColumnKind = Literal["money", "count", "share", "number", "date", "bool", "list", "text"]

#: Rows sampled to size text columns (money and counts are measured exactly).
WIDTH_SAMPLE = 10_000
#: Rows formatted for display. Sorting and `/` filtering always work on every row of the result;
#: only the first PAGE_ROWS of the outcome are formatted and handed to the grid (formatting costs
#: about a second per million rows here, while nobody scrolls through a million rows).
PAGE_ROWS = 100_000
#: Widest a text column is made; longer values are clipped by the grid with an ellipsis.
MAX_TEXT_WIDTH = 30

#: Column labels for the query layer's known result columns; others are derived from the name.
#: Figure columns take their one label from `query.figures` (docs/figures.md).
LABELS: dict[str, str] = {
    **FIGURE_LABELS,
    "name": "Name",
    "variants": "Name variants",
    "source_kind": "Source",
    "source_name": "Source",
    "city": "City",
    "state": "State",
    "zip5": "ZIP",
    "first_date": "First",
    "last_date": "Last",
    "recipients": "Recipients",
    "committee_id": "ID",
    "kind": "Kind",
    "party": "Party",
    "candidate_id": "Candidate ID",
    "race_id": "Race ID",
    "office": "Office",
    "jurisdiction": "Jurisdiction",
    "year": "Year",
    "stage": "Stage",
    "candidates": "Candidates",
    "amount_cents": "Amount",
    "date": "Date",
    "support_oppose": "S/O",
    "memo": "Memo",
    "share": "Share",
    "reported_through": "Reported through",
}


def label_for(column: str) -> str:
    """A short human label for a result column (`ie_support_cents` → `IE for`).

    Extra input columns keep their file's header name, so the label is made safe like any data.
    """
    if column in LABELS:
        return LABELS[column]
    base = column.removesuffix("_cents").removesuffix("_count").replace("_", " ")
    return safe_str(base[:1].upper() + base[1:])


def _grouped_digits(expr: pl.Expr) -> pl.Expr:
    """A non-negative integer expression as text with `,` every three digits.

    Built from slices of the decimal string (no per-row lists), so a million rows take a few
    tens of milliseconds; Int64 has at most 19 digits, so six separators at most.
    """
    digits = expr.cast(pl.String)
    length = digits.str.len_chars()
    head = (length - 1) % 3 + 1
    parts: list[pl.Expr] = [digits.str.slice(0, head)]
    for group in range(6):
        start = head + 3 * group
        parts.append(
            pl.when(length > start)
            .then(pl.lit(",") + digits.str.slice(start, 3))
            .otherwise(pl.lit(""))
        )
    return pl.concat_str(parts)


def money_expr(expr: pl.Expr) -> pl.Expr:
    """Int64 cents as `$1,234.56` / `-$5.00` (null stays null): exact, integer arithmetic."""
    magnitude = expr.abs()
    return pl.concat_str(
        pl.when(expr < 0).then(pl.lit("-$")).otherwise(pl.lit("$")),
        _grouped_digits(magnitude // 100),
        pl.lit("."),
        (magnitude % 100).cast(pl.String).str.pad_start(2, "0"),
    )


def count_expr(expr: pl.Expr) -> pl.Expr:
    """An integer as `12,345` (sign kept)."""
    return pl.concat_str(
        pl.when(expr < 0).then(pl.lit("-")).otherwise(pl.lit("")),
        _grouped_digits(expr.abs()),
    )


def column_kind(name: str, dtype: pl.DataType) -> ColumnKind:
    """How a result column is shown, from its name and dtype."""
    if dtype.is_integer() and name.endswith("_cents"):
        return "money"
    if dtype.is_float() and (name.endswith("_share") or name == "share"):
        return "share"
    if dtype.is_integer() and name in ("year",):
        return "text"
    if dtype.is_integer():
        return "count"
    if dtype.is_numeric():
        return "number"
    if dtype.is_temporal():
        return "date"
    if dtype == pl.Boolean():
        return "bool"
    if isinstance(dtype, pl.List | pl.Array):
        return "list"
    return "text"


def _display_expr(name: str, kind: ColumnKind, dtype: pl.DataType) -> pl.Expr:
    col = pl.col(name)
    if kind == "money":
        out = money_expr(col)
    elif kind == "count":
        out = count_expr(col)
    elif kind == "share":
        out = pl.concat_str((col * 100).round(1).cast(pl.String), pl.lit("%"))
    elif kind == "number":
        out = col.round(2).cast(pl.String)
    elif kind == "date":
        out = col.dt.strftime("%Y-%m-%d") if dtype != pl.Date() else col.cast(pl.String)
    elif kind == "bool":
        # A memo row says so in words: it is shown but never counted (docs/figures.md).
        word = "memo" if name == "memo" else "yes"
        out = pl.when(col).then(pl.lit(word)).otherwise(pl.lit(""))
    elif kind == "list":
        joined = (
            col.cast(pl.List(pl.String)).list.join("; ")
            if isinstance(dtype, pl.List)
            else col.cast(pl.String)
        )
        out = safe_expr(joined)
    elif name in ID_KEYS:
        # Shown as its filing system writes it; the row keeps the qualified id for drill-downs.
        out = safe_expr(unqualified_expr(name).cast(pl.String))
    else:
        out = safe_expr(col.cast(pl.String))
    return out.fill_null("").alias(name)


@dataclass(frozen=True, slots=True)
class ColumnSpec:
    """One visible grid column."""

    name: str
    label: str
    kind: ColumnKind
    width: int

    @property
    def right(self) -> bool:
        """Numbers are right-aligned so digits line up."""
        return self.kind in ("money", "count", "share", "number")


@dataclass(frozen=True, slots=True)
class TableModel:
    """A result frame, its display strings and visible columns. Immutable."""

    raw: pl.DataFrame
    display: pl.DataFrame
    columns: tuple[ColumnSpec, ...]
    sort: tuple[str, bool] | None = None
    #: The whole-word filter applied (`/`), if any.
    search: str = ""
    hidden: tuple[str, ...] = field(default=())
    order: tuple[str, ...] = field(default=())
    #: Rows in the whole result when `raw` holds only its first page (None: `raw` is all of it).
    total: int | None = None

    @classmethod
    def build(
        cls,
        frame: pl.DataFrame,
        *,
        order: tuple[str, ...] = (),
        hidden: tuple[str, ...] = ("donor_key",),
        sort: tuple[str, bool] | None = None,
        search: str = "",
        total: int | None = None,
    ) -> TableModel:
        """Format `frame` for display.

        Args:
            frame: the query result (owned by the caller; not modified).
            order: columns to show first, in this order; the rest keep their order.
            hidden: columns never shown (kept in `raw` for drill-down and export).
            sort: `(column, descending)` to sort by before display (with `total`, the order the
                page is already in: it is recorded, not applied).
            search: a whole-word filter applied before display.
            total: when `frame` is only the first page of a bigger result (already in the
                order shown), how many rows the result has. A count smaller than the page is
                an error; so is `search` with a page (it would match only the page).

        Raises:
            ValueError: `total` is smaller than `frame`, or given together with `search`.
        """
        if total is not None and (total < frame.height or search):
            raise ValueError(
                f"a page of {frame.height} rows cannot belong to a result of {total} rows"
                if total < frame.height
                else "a page cannot be searched: search the whole result"
            )
        raw = frame
        if sort is not None and sort[0] in raw.columns and total is None:
            raw = raw.sort(sort[0], descending=sort[1], nulls_last=True, maintain_order=True)
        visible = [c for c in order if c in raw.columns and c not in hidden]
        visible += [c for c in raw.columns if c not in visible and c not in hidden]
        kinds = {c: column_kind(c, raw.schema[c]) for c in visible}
        if search:
            texts = [c for c in visible if kinds[c] in ("text", "list")]
            shown = raw.select(_display_expr(c, kinds[c], raw.schema[c]) for c in texts)
            raw = raw.filter(shown.select(_search_mask(shown, search)).to_series())
        page = raw.head(PAGE_ROWS)
        display = page.select(_display_expr(c, kinds[c], raw.schema[c]) for c in visible)
        specs = tuple(
            ColumnSpec(c, label_for(c), kinds[c], _width(display, c, kinds[c])) for c in visible
        )
        # Right-align numbers by padding to the column width: the grid renders strings left.
        pads = [pl.col(s.name).str.pad_start(s.width) for s in specs if s.right]
        if pads:
            display = display.with_columns(pads)
        return cls(raw, display, specs, sort, search, hidden, order, total)

    @classmethod
    def page(
        cls,
        frame: pl.DataFrame,
        *,
        total: int,
        order: tuple[str, ...] = (),
        hidden: tuple[str, ...] = ("donor_key",),
        sort: tuple[str, bool] | None = None,
        search: str = "",
    ) -> TableModel:
        """The first rows of a result the query layer has sorted by `sort` and matched to the
        `/` word `search` itself (a pane's listing): both are recorded, neither is applied.

        Raises:
            ValueError: `total` is smaller than `frame`.
        """
        model = cls.build(frame, order=order, hidden=hidden, sort=sort, total=total)
        return dataclasses.replace(model, search=search.strip())

    def extended(self, more: pl.DataFrame, total: int) -> TableModel:
        """This page with the next rows of its result appended (the grid scrolled on); `total`
        is the result's size as the query layer counted it with them."""
        return TableModel.page(
            pl.concat([self.raw, more], how="vertical_relaxed"),
            total=total,
            order=self.order,
            hidden=self.hidden,
            sort=self.sort,
            search=self.search,
        )

    @property
    def row_count(self) -> int:
        """Rows shown in the grid (at most `PAGE_ROWS`)."""
        return self.display.height

    @property
    def total_rows(self) -> int:
        """Rows in the result (exports write all of them), also when `raw` holds only a page."""
        return self.raw.height if self.total is None else self.total

    @property
    def is_page(self) -> bool:
        """Whether `raw` holds only the first page of the result (see the module docstring)."""
        return self.total is not None and self.total > self.raw.height

    def next_sort(self, column: str) -> tuple[str, bool]:
        """The `(column, descending)` a sort key press asks for.

        Numbers and dates sort descending first, text ascending; the same column again reverses.
        """
        if self.sort is not None and self.sort[0] == column:
            return column, not self.sort[1]
        kind = next((s.kind for s in self.columns if s.name == column), "text")
        return column, kind not in ("text", "list", "bool")

    def sorted_by(self, column: str, descending: bool | None = None) -> TableModel:
        """Sorted by `column`: numbers/dates descending first, text ascending; again reverses.

        Raises:
            ValueError: the model holds only a page (`is_page`): sorting it would misorder.
        """
        self._whole("sorted")
        if descending is None:
            descending = self.next_sort(column)[1]
        return TableModel.build(
            self.raw,
            order=self.order,
            hidden=self.hidden,
            sort=(column, descending),
            search=self.search,  # `raw` holds the matching rows: the word still applies
        )

    def filtered(self, term: str) -> TableModel:
        """Only rows where `term` occurs as a whole word (case-insensitive) in a text column.

        Raises:
            ValueError: the model holds only a page (`is_page`): the rest would be missed.
        """
        self._whole("searched")
        return TableModel.build(
            self.raw,
            order=self.order,
            hidden=self.hidden,
            sort=self.sort,
            search=term.strip(),
        )

    def _whole(self, what: str) -> None:
        if self.is_page:
            raise ValueError(
                f"only {self.raw.height:,} of {self.total_rows:,} rows are here: "
                f"a page cannot be {what}, ask the query layer"
            )

    def matches(self, term: str) -> list[int]:
        """Indices of displayed rows containing `term` as a whole word."""
        if not term.strip() or self.display.height == 0:
            return []
        mask = _search_mask(self.display, term.strip())
        return self.display.with_row_index("__i").filter(mask).get_column("__i").to_list()

    def label_of(self, column: str) -> str:
        """The label `column` is shown under."""
        return next((s.label for s in self.columns if s.name == column), label_for(column))

    def row(self, index: int) -> dict[str, Any]:
        """The raw values of displayed row `index` (for drill-down)."""
        return self.raw.row(index, named=True)

    def row_text(self, index: int) -> str:
        """The displayed row as `label: value` pairs joined by tabs (for the clipboard)."""
        values = self.display.row(index)
        return "\t".join(
            f"{spec.label}: {str(value).strip()}"
            for spec, value in zip(self.columns, values, strict=True)
        )

    def cell_text(self, index: int, column: int) -> str:
        """One displayed cell, trimmed (for the clipboard)."""
        return str(self.display.row(index)[column]).strip()


def _search_mask(display: pl.DataFrame, term: str) -> pl.Expr:
    """True where `term` is a whole word (case-insensitive) of a text column of `display`."""
    return text_match([c for c in display.columns if display.schema[c] == pl.String()], term)


def _width(display: pl.DataFrame, name: str, kind: ColumnKind) -> int:
    label = len(label_for(name))
    if display.height == 0:
        return label
    # Numbers are measured over every row so a total is never clipped; text from a sample.
    exact = kind in ("money", "count", "share", "number", "date")
    series = display.get_column(name) if exact else display.get_column(name).head(WIDTH_SAMPLE)
    longest = series.str.len_chars().max()
    width = max(label, int(longest) if isinstance(longest, int) else 0)
    return width if exact else min(width, MAX_TEXT_WIDTH)
