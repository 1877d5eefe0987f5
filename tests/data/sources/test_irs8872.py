"""The IRS 8871/8872 bulk data reader on a fixture in the real layout (see README.md)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import polars as pl
import pytest

from moneytrail.data.errors import DataError
from moneytrail.data.sources.irs8872 import LAYOUTS, read_irs, sniff

FIXTURE = Path(__file__).parent / "irs" / "FullDataFile.txt"


@pytest.fixture(scope="module")
def read():
    return read_irs(FIXTURE)


def _tx(read, transaction_id: str) -> dict:
    rows = read.transactions.filter(pl.col("transaction_id") == transaction_id).to_dicts()
    assert len(rows) == 1, transaction_id
    return rows[0]


def test_layout_field_counts_match_the_irs_dictionary():
    counts = {kind: len(fields) for kind, fields in LAYOUTS.items()}
    assert counts == {"H": 4, "F": 4, "1": 44, "D": 13, "R": 13, "E": 5, "2": 49, "A": 17, "B": 17}


def test_sniff_recognises_the_header_record(tmp_path):
    assert sniff(FIXTURE) == 1.0
    other = tmp_path / "itcont.txt"
    other.write_text("C00401224|N|M3|P|201601319004908456|15|IND|SMITH, JOHN|\n")
    assert sniff(other) == 0.0
    assert sniff(tmp_path / "missing.txt") == 0.0


def test_schedule_a_is_a_contribution_to_the_filing_527(read):
    row = _tx(read, "A-601")
    assert row["kind"] == "contribution"
    assert row["recipient_committee_id"] == "990000001"
    assert row["amount_cents"] == 10_000_000
    assert row["date"] == date(2015, 3, 15)
    assert row["source_kind"] == "individual"
    assert (row["source_city"], row["source_state"], row["source_zip"]) == (
        "Sarasota",
        "FL",
        "34236",
    )
    assert row["source_employer"] == "Self employed"
    assert row["source"] == "irs"


def test_cp1252_and_utf8_bytes_both_decode(read):
    assert _tx(read, "A-601")["source_name"] == "MUÑOZ, ELENA"
    assert _tx(read, "A-802")["source_name"] == "José Ortega"
    assert read.reports[0].bytes_replaced == 0


def test_not_applicable_employer_and_occupation_mark_an_organization(read):
    assert _tx(read, "A-602")["source_kind"] == "organization"
    assert _tx(read, "A-802")["source_kind"] == "individual"  # "Retired" is an occupation


def test_cents_and_an_empty_date(read):
    assert _tx(read, "B-702")["amount_cents"] == 125_050
    assert _tx(read, "A-801")["date"] is None


def test_schedule_b_is_an_expenditure_by_the_527_naming_its_payee(read):
    row = _tx(read, "B-701")
    assert row["kind"] == "expenditure"
    assert (row["source_kind"], row["source_id"]) == ("committee", "990000001")
    assert row["source_name"] == "Quillon Justice Fund"
    assert row["recipient_name"] == "Florida Quillon Justice"
    assert (row["recipient_city"], row["recipient_state"]) == ("Tallahassee", "FL")
    assert row["description"] == "Contribution to state political committee"


def test_an_amended_report_replaces_the_original_for_its_period(read):
    original, amended = _tx(read, "A-501"), _tx(read, "A-601")
    assert original["memo"] is True and original["memo_reason"] == "amended"
    assert original["irs_superseded_by"] == "9100002"
    assert amended["memo"] is False and amended["memo_reason"] is None
    counted = read.transactions.filter(~pl.col("memo") & (pl.col("source_name") == "MUÑOZ, ELENA"))
    # The gift reported twice (original and amendment) counts once, plus the later period's.
    assert counted.get_column("amount_cents").sum() == 15_000_000
    # A report for another period is untouched.
    assert _tx(read, "A-801")["memo"] is False


def test_broken_records_are_rejected_at_their_line_without_shifting_fields(read):
    rejects = {r["line"]: r for r in read.rejects.to_dicts()}
    assert set(rejects) == {12, 14, 15, 16}
    assert rejects[12]["reason"] == "record broken across 2 lines (a line break inside a field)"
    assert rejects[12]["raw"].endswith("Network, Inc.|500|President & CEO|500|20150402|")
    assert rejects[14]["reason"] == "expected 17 fields, found 18"
    assert (rejects[15]["column"], rejects[15]["reason"]) == ("contribution_date", "no such date")
    assert (rejects[16]["column"], rejects[16]["reason"]) == (
        "contribution_amount",
        "not a decimal dollar amount",
    )
    assert {r["file"] for r in rejects.values()} == {str(FIXTURE)}
    loaded = set(read.transactions.get_column("transaction_id"))
    assert not loaded & {"A-603", "A-604", "A-605", "A-606"}
    # The record after the broken one is read normally.
    assert _tx(read, "A-602")["amount_cents"] == 2_500_000


def test_report_counts_every_record_once(read):
    (report,) = read.reports
    assert report.kind == "irs:8872"
    assert report.rows_read == 22  # 23 physical lines, one record spans two
    assert report.rows_read == report.rows_loaded + report.rows_rejected
    assert report.rejected == {
        "contribution_amount: not a decimal dollar amount": 1,
        "contribution_date: no such date": 1,
        "expected 17 fields, found 18": 1,
        "record broken across 2 lines (a line break inside a field)": 1,
    }


def test_committees_and_link_keys(read):
    assert read.committees.to_dicts() == [
        {
            "committee_id": "990000001",
            "name": "Quillon Justice Fund",
            "kind": "527",
            "state": "DC",
            "party": None,
            "candidate_id": None,
            "inferred": False,
            "ein": "990000001",
            "election_authority_ids": "FL:70123; LA:LA-4455",
        }
    ]
    keys = set(read.link_keys.iter_rows())
    assert keys == {
        ("990000001", "ein", "990000001"),
        ("990000001", "eain:FL", "70123"),
        ("990000001", "eain:LA", "LA-4455"),
    }


def test_a_continuation_line_at_the_top_and_crlf_line_ends(tmp_path):
    path = tmp_path / "FullDataFile.txt"
    a = "A|1|2|Org|123456789|Ann Lee|1 St||City|FL|33101||Acme|10|Clerk|10|20150101|"
    path.write_bytes(f"stray text\r\nH|20161106|0311|A|\r\n{a}\r\n".encode())
    read = read_irs(path)
    assert read.rejects.select("line", "reason").rows() == [(1, "not a record (no record type)")]
    assert read.transactions.get_column("amount_cents").to_list() == [1000]
    # A schedule whose report is not in the file still counts.
    assert read.transactions.get_column("memo").to_list() == [False]


def test_unreadable_file_is_one_data_error(tmp_path):
    with pytest.raises(DataError, match="cannot read file"):
        read_irs(tmp_path / "nope.txt")


def test_an_empty_amount_is_missing_and_a_negative_one_loads(tmp_path):
    path = tmp_path / "FullDataFile.txt"
    head = "A|1|{}|Org|123456789|Ann Lee|1 St||City|FL|33101||Acme|{}|Clerk|10|20150101|"
    path.write_text(f"H|20161106|0311|A|\n{head.format(1, '')}\n{head.format(2, '-25.50')}\n")
    read = read_irs(path)
    assert read.rejects.select("line", "column", "reason").rows() == [
        (2, "contribution_amount", "missing value")
    ]
    assert read.transactions.get_column("amount_cents").to_list() == [-2550]
