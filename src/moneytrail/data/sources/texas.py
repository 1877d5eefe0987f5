"""Texas Ethics Commission bulk campaign finance data (`TEC_CF_CSV.zip`, unzipped).

The Commission publishes every electronically filed report as CSV files described by the
`CFS-ReadMe.txt` in the zip ("Flat File Architecture Record Listing"). Three are read here, each
recognised by its header (so `contribs_01.csv`, `contribs_02.csv`, ... and any renamed copy):

* `contribs_##.csv` (ContributionData, Schedules A/C): contributions received by the filer;
* `expend_##.csv` (ExpendData, Schedules F/G/H/I): expenditures made by the filer;
* `filers.csv` (FilerData): the filer index: id, type and name of every filer.

docs/sources.md has the mapping. Contract (`read_texas`):

* Records are split by the project's CSV reader; columns are found by name; bytes are UTF-8
  where valid, else Windows-1252. Dates are `yyyyMMdd`, amounts decimal dollars, checked by
  the project's validation engine.
* `filerIdent` (as TEC writes it, with its leading zeros) is the filer's `committee_id`; a
  contribution is to it, an expenditure from it. `filers.csv` names the filers and their kind
  (`filerTypeCd`: candidates and officeholders → `candidate`, general- and specific-purpose
  and out-of-state committees → `pac`, party committees → `party`, others `other`; a
  candidate's filer is also its candidate); a filer in the transactions but not in
  `filers.csv` is described from its rows (their `filerName`, `filerTypeCd`).
* The contributor is `INDIVIDUAL` (`LAST, FIRST`) or `ENTITY` (the organization name). An
  out-of-state PAC (`contributorOosPacFlag` = `Y`) giving its FEC id (`contributorPacFein`,
  e.g. `C00401224`) is the committee with that FEC id (`source_kind` committee), so its money
  links to FEC data about it.
* **Superseded rows count once**: a row of a report superseded by a later one
  (`infoOnlyFlag` = `Y`) is kept as memo (`memo_reason` `superseded`).
* `transaction_id` is `RCPT-<contributionInfoId>` / `EXPN-<expendInfoId>`.
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
    read_export,
)
from moneytrail.data.validate import Column

SOURCE: Final = "tx"

#: Columns that identify each file kind in a header (and that the reader needs).
KINDS: Final[dict[str, tuple[str, ...]]] = {
    "contribs": (
        "infoOnlyFlag",
        "filerIdent",
        "filerName",
        "contributionInfoId",
        "contributionDt",
        "contributionAmount",
        "contributorPersentTypeCd",
        "contributorNameOrganization",
        "contributorNameLast",
        "contributorNameFirst",
    ),
    "expend": (
        "infoOnlyFlag",
        "filerIdent",
        "filerName",
        "expendInfoId",
        "expendDt",
        "expendAmount",
        "payeePersentTypeCd",
        "payeeNameOrganization",
        "payeeNameLast",
        "payeeNameFirst",
    ),
    "filers": ("filerIdent", "filerTypeCd", "filerName"),
}
#: Columns used when present.
OPTIONAL: Final = (
    "filerTypeCd",
    "contributionDescr",
    "contributorStreetCity",
    "contributorStreetStateCd",
    "contributorStreetPostalCode",
    "contributorEmployer",
    "contributorOccupation",
    "contributorPacFein",
    "contributorOosPacFlag",
    "expendDescr",
    "payeeStreetCity",
    "payeeStreetStateCd",
    "payeeStreetPostalCode",
)
CANDIDATE_FILERS: Final = ("COH", "JCOH", "CAN", "JCAN", "SCC", "DCE")
PAC_FILERS: Final = ("GPAC", "SPAC", "MPAC", "JSPC", "SCPC", "CEC", "ASIFSPAC", "OOSPAC")
PARTY_FILERS: Final = ("PTYCORP", "PTY", "PARTY")
#: The reading error of a file whose header names no kind read here.
NOT_A_TEC_FILE: Final = "not a Texas Ethics Commission contribs, expend or filers file (header)"


def file_kind(header: list[str]) -> str | None:
    """`contribs`, `expend` or `filers` when `header` has that file's columns."""
    names = {h.strip() for h in header}
    for kind in ("contribs", "expend"):
        if set(KINDS[kind]) <= names:
            return kind
    if set(KINDS["filers"]) <= names and "reportInfoIdent" not in names:
        return "filers"
    return None


def sniff(path: Path) -> float:
    """`CERTAIN` when `path`'s header row is one of the TEC files read here."""
    return CERTAIN if file_kind(header_names(path, 16384, "latin-1")) is not None else NOT_MINE


def _name(prefix: str) -> pl.Expr:
    """An INDIVIDUAL's `LAST, FIRST` or an ENTITY's organization name."""
    person = pl.concat_str(
        [pl.col(f"{prefix}NameLast"), pl.col(f"{prefix}NameFirst")],
        separator=", ",
        ignore_nulls=True,
    )
    entity = pl.col(f"{prefix}PersentTypeCd").str.to_uppercase() == "ENTITY"
    return (
        pl.when(entity)
        .then(pl.coalesce(pl.col(f"{prefix}NameOrganization"), person))
        .otherwise(pl.coalesce(person, pl.col(f"{prefix}NameOrganization")))
    )


def _transactions(frame: pl.DataFrame, kind: str, file: str) -> tuple[pl.DataFrame, pl.DataFrame]:
    prefix = "contribution" if kind == "contribs" else "expend"
    columns = (
        Column(f"{prefix}Amount", "money", required_value=True, loaded_name="amount_cents"),
        Column(f"{prefix}Dt", "date", date_format="%Y%m%d", loaded_name="date"),
        Column("filerIdent", required_value=True),
    )
    ok, rejects = checked_values(frame, columns, file=file)
    superseded = pl.col("infoOnlyFlag").str.to_uppercase() == "Y"
    common = [
        "date",
        "amount_cents",
        pl.lit(SOURCE).alias("source"),
        pl.col("filerIdent").alias("filed_by"),
        superseded.fill_null(False).alias("memo"),
        pl.when(superseded).then(pl.lit("superseded")).alias("memo_reason"),
        pl.col("filerName").alias("_filer_name"),
        pl.col("filerTypeCd").alias("_filer_type"),
        "line",
    ]
    if kind == "contribs":
        fec_pac = (pl.col("contributorOosPacFlag").str.to_uppercase() == "Y") & pl.col(
            "contributorPacFein"
        ).is_not_null()
        entity = pl.col("contributorPersentTypeCd").str.to_uppercase() == "ENTITY"
        tx = ok.select(
            pl.format("RCPT-{}", "contributionInfoId").alias("transaction_id"),
            *common,
            pl.lit("contribution").alias("kind"),
            pl.when(fec_pac)
            .then(pl.lit("committee"))
            .when(entity)
            .then(pl.lit("organization"))
            .otherwise(pl.lit("individual"))
            .alias("source_kind"),
            pl.when(fec_pac)
            .then(pl.col("contributorPacFein").str.to_uppercase())
            .alias("source_id"),
            _name("contributor").alias("source_name"),
            pl.col("contributorStreetCity").alias("source_city"),
            pl.col("contributorStreetStateCd").alias("source_state"),
            pl.col("contributorStreetPostalCode").alias("source_zip"),
            pl.col("contributorEmployer").alias("source_employer"),
            pl.col("contributorOccupation").alias("source_occupation"),
            pl.col("filerIdent").alias("recipient_committee_id"),
            pl.col("contributionDescr").alias("description"),
        )
    else:
        tx = ok.select(
            pl.format("EXPN-{}", "expendInfoId").alias("transaction_id"),
            *common,
            pl.lit("expenditure").alias("kind"),
            pl.lit("committee").alias("source_kind"),
            pl.col("filerIdent").alias("source_id"),
            pl.col("filerName").alias("source_name"),
            _name("payee").alias("recipient_name"),
            pl.col("payeeStreetCity").alias("recipient_city"),
            pl.col("payeeStreetStateCd").alias("recipient_state"),
            pl.col("payeeStreetPostalCode").alias("recipient_zip"),
            pl.col("expendDescr").alias("description"),
        )
    return tx, rejects


def _kind(filer_type: pl.Expr) -> pl.Expr:
    code = filer_type.str.to_uppercase()
    return (
        pl.when(code.is_in(CANDIDATE_FILERS))
        .then(pl.lit("candidate"))
        .when(code.is_in(PAC_FILERS))
        .then(pl.lit("pac"))
        .when(code.is_in(PARTY_FILERS))
        .then(pl.lit("party"))
        .otherwise(pl.lit("other"))
    )


def _committees(listed: list[pl.DataFrame], tx: pl.DataFrame) -> pl.DataFrame:
    """Filers from `filers.csv` (one row per id: its last row), else from the rows' filer."""
    from_rows = tx.select(
        pl.col("filed_by").alias("filerIdent"),
        pl.col("_filer_name").alias("filerName"),
        pl.col("_filer_type").alias("filerTypeCd"),
    )
    cols = ["filerIdent", "filerName", "filerTypeCd"]
    every = pl.concat([*(f.select(cols) for f in listed), from_rows.select(cols)])
    return (
        every.filter(pl.col("filerIdent").is_not_null())
        .unique("filerIdent", keep="first", maintain_order=True)
        .sort("filerIdent")
        .select(
            pl.col("filerIdent").alias("committee_id"),
            pl.coalesce("filerName", "filerIdent").alias("name"),
            _kind(pl.col("filerTypeCd")).alias("kind"),
            pl.lit("TX").alias("state"),
            pl.lit(None, dtype=pl.String()).alias("party"),
            pl.when(_kind(pl.col("filerTypeCd")) == "candidate")
            .then(pl.col("filerIdent"))
            .alias("candidate_id"),
            pl.lit(False).alias("inferred"),
        )
        .cast(COMMITTEES)  # type: ignore[arg-type]
    )


def read_texas(paths: list[Path]) -> FilingRead:
    """Read TEC contribs, expend and filers files (see the module docstring).

    Raises:
        DataError: a file cannot be read or is not one of the three.
    """
    frames: list[pl.DataFrame] = []
    listed: list[pl.DataFrame] = []
    rejects: list[pl.DataFrame] = []
    reports: list[FileReport] = []
    for path in paths:
        file = str(path)
        kind, table = read_export(path, file_kind, KINDS, OPTIONAL, NOT_A_TEC_FILE)
        frame, bad_lines = table.frame, table.malformed
        rows_read, replaced = table.rows_read, table.bytes_replaced
        if kind == "filers":
            tx_rejects = pl.DataFrame(schema=REJECTS)
            listed.append(frame)
        else:
            tx, tx_rejects = _transactions(frame, kind, file)
            frames.append(tx)
        file_rejects = pl.concat([bad_lines, tx_rejects]).cast(REJECTS).sort("line")  # type: ignore[arg-type]
        rejects.append(file_rejects)
        reports.append(file_report(file, f"tx:{kind}", rows_read, file_rejects, replaced))
    tx = (
        pl.concat(frames, how="diagonal_relaxed")
        if frames
        else pl.DataFrame(
            schema={"filed_by": pl.String, "_filer_name": pl.String, "_filer_type": pl.String}
        )
    )
    committees = _committees(listed, tx)
    return FilingRead(
        source=SOURCE,
        transactions=tx.drop("_filer_name", "_filer_type", "line", strict=False),
        committees=committees,
        candidates=filer_candidates(committees),
        rejects=pl.concat(rejects) if rejects else pl.DataFrame(schema=REJECTS),
        reports=tuple(reports),
    )
