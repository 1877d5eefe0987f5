"""Which transactions a query sees: counted rows, visible rows, and the rows of one entity.

Two selections underlie every query in this package:

* **visible** rows are ``filters.apply(ds.transactions)``: what row listings show. Memo rows are
  visible only when ``filters.include_memo`` is set.
* **counted** rows are the visible rows with ``memo == False`` (a null memo counts as false).
  Every total, count and statistic is computed over counted rows only, so a memo row never adds
  into a total, even when the filter shows it. Refunds are negative amounts and subtract.

The entity helpers here tie transactions to the entities the panes show:

* a *committee*'s rows are the contributions it received (``recipient_committee_id``) and
  everything it paid (``source_kind == "committee"`` and ``source_id`` is the committee);
* a *donor*'s rows are the contributions whose ``donor_key`` is the donor;
* a *candidate*'s rows are the contributions to the candidate's own committees
  (``committees.candidate_id``) and the independent expenditures naming the candidate;
* a *race*'s rows are the union of its candidates' rows.

Row listings are sorted by date, then ``transaction_id``, so they are deterministic.
"""

from __future__ import annotations

import polars as pl

from moneytrail.data.dataset import Dataset
from moneytrail.query.filters import Filters
from moneytrail.query.kinds import EntityName

Entity = EntityName

#: The order of every row listing.
ROW_ORDER: tuple[str, ...] = ("date", "transaction_id")

NOT_MEMO: pl.Expr = ~pl.col("memo").fill_null(False)
IS_CONTRIBUTION: pl.Expr = pl.col("kind") == "contribution"
IS_IE: pl.Expr = pl.col("kind") == "independent_expenditure"


def visible(ds: Dataset, filters: Filters) -> pl.LazyFrame:
    """The rows row listings show: the filtered transactions (memo rows only if included)."""
    return filters.apply(ds.transactions)


def counted(ds: Dataset, filters: Filters) -> pl.LazyFrame:
    """The rows totals are computed over: visible rows that are not memo rows."""
    return visible(ds, filters).filter(NOT_MEMO)


def paid_by(committee_id: str) -> pl.Expr:
    """Rows paid by the committee (any kind)."""
    return (pl.col("source_kind") == "committee") & (pl.col("source_id") == committee_id)


def received_by(committee_ids: list[str]) -> pl.Expr:
    """Contributions received by any of the committees."""
    return IS_CONTRIBUTION & pl.col("recipient_committee_id").is_in(committee_ids)


def candidate_committee_ids(ds: Dataset, candidate_ids: list[str]) -> list[str]:
    """The ids of the candidates' own committees, sorted (collects the small committees table)."""
    return (
        ds.committees.filter(pl.col("candidate_id").is_in(candidate_ids))
        .select("committee_id")
        .collect()
        .get_column("committee_id")
        .sort()
        .to_list()
    )


def race_candidate_ids(ds: Dataset, race_id: str) -> list[str]:
    """The ids of the race's candidates, sorted (collects the small candidates table)."""
    ids = (
        ds.candidates.filter(pl.col("race_id") == race_id)
        .select("candidate_id")
        .unique()
        .sort("candidate_id")
        .collect()
    )
    return ids.get_column("candidate_id").to_list()


def money_of_candidates(candidate_ids: list[str], committee_ids: list[str]) -> pl.Expr:
    """Rows that are money to these candidates' races: gifts to their committees, IEs on them."""
    return received_by(committee_ids) | (IS_IE & pl.col("candidate_id").is_in(candidate_ids))


def entity_predicate(ds: Dataset, entity: Entity, entity_id: str) -> pl.Expr:
    """A predicate selecting the transactions of one entity (see the module docstring).

    Collects the small committees/candidates tables when the entity is a race or candidate.
    """
    if entity == "donor":
        return IS_CONTRIBUTION & (pl.col("donor_key") == entity_id)
    if entity == "committee":
        return received_by([entity_id]) | paid_by(entity_id)
    candidate_ids = race_candidate_ids(ds, entity_id) if entity == "race" else [entity_id]
    committee_ids = candidate_committee_ids(ds, candidate_ids)
    return money_of_candidates(candidate_ids, committee_ids)


def rows_for(ds: Dataset, filters: Filters, entity: Entity, entity_id: str) -> pl.LazyFrame:
    """The visible rows of one entity, in date order (memo rows only if the filter shows them),
    with the names of what they name by id (`with_names`)."""
    rows = visible(ds, filters).filter(entity_predicate(ds, entity, entity_id))
    return with_names(ds, rows).sort(ROW_ORDER)


#: Columns `with_names` adds after the transaction columns.
NAME_COLUMNS: tuple[str, ...] = ("recipient_name", "candidate_name")


def with_names(ds: Dataset, rows: pl.LazyFrame) -> pl.LazyFrame:
    """Transaction rows plus the names of the committee and candidate they name by id:
    `recipient_name` (of `recipient_committee_id`) and `candidate_name` (of `candidate_id`), so
    a row listing reads without looking ids up. Row order is not kept: sort afterwards."""
    committees = ds.committees.select(
        pl.col("committee_id").alias("recipient_committee_id"),
        pl.col("name").alias("recipient_name"),
    ).unique("recipient_committee_id", keep="first")
    candidates = ds.candidates.select(
        "candidate_id", pl.col("name").alias("candidate_name")
    ).unique("candidate_id", keep="first")
    return rows.join(committees, on="recipient_committee_id", how="left").join(
        candidates, on="candidate_id", how="left"
    )


def counted_for(ds: Dataset, filters: Filters, entity: Entity, entity_id: str) -> pl.LazyFrame:
    """The counted rows of one entity, in date order."""
    return counted(ds, filters).filter(entity_predicate(ds, entity, entity_id)).sort(ROW_ORDER)


def from_fec_bulk(ds: Dataset) -> bool:
    """True when the dataset was read from FEC bulk files (its load report says so; no I/O).

    FEC-only views hang on this one test: the donors pane's default, the reconciliation.
    """
    return any(f.kind.startswith("fec:") for f in ds.report.files)
