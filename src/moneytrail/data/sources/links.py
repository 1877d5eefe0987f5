"""Linking one committee across filing systems, and counting money between them once.

A 527 reports to the IRS a payment "to FLORIDA SAFETY AND JUSTICE, Tallahassee FL"; the Florida
PAC reports to the state a receipt "from SAFETY AND JUSTICE, Washington DC". Neither filing
names the other's id. This module finds such pairs so tracing can cross from one system to the
other, and counts the money once.

Contract (`link`):

1. **Names to committees.** A counterparty written as a name (a contribution's contributor that
   is not a committee; an expenditure's payee, `recipient_name`) is linked to a committee when
   its *link name* (`link_name`: the organization-name normalization of
   `moneytrail.data.names`, `&` read as `AND`, a trailing `PAC`/`INC`/`LLC` word and the
   Florida filer codes such as `(PAC)` dropped) and its state equal exactly one committee's
   link name and state. Candidates' own committees are never linked by name (a person who gives
   to a committee named after him is still a person). A contribution whose contributor links
   becomes `source_kind` committee with that `source_id`; an expenditure whose payee links
   becomes a `contribution` to that committee. The row's `link_reason` says why
   (`same name "FLORIDA SAFETY AND JUSTICE" and state FL`), `link_status`
   whether the rule (`auto`) or the user (`confirmed`) made it, and `link_side` which party
   was linked (`contributor` or `payee`); rows that were not linked keep them null.
2. **Decisions.** A user's decisions (`Decision`, saved beside the dataset by `save_decision`
   in `DECISIONS_FILE`) override the rule: `break` removes a link for that name and state,
   `confirm` makes one (also where the rule saw none, or saw several candidates).
3. **Money once.** After linking, a payment between two committees can be in both their
   reports: the giver's (`filed_by` = giver) and the recipient's (`filed_by` = recipient).
   Such copies are paired on giver, recipient and amount (dates may differ: sent vs
   received), one to one in date order; the recipient's report counts and the giver's copy
   becomes `memo` with `memo_reason` `reported_by_recipient` (the FEC rule of the same name),
   each row of a pair naming the other in `linked_transaction_id`.
4. `links_table` lists every name link from those columns: source, name and state as
   written, the committee, how many rows, why, and whether it is `auto` or `confirmed`
   (computed from the rows, so a cached dataset has it too).

Pure Polars: joins over the whole frame, no per-row Python.
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Final, Literal

import polars as pl

from moneytrail.data.errors import DataError
from moneytrail.data.names import normalize_org_expr

#: The file (in the dataset's folder) holding the user's link decisions.
DECISIONS_FILE: Final = "moneytrail-links.csv"
DECISION_COLUMNS: Final = ("name", "state", "committee_id", "decision")

REPORTED_BY_RECIPIENT: Final = "reported_by_recipient"

#: The columns of `links_table`.
LINKS: Final[dict[str, pl.DataType]] = {
    "source": pl.String(),  # the filing system of the rows that named the committee
    "name": pl.String(),  # the name as those rows write it
    "state": pl.String(),
    "committee_id": pl.String(),  # the committee the name was linked to, as written
    "committee_source": pl.String(),  # its filing system (null: a federal id)
    "rows": pl.Int64(),
    "reason": pl.String(),  # why the link was made
    "status": pl.String(),  # "auto" | "confirmed"
}


_DROPPED_TAIL: Final = r"(?:\s+(?:PAC|INC|LLC))+$"


@dataclass(frozen=True, slots=True)
class Decision:
    """A user's verdict on linking a name (in a state) to a committee."""

    name: str
    state: str
    committee_id: str
    decision: Literal["confirm", "break"]


def link_name(name: pl.Expr) -> pl.Expr:
    """The name two filings must share for a link (see the module docstring)."""
    without_codes = name.str.replace(r"(?:\s*\([A-Z0-9/ ]{1,5}\))+\s*$", "")
    normalized = normalize_org_expr(without_codes.str.replace_all("&", " AND ", literal=True))
    return normalized.str.replace(_DROPPED_TAIL, "").str.strip_chars()


def _state(col: pl.Expr) -> pl.Expr:
    return col.str.strip_chars().str.to_uppercase().fill_null("")


def decisions_folder(path: Path) -> Path:
    """Where the link decisions of the data at `path` live: the folder, or a file's folder."""
    return path if path.is_dir() else path.parent


def load_decisions(folder: Path) -> list[Decision]:
    """The decisions saved in `folder` (none when there is no decisions file).

    Raises:
        DataError: the file exists but is not a decisions file.
    """
    path = folder / DECISIONS_FILE
    if not path.is_file():
        return []
    try:
        with path.open(newline="", encoding="utf-8") as fh:
            rows = list(csv.DictReader(fh))
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise DataError(f"cannot read link decisions ({exc})", path=str(path)) from None
    out: list[Decision] = []
    for number, row in enumerate(rows, start=2):
        verdict = (row.get("decision") or "").strip().lower()
        if verdict not in ("confirm", "break") or not row.get("committee_id"):
            raise DataError(
                "expected columns name,state,committee_id,decision (confirm or break)",
                path=str(path),
                line=number,
            )
        out.append(
            Decision(
                name=row.get("name") or "",
                state=(row.get("state") or "").strip().upper(),
                committee_id=row["committee_id"],
                decision=verdict,  # type: ignore[arg-type]
            )
        )
    return out


def save_decision(folder: Path, decision: Decision) -> Path:
    """Add `decision` to `folder`'s decisions file (a later decision on the same name, state
    and committee replaces an earlier one); returns the file's path.

    Raises:
        DataError: `folder` is the bundled sample, which ships with moneytrail and is never
            written to (copy its folder and open the copy to decide on its links).
    """
    from moneytrail.paths import sample_dataset_path

    if folder.resolve() == sample_dataset_path().resolve():
        raise DataError(
            "the bundled sample is read-only: copy its folder and open the copy to confirm or "
            "break its links",
            path=str(folder),
        )
    kept = [
        d
        for d in load_decisions(folder)
        if (d.name, d.state, d.committee_id)
        != (decision.name, decision.state.upper(), decision.committee_id)
    ]
    path = folder / DECISIONS_FILE
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(DECISION_COLUMNS)
        for d in [*kept, decision]:
            writer.writerow([d.name, d.state.upper(), d.committee_id, d.decision])
    return path


def _index(committees: pl.DataFrame, decisions: list[Decision]) -> pl.DataFrame:
    """(`_key`, `_st`) -> the one committee (`_cid`, `_cname`) a name may link to, `_status`."""
    nameable = committees.filter(pl.col("kind") != "candidate").select(
        link_name(pl.col("name")).alias("_key"),
        _state(pl.col("state")).alias("_st"),
        pl.col("committee_id").alias("_cid"),
        pl.col("name").alias("_cname"),
    )
    auto = (
        nameable.filter(pl.col("_key") != "")
        .unique(["_key", "_st", "_cid"])
        .filter(pl.len().over("_key", "_st") == 1)
        .with_columns(pl.lit("auto").alias("_status"))
    )
    if not decisions:
        return auto
    verdicts = pl.DataFrame(
        {
            "_name": [d.name for d in decisions],
            "_st": [d.state for d in decisions],
            "_cid": [d.committee_id for d in decisions],
            "_decision": [d.decision for d in decisions],
        },
        schema={"_name": pl.String, "_st": pl.String, "_cid": pl.String, "_decision": pl.String},
    ).with_columns(link_name(pl.col("_name")).alias("_key"))
    broken = verdicts.filter(pl.col("_decision") == "break").select("_key", "_st", "_cid")
    names = committees.select(pl.col("committee_id").alias("_cid"), pl.col("name").alias("_cname"))
    confirmed = (
        verdicts.filter(pl.col("_decision") == "confirm")
        .join(names, on="_cid", how="left")
        .select(
            "_key",
            "_st",
            "_cid",
            pl.coalesce("_cname", "_cid").alias("_cname"),
            pl.lit("confirmed").alias("_status"),
        )
    )
    kept = auto.join(broken, on=["_key", "_st", "_cid"], how="anti").join(
        confirmed.select("_key", "_st"), on=["_key", "_st"], how="anti"
    )
    return pl.concat([kept, confirmed.unique(["_key", "_st"], keep="last")])


def _why(name: pl.Expr, state: pl.Expr) -> pl.Expr:
    return (
        pl.when(pl.col("_status") == "confirmed")
        .then(pl.format("confirmed by the user: {} ({})", name, state))
        .otherwise(pl.format('same name "{}" and state {}', pl.col("_key"), pl.col("_st")))
    )


def _with_columns(tx: pl.DataFrame) -> pl.DataFrame:
    """`tx` with every column linking reads, as strings (absent ones null)."""
    text = (
        "source_id",
        "source_name",
        "source_state",
        "recipient_committee_id",
        "recipient_name",
        "recipient_state",
        "filed_by",
        "memo_reason",
        "source",
    )
    return tx.with_columns(
        [(pl.col(c) if c in tx.columns else pl.lit(None)).cast(pl.String()).alias(c) for c in text]
    )


def _resolved(decisions: list[Decision], committees: pl.DataFrame) -> list[Decision]:
    """`decisions` with each committee id as the dataset holds it: a user types the id as the
    filing writes it (`990000001`), the dataset may hold it qualified (`irs:990000001`)."""
    held = committees.get_column("committee_id").drop_nulls().to_list()
    known = set(held)
    out = []
    for d in decisions:
        if d.committee_id not in known:
            matches = [c for c in held if c.split(":", 1)[-1] == d.committee_id]
            if len(matches) == 1:
                d = Decision(d.name, d.state, matches[0], d.decision)
        out.append(d)
    return out


def _matches(
    rows: pl.DataFrame, index: pl.DataFrame, *, name: str, state: str, own: str
) -> pl.DataFrame:
    """`rows` (`_rid`, ...) whose `name` and `state` link to a committee of `index` other than
    the row's own (`own`), with why (`_why`). The link name is computed once per distinct name
    and state (a state's export repeats its donors' names millions of times), then joined back."""
    pairs = rows.select(name, state).unique()
    keyed = pairs.with_columns(
        link_name(pl.col(name)).alias("_key"), _state(pl.col(state)).alias("_st")
    ).join(index, on=["_key", "_st"], how="inner")
    return (
        rows.select("_rid", "source", name, state, pl.col(own).alias("_self"))
        .join(keyed, on=[name, state], how="inner", nulls_equal=True)
        .filter(pl.col("_cid") != pl.col("_self").fill_null(""))
        .with_columns(_why(pl.col(name), pl.col("_st")).alias("_why"))
        .drop(name, state)
    )


def link(
    transactions: pl.DataFrame,
    committees: pl.DataFrame,
    decisions: list[Decision] | None = None,
    *,
    only_sources: Sequence[str] | None = None,
) -> pl.DataFrame:
    """`transactions` with names linked and pairs counted once (steps 1-3).

    Args:
        transactions: loaded transaction columns of every source, plus the readers' extras.
        committees: every source's committees (loaded `COMMITTEES` columns).
        decisions: the user's link decisions (`load_decisions`).
        only_sources: link only the names in rows of these sources (`source` column); the
            FEC's and moneytrail tables' rows name committees by id already.
    """
    index = _index(committees, _resolved(decisions or [], committees))
    tx = _with_columns(transactions).with_row_index("_rid")
    eligible = (
        pl.col("source").is_in(list(only_sources)) if only_sources is not None else pl.lit(True)
    )
    # Payees of expenditures, and contributors that are not (yet) committees.
    payee = _matches(
        tx.filter(
            eligible
            & (pl.col("kind") == "expenditure")
            & pl.col("recipient_committee_id").is_null()
            & pl.col("recipient_name").is_not_null()
        ),
        index,
        name="recipient_name",
        state="recipient_state",
        own="source_id",
    )
    giver = _matches(
        tx.filter(
            eligible
            & (pl.col("kind") == "contribution")
            & pl.col("source_kind").is_in(["individual", "organization"])
            & pl.col("source_name").is_not_null()
        ),
        index,
        name="source_name",
        state="source_state",
        own="recipient_committee_id",
    )
    linked = (
        tx.join(
            payee.select(
                "_rid",
                pl.col("_cid").alias("_to"),
                pl.col("_why").alias("_why_to"),
                pl.col("_status").alias("_status_to"),
            ),
            on="_rid",
            how="left",
        )
        .join(
            giver.select(
                "_rid",
                pl.col("_cid").alias("_from"),
                pl.col("_why").alias("_why_from"),
                pl.col("_status").alias("_status_from"),
            ),
            on="_rid",
            how="left",
        )
        .with_columns(
            pl.when(pl.col("_to").is_not_null())
            .then(pl.lit("contribution"))
            .otherwise(pl.col("kind"))
            .alias("kind"),
            pl.coalesce("_to", "recipient_committee_id").alias("recipient_committee_id"),
            pl.when(pl.col("_from").is_not_null())
            .then(pl.lit("committee"))
            .otherwise(pl.col("source_kind"))
            .alias("source_kind"),
            pl.coalesce("_from", "source_id").alias("source_id"),
            pl.coalesce("_why_to", "_why_from").alias("link_reason"),
            pl.coalesce("_status_to", "_status_from").alias("link_status"),
            pl.when(pl.col("_to").is_not_null())
            .then(pl.lit("payee"))
            .when(pl.col("_from").is_not_null())
            .then(pl.lit("contributor"))
            .alias("link_side"),
        )
        .drop("_to", "_why_to", "_status_to", "_from", "_why_from", "_status_from")
    )
    return _pairs(linked).drop("_rid")


def _pairs(tx: pl.DataFrame) -> pl.DataFrame:
    """Mark the giver's copy of each payment both committees reported (see step 3)."""
    between = (
        ~pl.col("memo").fill_null(False)
        & (pl.col("kind") == "contribution")
        & (pl.col("source_kind") == "committee")
        & pl.col("source_id").is_not_null()
        & pl.col("recipient_committee_id").is_not_null()
        & pl.col("filed_by").is_not_null()
    )
    key = ["source_id", "recipient_committee_id", "amount_cents"]
    rows = tx.filter(between).select("_rid", "transaction_id", "date", "filed_by", *key)
    # Each side's copies of a (giver, recipient, amount) numbered in date order: pairs by number.
    by_giver, by_recipient = (
        rows.filter(pl.col("filed_by") == pl.col(side))
        .sort("date", "_rid", nulls_last=True)
        .with_columns(pl.int_range(pl.len()).over(key).alias("_n"))
        for side in ("source_id", "recipient_committee_id")
    )
    pairs = by_giver.join(by_recipient, on=[*key, "_n"], how="inner", suffix="_r").select(
        pl.col("_rid").alias("_giver"),
        pl.col("transaction_id").alias("_giver_tx"),
        pl.col("_rid_r").alias("_recipient"),
        pl.col("transaction_id_r").alias("_recipient_tx"),
    )
    other = pl.concat(
        [
            pairs.select(pl.col("_giver").alias("_rid"), pl.col("_recipient_tx").alias("_other")),
            pairs.select(pl.col("_recipient").alias("_rid"), pl.col("_giver_tx").alias("_other")),
        ]
    )
    giver_copy = pl.col("_rid").is_in(pairs.get_column("_giver").implode())
    return (
        tx.join(other, on="_rid", how="left")
        .with_columns(
            (pl.col("memo").fill_null(False) | giver_copy).alias("memo"),
            pl.when(giver_copy)
            .then(pl.lit(REPORTED_BY_RECIPIENT))
            .otherwise(pl.col("memo_reason"))
            .alias("memo_reason"),
            pl.col("_other").alias("linked_transaction_id"),
        )
        .drop("_other")
    )


def link_dataset(
    transactions: pl.LazyFrame,
    committees: pl.LazyFrame,
    folder: Path,
    sources: Sequence[str],
) -> pl.LazyFrame:
    """A combined dataset's transactions linked across filing systems (steps 1-3), with the
    decisions saved in `folder`; only rows of `sources` have names to link.

    Runs after the seam has qualified the ids (`moneytrail.data.ids`), so the links point at
    committees as the dataset holds them; `filed_by` is qualified here like the row's other
    ids, a federal id a state filing names (`federal_source_id`) is restored unqualified, and
    `donor_key` is derived again over all the filing rows (`with_donor_keys`), for the rows whose
    contributor became a committee.

    Only the rows of `sources` are collected and rewritten; the others (FEC bulk data, tables:
    millions of rows that name committees by id) stay lazy and untouched.
    """
    from moneytrail.data.ids import qualified_sources
    from moneytrail.data.names import with_donor_keys

    mine = pl.col("source").is_in(list(sources))
    others = transactions.filter(~mine)
    tx = transactions.filter(mine).collect()
    qualified = sorted(qualified_sources())
    if "filed_by" in tx.columns:
        tx = tx.with_columns(
            pl.when(pl.col("source").is_in(qualified) & pl.col("filed_by").is_not_null())
            .then(pl.col("source") + ":" + pl.col("filed_by"))
            .otherwise(pl.col("filed_by"))
            .alias("filed_by")
        )
    if "federal_source_id" in tx.columns:
        tx = tx.with_columns(pl.coalesce("federal_source_id", "source_id").alias("source_id"))
    linked = link(tx, committees.collect(), load_decisions(folder), only_sources=sources)
    # The donor keys again over all the filing rows at once, split by middle initial and suffix
    # as every source's rows are (`with_donor_keys`: a row-wise key would merge namesakes).
    return pl.concat([with_donor_keys(linked.lazy()), others], how="diagonal_relaxed")


def links_table(transactions: pl.LazyFrame) -> pl.LazyFrame:
    """Every name linked to a committee (step 4), from the linked rows' own columns: source,
    the name and state as the rows write them, the committee (its id as its filing system
    writes it, and that system when the dataset qualifies its ids), rows, why, and status."""
    from moneytrail.data.ids import SEPARATOR, qualified_sources

    if "link_side" not in transactions.collect_schema().names():
        return pl.LazyFrame(schema=LINKS)  # no filing system's names in it: nothing linked
    payee = pl.col("link_side") == "payee"
    committee = pl.when(payee).then(pl.col("recipient_committee_id")).otherwise(pl.col("source_id"))
    prefix = committee.str.extract(rf"^([a-z][a-z0-9_]*){SEPARATOR}", 1)
    qualified = prefix.is_in(sorted(qualified_sources()))
    return (
        transactions.filter(pl.col("link_side").is_not_null())
        .select(
            "source",
            pl.when(payee)
            .then(pl.col("recipient_name"))
            .otherwise(pl.col("source_name"))
            .alias("name"),
            _state(
                pl.when(payee).then(pl.col("recipient_state")).otherwise(pl.col("source_state"))
            ).alias("state"),
            pl.when(qualified)
            .then(committee.str.splitn(SEPARATOR, 2).struct.field("field_1"))
            .otherwise(committee)
            .alias("committee_id"),
            pl.when(qualified).then(prefix).alias("committee_source"),
            pl.col("link_reason").alias("reason"),
            pl.col("link_status").alias("status"),
        )
        .group_by(
            "source", "name", "state", "committee_id", "committee_source", maintain_order=True
        )
        .agg(
            pl.len().cast(pl.Int64()).alias("rows"),
            pl.col("reason").first(),
            pl.col("status").first(),
        )
        .select(list(LINKS))
        .sort("committee_id", "source", "name")
        .cast(LINKS)  # type: ignore[arg-type]
    )
