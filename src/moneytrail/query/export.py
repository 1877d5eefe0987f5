"""Write a result frame to a file: CSV, Parquet, JSON or Markdown.

Contract: `export_frame(frame, path, fmt)` writes exactly the rows and columns given, and
`export_lazy(rows, path, fmt)` does the same for a result not yet read (a detail's whole row
listing), streaming CSV and Parquet straight to the file so a million-row committee never has to
sit in memory as a whole. Money has one convention in every file a user gets, the CLI's: an
Int64 ``x_cents`` column is written as ``x`` in dollars with two decimals, exact (a
``Decimal(38, 2)`` computed from the integer cents: ``1234.50`` in CSV, a decimal column in
Parquet, the number ``1234.5`` in JSON as `moneytrail show --format json` writes it; Markdown,
read by people, shows ``$1,234.50`` with thousands separators). No ``_cents`` integers reach a
user-facing file (docs/figures.md).
Markdown output is safe to paste anywhere: control, bidi and zero-width characters in data become
the visible stand-ins of `data.textsafe` (newlines too, so a row stays one line) and `|` and `\\`
are escaped, so a hostile name cannot break the table or the terminal that later `cat`s it.
Ids are written as their filing system writes them (`moneytrail.data.ids.written_ids`).
CSV, Parquet and JSON keep every string exactly as filed (JSON escapes controls as `\\u` codes,
which read back to the same text). Pure: Polars and stdlib only.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl

from moneytrail.data.ids import written_ids
from moneytrail.data.textsafe import json_safe, safe_str

FORMATS: tuple[str, ...] = ("csv", "parquet", "json", "md")
_SUFFIXES: dict[str, str] = {
    ".csv": "csv",
    ".parquet": "parquet",
    ".pq": "parquet",
    ".json": "json",
    ".md": "md",
    ".markdown": "md",
}


class ExportError(ValueError):
    """The export request cannot be honoured (unknown format); the message is one line."""


def format_for(path: Path, fmt: str | None = None) -> str:
    """The format to write: `fmt` when given, else from the file suffix."""
    if fmt is not None:
        if fmt not in FORMATS:
            raise ExportError(f"unknown export format {fmt!r} (choose from {', '.join(FORMATS)})")
        return fmt
    found = _SUFFIXES.get(path.suffix.lower())
    if found is None:
        raise ExportError(
            f"cannot tell the format from {path.name!r}: end it in .csv, .parquet, .json or .md"
        )
    return found


CENTS = "_cents"


def public_name(column: str) -> str:
    """The name a money column has in files: ``total_cents`` → ``total``; others unchanged."""
    return column[: -len(CENTS)] if column.endswith(CENTS) else column


def _is_money(name: str, dtype: pl.DataType) -> bool:
    return name.endswith(CENTS) and dtype.is_integer()


def _dollar_exprs(schema: pl.Schema, *, numbers: bool = False) -> list[pl.Expr]:
    """Every integer ``_cents`` column as exact dollars (``Decimal(38, 2)``) under its public
    name; as Float64 numbers with `numbers` (JSON, where a number is what the CLI writes)."""
    exprs: list[pl.Expr] = []
    for name, dtype in schema.items():
        if _is_money(name, dtype):
            dollars = pl.col(name).cast(pl.Decimal(38, 2)) / 100
            if numbers:
                dollars = dollars.cast(pl.Float64)
            exprs.append(dollars.alias(name))
    return exprs


def _in_dollars(frame: pl.LazyFrame, *, numbers: bool = False) -> pl.LazyFrame:
    schema = frame.collect_schema()
    exprs = _dollar_exprs(schema, numbers=numbers)
    out = frame.with_columns(exprs) if exprs else frame
    renames = {n: public_name(n) for n, t in schema.items() if _is_money(n, t)}
    return out.rename(renames) if renames else out


def _flatten(frame: pl.DataFrame) -> pl.DataFrame:
    """Nested columns as text: lists joined by `; `, structs as JSON (CSV and Markdown need it)."""
    exprs = _flat_exprs(frame.schema)
    return frame.with_columns(exprs) if exprs else frame


def _flat_exprs(schema: pl.Schema) -> list[pl.Expr]:
    """The expressions `_flatten` applies, one per nested column of `schema`."""
    exprs: list[pl.Expr] = []
    for name, dtype in schema.items():
        if isinstance(dtype, pl.List | pl.Array):
            exprs.append(
                pl.col(name).cast(pl.List(pl.String)).list.join("; ").alias(name)
                if isinstance(dtype, pl.List)
                else pl.col(name).arr.join("; ").alias(name)
            )
        elif isinstance(dtype, pl.Struct):
            exprs.append(pl.col(name).struct.json_encode().alias(name))
    return exprs


def markdown_cell(value: object) -> str:
    """One Markdown table cell: literal text, controls made visible, pipes and newlines safe."""
    text = safe_str(value)
    return text.replace("\\", "\\\\").replace("|", "\\|")


def _dollars(cents: int | None) -> str:
    if cents is None:
        return ""
    whole, frac = divmod(abs(cents), 100)
    return f"{'-' if cents < 0 else ''}${whole:,}.{frac:02d}"


def to_markdown(frame: pl.DataFrame) -> str:
    """A GitHub-flavoured Markdown table of `frame` (money columns as dollars, right-aligned)."""
    flat = _flatten(frame)
    names = flat.columns
    money = [_is_money(n, flat.schema[n]) for n in names]
    numeric = [flat.schema[n].is_numeric() for n in names]
    header = "| " + " | ".join(markdown_cell(public_name(n)) for n in names) + " |"
    rule = "| " + " | ".join("---:" if num else "---" for num in numeric) + " |"
    lines = [header, rule]
    for row in flat.iter_rows():
        cells = [
            _dollars(v) if is_money else markdown_cell(v)
            for v, is_money in zip(row, money, strict=True)
        ]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def export_frame(frame: pl.DataFrame, path: Path, fmt: str | None = None) -> Path:
    """Write `frame` to `path` in `fmt` (or the format the suffix names). Returns `path`.

    Raises:
        ExportError: the format is unknown or cannot be inferred.
        OSError: the file cannot be written (the caller reports it).
    """
    kind = format_for(path, fmt)
    frame = written_ids(frame)
    if kind == "csv":
        _flatten(_in_dollars(frame.lazy()).collect()).write_csv(path)
    elif kind == "parquet":
        _in_dollars(frame.lazy()).collect().write_parquet(path)
    elif kind == "json":
        dollars = _in_dollars(frame.lazy(), numbers=True).collect()
        path.write_text(json_safe(dollars.write_json()), encoding="utf-8")
    else:
        path.write_text(to_markdown(frame), encoding="utf-8")
    return path


def export_lazy(rows: pl.LazyFrame, path: Path, fmt: str | None = None) -> Path:
    """Write every row of `rows` to `path`, like `export_frame` (same formats, same output).

    CSV and Parquet are streamed (`sink_csv`, `sink_parquet`): rows go to the file in the order
    the plan gives them without the whole result being held. JSON and Markdown are whole
    documents, so those are collected first and written by `export_frame`.

    Raises:
        ExportError: the format is unknown or cannot be inferred (checked before reading).
        OSError: the file cannot be written (the caller reports it).
    """
    kind = format_for(path, fmt)
    rows = written_ids(rows)
    if kind == "csv":
        exprs = _flat_exprs(rows.collect_schema())
        _in_dollars(rows.with_columns(exprs) if exprs else rows).sink_csv(path)
    elif kind == "parquet":
        _in_dollars(rows).sink_parquet(path)
    else:
        export_frame(rows.collect(), path, kind)
    return path
