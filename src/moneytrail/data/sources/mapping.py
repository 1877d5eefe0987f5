"""Any CSV by mapping: a TOML file says which column of the CSV is which model column.

A reporter with another state's export writes (or starts with `init_mapping`) a mapping instead
of rewriting the file. The mapping is *compiled* to the project's validation engine: each
model column becomes the same `moneytrail.data.validate.Column` spec the moneytrail tables use
(`moneytrail.data.tables.FILE_COLUMNS`), with the date format and money style the mapping
names, so a mapped file is validated, converted and rejected exactly like every other input.
docs/sources.md documents the format; an example:

```toml
[file]
delimiter = ","            # one character; "\\t" for tab-separated files

[columns]
transaction_id = "Contribution ID"          # default: <file name>:<line>
date = { column = "Date", format = "%m/%d/%Y" }
amount = { column = "Amount", style = "us" }  # plain | us ($1,000.00, (25.00))
kind = { value = "contribution" }
source_kind = { column = "Type", codes = { IND = "individual", BUS = "organization" } }
source_name = { columns = ["Last", "First"], separator = ", " }
recipient_committee_id = "Committee ID"
recipient_committee_name = "Committee"      # names the committees (and is the id when no
                                            # recipient_committee_id is mapped)
```

Each model column is either a column name (a string) or a table with one of `column` (a
name), `columns` (names whose non-empty values are joined by `separator`, default a space) or
`value` (a constant), plus `format` (strptime format, or a list tried in order) for `date`,
`style` for `amount`, and `codes` (source value -> model value, matched without case or
surrounding spaces) with an optional `default` for values `codes` does not list (without one,
an unlisted value is loaded as it is and the engine rejects it if the column does not allow
it). `memo` codes map to `true`/`false`.

Contract:

* `load_mapping(path)` parses and checks a mapping; a problem is a `DataError` naming the
  mapping file and the key (`unknown model column`, a missing `column`, an unknown money
  style, a required column not mapped).
* `read_mapped(paths, mapping)` reads CSV files by it: a column the mapping names but a file's
  header lacks is a `DataError` naming the file; rows go through the engine (one reject per
  row, with file and line); read = loaded + rejected.
* `init_mapping(path)` writes a starting mapping from a CSV's header: every column listed as
  a comment, model columns guessed from common header names and sample values (date format,
  money style), the rest left for the user.
"""

from __future__ import annotations

import dataclasses
import re
import tomllib
from collections.abc import Mapping as MappingABC
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final

import polars as pl

from moneytrail.data import values
from moneytrail.data.errors import DataError
from moneytrail.data.report import FileReport
from moneytrail.data.schema import COMMITTEES, REJECTS
from moneytrail.data.sources.base import head
from moneytrail.data.sources.read import (
    FilingRead,
    decode_cp1252_fallback,
    file_report,
    read_csv_table,
    read_text,
)
from moneytrail.data.tables import FILE_COLUMNS
from moneytrail.data.validate import Column, validate

#: Every mapped row's `source`.
SOURCE: Final = "csv"

#: The model columns a mapping may name: the transactions file columns, plus the name of the
#: recipient committee (which lists the committees instead of leaving them inferred).
MODEL_COLUMNS: Final = tuple(c.name for c in FILE_COLUMNS["transactions"])
RECIPIENT_NAME: Final = "recipient_committee_name"
REQUIRED: Final = ("date", "amount", "kind", "source_kind")
_KEYS: Final = {"column", "columns", "separator", "value", "format", "style", "codes", "default"}


@dataclass(frozen=True, slots=True)
class Field:
    """How one model column is made from the CSV (see the module docstring)."""

    column: str | None = None
    columns: tuple[str, ...] = ()
    separator: str = " "
    value: str | None = None
    date_format: tuple[str, ...] = ()
    money_style: str = "plain"
    codes: MappingABC[str, str] = field(default_factory=dict)
    default: str | None = None

    def sources(self) -> tuple[str, ...]:
        """The CSV columns this field reads."""
        return (self.column,) if self.column is not None else self.columns


@dataclass(frozen=True, slots=True)
class CsvMapping:
    """A parsed mapping file."""

    path: Path
    fields: MappingABC[str, Field]
    delimiter: str = ","


def _bad(path: Path, key: str, reason: str) -> DataError:
    return DataError(f"{key}: {reason}", path=str(path))


def _text(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _field(path: Path, key: str, spec: object) -> Field:
    if isinstance(spec, str):
        return Field(column=spec)
    if not isinstance(spec, dict):
        raise _bad(path, key, "expected a column name or a table")
    unknown = set(spec) - _KEYS
    if unknown:
        raise _bad(path, key, f"unknown setting(s) {', '.join(sorted(unknown))}")
    given = [k for k in ("column", "columns", "value") if k in spec]
    if len(given) != 1:
        raise _bad(path, key, "give exactly one of column, columns or value")
    fmt = spec.get("format", ())
    formats = (fmt,) if isinstance(fmt, str) else tuple(str(f) for f in fmt)
    for f in formats:
        try:
            values.date_shape(f)
        except ValueError as exc:
            raise _bad(path, key, str(exc)) from None
    style = str(spec.get("style", "plain"))
    if style not in values.MONEY_STYLES:
        raise _bad(path, key, f"money style must be one of {', '.join(values.MONEY_STYLES)}")
    codes = spec.get("codes", {})
    if not isinstance(codes, dict):
        raise _bad(path, key, "codes must be a table of value = model value")
    columns = spec.get("columns", ())
    if "columns" in spec and (not isinstance(columns, list) or not columns):
        raise _bad(path, key, "columns must be a list of column names")
    return Field(
        column=str(spec["column"]) if "column" in spec else None,
        columns=tuple(str(c) for c in columns),
        separator=str(spec.get("separator", " ")),
        value=_text(spec["value"]) if "value" in spec else None,
        date_format=formats,
        money_style=style,
        codes={str(k).strip().upper(): _text(v) for k, v in codes.items()},
        default=_text(spec["default"]) if "default" in spec else None,
    )


def load_mapping(path: Path) -> CsvMapping:
    """Parse and check the mapping file `path`.

    Raises:
        DataError: the file cannot be read or is not a valid mapping (names the key).
    """
    try:
        doc = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise DataError(f"cannot read mapping: {exc.strerror or exc}", path=str(path)) from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise DataError(f"not a TOML mapping ({exc})", path=str(path)) from None
    columns = doc.get("columns")
    if not isinstance(columns, dict):
        raise _bad(path, "columns", "the mapping needs a [columns] table")
    settings = doc.get("file", {})
    if not isinstance(settings, dict):
        raise _bad(path, "file", "expected a table")
    delimiter = str(settings.get("delimiter", ","))
    if len(delimiter) != 1 or delimiter in '"\r\n':
        raise _bad(path, "file.delimiter", "must be one character (not a quote or line break)")
    fields: dict[str, Field] = {}
    for key, spec in columns.items():
        if key not in (*MODEL_COLUMNS, RECIPIENT_NAME):
            known = ", ".join((*MODEL_COLUMNS, RECIPIENT_NAME))
            raise _bad(path, f"columns.{key}", f"unknown model column (one of {known})")
        fields[key] = _field(path, f"columns.{key}", spec)
    if RECIPIENT_NAME in fields and "recipient_committee_id" not in fields:
        # A committee known only by its name: the name as written is its id.
        fields["recipient_committee_id"] = fields[RECIPIENT_NAME]
    missing = [c for c in REQUIRED if c not in fields]
    if missing:
        raise _bad(path, "columns", f"required model column(s) not mapped: {', '.join(missing)}")
    return CsvMapping(
        path=path,
        fields=fields,
        delimiter=delimiter,
    )


def _blank_null(expr: pl.Expr) -> pl.Expr:
    return pl.when(expr.str.strip_chars() != "").then(expr)


def _expr(f: Field, header: dict[str, str]) -> pl.Expr:
    """A model column's text, made from the CSV's (header names resolved without case)."""
    if f.value is not None:
        out: pl.Expr = pl.lit(f.value, dtype=pl.String())
    elif f.column is not None:
        out = pl.col(header[f.column.casefold()])
    else:
        parts = [_blank_null(pl.col(header[c.casefold()])) for c in f.columns]
        out = pl.concat_str(parts, separator=f.separator, ignore_nulls=True)
        out = _blank_null(out)
    if f.codes:
        key = out.str.strip_chars().str.to_uppercase()
        fallback = pl.lit(f.default, dtype=pl.String()) if f.default is not None else out
        out = (
            pl.when(out.is_null())
            .then(out)
            .otherwise(
                key.replace_strict(dict(f.codes), default=fallback, return_dtype=pl.String())
            )
        )
    return out


def _engine_columns(mapping: CsvMapping) -> list[Column]:
    """The moneytrail-tables column specs, with the mapping's date format and money style."""
    out = []
    for c in FILE_COLUMNS["transactions"]:
        f = mapping.fields.get(c.name)
        if c.kind == "date" and f is not None and f.date_format:
            c = dataclasses.replace(c, date_format=f.date_format)
        if c.kind == "money" and f is not None:
            c = dataclasses.replace(c, money_style=f.money_style)  # type: ignore[arg-type]
        if c.name == "transaction_id":
            c = dataclasses.replace(c, required_column=False)
        out.append(c)
    return out


def header_fits(path: Path, mapping: CsvMapping) -> bool:
    """True when `path`'s first line holds every column `mapping` names (for sniffing)."""
    text, _ = decode_cp1252_fallback(head(path, 65536).split(b"\n", 1)[0].rstrip(b"\r"))
    try:
        table = read_csv_table(path, mapping.delimiter, text=text.removeprefix("\ufeff") + "\n")
    except DataError:
        return False
    header = {h.strip().casefold() for h in table.names}
    wanted = {c.casefold() for f in mapping.fields.values() for c in f.sources()}
    return wanted <= header


def _read_one(path: Path, mapping: CsvMapping) -> tuple[pl.DataFrame, pl.DataFrame, FileReport]:
    file = str(path)
    table = read_csv_table(path, mapping.delimiter)
    names = table.names
    header = {n.casefold(): n for n in names}
    wanted = {c for f in mapping.fields.values() for c in f.sources()}
    absent = sorted(c for c in wanted if c.casefold() not in header)
    if absent:
        raise DataError(
            f"the mapping {mapping.path.name} names column(s) not in the header: "
            + ", ".join(absent),
            path=file,
            line=1,
        )
    raw = table.frame
    raw = raw.with_columns(pl.when(pl.col(n) != "").then(pl.col(n)).alias(n) for n in names)
    model = raw.select(
        *(_expr(f, header).alias(key) for key, f in mapping.fields.items()),
        "line",
        "raw",
    )
    if "transaction_id" not in mapping.fields:
        model = model.with_columns(
            pl.format("{}:{}", pl.lit(path.name), "line").alias("transaction_id")
        )
    loaded, rejects = validate(
        model,
        _engine_columns(mapping),
        file=file,
        unique="transaction_id",
        line="line",
        raw="raw",
    )
    all_rejects = pl.concat([table.malformed, rejects]).cast(REJECTS).sort("line")  # type: ignore[arg-type]
    report = file_report(
        file, f"csv:{mapping.path.name}", table.rows_read, all_rejects, table.bytes_replaced
    )
    return loaded.with_columns(pl.lit(SOURCE).alias("source")), all_rejects, report


def read_mapped(paths: list[Path], mapping: CsvMapping) -> FilingRead:
    """Read CSV files by `mapping` (see the module docstring).

    Raises:
        DataError: a file cannot be read, or lacks a column the mapping names.
    """
    results = [_read_one(p, mapping) for p in paths]
    tx = pl.concat([r[0] for r in results], how="diagonal_relaxed")
    committees = pl.DataFrame(schema=COMMITTEES)
    if RECIPIENT_NAME in tx.columns:
        committees = (
            tx.filter(pl.col("recipient_committee_id").is_not_null())
            .group_by("recipient_committee_id", maintain_order=True)
            .agg(pl.col(RECIPIENT_NAME).drop_nulls().first())
            .select(
                pl.col("recipient_committee_id").alias("committee_id"),
                pl.coalesce(RECIPIENT_NAME, "recipient_committee_id").alias("name"),
                pl.lit("other").alias("kind"),
                pl.lit(None, dtype=pl.String()).alias("state"),
                pl.lit(None, dtype=pl.String()).alias("party"),
                pl.lit(None, dtype=pl.String()).alias("candidate_id"),
                pl.lit(False).alias("inferred"),
            )
            .cast(COMMITTEES)  # type: ignore[arg-type]
        )
        tx = tx.drop(RECIPIENT_NAME)
    return FilingRead(
        source=SOURCE,
        transactions=tx,
        committees=committees,
        rejects=pl.concat([r[1] for r in results]),
        reports=tuple(r[2] for r in results),
    )


# --- a starting mapping ----------------------------------------------------------------------

#: Header words that suggest a model column (lower-case, spaces and punctuation removed).
_GUESSES: Final[dict[str, tuple[str, ...]]] = {
    "transaction_id": (
        "transactionid",
        "id",
        "receiptid",
        "receiptno",
        "receiptnumber",
        "contributionid",
        "recordid",
    ),
    "date": ("date", "contributiondate", "receiptdate", "transactiondate", "datereceived"),
    "amount": ("amount", "contributionamount", "contributionamt", "receiptamount", "amt"),
    "source_name": ("name", "contributorname", "contributor", "donorname", "donor"),
    "source_city": ("city", "contributorcity"),
    "source_state": ("state", "contributorstate", "st"),
    "source_zip": ("zip", "zipcode", "contributorzip", "postalcode"),
    "source_employer": ("employer", "contributoremployer"),
    "source_occupation": ("occupation", "contributoroccupation"),
    "recipient_committee_id": ("committeeid", "filerid", "recipientid", "filernumber"),
    RECIPIENT_NAME: ("committee", "committeename", "recipient", "recipientname", "filername"),
    "description": ("description", "memo", "purpose"),
}
_DATE_FORMATS: Final = ("%Y-%m-%d", "%m/%d/%Y", "%-m/%-d/%Y", "%Y%m%d", "%m%d%Y", "%d-%b-%y")


def _squash(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", name.lower())


_MONEY_LIKE: Final = re.compile(r"^\(?[+-]?\$?[0-9][0-9,]*\.[0-9]{2}\)?$")


def _date_format(samples: list[str]) -> str | None:
    """The first of `_DATE_FORMATS` every sample has the shape of, else the first nearly every
    sample has, else None."""
    shapes = [(fmt, re.compile(values.date_shape(fmt))) for fmt in _DATE_FORMATS]
    for fmt, shape in shapes:
        if samples and all(shape.match(s) for s in samples):
            return fmt
    for fmt, shape in shapes:
        if _mostly(shape, samples):
            return fmt
    return None


def _mostly(pattern: re.Pattern[str], samples: list[str]) -> bool:
    """All values but one in ten (at least one: a typo is no reason to miss a column) match."""
    misses = sum(not pattern.match(s) for s in samples)
    return bool(samples) and misses <= max(1, len(samples) // 10)


def _money_like(samples: list[str]) -> bool:
    return _mostly(_MONEY_LIKE, samples)


def _toml_str(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def init_mapping(path: Path, *, delimiter: str | None = None) -> str:
    """A starting mapping (TOML text) for the CSV at `path` (see the module docstring).

    Raises:
        DataError: the file cannot be read or has no header.
    """
    text, _ = read_text(path)
    first = text.split("\n", 1)[0]
    if delimiter is None:
        delimiter = max(",\t|;", key=first.count)
    table = read_csv_table(path, delimiter, text=text)
    names = table.names
    first_rows = table.frame.head(200)
    samples = {
        n: [v.strip() for v in first_rows.get_column(n).to_list() if v and v.strip()] for n in names
    }
    chosen: dict[str, str] = {}
    for model, words in _GUESSES.items():
        for header_name in names:
            if _squash(header_name) in words and header_name not in chosen.values():
                chosen[model] = header_name
                break
    # No telling header: the first column whose values all look like dates, or like money.
    for model, looks in (
        ("date", lambda v: _date_format(v) is not None),
        ("amount", _money_like),
    ):
        if model not in chosen:
            found = [n for n in names if n not in chosen.values() and looks(samples[n])]
            if found:
                chosen[model] = found[0]
    lines = [
        f"# moneytrail mapping for {path.name}: which column is which (docs/sources.md).",
        "# Check every guess below; unmapped model columns are left empty.",
        "#",
        "# Columns in the file:",
        *(f"#   {_toml_str(n)}   e.g. {_toml_str((samples[n] or [''])[0][:40])}" for n in names),
        "",
        "[file]",
        f"delimiter = {_toml_str(delimiter)}",
        "",
        "[columns]",
    ]
    for model in (*MODEL_COLUMNS, RECIPIENT_NAME):
        name: str | None = chosen.get(model)
        if model == "date" and name is not None:
            fmt = _date_format(samples[name]) or "%Y-%m-%d"
            lines.append(f"date = {{ column = {_toml_str(name)}, format = {_toml_str(fmt)} }}")
        elif model == "amount" and name is not None:
            us = re.compile(r"[$,()]")
            style = "us" if any(us.search(s) for s in samples[name]) else "plain"
            lines.append(f"amount = {{ column = {_toml_str(name)}, style = {_toml_str(style)} }}")
        elif model == "kind":
            lines.append('kind = { value = "contribution" }')
        elif model == "source_kind":
            lines.append('source_kind = { value = "individual" }')
        elif name is not None:
            lines.append(f"{model} = {_toml_str(name)}")
        else:
            lines.append(f"# {model} = ")
    return "\n".join(lines) + "\n"
