"""Linking committees across filing systems: names to committees, decisions, money once."""

from __future__ import annotations

import shutil
from pathlib import Path

import polars as pl
import pytest

from moneytrail.data.errors import DataError
from moneytrail.data.open import open_dataset
from moneytrail.data.schema import COMMITTEES
from moneytrail.data.sources.combine import plan
from moneytrail.data.sources.links import (
    DECISIONS_FILE,
    Decision,
    link,
    link_name,
    links_table,
    load_decisions,
    save_decision,
)
from moneytrail.query.filters import Filters
from moneytrail.query.trace import trace_committee

HERE = Path(__file__).parent
FILES = (
    HERE / "irs" / "FullDataFile.txt",
    HERE / "florida" / "Contributions.txt",
    HERE / "florida" / "Expenditures.txt",
    HERE / "louisiana" / "Contributions.csv",
    HERE / "louisiana" / "Expenditures.csv",
    HERE / "texas" / "contribs_01.csv",
    HERE / "texas" / "filers.csv",
)
LA_PAC = "la:LOUISIANA QUILLON JUSTICE"


def load_filings(folder: Path):
    return open_dataset(folder, cache=False)


# Ids as the dataset holds them: qualified by their filing system (moneytrail.data.ids).
PAC = "fl:Florida Quillon Justice (PAC)"
EIN = "irs:990000001"


@pytest.fixture
def folder(tmp_path) -> Path:
    target = tmp_path / "story"
    target.mkdir()
    for f in FILES:
        shutil.copy(f, target / f.name)
    return target


def _committees(*rows: tuple[str, str, str, str]) -> pl.DataFrame:
    return pl.DataFrame(
        [
            {
                "committee_id": cid,
                "name": name,
                "kind": kind,
                "state": state,
                "party": None,
                "candidate_id": None,
                "inferred": False,
            }
            for cid, name, kind, state in rows
        ],
        schema=COMMITTEES,
    )


def _tx(rows: list[dict]) -> pl.DataFrame:
    base = {
        "transaction_id": None,
        "date": None,
        "amount_cents": 100,
        "kind": "contribution",
        "source_kind": "individual",
        "source_id": None,
        "source_name": None,
        "source_state": None,
        "recipient_committee_id": None,
        "recipient_name": None,
        "recipient_state": None,
        "memo": False,
        "memo_reason": None,
        "filed_by": None,
        "source": "x",
    }
    return pl.DataFrame([{**base, **r} for r in rows], infer_schema_length=None)


def test_link_name_reads_ampersands_codes_and_trailing_legal_words():
    names = pl.DataFrame(
        {
            "n": [
                "Florida Safety & Justice (PAC)",
                "FLORIDA SAFETY AND JUSTICE PAC",
                "Florida Safety and Justice, Inc.",
                "Osprey, Dana  (DEM)(STA)",
            ]
        }
    )
    keys = names.select(link_name(pl.col("n"))).to_series().to_list()
    assert keys == [
        "FLORIDA SAFETY AND JUSTICE",
        "FLORIDA SAFETY AND JUSTICE",
        "FLORIDA SAFETY AND JUSTICE",
        "OSPREY DANA",
    ]


def test_filing_files_are_found_by_content(folder):
    (folder / "notes.txt").write_text("nothing to see\n")
    claims = plan(folder).claims
    found = {c.source.name: [p.name for p in c.files] for c in claims}
    assert found == {
        "fl": ["Contributions.txt", "Expenditures.txt"],
        "irs": ["FullDataFile.txt"],
        "la": ["Contributions.csv", "Expenditures.csv"],
        "tx": ["contribs_01.csv", "filers.csv"],
    }


def test_the_527_payment_and_the_pac_receipt_are_one_linked_payment(folder):
    ds = load_filings(folder)
    tx = {r["transaction_id"]: r for r in ds.transactions.collect().to_dicts()}
    giver, receipt = tx["irs:B-701"], tx["fl:Contributions.txt:2"]
    assert (giver["kind"], giver["source_id"], giver["recipient_committee_id"]) == (
        "contribution",
        EIN,
        PAC,
    )
    assert (receipt["source_kind"], receipt["source_id"]) == ("committee", EIN)
    # Counted once: the recipient's report counts.
    assert giver["memo"] is True and giver["memo_reason"] == "reported_by_recipient"
    assert receipt["memo"] is False
    assert giver["linked_transaction_id"] == "fl:Contributions.txt:2"
    assert receipt["linked_transaction_id"] == "irs:B-701"
    # Every link says why.
    assert giver["link_reason"] == 'same name "FLORIDA QUILLON JUSTICE" and state FL'
    assert receipt["link_reason"] == 'same name "QUILLON JUSTICE FUND" and state DC'
    assert (giver["link_side"], giver["link_status"]) == ("payee", "auto")
    assert receipt["link_side"] == "contributor"
    assert tx["irs:B-702"]["link_reason"] is None  # a printer is no committee
    assert tx["irs:B-702"]["kind"] == "expenditure"
    links = links_table(ds.transactions).collect()
    shown = links.select("source", "name", "state", "committee_id", "committee_source", "rows")
    # The listing shows each committee's id as its filing system writes it.
    assert shown.rows() == [
        ("fl", "QUILLON JUSTICE FUND", "DC", "990000001", "irs", 1),
        ("la", "QUILLON JUSTICE FUND", "DC", "990000001", "irs", 1),
        ("tx", "Quillon Justice Fund", "DC", "990000001", "irs", 1),
        ("irs", "Florida Quillon Justice", "FL", "Florida Quillon Justice (PAC)", "fl", 1),
        ("irs", "Louisiana Quillon Justice", "LA", "LOUISIANA QUILLON JUSTICE", "la", 1),
    ]
    assert set(links.get_column("status")) == {"auto"}
    assert {r["source"] for r in tx.values()} == {"irs", "fl", "la", "tx"}


def test_the_527_payment_to_the_louisiana_pac_counts_once(folder):
    ds = load_filings(folder)
    tx = {r["transaction_id"]: r for r in ds.transactions.collect().to_dicts()}
    giver, receipt = tx["irs:B-901"], tx["la:Contributions.csv:2"]
    assert giver["recipient_committee_id"] == LA_PAC
    assert giver["memo_reason"] == "reported_by_recipient"
    assert (receipt["source_id"], receipt["memo"]) == (EIN, False)
    assert receipt["linked_transaction_id"] == "irs:B-901"


def test_the_pac_trace_reaches_the_527s_donors_across_the_boundary(folder):
    ds = load_filings(folder)
    result = trace_committee(ds, Filters(), PAC)
    # The PAC's receipts: 200,000 from the 527 plus 5,000 (from the 527's main donor,
    # directly) and 1,500 (in kind).
    assert result.total_cents == 20_650_000
    by_name = {e.name: e for e in result.entries}
    # The 527 received 175,250 (counted) and paid out 426,250.50 (200,000 to the PAC, the
    # rest to a printer and the Louisiana and Texas PACs), so of each dollar it paid
    # 175,250 / 426,250.50 has a recorded source.
    paid = 20_000_000 + 125_050 + 7_500_000 + 15_000_000
    received = 10_000_000 + 2_500_000 + 5_000_000 + 25_000
    via_527 = 15_000_000 / received * received / paid * 20_000_000
    muñoz = via_527 + 500_000  # the same donor in both filings: one source
    assert by_name["MUÑOZ, ELENA"].amount_cents == round(muñoz)
    assert by_name["MUÑOZ, ELENA"].share == pytest.approx(muñoz / 20_650_000)
    assert sum(e.amount_cents for e in result.entries) == 20_650_000


def test_a_broken_link_is_undone_and_the_trace_follows(folder):
    save_decision(folder, Decision("Florida Quillon Justice", "FL", PAC, "break"))
    ds = load_filings(folder)
    # The decisions file is the linking's, never data nor an ignored file.
    assert not any("moneytrail-links" in w for w in ds.report.warnings)
    assert all("moneytrail-links" not in f.path for f in ds.report.files)
    tx = {r["transaction_id"]: r for r in ds.transactions.collect().to_dicts()}
    assert tx["irs:B-701"]["kind"] == "expenditure"
    assert tx["irs:B-701"]["memo"] is False
    assert tx["irs:B-701"]["link_reason"] is None
    # The other side of the pair still links the contributor to the 527.
    assert tx["fl:Contributions.txt:2"]["source_id"] == EIN


def test_a_confirmed_link_is_made_where_the_rule_saw_none(folder):
    save_decision(folder, Decision("CITRUS MEDIA GROUP", "FL", EIN, "confirm"))
    ds = load_filings(folder)
    row = ds.transactions.filter(pl.col("transaction_id") == "fl:Expenditures.txt:2").collect()
    assert row.get_column("recipient_committee_id").to_list() == [EIN]
    assert row.get_column("link_reason").to_list() == [
        "confirmed by the user: CITRUS MEDIA GROUP (FL)"
    ]
    statuses = links_table(ds.transactions).collect().filter(pl.col("committee_id") == "990000001")
    assert "confirmed" in statuses.get_column("status").to_list()


def test_decisions_file_round_trip_and_replacement(tmp_path):
    save_decision(tmp_path, Decision("A PAC", "fl", "X", "break"))
    save_decision(tmp_path, Decision("A PAC", "FL", "X", "confirm"))
    assert load_decisions(tmp_path) == [Decision("A PAC", "FL", "X", "confirm")]
    (tmp_path / DECISIONS_FILE).write_text("name,state,committee_id,decision\nA,FL,X,maybe\n")
    with pytest.raises(DataError, match=r"moneytrail-links.csv:2: expected columns"):
        load_decisions(tmp_path)


def test_an_ambiguous_name_is_not_linked():
    committees = _committees(
        ("A1", "Justice Fund", "pac", "FL"), ("A2", "JUSTICE FUND PAC", "pac", "FL")
    )
    tx = _tx(
        [
            {
                "transaction_id": "t",
                "source_name": "Justice Fund",
                "source_state": "FL",
                "recipient_committee_id": "Z",
            }
        ]
    )
    linked = link(tx, committees)
    links = links_table(linked.lazy()).collect()
    assert linked.get_column("source_kind").to_list() == ["individual"]
    assert links.height == 0


def test_candidate_committees_are_not_linked_by_name():
    committees = _committees(("C1", "Osprey, Dana", "candidate", "FL"))
    tx = _tx(
        [
            {
                "transaction_id": "t",
                "source_name": "OSPREY DANA",
                "source_state": "FL",
                "recipient_committee_id": "Z",
            }
        ]
    )
    linked = link(tx, committees)
    assert linked.get_column("source_kind").to_list() == ["individual"]


def test_pairs_are_matched_one_to_one_in_date_order():
    from datetime import date

    committees = _committees(("G", "Giver Fund", "527", "DC"), ("R", "Receiver PAC", "pac", "FL"))
    rows = [
        # The giver reported three equal payments, the recipient two receipts.
        {
            "transaction_id": f"g{i}",
            "date": date(2016, 1, i),
            "kind": "expenditure",
            "source_kind": "committee",
            "source_id": "G",
            "recipient_name": "Receiver",
            "recipient_state": "FL",
            "filed_by": "G",
        }
        for i in (1, 2, 3)
    ] + [
        {
            "transaction_id": f"r{i}",
            "date": date(2016, 1, i + 1),
            "source_name": "GIVER FUND",
            "source_state": "DC",
            "recipient_committee_id": "R",
            "filed_by": "R",
        }
        for i in (1, 2)
    ]
    linked = link(_tx(rows), committees)
    memo = dict(zip(linked["transaction_id"], linked["memo"], strict=True))
    assert memo == {"g1": True, "g2": True, "g3": False, "r1": False, "r2": False}
    other = dict(zip(linked["transaction_id"], linked["linked_transaction_id"], strict=True))
    assert (other["g1"], other["r1"], other["g2"], other["g3"]) == ("r1", "g1", "r2", None)
    counted = linked.filter(~pl.col("memo")).get_column("amount_cents").sum()
    assert counted == 300


def test_the_same_donor_across_filing_systems_is_one_donor(folder):
    from moneytrail.query.donors import donors
    from moneytrail.query.trace import trace_donor_forward

    ds = load_filings(folder)
    rows = ds.transactions.filter(pl.col("source_name") == "MUÑOZ, ELENA").collect()
    # IRS Schedule A, the Florida export and the Louisiana export write her the same way.
    assert set(rows.get_column("source")) == {"irs", "fl", "la"}
    (key,) = set(rows.get_column("donor_key"))
    listed = donors(ds, Filters()).collect().filter(pl.col("donor_key") == key)
    # 150,000 to the 527 (the amended report's copy once), 5,000 and 2,500 to the state PACs.
    assert listed.get_column("total_cents").to_list() == [15_750_000]
    forward = trace_donor_forward(ds, Filters(), key)
    assert forward.total_cents == 15_750_000
    assert sum(e.amount_cents for e in forward.entries) == 15_750_000


def test_a_folder_mixing_fec_files_and_filings_is_one_dataset(folder):
    fec = Path(__file__).parents[3] / "sample_data" / "fec-2016-early"
    for f in fec.iterdir():
        shutil.copy(f, folder / f.name)
    ds = load_filings(folder)
    tx = ds.transactions.collect()
    by_source = dict(tx.group_by("source").len().iter_rows())
    assert by_source["fec"] > 10_000
    assert {"irs", "fl", "la", "tx"} <= set(by_source)
    # FEC rows name committees by id: the linking step leaves them as they were.
    fec_rows = tx.filter(pl.col("source") == "fec")
    assert fec_rows.get_column("link_reason").null_count() == fec_rows.height
    assert tx.filter(pl.col("transaction_id") == "irs:B-701").get_column("memo").to_list() == [True]
