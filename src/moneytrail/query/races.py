"""The races pane: each race's candidates, the money they raised and the outside money.

Over counted rows (see `moneytrail.query.selection`), per candidate:

* ``raised_cents``: contributions to the candidate's own committees (committees whose
  ``candidate_id`` is the candidate), from any source (individuals, organizations, committees);
* ``ie_support_cents`` / ``ie_oppose_cents``: independent expenditures whose ``candidate_id`` is
  the candidate, by ``support_oppose`` (``S``/``O``);

The three are separate figures (docs/figures.md) and are never added up: outside money against a
candidate is not money the candidate had. A race's figures are the sums over its candidates
(``candidates`` counts them). Every listed candidate and race appears, with zeros when nothing is
counted, except in `race_candidates` (a race's own list), which leaves out candidates without
money (`HAS_MONEY`) unless asked for all. `races` is sorted by ``raised_cents`` descending, then
``name``, then ``race_id``; `candidates` and `race_candidates` likewise by ``raised_cents``,
``name``, ``candidate_id``.
When no filter is active and ``ds.aggregates["races"]`` (or ``["candidates"]``) exists, exactly
this result for ``Filters()``, it is used instead of scanning the transactions.
"""

from __future__ import annotations

import polars as pl

from moneytrail.data.dataset import Dataset
from moneytrail.query.filters import Filters
from moneytrail.query.search import apply_search
from moneytrail.query.selection import IS_CONTRIBUTION, IS_IE, counted

MONEY: tuple[str, ...] = ("raised_cents", "ie_support_cents", "ie_oppose_cents")
#: The figure races and candidates are ranked by.
RANK_BY = "raised_cents"

CANDIDATE_COLUMNS: tuple[str, ...] = (
    "candidate_id",
    "name",
    "party",
    "race_id",
    "race_name",
    "incumbent",
    "won",
    *MONEY,
)
RACE_COLUMNS: tuple[str, ...] = (
    "race_id",
    "name",
    "office",
    "state",
    "jurisdiction",
    "year",
    "stage",
    "candidates",
    *MONEY,
)
RACE_CANDIDATE_COLUMNS: tuple[str, ...] = (
    "candidate_id",
    "name",
    "party",
    "incumbent",
    "won",
    *MONEY,
)


#: A race or candidate row with money under the filters (raised, or outside money either way).
#: Scripts (`summary`, `show`) list only these when a filter is active; the pane lists every race.
HAS_MONEY: pl.Expr = pl.any_horizontal(pl.col(c) != 0 for c in MONEY)


def _sum_where(cond: pl.Expr) -> pl.Expr:
    return pl.col("amount_cents").filter(cond).sum()


def candidate_table(ds: Dataset, rows: pl.LazyFrame, candidates: pl.LazyFrame) -> pl.LazyFrame:
    """The candidates table for `candidates` over counted `rows` (unsorted)."""
    own = ds.committees.filter(pl.col("candidate_id").is_not_null()).select(
        "committee_id", pl.col("candidate_id").alias("own_candidate_id")
    )
    raised = (
        rows.filter(IS_CONTRIBUTION)
        .join(own, left_on="recipient_committee_id", right_on="committee_id", how="inner")
        .group_by(pl.col("own_candidate_id").alias("candidate_id"))
        .agg(raised_cents=pl.col("amount_cents").sum())
    )
    outside = (
        rows.filter(IS_IE & pl.col("candidate_id").is_not_null())
        .group_by("candidate_id")
        .agg(
            ie_support_cents=_sum_where(pl.col("support_oppose") == "S"),
            ie_oppose_cents=_sum_where(pl.col("support_oppose") == "O"),
        )
    )
    race_names = ds.races.select("race_id", pl.col("name").alias("race_name"))
    return (
        candidates.select("candidate_id", "name", "party", "race_id", "incumbent", "won")
        .join(race_names, on="race_id", how="left")
        .join(raised, on="candidate_id", how="left")
        .join(outside, on="candidate_id", how="left")
        .with_columns(pl.col(*MONEY).fill_null(0).cast(pl.Int64))
        .select(CANDIDATE_COLUMNS)
    )


def ranked(frame: pl.LazyFrame, id_col: str) -> pl.LazyFrame:
    """Races or candidates in list order: most raised (`RANK_BY`) first, then name, then id."""
    return frame.sort([RANK_BY, "name", id_col], descending=[True, False, False], nulls_last=True)


def candidates(
    ds: Dataset, filters: Filters | None = None, *, search: str | None = None
) -> pl.LazyFrame:
    """Every candidate with money raised and outside money for and against, most raised first."""
    filters = filters or Filters()
    cached = ds.aggregates.get("candidates")
    if filters.is_default and cached is not None:
        return apply_search(cached, "name", search)
    table = candidate_table(ds, counted(ds, filters), ds.candidates)
    return ranked(apply_search(table, "name", search), "candidate_id")


def race_candidates(
    ds: Dataset, filters: Filters | None, race_id: str, *, all_candidates: bool = False
) -> pl.LazyFrame:
    """The candidates of one race with money (`HAS_MONEY`), most raised first.

    A race lists every filed candidate, most of whom raise nothing; they are left out unless
    `all_candidates`. Empty for an unknown race.
    """
    rows = candidates(ds, filters).filter(pl.col("race_id") == race_id)
    if not all_candidates:
        rows = rows.filter(HAS_MONEY)
    return rows.select(RACE_CANDIDATE_COLUMNS)


def race_table(ds: Dataset, candidate_rows: pl.LazyFrame, races: pl.LazyFrame) -> pl.LazyFrame:
    """The races table for `races` from a candidates table (unsorted)."""
    per_race = candidate_rows.group_by("race_id").agg(
        pl.len().alias("candidates"), *[pl.col(c).sum() for c in MONEY]
    )
    return (
        races.select("race_id", "name", "office", "state", "jurisdiction", "year", "stage")
        .join(per_race, on="race_id", how="left")
        .with_columns(
            pl.col("candidates").fill_null(0).cast(pl.UInt32),
            pl.col(*MONEY).fill_null(0).cast(pl.Int64),
        )
        .select(RACE_COLUMNS)
    )


def races(
    ds: Dataset, filters: Filters | None = None, *, search: str | None = None
) -> pl.LazyFrame:
    """Every race with its candidates' money and the outside money, most raised first.

    Args:
        ds: the dataset.
        filters: global filters (default: none).
        search: whole-word, case-insensitive match on the race name.
    """
    filters = filters or Filters()
    cached = ds.aggregates.get("races")
    if filters.is_default and cached is not None:
        return apply_search(cached, "name", search)
    table = race_table(ds, candidate_table(ds, counted(ds, filters), ds.candidates), ds.races)
    return ranked(apply_search(table, "name", search), "race_id")
