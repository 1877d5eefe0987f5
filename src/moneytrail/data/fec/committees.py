"""The committee master (cm) and linkages (ccl) as loaded committees, with decoded kinds.

`kind` (one of `moneytrail.data.schema.COMMITTEE_KINDS`) is decided in this order:

1. ``conduit``: a known conduit (`KNOWN_CONDUITS` by id, `CONDUIT_NAME_RE` by name), or a PAC
   whose itemized rows in this dataset are mostly earmarks it forwarded (24T/24I); see
   `conduit_ids`. Committees that forward some earmarks but mostly do other things keep their
   kind and get ``forwards_earmarks = true``.
2. ``candidate``: CMTE_DSGN ``P`` (principal campaign committee) or ``A`` (authorized by a
   candidate), or CMTE_TP ``H``/``S``/``P`` (House, Senate, Presidential).
3. by CMTE_TP: ``O`` (independent-expenditure-only, "super PAC") and ``U`` (single-candidate
   independent expenditure) -> ``super_pac``; ``V``/``W`` (PAC with a non-contribution account,
   "hybrid PAC") -> ``super_pac``, its unlimited account being the super-PAC part;
   ``X``/``Y``/``Z`` (party, qualified or not, national party non-federal account) -> ``party``;
   ``N``/``Q`` (PAC, non-qualified or qualified) -> ``pac``; anything else (``C``
   communication cost, ``D`` delegate, ``E`` electioneering, ``I`` independent-expenditure
   filer that is not a committee, unknown) -> ``other``. The FEC has no "527" type: 527s
   that are not federal committees never appear in cm.

The FEC codes are kept (`fec_committee_type`, `fec_designation`) with a readable
`fec_kind_detail`. `candidate_id` is set only for candidate committees: CAND_ID of cm, else the
ccl linkage of the latest cycle that links it, with designation P, then A. When several cycles
list a committee, the latest cycle's row wins (one row per committee_id): its name, kind and
designation are the committee's, while its money keeps each row's own cycle.
"""

from __future__ import annotations

import polars as pl

from moneytrail.data.schema import COMMITTEES

#: Conduits known by id: ActBlue (Democratic), WinRed (Republican).
KNOWN_CONDUITS: dict[str, str] = {"C00401224": "ActBlue", "C00694323": "WinRed"}
CONDUIT_NAME_RE = r"(?i)^(ACTBLUE|WINRED|DEMOCRACY ENGINE)\b"

COMMITTEE_TYPES: dict[str, str] = {
    "C": "communication cost",
    "D": "delegate committee",
    "E": "electioneering communication",
    "H": "House candidate committee",
    "I": "independent expenditor (person or group)",
    "N": "PAC - nonqualified",
    "O": "independent expenditure-only (super PAC)",
    "P": "Presidential candidate committee",
    "Q": "PAC - qualified",
    "S": "Senate candidate committee",
    "U": "single-candidate independent expenditure",
    "V": "PAC with non-contribution account - nonqualified (hybrid)",
    "W": "PAC with non-contribution account - qualified (hybrid)",
    "X": "party - nonqualified",
    "Y": "party - qualified",
    "Z": "national party nonfederal account",
}
KIND_BY_TYPE: dict[str, str] = {
    "H": "candidate",
    "S": "candidate",
    "P": "candidate",
    "O": "super_pac",
    "U": "super_pac",
    "V": "super_pac",
    "W": "super_pac",
    "X": "party",
    "Y": "party",
    "Z": "party",
    "N": "pac",
    "Q": "pac",
}
DESIGNATIONS: dict[str, str] = {
    "A": "authorized by a candidate",
    "B": "lobbyist/registrant PAC",
    "D": "leadership PAC",
    "J": "joint fundraiser",
    "P": "principal campaign committee",
    "U": "unauthorized",
}

#: Extra committee columns, after the loaded ones.
EXTRA_COLUMNS: tuple[str, ...] = (
    "cycle",
    "fec_committee_type",
    "fec_designation",
    "fec_kind_detail",
    "forwards_earmarks",
    "treasurer",
    "city",
    "zip",
    "connected_org",
    "filing_frequency",
    "org_type",
)


def base_kind() -> pl.Expr:
    """The kind from CMTE_TP and CMTE_DSGN alone (steps 2-3 of the module docstring)."""
    tp = pl.col("CMTE_TP").str.to_uppercase()
    dsgn = pl.col("CMTE_DSGN").str.to_uppercase()
    return (
        pl.when(dsgn.is_in(["P", "A"]))
        .then(pl.lit("candidate"))
        .otherwise(tp.replace_strict(KIND_BY_TYPE, default="other"))
        .fill_null("other")
    )


def conduit_ids(transactions: pl.LazyFrame) -> pl.LazyFrame:
    """Committees that filed earmark forwardings (24T/24I), with `mostly_forwarding`.

    Returns `committee_id`, `mostly_forwarding` (more than half the committee's own itemized
    rows in the dataset are forwardings).
    """
    filed = transactions.filter(pl.col("fec_kind").is_in(["itcont", "itoth", "itpas2"]))
    return (
        filed.group_by(pl.col("fec_committee_id").alias("committee_id"))
        .agg(
            forwarded=(pl.col("memo_reason") == "earmark_forwarded").sum(),
            rows=pl.len(),
        )
        .filter(pl.col("forwarded") > 0)
        .select(
            "committee_id", (pl.col("forwarded") * 2 > pl.col("rows")).alias("mostly_forwarding")
        )
    )


def map_committees(cm: pl.DataFrame, ccl: pl.DataFrame, forwarders: pl.DataFrame) -> pl.DataFrame:
    """Loaded committees from cm rows (with `cycle`), ccl rows and `conduit_ids` output."""
    f = pl.col
    links = (
        ccl.filter(f("CMTE_DSGN").is_in(["P", "A"]) & f("CAND_ID").is_not_null())
        .with_columns(_rank=pl.when(f("CMTE_DSGN") == "P").then(0).otherwise(1))
        .sort(
            ["CMTE_ID", "cycle", "_rank", "CAND_ELECTION_YR"],
            descending=[False, True, False, True],
            nulls_last=True,
        )
        .unique("CMTE_ID", keep="first", maintain_order=True)
        .select(f("CMTE_ID"), f("CAND_ID").alias("_linked_candidate"))
    )
    latest = (
        cm.filter(f("CMTE_ID").is_not_null())
        .sort(["cycle", "line"], descending=[True, False], nulls_last=True)
        .unique("CMTE_ID", keep="first", maintain_order=True)
        .sort("CMTE_ID")
    )
    known = f("CMTE_ID").is_in(list(KNOWN_CONDUITS)) | f("CMTE_NM").str.contains(
        CONDUIT_NAME_RE
    ).fill_null(False)
    kind0 = base_kind()
    is_conduit = known | (
        f("mostly_forwarding").fill_null(False) & kind0.is_in(["pac", "other", "super_pac"])
    )
    kind = pl.when(is_conduit).then(pl.lit("conduit")).otherwise(kind0)
    tp = f("CMTE_TP").str.to_uppercase()
    dsgn = f("CMTE_DSGN").str.to_uppercase()
    detail = pl.concat_str(
        [
            tp.replace_strict(COMMITTEE_TYPES, default=None),
            dsgn.replace_strict(DESIGNATIONS, default=None),
        ],
        separator="; ",
        ignore_nulls=True,
    )
    out = (
        latest.join(links, on="CMTE_ID", how="left")
        .join(forwarders.rename({"committee_id": "CMTE_ID"}), on="CMTE_ID", how="left")
        .with_columns(_kind=kind)
        .select(
            f("CMTE_ID").alias("committee_id"),
            pl.coalesce(f("CMTE_NM"), f("CMTE_ID")).alias("name"),
            f("_kind").alias("kind"),
            f("CMTE_ST").alias("state"),
            f("CMTE_PTY_AFFILIATION").alias("party"),
            pl.when(f("_kind") == "candidate")
            .then(pl.coalesce(f("CAND_ID"), f("_linked_candidate")))
            .otherwise(None)
            .alias("candidate_id"),
            pl.lit(False).alias("inferred"),
            f("cycle").cast(pl.Int32),
            tp.alias("fec_committee_type"),
            dsgn.alias("fec_designation"),
            pl.when(detail == "").then(None).otherwise(detail).alias("fec_kind_detail"),
            f("mostly_forwarding").is_not_null().alias("forwards_earmarks"),
            f("TRES_NM").alias("treasurer"),
            f("CMTE_CITY").alias("city"),
            f("CMTE_ZIP").alias("zip"),
            f("CONNECTED_ORG_NM").alias("connected_org"),
            f("CMTE_FILING_FREQ").alias("filing_frequency"),
            f("ORG_TP").alias("org_type"),
        )
    )
    return out.cast(COMMITTEES)  # type: ignore[arg-type]
