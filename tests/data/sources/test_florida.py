"""The Florida Division of Elections export reader on fixtures in the real layout."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import polars as pl
import pytest

from moneytrail.data.errors import DataError
from moneytrail.data.sources.florida import export_kind, read_florida, sniff

HERE = Path(__file__).parent / "florida"
CONTRIBUTIONS = HERE / "Contributions.txt"
EXPENDITURES = HERE / "Expenditures.txt"
PAC = "Florida Quillon Justice (PAC)"
CANDIDATE = "Osprey, Dana (DEM)(STA)"


@pytest.fixture(scope="module")
def read():
    return read_florida([CONTRIBUTIONS, EXPENDITURES])


def _tx(read, transaction_id: str) -> dict:
    rows = read.transactions.filter(pl.col("transaction_id") == transaction_id).to_dicts()
    assert len(rows) == 1, transaction_id
    return rows[0]


def test_sniff_by_header_not_by_name(tmp_path):
    assert sniff(CONTRIBUTIONS) == 1.0
    assert sniff(EXPENDITURES) == 1.0
    renamed = tmp_path / "export (3).txt"
    renamed.write_bytes(CONTRIBUTIONS.read_bytes())
    assert sniff(renamed) == 1.0
    other = tmp_path / "other.txt"
    other.write_text("a\tb\tc\n1\t2\t3\n")
    assert sniff(other) == 0.0


def test_header_names_are_matched_without_case_and_typ_or_type():
    header = (
        "CANDIDATE/COMMITTEE\tDate\tAmount\tType\tContributor  Name\tAddress"
        "\tCity State Zip\tOccupation\tInkind Desc"
    )
    assert export_kind(header) == "contributions"
    assert export_kind("Date\tAmount") is None


def test_a_contribution_to_a_pac(read):
    row = _tx(read, "Contributions.txt:2")
    assert row["kind"] == "contribution"
    assert row["recipient_committee_id"] == PAC
    assert row["date"] == date(2015, 5, 18)
    assert row["amount_cents"] == 20_000_000
    assert row["source_name"] == "QUILLON JUSTICE FUND"
    assert (row["source_city"], row["source_state"], row["source_zip"]) == (
        "WASHINGTON",
        "DC",
        "20005",
    )
    assert row["source_kind"] == "organization"
    assert row["source"] == "fl"
    assert row["fl_type"] == "CHE"


def test_cp1252_bytes_and_literal_quotes(read):
    assert _tx(read, "Contributions.txt:3")["source_name"] == "MUÑOZ, ELENA"
    inkind = _tx(read, "Contributions.txt:4")
    assert inkind["description"] == 'in-kind: PRINTED "YARD" SIGNS'
    assert inkind["source_zip"] == "33602-1234"


def test_a_row_split_by_a_typed_line_break_is_mended_at_its_first_line(read):
    row = _tx(read, "Contributions.txt:6")
    assert row["source_name"] == "LEE ANN"
    assert row["source_occupation"] == "TEACHER"
    assert row["source_city"] == "ORLANDO"
    assert row["amount_cents"] == 25_000
    # The blank line after it is not a row; the next row keeps its own line number.
    assert _tx(read, "Contributions.txt:9")["source_name"] == "OSPREY DANA"


def test_filer_codes_make_committees_and_candidates(read):
    committees = {r["committee_id"]: r for r in read.committees.to_dicts()}
    assert committees[PAC]["name"] == "Florida Quillon Justice"
    assert committees[PAC]["kind"] == "pac"
    assert committees[PAC]["candidate_id"] is None
    assert committees[CANDIDATE]["kind"] == "candidate"
    assert committees[CANDIDATE]["name"] == "Osprey, Dana"
    assert committees[CANDIDATE]["party"] == "DEM"
    assert committees[CANDIDATE]["candidate_id"] == CANDIDATE
    assert read.candidates.select("candidate_id", "name", "party").rows() == [
        (CANDIDATE, "Osprey, Dana", "DEM")
    ]


def test_loan_is_a_contribution(read):
    row = _tx(read, "Contributions.txt:9")
    assert (row["kind"], row["fl_type"], row["amount_cents"]) == ("contribution", "LOA", 10_000)


def test_refund_received_reduces_the_filers_spending(read):
    row = _tx(read, "Contributions.txt:12")
    assert row["kind"] == "expenditure"
    assert (row["source_kind"], row["source_id"]) == ("committee", CANDIDATE)
    assert row["amount_cents"] == -7_500
    assert row["recipient_name"] == "ORLANDO PRINT SHOP"


def test_refund_paid_comes_off_the_contributors_giving(read):
    row = _tx(read, "Expenditures.txt:5")
    assert row["kind"] == "contribution"
    assert row["source_name"] == "LEE ANN"
    assert row["recipient_committee_id"] == CANDIDATE
    assert row["amount_cents"] == -25_000
    given = read.transactions.filter(
        (pl.col("source_name") == "LEE ANN") & (pl.col("kind") == "contribution")
    )
    assert given.get_column("amount_cents").sum() == 0


def test_expenditures_and_petty_cash(read):
    media = _tx(read, "Expenditures.txt:2")
    assert (media["kind"], media["source_kind"], media["source_id"]) == (
        "expenditure",
        "committee",
        PAC,
    )
    assert media["source_name"] == "Florida Quillon Justice"
    assert media["recipient_name"] == "CITRUS MEDIA GROUP"
    assert media["description"] == "MEDIA BUY - SUPPORT OSPREY"
    withdrawal = _tx(read, "Expenditures.txt:3")
    assert withdrawal["memo"] is True
    assert withdrawal["memo_reason"] == "petty_cash_withdrawal"
    spent = _tx(read, "Expenditures.txt:4")
    assert spent["memo"] is False and spent["fl_type"] == "PCS"


def test_bad_values_and_a_truncated_line_are_rejected_with_file_and_line(read):
    rejects = read.rejects.select("file", "line", "column", "reason").rows()
    assert rejects == [
        (str(CONTRIBUTIONS), 10, "Date", "no such date"),
        (str(CONTRIBUTIONS), 11, "Amount", "more than 2 decimal places"),
        (str(CONTRIBUTIONS), 13, None, "expected 9 fields, found 4"),
    ]


def test_reports_add_up(read):
    contributions, expenditures = read.reports
    assert contributions.kind == "fl:contributions"
    assert contributions.rows_read == 10
    assert contributions.rows_loaded == 7
    assert expenditures.kind == "fl:expenditures"
    assert (expenditures.rows_read, expenditures.rows_loaded) == (4, 4)
    for report in read.reports:
        assert report.rows_read == report.rows_loaded + report.rows_rejected


def test_too_many_fields_is_rejected_not_shifted(tmp_path):
    path = tmp_path / "c.txt"
    header = CONTRIBUTIONS.read_bytes().split(b"\r\n", 1)[0].decode()
    good = f"{PAC}\t01/02/2016\t10.00\tCHE\tA B\t1 St\tX, FL 32801\t\t"
    bad = f"{PAC}\t01/03/2016\t10.00\tCHE\tA\tB\t1 St\tX, FL 32801\t\t"
    path.write_text(f"{header}\n{bad}\n{good}\n")
    read = read_florida([path])
    assert read.rejects.select("line", "reason").rows() == [(2, "expected 9 fields, found 10")]
    assert read.transactions.get_column("transaction_id").to_list() == ["c.txt:3"]


def test_not_an_export_is_one_data_error(tmp_path):
    path = tmp_path / "x.txt"
    path.write_text("a,b\n1,2\n")
    with pytest.raises(DataError, match="not a Florida Division of Elections"):
        read_florida([path])
