"""`complete_entities`: create the committees, candidates and races that rows refer to but no
table lists.

Transactions name committees and candidates by id; committees name candidates; candidates name
races. A dataset may leave some of those out (a folder with only `transactions.csv`, an FEC
extract without the committee master file). Rather than lose the money or fail, each missing
entity is created from what the rows say about it, marked `inferred=True`, and counted:

* **committees** referenced as `recipient_committee_id`, as `source_id` of a row whose
  `source_kind` is `committee`, or as `conduit_committee_id`. `name` is the `source_name` the
  committee most often paid under (ties: alphabetically first), else its id; `state` likewise
  from `source_state`; `kind` is `other`; `party` and `candidate_id` are null.
* **candidates** referenced as a transaction's `candidate_id` or a committee's `candidate_id`.
  `name` is the id (rows carry no candidate names); everything else is null.
* **races** referenced as a candidate's `race_id` (listed or inferred candidates). `name` is the
  id; everything else is null.

Ids are compared exactly; null and empty ids refer to nothing. Listed rows are returned first and
unchanged (extra columns kept), inferred rows after them. Only the small sets of missing ids are
collected; the returned frames stay lazy.
"""

from __future__ import annotations

import polars as pl

from moneytrail.data.schema import CANDIDATES, COMMITTEES, RACES


def _ids(frame: pl.LazyFrame, column: str, where: pl.Expr | None = None) -> pl.LazyFrame:
    """The non-empty values of `column` (optionally of the rows matching `where`) as `id`."""
    rows = frame if where is None else frame.filter(where)
    return rows.select(pl.col(column).alias("id")).filter(
        pl.col("id").is_not_null() & (pl.col("id") != "")
    )


def _missing(referenced: list[pl.LazyFrame], listed: pl.LazyFrame, key: str) -> pl.LazyFrame:
    """Referenced ids (deduplicated, sorted) that `listed` has no `key` row for."""
    return (
        pl.concat(referenced)
        .unique()
        .join(listed.select(pl.col(key).alias("id")), on="id", how="anti")
        .sort("id")
    )


def _most_frequent(rows: pl.LazyFrame, value: str) -> pl.LazyFrame:
    """Per `id`, the most frequent non-null `value` (ties: the smallest), as column `value`."""
    return (
        rows.filter(pl.col(value).is_not_null() & (pl.col(value) != ""))
        .group_by("id", value)
        .agg(pl.len().alias("n"))
        .sort(["id", "n", value], descending=[False, True, False])
        .group_by("id", maintain_order=True)
        .agg(pl.col(value).first())
    )


def _append(
    listed: pl.LazyFrame, inferred: pl.DataFrame, schema: dict[str, pl.DataType]
) -> pl.LazyFrame:
    """`listed` then `inferred` (cast to `schema`); listed extra columns are null for inferred."""
    typed = inferred.select([pl.col(c).cast(t) for c, t in schema.items()])
    if typed.height == 0:
        return listed
    return pl.concat([listed, typed.lazy()], how="diagonal_relaxed")


def complete_entities(
    transactions: pl.LazyFrame,
    committees: pl.LazyFrame,
    candidates: pl.LazyFrame,
    races: pl.LazyFrame,
) -> tuple[pl.LazyFrame, pl.LazyFrame, pl.LazyFrame, dict[str, int]]:
    """Add the referenced-but-unlisted entities (see the module docstring).

    Args:
        transactions: loaded transactions (at least the id and source columns used above).
        committees, candidates, races: the listed entities in the loaded schemas.

    Returns:
        `(committees, candidates, races, created)` where `created` counts the inferred rows:
        `{"committees": n, "candidates": n, "races": n}`.
    """
    tx = transactions
    paid_by_committee = pl.col("source_kind") == "committee"
    missing_committees = _missing(
        [
            _ids(tx, "recipient_committee_id"),
            _ids(tx, "source_id", paid_by_committee),
            _ids(tx, "conduit_committee_id"),
        ],
        committees,
        "committee_id",
    )
    as_source = tx.filter(paid_by_committee).select(
        pl.col("source_id").alias("id"), "source_name", "source_state"
    )
    new_committees_lazy = (
        missing_committees.join(_most_frequent(as_source, "source_name"), on="id", how="left")
        .join(_most_frequent(as_source, "source_state"), on="id", how="left")
        .select(
            pl.col("id").alias("committee_id"),
            pl.coalesce("source_name", "id").alias("name"),
            pl.lit("other").alias("kind"),
            pl.col("source_state").alias("state"),
            pl.lit(None, dtype=pl.String()).alias("party"),
            pl.lit(None, dtype=pl.String()).alias("candidate_id"),
            pl.lit(True).alias("inferred"),
        )
        .sort("committee_id")
    )
    # Inferred committees carry no candidate, so the listed committees are all that can name one.
    missing_candidates_lazy = _missing(
        [_ids(tx, "candidate_id"), _ids(committees, "candidate_id")],
        candidates,
        "candidate_id",
    )
    new_committees, missing_candidates = pl.collect_all(
        [new_committees_lazy, missing_candidates_lazy]
    )
    new_candidates = missing_candidates.select(
        pl.col("id").alias("candidate_id"),
        pl.col("id").alias("name"),
        pl.lit(None, dtype=pl.String()).alias("party"),
        pl.lit(None, dtype=pl.String()).alias("race_id"),
        pl.lit(None, dtype=pl.Boolean()).alias("incumbent"),
        pl.lit(None, dtype=pl.Boolean()).alias("won"),
        pl.lit(True).alias("inferred"),
    )
    # Inferred candidates carry no race, so only listed candidates can name a missing race.
    new_races = (
        _missing([_ids(candidates, "race_id")], races, "race_id")
        .select(
            pl.col("id").alias("race_id"),
            pl.col("id").alias("name"),
            *[
                pl.lit(None, dtype=RACES[c]).alias(c)
                for c in ("office", "state", "jurisdiction", "year", "stage")
            ],
            pl.lit(None, dtype=pl.Int64()).alias("population"),
            pl.lit(None, dtype=pl.Int64()).alias("median_household_income"),
            pl.lit(True).alias("inferred"),
        )
        .collect()
    )
    created = {
        "committees": new_committees.height,
        "candidates": new_candidates.height,
        "races": new_races.height,
    }
    return (
        _append(committees, new_committees, COMMITTEES),
        _append(candidates, new_candidates, CANDIDATES),
        _append(races, new_races, RACES),
        created,
    )
