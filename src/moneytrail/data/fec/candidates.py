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

`stage` is ``general`` (the bulk files do not split primaries from generals at race level);
`incumbent` is CAND_ICI = ``I`` (null when CAND_ICI is blank); `won` is unknown (null): cn
does not carry results. When several cycles list a candidate, the latest cycle's row wins.
"""

from __future__ import annotations

import polars as pl

from moneytrail.data.schema import CANDIDATES, RACES

OFFICES: dict[str, str] = {"H": "US House", "S": "US Senate", "P": "US President"}


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
            pl.lit("general").alias("stage"),
            pl.lit(None, dtype=pl.Int64).alias("population"),
            pl.lit(None, dtype=pl.Int64).alias("median_household_income"),
            pl.lit(False).alias("inferred"),
        )
        .unique("race_id", keep="first")
        .sort("race_id")
        .cast(RACES)  # type: ignore[arg-type]
    )
    return candidates, races
