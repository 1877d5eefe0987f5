"""Florida Division of Elections campaign finance exports (contributions and expenditures).

The Division's campaign finance database (dos.elections.myflorida.com/campaign-finance/) exports
a search as tab-delimited text ("queryformat 2"): a header row, then one row per item, no
quoting at all. docs/sources.md has the mapping and the quirks. Two exports are read:

* contributions: `Candidate/Committee, Date, Amount, Typ, Contributor Name, Address,
  City State Zip, Occupation, Inkind Desc`;
* expenditures: `Candidate/Committee, Date, Amount, Payee Name, Address, City State Zip,
  Purpose, Type`.

Contract (`read_florida`):

* `sniff` recognises either export by its header row (names compared without case; `Typ` and
  `Type` are both accepted), whatever the file is called.
* Bytes are UTF-8 where valid, else Windows-1252 (`moneytrail.data.sources.read`).
* Rows split by a line break typed into a field are mended: since there is no quoting, a tab
  only ever separates fields, so consecutive lines whose tabs add up to the header's are one
  row (the line break becomes a space), reported at its first line. Lines that cannot be
  completed that way are one rejected row (`expected N fields, found M`). Blank lines between
  rows are not rows.
* `Candidate/Committee` names the filer as the Division writes it: a committee with its type
  code (`Florida Safety and Justice (PAC)`; also `(CCE)`, `(ECO)`, `(PTY)`), a candidate with party
  and office codes (`Ayala, Aramis (DEM)(STA)`). That text (spaces collapsed) is the filer's
  `committee_id`; the name without the codes is its display name. A candidate's filer is a
  committee of kind `candidate` with its own candidate (same id, party from the first code).
* Dates are `MM/DD/YYYY`, amounts decimal dollars, checked by the project's validation engine
  (`moneytrail.data.validate`); a bad one rejects the row, naming the column (`Amount`, `Date`).
* Contribution types (`Typ`): `CHE` check, `CAS` cash, `MO` money order, `E/F` electronic,
  `INK` in-kind (its description from `Inkind Desc`), `LOA` loan, `INT` interest, `DUE` dues:
  contributions to the filer. `REF` (a refund the filer received back, e.g. from a vendor)
  is a negative expenditure of the filer. Expenditure types: `MON` monetary, `PCS` petty cash
  spent, `TOA` transfer to office account: expenditures; `PCW` (petty cash withdrawn) is
  memo (`memo_reason` `petty_cash_withdrawal`), because what is spent from it is reported again
  as `PCS`; `REF` (a contribution refunded to its contributor) is a negative contribution from
  the payee to the filer, so it comes off that contributor's giving.
* The contributor of a contribution is an organization when the name reads like one
  (`looks_like_organization`), else an individual; the linking step
  (`moneytrail.data.sources.links`) turns one that is a known committee into that committee.
* `transaction_id` is `<file name>:<line>` (the exports carry no ids).
"""

from __future__ import annotations

from pathlib import Path
from typing import Final

import polars as pl

from moneytrail.data.report import FileReport
from moneytrail.data.schema import COMMITTEES, REJECTS
from moneytrail.data.sources.base import CERTAIN, NOT_MINE, first_line
from moneytrail.data.sources.read import (
    LINK_KEYS,
    FilingRead,
    blank_to_null,
    checked_values,
    file_report,
    filer_candidates,
    looks_like_organization,
    physical_lines,
    read_text,
    reject_rows,
)
from moneytrail.data.validate import Column

SOURCE: Final = "fl"

#: Our names for each export's columns, in file order, and the header names the Division uses.
CONTRIBUTIONS: Final = {
    "filer": "candidate/committee",
    "date": "date",
    "amount": "amount",
    "type": "typ",
    "name": "contributor name",
    "address": "address",
    "city_state_zip": "city state zip",
    "occupation": "occupation",
    "inkind": "inkind desc",
}
EXPENDITURES: Final = {
    "filer": "candidate/committee",
    "date": "date",
    "amount": "amount",
    "name": "payee name",
    "address": "address",
    "city_state_zip": "city state zip",
    "purpose": "purpose",
    "type": "type",
}
EXPORTS: Final = {"contributions": CONTRIBUTIONS, "expenditures": EXPENDITURES}

#: Filer type codes of committees (one code after the name).
COMMITTEE_CODES: Final = {"PAC": "pac", "CCE": "pac", "ECO": "other", "PTY": "party"}

_CODES_RE: Final = r"^(.*?)\s*((?:\([A-Z0-9/ ]{1,5}\)\s*)+)$"
_CSZ_RE: Final = r"^(.*?),?\s+([A-Za-z]{2})\s+([0-9]{5}(?:-?[0-9]{4})?)$"


def _header_key(name: str) -> str:
    key = " ".join(name.strip().lower().split())
    return "typ" if key == "type" else key


def export_kind(header: str) -> str | None:
    """`contributions` or `expenditures` for a header row of either export, else None."""
    names = [_header_key(n) for n in header.split("\t")]
    for kind, columns in EXPORTS.items():
        expected = [_header_key(n) for n in columns.values()]
        if names == expected:
            return kind
    return None


def sniff(path: Path) -> float:
    """`CERTAIN` when `path`'s first line is a Florida contributions or expenditures header."""
    return CERTAIN if export_kind(first_line(path, 4096, "latin-1")) is not None else NOT_MINE


def _mend(lines: pl.DataFrame, fields: int) -> tuple[pl.DataFrame, pl.DataFrame, int]:
    """Rows of the body lines (line, raw): mended where a typed line break split one.

    Lines with the header's tab count are rows as they are (all in Polars); only the few
    others are walked in Python, joining runs of consecutive short lines.

    Returns (rows: line/raw, broken: line/raw/found, rows read).
    """
    expected = fields - 1
    counted = lines.with_columns(pl.col("raw").str.count_matches("\t", literal=True).alias("_tabs"))
    whole = counted.filter(pl.col("_tabs") == expected).select("line", "raw")
    odd = counted.filter(pl.col("_tabs") != expected)
    broken_schema = {"line": pl.Int64, "raw": pl.String, "found": pl.Int64}
    tabs = odd.get_column("_tabs").to_list()
    raws = odd.get_column("raw").to_list()
    numbers = odd.get_column("line").to_list()
    rows: list[tuple[int, str]] = []
    broken: list[tuple[int, str, int]] = []
    i, n = 0, len(raws)
    while i < n:
        if raws[i].strip() == "":
            i += 1  # A blank line between rows is not a row.
            continue
        total, j = tabs[i], i
        while (
            total < expected
            and j + 1 < n
            and numbers[j + 1] == numbers[j] + 1  # the very next physical line
            and tabs[j + 1] < expected
        ):
            j += 1
            total += tabs[j]
        if total == expected:
            rows.append((numbers[i], " ".join(raws[i : j + 1])))
        else:
            broken.append((numbers[i], "\n".join(raws[i : j + 1]), total + 1))
        i = j + 1
    mended = pl.DataFrame(rows, schema={"line": pl.Int64, "raw": pl.String}, orient="row")
    return (
        pl.concat([whole, mended]).sort("line"),
        pl.DataFrame(broken, schema=broken_schema, orient="row"),
        whole.height + len(rows) + len(broken),
    )


def _filer(col: str) -> list[pl.Expr]:
    """The filer's id (as written, spaces collapsed), display name and codes."""
    text = pl.col(col).str.replace_all(r"\s+", " ").str.strip_chars()
    codes = text.str.extract(_CODES_RE, 2).str.extract_all(r"\(([^)]*)\)")
    return [
        text.alias("filer_id"),
        pl.coalesce(text.str.extract(_CODES_RE, 1), text).alias("filer_name"),
        codes.list.eval(pl.element().str.strip_chars("() ")).alias("filer_codes"),
    ]


def _place(col: str) -> list[pl.Expr]:
    text = pl.col(col)
    return [
        pl.coalesce(text.str.extract(_CSZ_RE, 1), text).str.strip_chars(" ,").alias("_city"),
        text.str.extract(_CSZ_RE, 2).str.to_uppercase().alias("_state"),
        text.str.extract(_CSZ_RE, 3).alias("_zip"),
    ]


def _transactions(rows: pl.DataFrame, kind: str, file: str) -> tuple[pl.DataFrame, pl.DataFrame]:
    columns = (
        Column("Amount", "money", required_value=True, loaded_name="_cents"),
        Column("Date", "date", date_format="%m/%d/%Y", loaded_name="_date"),
    )
    named = rows.rename({"amount": "Amount", "date": "Date"})
    checked, rejects = checked_values(named, columns, file=file)
    ok = checked.with_columns(
        *_place("city_state_zip"),
        pl.col("type").str.to_uppercase().alias("_type"),
    )
    name = Path(file).name
    refund = pl.col("_type") == "REF"
    common = [
        pl.format("{}:{}", pl.lit(name), "line").alias("transaction_id"),
        pl.col("_date").alias("date"),
        pl.lit(SOURCE).alias("source"),
        pl.col("filer_id").alias("filed_by"),
        pl.col("_type").alias("fl_type"),
        "line",
        # A refund, received or paid, takes its amount back off.
        pl.when(refund).then(-pl.col("_cents")).otherwise(pl.col("_cents")).alias("amount_cents"),
    ]
    if kind == "contributions":
        frame = ok.select(
            *common,
            pl.when(refund)
            .then(pl.lit("expenditure"))
            .otherwise(pl.lit("contribution"))
            .alias("kind"),
            # A refund received: the filer's spending comes back.
            pl.when(refund)
            .then(pl.lit("committee"))
            .when(looks_like_organization(pl.col("name")))
            .then(pl.lit("organization"))
            .otherwise(pl.lit("individual"))
            .alias("source_kind"),
            pl.when(refund).then(pl.col("filer_id")).alias("source_id"),
            pl.when(refund)
            .then(pl.col("filer_name"))
            .otherwise(pl.col("name"))
            .alias("source_name"),
            pl.when(~refund).then(pl.col("_city")).alias("source_city"),
            pl.when(~refund).then(pl.col("_state")).alias("source_state"),
            pl.when(~refund).then(pl.col("_zip")).alias("source_zip"),
            pl.when(~refund).then(pl.col("occupation")).alias("source_occupation"),
            pl.when(~refund).then(pl.col("filer_id")).alias("recipient_committee_id"),
            pl.when(refund).then(pl.col("name")).alias("recipient_name"),
            pl.when(refund).then(pl.col("_city")).alias("recipient_city"),
            pl.when(refund).then(pl.col("_state")).alias("recipient_state"),
            pl.when(refund).then(pl.col("_zip")).alias("recipient_zip"),
            pl.when(refund)
            .then(pl.lit("refund received"))
            .when(pl.col("_type") == "INK")
            .then(pl.format("in-kind: {}", pl.col("inkind").fill_null("")))
            .alias("description"),
            pl.lit(False).alias("memo"),
            pl.lit(None, dtype=pl.String()).alias("memo_reason"),
        )
    else:
        withdrawal = pl.col("_type") == "PCW"
        frame = ok.select(
            *common,
            # A refund paid: the contributor's gift to the filer comes back off.
            pl.when(refund)
            .then(pl.lit("contribution"))
            .otherwise(pl.lit("expenditure"))
            .alias("kind"),
            pl.when(~refund)
            .then(pl.lit("committee"))
            .when(looks_like_organization(pl.col("name")))
            .then(pl.lit("organization"))
            .otherwise(pl.lit("individual"))
            .alias("source_kind"),
            pl.when(~refund).then(pl.col("filer_id")).alias("source_id"),
            pl.when(refund)
            .then(pl.col("name"))
            .otherwise(pl.col("filer_name"))
            .alias("source_name"),
            pl.when(refund).then(pl.col("_city")).alias("source_city"),
            pl.when(refund).then(pl.col("_state")).alias("source_state"),
            pl.when(refund).then(pl.col("_zip")).alias("source_zip"),
            pl.when(refund).then(pl.col("filer_id")).alias("recipient_committee_id"),
            pl.when(~refund).then(pl.col("name")).alias("recipient_name"),
            pl.when(~refund).then(pl.col("_city")).alias("recipient_city"),
            pl.when(~refund).then(pl.col("_state")).alias("recipient_state"),
            pl.when(~refund).then(pl.col("_zip")).alias("recipient_zip"),
            pl.col("purpose").alias("description"),
            withdrawal.alias("memo"),
            pl.when(withdrawal).then(pl.lit("petty_cash_withdrawal")).alias("memo_reason"),
        )
    return frame, rejects


def _filers(frames: list[pl.DataFrame]) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(committees, candidates) named as filers."""
    filers = (
        pl.concat([f.select("filer_id", "filer_name", "filer_codes") for f in frames])
        .unique("filer_id", keep="first", maintain_order=True)
        .sort("filer_id")
    )
    is_candidate = pl.col("filer_codes").list.len() >= 2
    first_code = pl.col("filer_codes").list.first()
    committees = filers.select(
        pl.col("filer_id").alias("committee_id"),
        pl.col("filer_name").alias("name"),
        pl.when(is_candidate)
        .then(pl.lit("candidate"))
        .otherwise(first_code.replace_strict(COMMITTEE_CODES, default="other"))
        .alias("kind"),
        pl.lit("FL").alias("state"),
        pl.when(is_candidate).then(first_code).alias("party"),
        pl.when(is_candidate).then(pl.col("filer_id")).alias("candidate_id"),
        pl.lit(False).alias("inferred"),
    ).cast(COMMITTEES)  # type: ignore[arg-type]
    return committees, filer_candidates(committees)


def _read_one(path: Path) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame, FileReport]:
    """(transactions, filer rows, rejects, report) of one export."""
    from moneytrail.data.errors import DataError

    file = str(path)
    text, replaced = read_text(path)
    lines = physical_lines(text)
    if lines.height == 0:
        raise DataError("empty file: no header row", path=file)
    kind = export_kind(lines.get_column("raw")[0])
    if kind is None:
        raise DataError(
            "not a Florida Division of Elections contributions or expenditures export "
            "(tab-separated, header row)",
            path=file,
            line=1,
        )
    columns = list(EXPORTS[kind])
    rows, broken, rows_read = _mend(lines.slice(1), len(columns))
    bad_lines = reject_rows(
        broken,
        file,
        pl.format(f"expected {len(columns)} fields, found {{}}", "found"),
        pl.lit(None),
    )
    split = (
        rows.with_columns(
            pl.col("raw")
            .str.split_exact("\t", len(columns) - 1)
            .struct.rename_fields(columns)
            .alias("_f")
        )
        .unnest("_f")
        .with_columns(blank_to_null(columns))
        .with_columns(_filer("filer"))
    )
    missing_filer = split.filter(pl.col("filer_id").is_null())
    no_filer = reject_rows(
        missing_filer, file, pl.lit("missing value"), pl.lit("Candidate/Committee")
    )
    split = split.filter(pl.col("filer_id").is_not_null())
    tx, bad_values = _transactions(split, kind, file)
    rejects = pl.concat([bad_lines, no_filer, bad_values]).cast(REJECTS).sort("line")  # type: ignore[arg-type]
    report = file_report(file, f"fl:{kind}", rows_read, rejects, replaced)
    return tx, split, rejects, report


def read_florida(paths: list[Path]) -> FilingRead:
    """Read Florida contributions and expenditures exports (see the module docstring).

    Raises:
        DataError: a file cannot be read, or its header is not one of the two exports'.
    """
    results = [_read_one(p) for p in paths]
    transactions = pl.concat([r[0] for r in results], how="diagonal_relaxed").drop("line")
    committees, candidates = _filers([r[1] for r in results])
    return FilingRead(
        source=SOURCE,
        transactions=transactions,
        committees=committees,
        candidates=candidates,
        link_keys=pl.DataFrame(schema=LINK_KEYS),
        rejects=pl.concat([r[2] for r in results]),
        reports=tuple(r[3] for r in results),
    )
