"""The normalized data model ("moneytrail tables") and its in-memory form.

Two shapes are defined here:

* the *file* columns a user writes (`transactions.csv` etc., documented in docs/data-model.md), and
* the *loaded* columns every reader (moneytrail tables, FEC bulk files) produces and every query
  consumes. They differ in one place on purpose: money is loaded as exact Int64 cents
  (`amount_cents`), never as floats, and the derived identity columns (`donor_key`) are added.

Any reader's output must have at least the loaded columns below with these dtypes; extra columns
from the input are kept after them.
"""

from __future__ import annotations

import polars as pl

TX_KINDS: tuple[str, ...] = ("contribution", "independent_expenditure", "expenditure")
SOURCE_KINDS: tuple[str, ...] = ("individual", "organization", "committee")
COMMITTEE_KINDS: tuple[str, ...] = (
    "candidate",
    "pac",
    "super_pac",
    "party",
    "527",
    "conduit",
    "other",
)
STAGES: tuple[str, ...] = ("primary", "general", "special", "runoff")
SUPPORT_OPPOSE: tuple[str, ...] = ("S", "O")

#: The table names a dataset folder may hold (as `<name>.csv` or `<name>.parquet`).
TABLE_NAMES: tuple[str, ...] = ("transactions", "committees", "candidates", "races")

# --- loaded (in-memory) schemas -------------------------------------------------------------

TRANSACTIONS: dict[str, pl.DataType] = {
    "transaction_id": pl.String(),
    "date": pl.Date(),
    # Exact money: dollars * 100. Negative = refund, void or chargeback.
    "amount_cents": pl.Int64(),
    "kind": pl.String(),  # one of TX_KINDS
    "source_kind": pl.String(),  # one of SOURCE_KINDS
    "source_id": pl.String(),  # the paying committee's committee_id when source_kind = committee
    "source_name": pl.String(),
    "source_city": pl.String(),
    "source_state": pl.String(),
    "source_zip": pl.String(),
    "source_employer": pl.String(),
    "source_occupation": pl.String(),
    "recipient_committee_id": pl.String(),
    "candidate_id": pl.String(),  # independent_expenditure: the candidate supported/opposed
    "support_oppose": pl.String(),  # "S" | "O" | null
    "memo": pl.Boolean(),  # shown, never added into totals
    "description": pl.String(),
    # Earmark provenance: the conduit (e.g. an ActBlue-style committee) the gift passed through.
    "conduit_committee_id": pl.String(),
    # Derived at load time (moneytrail.data.names): the donor identity this row's source belongs
    # to. Individuals: "I|<normalized name>|<zip5>"; organizations: "O|<normalized name>";
    # committees: "C|<committee_id>" (or "C|<normalized name>" when the id is missing).
    "donor_key": pl.String(),
}

COMMITTEES: dict[str, pl.DataType] = {
    "committee_id": pl.String(),
    "name": pl.String(),
    "kind": pl.String(),  # one of COMMITTEE_KINDS
    "state": pl.String(),
    "party": pl.String(),
    "candidate_id": pl.String(),  # set for a candidate's own committee
    "inferred": pl.Boolean(),  # created from a reference, not listed in the input
}

CANDIDATES: dict[str, pl.DataType] = {
    "candidate_id": pl.String(),
    "name": pl.String(),
    "party": pl.String(),
    "race_id": pl.String(),
    "incumbent": pl.Boolean(),
    "won": pl.Boolean(),
    "inferred": pl.Boolean(),
}

RACES: dict[str, pl.DataType] = {
    "race_id": pl.String(),
    "name": pl.String(),
    "office": pl.String(),
    "state": pl.String(),
    "jurisdiction": pl.String(),
    "year": pl.Int32(),
    "stage": pl.String(),  # one of STAGES
    "population": pl.Int64(),
    "median_household_income": pl.Int64(),  # whole dollars, approximate context figure
    "inferred": pl.Boolean(),
}

#: Every transaction and entity row also carries `SOURCE_COLUMN`, right after the loaded columns:
#: the name of the source that read it (``fec``, ``tables``, ``irs``, ...; see
#: `moneytrail.data.sources`). It is added when sources are combined, never by a reader.
SOURCE_COLUMN = "source"

#: The id columns of each loaded table: the ones `moneytrail.data.sources.combine` qualifies
#: with a ``<source>:`` prefix for sources whose ids must not collide with another's.
ID_COLUMNS: dict[str, tuple[str, ...]] = {
    "transactions": (
        "transaction_id",
        "source_id",
        "recipient_committee_id",
        "candidate_id",
        "conduit_committee_id",
    ),
    "committees": ("committee_id", "candidate_id"),
    "candidates": ("candidate_id", "race_id"),
    "races": ("race_id",),
}

#: Each entity table's own id column.
ENTITY_ID: dict[str, str] = {
    "committees": "committee_id",
    "candidates": "candidate_id",
    "races": "race_id",
}

#: Rows a reader could not load. Every unparsed input line lands here, never silently dropped.
REJECTS: dict[str, pl.DataType] = {
    "file": pl.String(),
    "line": pl.Int64(),  # 1-based physical line number in `file`
    "column": pl.String(),  # the offending column, or null when the whole row is malformed
    "reason": pl.String(),
    "raw": pl.String(),  # the raw line as read (lossily decoded)
}

LOADED_SCHEMAS: dict[str, dict[str, pl.DataType]] = {
    "transactions": TRANSACTIONS,
    "committees": COMMITTEES,
    "candidates": CANDIDATES,
    "races": RACES,
}


def empty_frame(schema: dict[str, pl.DataType]) -> pl.LazyFrame:
    """An empty LazyFrame with the given schema (e.g. for a dataset that has no races)."""
    return pl.LazyFrame(schema=schema)
