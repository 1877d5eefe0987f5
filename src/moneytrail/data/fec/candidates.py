"""The candidate master (cn) as loaded candidates and the races they run in.

A race is one office, state, district and election year (CAND_OFFICE, CAND_OFFICE_ST,
CAND_OFFICE_DISTRICT, CAND_ELECTION_YR):

========  =================  ============================  =============
office    race_id            name                          jurisdiction
========  =================  ============================  =============
``H``     ``H-AZ-02-2016``   ``US House AZ-02 2016``       ``AZ-02``
``S``     ``S-AZ-2016``      ``US Senate AZ 2016``         ``AZ``
``P``     ``P-US-2016``      ``US President 2016``         ``US``
========  =================  ============================  =============

`stage` comes from the transactions' primary/general indicator (TRANSACTION_PGI: ``P``
primary, ``G`` general, ``R`` runoff, ``S`` special; a year may follow, ``P2016``): a race's
stage is the one naming the most counted money to its candidates' committees and about its
candidates (independent expenditures), see `race_stages`; ``general`` when none of its money
names a stage (``C`` convention, ``E`` recount, ``O`` other and blanks are not race stages);
`incumbent` is CAND_ICI = ``I`` (null when CAND_ICI is blank); `won` is unknown (null): cn
does not carry results. When several cycles list a candidate, the latest cycle's row wins.
"""

from __future__ import annotations

import polars as pl

from moneytrail.data.schema import CANDIDATES, RACES

OFFICES: dict[str, str] = {"H": "US House", "S": "US Senate", "P": "US President"}
#: TRANSACTION_PGI's first letter -> race stage (`moneytrail.data.schema.STAGES`).
ELECTION_STAGES: dict[str, str] = {"P": "primary", "G": "general", "R": "runoff", "S": "special"}
DEFAULT_STAGE = "general"


def _race_parts() -> dict[str, pl.Expr]:
    f = pl.col
    office = f("CAND_OFFICE").str.to_uppercase()
    state = f("CAND_OFFICE_ST").str.to_uppercase()
    district = f("CAND_OFFICE_DISTRICT").fill_null("00").str.zfill(2)
    year = f("CAND_ELECTION_YR")
    jurisdiction = (
        pl.when(office == "H")
        .then(pl.concat_str([state, district], separator="-"))
        .when(office == "S")
        .then(state)
        .otherwise(pl.lit("US"))
    )
    race_id = (
        pl.when(office.is_in(list(OFFICES)) & year.is_not_null())
        .then(pl.concat_str([office, jurisdiction, year], separator="-"))
        .otherwise(None)
    )
    name = pl.concat_str(
        [
            office.replace_strict(OFFICES, default=None),
            pl.when(office == "P").then(None).otherwise(jurisdiction),
            year,
        ],
        separator=" ",
        ignore_nulls=True,
    )
    return {
        "race_id": race_id,
        "name": name,
        "office": office.replace_strict(OFFICES, default=None),
        "state": pl.when(office == "P").then(None).otherwise(state),
        "jurisdiction": jurisdiction,
        "year": year.cast(pl.Int32, strict=False),
    }


def map_candidates(cn: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(candidates, races) from cn rows (with `cycle`)."""
    f = pl.col
    latest = (
        cn.filter(f("CAND_ID").is_not_null())
        .sort(["cycle", "line"], descending=[True, False], nulls_last=True)
        .unique("CAND_ID", keep="first", maintain_order=True)
        .sort("CAND_ID")
        .with_columns(**{f"_{k}": v for k, v in _race_parts().items()})
    )
    candidates = latest.select(
        f("CAND_ID").alias("candidate_id"),
        pl.coalesce(f("CAND_NAME"), f("CAND_ID")).alias("name"),
        f("CAND_PTY_AFFILIATION").alias("party"),
        f("_race_id").alias("race_id"),
        (f("CAND_ICI").str.to_uppercase() == "I").alias("incumbent"),
        pl.lit(None, dtype=pl.Boolean).alias("won"),
        pl.lit(False).alias("inferred"),
        f("cycle").cast(pl.Int32),
        f("CAND_ICI").alias("fec_incumbent_challenger"),
        f("CAND_STATUS").alias("fec_status"),
        f("CAND_PCC").alias("principal_committee_id"),
        f("CAND_CITY").alias("city"),
        f("CAND_ST").alias("mailing_state"),
    ).cast(CANDIDATES)  # type: ignore[arg-type]
    races = (
        latest.filter(f("_race_id").is_not_null())
        .select(
            f("_race_id").alias("race_id"),
            f("_name").alias("name"),
            f("_office").alias("office"),
            f("_state").alias("state"),
            f("_jurisdiction").alias("jurisdiction"),
            f("_year").alias("year"),
            pl.lit(DEFAULT_STAGE).alias("stage"),
            pl.lit(None, dtype=pl.Int64).alias("population"),
            pl.lit(None, dtype=pl.Int64).alias("median_household_income"),
            pl.lit(False).alias("inferred"),
        )
        .unique("race_id", keep="first")
        .sort("race_id")
        .cast(RACES)  # type: ignore[arg-type]
    )
    return candidates, races


def race_stages(
    tx: pl.LazyFrame, committees: pl.DataFrame, candidates: pl.DataFrame
) -> pl.DataFrame:
    """`race_id`, `stage` for races whose counted money names an election stage.

    Money to a candidate is a counted contribution to one of its committees (committees with
    `candidate_id`) or a counted independent expenditure naming it; each row's stage is its
    TRANSACTION_PGI (`ELECTION_STAGES`). The stage with the most money wins (ties: the stage
    name, alphabetically, so the result never depends on row order).
    """
    own = (
        committees.lazy()
        .filter(pl.col("candidate_id").is_not_null())
        .select(
            pl.col("committee_id").alias("recipient_committee_id"),
            pl.col("candidate_id").alias("_own_candidate"),
        )
    )
    races = candidates.lazy().select("candidate_id", "race_id")
    # The stage letter is mapped to its name after summing: `replace_strict` over every row
    # would make Polars' streaming engine hold the whole column (measured: 1.1 GB at 10M rows).
    letter = pl.col("fec_election").str.strip_chars().str.slice(0, 1).str.to_uppercase()
    stage = pl.col("_stage").replace_strict(ELECTION_STAGES, default=None)
    counted = tx.filter(~pl.col("memo")).with_columns(_stage=letter)
    money = pl.col("amount_cents").abs().sum().alias("_money")
    # Summed per committee (or candidate) and stage before any join: a few thousand rows, so
    # the joins never see the transactions (memory flat in the rows).
    to_committees = (
        counted.filter(pl.col("kind") == "contribution")
        .group_by("recipient_committee_id", "_stage")
        .agg(money)
        .with_columns(_stage=stage)
        .filter(pl.col("_stage").is_not_null())
        .join(own, on="recipient_committee_id", how="inner")
        .select(pl.col("_own_candidate").alias("candidate_id"), "_stage", "_money")
    )
    about = (
        counted.filter(pl.col("kind") == "independent_expenditure")
        .group_by("candidate_id", "_stage")
        .agg(money)
        .with_columns(_stage=stage)
        .filter(pl.col("_stage").is_not_null())
    )
    return (
        pl.concat([to_committees, about])
        .join(races, on="candidate_id", how="inner")
        .filter(pl.col("race_id").is_not_null())
        .group_by("race_id", "_stage")
        .agg(pl.col("_money").sum())
        .sort(["race_id", "_money", "_stage"], descending=[False, True, False])
        .unique("race_id", keep="first", maintain_order=True)
        .select("race_id", pl.col("_stage").alias("stage"))
        .collect(engine="streaming")
    )


def with_stages(races: pl.DataFrame, stages: pl.DataFrame) -> pl.DataFrame:
    """`races` with `stage` from `stages` where known, else `DEFAULT_STAGE`."""
    return (
        races.drop("stage")
        .join(stages, on="race_id", how="left", maintain_order="left")
        .with_columns(pl.col("stage").fill_null(DEFAULT_STAGE))
        .select(races.columns)
    )
