"""What a filing-system reader returns, and the text handling every such reader shares.

* `FilingRead`: one reader's result (see the field docs).
* `decode_cp1252_fallback`: the bytes of a file from a system known to mix encodings (IRS
  bulk data, Florida exports) as text: valid UTF-8 sequences are kept, every other byte is read
  as Windows-1252 (`0x92` → `’`, `0xD1` → `Ñ`), so `MUÑOZ` arrives as `MUÑOZ` whichever way
  the filer's software wrote it. The five bytes cp1252 leaves undefined become U+FFFD and are
  counted (`FileReport.bytes_replaced`).
* `physical_lines`: the lines of a text as a frame of (`line`, `raw`), 1-based, with CRLF line
  ends and a leading byte order mark dropped.
* `reject_rows`: rows of a frame with a `line` and a `raw` column as `REJECTS` rows.
* `file_report`: a file's `FileReport` from its rows read and its rejects.
* `read_csv_table`: a quoted CSV split by the moneytrail tables' CSV reader, with lines.
* `read_export`: a state export's CSV with its kind told by its header, columns readied.
* `checked_values`: amount and date columns checked and converted by the project's one
  validation engine (`moneytrail.data.validate`), so every format accepts the same money and
  dates and rejects with the same reasons.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Final

import polars as pl

from moneytrail.data.errors import DataError
from moneytrail.data.fec.bulk import CP1252_OF_SURROGATE, SURROGATE_RE
from moneytrail.data.names import normalize_org_expr
from moneytrail.data.report import FileReport
from moneytrail.data.schema import CANDIDATES, COMMITTEES, REJECTS
from moneytrail.data.tables import _split_csv, _split_frame
from moneytrail.data.validate import Check, Column, column_checks, converted, split_rejects

#: The columns of `FilingRead.link_keys`.
LINK_KEYS: dict[str, pl.DataType] = {
    "committee_id": pl.String(),
    # "ein" (an IRS employer identification number) or "eain:<state>" (an id a state's
    # election authority issued, as listed on the committee's IRS Form 8871).
    "key_kind": pl.String(),
    "key": pl.String(),
}


@dataclass(frozen=True, slots=True)
class FilingRead:
    """One reader's result.

    Attributes:
        source: the filing system, as the `source` column spells it (`irs`, `fl`, ...).
        transactions: loaded transaction columns (any subset, in loaded dtypes) plus extra
            columns (`source`; `memo_reason`; `filed_by`, the committee whose report the row
            comes from; `recipient_name`/`_city`/`_state`/`_zip`, the payee of an expenditure
            as written; and the format's own provenance columns); not yet finalized
            (`moneytrail.data.finalize.finalize_transactions` completes it).
        committees: the committees the files describe, in the loaded `COMMITTEES` schema.
        candidates: the candidates the files describe, in the loaded `CANDIDATES` schema.
        link_keys: identifiers that may name the same committee in another filing system.
        rejects: rows that could not be loaded, in the `REJECTS` schema.
        reports: one per file read.
    """

    source: str
    transactions: pl.DataFrame
    committees: pl.DataFrame = field(default_factory=lambda: pl.DataFrame(schema=COMMITTEES))
    candidates: pl.DataFrame = field(default_factory=lambda: pl.DataFrame(schema=CANDIDATES))
    link_keys: pl.DataFrame = field(default_factory=lambda: pl.DataFrame(schema=LINK_KEYS))
    rejects: pl.DataFrame = field(default_factory=lambda: pl.DataFrame(schema=REJECTS))
    reports: tuple[FileReport, ...] = ()


#: Bytes cp1252 leaves undefined (replaced by U+FFFD and counted).
_UNDEFINED: Final = tuple(c for c, char in CP1252_OF_SURROGATE.items() if char == "\ufffd")


def decode_cp1252_fallback(data: bytes) -> tuple[str, int]:
    """`data` as text (UTF-8 where valid, else Windows-1252) and the count of bytes replaced.

    The UTF-8 decoder maps each invalid byte to a lone surrogate (`surrogateescape`, native
    speed); one regex pass replaces each by the byte's Windows-1252 character (measured: 5x
    faster than `str.translate`, which visits every character).
    """
    if data.isascii():
        return data.decode("ascii"), 0
    text = data.decode("utf-8", errors="surrogateescape")
    replaced = sum(text.count(u) for u in _UNDEFINED)
    return SURROGATE_RE.sub(lambda m: CP1252_OF_SURROGATE[m.group()], text), replaced


def read_text(path: Path) -> tuple[str, int]:
    """The decoded text of `path` (see `decode_cp1252_fallback`), BOM dropped.

    Raises:
        DataError: the file cannot be read.
    """
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise DataError(f"cannot read file: {exc.strerror or exc}", path=str(path)) from None
    text, replaced = decode_cp1252_fallback(data)
    return text.removeprefix("\ufeff"), replaced


def physical_lines(text: str) -> pl.DataFrame:
    """(`line` Int64 from 1, `raw` String) for each line of `text`; a final newline ends a line."""
    body = text[:-1] if text.endswith("\n") else text
    lines = pl.Series("raw", [body], dtype=pl.String()).str.split("\n").explode()
    if not text:
        lines = lines.clear()
    return pl.DataFrame(
        {
            "line": pl.int_range(1, lines.len() + 1, eager=True, dtype=pl.Int64()),
            "raw": lines.str.strip_suffix("\r"),
        }
    )


def reject_rows(frame: pl.DataFrame, file: str, reason: pl.Expr, column: pl.Expr) -> pl.DataFrame:
    """`frame` (with `line` and `raw`) as `REJECTS` rows with the given reason and column."""
    return frame.select(
        pl.lit(file, dtype=pl.String()).alias("file"),
        pl.col("line").cast(pl.Int64()),
        column.cast(pl.String()).alias("column"),
        reason.cast(pl.String()).alias("reason"),
        pl.col("raw").cast(pl.String()),
    )


def blank_to_null(columns: list[str]) -> list[pl.Expr]:
    """Expressions turning empty or all-space values of `columns` into nulls (others trimmed)."""
    return [
        pl.when(pl.col(c).str.strip_chars() != "")
        .then(pl.col(c).str.strip_chars())
        .otherwise(None)
        .alias(c)
        for c in columns
    ]


def file_report(
    file: str, kind: str, rows_read: int, rejects: pl.DataFrame, bytes_replaced: int
) -> FileReport:
    """The `FileReport` of one file: every row read and not in `rejects` was loaded, and
    `rejected` counts `rejects` by `column: reason` (or the reason alone)."""
    label = pl.coalesce(pl.format("{}: {}", "column", "reason"), "reason").alias("label")
    counts = rejects.group_by(label).len().sort("label")
    return FileReport(
        path=file,
        kind=kind,
        rows_read=rows_read,
        rows_loaded=rows_read - rejects.height,
        rejected={str(label): int(n) for label, n in counts.iter_rows()},
        bytes_replaced=bytes_replaced,
    )


#: Whole words that mark a contributor's name as an organization's in filings that do not say
#: (state exports, IRS Schedule A): legal forms and the usual words of group names.
ORGANIZATION_WORDS: tuple[str, ...] = (
    "INC",
    "INCORPORATED",
    "LLC",
    "LLP",
    "LP",
    "PLLC",
    "PA",
    "LTD",
    "CORP",
    "CORPORATION",
    "CO",
    "COMPANY",
    "HOLDINGS",
    "PAC",
    "COMMITTEE",
    "FUND",
    "ASSOCIATION",
    "ASSN",
    "UNION",
    "PARTY",
    "GROUP",
    "PARTNERS",
    "TRUST",
    "FOUNDATION",
    "COUNCIL",
    "FEDERATION",
    "CLUB",
    "BANK",
    "FRIENDS",
    "CAMPAIGN",
)


def looks_like_organization(name: pl.Expr) -> pl.Expr:
    """True where `name` holds one of `ORGANIZATION_WORDS` as a whole word (any case)."""
    words = "|".join(ORGANIZATION_WORDS)
    return normalize_org_expr(name).str.contains(rf"(?:^|\s)(?:{words})(?:\s|$)").fill_null(False)


def checked_values(
    frame: pl.DataFrame, columns: Sequence[Column], *, file: str
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(rows whose `columns` are valid, with each converted value added as `Column.target`;
    rejects naming the first failing column). `frame` has `line` and `raw` columns."""
    # Binary junk first: a NUL byte anywhere in the row rejects it, as in every other format.
    nul = Check(pl.col("raw").str.contains("\x00", literal=True), None, "NUL byte")
    checks = [nul, *(check for c in columns for check in column_checks(c))]
    good, bad = split_rejects(frame, checks, file=file, line="line", raw="raw")
    return good.with_columns(converted(c) for c in columns), bad


def filer_candidates(committees: pl.DataFrame) -> pl.DataFrame:
    """The candidates of filer `committees` (`COMMITTEES`): a committee with a `candidate_id`
    is a candidate's own filer, and the candidate has its id, name and party (no race,
    incumbency or result: the filings do not say)."""
    return (
        committees.filter(pl.col("candidate_id").is_not_null())
        .select(
            "candidate_id",
            "name",
            "party",
            pl.lit(None, dtype=pl.String()).alias("race_id"),
            pl.lit(None, dtype=pl.Boolean()).alias("incumbent"),
            pl.lit(None, dtype=pl.Boolean()).alias("won"),
            pl.lit(False).alias("inferred"),
        )
        .cast(CANDIDATES)  # type: ignore[arg-type]
    )


def concat_reads(source: str, reads: Sequence[FilingRead]) -> FilingRead:
    """Several files' reads of one format as one."""
    if len(reads) == 1:
        return reads[0]
    return FilingRead(
        source=source,
        transactions=pl.concat([r.transactions for r in reads], how="diagonal_relaxed"),
        committees=pl.concat([r.committees for r in reads], how="diagonal_relaxed").unique(
            "committee_id", keep="last", maintain_order=True
        ),
        candidates=pl.concat([r.candidates for r in reads]).unique(
            "candidate_id", keep="last", maintain_order=True
        ),
        link_keys=pl.concat([r.link_keys for r in reads]).unique(maintain_order=True),
        rejects=pl.concat([r.rejects for r in reads]),
        reports=tuple(f for r in reads for f in r.reports),
    )


@dataclass(frozen=True, slots=True)
class CsvTable:
    """A quoted CSV file split into string columns (see `read_csv_table`)."""

    names: list[str]  # the header's column names
    frame: pl.DataFrame  # one String column per name, then `line` and `raw`
    malformed: pl.DataFrame  # lines the CSV reader could not read, as `REJECTS` rows
    rows_read: int
    bytes_replaced: int


def read_csv_table(path: Path, delimiter: str = ",", *, text: str | None = None) -> CsvTable:
    """`path` split by the project's CSV reader (the one the moneytrail tables use: quoting,
    line breaks in quoted fields, a malformed line rejected and reading resumed), bytes
    decoded by `decode_cp1252_fallback`. `text` reads that instead of the file.

    Raises:
        DataError: the file cannot be read, or has no header row.
    """
    file = str(path)
    replaced = 0
    if text is None:
        text, replaced = read_text(path)
    split = _split_csv(text, file, delimiter)
    names, frame = _split_frame(split, file, "line", "raw")
    malformed = pl.DataFrame(split.bad, schema=REJECTS)
    return CsvTable(names, frame, malformed, split.rows_read, replaced)


def read_export(
    path: Path,
    kind_of: Callable[[list[str]], str | None],
    columns: Mapping[str, Sequence[str]],
    optional: Sequence[str],
    not_this: str,
) -> tuple[str, CsvTable]:
    """(kind, `path` split by `read_csv_table`) for an export whose header tells its kind:
    `kind_of` names it from the header's names; the `optional` columns the file lacks are
    added as nulls, and the kind's `columns` and the optional ones have blank values as nulls
    (others trimmed).

    Raises:
        DataError: the file cannot be read, has no header row, or `kind_of` names no kind
            (the message is `not_this`, at line 1).
    """
    table = read_csv_table(path)
    names = table.names
    kind = kind_of(names)
    if kind is None:
        raise DataError(not_this, path=str(path), line=1)
    missing = [pl.lit(None, dtype=pl.String()).alias(c) for c in optional if c not in names]
    used = list(dict.fromkeys([*columns[kind], *optional]))
    frame = table.frame.with_columns(missing).with_columns(blank_to_null(used))
    return kind, replace(table, frame=frame)
