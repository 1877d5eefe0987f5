"""IRS Form 8871/8872 bulk data (`FullDataFile.txt`): 527 political organizations' filings.

The IRS publishes every electronically filed Form 8871 (notice of 527 status) and Form 8872
(report of contributions and expenditures) as one pipe-delimited text file (layout: the IRS
"PolOrgsFileLayout" data dictionary; docs/sources.md has the mapping and the quirks). Each
physical line is one record, its first field the record type:

* `H` header and `F` footer of the release;
* `1` a Form 8871, followed by its `D` (directors/officers), `R` (related entities) and `E`
  (election authority ids: the ids state election offices gave the organization) records;
* `2` a Form 8872 report, followed by its `A` (Schedule A: contributions received) and `B`
  (Schedule B: expenditures made) records.

Contract (`read_irs`):

* A record is a line starting with a known record type and `|`. A line that does not is the
  continuation of the record above it, split by a line break typed into a field: the whole
  record (its first line and its continuations) is one rejected row, reported at its first line
  (`record broken across N lines`). Nothing is glued back together: a typed line break may sit
  next to a typed pipe, and fields must never shift.
* A record must have its type's field count (a trailing `|` after the last field is optional);
  any other count (typically a `|` typed into a name) rejects the record
  (`expected N fields, found M`). Fields are never realigned.
* Schedule A rows are contributions to the filing organization (`recipient_committee_id` = its
  EIN); Schedule B rows are expenditures by it (`source_kind` committee, `source_id` = its EIN),
  the payee in `recipient_name`/`recipient_city`/`recipient_state`/`recipient_zip` (the linking
  step, `moneytrail.data.sources.links`, turns a payment to a committee of another filing
  system into a contribution to it).
* Amended reports are counted once: Form 8872 reports of one organization (EIN) for one period
  (begin and end date) supersede each other; the latest filed (`INSERT_DATETIME`, then the
  highest form id) counts, and the schedules of the others are kept as `memo` rows with
  `memo_reason` = `amended`.
* Amounts are decimal dollars, dates `YYYYMMDD`, both checked by the project's validation
  engine (`moneytrail.data.validate`): an empty date is null; an empty or malformed amount or
  an impossible date rejects the row, naming the column (`contribution_amount`, ...).
* Committees (kind `527`, id = EIN as the IRS writes it) come from the `1` and `2` records, the
  latest filing's name and mailing state winning. Link keys: each organization's EIN, and every
  `E` record's election authority id with the state that issued it.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Final

import polars as pl

from moneytrail.data.schema import COMMITTEES, REJECTS
from moneytrail.data.sources.base import CERTAIN, NOT_MINE, first_line
from moneytrail.data.sources.read import (
    LINK_KEYS,
    FilingRead,
    blank_to_null,
    checked_values,
    file_report,
    physical_lines,
    read_text,
    reject_rows,
)
from moneytrail.data.validate import Column

SOURCE: Final = "irs"

_ADDRESS: Final = ("address_1", "address_2", "city", "state", "zip", "zip_ext")


def _addr(prefix: str) -> list[str]:
    return [f"{prefix}_{part}" for part in _ADDRESS]


#: Field names of each record type, in file order (the IRS data dictionary's order).
LAYOUTS: Final[dict[str, tuple[str, ...]]] = {
    "H": ("record_type", "transmission_date", "transmission_time", "file_id_modifier"),
    "F": ("record_type", "transmission_date", "transmission_time", "record_count"),
    "1": (
        "record_type",
        "form_type",
        "form_id",
        "initial_report",
        "amended_report",
        "final_report",
        "ein",
        "organization_name",
        *_addr("mailing"),
        "email",
        "established_date",
        "custodian_name",
        *_addr("custodian"),
        "contact_name",
        *_addr("contact"),
        *_addr("business"),
        "exempt_8872",
        "exempt_state",
        "exempt_990",
        "purpose",
        "material_change_date",
        "insert_datetime",
        "related_entity_bypass",
        "eain_bypass",
    ),
    "D": (
        "record_type",
        "form_id",
        "director_id",
        "org_name",
        "ein",
        "entity_name",
        "entity_title",
        *_addr("entity"),
    ),
    "R": (
        "record_type",
        "form_id",
        "entity_id",
        "org_name",
        "ein",
        "entity_name",
        "entity_relationship",
        *_addr("entity"),
    ),
    "E": ("record_type", "form_id", "eain_id", "election_authority_id", "state_issued"),
    "2": (
        "record_type",
        "form_type",
        "form_id",
        "period_begin_date",
        "period_end_date",
        "initial_report",
        "amended_report",
        "final_report",
        "change_of_address",
        "organization_name",
        "ein",
        *_addr("mailing"),
        "email",
        "org_formation_date",
        "custodian_name",
        *_addr("custodian"),
        "contact_name",
        *_addr("contact"),
        *_addr("business"),
        "qtr_indicator",
        "monthly_rpt_month",
        "pre_elect_type",
        "pre_or_post_elect_date",
        "pre_or_post_elect_state",
        "sched_a_ind",
        "total_sched_a",
        "sched_b_ind",
        "total_sched_b",
        "insert_datetime",
    ),
    "A": (
        "record_type",
        "form_id",
        "sched_id",
        "org_name",
        "ein",
        "name",
        *_addr("party"),
        "employer",
        "amount",
        "occupation",
        "agg_ytd",
        "date",
    ),
    "B": (
        "record_type",
        "form_id",
        "sched_id",
        "org_name",
        "ein",
        "name",
        *_addr("party"),
        "employer",
        "amount",
        "occupation",
        "date",
        "purpose",
    ),
}

RECORD_TYPES: Final = tuple(LAYOUTS)
_RECORD_START: Final = r"^[HF12DREAB]\|"

#: Employer/occupation values the IRS instructions tell filers to enter for a contributor who is
#: not an individual ("NA"), and the spellings filers use for it.
NOT_APPLICABLE: Final = ("NA", "N/A", "N A", "NOT APPLICABLE", "NONE")


def sniff(path: Path) -> float:
    """How likely `path` is an IRS 527 bulk data file: `CERTAIN` when its first line is an `H`
    record of the IRS layout (`H|YYYYMMDD|HHMM|...`), else `NOT_MINE`. Reads at most the first
    200 bytes."""
    parts = first_line(path, 200, "latin-1").split("|")
    ok = (
        len(parts) >= 4
        and parts[0] == "H"
        and re.fullmatch("[0-9]{8}", parts[1]) is not None
        and re.fullmatch("[0-9]{4}", parts[2]) is not None
    )
    return CERTAIN if ok else NOT_MINE


def _records(lines: pl.DataFrame, file: str) -> tuple[pl.DataFrame, pl.DataFrame, int]:
    """(records: line/raw/record_type, rejects of broken records, rows read).

    Blank lines are not rows. A continuation line joins the record above it; a record with
    continuations is rejected whole, at its first line.
    """
    lines = lines.filter(pl.col("raw").str.strip_chars() != "")
    starts = pl.col("raw").str.contains(_RECORD_START)
    grouped = lines.with_columns(starts.cum_sum().alias("_record"), starts.alias("_start"))
    records = grouped.group_by("_record", maintain_order=True).agg(
        pl.col("line").first(),
        pl.col("raw").str.join("\n"),
        pl.len().alias("_lines"),
        pl.col("_start").first(),
    )
    broken = records.filter((pl.col("_lines") > 1) | ~pl.col("_start"))
    rejects = reject_rows(
        broken,
        file,
        pl.when(pl.col("_start"))
        .then(pl.format("record broken across {} lines (a line break inside a field)", "_lines"))
        .otherwise(pl.lit("not a record (no record type)")),
        pl.lit(None),
    )
    good = records.filter((pl.col("_lines") == 1) & pl.col("_start")).select(
        "line", "raw", pl.col("raw").str.extract(r"^(.)\|", 1).alias("record_type")
    )
    return good, rejects, records.height


def _split(records: pl.DataFrame, kind: str, file: str) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Records of one type split into their named fields, and the wrong-field-count rejects."""
    layout = LAYOUTS[kind]
    n = len(layout)
    rows = records.filter(pl.col("record_type") == kind).with_columns(
        (pl.col("raw").str.count_matches("|", literal=True) + 1).alias("_fields")
    )
    # A trailing `|` after the last field is how most records end: accept n fields, or n + 1
    # whose last one is empty.
    fits = (pl.col("_fields") == n) | (
        (pl.col("_fields") == n + 1) & pl.col("raw").str.ends_with("|")
    )
    bad = reject_rows(
        rows.filter(~fits),
        file,
        pl.format(
            f"expected {n} fields, found {{}}",
            pl.when(pl.col("raw").str.ends_with("|"))
            .then(pl.col("_fields") - 1)
            .otherwise(pl.col("_fields")),
        ),
        pl.lit(None),
    )
    good = (
        rows.filter(fits)
        .drop("record_type", "_fields")
        .with_columns(
            pl.col("raw")
            .str.split_exact("|", n)
            .struct.rename_fields([*layout, "_trailing"])
            .alias("_parts")
        )
        .unnest("_parts")
        .drop("_trailing")
    )
    return good.with_columns(blank_to_null(list(layout))), bad


def _forms(forms: pl.DataFrame) -> pl.DataFrame:
    """Form 8872 reports with `superseded_by` set on those a later report for the same
    organization and period replaces (null on the report that counts)."""
    if forms.height == 0:
        return forms.with_columns(pl.lit(None, dtype=pl.String()).alias("superseded_by"))
    ranked = forms.with_columns(
        pl.col("form_id").cast(pl.Int64(), strict=False).alias("_form_no"),
    ).sort(["insert_datetime", "_form_no"], nulls_last=False)
    period = ["ein", "period_begin_date", "period_end_date"]
    return ranked.with_columns(
        pl.col("form_id").last().over(period).alias("_latest"),
    ).with_columns(
        pl.when(pl.col("form_id") != pl.col("_latest"))
        .then(pl.col("_latest"))
        .otherwise(None)
        .alias("superseded_by")
    )


def _schedule(
    rows: pl.DataFrame, kind: str, forms: pl.DataFrame, file: str
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Schedule A or B rows as loaded transactions, and their amount/date rejects."""
    amount_name = {"A": "contribution_amount", "B": "expenditure_amount"}[kind]
    date_name = {"A": "contribution_date", "B": "expenditure_date"}[kind]
    columns = (
        Column(amount_name, "money", required_value=True, loaded_name="amount_cents"),
        Column(date_name, "date", date_format="%Y%m%d", loaded_name="_date"),
    )
    named = rows.rename({"amount": amount_name, "date": date_name})
    checked, rejects = checked_values(named, columns, file=file)
    ok = checked.join(forms.select("form_id", "superseded_by"), on="form_id", how="left")
    amended = pl.col("superseded_by").is_not_null()
    common = [
        pl.format("{}-{}", pl.lit(kind), "sched_id").alias("transaction_id"),
        pl.col("_date").alias("date"),
        "amount_cents",
        amended.alias("memo"),
        pl.when(amended).then(pl.lit("amended")).otherwise(None).alias("memo_reason"),
        pl.lit(SOURCE).alias("source"),
        pl.col("ein").alias("filed_by"),
        pl.col("form_id").alias("irs_form_id"),
        pl.col("superseded_by").alias("irs_superseded_by"),
        "line",
    ]
    if kind == "A":
        na = pl.col("employer").str.to_uppercase().str.strip_chars(" .").is_in(
            NOT_APPLICABLE
        ) & pl.col("occupation").str.to_uppercase().str.strip_chars(" .").is_in(NOT_APPLICABLE)
        frame = ok.select(
            *common,
            pl.lit("contribution").alias("kind"),
            pl.when(na)
            .then(pl.lit("organization"))
            .otherwise(pl.lit("individual"))
            .alias("source_kind"),
            pl.col("name").alias("source_name"),
            pl.col("party_city").alias("source_city"),
            pl.col("party_state").alias("source_state"),
            pl.col("party_zip").alias("source_zip"),
            pl.col("employer").alias("source_employer"),
            pl.col("occupation").alias("source_occupation"),
            pl.col("ein").alias("recipient_committee_id"),
            pl.lit("Form 8872 Schedule A").alias("description"),
        )
    else:
        frame = ok.select(
            *common,
            pl.lit("expenditure").alias("kind"),
            pl.lit("committee").alias("source_kind"),
            pl.col("ein").alias("source_id"),
            pl.col("org_name").alias("source_name"),
            pl.col("purpose").alias("description"),
            pl.col("name").alias("recipient_name"),
            pl.col("party_city").alias("recipient_city"),
            pl.col("party_state").alias("recipient_state"),
            pl.col("party_zip").alias("recipient_zip"),
        )
    return frame, rejects


def _committees(orgs: pl.DataFrame, forms: pl.DataFrame) -> pl.DataFrame:
    """One committee per EIN: the latest-filed 8871/8872's name and mailing state."""
    cols = ["ein", "organization_name", "mailing_state", "insert_datetime"]
    both = pl.concat([orgs.select(cols), forms.select(cols)])
    latest = (
        both.filter(pl.col("ein").is_not_null())
        .sort("insert_datetime", nulls_last=False)
        .group_by("ein", maintain_order=True)
        .last()
        .sort("ein")
    )
    return latest.select(
        pl.col("ein").alias("committee_id"),
        pl.coalesce("organization_name", "ein").alias("name"),
        pl.lit("527").alias("kind"),
        pl.col("mailing_state").alias("state"),
        pl.lit(None, dtype=pl.String()).alias("party"),
        pl.lit(None, dtype=pl.String()).alias("candidate_id"),
        pl.lit(False).alias("inferred"),
    ).cast(COMMITTEES)  # type: ignore[arg-type]


def _with_keys(committees: pl.DataFrame, keys: pl.DataFrame) -> pl.DataFrame:
    """`committees` with their link keys as extra columns: `ein`, and `election_authority_ids`
    (`FL:70123; LA:LA-4455`: the state and the id its election office gave the 527)."""
    eains = (
        keys.filter(pl.col("key_kind").str.starts_with("eain:"))
        .group_by("committee_id", maintain_order=True)
        .agg(
            pl.format("{}:{}", pl.col("key_kind").str.strip_prefix("eain:"), "key")
            .str.join("; ")
            .alias("election_authority_ids")
        )
    )
    return committees.with_columns(pl.col("committee_id").alias("ein")).join(
        eains, on="committee_id", how="left"
    )


def _link_keys(committees: pl.DataFrame, orgs: pl.DataFrame, eains: pl.DataFrame) -> pl.DataFrame:
    ein = committees.select(
        "committee_id", pl.lit("ein").alias("key_kind"), pl.col("committee_id").alias("key")
    )
    eain = (
        eains.join(orgs.select("form_id", "ein"), on="form_id", how="inner")
        .filter(pl.col("election_authority_id").is_not_null())
        .select(
            pl.col("ein").alias("committee_id"),
            pl.format("eain:{}", pl.col("state_issued").fill_null("")).alias("key_kind"),
            pl.col("election_authority_id").alias("key"),
        )
    )
    return pl.concat([ein, eain]).unique(maintain_order=True).cast(LINK_KEYS)  # type: ignore[arg-type]


def read_irs(path: Path) -> FilingRead:
    """Read one IRS 8871/8872 bulk data file (see the module docstring).

    Raises:
        DataError: the file cannot be read.
    """
    file = str(path)
    text, replaced = read_text(path)
    records, rejects, rows_read = _records(physical_lines(text), file)
    parts: dict[str, pl.DataFrame] = {}
    all_rejects = [rejects]
    for kind in RECORD_TYPES:
        parts[kind], bad = _split(records, kind, file)
        all_rejects.append(bad)
    forms = _forms(parts["2"])
    sched_a, bad_a = _schedule(parts["A"], "A", forms, file)
    sched_b, bad_b = _schedule(parts["B"], "B", forms, file)
    all_rejects += [bad_a, bad_b]
    transactions = pl.concat([sched_a, sched_b], how="diagonal_relaxed").sort("line").drop("line")
    committees = _committees(parts["1"], forms)
    rejected = pl.concat(all_rejects).cast(REJECTS).sort("line")  # type: ignore[arg-type]
    report = file_report(file, "irs:8872", rows_read, rejected, replaced)
    keys = _link_keys(committees, parts["1"], parts["E"])
    return FilingRead(
        source=SOURCE,
        transactions=transactions,
        committees=_with_keys(committees, keys),
        link_keys=keys,
        rejects=rejected,
        reports=(report,),
    )
