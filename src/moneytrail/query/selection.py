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

Where an entity's rows are read from (`entity_rows`) is decided once, here: a donor's rows and a
committee's payments from ``ds.transactions`` (clustered by ``donor_key``, and a committee that
pays is the donor ``C|<id>``) through `Dataset.donor_rows`, which reads only the stored part
that holds the key when the cache knows it; a committee's, candidate's or race's received rows from
``ds.by_recipient`` when the cache stores it (clustered by ``recipient_committee_id``), and the
independent expenditures naming a candidate from the stored ``ie_rows`` aggregate when there is
one. Each source then reads only the few row groups whose statistics can hold the entity.
"""

from __future__ import annotations

import polars as pl

from moneytrail.data.dataset import Dataset
from moneytrail.data.names import donor_key
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


#: The aggregate holding every independent-expenditure row, every column (`pane_aggregates`).
IE_ROWS = "ie_rows"


def received_table(ds: Dataset) -> pl.LazyFrame:
    """The transactions to read rows *received* by given committees from.

    ``ds.by_recipient`` (the same rows clustered by ``recipient_committee_id``) when stored, so a
    committee's or race's receipts come from a few row groups; else ``ds.transactions``.
    """
    return ds.by_recipient if ds.by_recipient is not None else ds.transactions


def ie_table(ds: Dataset) -> pl.LazyFrame:
    """Every independent-expenditure row: the stored `IE_ROWS` aggregate, else a scan."""
    stored = ds.aggregates.get(IE_ROWS)
    return stored if stored is not None else ds.transactions.filter(IS_IE)


def committee_rows(ds: Dataset, committee_id: str) -> pl.LazyFrame:
    """Every row of one committee (received or paid; unfiltered, in no order).

    With ``by_recipient`` stored, the receipts come from it and the payments from the
    transactions' ``donor_key`` clusters (`paid_by` rows have the donor key of the committee);
    a row both received and paid by the committee is read once.
    """
    mine = received_by([committee_id])
    if ds.by_recipient is None:
        return ds.transactions.filter(mine | paid_by(committee_id))
    received = ds.by_recipient.filter(mine)
    return pl.concat([received, committee_paid_rows(ds, committee_id)], how="diagonal")


def committee_paid_rows(ds: Dataset, committee_id: str) -> pl.LazyFrame:
    """The rows one committee paid and did not receive itself (unfiltered, in no order), read
    from the transactions' cluster of its donor key (a committee that pays is the donor
    ``C|<id>``)."""
    key = donor_key("committee", None, None, committee_id)
    not_mine = ~received_by([committee_id]).fill_null(False)
    return ds.donor_rows(key).filter(paid_by(committee_id) & not_mine)


def candidates_rows(
    ds: Dataset, candidate_ids: list[str], committee_ids: list[str]
) -> pl.LazyFrame:
    """The rows of `money_of_candidates` (unfiltered, in no order), read from the tables that
    hold them clustered (see the module docstring)."""
    if ds.by_recipient is None and IE_ROWS not in ds.aggregates:
        return ds.transactions.filter(money_of_candidates(candidate_ids, committee_ids))
    # Disjoint parts: a received row is a contribution, an IE row is not.
    received = received_table(ds).filter(received_by(committee_ids))
    ies = ie_table(ds).filter(IS_IE & pl.col("candidate_id").is_in(candidate_ids))
    return pl.concat([received, ies], how="diagonal")


def entity_rows(ds: Dataset, entity: Entity, entity_id: str) -> pl.LazyFrame:
    """The rows of one entity (`entity_predicate`'s rows; unfiltered, in no order), each read
    from the table that holds it clustered (see the module docstring).

    Collects the small committees/candidates tables when the entity is a race or candidate.
    """
    if entity == "donor":
        return ds.donor_rows(entity_id).filter(entity_predicate(ds, entity, entity_id))
    if entity == "committee":
        return committee_rows(ds, entity_id)
    candidate_ids = race_candidate_ids(ds, entity_id) if entity == "race" else [entity_id]
    return candidates_rows(ds, candidate_ids, candidate_committee_ids(ds, candidate_ids))


def rows_for(ds: Dataset, filters: Filters, entity: Entity, entity_id: str) -> pl.LazyFrame:
    """The visible rows of one entity, in date order (memo rows only if the filter shows them),
    with the names of what they name by id (`with_names`)."""
    rows = filters.apply(entity_rows(ds, entity, entity_id))
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
    rows = filters.apply(entity_rows(ds, entity, entity_id)).filter(NOT_MEMO)
    return rows.sort(ROW_ORDER)


def from_fec_bulk(ds: Dataset) -> bool:
    """True when the dataset was read from FEC bulk files (its load report says so; no I/O).

    FEC-only views hang on this one test: the donors pane's default, the reconciliation.
    """
    return any(f.kind.startswith("fec:") for f in ds.report.files)
