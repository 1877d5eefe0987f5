"""The moneytrail-tables reader: a folder of `transactions`, `committees`, `candidates`, `races`.

Contract (the user-facing format is documented in docs/data-model.md):

* `is_tables_path(path)`: a folder holding `transactions.csv` or `transactions.parquet`, or such
  a file itself (its folder's other tables are then read too).
* `load_tables(path)` returns a `Dataset` named after the folder, in the loaded schemas of
  `moneytrail.data.schema`, `synthetic=True` when the folder holds a file named `SYNTHETIC`.
* Every data row read is either loaded or rejected (`rows_read == rows_loaded + rejected`, per
  file). A rejected row lands in `Dataset.rejects` with its file, 1-based physical line (the
  CSV header is line 1; for Parquet, the row number), the offending column (null when the whole
  line is malformed), the reason and the raw line. One reject per row: the first problem found.
* Whole-input problems raise `DataError` naming the file: unreadable or undecodable file, no
  header, a missing required column, a duplicate or reserved column name, both a `.csv` and a
  `.parquet` of one table.

How: CSV records are split by the stdlib `csv` module (it knows quoting, embedded newlines and
physical line numbers, and a malformed line becomes a reject instead of aborting the file);
every value is kept as a string, and all validation and conversion is done by Polars
expressions over the whole frame. Money is checked by regex and converted through
`Decimal(18, 2)` to exact Int64 cents, never through floats. Parquet columns are cast to strings
and go through the same validation, so both formats obey one set of rules.
"""

from __future__ import annotations

import codecs
import csv
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Final

import polars as pl

from moneytrail.data.dataset import Dataset
from moneytrail.data.entities import complete_entities
from moneytrail.data.errors import DataError
from moneytrail.data.finalize import finalize_transactions
from moneytrail.data.report import FileReport, LoadReport
from moneytrail.data.schema import (
    CANDIDATES,
    COMMITTEE_KINDS,
    COMMITTEES,
    RACES,
    REJECTS,
    SOURCE_COLUMN,
    SOURCE_KINDS,
    STAGES,
    SUPPORT_OPPOSE,
    TABLE_NAMES,
    TX_KINDS,
)
from moneytrail.data.validate import LINE, RAW, Check, Column, ColumnKind, validate

#: A file with this name in the folder marks the dataset as synthetic (illustrative data).
SYNTHETIC_MARKER: Final = "SYNTHETIC"
SUFFIXES: Final = (".csv", ".parquet")


def _s(name: str) -> Column:
    return Column(name)


def _req(name: str, kind: ColumnKind = "string", choices: tuple[str, ...] = ()) -> Column:
    return Column(name, kind, required_column=True, required_value=True, choices=choices)


#: The file columns of each table, in documented order.
FILE_COLUMNS: Final[dict[str, tuple[Column, ...]]] = {
    "transactions": (
        _req("transaction_id"),
        _req("date", "date"),
        Column("amount", "money", True, True, loaded_name="amount_cents"),
        _req("kind", "enum", TX_KINDS),
        _req("source_kind", "enum", SOURCE_KINDS),
        _s("source_id"),
        _s("source_name"),
        _s("source_city"),
        _s("source_state"),
        _s("source_zip"),
        _s("source_employer"),
        _s("source_occupation"),
        _s("recipient_committee_id"),
        _s("candidate_id"),
        Column("support_oppose", "enum", choices=SUPPORT_OPPOSE, upper=True),
        Column("memo", "bool", default=False),
        _s("description"),
        _s("conduit_committee_id"),
    ),
    "committees": (
        _req("committee_id"),
        _req("name"),
        Column("kind", "enum", choices=COMMITTEE_KINDS),
        _s("state"),
        _s("party"),
        _s("candidate_id"),
    ),
    "candidates": (
        _req("candidate_id"),
        _req("name"),
        _s("party"),
        _s("race_id"),
        Column("incumbent", "bool"),
        Column("won", "bool"),
    ),
    "races": (
        _req("race_id"),
        _req("name"),
        _s("office"),
        _s("state"),
        _s("jurisdiction"),
        Column("year", "int", year=True),
        Column("stage", "enum", choices=STAGES),
        Column("population", "int"),
        Column("median_household_income", "int"),
    ),
}

#: Each table's unique id column (later duplicates are rejected).
ID_COLUMN: Final = {
    "transactions": "transaction_id",
    "committees": "committee_id",
    "candidates": "candidate_id",
    "races": "race_id",
}

#: Loaded-only columns moneytrail derives; a file may not supply them.
RESERVED: Final = {
    "transactions": ("amount_cents", "donor_key", SOURCE_COLUMN),
    "committees": ("inferred", SOURCE_COLUMN),
    "candidates": ("inferred", SOURCE_COLUMN),
    "races": ("inferred", SOURCE_COLUMN),
}

_LOADED = {"committees": COMMITTEES, "candidates": CANDIDATES, "races": RACES}


# --- locating the files ---------------------------------------------------------------------


def _table_files(folder: Path, table: str) -> list[Path]:
    return [p for p in (folder / f"{table}{s}" for s in SUFFIXES) if p.is_file()]


def is_tables_path(path: Path) -> bool:
    """True for a folder with `transactions.csv`/`.parquet`, or for such a file."""
    if path.is_file():
        return path.name in {f"transactions{s}" for s in SUFFIXES}
    return path.is_dir() and bool(_table_files(path, "transactions"))


def _pick(folder: Path, table: str, chosen: Path | None) -> Path | None:
    if chosen is not None:
        return chosen
    files = _table_files(folder, table)
    if len(files) > 1:
        raise DataError(
            f"both {files[0].name} and {files[1].name} exist: keep one", path=str(files[0])
        )
    return files[0] if files else None


# --- decoding and splitting CSV -------------------------------------------------------------

_counter = threading.local()


def _count_and_replace(err: UnicodeError) -> tuple[str, int]:
    if not isinstance(err, UnicodeDecodeError):
        raise err
    _counter.n = getattr(_counter, "n", 0) + (err.end - err.start)
    return "\ufffd", err.end


codecs.register_error("moneytrail.count-replace", _count_and_replace)


def _decode(data: bytes) -> tuple[str, int]:
    """UTF-8 text (BOM dropped) and the number of invalid bytes replaced by U+FFFD."""
    _counter.n = 0
    text = data.decode("utf-8", errors="moneytrail.count-replace")
    replaced = int(_counter.n)
    return text.removeprefix("\ufeff"), replaced


@dataclass(slots=True)
class _Split:
    header: list[str]
    rows: list[list[str]]
    lines: list[int]
    raws: list[str]
    bad: list[dict[str, object]]  # malformed lines, already in the rejects shape
    rows_read: int


def _csv_reason(exc: csv.Error) -> str:
    """The `csv` module's complaint in the user's terms (it speaks of Python file modes)."""
    reason = str(exc)
    if reason.startswith("new-line character seen in unquoted field"):
        return "carriage return (\\r) outside quotes"
    return reason


def _split_csv(text: str, file: str, delimiter: str = ",") -> _Split:
    """Records of `text` with their first physical line; malformed lines become rejects.

    `delimiter` separates fields (`,` for moneytrail tables; CSV mappings may name another).

    Physical lines end at `\\n` only; a lone `\\r` outside quotes is malformed. Blank lines
    carry no data and are skipped (they are not rows). A malformed record that spans several
    lines (typically a stray or unbalanced quote) rejects only its first line: reading resumes
    at the next one, so one bad quote cannot swallow the rest of the file.
    """
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()  # The file's final newline ends the last line; it does not start one.

    def reader_from(index: int) -> Iterator[list[str]]:
        return csv.reader((line + "\n" for line in lines[index:]), strict=True, delimiter=delimiter)

    offset = 0  # lines before the current reader's first line
    reader = reader_from(0)
    header: list[str] | None = None
    rows: list[list[str]] = []
    starts: list[int] = []
    raws: list[str] = []
    bad: list[dict[str, object]] = []
    rows_read = 0
    previous_end = 0
    while True:
        try:
            record = next(reader)
            error: str | None = None
        except StopIteration:
            break
        except csv.Error as exc:
            record, error = [], f"malformed CSV: {_csv_reason(exc)}"
        start = previous_end + 1
        end = offset + reader.line_num  # type: ignore[attr-defined]
        if error is None and not record:
            previous_end = end
            continue  # Blank line.
        if header is None:
            if error is not None:
                raise DataError(f"unreadable header row ({error})", path=file, line=start)
            header = record
            previous_end = end
            continue
        rows_read += 1
        if error is None and len(record) != len(header):
            error = f"expected {len(header)} fields, found {len(record)}"
        if error is not None and end > start:
            end = start  # Reject the first line only and read on from the next one.
            offset, reader = start, reader_from(start)
        previous_end = end
        raw = "\n".join(line.removesuffix("\r") for line in lines[start - 1 : end])
        if error is not None:
            bad.append({"file": file, "line": start, "column": None, "reason": error, "raw": raw})
            continue
        rows.append(record)
        starts.append(start)
        raws.append(raw)
    if header is None:
        raise DataError("empty file: no header row", path=file)
    return _Split(header, rows, starts, raws, bad, rows_read)


def _header_names(header: list[str], file: str) -> list[str]:
    names = [h.strip() or f"column_{i + 1}" for i, h in enumerate(header)]
    seen: set[str] = set()
    for name in names:
        if name in seen:
            raise DataError(f"duplicate column {name!r} in the header", path=file, line=1)
        seen.add(name)
    return names


def _split_frame(
    split: _Split, file: str, line: str = LINE, raw: str = RAW
) -> tuple[list[str], pl.DataFrame]:
    """(the header's column names, `split` as one String column per name, then `line` and
    `raw` columns)."""
    names = _header_names(split.header, file)
    columns = list(zip(*split.rows, strict=True)) if split.rows else [() for _ in names]
    frame = pl.DataFrame(
        {
            **{
                n: pl.Series(n, list(c), dtype=pl.String())
                for n, c in zip(names, columns, strict=True)
            },
            line: pl.Series(line, split.lines, dtype=pl.Int64()),
            raw: pl.Series(raw, split.raws, dtype=pl.String()),
        }
    )
    return names, frame


# A line that is a complete, well-quoted record on its own: quoted fields (with `""` escapes)
# or unquoted fields without quotes, commas or carriage returns.
_SIMPLE_LINE: Final = r'^(?:"(?:[^"]|"")*"|[^",\r]*)(?:,(?:"(?:[^"]|"")*"|[^",\r]*))*$'
_QUOTED: Final = r'"(?:[^"]|"")*"'


def _fast_csv(text: str, file: str) -> tuple[pl.DataFrame, list[dict[str, object]], int] | None:
    """The common case, all in Polars: every record is one well-formed physical line.

    Returns None (the caller then uses `_split_csv`) when any line is not such a record, or
    when Polars' parse does not come out row for row, so both paths give the same result.
    """
    if "\x00" in text:
        return None
    lines = pl.Series(RAW, [text.removesuffix("\n")], dtype=pl.String()).str.split("\n")
    frame = (
        lines.explode()
        .to_frame()
        .with_columns(
            pl.col(RAW).str.strip_suffix("\r"),
            pl.int_range(1, pl.len() + 1, dtype=pl.Int64()).alias(LINE),
        )
    )
    if not frame.select(pl.col(RAW).str.contains(_SIMPLE_LINE).all()).item():
        return None
    frame = frame.filter(pl.col(RAW) != "")  # Blank lines are not rows.
    if frame.height == 0 or frame[LINE][0] != 1:
        return None
    header = next(csv.reader([frame[RAW][0]]))
    names = _header_names(header, file)
    rows = frame.slice(1).with_columns(
        (pl.col(RAW).str.replace_all(_QUOTED, "").str.count_matches(",", literal=True) + 1)
        .cast(pl.Int64())
        .alias("__fields")
    )
    fits = pl.col("__fields") == len(names)
    good = rows.filter(fits)
    bad = rows.filter(~fits).select(
        pl.lit(file).alias("file"),
        pl.col(LINE).alias("line"),
        pl.lit(None, dtype=pl.String()).alias("column"),
        pl.format(f"expected {len(names)} fields, found {{}}", "__fields").alias("reason"),
        pl.col(RAW).alias("raw"),
    )
    body = good[RAW].str.join("\n").item() if good.height else ""
    try:
        parsed = (
            pl.read_csv(
                body.encode(),
                has_header=False,
                new_columns=names,
                infer_schema=False,
                truncate_ragged_lines=False,
            )
            if good.height
            else pl.DataFrame(schema={n: pl.String() for n in names})
        )
    except Exception:  # Any disagreement with our reading of the lines: use the slow path.
        return None
    if parsed.height != good.height or parsed.width != len(names):
        return None
    out = parsed.with_columns(good[LINE], good[RAW])
    return out, bad.to_dicts(), rows.height


def _read_csv(path: Path) -> tuple[pl.DataFrame, list[dict[str, object]], int, int]:
    """(string frame with line/raw columns, malformed-line rejects, rows read, bytes replaced)."""
    file = str(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise DataError(f"cannot read file: {exc.strerror or exc}", path=file) from None
    text, replaced = _decode(data)
    fast = _fast_csv(text, file)
    if fast is not None:
        frame, bad, rows_read = fast
        names = [n for n in frame.columns if n not in (LINE, RAW)]
    else:
        split = _split_csv(text, file)
        names, frame = _split_frame(split, file)
        bad, rows_read = split.bad, split.rows_read
    # An empty CSV field is a missing value.
    frame = frame.with_columns([pl.when(pl.col(n) != "").then(pl.col(n)).alias(n) for n in names])
    return frame, bad, rows_read, replaced


def _as_text(name: str, dtype: pl.DataType) -> pl.Expr:
    """A Parquet column as strings; a naive timestamp at midnight reads as its date.

    Tools without a date type (pandas) write dates as midnight timestamps; those are dates.
    Any other timestamp keeps its time and is rejected by a date column, never truncated.
    """
    column = pl.col(name)
    if isinstance(dtype, pl.Datetime) and dtype.time_zone is None:
        midnight = column.dt.time() == pl.time(0)
        return (
            pl.when(midnight)
            .then(column.dt.date().cast(pl.String()))
            .otherwise(column.cast(pl.String()))
            .alias(name)
        )
    return column.cast(pl.String())


def _casts_to_string(column: pl.Series) -> bool:
    """True when every value of `column` can be read as text."""
    try:
        column.cast(pl.String())
    except Exception:
        return False
    return True


def _read_parquet(path: Path) -> tuple[pl.DataFrame, list[dict[str, object]], int, int]:
    """Parquet as a string frame: `line` is the 1-based row number, `raw` the joined values."""
    file = str(path)
    try:
        frame = pl.read_parquet(path)
    except OSError as exc:
        raise DataError(f"cannot read file: {exc.strerror or exc}", path=file) from None
    except Exception as exc:  # Polars raises several error types for a damaged file.
        raise DataError(f"not a readable Parquet file ({type(exc).__name__})", path=file) from None
    names = frame.columns
    try:
        strings = frame.select(_as_text(n, t) for n, t in frame.schema.items())
    except Exception:
        # Name every column that cannot be read as text (nested, binary that is not UTF-8,
        # durations, ...), so the user knows what to fix.
        unsupported = [n for n in names if not _casts_to_string(frame[n])]
        kinds = ", ".join(f"{n}: {frame.schema[n]}" for n in unsupported)
        raise DataError(f"columns of unsupported types ({kinds})", path=file) from None
    strings = strings.with_columns(
        pl.int_range(1, pl.len() + 1, dtype=pl.Int64()).alias(LINE),
        pl.concat_str([pl.col(n).fill_null("") for n in names], separator=",").alias(RAW)
        if names
        else pl.lit("").alias(RAW),
    )
    return strings, [], frame.height, 0


# --- validation -----------------------------------------------------------------------------


def _validate(table: str, frame: pl.DataFrame, file: str) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(valid rows converted to loaded columns + extras, rejects in the REJECTS schema)."""
    spec = FILE_COLUMNS[table]
    names = [n for n in frame.columns if n not in (LINE, RAW)]
    for reserved in RESERVED[table]:
        if reserved in names:
            raise DataError(
                f"column {reserved!r} is derived by moneytrail and cannot be given",
                path=file,
                line=1,
            )
    missing = [c.name for c in spec if c.required_column and c.name not in names]
    if missing:
        raise DataError(f"missing required column(s): {', '.join(missing)}", path=file, line=1)
    extra: list[Check] = []
    if table == "transactions":
        kind = pl.col("kind").str.strip_chars().str.to_lowercase()
        has_recipient = (
            pl.col("recipient_committee_id").str.strip_chars() != ""
            if "recipient_committee_id" in names
            else pl.lit(False)
        ).fill_null(False)
        extra.append(
            Check(
                (kind == "contribution").fill_null(False) & ~has_recipient,
                "recipient_committee_id",
                "required for a contribution",
            )
        )
    return validate(frame, spec, file=file, extra_checks=extra, unique=ID_COLUMN[table])


def _entity_frame(table: str, loaded: pl.DataFrame) -> pl.LazyFrame:
    """Listed entities in the loaded schema (`inferred=False`), extra columns after."""
    schema = _LOADED[table]
    cols = loaded.columns
    exprs = []
    for name, dtype in schema.items():
        if name == "inferred":
            exprs.append(pl.lit(False).alias(name))
        elif name in cols:
            exprs.append(pl.col(name).cast(dtype))
        elif table == "committees" and name == "kind":
            exprs.append(pl.lit("other").alias(name))
        else:
            exprs.append(pl.lit(None, dtype=dtype).alias(name))
    extras = [pl.col(n) for n in cols if n not in schema]
    return loaded.select([*exprs, *extras]).lazy()


def _rejects_frame(bad: list[dict[str, object]], more: pl.DataFrame) -> pl.DataFrame:
    first = pl.DataFrame(bad, schema=REJECTS, orient="row") if bad else pl.DataFrame(schema=REJECTS)
    return pl.concat([first, more.cast(REJECTS)]).sort("line", maintain_order=True)  # type: ignore[arg-type]


def _load_file(table: str, path: Path) -> tuple[pl.DataFrame, pl.DataFrame, FileReport]:
    reader = _read_parquet if path.suffix == ".parquet" else _read_csv
    frame, bad, rows_read, replaced = reader(path)
    loaded, rejects = _validate(table, frame, str(path))
    all_rejects = _rejects_frame(bad, rejects)
    counts: dict[str, int] = {}
    for column, reason, n in (
        all_rejects.group_by("column", "reason").len().sort("column", "reason").rows()
    ):
        key = f"{column}: {reason}" if column is not None else str(reason)
        counts[key] = int(n)
    report = FileReport(
        path=str(path),
        kind=table,
        rows_read=rows_read,
        rows_loaded=loaded.height,
        rejected=counts,
        bytes_replaced=replaced,
    )
    if report.rows_read != report.rows_loaded + report.rows_rejected:
        raise AssertionError(f"{path}: rows read/loaded/rejected do not add up")
    return loaded, all_rejects, report


def load_tables(path: Path) -> Dataset:
    """Load a moneytrail-tables folder (or its `transactions` file) into a `Dataset`.

    Raises:
        DataError: see the module docstring; the message names the file.
    """
    chosen: Path | None = None
    if path.is_file():
        if not is_tables_path(path):
            raise DataError("not a moneytrail transactions file", path=str(path))
        chosen, folder = path, path.parent
    else:
        folder = path
    if not folder.is_dir():
        raise DataError("no such folder", path=str(folder))

    reports: list[FileReport] = []
    rejects: list[pl.DataFrame] = []
    frames: dict[str, pl.DataFrame | None] = {}
    for table in TABLE_NAMES:
        file = _pick(folder, table, chosen if table == "transactions" else None)
        if file is None:
            if table == "transactions":
                raise DataError("no transactions.csv or transactions.parquet", path=str(folder))
            frames[table] = None
            continue
        loaded, table_rejects, report = _load_file(table, file)
        frames[table] = loaded
        reports.append(report)
        rejects.append(table_rejects)

    tx_frame = frames["transactions"]
    assert tx_frame is not None
    transactions = finalize_transactions(tx_frame.lazy())
    entity = {
        t: (_entity_frame(t, f) if f is not None else pl.LazyFrame(schema=_LOADED[t]))
        for t, f in frames.items()
        if t != "transactions"
    }
    committees, candidates, races, created = complete_entities(
        transactions, entity["committees"], entity["candidates"], entity["races"]
    )
    resolved = folder.resolve()
    return Dataset(
        name=resolved.name,
        source=folder,
        transactions=transactions,
        committees=committees,
        candidates=candidates,
        races=races,
        report=LoadReport(files=tuple(reports), created=created),
        rejects=pl.concat(rejects).lazy() if rejects else pl.LazyFrame(schema=REJECTS),
        synthetic=(folder / SYNTHETIC_MARKER).is_file(),
    )
