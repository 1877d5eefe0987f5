"""The independent-expenditure csv (`independent_expenditure_YYYY.csv`, 24/48-hour notices).

Unlike the pipe files it is a real CSV: a header line, fields quoted with ``"`` when they hold
commas. Every line after the header is a row read; a line whose field count differs from the
header's is a ``wrong field count`` reject, a line the csv module cannot split at all (a bare
carriage return inside an unquoted field, a field over the csv module's size limit) a
``bad csv line``, an unparsable `exp_amo` a ``bad amount``, an impossible `exp_date` a
``bad date`` (`moneytrail.data.fec.values.ie_date`). Each line is split on its own, so a quote
left open on one line never swallows the lines after it. Only the header's FEC columns
(`moneytrail.data.fec.layouts.IE_COLUMNS`) are kept; a header naming one of them twice is a
`DataError` (which copy holds the amount would be a guess).

Rows map to ``independent_expenditure`` transactions: the spender (`spe_id`, `spe_nam`) is the
committee source, `cand_id` the candidate, `sup_opp` the side (``S``/``O``; anything else
null), and the payee and purpose (`pay`, `pur`) the description. The same expenditure may also be
on the spender's periodic report (itpas2/itoth ``24E``/``24A``) and is then counted once there;
see `moneytrail.data.fec.duplicates`.

The file is a few tens of MB per cycle, so each line is parsed by the standard `csv` module
(which handles quoting); the amounts and dates are then parsed by Polars like the other files.
Lines are physical lines: a quoted field spanning lines is not supported and becomes rejects.
"""

from __future__ import annotations

import csv

import polars as pl

from moneytrail.data.errors import DataError
from moneytrail.data.fec.bulk import WRONG_FIELD_COUNT, BulkRead, decode_lossy, open_binary
from moneytrail.data.fec.files import FecFile
from moneytrail.data.fec.layouts import IE_COLUMNS, IE_REQUIRED
from moneytrail.data.fec.transactions import value_rejects
from moneytrail.data.fec.values import (
    BAD_AMOUNT,
    BAD_DATE,
    amount_cents,
    amount_ok,
    date_ok,
    ie_date,
)
from moneytrail.data.progress import ProgressCallback, report_stage
from moneytrail.data.schema import REJECTS

BAD_CSV_LINE = "bad csv line"


def _split(line: str) -> list[str] | None:
    """The csv fields of one physical line ([] for a blank line), or None when unsplittable."""
    try:
        return next(csv.reader([line]), [])
    except csv.Error:
        return None


def read_ie(file: FecFile, progress: ProgressCallback | None = None) -> BulkRead:
    """Read the csv into string columns (lower-cased header names), `line` and `raw`.

    Raises:
        DataError: unreadable, empty, or a header lacking a required column.
    """
    with open_binary(file) as (stream, total):
        report_stage(progress, file.label, 0, total)
        data, replaced = decode_lossy(stream.read())
        report_stage(progress, file.label, total, total)
    text = data.decode("utf-8").removeprefix("\ufeff")
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    lines = [line.removesuffix("\r") for line in lines]
    if not lines:
        raise DataError("empty file (no header line)", path=file.label)
    header_fields = _split(lines[0])
    if header_fields is None:
        raise DataError("unreadable csv header line", path=file.label)
    header = [h.strip().lower() for h in header_fields]
    missing = [c for c in IE_REQUIRED if c not in header]
    if missing:
        raise DataError(
            f"not an FEC independent-expenditure file: missing column(s) {', '.join(missing)}",
            path=file.label,
        )
    twice = sorted({c for c in header if c in IE_COLUMNS and header.count(c) > 1})
    if twice:
        raise DataError(f"column(s) named twice in the header: {', '.join(twice)}", path=file.label)
    kept = [(i, name) for i, name in enumerate(header) if name in IE_COLUMNS]
    good_lines: list[int] = []
    good_raw: list[str] = []
    good_fields: list[list[str]] = []
    bad_lines: list[int] = []
    bad_raw: list[str] = []
    bad_reasons: list[str] = []
    for number, line in enumerate(lines[1:], 2):
        fields = _split(line)
        if fields is not None and len(fields) == len(header):
            good_lines.append(number)
            good_raw.append(line)
            good_fields.append(fields)
        else:
            bad_lines.append(number)
            bad_raw.append(line)
            bad_reasons.append(WRONG_FIELD_COUNT if fields is not None else BAD_CSV_LINE)
    columns = {
        name: pl.Series(name, [row[i] for row in good_fields], dtype=pl.String) for i, name in kept
    }
    rows = pl.DataFrame(
        {
            "line": pl.Series(good_lines, dtype=pl.Int64),
            "raw": pl.Series(good_raw, dtype=pl.String),
            **columns,
        }
    ).with_columns(
        [
            pl.when(pl.col(c).str.strip_chars() == "").then(None).otherwise(pl.col(c)).alias(c)
            for _, c in kept
        ]
    )
    rejects = pl.DataFrame(
        {
            "file": [file.label] * len(bad_lines),
            "line": bad_lines,
            "column": [None] * len(bad_lines),
            "reason": bad_reasons,
            "raw": bad_raw,
        },
        schema=REJECTS,
    )
    return BulkRead(file, rows, rejects, len(lines) - 1, replaced)


def map_ie(read: BulkRead) -> tuple[pl.DataFrame, pl.DataFrame]:
    """The csv rows as `independent_expenditure` transactions, and value rejects."""
    good, rejects = value_rejects(
        read,
        [
            ("exp_amo", amount_ok("exp_amo"), BAD_AMOUNT),
            ("exp_date", date_ok("exp_date", ie_date("exp_date")), BAD_DATE),
        ],
    )
    f = pl.col

    def opt(name: str) -> pl.Expr:
        return f(name) if name in good.columns else pl.lit(None, dtype=pl.String)

    side = f("sup_opp").str.strip_chars().str.to_uppercase()
    side = pl.when(side.is_in(["S", "O"])).then(side).otherwise(None)
    description = pl.concat_str([opt("pay"), opt("pur")], separator=" - ", ignore_nulls=True)
    out = good.with_columns(_amount=amount_cents("exp_amo")).select(
        pl.concat_str(
            [pl.lit("ie"), f("spe_id"), opt("tran_id"), opt("file_num"), f("line").cast(pl.String)],
            separator=":",
            ignore_nulls=True,
        ).alias("transaction_id"),
        ie_date("exp_date").alias("date"),
        f("_amount").alias("amount_cents"),
        pl.lit("independent_expenditure").alias("kind"),
        pl.lit("committee").alias("source_kind"),
        f("spe_id").alias("source_id"),
        opt("spe_nam").alias("source_name"),
        f("cand_id").alias("candidate_id"),
        side.alias("support_oppose"),
        pl.lit(False).alias("memo"),
        pl.when(description == "").then(None).otherwise(description).alias("description"),
        pl.lit(read.file.cycle, dtype=pl.Int32).alias("cycle"),
        pl.lit(None, dtype=pl.String).alias("memo_reason"),
        pl.lit(read.file.label).alias("fec_file"),
        f("line").alias("fec_line"),
        pl.lit("ie").alias("fec_kind"),
        f("spe_id").alias("fec_committee_id"),
        pl.when(side == "S")
        .then(pl.lit("24E"))
        .when(side == "O")
        .then(pl.lit("24A"))
        .otherwise(None)
        .alias("fec_transaction_type"),
        opt("amndt_ind").alias("fec_amendment"),
        opt("ele_type").alias("fec_election"),
        opt("image_num").alias("fec_image_num"),
        opt("file_num").alias("fec_file_num"),
        opt("tran_id").alias("fec_tran_id"),
        opt("pay").alias("fec_name"),
        f("_amount").alias("fec_amount_cents"),
    )
    return out, rejects
