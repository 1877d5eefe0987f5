"""Every money path the tool must handle is in the sample, and the tables are consistent.

Paths (SAMPLE_STORY.md): individual -> candidate committee; individual -> PAC; PAC -> PAC; PAC ->
race as independent expenditures supporting *and* opposing; a refund; a memo row that must not be
counted twice; local money on both sides of each race, including a committee and donors backing
the incumbents. Plus the shape promises: tens of thousands of rows, heavy-tailed, valid enums,
every reference resolvable.
"""

from __future__ import annotations

import polars as pl

from moneytrail.data.schema import COMMITTEE_KINDS, SOURCE_KINDS, STAGES, TX_KINDS

PAC_KINDS = ["pac", "super_pac", "527", "party", "other"]
NAMED_PEOPLE = ["Aramis Ayala", "Jeff Ashton", "James Stewart", "Dhu Thompson"]


def with_recipient_kind(rows: pl.DataFrame, committees: pl.DataFrame) -> pl.DataFrame:
    return rows.join(
        committees.select(
            pl.col("committee_id").alias("recipient_committee_id"),
            pl.col("kind").alias("recipient_kind"),
            pl.col("candidate_id").alias("recipient_candidate"),
        ),
        on="recipient_committee_id",
        how="left",
    )


def test_tens_of_thousands_of_rows(tx: pl.DataFrame) -> None:
    assert 30_000 <= tx.height < 100_000


def test_values_are_well_formed(
    tx: pl.DataFrame, committees: pl.DataFrame, candidates: pl.DataFrame, races: pl.DataFrame
) -> None:
    assert tx["transaction_id"].is_unique().all()
    assert tx["amount"].str.contains(r"^-?\d+\.\d{2}$").all()
    assert tx["date"].str.to_date("%Y-%m-%d").is_not_null().all()
    assert tx["memo"].is_in(["true", "false"]).all()
    assert tx["kind"].is_in(list(TX_KINDS)).all()
    assert tx["source_kind"].is_in(list(SOURCE_KINDS)).all()
    assert committees["kind"].is_in(list(COMMITTEE_KINDS)).all()
    assert committees["committee_id"].is_unique().all()
    assert races["stage"].is_in(list(STAGES)).all()
    assert candidates["incumbent"].is_in(["true", "false"]).all()
    assert (tx["cents"] != 0).all()


def test_every_reference_resolves(
    tx: pl.DataFrame, committees: pl.DataFrame, candidates: pl.DataFrame, races: pl.DataFrame
) -> None:
    ids = set(committees["committee_id"])
    assert set(tx["recipient_committee_id"].drop_nulls()) <= ids
    assert set(tx["source_id"].drop_nulls()) <= ids
    assert set(tx["candidate_id"].drop_nulls()) <= set(candidates["candidate_id"])
    assert set(candidates["race_id"]) == set(races["race_id"])
    committee_rows = tx.filter(pl.col("source_kind") == "committee")
    assert committee_rows["source_id"].is_not_null().all()
    contributions = tx.filter(pl.col("kind") == "contribution")
    assert contributions["recipient_committee_id"].is_not_null().all()
    ies = tx.filter(pl.col("kind") == "independent_expenditure")
    assert ies["candidate_id"].is_not_null().all()
    assert ies["support_oppose"].is_in(["S", "O"]).all()


def test_candidate_committees_name_their_candidate(
    committees: pl.DataFrame, candidates: pl.DataFrame
) -> None:
    own = committees.filter(pl.col("kind") == "candidate")
    assert own["candidate_id"].is_not_null().all()
    assert sorted(own["candidate_id"]) == sorted(candidates["candidate_id"])
    assert committees.filter(pl.col("kind") != "candidate")["candidate_id"].is_null().all()


def test_individuals_give_to_candidate_committees_and_to_pacs(
    counted: pl.DataFrame, committees: pl.DataFrame
) -> None:
    gifts = with_recipient_kind(
        counted.filter(
            (pl.col("kind") == "contribution") & (pl.col("source_kind") == "individual")
        ),
        committees,
    )
    assert gifts.filter(pl.col("recipient_kind") == "candidate").height > 10_000
    assert gifts.filter(pl.col("recipient_kind").is_in(PAC_KINDS)).height > 100


def test_pacs_fund_pacs_and_candidates(counted: pl.DataFrame, committees: pl.DataFrame) -> None:
    transfers = with_recipient_kind(
        counted.filter((pl.col("kind") == "contribution") & (pl.col("source_kind") == "committee")),
        committees,
    )
    pac_to_pac = transfers.filter(pl.col("recipient_kind").is_in(PAC_KINDS))
    the_527 = "irs:990000527"  # its EIN, as the IRS file writes it
    assert the_527 in set(pac_to_pac["source_id"])  # The 527 funding state PACs.
    assert (pac_to_pac["source_id"] != the_527).any()  # And local PAC-to-PAC money.
    assert transfers.filter(pl.col("recipient_kind") == "candidate").height > 0


def test_independent_expenditures_support_and_oppose(counted: pl.DataFrame) -> None:
    ies = counted.filter(pl.col("kind") == "independent_expenditure")
    assert set(ies["support_oppose"]) == {"S", "O"}
    assert set(ies["source_kind"]) == {"committee"}


def test_a_refund_subtracts_a_gift_the_same_donor_made_earlier(counted: pl.DataFrame) -> None:
    refunds = counted.filter(pl.col("cents") < 0)
    assert refunds.height >= 1
    assert set(refunds["kind"]) == {"contribution"}
    assert refunds["description"].str.starts_with("Refund").all()
    gifts = counted.filter(pl.col("cents") > 0)
    matched = refunds.join(
        gifts,
        left_on=["source_name", "source_zip", "recipient_committee_id", (-pl.col("cents"))],
        right_on=["source_name", "source_zip", "recipient_committee_id", "cents"],
        suffix="_gift",
    ).filter(pl.col("date_gift") <= pl.col("date"))
    assert set(matched["transaction_id"]) == set(refunds["transaction_id"])


def test_memo_itemizations_repeat_money_already_counted(tx: pl.DataFrame) -> None:
    # The 527's own copies of its transfers to the Florida PAC (its IRS Schedule B) become memo
    # when linked to the PAC's receipts, which count (`reported_by_recipient`).
    copies = pl.col("memo_reason").fill_null("") == "reported_by_recipient"
    linked = tx.filter(pl.col("is_memo") & copies)
    assert set(linked["source"]) == {"irs"} and linked.height == 2
    assert linked["linked_transaction_id"].is_not_null().all()
    memos = tx.filter(pl.col("is_memo") & ~copies)
    assert memos.height >= 2
    assert memos["description"].str.starts_with("Memo:").all()
    # LLC attributions: each LLC's counted gift equals its members' memo rows on the same day.
    llc = memos.filter(pl.col("description").str.contains("LLC attribution"))
    assert llc.height >= 2
    per_gift = llc.group_by("recipient_committee_id", "date", "description").agg(
        pl.col("cents").sum()
    )
    for committee_id, day, description, cents in per_gift.iter_rows():
        llc_name = description.removeprefix("Memo: LLC attribution of the contribution from ")
        source = tx.filter(
            ~pl.col("is_memo")
            & (pl.col("source_name") == llc_name)
            & (pl.col("recipient_committee_id") == committee_id)
            & (pl.col("date") == day)
        )
        assert source["cents"].to_list() == [cents]


def test_local_money_on_both_sides_of_every_race(
    counted: pl.DataFrame, committees: pl.DataFrame, candidates: pl.DataFrame, races: pl.DataFrame
) -> None:
    state_of_race = dict(races.select("race_id", "state").iter_rows())
    own = dict(
        committees.filter(pl.col("kind") == "candidate")
        .select("candidate_id", "committee_id")
        .iter_rows()
    )
    sj = set(committees.filter(pl.col("name").str.contains("Safety and Justice"))["committee_id"])
    for candidate_id, race_id, incumbent in candidates.select(
        "candidate_id", "race_id", "incumbent"
    ).iter_rows():
        gifts = counted.filter(pl.col("recipient_committee_id") == own[candidate_id])
        race_state = state_of_race[race_id]
        local = gifts.filter(
            (pl.col("source_kind") == "individual") & (pl.col("source_state") == race_state)
        )
        assert local.height > 100, candidate_id
        # A local (non-Safety-and-Justice) committee backs every candidate: it gives to the
        # candidate's committee or spends supporting them.
        backers = counted.filter(
            (pl.col("source_kind") == "committee")
            & ~pl.col("source_id").is_in(list(sj))
            & (pl.col("source_id") != own[candidate_id])
            & (
                (pl.col("recipient_committee_id") == own[candidate_id])
                | ((pl.col("candidate_id") == candidate_id) & (pl.col("support_oppose") == "S"))
            )
        )
        assert backers.height > 0, (race_id, candidate_id, incumbent)
    assert (candidates["incumbent"] == "true").sum() == 5  # Caddo had none among the two.


def test_money_is_heavy_tailed(counted: pl.DataFrame) -> None:
    gifts = counted.filter(
        (pl.col("kind") == "contribution") & (pl.col("source_kind") == "individual")
    )["cents"]
    assert gifts.median() < 200_00  # Many small local gifts...
    assert gifts.max() >= 100_000_00  # ...and a few huge ones.
    assert (gifts >= 100_000_00).sum() < 30


def test_no_synthetic_row_names_the_real_people_as_donors(counted: pl.DataFrame) -> None:
    surnames = "|".join(name.split()[-1].upper() for name in NAMED_PEOPLE)
    donors = counted.filter(pl.col("source_kind") != "committee")["source_name"]
    assert not donors.str.to_uppercase().str.contains(rf"\b({surnames})\b").any()


def test_markup_like_names_are_present_for_literal_display(tx: pl.DataFrame) -> None:
    names = tx["source_name"].drop_nulls()
    assert names.str.contains(r"\[R\]$").any()
    assert names.str.contains("[/bold]", literal=True).any()
    assert not names.str.contains(r"[\x00-\x1f\x7f-\x9f]").any()  # No control characters.
