"""Louisiana Ethics Administration campaign finance exports (contributions and expenditures).

The Ethics Administration Program's e-filing search (ethics.la.gov, "Search Efiling
Contributors" / "Expenditures") exports its results as CSV ("Export Results to Spreadsheet").
docs/sources.md has the mapping and the quirks. The columns are found by name in the header
(the export has changed over the years: newer ones add `FilerNumber`, expenditures add
`Schedule`), so any order and extra columns are accepted:

* contributions: `FilerLastName, FilerFirstName, ReportCode, ReportType, ReportNumber,
  ContributorTypeCode, ContributorName, ContributorAddr1, ContributorAddr2, ContributorCity,
  ContributorState, ContributorZip, ContributionType, ContributionDescription,
  ContributionDate, ContributionAmt`;
* expenditures: `FilerLastName, FilerFirstName, ReportCode, ReportType, ReportNumber,
  RecipientName, RecipientAddr1, RecipientAddr2, RecipientCity, RecipientState, RecipientZip,
  ExpenditureDescription, ExpenditureDate, ExpenditureAmt`.

Contract (`read_louisiana`):

* `sniff` recognises either export by its header (`FilerLastName` plus `ContributorName` or
  `RecipientName` and the amount column), whatever the file is called.
* Records are split by the project's CSV reader (quoted fields may hold commas, quotes and
  line breaks; a malformed line is a reject and reading resumes at the next); bytes are UTF-8
  where valid, else Windows-1252.
* Amounts are US-style (`$1,000.00`, `($25.00)` for a negative: money style `us`), dates
  `MM/DD/YYYY`; both checked by the project's validation engine, a bad one rejecting the row
  with its column.
* The filer is a committee: `committee_id` is `FilerNumber` when the export has it, else the
  filer's name as written (`FilerLastName`, then `, FilerFirstName` when there is one). The
  report code says what it is: `F102` (a candidate's report) makes a committee of kind
  `candidate` with its own candidate; `F202`/`F203` (a political committee's reports) kind
  `pac`; others (`F305`/`F306`, independent expenditure reports) kind `other`. Its state is `LA`.
* `ContributorTypeCode` `IND`/`INDIVIDUAL` is an individual; any other code an organization
  (the linking step, `moneytrail.data.sources.links`, turns a committee among them into that
  committee); a blank code is decided by the name (`looks_like_organization`).
* Report code, type and number are kept (`la_report_code`, `la_report_type`,
  `la_report_number`), and the contribution type (`la_type`); `transaction_id` is
  `<file name>:<line>`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Final

import polars as pl

from moneytrail.data.report import FileReport
from moneytrail.data.schema import COMMITTEES, REJECTS
from moneytrail.data.sources.base import CERTAIN, NOT_MINE, header_names
from moneytrail.data.sources.read import (
    FilingRead,
    checked_values,
    file_report,
    filer_candidates,
    looks_like_organization,
    read_export,
)
from moneytrail.data.validate import Column

SOURCE: Final = "la"

#: Columns each export must have (beyond them, what is present is used).
REQUIRED: Final = {
    "contributions": ("FilerLastName", "ContributorName", "ContributionDate", "ContributionAmt"),
    "expenditures": ("FilerLastName", "RecipientName", "ExpenditureDate", "ExpenditureAmt"),
}
OPTIONAL: Final = (
    "FilerNumber",
    "FilerFirstName",
    "ReportCode",
    "ReportType",
    "ReportNumber",
    "ContributorTypeCode",
    "ContributorCity",
    "ContributorState",
    "ContributorZip",
    "ContributionType",
    "ContributionDescription",
    "RecipientCity",
    "RecipientState",
    "RecipientZip",
    "ExpenditureDescription",
)
CANDIDATE_REPORTS: Final = ("F102",)
COMMITTEE_REPORTS: Final = ("F202", "F203")
INDIVIDUAL_CODES: Final = ("IND", "INDIVIDUAL")
#: The reading error of a file whose header names no kind read here.
NOT_AN_EXPORT: Final = (
    "not a Louisiana Ethics Administration export: the header needs FilerLastName, "
    "ContributorName, ContributionDate and ContributionAmt (contributions) or "
    "RecipientName, ExpenditureDate and ExpenditureAmt (expenditures)"
)


def export_kind(header: list[str]) -> str | None:
    """`contributions` or `expenditures` when `header` has that export's required columns."""
    names = {h.strip() for h in header}
    for kind, required in REQUIRED.items():
        if set(required) <= names:
            return kind
    return None


def sniff(path: Path) -> float:
    """`CERTAIN` when `path`'s header row is a Louisiana contributions or expenditures export."""
    return CERTAIN if export_kind(header_names(path, 4096, "latin-1")) is not None else NOT_MINE


def _filer() -> list[pl.Expr]:
    name = (
        pl.when(pl.col("FilerFirstName").is_not_null())
        .then(pl.format("{}, {}", "FilerLastName", "FilerFirstName"))
        .otherwise(pl.col("FilerLastName"))
    )
    return [
        pl.coalesce("FilerNumber", name).alias("filer_id"),
        name.alias("filer_name"),
        pl.col("ReportCode").str.to_uppercase().alias("_report"),
    ]


def _transactions(frame: pl.DataFrame, kind: str, file: str) -> tuple[pl.DataFrame, pl.DataFrame]:
    prefix = "Contribution" if kind == "contributions" else "Expenditure"
    columns = (
        Column(
            f"{prefix}Amt",
            "money",
            required_value=True,
            loaded_name="amount_cents",
            money_style="us",
        ),
        Column(f"{prefix}Date", "date", date_format="%m/%d/%Y", loaded_name="date"),
    )
    checks_first = frame.with_columns(_filer())
    no_filer = pl.col("filer_id").is_null()
    missing = checks_first.filter(no_filer)
    ok, rejects = checked_values(checks_first.filter(~no_filer), columns, file=file)
    missing_rejects = missing.select(
        pl.lit(file).alias("file"),
        "line",
        pl.lit("FilerLastName").alias("column"),
        pl.lit("missing value").alias("reason"),
        "raw",
    )
    common = [
        pl.format("{}:{}", pl.lit(Path(file).name), "line").alias("transaction_id"),
        "date",
        "amount_cents",
        pl.lit(SOURCE).alias("source"),
        pl.col("filer_id").alias("filed_by"),
        pl.col("ReportCode").alias("la_report_code"),
        pl.col("ReportType").alias("la_report_type"),
        pl.col("ReportNumber").alias("la_report_number"),
        pl.lit(False).alias("memo"),
        pl.lit(None, dtype=pl.String()).alias("memo_reason"),
        "line",
        pl.col("filer_name").alias("_filer_name"),
        "_report",
    ]
    if kind == "contributions":
        code = pl.col("ContributorTypeCode").str.to_uppercase().str.strip_chars()
        tx = ok.select(
            *common,
            pl.lit("contribution").alias("kind"),
            pl.when(code.is_in(INDIVIDUAL_CODES))
            .then(pl.lit("individual"))
            .when(code.is_not_null())
            .then(pl.lit("organization"))
            .when(looks_like_organization(pl.col("ContributorName")))
            .then(pl.lit("organization"))
            .otherwise(pl.lit("individual"))
            .alias("source_kind"),
            pl.col("ContributorName").alias("source_name"),
            pl.col("ContributorCity").alias("source_city"),
            pl.col("ContributorState").str.to_uppercase().alias("source_state"),
            pl.col("ContributorZip").alias("source_zip"),
            pl.col("filer_id").alias("recipient_committee_id"),
            pl.col("ContributionDescription").alias("description"),
            pl.col("ContributionType").alias("la_type"),
        )
    else:
        tx = ok.select(
            *common,
            pl.lit("expenditure").alias("kind"),
            pl.lit("committee").alias("source_kind"),
            pl.col("filer_id").alias("source_id"),
            pl.col("filer_name").alias("source_name"),
            pl.col("RecipientName").alias("recipient_name"),
            pl.col("RecipientCity").alias("recipient_city"),
            pl.col("RecipientState").str.to_uppercase().alias("recipient_state"),
            pl.col("RecipientZip").alias("recipient_zip"),
            pl.col("ExpenditureDescription").alias("description"),
        )
    bad = pl.concat([missing_rejects.cast(REJECTS), rejects])  # type: ignore[arg-type]
    return tx, bad


def _filers(frames: list[pl.DataFrame]) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(committees, candidates) named as filers; a filer is a candidate when any of its rows
    comes from a candidate's report."""
    rows = pl.concat([f.select("filed_by", "_report", "_filer_name") for f in frames])
    filers = (
        rows.group_by("filed_by", maintain_order=True)
        .agg(
            pl.col("_filer_name").first(),
            pl.col("_report").is_in(CANDIDATE_REPORTS).any().alias("_candidate"),
            pl.col("_report").is_in(COMMITTEE_REPORTS).any().alias("_committee"),
        )
        .sort("filed_by")
    )
    committees = filers.select(
        pl.col("filed_by").alias("committee_id"),
        pl.col("_filer_name").alias("name"),
        pl.when("_candidate")
        .then(pl.lit("candidate"))
        .when("_committee")
        .then(pl.lit("pac"))
        .otherwise(pl.lit("other"))
        .alias("kind"),
        pl.lit("LA").alias("state"),
        pl.lit(None, dtype=pl.String()).alias("party"),
        pl.when("_candidate").then(pl.col("filed_by")).alias("candidate_id"),
        pl.lit(False).alias("inferred"),
    ).cast(COMMITTEES)  # type: ignore[arg-type]
    return committees, filer_candidates(committees)


def _read_one(path: Path) -> tuple[pl.DataFrame, pl.DataFrame, FileReport]:
    file = str(path)
    kind, table = read_export(path, export_kind, REQUIRED, OPTIONAL, NOT_AN_EXPORT)
    rows_read, replaced = table.rows_read, table.bytes_replaced
    tx, bad_values = _transactions(table.frame, kind, file)
    rejects = pl.concat([table.malformed, bad_values]).cast(REJECTS).sort("line")  # type: ignore[arg-type]
    report = file_report(file, f"la:{kind}", rows_read, rejects, replaced)
    return tx, rejects, report


def read_louisiana(paths: list[Path]) -> FilingRead:
    """Read Louisiana contributions and expenditures exports (see the module docstring).

    Raises:
        DataError: a file cannot be read, has no header, or lacks the export's columns.
    """
    results = [_read_one(p) for p in paths]
    transactions = pl.concat([r[0] for r in results], how="diagonal_relaxed")
    committees, candidates = _filers([transactions])
    return FilingRead(
        source=SOURCE,
        transactions=transactions.drop("_report", "_filer_name", "line"),
        committees=committees,
        candidates=candidates,
        rejects=pl.concat([r[1] for r in results]),
        reports=tuple(r[2] for r in results),
    )
